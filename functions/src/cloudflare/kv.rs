//! KV behind the configuration store of `booking_shared::ports`.

use async_trait::async_trait;
use worker::kv::KvStore;

use booking_shared::ports::{vertical_key, ConfigStore, VERTICAL_KEY_PREFIX};

pub struct KvConfig {
    store: KvStore,
}

impl KvConfig {
    pub fn new(store: KvStore) -> KvConfig {
        KvConfig { store }
    }
}

#[async_trait(?Send)]
impl ConfigStore for KvConfig {
    async fn vertical_documents(&self) -> Result<Vec<(String, String)>, String> {
        let listed = self
            .store
            .list()
            .prefix(VERTICAL_KEY_PREFIX.to_owned())
            .execute()
            .await
            .map_err(|e| e.to_string())?;
        let keys: Vec<String> = listed.keys.into_iter().map(|k| k.name).collect();
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let values = self
            .store
            .get_bulk(&keys)
            .text()
            .await
            .map_err(|e| e.to_string())?;
        let mut documents: Vec<(String, String)> = values
            .into_iter()
            .filter_map(|(key, value)| value.map(|v| (key, v)))
            .collect();
        documents.sort_unstable();
        Ok(documents)
    }

    async fn ping(&self) -> Result<(), String> {
        self.store
            .list()
            .limit(1)
            .execute()
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    async fn ecrire_vertical(&self, slug: &str, json: &str) -> Result<(), String> {
        self.store
            .put(&vertical_key(slug), json)
            .map_err(|e| e.to_string())?
            .execute()
            .await
            .map_err(|e| e.to_string())
    }
}
