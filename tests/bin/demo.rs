//! Writes the demo data (see `booking_tests::demo`) as a SQL script for
//! `wrangler d1 execute --file`, the demo professionals' password (`demo-pro-2026`)
//! included. The script first removes any previous load of the demo, so it can be applied
//! again to refresh the dates.
//!
//! Usage: `demo [--today AAAA-MM-JJ] [--out FICHIER]` (default: today in Europe/Paris,
//! standard output). For one date, the script is the same byte for byte.

use booking_tests::demo;
use chrono::NaiveDate;

fn main() {
    let mut today = None;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--today", Some(jour)) => today = Some(jour),
            ("--out", Some(chemin)) => out = Some(chemin),
            _ => fail(
                2,
                "usage : demo [--today AAAA-MM-JJ] [--out FICHIER]".to_owned(),
            ),
        }
    }
    let aujourdhui = match today {
        Some(jour) => NaiveDate::parse_from_str(&jour, "%Y-%m-%d")
            .unwrap_or_else(|_| fail(2, format!("--today invalide : {jour} (attendu AAAA-MM-JJ)"))),
        None => chrono::Utc::now().with_timezone(&demo::FUSEAU).date_naive(),
    };
    let texte = demo::script_local_dev(aujourdhui).unwrap_or_else(|e| fail(1, e.to_string()));
    match out {
        Some(chemin) => {
            std::fs::write(&chemin, texte).unwrap_or_else(|e| fail(1, format!("{chemin} : {e}")))
        }
        None => print!("{texte}"),
    }
}

fn fail(code: i32, message: String) -> ! {
    eprintln!("demo : {message}");
    std::process::exit(code)
}
