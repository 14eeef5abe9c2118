//! End-to-end: the real Worker on workerd through `wrangler dev`, real local D1 and KV,
//! state prepared by the same script as `local-dev/dev`. Run by `local-dev/test` after
//! it has built the Worker once.

mod accessibilite;
mod agendas;
mod approbation;
mod comptes;
mod equipes;
mod liste_attente;
mod navigateur;
mod notifications;
mod paiements;
mod reservations;
mod sites;
