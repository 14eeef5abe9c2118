#!/usr/bin/env python3
"""Demo data for Booking Multisite, as one SQL script (standard library only).

    python3 local-dev/seed/demo.py [--today YYYY-MM-DD] [--out PATH] [--verticals DIR]

Prints (or writes to --out) SQL for migrations/0001_schema.sql: for each vertical (coach,
avocat, garage) six professionals with their accounts, services, weekly hours, time off,
upcoming bookings with their slot claims (occupations) and a few past bookings with reviews.

Services, buffers, slot step and the booking form's extra fields come from
verticals/<slug>.json when present, so the data follows the configuration; a built-in copy
of the essentials is used for a missing file. Everything is derived from --today (default:
today in Europe/Paris), so the output is deterministic for a given date.

The script starts with DELETE statements for the demo rows, so it can be re-applied to a
database that already holds them. It has no BEGIN/COMMIT: `wrangler d1 execute --file` runs
the file as a whole.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

FUSEAU = "Europe/Paris"
TZ = ZoneInfo(FUSEAU)
GRANULE = 300  # seconds: the occupations' 5-minute granule
GRILLE_MINUTES = 30  # demo bookings start on a 30-minute wall-clock grid
RACINE = Path(__file__).resolve().parents[2]
ORDRE_VERTICALS = ["coach", "avocat", "garage"]
STATUTS_ACTIFS = {"en_attente_paiement", "confirmee"}


class ErreurDemo(Exception):
    """Inconsistent demo data: the script stops with this message."""


# --------------------------------------------------------------------------------------
# Vertical configuration (the essentials, used only when verticals/<slug>.json is missing)
# --------------------------------------------------------------------------------------

CONFIG_DE_SECOURS = {
    "coach": {
        "slug": "coach",
        "services_par_defaut": [
            {"nom": "Séance découverte", "duree_minutes": 30, "prix_centimes": 0},
            {"nom": "Séance individuelle", "duree_minutes": 60, "prix_centimes": 6000},
            {"nom": "Séance en duo", "duree_minutes": 60, "prix_centimes": 9000},
        ],
        "regles": {"pas_minutes": 30, "tampon_avant_minutes": 0, "tampon_apres_minutes": 15,
                   "max_reservations_par_jour": 8},
        "champs": [
            {"nom": "objectif", "type": "textarea", "requis": True},
            {"nom": "format", "type": "select", "requis": True,
             "options": [{"valeur": "presentiel"}, {"valeur": "visio"}]},
        ],
    },
    "avocat": {
        "slug": "avocat",
        "services_par_defaut": [
            {"nom": "Première consultation", "duree_minutes": 45, "prix_centimes": 9000},
            {"nom": "Consultation approfondie", "duree_minutes": 90, "prix_centimes": 18000},
            {"nom": "Relecture de contrat", "duree_minutes": 60, "prix_centimes": 15000},
        ],
        "regles": {"pas_minutes": 15, "tampon_avant_minutes": 0, "tampon_apres_minutes": 15},
        "champs": [
            {"nom": "domaine_droit", "type": "select", "requis": True,
             "options": [{"valeur": v} for v in
                         ["famille", "travail", "immobilier", "penal", "affaires", "autre"]]},
            {"nom": "mode", "type": "select", "requis": True,
             "options": [{"valeur": v} for v in ["cabinet", "visio", "telephone"]]},
            {"nom": "resume", "type": "textarea", "requis": True},
        ],
    },
    "garage": {
        "slug": "garage",
        "services_par_defaut": [
            {"nom": "Vidange + filtre", "duree_minutes": 60, "prix_centimes": 8900},
            {"nom": "Révision constructeur", "duree_minutes": 120, "prix_centimes": 19900},
            {"nom": "Remplacement plaquettes avant", "duree_minutes": 90, "prix_centimes": 12900},
            {"nom": "Montage et équilibrage de 4 pneus", "duree_minutes": 60, "prix_centimes": 6000},
        ],
        "regles": {"pas_minutes": 30, "tampon_avant_minutes": 0, "tampon_apres_minutes": 0,
                   "max_reservations_par_jour": 12},
        "champs": [
            {"nom": "immatriculation", "type": "text", "requis": True,
             "motif": "^[A-Za-z]{2}[- ]?[0-9]{3}[- ]?[A-Za-z]{2}$"},
            {"nom": "marque", "type": "text", "requis": True},
            {"nom": "modele", "type": "text", "requis": True},
            {"nom": "kilometrage", "type": "number", "requis": False, "min": 0, "max": 2000000},
        ],
    },
}


def charger_config(slug: str, dossier: Path) -> dict:
    """verticals/<slug>.json (or the *.json whose "slug" is <slug>); the built-in copy if none."""
    candidats = [dossier / f"{slug}.json"]
    if dossier.is_dir():
        candidats += sorted(p for p in dossier.glob("*.json") if p.name != f"{slug}.json")
    for chemin in candidats:
        if not chemin.is_file() or chemin.name.endswith(".schema.json"):
            continue
        try:
            doc = json.loads(chemin.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as erreur:
            if chemin.name == f"{slug}.json":
                raise ErreurDemo(f"{chemin} illisible : {erreur}") from erreur
            continue
        if isinstance(doc, dict) and doc.get("slug") == slug:
            return verifier_config(doc, str(chemin))
    print(f"demo.py: {dossier / (slug + '.json')} absent, configuration intégrée utilisée pour "
          f"« {slug} »", file=sys.stderr)
    return verifier_config(CONFIG_DE_SECOURS[slug], "configuration intégrée")


def verifier_config(doc: dict, origine: str) -> dict:
    try:
        services = doc["services_par_defaut"]
        regles = doc["regles"]
        for cle in ("pas_minutes", "tampon_avant_minutes", "tampon_apres_minutes"):
            if not isinstance(regles[cle], int) or regles[cle] < 0 or regles[cle] % 5:
                raise ErreurDemo(f"{origine}: regles.{cle} doit être un multiple de 5")
        if regles["pas_minutes"] <= 0:
            raise ErreurDemo(f"{origine}: regles.pas_minutes doit être positif")
        if not services:
            raise ErreurDemo(f"{origine}: services_par_defaut est vide")
        for s in services:
            if s["duree_minutes"] % 5 or not 5 <= s["duree_minutes"] <= 480:
                raise ErreurDemo(f"{origine}: durée invalide pour « {s['nom']} »")
            if not 0 <= s["prix_centimes"] <= 10_000_000:
                raise ErreurDemo(f"{origine}: prix invalide pour « {s['nom']} »")
        doc.setdefault("champs", [])
    except (KeyError, TypeError) as erreur:
        raise ErreurDemo(f"{origine}: configuration incomplète ({erreur!r})") from erreur
    return doc


# --------------------------------------------------------------------------------------
# Demo content (French)
# --------------------------------------------------------------------------------------

# Weekly hours: {ISO weekday: [(start, end), ...]}.
def semaine(jours, plages):
    return {j: list(plages) for j in jours}


def fusion(*horaires):
    res: dict[int, list] = {}
    for h in horaires:
        for j, plages in h.items():
            res.setdefault(j, []).extend(plages)
    return {j: sorted(p) for j, p in sorted(res.items())}


LUN_VEN = range(1, 6)
MATIN_GARAGE, APREM_GARAGE = ("08:00", "12:00"), ("14:00", "18:00")
MATIN_AVOCAT, APREM_AVOCAT = ("09:00", "12:30"), ("14:00", "19:00")

# Per professional: nom, contact (prénom, nom) for the account, ville, region, bio,
# public, weekly hours. The last of each vertical is not published yet.
PROS = {
    "coach": [
        dict(nom="Claire Fontaine", contact=("Claire", "Fontaine"), ville="Lyon",
             region="Auvergne-Rhône-Alpes",
             bio="Coach professionnelle certifiée, j'accompagne les cadres et les indépendants "
                 "dans leurs transitions de carrière. Bilan, clarification des priorités et plan "
                 "d'action concret : on avance séance après séance.",
             horaires=fusion(semaine(LUN_VEN, [("09:00", "12:00"), ("14:00", "18:00")]),
                             semaine([2, 4], [("18:30", "21:00")]),
                             semaine([6], [("09:00", "12:00")]))),
        dict(nom="Julien Morel", contact=("Julien", "Morel"), ville="Bordeaux",
             region="Nouvelle-Aquitaine",
             bio="Coach sportif diplômé d'État (BPJEPS), spécialisé en remise en forme et en "
                 "préparation à la course à pied, du 10 km au trail. Séances en extérieur sur "
                 "les quais ou à domicile, adaptées à votre niveau.",
             horaires=fusion(semaine(LUN_VEN, [("07:00", "10:00"), ("12:00", "14:00"),
                                                ("17:30", "21:00")]),
                             semaine([6], [("08:00", "12:00")]))),
        dict(nom="Sophie Lambert", contact=("Sophie", "Lambert"), ville="Lille",
             region="Hauts-de-France",
             bio="Coach de vie et sophrologue, j'aide à retrouver confiance en soi et à mieux "
                 "gérer le stress au quotidien. Des outils simples, des exercices de respiration "
                 "et un cadre bienveillant.",
             horaires=fusion(semaine([1, 3, 5], [("10:00", "13:00"), ("14:00", "19:00")]),
                             semaine([6], [("09:30", "12:30")]))),
        dict(nom="Karim Benali", contact=("Karim", "Benali"), ville="Marseille",
             region="Provence-Alpes-Côte d'Azur",
             bio="Ancien manager devenu coach, je prépare à la prise de parole en public et au "
                 "leadership d'équipe. Mises en situation filmées, retours précis et progrès "
                 "mesurables dès les premières séances.",
             horaires=fusion(semaine([2, 3, 4, 5], [("09:00", "12:00"), ("13:30", "17:30")]),
                             semaine([4], [("18:00", "20:30")]))),
        dict(nom="Élodie Garnier", contact=("Élodie", "Garnier"), ville="Nantes",
             region="Pays de la Loire",
             bio="Professeure de yoga et coach bien-être, je propose des séances individuelles "
                 "pour retrouver souplesse, énergie et sommeil réparateur. Hatha et yoga doux, "
                 "accessibles aux grands débutants.",
             horaires=fusion(semaine([1, 2, 4], [("08:00", "11:00"), ("17:00", "20:30")]),
                             semaine([3], [("09:00", "13:00")]),
                             semaine([6], [("09:00", "12:00")]))),
        dict(nom="Thomas Lefèvre", contact=("Thomas", "Lefèvre"), ville="Rennes",
             region="Bretagne", public=0,
             bio="Coach en nutrition et préparateur physique, j'accompagne la perte de poids "
                 "durable et la reprise du sport après une blessure. Programme personnalisé et "
                 "suivi régulier.",
             horaires=fusion(semaine(LUN_VEN, [("09:00", "12:00"), ("14:00", "19:00")]))),
    ],
    "avocat": [
        dict(nom="Anne Rousseau", contact=("Anne", "Rousseau"), ville="Toulouse",
             region="Occitanie",
             bio="Avocate au barreau de Toulouse depuis 2009, j'interviens en droit de la famille : "
                 "divorce, résidence des enfants, pension alimentaire. Je privilégie les "
                 "solutions amiables, sans renoncer au contentieux quand il le faut.",
             horaires=semaine(LUN_VEN, [MATIN_AVOCAT, APREM_AVOCAT])),
        dict(nom="Marc Delaunay", contact=("Marc", "Delaunay"), ville="Paris",
             region="Île-de-France",
             bio="Avocat en droit du travail, je conseille et défends les salariés : "
                 "licenciement, rupture conventionnelle, harcèlement, heures supplémentaires. "
                 "Procédures devant le conseil de prud'hommes.",
             horaires=fusion(semaine([1, 2, 3, 4], [MATIN_AVOCAT, APREM_AVOCAT]),
                             semaine([5], [MATIN_AVOCAT, ("14:00", "17:00")]))),
        dict(nom="Nathalie Girard", contact=("Nathalie", "Girard"), ville="Strasbourg",
             region="Grand Est",
             bio="Avocate en droit immobilier et de la copropriété : baux d'habitation et "
                 "commerciaux, litiges de voisinage, vices cachés. J'assiste aussi les "
                 "propriétaires bailleurs dans leurs démarches.",
             horaires=fusion(semaine([1, 2, 4, 5], [MATIN_AVOCAT, APREM_AVOCAT]),
                             semaine([3], [MATIN_AVOCAT]))),
        dict(nom="Olivier Chevalier", contact=("Olivier", "Chevalier"), ville="Lyon",
             region="Auvergne-Rhône-Alpes",
             bio="Avocat d'affaires, j'accompagne créateurs et dirigeants de PME : statuts de "
                 "société, pactes d'associés, contrats commerciaux et recouvrement. Un conseil "
                 "clair, au forfait lorsque c'est possible.",
             horaires=semaine(LUN_VEN, [("08:30", "12:30"), APREM_AVOCAT])),
        dict(nom="Inès Haddad", contact=("Inès", "Haddad"), ville="Lille",
             region="Hauts-de-France",
             bio="Avocate pénaliste au barreau de Lille, j'assiste victimes et prévenus à chaque "
                 "étape : garde à vue, audition libre, comparution immédiate, audience "
                 "correctionnelle. Disponible aussi pour le droit routier.",
             horaires=semaine(LUN_VEN, [MATIN_AVOCAT, APREM_AVOCAT])),
        dict(nom="Benoît Lemaire", contact=("Benoît", "Lemaire"), ville="Nantes",
             region="Pays de la Loire", public=0,
             bio="Avocat en droit du numérique et de la propriété intellectuelle : marques, "
                 "droits d'auteur, RGPD et conditions générales de vente. J'accompagne "
                 "start-up et créateurs de contenu.",
             horaires=semaine(LUN_VEN, [MATIN_AVOCAT, APREM_AVOCAT])),
    ],
    "garage": [
        dict(nom="Garage Martin & Fils", contact=("Pierre", "Martin"), ville="Nantes",
             region="Pays de la Loire",
             bio="Garage familial depuis 1987, toutes marques. Entretien, freinage, pneumatiques "
                 "et préparation au contrôle technique, avec devis clair avant toute "
                 "intervention.",
             horaires=fusion(semaine(LUN_VEN, [MATIN_GARAGE, APREM_GARAGE]),
                             semaine([6], [MATIN_GARAGE]))),
        dict(nom="Auto Service Dubois", contact=("Laurent", "Dubois"), ville="Toulouse",
             region="Occitanie",
             bio="Mécanique générale et diagnostic électronique multimarque. Nous utilisons des "
                 "pièces de qualité d'origine et respectons le carnet d'entretien : votre "
                 "garantie constructeur est préservée.",
             horaires=semaine(LUN_VEN, [("08:30", "12:00"), ("13:30", "18:30")])),
        dict(nom="Garage Bernard Automobiles", contact=("Sylvie", "Bernard"), ville="Strasbourg",
             region="Grand Est",
             bio="Atelier agréé pour l'entretien des véhicules essence, diesel et hybrides. "
                 "Véhicule de courtoisie sur réservation et lavage offert après chaque révision.",
             horaires=semaine(LUN_VEN, [MATIN_GARAGE, APREM_GARAGE])),
        dict(nom="Garage Petit Frères", contact=("Nicolas", "Petit"), ville="Rennes",
             region="Bretagne",
             bio="Deux frères mécaniciens à votre service depuis vingt ans. Spécialistes du "
                 "freinage, de la distribution et de la climatisation, nous vous rendons votre "
                 "voiture dans la journée pour l'entretien courant.",
             horaires=fusion(semaine([2, 3, 4, 5], [MATIN_GARAGE, APREM_GARAGE]),
                             semaine([6], [MATIN_GARAGE]))),
        dict(nom="Garage Roux Automobiles", contact=("Franck", "Roux"), ville="Marseille",
             region="Provence-Alpes-Côte d'Azur",
             bio="Garage indépendant du 10e arrondissement : vidange, pneus, géométrie et "
                 "montage de pneus apportés par le client. Prix affichés, sans surprise à la "
                 "facture.",
             horaires=semaine(LUN_VEN, [("08:00", "12:30"), ("14:00", "18:00")])),
        dict(nom="Atelier Mécanique Faure", contact=("Julie", "Faure"), ville="Bordeaux",
             region="Nouvelle-Aquitaine", public=0,
             bio="Atelier de mécanique spécialisé dans les utilitaires et les camping-cars. "
                 "Entretien, freinage et préparation avant les départs en vacances.",
             horaires=semaine(LUN_VEN, [MATIN_GARAGE, APREM_GARAGE])),
    ],
}

# Extra openings on one date: (index of the pro, ISO weekday wanted, start, end).
OUVERTURES_DATEES = {
    "coach": [(0, 7, "10:00", "13:00"), (2, 2, "17:00", "20:00")],
    "avocat": [(1, 6, "09:30", "12:30")],
    "garage": [(2, 6, "08:00", "12:00")],
}

# Time off: (index of the pro, first day offset, last day offset, motif) for whole days;
# (index, day offset, start, end, motif) for a period of a few hours.
ABSENCES_JOURS = {
    "coach": [(1, 12, 14, "Congés"), (3, 7, 7, "Formation continue")],
    "avocat": [(0, 15, 16, "Congés"), (2, 8, 8, "Formation au barreau")],
    "garage": [(1, 13, 13, "Inventaire de l'atelier"), (3, 16, 17, "Congés")],
}
ABSENCES_PERIODES = {
    "coach": [(0, 4, "14:00", "17:00", "Rendez-vous personnel"),
              (4, 3, "17:00", "20:30", "Stage de formation")],
    "avocat": [(1, 3, "09:00", "12:30", "Audience au conseil de prud'hommes"),
               (4, 5, "14:00", "17:00", "Audience au tribunal correctionnel")],
    "garage": [(0, 4, "14:00", "16:00", "Livraison de pièces"),
               (2, 6, "08:00", "10:00", "Maintenance du pont élévateur")],
}

# Upcoming bookings: (pro index, day offset, preferred local start, service index, client).
# The start is searched forward from the preferred one (30-minute grid, opening hours, no
# time off, no overlap with the pro's other bookings and buffers).
CLIENTS = [
    ("Camille Durand", "camille.durand"), ("Lucas Bertrand", "lucas.bertrand"),
    ("Manon Leroy", "manon.leroy"), ("Hugo Moreau", "hugo.moreau"),
    ("Léa Simon", "lea.simon"), ("Nicolas Laurent", "nicolas.laurent"),
    ("Chloé Michel", "chloe.michel"), ("Antoine Lefebvre", "antoine.lefebvre"),
    ("Sarah Mercier", "sarah.mercier"), ("Maxime Blanc", "maxime.blanc"),
    ("Inès Guerin", "ines.guerin"), ("Romain Boyer", "romain.boyer"),
    ("Julie Gauthier", "julie.gauthier"), ("Mathieu Perrin", "mathieu.perrin"),
    ("Emma Robin", "emma.robin"), ("Alexandre Clement", "alexandre.clement"),
    ("Pauline Morin", "pauline.morin"), ("Quentin Nicolas", "quentin.nicolas"),
    ("Laura Henry", "laura.henry"), ("Vincent Roussel", "vincent.roussel"),
    ("Océane Mathieu", "oceane.mathieu"), ("Kevin Gautier", "kevin.gautier"),
    ("Marine Masson", "marine.masson"), ("Yann Marchand", "yann.marchand"),
]

RESERVATIONS = {
    "coach": [(0, 2, "10:00", 1), (0, 2, "10:30", 0), (1, 3, "18:00", 1),
              (2, 5, "14:00", 2), (4, 6, "17:30", 1)],
    "avocat": [(0, 2, "09:30", 0), (0, 2, "10:00", 1), (1, 4, "14:30", 2),
               (3, 6, "11:00", 0), (4, 8, "15:00", 1)],
    "garage": [(0, 2, "08:00", 1), (0, 2, "09:00", 0), (1, 3, "14:00", 2),
               (3, 5, "08:30", 3), (4, 9, "14:00", 0)],
}
# Past bookings (statut 'terminee') with their review: (pro, day offset, start, service,
# note, commentaire).
PASSEES = {
    "coach": [
        (0, -9, "10:00", 1, 5, "Séance très structurée : je suis reparti avec un plan clair "
                               "pour ma reconversion. Merci Claire !"),
        (1, -5, "18:00", 1, 4, "Coach motivant et à l'écoute, séance exigeante mais adaptée "
                               "à mon niveau. Je recommande."),
    ],
    "avocat": [
        (0, -12, "10:00", 0, 5, "Maître Rousseau a pris le temps de tout m'expliquer et m'a "
                                "rassurée sur la suite de la procédure."),
        (3, -6, "14:00", 2, 4, "Relecture rapide et précise de nos statuts, avec des conseils "
                               "pratiques. Tarif conforme à l'annonce."),
    ],
    "garage": [
        (0, -8, "08:00", 0, 5, "Vidange faite dans l'heure, accueil sympathique et prix "
                               "conforme au devis."),
        (0, -15, "14:00", 2, 4, "Plaquettes changées dans la journée. Un peu d'attente à "
                                "l'accueil, mais travail soigné."),
    ],
}

# Answers to the booking form's extra fields, by vertical; adapted to `champs` at run time.
REPONSES = {
    "coach": [
        {"objectif": "Préparer une reconversion professionnelle et clarifier mon projet.",
         "format": "presentiel"},
        {"objectif": "Découvrir la démarche avant de m'engager sur plusieurs séances.",
         "format": "visio"},
        {"objectif": "Préparer mon premier semi-marathon au printemps.", "format": "presentiel"},
        {"objectif": "Mieux gérer le stress au travail et retrouver un bon sommeil.",
         "format": "presentiel"},
        {"objectif": "Reprendre une activité douce après une longue pause.", "format": "visio"},
        {"objectif": "Faire le point sur ma carrière et préparer un bilan de compétences.",
         "format": "presentiel"},
        {"objectif": "Reprendre la course à pied et perdre quelques kilos.",
         "format": "presentiel"},
    ],
    "avocat": [
        {"domaine_droit": "famille", "mode": "cabinet",
         "resume": "Séparation en cours, je souhaite connaître mes droits concernant la "
                   "résidence de nos deux enfants."},
        {"domaine_droit": "famille", "mode": "visio",
         "resume": "Révision de la pension alimentaire fixée il y a cinq ans."},
        {"domaine_droit": "travail", "mode": "telephone",
         "resume": "Proposition de rupture conventionnelle : je voudrais faire relire la "
                   "convention avant de signer."},
        {"domaine_droit": "affaires", "mode": "cabinet",
         "resume": "Création d'une SAS à trois associés, besoin d'un pacte d'associés."},
        {"domaine_droit": "penal", "mode": "visio",
         "resume": "Convocation pour une audition libre au commissariat le mois prochain."},
        {"domaine_droit": "famille", "mode": "cabinet",
         "resume": "Divorce par consentement mutuel : je souhaite comprendre les étapes et les "
                   "délais."},
        {"domaine_droit": "affaires", "mode": "visio",
         "resume": "Relecture des statuts de notre SARL avant l'entrée d'un nouvel associé."},
    ],
    "garage": [
        {"immatriculation": "AB-123-CD", "marque": "Peugeot", "modele": "308",
         "kilometrage": 87450},
        {"immatriculation": "FG-482-KL", "marque": "Renault", "modele": "Clio IV",
         "kilometrage": 64200},
        {"immatriculation": "HN-905-PR", "marque": "Citroën", "modele": "C3 Aircross",
         "kilometrage": 41800},
        {"immatriculation": "ES-271-TB", "marque": "Volkswagen", "modele": "Golf VII",
         "kilometrage": 132900},
        {"immatriculation": "GX-640-MA", "marque": "Toyota", "modele": "Yaris hybride",
         "kilometrage": 23500},
        {"immatriculation": "DM-318-VE", "marque": "Dacia", "modele": "Sandero",
         "kilometrage": 98700},
        {"immatriculation": "CK-557-RJ", "marque": "Ford", "modele": "Fiesta",
         "kilometrage": 112300},
    ],
}
MESSAGES = ["", "Merci de me confirmer l'adresse exacte.", "",
            "Je serai peut-être cinq minutes en avance.", ""]

# Small per-professional price variations, in percent.
VARIATIONS = [0, 5, -5, 10, -10, 15]


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------

def sans_accents(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")


def slugifier(texte: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", sans_accents(texte).lower()).strip("-")
    if not slug:
        raise ErreurDemo(f"slug vide pour « {texte} »")
    return slug[:80].rstrip("-")


def hm(texte: str) -> time:
    h, m = texte.split(":")
    return time(int(h), int(m))


def instant(jour: date, heure: time | str) -> int:
    """Local Europe/Paris wall-clock time to UTC epoch seconds (earlier instant if ambiguous)."""
    if isinstance(heure, str):
        heure = hm(heure)
    local = datetime.combine(jour, heure, tzinfo=TZ)
    epoch = int(local.timestamp())
    # A wall-clock time that does not exist (spring forward) does not round-trip.
    retour = datetime.fromtimestamp(epoch, TZ)
    if (retour.date(), retour.time()) != (jour, heure):
        raise ErreurDemo(f"heure locale inexistante : {jour} {heure}")
    return epoch


def jour_local(epoch: int) -> date:
    return datetime.fromtimestamp(epoch, TZ).date()


def sql(valeur) -> str:
    if valeur is None:
        return "NULL"
    if isinstance(valeur, bool):
        return "1" if valeur else "0"
    if isinstance(valeur, int):
        return str(valeur)
    if isinstance(valeur, float):
        return repr(valeur)
    return "'" + str(valeur).replace("'", "''") + "'"


def insert(table: str, lignes: list[dict]) -> list[str]:
    """One INSERT per row: readable, and a failing row is easy to spot."""
    res = []
    for ligne in lignes:
        colonnes = ", ".join(ligne)
        valeurs = ", ".join(sql(v) for v in ligne.values())
        res.append(f"INSERT INTO {table} ({colonnes}) VALUES ({valeurs});")
    return res


def sha256_hex(texte: str) -> str:
    return hashlib.sha256(texte.encode("utf-8")).hexdigest()


def uuid_demo(graine: str) -> str:
    return str(uuid.UUID(bytes=hashlib.sha256(graine.encode("utf-8")).digest()[:16], version=4))


def telephone(n: int) -> str:
    chiffres = f"{(12345678 + n * 7919) % 100_000_000:08d}"
    return "06 " + " ".join(chiffres[i:i + 2] for i in range(0, 8, 2))


def normaliser(texte: str) -> str:
    return re.sub(r"[^a-z0-9]", "", sans_accents(str(texte)).lower())


def adapter_reponses(champs: list[dict], voulues: dict, n: int, contact: dict, origine: str) -> dict:
    """The answers `voulues`, fitted to the vertical's extra fields: unknown keys dropped,
    select values matched to the options, required fields always answered."""
    reponses = {}
    for champ in champs:
        nom, type_champ = champ["nom"], champ.get("type", "text")
        valeur = voulues.get(nom)
        if type_champ == "select":
            brutes = champ.get("options") or []
            options = [o["valeur"] for o in brutes]
            if not options:
                raise ErreurDemo(f"{origine}: le champ « {nom} » n'a pas d'options")
            if valeur not in options:
                # A close option (same word in its value or label), else one in turn.
                proches = [o["valeur"] for o in brutes if valeur is not None and (
                    normaliser(valeur) in normaliser(o["valeur"])
                    or normaliser(valeur) in normaliser(o.get("libelle", "")))]
                valeur = proches[0] if proches else (options[n % len(options)]
                                                     if valeur is not None or champ.get("requis")
                                                     else None)
        elif type_champ == "number":
            if valeur is None and champ.get("requis"):
                valeur = int(champ.get("min") or 1)
            if valeur is not None:
                bas, haut = champ.get("min"), champ.get("max")
                if bas is not None:
                    valeur = max(valeur, bas)
                if haut is not None:
                    valeur = min(valeur, haut)
                valeur = int(valeur) if float(valeur).is_integer() else valeur
        elif valeur is None and champ.get("requis"):
            valeur = {
                "email": contact["email"],
                "tel": contact["telephone"],
                "date": contact["date"],
            }.get(type_champ, "À préciser lors du rendez-vous.")
        if valeur is None:
            continue
        if type_champ in ("text", "textarea"):
            longueur = champ.get("longueur_max") or (200 if type_champ == "text" else 2000)
            valeur = str(valeur)[:longueur].strip()
        motif = champ.get("motif")
        if motif and type_champ in ("text", "tel"):
            try:
                correspond = re.fullmatch(motif, str(valeur)) is not None
            except re.error:
                correspond = True  # a pattern Python cannot read: the app will judge
            if not correspond:
                raise ErreurDemo(f"{origine}: « {valeur} » ne respecte pas le motif du champ "
                                 f"« {nom} » ({motif})")
        reponses[nom] = valeur
    return reponses


# --------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------

@dataclass
class Pro:
    id: int
    vertical: str
    indice: int
    donnees: dict
    slug: str
    email: str
    services: list[dict] = field(default_factory=list)
    horaires: dict = field(default_factory=dict)  # ISO weekday -> [(start, end)]
    datees: list[tuple] = field(default_factory=list)  # (date, start, end)
    absences_jours: list[tuple] = field(default_factory=list)  # (du, au)
    absences_periodes: list[tuple] = field(default_factory=list)  # (debut, fin) epochs
    reservations: list[dict] = field(default_factory=list)

    def plages(self, jour: date) -> list[tuple[str, str]]:
        plages = list(self.horaires.get(jour.isoweekday(), []))
        plages += [(d, f) for (j, d, f) in self.datees if j == jour]
        return sorted(plages)

    def absent(self, debut: int, fin: int) -> bool:
        jours = {jour_local(debut), jour_local(fin - 1)}
        if any(du <= j <= au for (du, au) in self.absences_jours for j in jours):
            return True
        return any(debut < f and d < fin for (d, f) in self.absences_periodes)


def jour_ouvert(pro: Pro, depuis: date, debut: str = "00:00", fin: str = "24:00") -> date:
    """The first day from `depuis` whose weekly hours meet [debut, fin): time off is taken
    on working days, where it matters."""
    for k in range(7):
        jour = depuis + timedelta(days=k)
        if any(d < fin and debut < f for (d, f) in pro.horaires.get(jour.isoweekday(), [])):
            return jour
    raise ErreurDemo(f"{pro.donnees['nom']} n'ouvre jamais entre {debut} et {fin}")


def occupation(debut: int, fin: int, regles: dict) -> tuple[int, int]:
    return debut - regles["tampon_avant_minutes"] * 60, fin + regles["tampon_apres_minutes"] * 60


def refus_creneau(pro: Pro, regles: dict, jour: date, plage: tuple[str, str], heure: time,
                  duree: int, actives: list[dict]) -> str | None:
    """Why the appointment cannot start at `heure` on `jour` in `plage`; None if it can."""
    pas = regles["pas_minutes"]
    minutes = heure.hour * 60 + heure.minute
    ecart = minutes - (hm(plage[0]).hour * 60 + hm(plage[0]).minute)
    if minutes % GRILLE_MINUTES or ecart < 0 or ecart % pas:
        return "hors grille"
    debut = instant(jour, heure)
    fin = debut + duree * 60
    if debut % GRANULE:
        return "non aligné sur 5 minutes"
    if not (instant(jour, plage[0]) <= debut and fin <= instant(jour, plage[1])):
        return "hors des horaires d'ouverture"
    if pro.absent(debut, fin):
        return "pendant une absence"
    max_jour = regles.get("max_reservations_par_jour")
    if max_jour is not None:
        meme_jour = [r for r in actives if jour_local(r["date_heure"]) == jour]
        if len(meme_jour) >= max_jour:
            return "journée complète"
    o_debut, o_fin = occupation(debut, fin, regles)
    for r in actives:
        a_debut, a_fin = occupation(r["date_heure"], r["fin"], regles)
        if o_debut < a_fin and a_debut < o_fin:
            return f"chevauche la réservation {r['id']}"
    return None


def placer(pro: Pro, regles: dict, jours: list[date], preferee: str, duree: int,
           actives: list[dict]) -> tuple[date, time]:
    """First valid start from `preferee` on the first day, then over the following days."""
    for i, jour in enumerate(jours):
        for plage in pro.plages(jour):
            h = datetime.combine(jour, hm(plage[0]))
            fin_plage = datetime.combine(jour, hm(plage[1]))
            while h < fin_plage:
                if (i > 0 or h.time() >= hm(preferee)) and refus_creneau(
                        pro, regles, jour, plage, h.time(), duree, actives) is None:
                    return jour, h.time()
                h += timedelta(minutes=5)
    raise ErreurDemo(f"aucun créneau pour {pro.donnees['nom']} ({duree} min) sur "
                     f"{jours[0]}..{jours[-1]}")


# --------------------------------------------------------------------------------------
# Building the data
# --------------------------------------------------------------------------------------

def construire(aujourdhui: date, dossier_verticals: Path) -> list[str]:
    configs = {v: charger_config(v, dossier_verticals) for v in ORDRE_VERTICALS}
    tables: dict[str, list[dict]] = {t: [] for t in (
        "users", "professionnels", "services", "disponibilites", "absences", "reservations",
        "occupations", "avis")}
    pros: list[Pro] = []
    emails: set[str] = set()
    numero_resa = 0
    numero_client = 0
    base = instant(aujourdhui, "00:00")

    for v_index, vertical in enumerate(ORDRE_VERTICALS, start=1):
        config = configs[vertical]
        regles = config["regles"]
        defauts = config["services_par_defaut"]
        slugs: set[str] = set()
        pros_v: list[Pro] = []

        for i, d in enumerate(PROS[vertical]):
            pro_id = v_index * 100 + i + 1
            slug = slugifier(d["nom"])
            if slug in slugs:
                raise ErreurDemo(f"slug en double dans {vertical} : {slug}")
            slugs.add(slug)
            prenom, nom = d["contact"]
            email = f"{slugifier(prenom).replace('-', '')}.{slugifier(nom)}@exemple.fr"
            if email.lower() in emails:
                raise ErreurDemo(f"e-mail en double : {email}")
            emails.add(email.lower())
            pro = Pro(pro_id, vertical, i, d, slug, email, horaires=d["horaires"])
            pros_v.append(pro)
            cree = base - (150 - 9 * i - 30 * v_index) * 86400 + 9 * 3600

            # Demo accounts are verified: their addresses are ours to vouch for.
            tables["users"].append(dict(
                id=pro_id, email=email, password_hash=None, role="pro", nom=f"{prenom} {nom}",
                telephone=telephone(pro_id), type_professionnel=vertical, created_at=cree,
                email_verifie_at=cree))

            # 2..4 services: the first default always, then others in turn.
            combien = min(len(defauts), 2 + (i % 3))
            autres = list(range(1, len(defauts)))
            decalage = i % len(autres) if autres else 0
            choisis = sorted([0] + (autres[decalage:] + autres[:decalage])[:combien - 1])
            if len(choisis) < 2:
                print(f"demo.py: « {vertical} » n'a qu'un service par défaut", file=sys.stderr)
            for position, k in enumerate(choisis):
                s = defauts[k]
                variation = VARIATIONS[(i + k) % len(VARIATIONS)]
                prix = int(round(s["prix_centimes"] * (100 + variation) / 100 / 100)) * 100
                prix = min(max(prix, 0), 10_000_000)
                pro.services.append(dict(
                    id=pro_id * 10 + position + 1, professionnel_id=pro_id, nom=s["nom"],
                    description=s.get("description") or "", duree_minutes=s["duree_minutes"],
                    prix_centimes=prix, acompte_centimes=None, actif=1, position=position))
            tables["services"].extend(pro.services)

            # Weekly hours.
            n_dispo = 0
            for jour_semaine, plages in sorted(pro.horaires.items()):
                for debut, fin in plages:
                    n_dispo += 1
                    tables["disponibilites"].append(dict(
                        id=pro_id * 100 + n_dispo, professionnel_id=pro_id,
                        recurrence="hebdomadaire", jour_semaine=jour_semaine, date=None,
                        heure_debut=debut, heure_fin=fin))
            for (indice, iso, debut, fin) in OUVERTURES_DATEES[vertical]:
                if indice != i:
                    continue
                jour = aujourdhui + timedelta(days=3)
                while jour.isoweekday() != iso:
                    jour += timedelta(days=1)
                pro.datees.append((jour, debut, fin))
                n_dispo += 1
                tables["disponibilites"].append(dict(
                    id=pro_id * 100 + n_dispo, professionnel_id=pro_id, recurrence="date",
                    jour_semaine=None, date=jour.isoformat(), heure_debut=debut, heure_fin=fin))

            # Time off.
            n_abs = 0
            for (indice, de, a, motif) in ABSENCES_JOURS[vertical]:
                if indice == i:
                    du = jour_ouvert(pro, aujourdhui + timedelta(days=de))
                    au = du + timedelta(days=a - de)
                    pro.absences_jours.append((du, au))
                    n_abs += 1
                    tables["absences"].append(dict(
                        id=pro_id * 10 + n_abs, professionnel_id=pro_id, type="jours",
                        du=du.isoformat(), au=au.isoformat(), debut=None, fin=None, motif=motif))
            for (indice, decal, debut, fin, motif) in ABSENCES_PERIODES[vertical]:
                if indice == i:
                    jour = jour_ouvert(pro, aujourdhui + timedelta(days=decal), debut, fin)
                    periode = (instant(jour, debut), instant(jour, fin))
                    pro.absences_periodes.append(periode)
                    n_abs += 1
                    tables["absences"].append(dict(
                        id=pro_id * 10 + n_abs, professionnel_id=pro_id, type="periode",
                        du=None, au=None, debut=periode[0], fin=periode[1], motif=motif))

        # Bookings: upcoming (confirmed) then past (done, with a review).
        a_venir = [(p, decal, h, s, None, None) for (p, decal, h, s) in RESERVATIONS[vertical]]
        passees = list(PASSEES[vertical])
        n_avis = 0
        for rang, (p, decal, preferee, s_index, note, commentaire) in enumerate(a_venir + passees):
            pro = pros_v[p]
            if not pro.donnees.get("public", 1):
                raise ErreurDemo(f"{pro.donnees['nom']} n'est pas publié : pas de réservation")
            passee = note is not None
            service = pro.services[s_index % len(pro.services)]
            duree = service["duree_minutes"]
            if passee:
                jours = [aujourdhui + timedelta(days=decal - k) for k in range(0, 15)]
            else:
                # J+decal..J+10, then J+2.. if the end of the window is closed.
                jours = [aujourdhui + timedelta(days=k)
                         for k in [*range(decal, 11), *range(2, decal)]]
            actives = [r for r in pro.reservations if r["statut"] in STATUTS_ACTIFS]
            jour, heure = placer(pro, regles, jours, preferee, duree,
                                 actives if not passee else [])
            numero_resa += 1
            numero_client += 1
            nom_client, local_email = CLIENTS[(numero_client - 1) % len(CLIENTS)]
            debut = instant(jour, heure)
            fin = debut + duree * 60
            contact = dict(email=f"{local_email}@exemple.net",
                           telephone=telephone(1000 + numero_client), date=jour.isoformat())
            voulues = REPONSES[vertical][rang % len(REPONSES[vertical])]
            reponses = adapter_reponses(config["champs"], voulues, rang, contact, vertical)
            cree = min(base - (1 + rang % 3) * 86400 + (10 + rang) * 3600, debut - 6 * 86400) \
                if passee else base - (1 + rang % 3) * 86400 + (10 + rang) * 3600
            resa = dict(
                id=uuid_demo(f"demo-reservation-{numero_resa}"), professionnel_id=pro.id,
                service_id=service["id"], user_id=None, date_heure=debut, fin=fin,
                statut="terminee" if passee else "confirmee",
                message=MESSAGES[rang % len(MESSAGES)], client_nom=nom_client,
                client_email=contact["email"], client_telephone=contact["telephone"],
                reponses=json.dumps(reponses, ensure_ascii=False, separators=(",", ":")),
                prix_centimes=service["prix_centimes"], a_payer_centimes=0,
                manage_token_hash=sha256_hex(f"demo-{numero_resa}"), expire_at=None,
                annulee_par=None, motif_annulation=None, created_at=cree,
                updated_at=fin + 3600 if passee else cree)
            pro.reservations.append(resa)
            tables["reservations"].append(resa)
            if passee:
                n_avis += 1
                prenom_client, nom_famille = nom_client.split(" ", 1)
                tables["avis"].append(dict(
                    id=v_index * 100 + n_avis, reservation_id=resa["id"], professionnel_id=pro.id,
                    note=note, commentaire=commentaire,
                    auteur=f"{prenom_client} {nom_famille[0]}.", created_at=fin + 86400 + 3600))
            else:
                o_debut, o_fin = occupation(debut, fin, regles)
                for tranche in range(o_debut, o_fin, GRANULE):
                    tables["occupations"].append(dict(
                        professionnel_id=pro.id, tranche=tranche, reservation_id=resa["id"]))

        for pro in pros_v:
            prix = [s["prix_centimes"] for s in pro.services]
            notes = [a["note"] for a in tables["avis"] if a["professionnel_id"] == pro.id]
            d = pro.donnees
            tables["professionnels"].append(dict(
                id=pro.id, user_id=pro.id, vertical=vertical, slug=pro.slug, nom=d["nom"],
                bio=d["bio"], ville=d["ville"], region=d["region"], photo_url=None,
                prix_min=min(prix), prix_max=max(prix),
                note_moyenne=round(sum(notes) / len(notes), 2) if notes else None,
                nombre_avis=len(notes), public=d.get("public", 1), fuseau=FUSEAU,
                created_at=next(u["created_at"] for u in tables["users"] if u["id"] == pro.id)))
        pros.extend(pros_v)

    verifier(pros, configs, tables, aujourdhui)
    return sortie_sql(pros, tables, aujourdhui)


def verifier(pros: list[Pro], configs: dict, tables: dict, aujourdhui: date) -> None:
    """Independent checks of the generated data; any failure stops the script."""
    erreurs = []
    for pro in pros:
        regles = configs[pro.vertical]["regles"]
        actives = sorted((r for r in pro.reservations if r["statut"] in STATUTS_ACTIFS),
                         key=lambda r: r["date_heure"])
        for r in pro.reservations:
            jour = jour_local(r["date_heure"])
            heure = datetime.fromtimestamp(r["date_heure"], TZ).time()
            duree = (r["fin"] - r["date_heure"]) // 60
            autres = [a for a in actives if a is not r] if r in actives else []
            motifs = [refus_creneau(pro, regles, jour, plage, heure, duree, autres)
                      for plage in pro.plages(jour)]
            if None not in motifs:
                erreurs.append(f"{pro.donnees['nom']} : réservation {r['id']} invalide "
                               f"({jour} {heure:%H:%M} : {', '.join(motifs) or 'jour fermé'})")
            if r["statut"] in STATUTS_ACTIFS and not 2 <= (jour - aujourdhui).days <= 10:
                erreurs.append(f"réservation {r['id']} hors de J+2..J+10")
        for precedente, suivante in zip(actives, actives[1:]):
            if occupation(precedente["date_heure"], precedente["fin"], regles)[1] > \
                    occupation(suivante["date_heure"], suivante["fin"], regles)[0]:
                erreurs.append(f"{pro.donnees['nom']} : les réservations {precedente['id']} et "
                               f"{suivante['id']} se chevauchent (tampons compris)")
    cles = [(o["professionnel_id"], o["tranche"]) for o in tables["occupations"]]
    if len(cles) != len(set(cles)):
        erreurs.append("occupations : une tranche a deux réservations")
    emails = [u["email"].lower() for u in tables["users"]]
    if len(emails) != len(set(emails)):
        erreurs.append("users : e-mail en double")
    if erreurs:
        raise ErreurDemo("données de démonstration incohérentes :\n  " + "\n  ".join(erreurs))


def sortie_sql(pros: list[Pro], tables: dict, aujourdhui: date) -> list[str]:
    ids_pros = ", ".join(str(p.id) for p in pros)
    cles_pros = ", ".join(sql(f"{p.vertical}/{p.slug}") for p in pros)
    ids_users = ids_pros
    emails = ", ".join(sql(u["email"]) for u in tables["users"])
    ids_resas = ", ".join(sql(r["id"]) for r in tables["reservations"])
    demo_pros = (f"SELECT id FROM professionnels WHERE id IN ({ids_pros}) "
                 f"OR vertical || '/' || slug IN ({cles_pros})")
    demo_resas = (f"SELECT id FROM reservations WHERE professionnel_id IN ({demo_pros}) "
                  f"OR id IN ({ids_resas})")
    demo_users = f"SELECT id FROM users WHERE id IN ({ids_users}) OR email IN ({emails})"

    lignes = [
        "-- Booking Multisite: demo data. Generated by local-dev/seed/demo.py "
        f"--today {aujourdhui.isoformat()}; do not edit by hand.",
        "-- Re-runnable: the demo rows (and anything attached to the demo professionals) are",
        "-- deleted first. No transaction statements: `wrangler d1 execute --file` runs the file",
        "-- as a whole.",
        "",
        "-- 1. Remove previous demo data, children first.",
        f"DELETE FROM outbox WHERE reservation_id IN ({demo_resas}) OR user_id IN ({demo_users});",
        f"DELETE FROM paiements WHERE reservation_id IN ({demo_resas});",
        f"DELETE FROM avis WHERE reservation_id IN ({demo_resas}) "
        f"OR professionnel_id IN ({demo_pros});",
        f"DELETE FROM occupations WHERE reservation_id IN ({demo_resas}) "
        f"OR professionnel_id IN ({demo_pros});",
        f"DELETE FROM reservations WHERE id IN ({demo_resas});",
        f"DELETE FROM services WHERE professionnel_id IN ({demo_pros});",
        f"DELETE FROM disponibilites WHERE professionnel_id IN ({demo_pros});",
        f"DELETE FROM absences WHERE professionnel_id IN ({demo_pros});",
        f"DELETE FROM professionnels WHERE id IN ({demo_pros});",
        f"DELETE FROM users WHERE id IN ({demo_users});",
    ]
    sections = [
        ("users", "2. Accounts of the professionals (no password: use the reset flow)."),
        ("professionnels", "3. Professionals: 5 published and 1 draft per vertical."),
        ("services", "4. Services, from each vertical's services_par_defaut."),
        ("disponibilites", "5. Opening hours: weekly ranges and a few dated openings."),
        ("absences", "6. Time off: whole days and periods of a few hours."),
        ("reservations", "7. Bookings: upcoming (confirmee) and past (terminee). "
                         "Manage token of booking n: 'demo-n'."),
        ("occupations", "8. Slot claims of the active bookings, 5-minute granules with buffers."),
        ("avis", "9. Reviews of the past bookings."),
    ]
    for table, titre in sections:
        lignes += ["", f"-- {titre}"]
        lignes += insert(table, tables[table])
    return lignes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Demo data for Booking Multisite (SQL).")
    parser.add_argument("--today", help="reference date YYYY-MM-DD (default: today in "
                                        "Europe/Paris)")
    parser.add_argument("--out", help="write the SQL to this file instead of stdout")
    parser.add_argument("--verticals", default=str(RACINE / "verticals"),
                        help="folder of the vertical configurations (default: verticals/)")
    args = parser.parse_args(argv)
    try:
        aujourdhui = (date.fromisoformat(args.today) if args.today
                      else datetime.now(TZ).date())
    except ValueError:
        parser.error(f"--today invalide : {args.today!r} (attendu AAAA-MM-JJ)")
    try:
        texte = "\n".join(construire(aujourdhui, Path(args.verticals))) + "\n"
    except ErreurDemo as erreur:
        print(f"demo.py: ERREUR : {erreur}", file=sys.stderr)
        return 1
    if args.out:
        Path(args.out).write_text(texte, encoding="utf-8")
    else:
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stdout.write(texte)
    return 0


if __name__ == "__main__":
    sys.exit(main())
