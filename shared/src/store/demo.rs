//! The rows of the demo data that are written whole, with the ids they are given (the
//! tests and the e2e kit name a service by its id, e.g. 1012): professionals' accounts,
//! profiles and services. The Worker creates these through sign-up and the professional's
//! space, which number rows themselves. Everything with a rule — hours and time off,
//! bookings and their slot claims, reviews and the averages they update — goes through
//! the Worker's own functions (`espace_pro`, `reservations`, `avis`).

use super::Statement;
use crate::comptes::Empreinte;
use crate::types::StatutApprobation;

/// A professional written whole: their account, its address vouched for by whoever loads
/// the demo, and their profile, of the same id. Its rating starts empty: recording the
/// reviews sets it.
#[derive(Debug, Clone)]
pub struct Professionnel<'a> {
    pub id: i64,
    pub vertical: &'a str,
    pub created_at: i64,
    /// The account's: who signs in, and how they are reached.
    pub email: &'a str,
    pub nom_compte: &'a str,
    pub telephone: &'a str,
    /// `None`: no password (the reset flow gives one).
    pub empreinte: Option<&'a Empreinte>,
    /// The profile's: what the directory shows.
    pub slug: &'a str,
    pub nom: &'a str,
    pub bio: &'a str,
    pub ville: &'a str,
    pub code_postal: &'a str,
    pub region: &'a str,
    pub prix_min: i64,
    pub prix_max: i64,
    pub public: bool,
    pub fuseau: &'a str,
    /// What the vertical requires before approval; every demo professional is approved.
    pub siret: Option<&'a str>,
    pub barreau: Option<&'a str>,
}

/// The account, then the profile.
pub fn professionnel(p: &Professionnel<'_>) -> [Statement; 2] {
    let compte = Statement::new(
        "INSERT INTO users (id, email, password_hash, password_algorithme, password_iterations, \
         password_sel, role, nom, telephone, type_professionnel, created_at, email_verifie_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pro', ?7, ?8, ?9, ?10, ?10)",
    )
    .bind(p.id)
    .bind(p.email)
    .bind(p.empreinte.map(|e| e.hash.clone()))
    .bind(p.empreinte.map(|e| e.algorithme.clone()))
    .bind(p.empreinte.map(|e| i64::from(e.iterations)))
    .bind(p.empreinte.map(|e| e.sel.clone()))
    .bind(p.nom_compte)
    .bind(p.telephone)
    .bind(p.vertical)
    .bind(p.created_at);
    let profil = Statement::new(format!(
        "INSERT INTO professionnels (id, user_id, vertical, slug, nom, bio, ville, region, \
         prix_min, prix_max, public, fuseau, created_at, siret, barreau, approbation, approbation_at, \
         code_postal) \
         VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, '{}', ?12, ?15)",
        StatutApprobation::Approuve
    ))
    .bind(p.id)
    .bind(p.vertical)
    .bind(p.slug)
    .bind(p.nom)
    .bind(p.bio)
    .bind(p.ville)
    .bind(p.region)
    .bind(p.prix_min)
    .bind(p.prix_max)
    .bind(p.public)
    .bind(p.fuseau)
    .bind(p.created_at)
    .bind(p.siret)
    .bind(p.barreau)
    .bind(p.code_postal);
    [compte, profil]
}

/// An active service, without a deposit of its own (the vertical's rule applies).
#[derive(Debug, Clone)]
pub struct Service<'a> {
    pub id: i64,
    pub professionnel_id: i64,
    pub nom: &'a str,
    pub description: &'a str,
    pub duree_minutes: i64,
    pub prix_centimes: i64,
    pub position: i64,
}

pub fn service(s: &Service<'_>) -> Statement {
    Statement::new(
        "INSERT INTO services (id, professionnel_id, nom, description, duree_minutes, \
         prix_centimes, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(s.id)
    .bind(s.professionnel_id)
    .bind(s.nom)
    .bind(s.description)
    .bind(s.duree_minutes)
    .bind(s.prix_centimes)
    .bind(s.position)
}

/// A member of a demo team (`genre`: `personne` or `ressource`), with the id it is
/// given; the establishment's own member, made by trigger with the profile, is renamed
/// by [`premier_membre`].
pub fn membre(id: i64, professionnel_id: i64, nom: &str, genre: &str, position: i64) -> Statement {
    Statement::new(
        "INSERT INTO membres (id, professionnel_id, nom, genre, position, created_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, created_at FROM professionnels WHERE id = ?2",
    )
    .bind(id)
    .bind(professionnel_id)
    .bind(nom)
    .bind(genre)
    .bind(position)
}

/// Names the member the establishment started with.
pub fn premier_membre(professionnel_id: i64, nom: &str) -> Statement {
    Statement::new(
        "UPDATE membres SET nom = ?2 WHERE id = \
         (SELECT min(id) FROM membres WHERE professionnel_id = ?1)",
    )
    .bind(professionnel_id)
    .bind(nom)
}

/// The member also performs the service (or, a resource, is needed by it); `places`
/// seats per session of the service.
pub fn eligible(service_id: i64, membre_id: i64) -> Statement {
    Statement::new("INSERT OR IGNORE INTO services_membres (service_id, membre_id) VALUES (?1, ?2)")
        .bind(service_id)
        .bind(membre_id)
}

/// The seats of each session of the service (a group session above 1).
pub fn places(service_id: i64, places: i64) -> Statement {
    Statement::new("UPDATE services SET places = ?2 WHERE id = ?1")
        .bind(service_id)
        .bind(places)
}

/// Removes a previous load of the demo, children first: the professionals with these ids
/// or these `vertical/slug` keys and everything attached to them (bookings made by hand
/// included), the bookings with these ids, the accounts with these ids or e-mails. Each
/// list is bound as a JSON array.
pub fn purger(
    professionnels: &[i64],
    cles: &[String],
    reservations: &[String],
    emails: &[String],
) -> Vec<Statement> {
    let pros = "SELECT id FROM professionnels WHERE id IN (SELECT value FROM json_each(?1)) \
                OR vertical || '/' || slug IN (SELECT value FROM json_each(?2))";
    let resas = format!(
        "SELECT id FROM reservations WHERE professionnel_id IN ({pros}) \
         OR id IN (SELECT value FROM json_each(?3))"
    );
    let users = "SELECT id FROM users WHERE id IN (SELECT value FROM json_each(?1)) \
                 OR email IN (SELECT value FROM json_each(?4))";
    let listes = [
        serde_json::json!(professionnels).to_string(),
        serde_json::json!(cles).to_string(),
        serde_json::json!(reservations).to_string(),
        serde_json::json!(emails).to_string(),
    ];
    // Each statement binds the lists up to the last one it names.
    [
        (format!("DELETE FROM outbox WHERE reservation_id IN ({resas}) OR user_id IN ({users})"), 4),
        (format!("DELETE FROM paiements WHERE reservation_id IN ({resas})"), 3),
        (
            format!("DELETE FROM avis WHERE reservation_id IN ({resas}) OR professionnel_id IN ({pros})"),
            3,
        ),
        (
            format!(
                "DELETE FROM occupations WHERE seance IN ({resas}) \
                 OR membre_id IN (SELECT id FROM membres WHERE professionnel_id IN ({pros}))"
            ),
            3,
        ),
        (format!("DELETE FROM reservations WHERE id IN ({resas})"), 3),
        (format!("DELETE FROM services WHERE professionnel_id IN ({pros})"), 2),
        (format!("DELETE FROM disponibilites WHERE professionnel_id IN ({pros})"), 2),
        (format!("DELETE FROM absences WHERE professionnel_id IN ({pros})"), 2),
        (format!("DELETE FROM occupations_externes WHERE professionnel_id IN ({pros})"), 2),
        (format!("DELETE FROM agendas_externes WHERE professionnel_id IN ({pros})"), 2),
        (format!("DELETE FROM professionnels WHERE id IN ({pros})"), 2),
        (format!("DELETE FROM users WHERE id IN ({users})"), 4),
    ]
    .into_iter()
    .map(|(sql, n)| {
        listes[..n]
            .iter()
            .fold(Statement::new(sql), |s, liste| s.bind(liste.as_str()))
    })
    .collect()
}
