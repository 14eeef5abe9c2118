//! Outgoing HTTP in the in-process tests: every request is recorded, and answered from a
//! queue of prepared answers (when the queue is empty: an open session for a Checkout
//! Session creation, a plain 200 `{}` otherwise).

use std::cell::RefCell;
use std::collections::VecDeque;

use async_trait::async_trait;

use booking_shared::ports::{Http, ReponseEntrante, RequeteSortante};

#[derive(Default)]
pub struct RecordingHttp {
    pub sent: RefCell<Vec<RequeteSortante>>,
    answers: RefCell<VecDeque<Result<ReponseEntrante, String>>>,
}

impl RecordingHttp {
    /// The next request gets this status and body.
    pub fn answer(&self, status: u16, body: &str) {
        self.answers.borrow_mut().push_back(Ok(ReponseEntrante {
            status,
            body: body.as_bytes().to_vec(),
        }));
    }

    /// The next request gets no answer at all (a network failure).
    pub fn fail(&self) {
        self.answers
            .borrow_mut()
            .push_back(Err("connexion refusée".into()));
    }

    pub fn requests_to(&self, url_part: &str) -> Vec<RequeteSortante> {
        self.sent
            .borrow()
            .iter()
            .filter(|r| r.url.contains(url_part))
            .cloned()
            .collect()
    }
}

#[async_trait(?Send)]
impl Http for RecordingHttp {
    async fn envoyer(&self, requete: RequeteSortante) -> Result<ReponseEntrante, String> {
        // Unprepared, a Checkout Session creation gets an open session (so that any test
        // may book a paid slot); anything else a plain 200 `{}`.
        let defaut = if requete.url.ends_with("/v1/checkout/sessions") {
            let n = self.requests_to("/v1/checkout/sessions").len() + 1;
            format!(
                r#"{{"id":"cs_test_kit_{n}","object":"checkout.session","status":"open","url":"http://stripe.test/c/pay/cs_test_kit_{n}"}}"#
            )
        } else {
            "{}".to_owned()
        };
        self.sent.borrow_mut().push(requete);
        self.answers.borrow_mut().pop_front().unwrap_or_else(|| {
            Ok(ReponseEntrante {
                status: 200,
                body: defaut.into_bytes(),
            })
        })
    }
}
