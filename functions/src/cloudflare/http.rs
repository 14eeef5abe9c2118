//! Outgoing HTTP through the Worker's `fetch`.

use async_trait::async_trait;
use worker::js_sys::{self, ArrayBuffer, Promise, Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::web_sys::{
    AbortSignal, Headers, ReadableStreamDefaultReader, RequestInit, RequestRedirect, Response,
    WorkerGlobalScope,
};

use booking_shared::ports::{
    EchecTelechargement, Http, ReponseEntrante, RequeteSortante, Telechargement,
};

use super::texte;

pub struct FetchHttp;

/// The platform's `fetch` of a request, with the web's own types: `worker::Fetch` would
/// bring a serialiser for its request options and a URL parser for nothing here.
fn envoi(
    requete: &RequeteSortante,
    redirection: RequestRedirect,
    signal: Option<&AbortSignal>,
) -> Result<Promise, String> {
    let headers = Headers::new().map_err(texte)?;
    for (name, value) in &requete.headers {
        headers.append(name, value).map_err(texte)?;
    }
    let init = RequestInit::new();
    init.set_method(requete.method);
    init.set_headers(&headers);
    init.set_redirect(redirection);
    init.set_signal(signal);
    if !requete.body.is_empty() {
        init.set_body(&Uint8Array::from(requete.body.as_slice()));
    }
    let global: WorkerGlobalScope = js_sys::global().unchecked_into();
    Ok(global.fetch_with_str_and_init(&requete.url, &init))
}

async fn reponse(envoi: Promise) -> Result<Response, String> {
    JsFuture::from(envoi)
        .await
        .map_err(texte)?
        .dyn_into()
        .map_err(texte)
}

#[async_trait(?Send)]
impl Http for FetchHttp {
    async fn envoyer(&self, requete: RequeteSortante) -> Result<ReponseEntrante, String> {
        let response = reponse(envoi(&requete, RequestRedirect::Follow, None)?).await?;
        let corps: ArrayBuffer = JsFuture::from(response.array_buffer().map_err(texte)?)
            .await
            .map_err(texte)?
            .unchecked_into();
        Ok(ReponseEntrante {
            status: response.status(),
            body: Uint8Array::new(&corps).to_vec(),
        })
    }

    async fn telecharger(
        &self,
        requete: RequeteSortante,
        limite: usize,
        delai_secondes: u32,
    ) -> Result<Telechargement, EchecTelechargement> {
        // The platform aborts the fetch, or the reading of its body, at the delay.
        let signal = AbortSignal::timeout_with_u32(delai_secondes.saturating_mul(1000));
        let echec = |cause: String| {
            if signal.aborted() {
                EchecTelechargement::Delai
            } else {
                EchecTelechargement::Reseau(cause)
            }
        };
        let envoi = envoi(&requete, RequestRedirect::Manual, Some(&signal))
            .map_err(EchecTelechargement::Reseau)?;
        let response = reponse(envoi).await.map_err(echec)?;
        let entetes = entetes(&response.headers());
        let mut corps = Vec::new();
        let mut tronque = false;
        // Read chunk by chunk, to stop past the limit. No stream: no body (304, redirect).
        if let Some(flux) = response.body() {
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
            status: response.status(),
            entetes,
            corps,
            tronque,
        })
    }
}

/// A request's or response's headers, names in lower case.
pub(super) fn entetes(headers: &Headers) -> Vec<(String, String)> {
    let mut entetes = Vec::new();
    for paire in headers.entries().into_iter().flatten() {
        let paire: js_sys::Array = paire.unchecked_into();
        if let (Some(nom), Some(valeur)) = (paire.get(0).as_string(), paire.get(1).as_string()) {
            entetes.push((nom.to_ascii_lowercase(), valeur));
        }
    }
    entetes
}
