//! Mentions légales, conditions générales and conditions de vente: written from each
//! vertical's legal block and its own booking rules.

use booking_functions::http::Method;
use booking_shared::cas::reservations::DUREE_RETENUE_PAIEMENT_MINUTES;
use booking_shared::render::format::delai;
use booking_shared::vertical::{Acompte, Paiement, VerticalConfig};
use booking_tests::{json, root, TestApp};
use serde_json::{json as j, Value};

use crate::comptes::{admin, avec_bearer, jeton, COACH};
use crate::pages_outils::{
    poids, premier_creneau, premier_profil, unescape, Navigateur, BUDGET_OCTETS, VERTICALS,
};

fn document(vertical: &str) -> Value {
    let texte = std::fs::read_to_string(root().join(format!("verticals/{vertical}.json")))
        .expect("the vertical's document");
    serde_json::from_str(&texte).expect("JSON")
}

fn config(document: &Value) -> VerticalConfig {
    VerticalConfig::parse(&document.to_string()).expect("a valid document")
}

/// The vertical's document with a real operator: its name says which vertical it runs.
fn avec_operateur(vertical: &str) -> Value {
    let mut d = document(vertical);
    d["legal"]["operateur"] = j!({
        "raison_sociale": format!("Réseau {vertical} SAS"),
        "forme_juridique": "société par actions simplifiée",
        "capital": "12 000 €",
        "siren": "732829320",
        "ville_rcs": "Lyon",
        "siege": "4 rue de la République, 69002 Lyon",
        "directeur_publication": "Anne Moreau",
        "email": format!("legal@{vertical}.example"),
        "telephone": "04 72 00 00 00",
        "tva_intracommunautaire": "FR44732829320"
    });
    d["legal"]["mediateur"] = j!({
        "nom": "Médiation Consommation Exemple",
        "site": "https://mediation.example/saisir"
    });
    d
}

/// A page's text as a reader sees it: askama's escapes undone.
fn lire(nav: &mut Navigateur, chemin: &str) -> String {
    let r = nav.get(chemin);
    assert_eq!(r.status, 200, "{chemin}");
    unescape(&r.text())
}

#[test]
fn each_legal_page_of_each_vertical_shows_the_configured_operator_and_mediator() {
    let app = TestApp::spawn().with_demo_data();
    for vertical in VERTICALS {
        app.config
            .put(vertical, &avec_operateur(vertical).to_string());
    }
    for vertical in VERTICALS {
        let mut nav = Navigateur::new(&app, vertical);
        let mentions = lire(&mut nav, "/mentions-legales");
        for attendu in [
            format!("est édité par Réseau {vertical} SAS, société par actions simplifiée au capital de 12 000 €"),
            "registre du commerce et des sociétés (RCS) de Lyon sous le numéro SIREN 732 829 320".into(),
            "Siège social : 4 rue de la République, 69002 Lyon.".into(),
            "Numéro de TVA intracommunautaire : FR44732829320.".into(),
            "Directeur de la publication : Anne Moreau.".into(),
            format!("<a href=\"mailto:legal@{vertical}.example\">"),
            "téléphone 04 72 00 00 00".into(),
            "Cloudflare, Inc.".into(),
            "Médiation Consommation Exemple, <a href=\"https://mediation.example/saisir\">".into(),
        ] {
            assert!(mentions.contains(&attendu), "{vertical}: {attendu}");
        }
        let cgu = lire(&mut nav, "/conditions-generales");
        assert!(cgu.contains("<h1>Conditions générales d'utilisation</h1>"));
        assert!(cgu.contains(&format!("Réseau {vertical} SAS (l'« opérateur »")));
        assert!(cgu.contains("L'opérateur est un intermédiaire"));
        assert!(cgu.contains("<a href=\"/confidentialite\">"));
        assert!(cgu.contains("soumises au droit français"));
        assert!(cgu.contains("Médiation Consommation Exemple"));
        for html in [&mentions, &cgu] {
            assert!(html.contains("<html lang=\"fr\">"));
            assert!(poids(&app, vertical, html) < BUDGET_OCTETS);
        }
        if config(&document(vertical)).regles().paiement().en_ligne() {
            let cgv = lire(&mut nav, "/conditions-de-vente");
            assert!(cgv.contains(&format!("l'opérateur du site, Réseau {vertical} SAS")));
            assert!(cgv.contains(&format!(
                "À l'attention de Réseau {vertical} SAS, 4 rue de la République"
            )));
            assert!(poids(&app, vertical, &cgv) < BUDGET_OCTETS);
        }
    }
}

#[test]
fn the_shipped_documents_show_their_placeholders_as_placeholders() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "garage");
    let mentions = lire(&mut nav, "/mentions-legales");
    assert!(mentions.contains("est édité par [Raison sociale]"));
    assert!(mentions.contains("numéro SIREN [SIREN]"));
    // A placeholder is not a link.
    assert!(!mentions.contains("mailto:"));
    assert!(!mentions.contains("href=\"[Site du médiateur]\""));
}

#[test]
fn the_conditions_de_vente_exist_only_where_the_vertical_takes_payment_online() {
    let app = TestApp::spawn().with_demo_data();
    for vertical in VERTICALS {
        let en_ligne = config(&document(vertical)).regles().paiement().en_ligne();
        let mut nav = Navigateur::new(&app, vertical);
        assert_eq!(
            nav.get("/conditions-de-vente").status,
            if en_ligne { 200 } else { 404 },
            "{vertical}"
        );
        let accueil = nav.page("/");
        let sitemap = nav.page("/sitemap.xml");
        let profil = premier_profil(&mut nav);
        let chemin_formulaire = premier_creneau(&mut nav, &profil);
        let formulaire = nav.page(&chemin_formulaire);
        for html in [&accueil, &sitemap, &formulaire] {
            assert_eq!(
                html.contains("/conditions-de-vente"),
                en_ligne,
                "{vertical}"
            );
            assert!(html.contains("/conditions-generales"), "{vertical}");
        }
        for chemin in ["/mentions-legales", "/confidentialite"] {
            assert!(accueil.contains(&format!("href=\"{chemin}\"")));
            assert!(sitemap.contains(&format!("{vertical}.localhost:8787{chemin}</loc>")));
        }
        let formulaire = unescape(&formulaire);
        let acceptation = formulaire
            .split("En réservant, vous acceptez les ")
            .nth(1)
            .and_then(|reste| reste.split("</p>").next())
            .unwrap_or_else(|| panic!("{vertical}: no acceptance near the button"));
        assert!(acceptation.contains("<a href=\"/conditions-generales\">conditions générales</a>"));
        assert_eq!(
            acceptation.contains("<a href=\"/conditions-de-vente\">conditions de vente</a>"),
            en_ligne
        );
        assert!(formulaire
            .split("En réservant, vous acceptez")
            .nth(1)
            .is_some_and(|apres| apres.contains("Confirmer la réservation</button>")));
    }
    // The coach vertical takes no payment online: nothing to sell, no conditions de vente.
    assert_eq!(
        config(&document("coach")).regles().paiement(),
        Paiement::Aucun
    );
}

/// What the conditions de vente must say for a vertical's rules, computed here from the
/// document itself rather than from the page's own code.
fn attendus(regles: &booking_shared::vertical::Regles) -> Vec<String> {
    let heures = regles.annulation_gratuite_heures();
    let mut attendus = vec![
        format!(
            "Le créneau vous est réservé {} le temps de payer",
            delai(u32::try_from(DUREE_RETENUE_PAIEMENT_MINUTES).unwrap())
        ),
        "Les prix sont affichés en euros, toutes taxes comprises (TTC)".into(),
        "page de paiement sécurisée de Stripe".into(),
    ];
    if heures > 0 {
        let limite = delai(heures * 60);
        attendus.push(format!("Annulée au moins {limite} avant le début du rendez-vous, la réservation vous est remboursée de tout ce que vous avez payé en ligne."));
        attendus.push(format!("Annulée moins de {limite} avant le début, ce que vous avez payé en ligne n'est pas remboursé"));
        attendus.push(format!(
            "jusqu'à {limite} avant son début ; ensuite, il ne se déplace plus."
        ));
    }
    attendus.push(match regles.paiement() {
        Paiement::Total => "Le montant total se règle en ligne à la réservation".into(),
        Paiement::Acompte(Acompte::Pourcentage(p)) => {
            format!(
                "Un acompte de {p}\u{a0}% se règle en ligne à la réservation ; le reste sur place."
            )
        }
        Paiement::Acompte(Acompte::MontantCentimes(c)) => format!(
            "Un acompte de {} se règle en ligne",
            booking_shared::render::format::euros(i64::try_from(c).unwrap())
        ),
        Paiement::Aucun => unreachable!("no conditions de vente without payment"),
    });
    attendus
}

#[test]
fn the_conditions_de_vente_state_each_shipped_verticals_own_cancellation_and_payment_rules() {
    let app = TestApp::spawn().with_demo_data();
    let mut verifiees = 0;
    for vertical in VERTICALS {
        let regles = config(&document(vertical)).regles().clone();
        if !regles.paiement().en_ligne() {
            continue;
        }
        let cgv = lire(&mut Navigateur::new(&app, vertical), "/conditions-de-vente");
        for attendu in attendus(&regles) {
            assert!(cgv.contains(&attendu), "{vertical}: {attendu}\n{cgv}");
        }
        assert!(cgv.contains("vous êtes alors remboursé de tout ce que vous avez payé en ligne"));
        assert!(cgv
            .contains("vous déclare absent : ce que vous avez payé en ligne n'est pas remboursé"));
        // Both shipped verticals sell services that are not leisure: 14 days to withdraw.
        assert!(cgv.contains("droit de rétractation de 14 jours"));
        assert!(cgv.contains("article L221-28 1°"));
        assert!(!cgv.contains("L221-28 12°"));
        verifiees += 1;
    }
    assert_eq!(verifiees, 2, "avocat and garage take payment online");
}

#[test]
fn changing_a_verticals_rules_changes_its_conditions() {
    let app = TestApp::spawn().with_demo_data();
    let mut avocat = document("avocat");
    avocat["regles"]["annulation_gratuite_heures"] = j!(72);
    avocat["regles"]["paiement"] = j!({ "mode": "acompte", "montant_centimes": 4500 });
    avocat["legal"]["retractation"] = j!("activite_de_loisirs");
    app.config.put("avocat", &avocat.to_string());
    let mut coach = document("coach");
    coach["regles"]["paiement"] = j!({ "mode": "total" });
    app.config.put("coach", &coach.to_string());

    let cgv = lire(&mut Navigateur::new(&app, "avocat"), "/conditions-de-vente");
    for attendu in attendus(config(&avocat).regles()) {
        assert!(cgv.contains(&attendu), "{attendu}");
    }
    assert!(cgv.contains("Annulée au moins 3 jours avant"));
    assert!(!cgv.contains("2 jours"));
    assert!(cgv.contains("Un acompte de 45,00\u{a0}€"));
    assert!(cgv.contains("article L221-28 12°"));
    assert!(!cgv.contains("droit de rétractation de 14 jours"));
    assert!(!cgv.contains("sauf si vous exercez votre droit de rétractation"));
    let cgu = lire(
        &mut Navigateur::new(&app, "avocat"),
        "/conditions-generales",
    );
    assert!(cgu.contains("jusqu'à 3 jours avant son début"));

    // A vertical that starts taking payment gets its conditions de vente.
    let cgv = lire(&mut Navigateur::new(&app, "coach"), "/conditions-de-vente");
    for attendu in attendus(config(&coach).regles()) {
        assert!(cgv.contains(&attendu), "{attendu}");
    }
}

#[test]
fn an_admin_saving_a_bad_operator_block_gets_a_french_error_and_nothing_changes() {
    let app = TestApp::spawn().with_demo_data();
    let admin_id = admin(&app);
    let token = jeton(&app, admin_id);
    let url = format!("{COACH}/api/v1/admin/verticaux/coach");
    let versions = || {
        app.db
            .scalar("SELECT count(*) FROM configurations_verticales WHERE vertical = 'coach'")
    };
    let avant = versions();
    for (champ, valeur, attendu) in [
        ("siren", "12345", "legal.operateur.siren : « 12345 » n'est pas un numéro SIREN : 9 chiffres attendus"),
        ("siren", "732829321", "legal.operateur.siren : « 732829321 » n'est pas un numéro SIREN valide : sa clé de contrôle est fausse"),
        ("tva_intracommunautaire", "FR45732829320", "legal.operateur.tva_intracommunautaire : « FR45732829320 » : la clé du numéro de TVA ne correspond pas"),
        ("email", "pas-une-adresse", "legal.operateur.email : L'adresse e-mail n'est pas valide"),
    ] {
        let mut d = avec_operateur("coach");
        d["legal"]["operateur"][champ] = valeur.into();
        let r = avec_bearer(&app, Method::Post, &url, &token, Some(&d));
        assert_eq!(r.status, 422, "{}", r.text());
        let probleme = json(&r);
        assert_eq!(probleme["code"], "configuration_invalide");
        let titre = probleme["title"].as_str().unwrap();
        assert!(titre.starts_with("Document refusé : "), "{titre}");
        assert!(titre.contains(attendu), "{titre}");
    }
    let mut sans_mediateur = avec_operateur("coach");
    sans_mediateur["legal"]
        .as_object_mut()
        .unwrap()
        .remove("mediateur");
    let r = avec_bearer(&app, Method::Post, &url, &token, Some(&sans_mediateur));
    assert_eq!(r.status, 422);
    assert!(json(&r)["title"].as_str().unwrap().contains("mediateur"));

    // The admin's page editor says the same, next to the document kept as typed.
    let mut nav = crate::comptes::Navigateur::avec_session(&app, admin_id);
    let page = format!("{COACH}/admin/verticaux/coach");
    let mut d = avec_operateur("coach");
    d["legal"]["mediateur"]["site"] = "mediation.example".into();
    let texte = serde_json::to_string_pretty(&d).unwrap();
    let r = nav.soumettre(&page, &page, &[("document", texte.as_str())]);
    assert_eq!(r.status, 422);
    let html = unescape(&r.text());
    assert!(
        html.contains(
            "legal.mediateur.site : « mediation.example » n'est pas une adresse web valide"
        ),
        "{html}"
    );
    assert_eq!(versions(), avant, "nothing saved");
    let mentions = lire(&mut Navigateur::new(&app, "coach"), "/mentions-legales");
    assert!(mentions.contains("[Raison sociale]"));

    // A valid block is saved and shown at once.
    let r = nav.soumettre(
        &page,
        &page,
        &[("document", avec_operateur("coach").to_string().as_str())],
    );
    assert_eq!(r.status, 200);
    assert_eq!(versions(), avant + 1);
    let mentions = lire(&mut Navigateur::new(&app, "coach"), "/mentions-legales");
    assert!(mentions.contains("est édité par Réseau coach SAS"));
}
