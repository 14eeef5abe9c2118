//! The verticals' configuration, read from the config store and cached per isolate.
//!
//! KV is eventually consistent (about 60 s), so a minute of staleness costs nothing and
//! saves a read per request. A document that fails validation is logged and ignored; the
//! last valid version of it, if this isolate saw one, keeps serving its site, and the
//! other verticals are untouched.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use booking_shared::ports::ConfigStore;
use booking_shared::vertical::VerticalConfig;

const TTL_SECONDS: i64 = 60;

#[derive(Default)]
pub struct VerticalCache {
    state: RefCell<Option<Loaded>>,
}

struct Loaded {
    at: DateTime<Utc>,
    /// By store key, in key order.
    verticals: BTreeMap<String, Rc<VerticalConfig>>,
}

impl VerticalCache {
    pub fn new() -> VerticalCache {
        VerticalCache::default()
    }

    /// Every valid vertical, in a stable order.
    pub async fn all(
        &self,
        store: &dyn ConfigStore,
        now: DateTime<Utc>,
    ) -> Vec<Rc<VerticalConfig>> {
        self.refresh_if_stale(store, now).await;
        self.state
            .borrow()
            .as_ref()
            .map(|l| l.verticals.values().cloned().collect())
            .unwrap_or_default()
    }

    pub async fn for_host(
        &self,
        store: &dyn ConfigStore,
        now: DateTime<Utc>,
        host: &str,
    ) -> Option<Rc<VerticalConfig>> {
        self.all(store, now)
            .await
            .into_iter()
            .find(|v| v.serves_host(host))
    }

    /// Forgets what was loaded, so the next read goes to the store (after an admin edit).
    pub fn invalidate(&self) {
        if let Some(loaded) = self.state.borrow_mut().as_mut() {
            loaded.at = DateTime::<Utc>::MIN_UTC;
        }
    }

    async fn refresh_if_stale(&self, store: &dyn ConfigStore, now: DateTime<Utc>) {
        let fresh = self
            .state
            .borrow()
            .as_ref()
            .is_some_and(|l| now - l.at < Duration::seconds(TTL_SECONDS) && l.at <= now);
        if fresh {
            return;
        }
        let documents = match store.vertical_documents().await {
            Ok(documents) => documents,
            Err(error) => {
                crate::log::line(
                    booking_shared::objet!({ "niveau": "erreur", "evenement": "config_illisible", "erreur": error }),
                );
                // Keep serving what we had; try again at the next request.
                return;
            }
        };
        let mut state = self.state.borrow_mut();
        let previous = state.take().map(|l| l.verticals).unwrap_or_default();
        let mut verticals = BTreeMap::new();
        for (key, raw) in documents {
            match VerticalConfig::parse(&raw) {
                Ok(config) => {
                    verticals.insert(key, Rc::new(config));
                }
                Err(error) => {
                    crate::log::line(json!({
                        "niveau": "erreur",
                        "evenement": "config_invalide",
                        "cle": key,
                        "erreur": error.to_string(),
                    }));
                    if let Some(last_good) = previous.get(&key) {
                        verticals.insert(key, Rc::clone(last_good));
                    }
                }
            }
        }
        *state = Some(Loaded { at: now, verticals });
    }
}
