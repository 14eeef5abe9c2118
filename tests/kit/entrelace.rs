//! Concurrency in-process: a database whose every call first lets the other requests
//! run. Driven by `join_all`, requests then interleave at each database call — all of
//! them read before any of them writes — which is the worst case a check made by a read
//! followed by a write can meet. Only what the database itself enforces in one batch
//! survives it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use async_trait::async_trait;

use booking_shared::store::{Db, DbError, Row, Statement};

use crate::SqliteDb;

pub struct Entrelace<'a>(pub &'a SqliteDb);

/// Pending once (waking itself), then ready: a turn given to the other futures.
#[derive(Default)]
struct Cede(bool);

impl Future for Cede {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[async_trait(?Send)]
impl Db for Entrelace<'_> {
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError> {
        Cede::default().await;
        self.0.query(statement).await
    }

    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        Cede::default().await;
        self.0.batch(statements).await
    }
}
