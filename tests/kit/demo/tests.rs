//! Checks of the demo data as loaded, and of the script `local-dev` loads.

use super::*;
use crate::{SqliteDb, TestApp};
use booking_shared::ports::Clock;

fn demo() -> TestApp {
    TestApp::spawn().with_demo_data()
}

#[test]
fn each_vertical_has_six_professionals_five_of_them_public_and_a_team_with_their_services_and_hours(
) {
    let app = demo();
    for vertical in ["coach", "avocat", "garage"] {
        let compte = |sql: &str| app.db.scalar(&sql.replace("{v}", vertical));
        assert_eq!(
            compte("SELECT count(*) FROM professionnels WHERE vertical = '{v}'"),
            7
        );
        assert_eq!(
            compte("SELECT count(*) FROM professionnels WHERE vertical = '{v}' AND public = 1"),
            6
        );
        assert_eq!(
            compte(
                "SELECT count(*) FROM professionnels p WHERE vertical = '{v}' AND \
                 (SELECT count(*) FROM services s WHERE s.professionnel_id = p.id AND s.actif = 1) \
                 NOT BETWEEN 2 AND 4"
            ),
            0
        );
        assert_eq!(
            compte(
                "SELECT count(*) FROM professionnels p WHERE vertical = '{v}' AND NOT EXISTS \
                 (SELECT 1 FROM disponibilites d WHERE d.professionnel_id = p.id \
                  AND d.recurrence = 'hebdomadaire')"
            ),
            0
        );
        assert_eq!(
            compte(
                "SELECT count(*) FROM professionnels p JOIN users u ON u.id = p.user_id \
                 WHERE p.vertical = '{v}' AND u.role = 'pro' AND u.type_professionnel = '{v}' \
                 AND u.email_verifie_at IS NOT NULL AND u.password_hash IS NULL"
            ),
            7
        );
        assert_eq!(
            compte(
                "SELECT count(*) FROM reservations r JOIN professionnels p \
                 ON p.id = r.professionnel_id WHERE p.vertical = '{v}' AND r.statut = 'confirmee'"
            ),
            5
        );
        assert_eq!(
            compte(
                "SELECT count(*) FROM avis a JOIN professionnels p ON p.id = a.professionnel_id \
                 JOIN reservations r ON r.id = a.reservation_id \
                 WHERE p.vertical = '{v}' AND r.statut = 'terminee'"
            ),
            2
        );
    }
    assert_eq!(app.db.scalar("SELECT count(*) FROM absences"), 12);
    // One external calendar per vertical, at the local stand-in.
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM agendas_externes WHERE url LIKE 'http://127.0.0.1:%/demo/%.ics'"
        ),
        3
    );
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM disponibilites WHERE recurrence = 'date'"),
        4
    );
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM services WHERE id IN (1011, 1012, 2011)"),
        3
    );
}

#[test]
fn every_upcoming_booking_owns_exactly_its_claims_and_past_ones_none() {
    let app = demo();
    // The claims of a confirmed booking: every granule of its interval widened by the
    // vertical's buffers (coach: 15 min after, avocat: 15 min after, garage: none).
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM reservations r JOIN professionnels p ON p.id = r.professionnel_id \
             WHERE r.statut = 'confirmee' AND (SELECT count(*) FROM occupations o \
             WHERE o.seance = r.id AND o.membre_id = r.membre_id \
             AND o.tranche >= r.date_heure AND o.tranche < r.fin + (CASE p.vertical \
             WHEN 'garage' THEN 0 ELSE 900 END)) \
             <> (r.fin - r.date_heure + (CASE p.vertical WHEN 'garage' THEN 0 ELSE 900 END)) / 300"
        ),
        0
    );
    assert_eq!(
        app.db.scalar("SELECT count(*) FROM occupations o JOIN reservations r ON r.id = o.seance WHERE r.statut <> 'confirmee'"),
        0
    );
    let attendues = app.db.scalar(
        "SELECT sum((r.fin - r.date_heure + (CASE p.vertical WHEN 'garage' THEN 0 ELSE 900 END)) / 300) \
         FROM reservations r JOIN professionnels p ON p.id = r.professionnel_id WHERE r.statut = 'confirmee'",
    );
    assert_eq!(app.db.scalar("SELECT count(*) FROM occupations"), attendues);
}

#[test]
fn bookings_fall_on_their_days_with_the_manage_tokens_the_readme_names() {
    let app = demo();
    let aujourdhui = instant(app.clock.now().date_naive(), NaiveTime::MIN)
        .expect("midnight exists")
        .timestamp();
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE statut = 'confirmee' \
             AND (date_heure < {aujourdhui} + 2 * 86400 OR date_heure >= {aujourdhui} + 11 * 86400 + 3600)"
        )),
        0
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE statut = 'terminee' AND fin > {aujourdhui}"
        )),
        0
    );
    let premiere = id_reservation(1);
    let hash = JetonGestion::choisi("demo-1").hash();
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE id = '{premiere}' AND manage_token_hash = '{hash}'"
        )),
        1
    );
    // The ratings are the averages of the reviews.
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM professionnels p WHERE nombre_avis <> \
             (SELECT count(*) FROM avis a WHERE a.professionnel_id = p.id) \
             OR note_moyenne IS NOT (SELECT round(avg(note), 2) FROM avis a WHERE a.professionnel_id = p.id)"
        ),
        0
    );
}

#[test]
fn the_teams_have_their_members_hours_performers_and_group_session() {
    let app = demo();
    let membres = |pro: i64, genre: &str| {
        app.db.scalar(&format!(
            "SELECT count(*) FROM membres WHERE professionnel_id = {pro} AND genre = '{genre}' AND actif = 1"
        ))
    };
    // Garage: three mechanics and three bays; its first service needs one of each.
    assert_eq!(membres(307, "personne"), 3);
    assert_eq!(membres(307, "ressource"), 3);
    let eligibles = |service: i64, genre: &str| {
        app.db.scalar(&format!(
            "SELECT count(*) FROM services_membres sm JOIN membres m ON m.id = sm.membre_id \
             WHERE sm.service_id = {service} AND m.genre = '{genre}'"
        ))
    };
    assert_eq!(eligibles(3071, "personne"), 3);
    assert_eq!(eligibles(3071, "ressource"), 3);
    assert_eq!(eligibles(3072, "ressource"), 0);
    // Law firm: four lawyers, each performing every service.
    assert_eq!(membres(207, "personne"), 4);
    assert_eq!(eligibles(2071, "personne"), 4);
    // Coach: a group session of eight seats.
    assert_eq!(membres(107, "personne"), 1);
    assert_eq!(
        app.db
            .scalar("SELECT places FROM services WHERE id = 1079 AND professionnel_id = 107"),
        8
    );
    assert_eq!(eligibles(1079, "personne"), 1);
    // Every member has the establishment's weekly hours.
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM membres m WHERE m.professionnel_id IN (107, 207, 307) \
             AND (SELECT count(*) FROM disponibilites d WHERE d.membre_id = m.id \
                  AND d.recurrence = 'hebdomadaire') <> 11"
        ),
        0
    );
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM membres WHERE professionnel_id = 307 AND nom = 'Bruno Carpentier'"
        ),
        1
    );
}

#[test]
fn the_script_for_wrangler_loads_the_same_rows_and_can_be_applied_again() {
    let direct = demo();
    let aujourdhui = direct.clock.now().date_naive();
    let configs = configurations().expect("the verticals load");
    let script = Script::default();
    futures::executor::block_on(charger(&script, aujourdhui, &configs, None))
        .expect("the script is written");
    let texte = script.texte().expect("every value is a SQL literal");
    let charge = SqliteDb::migrated();
    charge.execute_script(&texte);
    charge.execute_script(&texte);
    for requete in [
        "SELECT count(*) FROM users",
        "SELECT count(*) FROM professionnels",
        "SELECT count(*) FROM services",
        "SELECT count(*) FROM disponibilites",
        "SELECT count(*) FROM absences",
        "SELECT count(*) FROM agendas_externes",
        "SELECT count(*) FROM reservations",
        "SELECT count(*) FROM occupations",
        "SELECT count(*) FROM avis",
        "SELECT count(*) FROM membres",
        "SELECT count(*) FROM services_membres",
        "SELECT sum(date_heure) % 1000003 FROM reservations",
        "SELECT sum(tranche) % 1000003 FROM occupations",
        "SELECT sum(prix_centimes) FROM services",
        "SELECT sum(length(reponses)) FROM reservations",
    ] {
        assert_eq!(
            charge.scalar(requete),
            direct.db.scalar(requete),
            "{requete}"
        );
    }
}
