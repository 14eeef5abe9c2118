//! What every endpoint function receives, and the entry point that turns a request
//! into a response.

use booking_shared::ports::{Aleatoire, Clock, ConfigStore};
use booking_shared::store::Db;
use booking_shared::vertical::VerticalConfig;

use crate::http::{Method, Request, Response};
use crate::router;
use crate::verticals::VerticalCache;

/// Deployment settings, from the Worker's vars.
#[derive(Debug, Clone)]
pub struct Settings {
    pub version: String,
}

/// The platform behind one request: storage, configuration and time.
pub struct Ctx<'a> {
    pub db: &'a dyn Db,
    pub config: &'a dyn ConfigStore,
    pub verticals: &'a VerticalCache,
    pub clock: &'a dyn Clock,
    pub random: &'a dyn Aleatoire,
    pub settings: &'a Settings,
}

impl Ctx<'_> {
    /// The vertical whose site the request's host is, if any.
    pub async fn vertical_for(&self, req: &Request) -> Option<std::rc::Rc<VerticalConfig>> {
        self.verticals
            .for_host(self.config, self.clock.now(), &req.host)
            .await
    }
}

pub async fn handle(ctx: &Ctx<'_>, req: Request) -> Response {
    let head = req.method == Method::Head;
    let mut response = router::dispatch(ctx, &req).await;
    if head {
        response.body.clear();
    }
    response
}
