//! The use cases' errors as answers: each maps to the same status, stable code and French
//! message wherever it is shown (problem+json for the API, the message of a page).

use booking_shared::cas::admin::ErreurAdmin;
use booking_shared::cas::agendas::{ErreurAgenda, MAXIMUM_PAR_PRO};
use booking_shared::cas::approbation::ErreurApprobation;
use booking_shared::cas::avis::ErreurAvis;
use booking_shared::cas::comptes::{
    attente_en_mots, ErreurCompte, MESSAGE_IDENTIFIANTS, MESSAGE_LIEN, MESSAGE_TROP,
};
use booking_shared::cas::donnees::ErreurDonnees;
use booking_shared::cas::espace_pro::ErreurPro;
use booking_shared::cas::reservations::ErreurReservation;
use booking_shared::disponibilites::RefusCreneau;
use booking_shared::render::format::euros;

use crate::http::Response;
use crate::problem::Problem;

/// The problem+json answer, with `Retry-After` when time lifts the refusal.
pub fn reponse_reservation(erreur: &ErreurReservation) -> Response {
    let reponse = Problem::from(erreur).into_response();
    match erreur.reessayer_dans() {
        Some(s) => reponse.with_header("retry-after", s.to_string()),
        None => reponse,
    }
}

impl From<ErreurReservation> for Problem {
    fn from(erreur: ErreurReservation) -> Problem {
        Problem::from(&erreur)
    }
}

impl From<&ErreurReservation> for Problem {
    fn from(erreur: &ErreurReservation) -> Problem {
        match erreur {
            ErreurReservation::ProfessionnelIntrouvable => {
                Problem::new(404, "professionnel_introuvable", "Ce professionnel n'existe pas ou n'est pas en ligne.")
                    .on_field("professionnel")
            }
            ErreurReservation::ServiceIntrouvable => {
                Problem::new(404, "service_introuvable", "Cette prestation n'est pas proposée par ce professionnel.")
                    .on_field("service")
            }
            ErreurReservation::MembreIntrouvable => Problem::new(
                422,
                "membre_inconnu",
                "Ce membre de l'établissement ne réalise pas cette prestation : choisissez-en un autre, ou « peu importe ».",
            )
            .on_field("membre"),
            ErreurReservation::ReservationIntrouvable => Problem::new(
                404,
                "reservation_introuvable",
                "Réservation introuvable : vérifiez le lien reçu par e-mail.",
            ),
            ErreurReservation::DateInvalide(champ) => Problem::new(
                422,
                "date_invalide",
                "La date doit être au format ISO 8601 avec fuseau (exemple : 2026-12-01T09:30:00+01:00).",
            )
            .on_field(*champ),
            ErreurReservation::Champs(erreurs) => Problem::new(
                422,
                "champs_invalides",
                "Certains champs sont à corriger.",
            )
            .with_errors(erreurs.clone()),
            ErreurReservation::Creneau(refus) => {
                let status = match refus {
                    RefusCreneau::CreneauIndisponible | RefusCreneau::JourneeComplete => 409,
                    _ => 422,
                };
                Problem::new(status, refus.code(), refus.message()).on_field("debut")
            }
            ErreurReservation::Indisponible => Problem::new(
                409,
                "creneau_indisponible",
                "Ce créneau vient d'être réservé par quelqu'un d'autre. Choisissez-en un autre.",
            )
            .on_field("debut"),
            ErreurReservation::OccupeAilleurs => Problem::new(
                409,
                "professionnel_occupe",
                "Le professionnel n'est pas disponible à cette heure-là (son agenda est pris). Choisissez un autre créneau.",
            )
            .on_field("debut"),
            ErreurReservation::JourneeComplete => Problem::new(
                409,
                "journee_complete",
                "Ce professionnel n'accepte plus de réservation ce jour-là.",
            )
            .on_field("debut"),
            ErreurReservation::SeanceComplete => Problem::new(
                409,
                "seance_complete",
                "Plus de place dans cette séance. Choisissez un autre créneau.",
            )
            .on_field("debut"),
            ErreurReservation::Transition(refus) => Problem::new(409, refus.code(), refus.message()),
            ErreurReservation::Conflit => Problem::new(
                409,
                "conflit_concurrent",
                "La réservation a été modifiée entre-temps. Rechargez la page et réessayez.",
            ),
            ErreurReservation::PaiementIndisponible => Problem::new(
                503,
                "paiement_indisponible",
                "Le service de paiement est momentanément indisponible. Votre créneau n'a pas été réservé : réessayez dans quelques instants.",
            ),
            ErreurReservation::PaiementRefuse => Problem::new(
                502,
                "paiement_impossible",
                "Le paiement en ligne n'a pas pu être ouvert. Votre créneau n'a pas été réservé : réessayez ou contactez-nous.",
            ),
            ErreurReservation::TropDeReservations(_) => Problem::new(
                429,
                "trop_de_reservations",
                "Trop de réservations en peu de temps depuis cette connexion ou pour cette adresse e-mail. Réessayez plus tard.",
            ),
            ErreurReservation::ProfessionnelTropSollicite(_) => Problem::new(
                429,
                "professionnel_trop_sollicite",
                "Ce professionnel reçoit trop de demandes de réservation non confirmées en ce moment. Réessayez plus tard, ou connectez-vous avec un compte dont l'adresse e-mail est vérifiée.",
            ),
            ErreurReservation::TropDeDemandesEnAttente(_) => Problem::new(
                429,
                "trop_de_demandes_en_attente",
                "Vous avez déjà plusieurs réservations en attente chez ce professionnel (à confirmer depuis l'e-mail reçu, ou à payer) : finalisez-les avant d'en faire d'autres.",
            ),
            ErreurReservation::ConfirmationInvalide => Problem::new(
                404,
                "lien_confirmation_invalide",
                "Lien de confirmation invalide : vérifiez le lien reçu par e-mail.",
            ),
            ErreurReservation::ConfirmationExpiree => Problem::new(
                410,
                "confirmation_expiree",
                "Cette demande a expiré : elle n'a pas été confirmée à temps et le créneau a été libéré. Vous pouvez faire une nouvelle réservation.",
            ),
            ErreurReservation::ListeAttenteFermee => Problem::new(
                404,
                "liste_attente_fermee",
                "Ce site ne propose pas de liste d'attente.",
            ),
            ErreurReservation::FenetreInvalide { champ, message } => {
                Problem::new(422, "periode_invalide", *message).on_field(*champ)
            }
            ErreurReservation::CreneauxLibres => Problem::new(
                409,
                "creneaux_libres",
                "Des créneaux sont libres sur cette période : réservez-en un directement plutôt que de vous inscrire sur la liste d'attente.",
            ),
            ErreurReservation::TropDInscriptions => Problem::new(
                429,
                "trop_d_inscriptions",
                "Cette adresse e-mail est déjà inscrite plusieurs fois sur la liste d'attente de ce professionnel : quittez une inscription avant d'en faire une autre.",
            ),
            ErreurReservation::InscriptionIntrouvable => Problem::new(
                404,
                "inscription_introuvable",
                "Inscription introuvable : vérifiez le lien reçu par e-mail.",
            ),
            ErreurReservation::InscriptionClose => Problem::new(
                410,
                "inscription_close",
                "Cette inscription n'est plus sur la liste d'attente (créneau déjà réservé, liste quittée ou période terminée).",
            ),
            ErreurReservation::OffreExpiree => Problem::new(
                410,
                "offre_expiree",
                "Cette proposition a expiré : le créneau n'a pas été réservé à temps et a été proposé à la personne suivante.",
            ),
            ErreurReservation::OffreRetiree => Problem::new(
                409,
                "offre_retiree",
                "Ce créneau ne peut plus être réservé : le professionnel ou la prestation n'est plus proposé à la réservation.",
            ),
            ErreurReservation::Interne(detail) => Problem::internal(detail),
        }
    }
}

impl From<ErreurPro> for Problem {
    fn from(erreur: ErreurPro) -> Problem {
        Problem::from(&erreur)
    }
}

impl From<&ErreurPro> for Problem {
    fn from(erreur: &ErreurPro) -> Problem {
        match erreur {
            ErreurPro::SansProfil => Problem::new(
                403,
                "profil_professionnel_absent",
                "Ce compte n'a pas de profil professionnel.",
            ),
            ErreurPro::Introuvable => Problem::not_found(),
            ErreurPro::Champs(e) => {
                Problem::new(422, "champs_invalides", "Certains champs sont à corriger.")
                    .with_errors(e.clone())
            }
            ErreurPro::Transition(t) => Problem::new(409, t.code(), t.message()),
            ErreurPro::Conflit => Problem::new(
                409,
                "conflit_concurrent",
                "La réservation a été modifiée entre-temps. Rechargez la page et réessayez.",
            ),
            ErreurPro::ActionInconnue => Problem::new(
                404,
                "action_inconnue",
                "Action inconnue : terminer, absent, annuler ou refuser.",
            ),
            ErreurPro::Refus(code, message) => Problem::new(409, code, message.clone()),
            ErreurPro::Interne(d) => Problem::internal(d),
        }
    }
}

impl From<ErreurAgenda> for Problem {
    fn from(erreur: ErreurAgenda) -> Problem {
        Problem::from(&erreur)
    }
}

impl From<&ErreurAgenda> for Problem {
    fn from(erreur: &ErreurAgenda) -> Problem {
        match erreur {
            ErreurAgenda::Adresse(refus) => {
                Problem::new(422, "adresse_agenda_refusee", refus.message()).on_field("url")
            }
            ErreurAgenda::Plafond => Problem::new(
                409,
                "agendas_plafond",
                format!(
                    "Vous avez déjà {MAXIMUM_PAR_PRO} agendas externes : retirez-en un pour en ajouter un autre."
                ),
            ),
            ErreurAgenda::Doublon => Problem::new(
                409,
                "agenda_existant",
                "Cet agenda est déjà ajouté.",
            )
            .on_field("url"),
            ErreurAgenda::Introuvable => Problem::new(
                404,
                "agenda_introuvable",
                "Cet agenda n'existe pas ou ne vous appartient pas.",
            ),
            ErreurAgenda::TropTot => Problem::new(
                429,
                "synchronisation_recente",
                "Cet agenda vient d'être lu : réessayez dans une minute.",
            ),
            ErreurAgenda::AjoutTropTot(_) => Problem::new(
                429,
                "ajout_agenda_recent",
                "Vous venez d'ajouter un agenda : réessayez dans une minute.",
            ),
            ErreurAgenda::ActionInconnue => Problem::new(
                404,
                "action_inconnue",
                "Action inconnue : synchroniser ou supprimer.",
            ),
            ErreurAgenda::Interne(d) => Problem::internal(d),
        }
    }
}

impl From<ErreurCompte> for Problem {
    fn from(erreur: ErreurCompte) -> Problem {
        Problem::from(&erreur)
    }
}

impl From<&ErreurCompte> for Problem {
    fn from(erreur: &ErreurCompte) -> Problem {
        match erreur {
            ErreurCompte::Champs(e) => {
                Problem::new(422, "champs_invalides", "Certains champs sont à corriger.")
                    .with_errors(e.clone())
            }
            ErreurCompte::Identifiants => {
                Problem::new(401, "identifiants_invalides", MESSAGE_IDENTIFIANTS)
            }
            ErreurCompte::TropDeTentatives(s) => Problem::new(
                429,
                "trop_de_tentatives",
                format!("{MESSAGE_TROP} : réessayez dans {}.", attente_en_mots(*s)),
            ),
            ErreurCompte::LienInvalide => Problem::new(400, "lien_invalide", MESSAGE_LIEN),
            ErreurCompte::Interne(d) => Problem::internal(d),
        }
    }
}

impl From<ErreurAdmin> for Problem {
    fn from(erreur: ErreurAdmin) -> Problem {
        Problem::from(&erreur)
    }
}

impl From<&ErreurAdmin> for Problem {
    fn from(erreur: &ErreurAdmin) -> Problem {
        match erreur {
            ErreurAdmin::Introuvable => Problem::not_found(),
            ErreurAdmin::DocumentInvalide(raison) => Problem::new(
                422,
                "configuration_invalide",
                format!("Document refusé : {raison}"),
            )
            .on_field("document"),
            ErreurAdmin::Interne(d) => Problem::internal(d),
        }
    }
}

impl From<ErreurApprobation> for Problem {
    fn from(erreur: ErreurApprobation) -> Problem {
        Problem::from(&erreur)
    }
}

impl From<&ErreurApprobation> for Problem {
    fn from(erreur: &ErreurApprobation) -> Problem {
        match erreur {
            ErreurApprobation::Introuvable => Problem::not_found(),
            ErreurApprobation::Champs(e) => {
                Problem::new(422, "champs_invalides", "Certains champs sont à corriger.")
                    .with_errors(e.clone())
            }
            ErreurApprobation::Exigences(manquants) => Problem::new(
                422,
                "exigences_non_remplies",
                format!(
                    "Approbation impossible : ce que le métier exige manque ou est invalide. {}",
                    manquants.join(" ")
                ),
            ),
            ErreurApprobation::Impossible(raison) => {
                Problem::new(409, "decision_impossible", *raison)
            }
            ErreurApprobation::Conflit => Problem::new(
                409,
                "conflit_concurrent",
                "Ce professionnel a été modifié entre-temps. Rechargez la page et réessayez.",
            ),
            ErreurApprobation::Interne(d) => Problem::internal(d),
        }
    }
}

impl From<ErreurAvis> for Problem {
    fn from(erreur: ErreurAvis) -> Problem {
        Problem::from(&erreur)
    }
}

impl From<&ErreurAvis> for Problem {
    fn from(erreur: &ErreurAvis) -> Problem {
        match erreur {
            ErreurAvis::Introuvable => Problem::new(
                404,
                "avis_introuvable",
                "Cet avis n'existe pas ou ne vous concerne pas.",
            ),
            ErreurAvis::Motif(message) => {
                Problem::new(422, "motif_invalide", *message).on_field("motif")
            }
            ErreurAvis::DejaSignale => Problem::new(
                409,
                "avis_deja_signale",
                "Cet avis a déjà été signalé ou examiné par la modération : il ne peut plus être signalé.",
            ),
            ErreurAvis::PasSignale => Problem::new(
                409,
                "avis_sans_signalement",
                "Cet avis n'attend pas de décision : il n'a pas été signalé, ou la décision a déjà été prise.",
            ),
            ErreurAvis::DecisionInconnue => Problem::new(
                404,
                "decision_inconnue",
                "Décision inconnue : « maintenir » ou « retirer ».",
            ),
            ErreurAvis::Interne(d) => Problem::internal(d),
        }
    }
}

impl From<ErreurDonnees> for Problem {
    fn from(erreur: ErreurDonnees) -> Problem {
        Problem::from(&erreur)
    }
}

impl From<&ErreurDonnees> for Problem {
    fn from(erreur: &ErreurDonnees) -> Problem {
        match erreur {
            ErreurDonnees::MotDePasse => Problem::new(
                422,
                "mot_de_passe_incorrect",
                "Le mot de passe est incorrect : rien n'a été supprimé.",
            )
            .on_field("mot_de_passe"),
            // The sign-in throttles' own answer.
            ErreurDonnees::TropDeTentatives(s) => {
                Problem::from(ErreurCompte::TropDeTentatives(*s))
            }
            ErreurDonnees::CompteNonSupprimable => Problem::new(
                409,
                "compte_non_supprimable",
                "Un compte professionnel ou administrateur ne se supprime pas ici : il porte une fiche, des réservations et les données d'autres personnes. Écrivez à contact@booking-multisite.fr pour le fermer.",
            ),
            ErreurDonnees::RemboursementPerdu(montant) => Problem::new(
                409,
                "remboursement_perdu",
                format!(
                    "Un rendez-vous à venir a été payé et n'est plus remboursable selon les conditions d'annulation : l'annuler maintenant vous ferait perdre {}. Rien n'a été supprimé. Pour effacer vos données quand même, confirmez que vous renoncez à ce remboursement (renoncer_remboursement).",
                    euros(montant.get())
                ),
            )
            .on_field("renoncer_remboursement"),
            ErreurDonnees::DejaEfface => Problem::new(
                409,
                "deja_efface",
                "Ces données ont déjà été effacées.",
            ),
            ErreurDonnees::Reservation(e) => Problem::from(e),
            ErreurDonnees::Interne(d) => Problem::internal(d),
        }
    }
}
