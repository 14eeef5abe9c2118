use booking_tests::{json, TestApp};

const URL: &str = "http://coach.localhost/api/v1/professionnels/claire-fontaine/creneaux";

#[test]
fn free_slots_are_listed_with_their_offset_inside_the_range() {
    let app = TestApp::spawn().with_demo_data();
    let slots = app.creneaux(
        "coach.localhost",
        "claire-fontaine",
        1012,
        "2026-11-26",
        "2026-12-02",
    );
    assert!(!slots.is_empty());
    for (debut, fin) in &slots {
        assert!(debut.ends_with("+01:00"), "{debut}");
        assert!(
            debut.as_str() >= "2026-11-26" && debut.as_str() < "2026-12-03",
            "{debut}"
        );
        let d = chrono::DateTime::parse_from_rfc3339(debut).unwrap();
        let f = chrono::DateTime::parse_from_rfc3339(fin).unwrap();
        assert_eq!((f - d).num_minutes(), 60);
    }
    let mut sorted = slots.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, slots);
}

#[test]
fn the_minimum_notice_hides_slots_too_soon() {
    let app = TestApp::spawn().with_demo_data();
    // Clock: 2026-11-25 09:00 UTC (10:00 Paris); coach notice: 2 h.
    let slots = app.creneaux(
        "coach.localhost",
        "claire-fontaine",
        1012,
        "2026-11-25",
        "2026-11-25",
    );
    assert!(
        slots
            .iter()
            .all(|(d, _)| d.as_str() >= "2026-11-25T12:00:00+01:00"),
        "{slots:?}"
    );
}

#[test]
fn a_bad_range_or_service_is_refused_with_its_code() {
    let app = TestApp::spawn().with_demo_data();
    let cases = [
        ("?du=2026-11-26&au=2026-11-27", 422, "parametre_invalide"),
        ("?service=abc", 422, "parametre_invalide"),
        ("?service=1012&du=26/11/2026", 422, "parametre_invalide"),
        (
            "?service=1012&du=2026-11-27&au=2026-11-26",
            422,
            "parametre_invalide",
        ),
        (
            "?service=1012&du=2026-11-01&au=2026-12-31",
            422,
            "plage_trop_longue",
        ),
        ("?service=999999", 404, "service_introuvable"),
        ("?service=2011", 404, "service_introuvable"),
    ];
    for (query, status, code) in cases {
        let r = app.get(&format!("{URL}{query}"));
        assert_eq!(r.status, status, "{query}: {}", r.text());
        assert_eq!(json(&r)["code"], code, "{query}");
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
    }
}

#[test]
fn reading_a_window_of_bookings_searches_the_agenda_index_on_both_sides() {
    use booking_shared::store::reservations;
    use chrono::{TimeZone, Utc};

    let app = TestApp::spawn().with_demo_data();
    let de = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let a = Utc.with_ymd_and_hms(2026, 12, 31, 0, 0, 0).unwrap();
    let lecture = reservations::lecture_occupations(1, de, a, de, None);
    let details = app.db.plan(&lecture);
    assert!(
        details.iter().any(|d| d.contains("reservations_agenda")
            && d.contains("date_heure>?")
            && d.contains("date_heure<?")),
        "{details:?}"
    );
}
