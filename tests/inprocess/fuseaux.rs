//! The vertical's time zone follows its professionals from sign-up.

use booking_tests::TestApp;
use serde_json::{json as j, Value};

use crate::comptes::{Navigateur, COACH};

const AVOCAT: &str = "http://avocat.localhost:8787";

fn inscrire_pro(app: &TestApp, site: &str, nom: &str, email: &str) {
    let mut nav = Navigateur::new(app);
    let inscription = format!("{site}/compte/inscription");
    let r = nav.soumettre(
        &inscription,
        &inscription,
        &[
            ("role", "pro"),
            ("nom", nom),
            ("email", email),
            ("mot_de_passe", "bonjour2026!"),
            ("ville", "Fort-de-France"),
            ("region", "Martinique"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn a_professional_signing_up_gets_the_verticals_time_zone() {
    let app = TestApp::spawn();
    let mut coach: Value = serde_json::from_str(
        &std::fs::read_to_string(booking_tests::root().join("verticals/coach.json")).unwrap(),
    )
    .unwrap();
    coach["fuseau"] = j!("America/Martinique");
    app.config.put("coach", &coach.to_string());
    inscrire_pro(&app, COACH, "Léa Martin", "lea@exemple.fr");
    inscrire_pro(&app, AVOCAT, "Marc Durand", "marc@exemple.fr");

    let fuseau_de = |slug: &str, fuseau: &str| {
        app.db.scalar(&format!(
            "SELECT count(*) FROM professionnels WHERE slug = '{slug}' AND fuseau = '{fuseau}'"
        ))
    };
    assert_eq!(fuseau_de("marc-durand", "Europe/Paris"), 1);
    assert_eq!(fuseau_de("lea-martin", "America/Martinique"), 1);
}
