//! The vertical documents in memory, read from `verticals/` like the KV seeding does.

use std::cell::RefCell;

use async_trait::async_trait;

use booking_shared::ports::{vertical_key, ConfigStore};

use crate::root;

pub struct MemoryConfig {
    documents: RefCell<Vec<(String, String)>>,
}

impl MemoryConfig {
    pub fn from_verticals_folder() -> MemoryConfig {
        let mut documents: Vec<(String, String)> = std::fs::read_dir(root().join("verticals"))
            .expect("verticals/ exists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter(|p| !p.to_string_lossy().ends_with(".schema.json"))
            .map(|p| {
                let slug = p
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                let raw = std::fs::read_to_string(&p).expect("vertical readable");
                (vertical_key(&slug), raw)
            })
            .collect();
        documents.sort();
        MemoryConfig {
            documents: RefCell::new(documents),
        }
    }

    /// Replaces (or adds) one stored document, as a manual `wrangler kv key put` would.
    pub fn put(&self, slug: &str, raw: &str) {
        let key = vertical_key(slug);
        let mut documents = self.documents.borrow_mut();
        documents.retain(|(k, _)| *k != key);
        documents.push((key, raw.to_owned()));
        documents.sort();
    }
}

#[async_trait(?Send)]
impl ConfigStore for MemoryConfig {
    async fn vertical_documents(&self) -> Result<Vec<(String, String)>, String> {
        Ok(self.documents.borrow().clone())
    }

    async fn ping(&self) -> Result<(), String> {
        Ok(())
    }

    async fn ecrire_vertical(&self, slug: &str, json: &str) -> Result<(), String> {
        self.put(slug, json);
        Ok(())
    }
}
