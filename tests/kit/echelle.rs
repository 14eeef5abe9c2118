//! The scale generator: a marketplace's worth of professionals (100,000 per vertical by
//! default) with accounts, services and weekly hours in French cities weighted by
//! population, and a million bookings (a few upcoming per professional, the rest in the
//! past, a handful of professionals with years of history) — written through the store's
//! own statements (`store::demo`, `espace_pro::remplacer_semaine`,
//! `reservations::creer`), gathered into large transactions by [`Lot`]. Used by the
//! `echelle` binary on the local D1 file and, at a small size, by the tests. Each
//! professional's next free slot is then computed as the Worker computes it
//! (`cas::prochaine_dispo::recalculer`), so that the directory's availability filter and
//! sort find them at once rather than after the scheduled job has caught up (a hundred
//! per run).

use std::cell::RefCell;

use async_trait::async_trait;
use chrono::{NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};

use booking_shared::cas::prochaine_dispo;
use booking_shared::comptes::approbation::{siret_valide, Exigence};
use booking_shared::comptes::saisies::slug_de;
use booking_shared::comptes::saisies_pro::PlageSaisie;
use booking_shared::disponibilites::{occupation_avec_tampons, Regles};
use booking_shared::reservation::StatutReservation;
use booking_shared::store::reservations::{self, NouvelleReservation, Reservation};
use booking_shared::store::{demo as lignes, espace_pro, Db, DbError, Row, Statement};
use booking_shared::types::{Centimes, JetonGestion, ProfessionnelId, ReservationId, ServiceId};
use booking_shared::vertical::VerticalConfig;

use crate::demo::{ErreurDemo, FUSEAU};

/// A city: name, postcode, region, and a weight (thousands of inhabitants, rounded).
const VILLES: &[(&str, &str, &str, u64)] = &[
    ("Paris", "75011", "Île-de-France", 2100),
    ("Marseille", "13008", "Provence-Alpes-Côte d'Azur", 870),
    ("Lyon", "69003", "Auvergne-Rhône-Alpes", 520),
    ("Toulouse", "31000", "Occitanie", 500),
    ("Nice", "06000", "Provence-Alpes-Côte d'Azur", 340),
    ("Nantes", "44000", "Pays de la Loire", 320),
    ("Montpellier", "34000", "Occitanie", 300),
    ("Strasbourg", "67000", "Grand Est", 290),
    ("Bordeaux", "33000", "Nouvelle-Aquitaine", 260),
    ("Lille", "59000", "Hauts-de-France", 235),
    ("Rennes", "35000", "Bretagne", 225),
    ("Toulon", "83000", "Provence-Alpes-Côte d'Azur", 180),
    ("Reims", "51100", "Grand Est", 180),
    ("Saint-Étienne", "42000", "Auvergne-Rhône-Alpes", 175),
    ("Le Havre", "76600", "Normandie", 165),
    ("Grenoble", "38000", "Auvergne-Rhône-Alpes", 160),
    ("Dijon", "21000", "Bourgogne-Franche-Comté", 160),
    ("Angers", "49000", "Pays de la Loire", 155),
    ("Villeurbanne", "69100", "Auvergne-Rhône-Alpes", 155),
    ("Nîmes", "30000", "Occitanie", 150),
    ("Clermont-Ferrand", "63000", "Auvergne-Rhône-Alpes", 147),
    (
        "Aix-en-Provence",
        "13100",
        "Provence-Alpes-Côte d'Azur",
        145,
    ),
    ("Le Mans", "72000", "Pays de la Loire", 145),
    ("Brest", "29200", "Bretagne", 140),
    ("Tours", "37000", "Centre-Val de Loire", 137),
    ("Amiens", "80000", "Hauts-de-France", 133),
    ("Limoges", "87000", "Nouvelle-Aquitaine", 130),
    ("Annecy", "74000", "Auvergne-Rhône-Alpes", 130),
    ("Perpignan", "66000", "Occitanie", 120),
    ("Besançon", "25000", "Bourgogne-Franche-Comté", 118),
    ("Metz", "57000", "Grand Est", 118),
    ("Orléans", "45000", "Centre-Val de Loire", 116),
    ("Rouen", "76000", "Normandie", 114),
    ("Caen", "14000", "Normandie", 108),
    ("Mulhouse", "68100", "Grand Est", 107),
    ("Nancy", "54000", "Grand Est", 104),
    ("Ajaccio", "20000", "Corse", 73),
    ("Bastia", "20200", "Corse", 48),
    ("Pau", "64000", "Nouvelle-Aquitaine", 76),
    ("La Rochelle", "17000", "Nouvelle-Aquitaine", 77),
    ("Poitiers", "86000", "Nouvelle-Aquitaine", 90),
    ("Avignon", "84000", "Provence-Alpes-Côte d'Azur", 91),
    ("Vannes", "56000", "Bretagne", 54),
    ("Chambéry", "73000", "Auvergne-Rhône-Alpes", 60),
    ("Troyes", "10000", "Grand Est", 62),
    ("Saint-Denis", "97400", "La Réunion", 153),
];

const PRENOMS: &[&str] = &[
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Sarah",
    "Julie",
    "Claire",
    "Anne",
    "Louis",
    "Hugo",
    "Lucas",
    "Jules",
    "Nathan",
    "Thomas",
    "Antoine",
    "Paul",
    "Karim",
    "Yanis",
    "Sophie",
    "Élodie",
    "Mathilde",
    "Nadia",
    "Aurélien",
    "Baptiste",
    "Cédric",
    "Damien",
    "Étienne",
    "François",
];

const NOMS: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefèvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Benali",
    "Nguyen",
    "Le Gall",
    "Rousseau",
];

const CLIENTS: &[&str] = &[
    "Alice Perrin",
    "Bruno Masson",
    "Chantal Renaud",
    "Denis Colin",
    "Eva Lemoine",
    "Fabien Roy",
    "Gaëlle Noël",
    "Henri Blanc",
    "Isabelle Faure",
    "Jérôme Guerin",
];

/// How much to write.
#[derive(Debug, Clone, Copy)]
pub struct Volume {
    pub pros_par_vertical: u64,
    pub reservations: u64,
    /// Professionals per vertical with a long history (the worst case of a profile).
    pub charges: u64,
    /// Bookings of each of those.
    pub par_charge: u64,
}

impl Volume {
    /// The marketplace of issue 14: 100,000 professionals per vertical, a million bookings.
    pub const PLEIN: Volume = Volume {
        pros_par_vertical: 100_000,
        reservations: 1_000_000,
        charges: 10,
        par_charge: 2_000,
    };
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bilan {
    pub professionnels: u64,
    pub services: u64,
    pub reservations: u64,
}

/// A [`Db`] that gathers what it is asked to run into one large transaction on the
/// database behind it, every `taille` statements (and at [`Lot::vider`]): the store's
/// own writes, at the speed of a bulk load. Reads answer nothing, so only writes go
/// through it.
pub struct Lot<'a> {
    db: &'a dyn Db,
    taille: usize,
    attente: RefCell<Vec<Statement>>,
}

impl<'a> Lot<'a> {
    pub fn new(db: &'a dyn Db, taille: usize) -> Lot<'a> {
        Lot {
            db,
            taille,
            attente: RefCell::new(Vec::new()),
        }
    }

    /// Runs what is waiting, in one transaction.
    pub async fn vider(&self) -> Result<(), DbError> {
        let lot = std::mem::take(&mut *self.attente.borrow_mut());
        if !lot.is_empty() {
            self.db.batch(lot).await?;
        }
        Ok(())
    }

    async fn ajouter(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        let nombre = statements.len();
        let plein = {
            let mut attente = self.attente.borrow_mut();
            attente.extend(statements);
            attente.len() >= self.taille
        };
        if plein {
            self.vider().await?;
        }
        Ok(vec![Vec::new(); nombre])
    }
}

#[async_trait(?Send)]
impl Db for Lot<'_> {
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError> {
        Ok(self
            .ajouter(vec![statement])
            .await?
            .pop()
            .unwrap_or_default())
    }

    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        self.ajouter(statements).await
    }
}

fn erreur(contexte: String) -> impl FnOnce(DbError) -> ErreurDemo {
    move |e| ErreurDemo(format!("{contexte} : {e}"))
}

/// A number spread over `0..n` from an index (Knuth's multiplicative hash).
fn disperse(i: u64, n: u64) -> u64 {
    i.wrapping_mul(2_654_435_761) % n.max(1)
}

/// The city of the i-th professional, drawn by population.
fn ville(i: u64) -> (&'static str, &'static str, &'static str) {
    let total: u64 = VILLES.iter().map(|v| v.3).sum();
    let mut tirage = disperse(i, total);
    for (nom, code, region, poids) in VILLES {
        if tirage < *poids {
            return (nom, code, region);
        }
        tirage -= poids;
    }
    let (nom, code, region, _) = VILLES[0];
    (nom, code, region)
}

/// A SIRET with a valid Luhn key, from an id.
fn siret(id: u64) -> String {
    let base = format!("{:013}", 3_000_000_000_000 + id);
    (0..10)
        .map(|d| format!("{base}{d}"))
        .find(|s| siret_valide(s))
        .unwrap_or(base)
}

/// Weekdays 9–12 and 14–18, and Saturday morning for one professional in three.
fn semaine(i: u64) -> Vec<PlageSaisie> {
    let plage = |jour: i64, debut: &str, fin: &str| PlageSaisie {
        jour_semaine: jour,
        heure_debut: debut.to_owned(),
        heure_fin: fin.to_owned(),
    };
    let mut plages: Vec<PlageSaisie> = (1..=5)
        .flat_map(|jour| [plage(jour, "09:00", "12:00"), plage(jour, "14:00", "18:00")])
        .collect();
    if i.is_multiple_of(3) {
        plages.push(plage(6, "09:00", "12:00"));
    }
    plages
}

/// The bookings of each professional: the loaded ones first, then the rest evenly.
fn reservations_de(volume: &Volume, rang: u64, total_pros: u64) -> u64 {
    let charges = volume.charges.min(volume.pros_par_vertical);
    let verticales = total_pros / volume.pros_par_vertical.max(1);
    let pour_charges = (charges * volume.par_charge * verticales).min(volume.reservations);
    let autres = total_pros - charges * verticales;
    if rang % volume.pros_par_vertical < charges {
        return pour_charges / (charges * verticales).max(1);
    }
    let reste = volume.reservations - pour_charges;
    reste / autres.max(1) + u64::from(rang % autres.max(1) < reste % autres.max(1))
}

/// Writes the volume for `aujourdhui` on `db` (a fresh database: the ids are fixed, from
/// 10,000,001 per vertical up), `taille` statements per transaction; calls `progres` with
/// what is written so far after each professional.
pub async fn remplir(
    db: &dyn Db,
    configs: &[VerticalConfig],
    volume: Volume,
    aujourdhui: NaiveDate,
    taille: usize,
    mut progres: impl FnMut(&Bilan),
) -> Result<Bilan, ErreurDemo> {
    let lot = Lot::new(db, taille);
    let maintenant = Utc
        .from_utc_datetime(&aujourdhui.and_time(NaiveTime::MIN))
        .checked_add_signed(TimeDelta::hours(8))
        .unwrap_or_default();
    let total_pros = volume.pros_par_vertical * configs.len() as u64;
    let mut bilan = Bilan::default();
    let mut numero = 0_u64;
    for (v, config) in (1_u64..).zip(configs) {
        let regles = Regles::from(config.regles());
        let exige = |e| config.exigences_approbation().contains(&e);
        for i in 0..volume.pros_par_vertical {
            let rang = (v - 1) * volume.pros_par_vertical + i;
            let id = v * 10_000_000 + i + 1;
            let id_sql = id as i64;
            let (prenom, nom) = (
                PRENOMS[disperse(rang, PRENOMS.len() as u64) as usize],
                NOMS[disperse(rang + 7, NOMS.len() as u64) as usize],
            );
            let (ville, code_postal, region) = ville(rang);
            let nom_complet = format!("{prenom} {nom}");
            let slug = format!("{}-{}", slug_de(&nom_complet), i + 1);
            let email = format!("pro{id}@echelle.exemple.fr");
            let cree = (maintenant - TimeDelta::days(400 + (i % 365) as i64)).timestamp();
            let defauts = config.services_par_defaut();
            let combien = defauts.len().min(2 + (i % 3) as usize);
            let services: Vec<lignes::Service> = defauts
                .iter()
                .take(combien)
                .enumerate()
                .map(|(position, s)| lignes::Service {
                    id: id_sql * 10 + position as i64 + 1,
                    professionnel_id: id_sql,
                    nom: s.nom(),
                    description: s.description().unwrap_or(""),
                    duree_minutes: i64::from(s.duree_minutes()),
                    // Prices spread by ±20 %, to the euro.
                    prix_centimes: (i64::try_from(s.prix_centimes()).unwrap_or(0)
                        * (80 + disperse(rang, 41) as i64)
                        / 100
                        / 100)
                        * 100,
                    position: position as i64,
                })
                .collect();
            let prix = services.iter().map(|s| s.prix_centimes);
            let siret = exige(Exigence::Siret).then(|| siret(id));
            let barreau = exige(Exigence::Barreau).then(|| format!("Barreau de {ville}"));
            let bio = format!(
                "{} installé à {ville} ({code_postal}), {region}. Rendez-vous en ligne, \
                 tarifs affichés, confirmation immédiate.",
                nom_complet
            );
            let professionnel = lignes::Professionnel {
                id: id_sql,
                vertical: config.slug(),
                created_at: cree,
                email: &email,
                nom_compte: &nom_complet,
                telephone: "06 12 34 56 78",
                empreinte: None,
                slug: &slug,
                nom: &nom_complet,
                bio: &bio,
                ville,
                code_postal,
                region,
                prix_min: prix.clone().min().unwrap_or(0),
                prix_max: prix.max().unwrap_or(0),
                public: true,
                fuseau: FUSEAU.name(),
                siret: siret.as_deref(),
                barreau: barreau.as_deref(),
            };
            for ligne in lignes::professionnel(&professionnel) {
                lot.query(ligne).await.map_err(erreur(email.clone()))?;
            }
            for service in &services {
                lot.query(lignes::service(service))
                    .await
                    .map_err(erreur(format!("service {}", service.id)))?;
            }
            bilan.services += services.len() as u64;
            espace_pro::remplacer_semaine(&lot, id_sql, &semaine(i))
                .await
                .map_err(erreur(format!("horaires de {slug}")))?;

            // Past bookings first, one a day at 10:00 going back; then up to two
            // upcoming ones, which keep their slot claims.
            let Some(service) = services.first() else {
                continue;
            };
            let nombre = reservations_de(&volume, rang, total_pros);
            let a_venir = nombre.min(2);
            for k in 0..nombre {
                numero += 1;
                let jours = if k < nombre - a_venir {
                    -1 - (k as i64)
                } else {
                    2 + (k - (nombre - a_venir)) as i64
                };
                let jour = aujourdhui + TimeDelta::days(jours);
                let debut = FUSEAU
                    .from_local_datetime(
                        &jour.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default()),
                    )
                    .earliest()
                    .map(|d| d.with_timezone(&Utc))
                    .unwrap_or(maintenant);
                let fin = debut + TimeDelta::minutes(service.duree_minutes);
                let statut = if jours < 0 {
                    StatutReservation::Terminee
                } else {
                    StatutReservation::Confirmee
                };
                let mut graine = [0_u8; 16];
                graine[..8].copy_from_slice(&numero.to_be_bytes());
                graine[8..].copy_from_slice(&id.to_be_bytes());
                let client = CLIENTS[disperse(numero, CLIENTS.len() as u64) as usize];
                let reservation = Reservation {
                    id: ReservationId::from_random(graine),
                    professionnel_id: ProfessionnelId::new(id_sql),
                    service_id: ServiceId::new(service.id),
                    user_id: None,
                    date_heure: debut,
                    fin,
                    statut,
                    message: String::new(),
                    client_nom: client.to_owned(),
                    client_email: format!("client{}@echelle.exemple.fr", numero % 50_000),
                    client_telephone: "06 98 76 54 32".to_owned(),
                    reponses: "{}".to_owned(),
                    prix_centimes: Centimes::new(service.prix_centimes),
                    a_payer_centimes: Centimes::new(0),
                    manage_token_hash: JetonGestion::from_random(graine).hash(),
                    expire_at: None,
                    annulee_par: None,
                    motif_annulation: None,
                    created_at: debut - TimeDelta::days(7),
                    updated_at: debut - TimeDelta::days(7),
                    membre_id: None,
                    membre_nom: None,
                    ressource_nom: None,
                };
                let nouvelle = NouvelleReservation {
                    occupation: occupation_avec_tampons(debut, fin, &regles),
                    reservation,
                    limite_journee: None,
                    source_hash: None,
                    confirmation_token_hash: None,
                    plafond_retenues: None,
                    membres: Vec::new(),
                    ressources: Vec::new(),
                };
                reservations::creer(&lot, &nouvelle, maintenant, Vec::new())
                    .await
                    .map_err(|e| ErreurDemo(format!("réservation {numero} : {e}")))?;
            }
            // The past ones hold no slot, as the Worker lets go of them.
            lot.batch(reservations::liberer_echues(
                ProfessionnelId::new(id_sql),
                maintenant,
            ))
            .await
            .map_err(erreur(format!("libération de {slug}")))?;
            bilan.professionnels += 1;
            bilan.reservations += nombre;
            progres(&bilan);
        }
    }
    lot.vider().await.map_err(erreur("dernier lot".into()))?;
    let verticals: Vec<&VerticalConfig> = configs.iter().collect();
    for v in 1..=configs.len() as u64 {
        let ids: Vec<i64> = (1..=volume.pros_par_vertical)
            .map(|i| (v * 10_000_000 + i) as i64)
            .collect();
        for paquet in ids.chunks(20) {
            prochaine_dispo::recalculer(db, &verticals, paquet, maintenant)
                .await
                .map_err(erreur("prochaines disponibilités".into()))?;
        }
    }
    Ok(bilan)
}
