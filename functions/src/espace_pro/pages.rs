//! The professional's space as pages. Each form POST answers with a redirect to its page
//! (with a confirmation), or shows the page again with the errors next to the fields.

use askama::Template;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use booking_shared::cas::agendas::ErreurAgenda;
use booking_shared::cas::avis::{self as avis_cas, ErreurAvis};
use booking_shared::cas::espace_pro::{self as operations, ErreurPro};
use booking_shared::cas::membres as cas_membres;
use booking_shared::comptes::approbation::{self, Exigence};
use booking_shared::comptes::saisies_pro::JOURS;
use booking_shared::comptes::vues::{
    AgendaPage, AvisLigne, AvisProPage, CalendrierPage, ChoixMembre, EntetePro, Formulaire,
    HorairesPage, LigneSimple, ProfilPage, RendezVous, ServiceVue, ServicesPage,
};
use booking_shared::comptes::Role;
use booking_shared::dates;
use booking_shared::disponibilites;
use booking_shared::notifications::Pour;
use booking_shared::render::{format, Site};
use booking_shared::reservation::StatutReservation;
use booking_shared::store::membres::{self, MembrePro};
use booking_shared::store::professionnels::Professionnel;
use booking_shared::store::{agenda, avis, espace_pro, planning};
use booking_shared::types::{Identifiant, StatutApprobation};

use crate::app::Ctx;
use crate::comptes::pages::{prive, refus_page, site, vers};
use crate::comptes::{exiger_page, Connecte};
use crate::csrf;
use crate::http::{Request, Response};
use crate::pages::erreurs::{self, rendered};
use crate::problem::Problem;

/// A request of the space from its signed-in professional, and what its pages show of it.
pub(super) struct Contexte<'a> {
    pub(super) ctx: &'a Ctx<'a>,
    pub(super) req: &'a Request,
    pub(super) site: Site,
    pub(super) pro: Professionnel,
    pub(super) csrf: csrf::Csrf,
    email_a_confirmer: bool,
    /// What the professional's vertical requires before approval.
    exigences: Vec<Exigence>,
}

pub(super) async fn entrer<'a>(
    ctx: &'a Ctx<'a>,
    req: &'a Request,
) -> Result<(Contexte<'a>, Connecte), Response> {
    let site = site(ctx, req).await?;
    let connecte = match exiger_page(ctx, req, &[Role::Pro]).await {
        Ok(c) => c,
        Err(refus) => return Err(refus_page(ctx, req, refus).await),
    };
    let pro = match operations::profil(&ctx.ports(), connecte.id()).await {
        Ok(p) => p,
        Err(e) => return Err(erreur_page(Some(&site), e).await),
    };
    let csrf = csrf::preparer(ctx, req);
    let email_a_confirmer = !connecte.utilisateur.email_verifie();
    let exigences = ctx
        .toutes_verticals()
        .await
        .iter()
        .find(|v| v.slug() == pro.vertical)
        .map(|v| v.exigences_approbation().to_vec())
        .unwrap_or_default();
    Ok((
        Contexte {
            ctx,
            req,
            site,
            pro,
            csrf,
            email_a_confirmer,
            exigences,
        },
        connecte,
    ))
}

pub(super) async fn erreur_page(site: Option<&Site>, e: ErreurPro) -> Response {
    match e {
        ErreurPro::Interne(d) => erreurs::interne(site, d).await,
        ErreurPro::Introuvable | ErreurPro::ActionInconnue => prive(erreurs::page(
            site,
            404,
            "Introuvable",
            "Cet élément n'existe pas ou ne vous appartient pas.",
        )),
        autre => {
            let p = Problem::from(&autre);
            prive(erreurs::page(
                site,
                p.status,
                "Action impossible",
                &p.message,
            ))
        }
    }
}

pub(super) fn entete(c: &Contexte<'_>, actif: &'static str) -> EntetePro {
    EntetePro {
        nom: c.pro.nom.clone(),
        slug: c.pro.slug.clone(),
        public: c.pro.public == 1,
        approbation: approbation::libelle(c.pro.approbation).to_owned(),
        approuve: c.pro.approbation == StatutApprobation::Approuve,
        motif: c.pro.approbation_motif.clone(),
        csrf: c.csrf.jeton.clone(),
        info: c
            .req
            .query_param("ok")
            .is_some()
            .then(|| "Modifications enregistrées.".to_owned()),
        actif,
        email_a_confirmer: c.email_a_confirmer,
    }
}

pub(super) fn sortie(c: &Contexte, html: askama::Result<String>, status: u16) -> Response {
    prive(c.csrf.sur(rendered(html, Some(&c.site), status)))
}

pub(super) fn valeurs_profil(pro: &Professionnel) -> Vec<(String, String)> {
    vec![
        ("bio".into(), pro.bio.clone()),
        ("ville".into(), pro.ville.clone()),
        ("region".into(), pro.region.clone()),
        (
            "code_postal".into(),
            pro.code_postal.clone().unwrap_or_default(),
        ),
        (
            "photo_url".into(),
            pro.photo_url.clone().unwrap_or_default(),
        ),
        (
            "prix_min".into(),
            format::euros_saisis(pro.prix_min.map(i64::from)),
        ),
        (
            "prix_max".into(),
            format::euros_saisis(pro.prix_max.map(i64::from)),
        ),
        (
            "public".into(),
            if pro.public == 1 {
                "1".into()
            } else {
                String::new()
            },
        ),
        ("siret".into(), pro.siret.clone().unwrap_or_default()),
        ("barreau".into(), pro.barreau.clone().unwrap_or_default()),
    ]
}

fn page_profil(c: &Contexte<'_>, form: Option<Formulaire>, status: u16) -> Response {
    let form = form.unwrap_or_else(|| Formulaire::avec(&c.csrf.jeton, valeurs_profil(&c.pro)));
    let page = ProfilPage {
        site: &c.site,
        pro: entete(c, "profil"),
        form,
        exigences: c
            .exigences
            .iter()
            .map(|e| (e.champ(), e.libelle()))
            .collect(),
    };
    sortie(c, page.render(), status)
}

/// The services page, with the form of `modifie` (a service's fields) or the refusal of
/// `equipe` (who performs a service) sent back.
async fn page_services(
    c: &Contexte<'_>,
    nouveau: Option<Formulaire>,
    modifie: Option<(i64, Formulaire)>,
    equipe: Option<(i64, String)>,
    status: u16,
) -> Response {
    let (db, id) = (c.ctx.db, c.pro.id);
    let lus = async {
        Ok::<_, booking_shared::store::DbError>((
            espace_pro::services(db, id).await?,
            membres::tous(db, id, c.ctx.clock.now()).await?,
            membres::eligibles(db, id).await?,
            membres::places(db, id).await?,
        ))
    };
    let (liste, membres, eligibles, places) = match lus.await {
        Ok(l) => l,
        Err(e) => return erreurs::interne(Some(&c.site), e).await,
    };
    // How many wait for each service (read-only).
    let en_attente = match booking_shared::store::liste_attente::compte_par_service(
        c.ctx.db,
        c.pro.id,
        c.ctx.clock.now(),
    )
    .await
    {
        Ok(l) => l,
        Err(e) => return erreurs::interne(Some(&c.site), e).await,
    };
    let services = liste
        .into_iter()
        .map(|s| {
            let form = match &modifie {
                Some((id, f)) if *id == s.id => f.clone(),
                _ => Formulaire::avec(
                    &c.csrf.jeton,
                    vec![
                        ("nom".into(), s.nom.clone()),
                        ("description".into(), s.description.clone()),
                        ("duree_minutes".into(), s.duree_minutes.to_string()),
                        ("prix".into(), format::euros_saisis(Some(s.prix_centimes))),
                        ("acompte".into(), format::euros_saisis(s.acompte_centimes)),
                    ],
                ),
            };
            ServiceVue {
                id: s.id,
                actif: s.actif == 1,
                en_attente: en_attente
                    .iter()
                    .find(|n| n.service_id == s.id)
                    .map_or(0, |n| n.en_attente),
                form,
                membres: choix(&membres, |m| {
                    eligibles
                        .iter()
                        .any(|e| e.service_id == s.id && e.membre_id == m.id)
                }),
                places: places
                    .iter()
                    .find(|p| p.id == s.id)
                    .map_or(1, |p| p.places)
                    .to_string(),
                equipe_erreur: equipe
                    .as_ref()
                    .filter(|(id, _)| *id == s.id)
                    .map(|(_, m)| m.clone()),
            }
        })
        .collect();
    let page = ServicesPage {
        site: &c.site,
        pro: entete(c, "services"),
        services,
        nouveau: nouveau.unwrap_or_else(|| Formulaire::vide(&c.csrf.jeton)),
    };
    sortie(c, page.render(), status)
}

fn heure_locale(instant: Option<DateTime<Utc>>, tz: Tz) -> String {
    instant
        .map(|d| format::date_et_heure(&d.with_timezone(&tz)))
        .unwrap_or_default()
}

#[derive(Default)]
struct FormsHoraires {
    semaine: Option<Formulaire>,
    ouverture: Option<Formulaire>,
    absence: Option<Formulaire>,
}

/// The members as a list to choose from, those `choisi` says checked.
pub(super) fn choix(
    membres: &[MembrePro],
    choisi: impl Fn(&MembrePro) -> bool,
) -> Vec<ChoixMembre> {
    membres
        .iter()
        .map(|m| ChoixMembre {
            id: m.id,
            nom: if m.actif == 1 {
                m.nom.clone()
            } else {
                format!("{} (inactif)", m.nom)
            },
            choisi: choisi(m),
        })
        .collect()
}

/// The establishment's members and the one `texte` names (`?membre=` or the form's
/// field), the first one when it names none; another establishment's is "not found".
async fn membres_et_choisi(
    c: &Contexte<'_>,
    texte: &str,
) -> Result<(Vec<MembrePro>, Option<i64>), ErreurPro> {
    let ports = c.ctx.ports();
    let choisi = cas_membres::choisi(&ports, &c.pro, texte)
        .await?
        .map(|m| m.id);
    Ok((cas_membres::lister(&ports, &c.pro).await?, choisi))
}

async fn page_horaires(
    c: &Contexte<'_>,
    membre: &str,
    forms: FormsHoraires,
    status: u16,
) -> Response {
    let (membres, choisi) = match membres_et_choisi(c, membre).await {
        Ok(m) => m,
        Err(e) => return erreur_page(Some(&c.site), e).await,
    };
    let Some(membre) = choisi.or_else(|| membres.first().map(|m| m.id)) else {
        return erreurs::interne(Some(&c.site), "établissement sans membre").await;
    };
    let (dispos, absences) = match (
        espace_pro::disponibilites(c.ctx.db, c.pro.id, membre).await,
        espace_pro::absences(c.ctx.db, c.pro.id, Some(membre)).await,
    ) {
        (Ok(d), Ok(a)) => (d, a),
        (Err(e), _) | (_, Err(e)) => return erreurs::interne(Some(&c.site), e).await,
    };
    let tz = planning::fuseau(&c.pro.fuseau);
    let mut semaine_valeurs = Vec::new();
    for (i, jour) in JOURS.iter().enumerate() {
        let plages: Vec<String> = dispos
            .iter()
            .filter(|d| d.recurrence == "hebdomadaire" && d.jour_semaine == Some(i as i64 + 1))
            .map(|d| format!("{}-{}", d.heure_debut, d.heure_fin))
            .collect();
        semaine_valeurs.push((jour.to_string(), plages.join(", ")));
    }
    let ouvertures = dispos
        .iter()
        .filter(|d| d.recurrence == "date")
        .map(|d| LigneSimple {
            id: d.id,
            texte: format!(
                "{} de {} à {}",
                d.date.clone().unwrap_or_default(),
                d.heure_debut,
                d.heure_fin
            ),
        })
        .collect();
    let absences = absences
        .into_iter()
        .map(|a| {
            let quand = if a.type_absence == "jours" {
                format!(
                    "du {} au {}",
                    a.du.unwrap_or_default(),
                    a.au.unwrap_or_default()
                )
            } else {
                format!(
                    "du {} au {}",
                    heure_locale(a.debut, tz),
                    heure_locale(a.fin, tz)
                )
            };
            let motif = if a.motif.is_empty() {
                String::new()
            } else {
                format!(" — {}", a.motif)
            };
            let pour = if a.membre_id.is_none() && membres.len() > 1 {
                " (tout l'établissement)"
            } else {
                ""
            };
            LigneSimple {
                id: a.id,
                texte: format!("{quand}{pour}{motif}"),
            }
        })
        .collect();
    let page = HorairesPage {
        site: &c.site,
        pro: entete(c, "horaires"),
        membres: choix(&membres, |m| m.id == membre),
        membre,
        semaine: forms
            .semaine
            .unwrap_or_else(|| Formulaire::avec(&c.csrf.jeton, semaine_valeurs)),
        ouvertures,
        ouverture: forms
            .ouverture
            .unwrap_or_else(|| Formulaire::vide(&c.csrf.jeton)),
        absences,
        absence: forms
            .absence
            .unwrap_or_else(|| Formulaire::vide(&c.csrf.jeton)),
    };
    sortie(c, page.render(), status)
}

/// The agenda's period: a day or the week (Monday first) around `?jour=`, in local time.
pub fn periode(
    tz: Tz,
    jour: Option<&str>,
    semaine: bool,
    maintenant: DateTime<Utc>,
) -> (NaiveDate, NaiveDate) {
    let aujourdhui = maintenant.with_timezone(&tz).date_naive();
    let jour = jour.and_then(dates::lire_date).unwrap_or(aujourdhui);
    if semaine {
        let lundi = jour - Duration::days(i64::from(jour.weekday().num_days_from_monday()));
        (lundi, lundi + Duration::days(7))
    } else {
        (jour, jour + Duration::days(1))
    }
}

/// The instant a local day of the agenda starts (midnight, or just after a DST gap).
pub fn debut_du_jour(tz: Tz, jour: NaiveDate) -> DateTime<Utc> {
    disponibilites::debut_du_jour(tz, jour).unwrap_or_default()
}

async fn page_agenda(c: &Contexte<'_>, erreur: Option<String>, status: u16) -> Response {
    let tz = planning::fuseau(&c.pro.fuseau);
    let semaine = c.req.query_param("vue").as_deref() != Some("jour");
    let jour = c.req.query_param("jour");
    let (de, a) = periode(tz, jour.as_deref(), semaine, c.ctx.clock.now());
    // `?membre=`: one member's bookings; none, the whole establishment's.
    let filtre = c.req.query_param("membre").unwrap_or_default();
    let (membres, membre) = match membres_et_choisi(c, &filtre).await {
        Ok(m) => m,
        Err(e) => return erreur_page(Some(&c.site), e).await,
    };
    let lignes = match agenda::reservations(
        c.ctx.db,
        c.pro.id,
        membre,
        debut_du_jour(tz, de),
        debut_du_jour(tz, a),
    )
    .await
    {
        Ok(l) => l,
        Err(e) => return erreurs::interne(Some(&c.site), e).await,
    };
    let maintenant = c.ctx.clock.now();
    let rendez_vous = lignes
        .into_iter()
        .map(|l| {
            let debut = l.date_heure.with_timezone(&tz);
            let fin = l.fin.with_timezone(&tz);
            RendezVous {
                id: l.id,
                jour: format::date_longue(&debut),
                heures: format!("{} – {}", format::heure(&debut), format::heure(&fin)),
                service: l.service,
                client: l.client_nom,
                contact: [l.client_email, l.client_telephone]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(", "),
                message: l.message,
                statut_libelle: format::statut_libelle(l.statut, Pour::Professionnel).to_owned(),
                // Closed by the scheduled job: the professional may still say whether
                // it took place (which decides whether it may be reviewed).
                peut_terminer: (l.statut == StatutReservation::Confirmee
                    && maintenant >= l.date_heure)
                    || (l.statut == StatutReservation::Terminee
                        && l.terminee_par.as_deref() == Some("systeme")),
                peut_annuler: (l.statut == StatutReservation::Confirmee && maintenant < l.fin)
                    || (l.statut.is_retenue() && maintenant < l.date_heure),
                en_attente: l.statut.is_retenue(),
                peut_reassigner: l.statut.is_active() && maintenant < l.date_heure,
                statut: l.statut,
                motif: l.motif_annulation,
                membre: l.membre,
                membre_id: l.membre_id,
            }
        })
        .collect();
    let pas = if semaine { 7 } else { 1 };
    let vue = if semaine { "semaine" } else { "jour" };
    let suffixe = membre.map(|m| format!("&membre={m}")).unwrap_or_default();
    let lien = |d: NaiveDate, v: &str| format!("/pro/agenda?jour={d}&vue={v}{suffixe}");
    let titre = if semaine {
        format!("semaine du {}", format::date_longue(&de))
    } else {
        format::date_longue(&de)
    };
    let page = AgendaPage {
        site: &c.site,
        pro: entete(c, "agenda"),
        titre,
        semaine,
        precedent: lien(de - Duration::days(pas), vue),
        suivant: lien(de + Duration::days(pas), vue),
        autre_vue: lien(de, if semaine { "jour" } else { "semaine" }),
        rendez_vous,
        erreur,
        membres: choix(&membres, |m| Some(m.id) == membre),
        personnes: choix(
            &membres
                .iter()
                .filter(|m| m.actif == 1 && m.genre == "personne")
                .cloned()
                .collect::<Vec<_>>(),
            |_| false,
        ),
    };
    sortie(c, page.render(), status)
}

async fn page_calendrier(c: &Contexte<'_>, url: Option<String>) -> Response {
    let actif = match espace_pro::a_un_calendrier(c.ctx.db, c.pro.id).await {
        Ok(a) => a,
        Err(e) => return erreurs::interne(Some(&c.site), e).await,
    };
    // With a new address, each member's own feed (the same secret).
    let membres = match &url {
        Some(url) => match cas_membres::lister(&c.ctx.ports(), &c.pro).await {
            Ok(l) => l
                .iter()
                .map(|m| (m.nom.clone(), format!("{url}?membre={}", m.id)))
                .collect(),
            Err(e) => return erreur_page(Some(&c.site), e).await,
        },
        None => Vec::new(),
    };
    let page = CalendrierPage {
        site: &c.site,
        pro: entete(c, "calendrier"),
        actif,
        url,
        membres,
    };
    sortie(c, page.render(), 200)
}

/// The pages of the space (`GET /pro…`).
#[derive(Debug, Clone, Copy)]
pub enum Vue {
    Profil,
    Services,
    /// `?membre=`: whose hours (the first member's without one).
    Horaires,
    /// `?jour=`, `?vue=jour|semaine`, `?membre=`.
    Agenda,
    Calendrier,
    /// The professional's reviews, to report one.
    Avis,
    Agendas,
    Membres,
}

/// `GET` of a page of the space: the guard, then the page for the signed-in professional.
pub async fn afficher(ctx: &Ctx<'_>, req: &Request, vue: Vue) -> Response {
    let c = match entrer(ctx, req).await {
        Ok((c, _)) => c,
        Err(r) => return r,
    };
    let c = &c;
    match vue {
        Vue::Profil => page_profil(c, None, 200),
        Vue::Services => page_services(c, None, None, None, 200).await,
        Vue::Horaires => {
            let membre = req.query_param("membre").unwrap_or_default();
            page_horaires(c, &membre, FormsHoraires::default(), 200).await
        }
        Vue::Agenda => page_agenda(c, None, 200).await,
        Vue::Calendrier => page_calendrier(c, None).await,
        Vue::Avis => page_avis(c, None, 200).await,
        Vue::Agendas => super::agendas::page(c, Default::default(), 200).await,
        Vue::Membres => super::membres::page(c, Default::default(), 200).await,
    }
}

/// A form POST of the space whose guard and CSRF check passed.
pub(super) struct Envoi<'a> {
    pub(super) c: Contexte<'a>,
    pub(super) champs: Vec<(String, String)>,
}

/// Where a refused form is shown again: the form with its errors, on its page, or the
/// agenda's message for the forms that are a button; the members' and the calendars'
/// forms, and their refusals, on their own pages.
pub(super) enum Reprise {
    Profil,
    NouveauService,
    Service(i64),
    /// Who performs a service, and its seats.
    Equipe(i64),
    Semaine,
    Ouverture,
    Absence,
    Agenda,
    /// The members' page: a member's form (`Some`) or the new member's (`None`).
    Membre(Option<i64>),
    /// The external calendars' page: the address typed for an addition, none for an
    /// action on one.
    Agendas(Option<String>),
}

/// What a refused form of the space shows.
pub(super) enum Refus {
    /// The form again, its errors next to the fields (422).
    Champs(Vec<booking_shared::vertical::ErreurChamp>),
    /// The page again, the reason above its list (at the problem's status).
    Message(Problem),
    /// An error page: not found, or ours.
    Erreur(ErreurPro),
}

impl From<ErreurPro> for Refus {
    fn from(e: ErreurPro) -> Refus {
        match e {
            ErreurPro::Champs(e) => Refus::Champs(e),
            e @ (ErreurPro::Transition(_) | ErreurPro::Conflit | ErreurPro::Refus(..)) => {
                Refus::Message(Problem::from(&e))
            }
            e => Refus::Erreur(e),
        }
    }
}

/// A calendar's refusal is shown on its page, whatever it is; our failure is the error
/// page.
impl From<ErreurAgenda> for Refus {
    fn from(e: ErreurAgenda) -> Refus {
        match e {
            ErreurAgenda::Interne(d) => Refus::Erreur(ErreurPro::Interne(d)),
            e => Refus::Message(Problem::from(&e)),
        }
    }
}

/// The guard and the CSRF check of every form POST of the space.
pub(super) async fn recevoir<'a>(
    ctx: &'a Ctx<'a>,
    req: &'a Request,
) -> Result<Envoi<'a>, Response> {
    let (c, _) = entrer(ctx, req).await?;
    let champs = req.form();
    if !csrf::verifier(ctx, req, &champs) {
        return Err(prive(erreurs::page(
            Some(&c.site),
            403,
            "Page expirée",
            "La page a expiré. Rechargez-la et envoyez le formulaire à nouveau.",
        )));
    }
    Ok(Envoi { c, champs })
}

impl Envoi<'_> {
    pub(super) fn champ(&self, nom: &str) -> &str {
        self.champs
            .iter()
            .find(|(k, _)| k == nom)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Back to the hours page of the member the form named.
    fn retour_horaires(&self) -> String {
        match Identifiant::parse(self.champ("membre").trim()) {
            Some(m) => format!("/pro/horaires?membre={}&ok=1", m.get()),
            None => "/pro/horaires?ok=1".to_owned(),
        }
    }

    /// The form as sent (without its CSRF token), with its errors.
    pub(super) fn formulaire(
        &self,
        erreurs: Vec<booking_shared::vertical::ErreurChamp>,
    ) -> Formulaire {
        let mut f = Formulaire::avec(
            &self.c.csrf.jeton,
            self.champs
                .iter()
                .filter(|(k, _)| k != "csrf")
                .cloned()
                .collect(),
        );
        f.erreurs = erreurs;
        f
    }

    /// The answer to a form: a redirect to `fait`'s address when it succeeded, the form
    /// again with its errors next to the fields, or the reason it was refused (above the
    /// members' or the calendars' list for theirs, in the agenda for the others).
    pub(super) async fn conclure(self, fait: Result<String, Refus>, reprise: Reprise) -> Response {
        let c = &self.c;
        let refus = match fait {
            Ok(url) => return prive(vers(&url)),
            Err(refus) => refus,
        };
        let membre = self.champ("membre");
        let horaires = |forms| page_horaires(c, membre, forms, 422);
        match (reprise, refus) {
            (_, Refus::Erreur(e)) => erreur_page(Some(&c.site), e).await,
            (Reprise::Membre(_), Refus::Message(p)) => {
                let etat = super::membres::Etat {
                    message: Some(p.message),
                    ..Default::default()
                };
                super::membres::page(c, etat, p.status).await
            }
            (Reprise::Membre(membre), Refus::Champs(e)) => {
                let f = self.formulaire(e);
                let etat = match membre {
                    Some(id) => super::membres::Etat {
                        modifie: Some((id, f)),
                        ..Default::default()
                    },
                    None => super::membres::Etat {
                        nouveau: Some(f),
                        ..Default::default()
                    },
                };
                super::membres::page(c, etat, 422).await
            }
            (Reprise::Agendas(saisie), Refus::Message(p)) => {
                let etat = super::agendas::Etat::refus(saisie, p.message);
                super::agendas::page(c, etat, p.status).await
            }
            (Reprise::Agendas(saisie), Refus::Champs(e)) => {
                let etat = super::agendas::Etat::refus(saisie, premier(&e));
                super::agendas::page(c, etat, 422).await
            }
            (_, Refus::Message(p)) => page_agenda(c, Some(p.message), p.status).await,
            (Reprise::Profil, Refus::Champs(e)) => page_profil(c, Some(self.formulaire(e)), 422),
            (Reprise::NouveauService, Refus::Champs(e)) => {
                page_services(c, Some(self.formulaire(e)), None, None, 422).await
            }
            (Reprise::Service(sid), Refus::Champs(e)) => {
                let modifie = Some((sid, self.formulaire(e)));
                page_services(c, None, modifie, None, 422).await
            }
            (Reprise::Equipe(sid), Refus::Champs(e)) => {
                page_services(c, None, None, Some((sid, premier(&e))), 422).await
            }
            (Reprise::Semaine, Refus::Champs(e)) => {
                horaires(FormsHoraires {
                    semaine: Some(self.formulaire(e)),
                    ..Default::default()
                })
                .await
            }
            (Reprise::Ouverture, Refus::Champs(e)) => {
                horaires(FormsHoraires {
                    ouverture: Some(self.formulaire(e)),
                    ..Default::default()
                })
                .await
            }
            (Reprise::Absence, Refus::Champs(e)) => {
                horaires(FormsHoraires {
                    absence: Some(self.formulaire(e)),
                    ..Default::default()
                })
                .await
            }
            (Reprise::Agenda, Refus::Champs(e)) => page_agenda(c, Some(premier(&e)), 422).await,
        }
    }
}

/// The first field error's message, for a form that shows one message (a button).
fn premier(erreurs: &[booking_shared::vertical::ErreurChamp]) -> String {
    erreurs
        .first()
        .map(|x| x.message.clone())
        .unwrap_or_default()
}

/// A use case's outcome as a form's: where to go when done, or what to show again.
pub(super) fn fait_vers<T, E: Into<Refus>>(fait: Result<T, E>, url: &str) -> Result<String, Refus> {
    fait.map(|_| url.to_owned()).map_err(Into::into)
}

/// `POST /pro/profil`.
pub async fn modifier_profil(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let fait = operations::modifier_profil(&ctx.ports(), &e.c.pro, &e.champs).await;
    Ok(e.conclure(fait_vers(fait, "/pro?ok=1"), Reprise::Profil)
        .await)
}

/// `POST /pro/services`.
pub async fn ajouter_service(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let fait = operations::ajouter_service(&ctx.ports(), &e.c.pro, &e.champs).await;
    let fait = fait_vers(fait, "/pro/services?ok=1");
    Ok(e.conclure(fait, Reprise::NouveauService).await)
}

/// `POST /pro/services/{id}`.
pub async fn modifier_service(
    ctx: &Ctx<'_>,
    req: &Request,
    id: &str,
) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let fait = operations::modifier_service(&ctx.ports(), &e.c.pro, id, &e.champs).await;
    let sid = Identifiant::parse(id).map_or(0, Identifiant::get);
    let fait = fait_vers(fait, "/pro/services?ok=1");
    Ok(e.conclure(fait, Reprise::Service(sid)).await)
}

/// `POST /pro/services/{id}/retirer`.
pub async fn retirer_service(ctx: &Ctx<'_>, req: &Request, id: &str) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let fait = operations::retirer_service(&ctx.ports(), &e.c.pro, id).await;
    let fait = fait_vers(fait, "/pro/services?ok=1");
    Ok(e.conclure(fait, Reprise::Agenda).await)
}

/// `POST /pro/services/{id}/membres`: who performs the service (the checked members), and
/// its seats per session.
pub async fn equipe_service(ctx: &Ctx<'_>, req: &Request, id: &str) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let fait = cas_membres::definir_service(&ctx.ports(), &e.c.pro, id, &e.champs).await;
    let sid = Identifiant::parse(id).map_or(0, Identifiant::get);
    let fait = fait_vers(fait, "/pro/services?ok=1");
    Ok(e.conclure(fait, Reprise::Equipe(sid)).await)
}

/// `POST /pro/horaires`: the whole week at once.
pub async fn modifier_semaine(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let fait = operations::remplacer_semaine(&ctx.ports(), &e.c.pro, &e.champs).await;
    let fait = fait_vers(fait, &e.retour_horaires());
    Ok(e.conclure(fait, Reprise::Semaine).await)
}

/// `POST /pro/ouvertures`.
pub async fn ajouter_ouverture(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let fait = operations::ajouter_ouverture(&ctx.ports(), &e.c.pro, &e.champs).await;
    let fait = fait_vers(fait, &e.retour_horaires());
    Ok(e.conclure(fait, Reprise::Ouverture).await)
}

/// `POST /pro/ouvertures/{id}/supprimer`.
pub async fn supprimer_ouverture(
    ctx: &Ctx<'_>,
    req: &Request,
    id: &str,
) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let fait = operations::supprimer_ouverture(&ctx.ports(), &e.c.pro, id).await;
    let fait = fait_vers(fait, &e.retour_horaires());
    Ok(e.conclure(fait, Reprise::Agenda).await)
}

/// `POST /pro/absences`.
pub async fn ajouter_absence(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let fait = operations::ajouter_absence(&ctx.ports(), &e.c.pro, &e.champs).await;
    let fait = fait_vers(fait, &e.retour_horaires());
    Ok(e.conclure(fait, Reprise::Absence).await)
}

/// `POST /pro/absences/{id}/supprimer`.
pub async fn supprimer_absence(
    ctx: &Ctx<'_>,
    req: &Request,
    id: &str,
) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let fait = operations::supprimer_absence(&ctx.ports(), &e.c.pro, id).await;
    let fait = fait_vers(fait, &e.retour_horaires());
    Ok(e.conclure(fait, Reprise::Agenda).await)
}

/// An action on one of the space's rows (`POST /pro/<liste>/{id}/{action}`, page or API):
/// which list, which row, what.
#[derive(Debug, Clone, Copy)]
pub struct Acte<'a> {
    pub liste: Liste,
    pub id: &'a str,
    pub action: &'a str,
}

/// The lists of the space whose rows take actions.
#[derive(Debug, Clone, Copy)]
pub enum Liste {
    /// A booking, from the agenda: back to its day.
    Reservations,
    /// An external calendar: read now, or remove.
    Agendas,
    /// A member: rename and place, deactivate, reactivate.
    Membres,
}

/// `POST /pro/{reservations,agendas,membres}/{id}/{action}`: one of the professional's
/// own rows acted on, then back to its list.
pub async fn agir(ctx: &Ctx<'_>, req: &Request, acte: Acte<'_>) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let Acte { liste, id, action } = acte;
    let (fait, reprise) = match liste {
        Liste::Reservations => (agir_reservation(&e, id, action).await, Reprise::Agenda),
        Liste::Agendas => {
            let fait = super::agendas::agir_sur(ctx, &e.c.pro, id, action).await;
            (
                fait_vers(fait, super::agendas::RETOUR),
                Reprise::Agendas(None),
            )
        }
        Liste::Membres => {
            let fait = super::membres::agir_sur(ctx, &e.c.pro, id, action, &e.champs).await;
            let membre = Identifiant::parse(id).map_or(0, Identifiant::get);
            (
                fait_vers(fait, super::membres::RETOUR),
                Reprise::Membre(Some(membre)),
            )
        }
    };
    Ok(e.conclure(fait, reprise).await)
}

/// An action on a booking of the agenda; the address of its day there.
async fn agir_reservation(e: &Envoi<'_>, id: &str, action: &str) -> Result<String, Refus> {
    let pro = &e.c.pro;
    let r = if action == "reassigner" {
        {
            let verticals = e.c.ctx.toutes_verticals().await;
            cas_membres::reassigner(&e.c.ctx.ports(), &verticals, pro, id, e.champ("membre"))
                .await?
        }
    } else {
        operations::agir(
            &e.c.ctx.ports(),
            &e.c.ctx.toutes_verticals().await,
            pro,
            id,
            action,
            e.champ("motif"),
        )
        .await?
        .dossier
        .reservation
    };
    let jour = r
        .date_heure
        .with_timezone(&planning::fuseau(&pro.fuseau))
        .date_naive();
    Ok(format!("/pro/agenda?jour={jour}&ok=1"))
}

/// `POST /pro/calendrier`: a new secret address for the calendar feed, shown once.
pub async fn nouveau_calendrier(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let c = &e.c;
    let secret = crate::comptes::nouveau_secret(ctx);
    let hash = crate::comptes::hash_secret(&secret);
    Ok(
        match espace_pro::definir_calendrier(ctx.db, c.pro.id, Some(&hash)).await {
            Ok(()) => {
                let url = c.site.url(&format!("/ical/{secret}.ics"));
                page_calendrier(c, Some(url)).await
            }
            Err(err) => erreurs::interne(Some(&c.site), err).await,
        },
    )
}

/// `POST /pro/calendrier/revoquer`.
pub async fn revoquer_calendrier(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let fait = espace_pro::definir_calendrier(ctx.db, e.c.pro.id, None)
        .await
        .map_err(ErreurPro::from);
    let fait = fait_vers(fait, "/pro/calendrier?ok=1");
    Ok(e.conclure(fait, Reprise::Agenda).await)
}

/// The reviews page, with the report form of `reprise` (the review's id, the reason typed
/// and the refusal) sent back.
async fn page_avis(
    c: &Contexte<'_>,
    reprise: Option<(i64, String, String)>,
    status: u16,
) -> Response {
    let liste = match avis::du_professionnel(c.ctx.db, c.pro.id).await {
        Ok(l) => l,
        Err(e) => return erreurs::interne(Some(&c.site), e).await,
    };
    let tz = planning::fuseau(&c.pro.fuseau);
    let page = AvisProPage {
        site: &c.site,
        pro: entete(c, "avis"),
        avis: liste
            .iter()
            .map(|a| {
                let mut ligne = AvisLigne::new(a, tz, "", "");
                if let Some((_, saisie, erreur)) = reprise.as_ref().filter(|r| r.0 == a.id) {
                    (ligne.saisie, ligne.erreur) = (saisie.clone(), Some(erreur.clone()));
                }
                ligne
            })
            .collect(),
    };
    sortie(c, page.render(), status)
}

/// `POST /pro/avis/{id}/signaler`: reports one of the professional's own reviews, with a
/// reason, for the admin to decide on.
pub async fn signaler_avis(ctx: &Ctx<'_>, req: &Request, id: &str) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let motif = e.champ("motif").to_owned();
    Ok(
        match avis_cas::signaler(&ctx.ports(), e.c.pro.id, id, &motif).await {
            Ok(()) => prive(vers("/pro/avis?ok=1")),
            Err(err @ (ErreurAvis::Motif(_) | ErreurAvis::DejaSignale)) => {
                let p = Problem::from(&err);
                let aid = Identifiant::parse(id).map_or(0, Identifiant::get);
                page_avis(&e.c, Some((aid, motif, p.message)), p.status).await
            }
            Err(ErreurAvis::Interne(d)) => erreurs::interne(Some(&e.c.site), d).await,
            Err(err) => {
                let p = Problem::from(&err);
                prive(erreurs::page(
                    Some(&e.c.site),
                    p.status,
                    "Introuvable",
                    &p.message,
                ))
            }
        },
    )
}
