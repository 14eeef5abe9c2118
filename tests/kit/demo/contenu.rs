//! What the demo shows, in French: for each vertical, six professionals (the last one not
//! published yet) with their hours and time off, upcoming bookings and past ones with a
//! review. [`super`] places them around a given day and writes them.

/// A professional: the name shown, the account's contact (first name, last name), where,
/// what, and the weekly hours as (ISO weekday, start, end), sorted.
pub struct Pro {
    pub nom: &'static str,
    pub contact: (&'static str, &'static str),
    pub ville: &'static str,
    pub code_postal: &'static str,
    pub region: &'static str,
    pub public: bool,
    pub bio: &'static str,
    pub horaires: &'static [(u32, &'static str, &'static str)],
}

/// An extra opening on the first such weekday from J+3.
pub struct Ouverture {
    pub pro: usize,
    pub jour_iso: u32,
    pub debut: &'static str,
    pub fin: &'static str,
}

/// Whole days off, from the first working day from J+`de`, for `a - de + 1` days.
pub struct AbsenceJours {
    pub pro: usize,
    pub de: i64,
    pub a: i64,
    pub motif: &'static str,
}

/// A few hours off on the first day from J+`decalage` whose hours meet them.
pub struct AbsencePeriode {
    pub pro: usize,
    pub decalage: i64,
    pub debut: &'static str,
    pub fin: &'static str,
    pub motif: &'static str,
}

/// A booking: the first free start from `heure` on J+`decalage` (then on the next days).
pub struct RendezVous {
    pub pro: usize,
    pub decalage: i64,
    pub heure: &'static str,
    /// Index in the professional's services (modulo their number).
    pub service: usize,
}

/// A past booking, done, with its review.
pub struct Passe {
    pub rendez_vous: RendezVous,
    pub note: u8,
    pub commentaire: &'static str,
}

/// An answer to one of the booking form's extra fields.
pub enum Reponse {
    Texte(&'static str),
    Nombre(i64),
}

impl Reponse {
    pub fn texte(&self) -> Option<&'static str> {
        match self {
            Reponse::Texte(t) => Some(t),
            Reponse::Nombre(_) => None,
        }
    }

    pub fn nombre(&self) -> Option<i64> {
        match self {
            Reponse::Nombre(n) => Some(*n),
            Reponse::Texte(_) => None,
        }
    }
}

pub struct Vertical {
    pub slug: &'static str,
    pub pros: &'static [Pro],
    pub ouvertures: &'static [Ouverture],
    pub absences_jours: &'static [AbsenceJours],
    pub absences_periodes: &'static [AbsencePeriode],
    pub a_venir: &'static [RendezVous],
    pub passes: &'static [Passe],
    /// Answers to the form's extra fields, used in turn.
    pub reponses: &'static [&'static [(&'static str, Reponse)]],
}

const PROS_COACH: &[Pro] = &[
    Pro {
        nom: "Claire Fontaine",
        contact: ("Claire", "Fontaine"),
        ville: "Lyon",
        code_postal: "69003",
        region: "Auvergne-Rhône-Alpes",
        public: true,
        bio: "Coach professionnelle certifiée, j'accompagne les cadres et les indépendants dans leurs transitions de carrière. Bilan, clarification des priorités et plan d'action concret : on avance séance après séance.",
        horaires: &[(1, "09:00", "12:00"), (1, "14:00", "18:00"), (2, "09:00", "12:00"), (2, "14:00", "18:00"), (2, "18:30", "21:00"), (3, "09:00", "12:00"), (3, "14:00", "18:00"), (4, "09:00", "12:00"), (4, "14:00", "18:00"), (4, "18:30", "21:00"), (5, "09:00", "12:00"), (5, "14:00", "18:00"), (6, "09:00", "12:00")],
    },
    Pro {
        nom: "Julien Morel",
        contact: ("Julien", "Morel"),
        ville: "Bordeaux",
        code_postal: "33000",
        region: "Nouvelle-Aquitaine",
        public: true,
        bio: "Coach sportif diplômé d'État (BPJEPS), spécialisé en remise en forme et en préparation à la course à pied, du 10 km au trail. Séances en extérieur sur les quais ou à domicile, adaptées à votre niveau.",
        horaires: &[(1, "07:00", "10:00"), (1, "12:00", "14:00"), (1, "17:30", "21:00"), (2, "07:00", "10:00"), (2, "12:00", "14:00"), (2, "17:30", "21:00"), (3, "07:00", "10:00"), (3, "12:00", "14:00"), (3, "17:30", "21:00"), (4, "07:00", "10:00"), (4, "12:00", "14:00"), (4, "17:30", "21:00"), (5, "07:00", "10:00"), (5, "12:00", "14:00"), (5, "17:30", "21:00"), (6, "08:00", "12:00")],
    },
    Pro {
        nom: "Sophie Lambert",
        contact: ("Sophie", "Lambert"),
        ville: "Lille",
        code_postal: "59000",
        region: "Hauts-de-France",
        public: true,
        bio: "Coach de vie et sophrologue, j'aide à retrouver confiance en soi et à mieux gérer le stress au quotidien. Des outils simples, des exercices de respiration et un cadre bienveillant.",
        horaires: &[(1, "10:00", "13:00"), (1, "14:00", "19:00"), (3, "10:00", "13:00"), (3, "14:00", "19:00"), (5, "10:00", "13:00"), (5, "14:00", "19:00"), (6, "09:30", "12:30")],
    },
    Pro {
        nom: "Karim Benali",
        contact: ("Karim", "Benali"),
        ville: "Marseille",
        code_postal: "13008",
        region: "Provence-Alpes-Côte d'Azur",
        public: true,
        bio: "Ancien manager devenu coach, je prépare à la prise de parole en public et au leadership d'équipe. Mises en situation filmées, retours précis et progrès mesurables dès les premières séances.",
        horaires: &[(2, "09:00", "12:00"), (2, "13:30", "17:30"), (3, "09:00", "12:00"), (3, "13:30", "17:30"), (4, "09:00", "12:00"), (4, "13:30", "17:30"), (4, "18:00", "20:30"), (5, "09:00", "12:00"), (5, "13:30", "17:30")],
    },
    Pro {
        nom: "Élodie Garnier",
        contact: ("Élodie", "Garnier"),
        ville: "Nantes",
        code_postal: "44000",
        region: "Pays de la Loire",
        public: true,
        bio: "Professeure de yoga et coach bien-être, je propose des séances individuelles pour retrouver souplesse, énergie et sommeil réparateur. Hatha et yoga doux, accessibles aux grands débutants.",
        horaires: &[(1, "08:00", "11:00"), (1, "17:00", "20:30"), (2, "08:00", "11:00"), (2, "17:00", "20:30"), (3, "09:00", "13:00"), (4, "08:00", "11:00"), (4, "17:00", "20:30"), (6, "09:00", "12:00")],
    },
    Pro {
        nom: "Thomas Lefèvre",
        contact: ("Thomas", "Lefèvre"),
        ville: "Rennes",
        code_postal: "35000",
        region: "Bretagne",
        public: false,
        bio: "Coach en nutrition et préparateur physique, j'accompagne la perte de poids durable et la reprise du sport après une blessure. Programme personnalisé et suivi régulier.",
        horaires: &[(1, "09:00", "12:00"), (1, "14:00", "19:00"), (2, "09:00", "12:00"), (2, "14:00", "19:00"), (3, "09:00", "12:00"), (3, "14:00", "19:00"), (4, "09:00", "12:00"), (4, "14:00", "19:00"), (5, "09:00", "12:00"), (5, "14:00", "19:00")],
    },
];

const PROS_AVOCAT: &[Pro] = &[
    Pro {
        nom: "Anne Rousseau",
        contact: ("Anne", "Rousseau"),
        ville: "Toulouse",
        code_postal: "31000",
        region: "Occitanie",
        public: true,
        bio: "Avocate au barreau de Toulouse depuis 2009, j'interviens en droit de la famille : divorce, résidence des enfants, pension alimentaire. Je privilégie les solutions amiables, sans renoncer au contentieux quand il le faut.",
        horaires: &[(1, "09:00", "12:30"), (1, "14:00", "19:00"), (2, "09:00", "12:30"), (2, "14:00", "19:00"), (3, "09:00", "12:30"), (3, "14:00", "19:00"), (4, "09:00", "12:30"), (4, "14:00", "19:00"), (5, "09:00", "12:30"), (5, "14:00", "19:00")],
    },
    Pro {
        nom: "Marc Delaunay",
        contact: ("Marc", "Delaunay"),
        ville: "Paris",
        code_postal: "75011",
        region: "Île-de-France",
        public: true,
        bio: "Avocat en droit du travail, je conseille et défends les salariés : licenciement, rupture conventionnelle, harcèlement, heures supplémentaires. Procédures devant le conseil de prud'hommes.",
        horaires: &[(1, "09:00", "12:30"), (1, "14:00", "19:00"), (2, "09:00", "12:30"), (2, "14:00", "19:00"), (3, "09:00", "12:30"), (3, "14:00", "19:00"), (4, "09:00", "12:30"), (4, "14:00", "19:00"), (5, "09:00", "12:30"), (5, "14:00", "17:00")],
    },
    Pro {
        nom: "Nathalie Girard",
        contact: ("Nathalie", "Girard"),
        ville: "Strasbourg",
        code_postal: "67000",
        region: "Grand Est",
        public: true,
        bio: "Avocate en droit immobilier et de la copropriété : baux d'habitation et commerciaux, litiges de voisinage, vices cachés. J'assiste aussi les propriétaires bailleurs dans leurs démarches.",
        horaires: &[(1, "09:00", "12:30"), (1, "14:00", "19:00"), (2, "09:00", "12:30"), (2, "14:00", "19:00"), (3, "09:00", "12:30"), (4, "09:00", "12:30"), (4, "14:00", "19:00"), (5, "09:00", "12:30"), (5, "14:00", "19:00")],
    },
    Pro {
        nom: "Olivier Chevalier",
        contact: ("Olivier", "Chevalier"),
        ville: "Lyon",
        code_postal: "69007",
        region: "Auvergne-Rhône-Alpes",
        public: true,
        bio: "Avocat d'affaires, j'accompagne créateurs et dirigeants de PME : statuts de société, pactes d'associés, contrats commerciaux et recouvrement. Un conseil clair, au forfait lorsque c'est possible.",
        horaires: &[(1, "08:30", "12:30"), (1, "14:00", "19:00"), (2, "08:30", "12:30"), (2, "14:00", "19:00"), (3, "08:30", "12:30"), (3, "14:00", "19:00"), (4, "08:30", "12:30"), (4, "14:00", "19:00"), (5, "08:30", "12:30"), (5, "14:00", "19:00")],
    },
    Pro {
        nom: "Inès Haddad",
        contact: ("Inès", "Haddad"),
        ville: "Lille",
        code_postal: "59800",
        region: "Hauts-de-France",
        public: true,
        bio: "Avocate pénaliste au barreau de Lille, j'assiste victimes et prévenus à chaque étape : garde à vue, audition libre, comparution immédiate, audience correctionnelle. Disponible aussi pour le droit routier.",
        horaires: &[(1, "09:00", "12:30"), (1, "14:00", "19:00"), (2, "09:00", "12:30"), (2, "14:00", "19:00"), (3, "09:00", "12:30"), (3, "14:00", "19:00"), (4, "09:00", "12:30"), (4, "14:00", "19:00"), (5, "09:00", "12:30"), (5, "14:00", "19:00")],
    },
    Pro {
        nom: "Benoît Lemaire",
        contact: ("Benoît", "Lemaire"),
        ville: "Nantes",
        code_postal: "44100",
        region: "Pays de la Loire",
        public: false,
        bio: "Avocat en droit du numérique et de la propriété intellectuelle : marques, droits d'auteur, RGPD et conditions générales de vente. J'accompagne start-up et créateurs de contenu.",
        horaires: &[(1, "09:00", "12:30"), (1, "14:00", "19:00"), (2, "09:00", "12:30"), (2, "14:00", "19:00"), (3, "09:00", "12:30"), (3, "14:00", "19:00"), (4, "09:00", "12:30"), (4, "14:00", "19:00"), (5, "09:00", "12:30"), (5, "14:00", "19:00")],
    },
];

const PROS_GARAGE: &[Pro] = &[
    Pro {
        nom: "Garage Martin & Fils",
        contact: ("Pierre", "Martin"),
        ville: "Nantes",
        code_postal: "44300",
        region: "Pays de la Loire",
        public: true,
        bio: "Garage familial depuis 1987, toutes marques. Entretien, freinage, pneumatiques et préparation au contrôle technique, avec devis clair avant toute intervention.",
        horaires: &[(1, "08:00", "12:00"), (1, "14:00", "18:00"), (2, "08:00", "12:00"), (2, "14:00", "18:00"), (3, "08:00", "12:00"), (3, "14:00", "18:00"), (4, "08:00", "12:00"), (4, "14:00", "18:00"), (5, "08:00", "12:00"), (5, "14:00", "18:00"), (6, "08:00", "12:00")],
    },
    Pro {
        nom: "Auto Service Dubois",
        contact: ("Laurent", "Dubois"),
        ville: "Toulouse",
        code_postal: "31400",
        region: "Occitanie",
        public: true,
        bio: "Mécanique générale et diagnostic électronique multimarque. Nous utilisons des pièces de qualité d'origine et respectons le carnet d'entretien : votre garantie constructeur est préservée.",
        horaires: &[(1, "08:30", "12:00"), (1, "13:30", "18:30"), (2, "08:30", "12:00"), (2, "13:30", "18:30"), (3, "08:30", "12:00"), (3, "13:30", "18:30"), (4, "08:30", "12:00"), (4, "13:30", "18:30"), (5, "08:30", "12:00"), (5, "13:30", "18:30")],
    },
    Pro {
        nom: "Garage Bernard Automobiles",
        contact: ("Sylvie", "Bernard"),
        ville: "Strasbourg",
        code_postal: "67100",
        region: "Grand Est",
        public: true,
        bio: "Atelier agréé pour l'entretien des véhicules essence, diesel et hybrides. Véhicule de courtoisie sur réservation et lavage offert après chaque révision.",
        horaires: &[(1, "08:00", "12:00"), (1, "14:00", "18:00"), (2, "08:00", "12:00"), (2, "14:00", "18:00"), (3, "08:00", "12:00"), (3, "14:00", "18:00"), (4, "08:00", "12:00"), (4, "14:00", "18:00"), (5, "08:00", "12:00"), (5, "14:00", "18:00")],
    },
    Pro {
        nom: "Garage Petit Frères",
        contact: ("Nicolas", "Petit"),
        ville: "Rennes",
        code_postal: "35200",
        region: "Bretagne",
        public: true,
        bio: "Deux frères mécaniciens à votre service depuis vingt ans. Spécialistes du freinage, de la distribution et de la climatisation, nous vous rendons votre voiture dans la journée pour l'entretien courant.",
        horaires: &[(2, "08:00", "12:00"), (2, "14:00", "18:00"), (3, "08:00", "12:00"), (3, "14:00", "18:00"), (4, "08:00", "12:00"), (4, "14:00", "18:00"), (5, "08:00", "12:00"), (5, "14:00", "18:00"), (6, "08:00", "12:00")],
    },
    Pro {
        nom: "Garage Roux Automobiles",
        contact: ("Franck", "Roux"),
        ville: "Marseille",
        code_postal: "13001",
        region: "Provence-Alpes-Côte d'Azur",
        public: true,
        bio: "Garage indépendant du 10e arrondissement : vidange, pneus, géométrie et montage de pneus apportés par le client. Prix affichés, sans surprise à la facture.",
        horaires: &[(1, "08:00", "12:30"), (1, "14:00", "18:00"), (2, "08:00", "12:30"), (2, "14:00", "18:00"), (3, "08:00", "12:30"), (3, "14:00", "18:00"), (4, "08:00", "12:30"), (4, "14:00", "18:00"), (5, "08:00", "12:30"), (5, "14:00", "18:00")],
    },
    Pro {
        nom: "Atelier Mécanique Faure",
        contact: ("Julie", "Faure"),
        ville: "Bordeaux",
        code_postal: "33800",
        region: "Nouvelle-Aquitaine",
        public: false,
        bio: "Atelier de mécanique spécialisé dans les utilitaires et les camping-cars. Entretien, freinage et préparation avant les départs en vacances.",
        horaires: &[(1, "08:00", "12:00"), (1, "14:00", "18:00"), (2, "08:00", "12:00"), (2, "14:00", "18:00"), (3, "08:00", "12:00"), (3, "14:00", "18:00"), (4, "08:00", "12:00"), (4, "14:00", "18:00"), (5, "08:00", "12:00"), (5, "14:00", "18:00")],
    },
];

pub const VERTICALS: &[Vertical] = &[
    Vertical {
        slug: "coach",
        pros: PROS_COACH,
        ouvertures: &[Ouverture { pro: 0, jour_iso: 7, debut: "10:00", fin: "13:00" }, Ouverture { pro: 2, jour_iso: 2, debut: "17:00", fin: "20:00" }],
        absences_jours: &[AbsenceJours { pro: 1, de: 12, a: 14, motif: "Congés" }, AbsenceJours { pro: 3, de: 7, a: 7, motif: "Formation continue" }],
        absences_periodes: &[AbsencePeriode { pro: 0, decalage: 4, debut: "14:00", fin: "17:00", motif: "Rendez-vous personnel" }, AbsencePeriode { pro: 4, decalage: 3, debut: "17:00", fin: "20:30", motif: "Stage de formation" }],
        a_venir: &[RendezVous { pro: 0, decalage: 2, heure: "10:00", service: 1 }, RendezVous { pro: 0, decalage: 2, heure: "10:30", service: 0 }, RendezVous { pro: 1, decalage: 3, heure: "18:00", service: 1 }, RendezVous { pro: 2, decalage: 5, heure: "14:00", service: 2 }, RendezVous { pro: 4, decalage: 6, heure: "17:30", service: 1 }],
        passes: &[
            Passe { rendez_vous: RendezVous { pro: 0, decalage: -9, heure: "10:00", service: 1 }, note: 5, commentaire: "Séance très structurée : je suis reparti avec un plan clair pour ma reconversion. Merci Claire !" },
            Passe { rendez_vous: RendezVous { pro: 1, decalage: -5, heure: "18:00", service: 1 }, note: 4, commentaire: "Coach motivant et à l'écoute, séance exigeante mais adaptée à mon niveau. Je recommande." },
        ],
        reponses: &[
            &[("objectif", Reponse::Texte("Préparer une reconversion professionnelle et clarifier mon projet.")), ("format", Reponse::Texte("presentiel"))],
            &[("objectif", Reponse::Texte("Découvrir la démarche avant de m'engager sur plusieurs séances.")), ("format", Reponse::Texte("visio"))],
            &[("objectif", Reponse::Texte("Préparer mon premier semi-marathon au printemps.")), ("format", Reponse::Texte("presentiel"))],
            &[("objectif", Reponse::Texte("Mieux gérer le stress au travail et retrouver un bon sommeil.")), ("format", Reponse::Texte("presentiel"))],
            &[("objectif", Reponse::Texte("Reprendre une activité douce après une longue pause.")), ("format", Reponse::Texte("visio"))],
            &[("objectif", Reponse::Texte("Faire le point sur ma carrière et préparer un bilan de compétences.")), ("format", Reponse::Texte("presentiel"))],
            &[("objectif", Reponse::Texte("Reprendre la course à pied et perdre quelques kilos.")), ("format", Reponse::Texte("presentiel"))],
        ],
    },
    Vertical {
        slug: "avocat",
        pros: PROS_AVOCAT,
        ouvertures: &[Ouverture { pro: 1, jour_iso: 6, debut: "09:30", fin: "12:30" }],
        absences_jours: &[AbsenceJours { pro: 0, de: 15, a: 16, motif: "Congés" }, AbsenceJours { pro: 2, de: 8, a: 8, motif: "Formation au barreau" }],
        absences_periodes: &[AbsencePeriode { pro: 1, decalage: 3, debut: "09:00", fin: "12:30", motif: "Audience au conseil de prud'hommes" }, AbsencePeriode { pro: 4, decalage: 5, debut: "14:00", fin: "17:00", motif: "Audience au tribunal correctionnel" }],
        a_venir: &[RendezVous { pro: 0, decalage: 2, heure: "09:30", service: 0 }, RendezVous { pro: 0, decalage: 2, heure: "10:00", service: 1 }, RendezVous { pro: 1, decalage: 4, heure: "14:30", service: 2 }, RendezVous { pro: 3, decalage: 6, heure: "11:00", service: 0 }, RendezVous { pro: 4, decalage: 8, heure: "15:00", service: 1 }],
        passes: &[
            Passe { rendez_vous: RendezVous { pro: 0, decalage: -12, heure: "10:00", service: 0 }, note: 5, commentaire: "Maître Rousseau a pris le temps de tout m'expliquer et m'a rassurée sur la suite de la procédure." },
            Passe { rendez_vous: RendezVous { pro: 3, decalage: -6, heure: "14:00", service: 2 }, note: 4, commentaire: "Relecture rapide et précise de nos statuts, avec des conseils pratiques. Tarif conforme à l'annonce." },
        ],
        reponses: &[
            &[("domaine_droit", Reponse::Texte("famille")), ("mode", Reponse::Texte("cabinet")), ("resume", Reponse::Texte("Séparation en cours, je souhaite connaître mes droits concernant la résidence de nos deux enfants."))],
            &[("domaine_droit", Reponse::Texte("famille")), ("mode", Reponse::Texte("visio")), ("resume", Reponse::Texte("Révision de la pension alimentaire fixée il y a cinq ans."))],
            &[("domaine_droit", Reponse::Texte("travail")), ("mode", Reponse::Texte("telephone")), ("resume", Reponse::Texte("Proposition de rupture conventionnelle : je voudrais faire relire la convention avant de signer."))],
            &[("domaine_droit", Reponse::Texte("affaires")), ("mode", Reponse::Texte("cabinet")), ("resume", Reponse::Texte("Création d'une SAS à trois associés, besoin d'un pacte d'associés."))],
            &[("domaine_droit", Reponse::Texte("penal")), ("mode", Reponse::Texte("visio")), ("resume", Reponse::Texte("Convocation pour une audition libre au commissariat le mois prochain."))],
            &[("domaine_droit", Reponse::Texte("famille")), ("mode", Reponse::Texte("cabinet")), ("resume", Reponse::Texte("Divorce par consentement mutuel : je souhaite comprendre les étapes et les délais."))],
            &[("domaine_droit", Reponse::Texte("affaires")), ("mode", Reponse::Texte("visio")), ("resume", Reponse::Texte("Relecture des statuts de notre SARL avant l'entrée d'un nouvel associé."))],
        ],
    },
    Vertical {
        slug: "garage",
        pros: PROS_GARAGE,
        ouvertures: &[Ouverture { pro: 2, jour_iso: 6, debut: "08:00", fin: "12:00" }],
        absences_jours: &[AbsenceJours { pro: 1, de: 13, a: 13, motif: "Inventaire de l'atelier" }, AbsenceJours { pro: 3, de: 16, a: 17, motif: "Congés" }],
        absences_periodes: &[AbsencePeriode { pro: 0, decalage: 4, debut: "14:00", fin: "16:00", motif: "Livraison de pièces" }, AbsencePeriode { pro: 2, decalage: 6, debut: "08:00", fin: "10:00", motif: "Maintenance du pont élévateur" }],
        a_venir: &[RendezVous { pro: 0, decalage: 2, heure: "08:00", service: 1 }, RendezVous { pro: 0, decalage: 2, heure: "09:00", service: 0 }, RendezVous { pro: 1, decalage: 3, heure: "14:00", service: 2 }, RendezVous { pro: 3, decalage: 5, heure: "08:30", service: 3 }, RendezVous { pro: 4, decalage: 9, heure: "14:00", service: 0 }],
        passes: &[
            Passe { rendez_vous: RendezVous { pro: 0, decalage: -8, heure: "08:00", service: 0 }, note: 5, commentaire: "Vidange faite dans l'heure, accueil sympathique et prix conforme au devis." },
            Passe { rendez_vous: RendezVous { pro: 0, decalage: -15, heure: "14:00", service: 2 }, note: 4, commentaire: "Plaquettes changées dans la journée. Un peu d'attente à l'accueil, mais travail soigné." },
        ],
        reponses: &[
            &[("immatriculation", Reponse::Texte("AB-123-CD")), ("marque", Reponse::Texte("Peugeot")), ("modele", Reponse::Texte("308")), ("kilometrage", Reponse::Nombre(87450))],
            &[("immatriculation", Reponse::Texte("FG-482-KL")), ("marque", Reponse::Texte("Renault")), ("modele", Reponse::Texte("Clio IV")), ("kilometrage", Reponse::Nombre(64200))],
            &[("immatriculation", Reponse::Texte("HN-905-PR")), ("marque", Reponse::Texte("Citroën")), ("modele", Reponse::Texte("C3 Aircross")), ("kilometrage", Reponse::Nombre(41800))],
            &[("immatriculation", Reponse::Texte("ES-271-TB")), ("marque", Reponse::Texte("Volkswagen")), ("modele", Reponse::Texte("Golf VII")), ("kilometrage", Reponse::Nombre(132900))],
            &[("immatriculation", Reponse::Texte("GX-640-MA")), ("marque", Reponse::Texte("Toyota")), ("modele", Reponse::Texte("Yaris hybride")), ("kilometrage", Reponse::Nombre(23500))],
            &[("immatriculation", Reponse::Texte("DM-318-VE")), ("marque", Reponse::Texte("Dacia")), ("modele", Reponse::Texte("Sandero")), ("kilometrage", Reponse::Nombre(98700))],
            &[("immatriculation", Reponse::Texte("CK-557-RJ")), ("marque", Reponse::Texte("Ford")), ("modele", Reponse::Texte("Fiesta")), ("kilometrage", Reponse::Nombre(112300))],
        ],
    },
];

pub const CLIENTS: &[(&str, &str)] = &[
    ("Camille Durand", "camille.durand"),
    ("Lucas Bertrand", "lucas.bertrand"),
    ("Manon Leroy", "manon.leroy"),
    ("Hugo Moreau", "hugo.moreau"),
    ("Léa Simon", "lea.simon"),
    ("Nicolas Laurent", "nicolas.laurent"),
    ("Chloé Michel", "chloe.michel"),
    ("Antoine Lefebvre", "antoine.lefebvre"),
    ("Sarah Mercier", "sarah.mercier"),
    ("Maxime Blanc", "maxime.blanc"),
    ("Inès Guerin", "ines.guerin"),
    ("Romain Boyer", "romain.boyer"),
    ("Julie Gauthier", "julie.gauthier"),
    ("Mathieu Perrin", "mathieu.perrin"),
    ("Emma Robin", "emma.robin"),
    ("Alexandre Clement", "alexandre.clement"),
    ("Pauline Morin", "pauline.morin"),
    ("Quentin Nicolas", "quentin.nicolas"),
    ("Laura Henry", "laura.henry"),
    ("Vincent Roussel", "vincent.roussel"),
    ("Océane Mathieu", "oceane.mathieu"),
    ("Kevin Gautier", "kevin.gautier"),
    ("Marine Masson", "marine.masson"),
    ("Yann Marchand", "yann.marchand"),
];

pub const MESSAGES: &[&str] = &[
    "",
    "Merci de me confirmer l'adresse exacte.",
    "",
    "Je serai peut-être cinq minutes en avance.",
    "",
];

/// Small per-professional price variations, in percent.
pub const VARIATIONS: &[i64] = &[0, 5, -5, 10, -10, 15];
