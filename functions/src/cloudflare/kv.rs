//! KV behind the configuration store of `booking_shared::ports`.
//!
//! It calls the namespace's JavaScript methods (`list`, `get`, `put`) directly, and reads
//! their results as JSON text with serde_json: the typed wrappers of `worker::kv` would
//! bring a second deserialiser (from JavaScript values) into the Wasm for three calls.

use async_trait::async_trait;
use worker::js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::Env;

use booking_shared::ports::{vertical_key, ConfigStore, VERTICAL_KEY_PREFIX};

use super::texte;

pub struct KvConfig {
    namespace: Object,
}

impl KvConfig {
    /// The namespace bound under `nom`, or an error naming the missing binding.
    pub fn depuis(env: &Env, nom: &str) -> worker::Result<KvConfig> {
        let namespace = Reflect::get(env, &JsValue::from_str(nom))?;
        if !namespace.is_object() {
            return Err(worker::Error::RustError(format!(
                "aucun espace KV n'est lié sous le nom {nom}"
            )));
        }
        Ok(KvConfig {
            namespace: namespace.unchecked_into(),
        })
    }

    /// Calls the namespace's method `methode` and waits for its promise.
    async fn appeler(&self, methode: &str, arguments: &[JsValue]) -> Result<JsValue, String> {
        let fonction: Function = Reflect::get(&self.namespace, &JsValue::from_str(methode))
            .map_err(texte)?
            .dyn_into()
            .map_err(texte)?;
        let arguments: Array = arguments.iter().collect();
        let promesse: Promise = fonction
            .apply(&self.namespace, &arguments)
            .map_err(texte)?
            .dyn_into()
            .map_err(texte)?;
        JsFuture::from(promesse).await.map_err(texte)
    }

    /// `list` with these options, its result as JSON.
    async fn lister(&self, options: &[(&str, JsValue)]) -> Result<serde_json::Value, String> {
        let objet = Object::new();
        for (cle, valeur) in options {
            Reflect::set(&objet, &JsValue::from_str(cle), valeur).map_err(texte)?;
        }
        json(&self.appeler("list", &[objet.into()]).await?)
    }
}

/// A JavaScript value as JSON (through `JSON.stringify`).
fn json(valeur: &JsValue) -> Result<serde_json::Value, String> {
    let texte: String = JSON::stringify(valeur).map_err(texte)?.into();
    serde_json::from_str(&texte).map_err(|e| e.to_string())
}

#[async_trait(?Send)]
impl ConfigStore for KvConfig {
    async fn vertical_documents(&self) -> Result<Vec<(String, String)>, String> {
        let liste = self
            .lister(&[("prefix", JsValue::from_str(VERTICAL_KEY_PREFIX))])
            .await?;
        let cles: Array = liste["keys"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|cle| cle["name"].as_str())
            .map(JsValue::from_str)
            .collect();
        if cles.length() == 0 {
            return Ok(Vec::new());
        }
        // One read for every key: `get` with a list answers a Map of key to text (or null).
        let valeurs = self
            .appeler("get", &[cles.into(), JsValue::from_str("text")])
            .await?;
        let valeurs = Object::from_entries(&valeurs).map_err(texte)?;
        let serde_json::Value::Object(valeurs) = json(&valeurs)? else {
            return Err("réponse de KV illisible".to_owned());
        };
        let mut documents: Vec<(String, String)> = valeurs
            .into_iter()
            .filter_map(|(cle, valeur)| match valeur {
                serde_json::Value::String(texte) => Some((cle, texte)),
                _ => None,
            })
            .collect();
        booking_shared::tri::trier(&mut documents);
        Ok(documents)
    }

    async fn ping(&self) -> Result<(), String> {
        self.lister(&[("limit", JsValue::from_f64(1.0))])
            .await
            .map(|_| ())
    }

    async fn ecrire_vertical(&self, slug: &str, json: &str) -> Result<(), String> {
        let arguments = [
            JsValue::from_str(&vertical_key(slug)),
            JsValue::from_str(json),
        ];
        self.appeler("put", &arguments).await.map(|_| ())
    }
}
