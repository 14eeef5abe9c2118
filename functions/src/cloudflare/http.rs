//! Outgoing HTTP through the Worker's `fetch`.

use async_trait::async_trait;
use worker::{Fetch, Headers, Method, Request, RequestInit};

use booking_shared::ports::{Http, ReponseEntrante, RequeteSortante};

pub struct FetchHttp;

#[async_trait(?Send)]
impl Http for FetchHttp {
    async fn envoyer(&self, requete: RequeteSortante) -> Result<ReponseEntrante, String> {
        let headers = Headers::new();
        for (name, value) in &requete.headers {
            headers.append(name, value).map_err(|e| e.to_string())?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::from(requete.method.to_owned()))
            .with_headers(headers);
        if !requete.body.is_empty() {
            init.with_body(Some(
                worker::js_sys::Uint8Array::from(requete.body.as_slice()).into(),
            ));
        }
        let request = Request::new_with_init(&requete.url, &init).map_err(|e| e.to_string())?;
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
}
