//! The demo's teams: one establishment per vertical with several members, written after
//! the vertical's six professionals (ids 107, 207, 307) through the store functions of
//! the professional's space. The coach runs a group session of eight seats; the law firm
//! has four lawyers; the garage three mechanics and three bays, its first service needing
//! one of each.

use chrono::{DateTime, NaiveDate, Utc};

use booking_shared::comptes::Empreinte;
use booking_shared::store::{demo as lignes, espace_pro, Db};
use booking_shared::vertical::VerticalConfig;

use super::contenu::{Pro, Vertical};
use super::professionnels::{ecrire_pro, semaine};
use super::{erreur, ErreurDemo};

/// A team: its establishment, its people (the first is the establishment's own member,
/// renamed) and resources, and its group session if any (name, minutes, price, seats).
pub struct Equipe {
    pub vertical: &'static str,
    pub pro: Pro,
    pub personnes: &'static [&'static str],
    pub ressources: &'static [&'static str],
    pub seance: Option<(&'static str, i64, i64, i64)>,
}

/// The rank of the teams among their vertical's professionals: their ids end in 7.
pub const RANG: usize = 6;

const SEMAINE: &[(u32, &str, &str)] = &[
    (1, "08:00", "12:00"),
    (1, "13:30", "18:00"),
    (2, "08:00", "12:00"),
    (2, "13:30", "18:00"),
    (3, "08:00", "12:00"),
    (3, "13:30", "18:00"),
    (4, "08:00", "12:00"),
    (4, "13:30", "18:00"),
    (5, "08:00", "12:00"),
    (5, "13:30", "18:00"),
    (6, "09:00", "12:00"),
];

pub const EQUIPES: &[Equipe] = &[
    Equipe {
        vertical: "coach",
        pro: Pro {
            nom: "Studio Élan Collectif",
            contact: ("Nadia", "Chevalier"),
            ville: "Rouen",
            code_postal: "76000",
            region: "Normandie",
            public: true,
            bio: "Studio de remise en forme : séances individuelles et cours collectifs de renforcement musculaire en petit groupe de huit, encadrés par une éducatrice sportive diplômée d'État.",
            horaires: SEMAINE,
        },
        personnes: &["Nadia Chevalier"],
        ressources: &[],
        seance: Some(("Cours collectif de renforcement", 60, 1500, 8)),
    },
    Equipe {
        vertical: "avocat",
        pro: Pro {
            nom: "Cabinet Vasseur et Associés",
            contact: ("Hélène", "Vasseur"),
            ville: "Tours",
            code_postal: "37000",
            region: "Centre-Val de Loire",
            public: true,
            bio: "Cabinet de quatre avocats associés au barreau de Tours : droit de la famille, droit du travail, droit des affaires et droit immobilier. Prenez rendez-vous avec l'associé de votre choix ou le premier disponible.",
            horaires: SEMAINE,
        },
        personnes: &["Maître Hélène Vasseur", "Maître Paul Durand", "Maître Sarah Benamar", "Maître Louis Caron"],
        ressources: &[],
        seance: None,
    },
    Equipe {
        vertical: "garage",
        pro: Pro {
            nom: "Garage des Trois Ponts",
            contact: ("Bruno", "Carpentier"),
            ville: "Caen",
            code_postal: "14000",
            region: "Normandie",
            public: true,
            bio: "Atelier toutes marques avec trois mécaniciens et trois ponts élévateurs : entretien, vidange, freinage et pneumatiques, souvent le jour même.",
            horaires: SEMAINE,
        },
        personnes: &["Bruno Carpentier", "Yanis Ferreira", "Julie Marchal"],
        ressources: &["Pont 1", "Pont 2", "Pont 3"],
        seance: None,
    },
];

/// The team of the vertical `slug`, if it has one.
pub fn de(slug: &str) -> Option<&'static Equipe> {
    EQUIPES.iter().find(|e| e.vertical == slug)
}

/// The id given to the `position`-th added member of the establishment `pro`: far above
/// the ids the database numbers itself, so that neither takes the other's.
pub fn id_membre(pro: i64, position: i64) -> i64 {
    1_000_000 + pro * 10 + position
}

/// Writes the vertical's team: establishment, members with the establishment's hours,
/// who performs each service, and the group session.
#[allow(clippy::too_many_arguments)]
pub(super) async fn ecrire_equipe(
    db: &dyn Db,
    vertical: &Vertical,
    config: &VerticalConfig,
    v_index: i64,
    equipe: &'static Equipe,
    aujourdhui: NaiveDate,
    base: DateTime<Utc>,
    empreinte: Option<&Empreinte>,
) -> Result<(), ErreurDemo> {
    let pro = ecrire_pro(
        db,
        vertical,
        config,
        v_index,
        RANG,
        &equipe.pro,
        aujourdhui,
        base,
        empreinte,
    )
    .await?;
    let id = pro.id;
    let (premier, autres) = equipe
        .personnes
        .split_first()
        .ok_or_else(|| ErreurDemo(format!("{} : personne", equipe.pro.nom)))?;
    db.query(lignes::premier_membre(id, premier))
        .await
        .map_err(erreur("membre"))?;
    let semaine = semaine(equipe.pro.horaires);
    let nouveaux = autres
        .iter()
        .map(|n| (n, "personne"))
        .chain(equipe.ressources.iter().map(|n| (n, "ressource")));
    let mut ajoutes = Vec::new();
    for (position, (nom, genre)) in (1_i64..).zip(nouveaux) {
        let membre = id_membre(id, position);
        db.query(lignes::membre(membre, id, nom, genre, position))
            .await
            .map_err(erreur(nom))?;
        espace_pro::remplacer_semaine_membre(db, id, Some(membre), &semaine)
            .await
            .map_err(erreur("horaires du membre"))?;
        ajoutes.push((membre, genre));
    }
    // The first member performs every service already (it was there when they were
    // written); every person does too, and the garage's first service needs a bay.
    for (rang, (service, _, _)) in pro.services.iter().enumerate() {
        for (membre, genre) in &ajoutes {
            if *genre == "personne" || rang == 0 {
                db.query(lignes::eligible(*service, *membre))
                    .await
                    .map_err(erreur("service"))?;
            }
        }
    }
    if let Some((nom, duree_minutes, prix_centimes, places)) = equipe.seance {
        // Written after the members: every person performs it.
        let service = id * 10 + 9;
        db.batch(vec![
            lignes::service(&lignes::Service {
                id: service,
                professionnel_id: id,
                nom,
                description: "En petit groupe, chacun à son rythme.",
                duree_minutes,
                prix_centimes,
                position: 9,
            }),
            lignes::places(service, places),
        ])
        .await
        .map_err(erreur(nom))?;
    }
    Ok(())
}
