//! The demo data, generated for a given day: for each vertical (`coach`, `avocat`,
//! `garage`) six professionals with their accounts (ids 101–106, 201–206, 301–306; the
//! last of each not published), 2 to 4 services each (ids `<pro>1`…, e.g. 1012) drawn
//! from the vertical's default services, weekly hours, dated openings, time off, five
//! upcoming bookings (J+2…J+10) with their slot claims and two past ones with a review.
//!
//! Everything is written through the Worker's own store functions, on any [`Db`]: the
//! test kit's SQLite ([`crate::TestApp::with_demo_data`]) or a [`crate::sql_script::Script`]
//! that the `demo` binary writes out for `wrangler d1 execute --file`. A booking's start
//! is the first one from the preferred time that the Worker's own slot check accepts, on
//! a 30-minute wall-clock grid; its claims, its manage token's hash (`demo-<n>` for the
//! n-th booking), the reviews and the ratings they make are the Worker's too. With a
//! password (`local-dev`), an admin account ([`ADMIN`]) is written too. The second
//! professional of each vertical has an external calendar ([`agenda_demo`]). Each vertical
//! also has a team ([`equipes`]: ids 107, 207, 307).

mod contenu;
pub mod equipes;
mod placement;
mod professionnels;
mod reponses;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;
use sha2::{Digest, Sha256};

use booking_functions::comptes::derivation::Pbkdf2;

use booking_shared::comptes::saisies::slug_de;
use booking_shared::comptes::{mot_de_passe, Empreinte};
use booking_shared::disponibilites::{occupation_avec_tampons, Occupation, Regles};
use booking_shared::reservation::StatutReservation;
use booking_shared::store::reservations::{NouvelleReservation, Reservation};
use booking_shared::store::{
    agenda, avis, demo as lignes, reservations, utilisateurs, Db, Statement,
};
use booking_shared::types::{Centimes, JetonGestion, ProfessionnelId, ReservationId, ServiceId};
use booking_shared::vertical::VerticalConfig;

use crate::sql_script::Script;
use contenu::{Pro, RendezVous, Vertical, CLIENTS, MESSAGES, VERTICALS};
use placement::{hm, instant, plus_jours, ProDemo};
use professionnels::ecrire_pro;
use reponses::reponses;

/// The demo professionals' time zone.
pub const FUSEAU: Tz = chrono_tz::Europe::Paris;
/// Where the demo's external calendars are served: the stand-in of `local-dev/dev`
/// (`local-dev/standins/agendas.py`) on the port `AGENDAS_PORT` names (8790 by
/// default; the end-to-end harness starts its own on a free port).
pub fn agenda_demo() -> String {
    let port = std::env::var("AGENDAS_PORT").unwrap_or_else(|_| "8790".into());
    format!("http://127.0.0.1:{port}/demo")
}
/// The demo professionals' password in `local-dev` (the tests' demo accounts have none).
pub const MOT_DE_PASSE: &str = "demo-pro-2026";
/// The demo's admin account in `local-dev` (with the demo password; none in the tests'
/// demo data): approves the professionals who sign up, on `/admin/approbations`.
pub const ADMIN: &str = "admin.demo@exemple.fr";
/// A fixed salt keeps the generated script the same from one run to the next.
pub const SEL: [u8; 16] = *b"booking-demo-sel";

/// Why the demo data could not be made or written.
#[derive(Debug)]
pub struct ErreurDemo(pub String);

impl std::fmt::Display for ErreurDemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ErreurDemo {}

fn erreur<E: std::fmt::Display>(contexte: &str) -> impl FnOnce(E) -> ErreurDemo + '_ {
    move |e| ErreurDemo(format!("{contexte} : {e}"))
}

/// The configurations of the demo's verticals, read from `verticals/<slug>.json` with the
/// Worker's parser: the services, rules and form fields follow them.
pub fn configurations() -> Result<Vec<VerticalConfig>, ErreurDemo> {
    VERTICALS
        .iter()
        .map(|v| {
            let chemin = crate::root().join(format!("verticals/{}.json", v.slug));
            let texte =
                std::fs::read_to_string(&chemin).map_err(erreur(&chemin.display().to_string()))?;
            VerticalConfig::parse(&texte).map_err(erreur(&chemin.display().to_string()))
        })
        .collect()
}

fn telephone(n: i64) -> String {
    let chiffres = format!("{:08}", (12_345_678 + n * 7919) % 100_000_000);
    let paires: Vec<&str> = (0..8).step_by(2).map(|i| &chiffres[i..i + 2]).collect();
    format!("06 {}", paires.join(" "))
}

/// The id of the n-th demo booking: a version 4 UUID from the SHA-256 of its seed, the
/// same on every run.
fn id_reservation(n: usize) -> ReservationId {
    let empreinte = Sha256::digest(format!("demo-reservation-{n}").as_bytes());
    let mut octets = [0_u8; 16];
    octets.copy_from_slice(&empreinte[..16]);
    ReservationId::from_random(octets)
}

fn email_pro(pro: &Pro) -> String {
    let (prenom, nom) = pro.contact;
    format!(
        "{}.{}@exemple.fr",
        slug_de(prenom).replace('-', ""),
        slug_de(nom)
    )
}

/// The demo's professionals, bookings and accounts, for removal before a new load.
fn purge() -> Vec<Statement> {
    let mut ids = Vec::new();
    let mut cles = Vec::new();
    let mut emails = Vec::new();
    let mut nombre_reservations = 0;
    for (v, vertical) in (1_i64..).zip(VERTICALS) {
        for (i, pro) in (1_i64..).zip(vertical.pros) {
            ids.push(v * 100 + i);
            cles.push(format!("{}/{}", vertical.slug, slug_de(pro.nom)));
            emails.push(email_pro(pro));
        }
        if let Some(equipe) = equipes::de(vertical.slug) {
            ids.push(v * 100 + equipes::RANG as i64 + 1);
            cles.push(format!("{}/{}", vertical.slug, slug_de(equipe.pro.nom)));
            emails.push(email_pro(&equipe.pro));
        }
        nombre_reservations += vertical.a_venir.len() + vertical.passes.len();
    }
    let reservations: Vec<String> = (1..=nombre_reservations)
        .map(|n| id_reservation(n).to_string())
        .collect();
    lignes::purger(&ids, &cles, &reservations, &emails)
}

/// Writes the demo data for `aujourdhui` (the professionals' local date) on `db`, after
/// removing any previous load of it. `empreinte`: the demo accounts' password, if any.
pub async fn charger(
    db: &dyn Db,
    aujourdhui: NaiveDate,
    configs: &[VerticalConfig],
    empreinte: Option<&Empreinte>,
) -> Result<(), ErreurDemo> {
    db.batch(purge()).await.map_err(erreur("purge"))?;
    let minuit = NaiveTime::MIN;
    let base = instant(aujourdhui, minuit)
        .ok_or_else(|| ErreurDemo(format!("minuit n'existe pas le {aujourdhui}")))?;
    if let Some(empreinte) = empreinte {
        let admin =
            utilisateurs::creer_admin(ADMIN, "Administration (démo)", empreinte, base.timestamp());
        db.query(admin).await.map_err(erreur(ADMIN))?;
    }
    // Bookings are placed as if made a month ago, so that past ones are accepted too.
    let placement = base - TimeDelta::days(31);
    let mut numero = 0_usize;
    for (v_index, vertical) in (1_i64..).zip(VERTICALS) {
        let config = configs
            .iter()
            .find(|c| c.slug() == vertical.slug)
            .ok_or_else(|| ErreurDemo(format!("configuration « {} » absente", vertical.slug)))?;
        let regles = Regles {
            preavis_minutes: 0,
            horizon_jours: 62,
            ..booking_shared::disponibilites::Regles::from(config.regles())
        };
        let mut pros = Vec::new();
        for (i, donnees) in vertical.pros.iter().enumerate() {
            let pro = ecrire_pro(
                db, vertical, config, v_index, i, donnees, aujourdhui, base, empreinte,
            )
            .await?;
            pros.push(pro);
        }
        if let Some(equipe) = equipes::de(vertical.slug) {
            equipes::ecrire_equipe(
                db, vertical, config, v_index, equipe, aujourdhui, base, empreinte,
            )
            .await?;
        }

        let a_venir = vertical.a_venir.iter().map(|r| (r, None));
        let passes = vertical.passes.iter().map(|p| (&p.rendez_vous, Some(p)));
        for (rang, (rdv, passe)) in a_venir.chain(passes).enumerate() {
            numero += 1;
            let pro = pros.get_mut(rdv.pro).ok_or_else(|| {
                ErreurDemo(format!("{} : pas de pro n° {}", vertical.slug, rdv.pro))
            })?;
            if !pro.donnees.public {
                return Err(ErreurDemo(format!(
                    "{} n'est pas publié : pas de réservation",
                    pro.donnees.nom
                )));
            }
            let reservation = reserver(
                pro,
                vertical,
                config,
                &regles,
                rdv,
                passe.is_some(),
                numero,
                rang,
                aujourdhui,
                base,
                placement,
            )?;
            let occupation =
                occupation_avec_tampons(reservation.debut(), reservation.fin(), &regles);
            reservations::creer(
                db,
                &NouvelleReservation {
                    reservation: reservation.clone(),
                    occupation,
                    limite_journee: None,
                    source_hash: None,
                    confirmation_token_hash: None,
                    plafond_retenues: None,
                    membres: Vec::new(),
                    ressources: Vec::new(),
                },
                base,
                Vec::new(),
            )
            .await
            .map_err(erreur(&format!("réservation {}", reservation.id)))?;
            match passe {
                None => pro.actives.push(Occupation {
                    debut: reservation.debut(),
                    fin: reservation.fin(),
                }),
                Some(passe) => {
                    // A past booking holds no slot: its claims go, as the Worker lets
                    // them go for any booking that no longer holds one.
                    db.batch(reservations::liberer_echues(
                        ProfessionnelId::new(pro.id),
                        base,
                    ))
                    .await
                    .map_err(erreur("libération"))?;
                    // The professional marked it done, as the agenda does: only such a
                    // booking (or a paid one) takes a review.
                    agenda::changer_statut(
                        db,
                        &reservation,
                        StatutReservation::Terminee,
                        base,
                        Vec::new(),
                    )
                    .await
                    .map_err(erreur("clôture"))?;
                    let (prenom, nom) = reservation
                        .client_nom
                        .split_once(' ')
                        .unwrap_or((reservation.client_nom.as_str(), ""));
                    let initiale: String = nom.chars().take(1).collect();
                    avis::enregistrer(
                        db,
                        &avis::NouvelAvis {
                            reservation_id: reservation.id.to_string(),
                            professionnel_id: pro.id,
                            note: passe.note,
                            commentaire: passe.commentaire.to_owned(),
                            auteur: format!("{prenom} {initiale}."),
                            created_at: reservation.fin.timestamp() + 86_400 + 3600,
                        },
                    )
                    .await
                    .map_err(erreur("avis"))?;
                }
            }
        }
    }
    Ok(())
}

/// The SQL script that `local-dev` loads (`bin/demo.rs`): the demo data for `aujourdhui`,
/// the professionals' password [`MOT_DE_PASSE`] included, after a header.
pub fn script_local_dev(aujourdhui: NaiveDate) -> Result<String, ErreurDemo> {
    let configs = configurations()?;
    let empreinte = futures::executor::block_on(mot_de_passe::hacher(&Pbkdf2, MOT_DE_PASSE, SEL))
        .map_err(erreur("hachage du mot de passe"))?;
    let script = Script::default();
    futures::executor::block_on(charger(&script, aujourdhui, &configs, Some(&empreinte)))?;
    let texte = script.texte().map_err(erreur("script"))?;
    Ok(format!(
        "-- Booking Multisite: demo data for {aujourdhui}, generated by \
         `cargo run -p booking-tests --bin demo`; do not edit by hand.\n\
         -- Demo professionals' password: {MOT_DE_PASSE}. Manage token of booking n: 'demo-n'.\n\
         {texte}"
    ))
}

/// The `numero`-th demo booking (the `rang`-th of its vertical), placed and filled in.
#[allow(clippy::too_many_arguments)]
fn reserver(
    pro: &ProDemo,
    vertical: &Vertical,
    config: &VerticalConfig,
    regles: &Regles,
    rdv: &RendezVous,
    passee: bool,
    numero: usize,
    rang: usize,
    aujourdhui: NaiveDate,
    base: DateTime<Utc>,
    placement: DateTime<Utc>,
) -> Result<Reservation, ErreurDemo> {
    let (service_id, duree, prix) = pro.services[rdv.service % pro.services.len()];
    let jours: Vec<NaiveDate> = if passee {
        (0..15)
            .map(|k| plus_jours(aujourdhui, rdv.decalage - k))
            .collect()
    } else {
        // J+decalage..J+10, then J+2.. if the end of the window is closed.
        (rdv.decalage..=10)
            .chain(2..rdv.decalage)
            .map(|k| plus_jours(aujourdhui, k))
            .collect()
    };
    let actives: &[Occupation] = if passee { &[] } else { &pro.actives };
    let duree_minutes = u32::try_from(duree).map_err(erreur("durée"))?;
    let debut = pro.placer(
        regles,
        &jours,
        hm(rdv.heure)?,
        duree_minutes,
        actives,
        placement,
    )?;
    let fin = debut + TimeDelta::minutes(duree);

    let (client_nom, local) = CLIENTS[(numero - 1) % CLIENTS.len()];
    let client_email = format!("{local}@exemple.net");
    let client_telephone = telephone(1000 + numero as i64);
    let jour = debut.with_timezone(&FUSEAU).date_naive().to_string();
    let voulues = vertical.reponses;
    if voulues.is_empty() {
        return Err(ErreurDemo(format!(
            "pas de réponses pour « {} »",
            vertical.slug
        )));
    }
    let reponses = reponses(
        config.champs(),
        voulues[rang % voulues.len()],
        rang,
        (&client_email, &client_telephone, &jour),
    )?;
    let rang_i = rang as i64;
    let cree = base - TimeDelta::days(1 + rang_i % 3) + TimeDelta::hours(10 + rang_i);
    let cree = if passee {
        cree.min(debut - TimeDelta::days(6))
    } else {
        cree
    };
    Ok(Reservation {
        id: id_reservation(numero),
        professionnel_id: ProfessionnelId::new(pro.id),
        service_id: ServiceId::new(service_id),
        user_id: None,
        date_heure: debut,
        fin,
        statut: if passee {
            StatutReservation::Terminee
        } else {
            StatutReservation::Confirmee
        },
        message: MESSAGES[rang % MESSAGES.len()].to_owned(),
        client_nom: client_nom.to_owned(),
        client_email,
        client_telephone,
        reponses,
        prix_centimes: Centimes::new(prix),
        a_payer_centimes: Centimes::ZERO,
        manage_token_hash: JetonGestion::choisi(&format!("demo-{numero}")).hash(),
        expire_at: None,
        annulee_par: None,
        motif_annulation: None,
        created_at: cree,
        updated_at: if passee {
            fin + TimeDelta::hours(1)
        } else {
            cree
        },
        membre_id: None,
        membre_nom: None,
        ressource_nom: None,
    })
}

#[cfg(test)]
mod tests;
