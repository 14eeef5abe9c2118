//! Outgoing HTTP through the Worker's `fetch`.

use async_trait::async_trait;
use worker::js_sys::{Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::web_sys::ReadableStreamDefaultReader;
use worker::{
    AbortSignal, Fetch, Headers, Method, Request, RequestInit, RequestRedirect, ResponseBody,
};

use booking_shared::ports::{
    EchecTelechargement, Http, ReponseEntrante, RequeteSortante, Telechargement,
};

pub struct FetchHttp;

fn requete(requete: &RequeteSortante, redirection: RequestRedirect) -> Result<Request, String> {
    let headers = Headers::new();
    for (name, value) in &requete.headers {
        headers.append(name, value).map_err(|e| e.to_string())?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::from(requete.method.to_owned()))
        .with_headers(headers)
        .with_redirect(redirection);
    if !requete.body.is_empty() {
        init.with_body(Some(
            worker::js_sys::Uint8Array::from(requete.body.as_slice()).into(),
        ));
    }
    Request::new_with_init(&requete.url, &init).map_err(|e| e.to_string())
}

#[async_trait(?Send)]
impl Http for FetchHttp {
    async fn envoyer(&self, requete: RequeteSortante) -> Result<ReponseEntrante, String> {
        let request = self::requete(&requete, RequestRedirect::Follow)?;
        let mut response = Fetch::Request(request)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        Ok(ReponseEntrante {
            status: response.status_code(),
            body,
        })
    }

    async fn telecharger(
        &self,
        requete: RequeteSortante,
        limite: usize,
        delai_secondes: u32,
    ) -> Result<Telechargement, EchecTelechargement> {
        let request = self::requete(&requete, RequestRedirect::Manual)
            .map_err(EchecTelechargement::Reseau)?;
        // The platform aborts the fetch, or the reading of its body, at the delay.
        let signal = AbortSignal::from(worker::web_sys::AbortSignal::timeout_with_u32(
            delai_secondes.saturating_mul(1000),
        ));
        let echec = |cause: String| {
            if signal.aborted() {
                EchecTelechargement::Delai
            } else {
                EchecTelechargement::Reseau(cause)
            }
        };
        let response = Fetch::Request(request)
            .send_with_signal(&signal)
            .await
            .map_err(|e| echec(e.to_string()))?;
        let entetes = response
            .headers()
            .entries()
            .map(|(n, v)| (n.to_ascii_lowercase(), v))
            .collect();
        let mut corps = Vec::new();
        let mut tronque = false;
        // Read chunk by chunk, to stop past the limit. No stream: no body (304, redirect).
        if let ResponseBody::Stream(flux) = response.body() {
            let lecteur: ReadableStreamDefaultReader = flux.get_reader().unchecked_into();
            loop {
                let lu = JsFuture::from(lecteur.read())
                    .await
                    .map_err(|e| echec(format!("{e:?}")))?;
                let champ = |nom: &str| Reflect::get(&lu, &JsValue::from_str(nom));
                if champ("done").map_or(true, |fini| fini.is_truthy()) {
                    break;
                }
                let morceau = Uint8Array::new(&champ("value").unwrap_or(JsValue::UNDEFINED));
                let debut = corps.len();
                let taille = usize::try_from(morceau.length()).unwrap_or(usize::MAX);
                if taille > limite.saturating_sub(debut) {
                    tronque = true;
                    let _ = lecteur.cancel();
                    break;
                }
                corps.resize(debut + taille, 0);
                morceau.copy_to(&mut corps[debut..]);
            }
        }
        Ok(Telechargement {
            status: response.status_code(),
            entetes,
            corps,
            tronque,
        })
    }
}
