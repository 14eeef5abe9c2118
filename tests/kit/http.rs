//! Outgoing HTTP in the in-process tests: every request is recorded, and answered from a
//! queue of prepared answers (when the queue is empty: an open session for a Checkout
//! Session creation, a plain 200 `{}` otherwise).

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};

use async_trait::async_trait;

use booking_shared::ports::{
    EchecTelechargement, Http, ReponseEntrante, RequeteSortante, Telechargement,
};

#[derive(Default)]
pub struct RecordingHttp {
    pub sent: RefCell<Vec<RequeteSortante>>,
    answers: RefCell<VecDeque<Result<ReponseEntrante, String>>>,
    /// What each address gives a download (an external calendar), until changed.
    documents: RefCell<HashMap<String, Result<Telechargement, EchecTelechargement>>>,
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

    /// From now on, a download of `url` gets this status, these headers and this body
    /// (cut at the download's limit, as `fetch` would be).
    pub fn document(&self, url: &str, status: u16, entetes: &[(&str, &str)], corps: &str) {
        self.documents.borrow_mut().insert(
            url.to_owned(),
            Ok(Telechargement {
                status,
                entetes: entetes
                    .iter()
                    .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                    .collect(),
                corps: corps.as_bytes().to_vec(),
                tronque: false,
            }),
        );
    }

    /// From now on, a download of `url` gets no answer in time.
    pub fn document_muet(&self, url: &str) {
        self.documents
            .borrow_mut()
            .insert(url.to_owned(), Err(EchecTelechargement::Delai));
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

    async fn telecharger(
        &self,
        requete: RequeteSortante,
        limite: usize,
        _delai_secondes: u32,
    ) -> Result<Telechargement, EchecTelechargement> {
        let reponse = self
            .documents
            .borrow()
            .get(&requete.url)
            .cloned()
            .unwrap_or_else(|| Err(EchecTelechargement::Reseau("hôte inconnu".into())));
        self.sent.borrow_mut().push(requete);
        reponse.map(|mut t| {
            if t.corps.len() > limite {
                t.corps.truncate(limite);
                t.tronque = true;
            }
            t
        })
    }
}
