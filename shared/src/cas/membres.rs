//! The establishment's members in the professional's space (issue 15): adding, renaming,
//! ordering, deactivating and reactivating them, and who performs each service. Like
//! every use case of the space, it starts from the signed-in professional's own profile:
//! a member or service id from the request only ever selects among their own rows.

use crate::cas::espace_pro::{self, ErreurPro};
use crate::cas::reservations::Dossier;
use crate::cas::{notifications, prochaine_dispo, Ports};
use crate::comptes::erreur_champ;
use crate::comptes::saisies::texte_court;
use crate::comptes::saisies_pro::{champ, Champs};
use crate::reservation::StatutReservation;
use crate::store::membres::{self, MembrePro, MEMBRES_MAX};
use crate::store::professionnels::Professionnel;
use crate::store::reservations::{ErreurEcriture, Reservation};
use crate::store::services;
use crate::types::Identifiant;
use crate::vertical::{ErreurChamp, VerticalConfig};

/// A group session seats at most this many clients.
pub const PLACES_MAX: i64 = 50;

fn id(texte: &str) -> Result<i64, ErreurPro> {
    espace_pro::id(texte.trim())
}

/// Every member of the establishment, inactive ones included, in its order.
pub async fn lister(ports: &Ports<'_>, pro: &Professionnel) -> Result<Vec<MembrePro>, ErreurPro> {
    Ok(membres::tous(ports.db, pro.id, ports.clock.now()).await?)
}

/// The member named by `texte` (a form field or a query parameter): `None` when empty,
/// the member when it is one of the establishment's, "not found" otherwise.
pub async fn choisi(
    ports: &Ports<'_>,
    pro: &Professionnel,
    texte: &str,
) -> Result<Option<MembrePro>, ErreurPro> {
    if texte.trim().is_empty() {
        return Ok(None);
    }
    membres::du_professionnel(ports.db, pro.id, id(texte)?, ports.clock.now())
        .await?
        .map(Some)
        .ok_or(ErreurPro::Introuvable)
}

/// The member `texte` names, which must be one of the establishment's.
pub async fn membre_choisi(
    ports: &Ports<'_>,
    pro: &Professionnel,
    texte: &str,
) -> Result<MembrePro, ErreurPro> {
    choisi(ports, pro, texte)
        .await?
        .ok_or(ErreurPro::Introuvable)
}

/// The whole number of field `nom` (`code` when refused): `defaut` when empty, else
/// within `bornes`.
fn entier(
    champs: &Champs,
    (nom, code): (&str, &'static str),
    defaut: i64,
    bornes: std::ops::RangeInclusive<i64>,
    message: &str,
) -> Result<i64, ErreurChamp> {
    match champ(champs, nom).trim() {
        "" => Ok(defaut),
        texte => texte
            .parse::<i64>()
            .ok()
            .filter(|n| bornes.contains(n))
            .ok_or_else(|| erreur_champ(nom, code, message)),
    }
}

/// The member's name and kind as typed.
fn saisie(champs: &Champs) -> Result<(String, &'static str), ErreurPro> {
    let mut erreurs = Vec::new();
    let nom = texte_court("nom", "Le nom", champ(champs, "nom"), 80)
        .map_err(|e| erreurs.push(e))
        .ok();
    let genre = match champ(champs, "genre").trim() {
        "" | "personne" => "personne",
        "ressource" => "ressource",
        _ => {
            erreurs.push(erreur_champ(
                "genre",
                "genre_invalide",
                "Choisissez « personne » ou « ressource ».",
            ));
            "personne"
        }
    };
    match nom {
        Some(nom) if erreurs.is_empty() => Ok((nom, genre)),
        _ => Err(ErreurPro::Champs(erreurs)),
    }
}

/// Adds a person or a resource, at the end of the list, able to perform nothing yet.
pub async fn ajouter(
    ports: &Ports<'_>,
    pro: &Professionnel,
    champs: &Champs,
) -> Result<i64, ErreurPro> {
    let (nom, genre) = saisie(champs)?;
    membres::ajouter(ports.db, pro.id, &nom, genre, ports.clock.now())
        .await?
        .ok_or_else(|| {
            ErreurPro::Refus(
                "membres_trop_nombreux",
                format!("Un établissement compte au plus {MEMBRES_MAX} membres."),
            )
        })
}

/// Renames a member and sets its place in the list (`position`, 0 to 999; unchanged when
/// empty). Its kind does not change: its bookings and services depend on it.
pub async fn modifier(
    ports: &Ports<'_>,
    pro: &Professionnel,
    membre: &str,
    champs: &Champs,
) -> Result<(), ErreurPro> {
    let actuel = membre_choisi(ports, pro, membre).await?;
    let mut erreurs = Vec::new();
    let nom = texte_court("nom", "Le nom", champ(champs, "nom"), 80)
        .map_err(|e| erreurs.push(e))
        .ok();
    let position = entier(
        champs,
        ("position", "position_invalide"),
        actuel.position,
        0..=999,
        "La position est un nombre entier de 0 à 999.",
    )
    .map_err(|e| erreurs.push(e))
    .ok();
    let (Some(nom), Some(position)) = (nom, position) else {
        return Err(ErreurPro::Champs(erreurs));
    };
    membres::modifier(ports.db, pro.id, actuel.id, &nom, position)
        .await?
        .then_some(())
        .ok_or(ErreurPro::Introuvable)
}

/// Deactivates (`actif` false) or reactivates a member. An inactive member keeps its past
/// bookings and gets no new one. Deactivating is refused, with the reason, while the
/// member has upcoming bookings (move them to another member or cancel them first, as
/// the agenda offers), when it is the last active person, or when it is the only person
/// able to perform an active service; the write checks the same, so a booking taken in
/// between makes it refuse too.
pub async fn activer(
    ports: &Ports<'_>,
    pro: &Professionnel,
    membre: &str,
    actif: bool,
) -> Result<(), ErreurPro> {
    let m = membre_choisi(ports, pro, membre).await?;
    if (m.actif == 1) == actif {
        return Ok(());
    }
    let maintenant = ports.clock.now();
    if !actif {
        refus_desactivation(ports, pro, &m).await?;
    }
    if !membres::activer(ports.db, pro.id, m.id, actif, maintenant).await? {
        // Something changed since the read (a booking taken): read the reason again.
        let m = membre_choisi(ports, pro, membre).await?;
        refus_desactivation(ports, pro, &m).await?;
        return Err(ErreurPro::Conflit);
    }
    if actif {
        // Someone back may free slots for the waitlist.
        espace_pro::place_liberee(ports, pro).await;
    } else {
        prochaine_dispo::apres_changement(ports, pro).await;
    }
    Ok(())
}

/// Why the member may not be deactivated now, if it may not.
async fn refus_desactivation(
    ports: &Ports<'_>,
    pro: &Professionnel,
    m: &MembrePro,
) -> Result<(), ErreurPro> {
    if m.a_venir > 0 {
        let n = m.a_venir;
        let rdv = if n == 1 {
            "1 rendez-vous à venir".to_owned()
        } else {
            format!("{n} rendez-vous à venir")
        };
        return Err(ErreurPro::Refus(
            "membre_rendez_vous_a_venir",
            format!(
                "{} a encore {rdv} : déplacez-les vers un autre membre ou annulez-les depuis l'agenda, puis désactivez-le.",
                m.nom
            ),
        ));
    }
    if m.genre == "personne" {
        let autres = membres::tous(ports.db, pro.id, ports.clock.now())
            .await?
            .iter()
            .filter(|a| a.id != m.id && a.actif == 1 && a.genre == "personne")
            .count();
        if autres == 0 {
            return Err(ErreurPro::Refus(
                "dernier_membre",
                "C'est la dernière personne active de l'établissement : ajoutez-en une autre avant de la désactiver."
                    .to_owned(),
            ));
        }
        let seuls = membres::services_sans_autre(ports.db, pro.id, m.id).await?;
        if !seuls.is_empty() {
            return Err(ErreurPro::Refus(
                "seul_pour_prestation",
                format!(
                    "{} est la seule personne à réaliser : {}. Cochez quelqu'un d'autre pour ces prestations, ou retirez-les, avant de le désactiver.",
                    m.nom,
                    seuls.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Who performs the service (every `membres` field: the checked boxes) and its seats
/// (`places`, 1 for a one-to-one appointment, up to [`PLACES_MAX`] for a group session).
/// At least one active person must perform it; resources are optional (a bay).
pub async fn definir_service(
    ports: &Ports<'_>,
    pro: &Professionnel,
    service: &str,
    champs: &Champs,
) -> Result<(), ErreurPro> {
    let service = id(service)?;
    // Another establishment's service is not found, whatever was sent.
    crate::store::services::du_professionnel(ports.db, pro.id, service, false)
        .await?
        .ok_or(ErreurPro::Introuvable)?;
    let tous = membres::tous(ports.db, pro.id, ports.clock.now()).await?;
    let mut erreurs = Vec::new();
    let mut choisis: Vec<&MembrePro> = Vec::new();
    for (_, v) in champs.iter().filter(|(k, _)| k == "membres") {
        match Identifiant::parse(v.trim()).and_then(|i| tous.iter().find(|m| m.id == i.get())) {
            Some(m) if !choisis.iter().any(|c| c.id == m.id) => choisis.push(m),
            Some(_) => {}
            None => {
                erreurs.push(erreur_champ(
                    "membres",
                    "membre_inconnu",
                    "Un des membres cochés n'existe pas dans votre établissement.",
                ));
                break;
            }
        }
    }
    if erreurs.is_empty()
        && !choisis
            .iter()
            .any(|m| m.actif == 1 && m.genre == "personne")
    {
        erreurs.push(erreur_champ(
            "membres",
            "personne_requise",
            "Cochez au moins une personne active qui réalise cette prestation.",
        ));
    }
    let places = entier(
        champs,
        ("places", "places_invalides"),
        1,
        1..=PLACES_MAX,
        &format!("Le nombre de places est un entier de 1 à {PLACES_MAX}."),
    )
    .map_err(|e| erreurs.push(e))
    .ok();
    let Some(places) = places.filter(|_| erreurs.is_empty()) else {
        return Err(ErreurPro::Champs(erreurs));
    };
    let ids: Vec<i64> = choisis.iter().map(|m| m.id).collect();
    if !membres::definir_service(ports.db, pro.id, service, &ids, places).await? {
        return Err(ErreurPro::Introuvable);
    }
    // More people, or more seats: it may fit where it did not.
    espace_pro::place_liberee(ports, pro).await;
    Ok(())
}

/// Gives one of the establishment's bookings to another member at the same time (the
/// member fell ill): an active booking not started, to an active person able to perform
/// its service — a seat of a group session takes the whole session with it (every seat,
/// under the new member). 409 when that member is busy then. `verticals` are the
/// configured verticals (the professional's own gives the e-mails).
pub async fn reassigner(
    ports: &Ports<'_>,
    verticals: &[std::rc::Rc<VerticalConfig>],
    pro: &Professionnel,
    reservation: &str,
    membre: &str,
) -> Result<Reservation, ErreurPro> {
    let mut r = espace_pro::reservation_du_pro(ports, pro, reservation).await?;
    let refus = |code, message: &str| Err(ErreurPro::Refus(code, message.to_owned()));
    let Some(nouveau) = choisi(ports, pro, membre).await? else {
        return Err(ErreurPro::Champs(vec![erreur_champ(
            "membre",
            "requis",
            "Choisissez le membre qui reprend ce rendez-vous.",
        )]));
    };
    let ancien = r.membre_id.unwrap_or_default();
    let maintenant = ports.clock.now();
    if nouveau.id == ancien {
        return Ok(r);
    }
    if !r.statut.is_active() || r.date_heure <= maintenant {
        return refus(
            "reservation_non_deplacable",
            "Seul un rendez-vous à venir et actif peut changer de membre.",
        );
    }
    if nouveau.genre != "personne" || nouveau.actif != 1 {
        return refus(
            "membre_indisponible",
            "Ce rendez-vous ne peut aller qu'à une personne active de l'établissement.",
        );
    }
    let service = services::par_id(ports.db, r.service_id.get())
        .await?
        .ok_or(ErreurPro::Introuvable)?;
    // A seat of a group session moves the whole session with it.
    let seance = service.places > 1;
    let eligibles = membres::eligibles(ports.db, pro.id).await?;
    if !eligibles
        .iter()
        .any(|e| e.service_id == r.service_id.get() && e.membre_id == nouveau.id)
    {
        return refus(
            "membre_non_habilite",
            "Ce membre ne réalise pas cette prestation : cochez-le d'abord sur la prestation.",
        );
    }
    // The bookings that change hands: this one, or every seat of its session.
    let concernees = if seance {
        let (cle, _) = membres::cles_seance(&r, ancien, nouveau.id);
        crate::store::reservations::de_seance(ports.db, &cle).await?
    } else {
        vec![r.clone()]
    };
    // A confirmed booking's client is told who now, in the same batch (a request still
    // awaiting its confirmation or payment names them in the e-mail that confirms it).
    let confirmees: Vec<Reservation> = concernees
        .into_iter()
        .filter(|c| c.statut == StatutReservation::Confirmee)
        .collect();
    let mut courriels = Vec::new();
    if !confirmees.is_empty() {
        let vertical = espace_pro::vertical_de(verticals, pro)?;
        for mut reservation in confirmees {
            reservation.membre_id = Some(nouveau.id);
            let apres = Dossier {
                reservation,
                professionnel: pro.clone(),
                service: service.clone(),
            };
            courriels.extend(notifications::membre_change(ports, &vertical, &apres));
        }
    }
    let paire = (ancien, nouveau.id);
    membres::reassigner(ports.db, &r, paire, seance, maintenant, courriels)
        .await
        .map_err(|e| match e {
            ErreurEcriture::Indisponible => ErreurPro::Refus(
                "membre_occupe",
                format!("{} est déjà occupé(e) sur ce créneau.", nouveau.nom),
            ),
            autre => ErreurPro::from(autre),
        })?;
    r.membre_id = Some(nouveau.id);
    r.updated_at = maintenant;
    // The former member is free at that time: the waitlist may take it.
    espace_pro::place_liberee(ports, pro).await;
    Ok(r)
}
