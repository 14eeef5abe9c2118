//! Fills a local D1 database (a `wrangler dev` state folder, migrations applied, no
//! server running on it) with a marketplace's worth of professionals and bookings, through
//! the store's own statements (`booking_tests::echelle`), and prints how long it took.
//!
//! Usage: echelle --etat DOSSIER [--pros N (par verticale, 100000)]
//!                [--reservations N (1000000)] [--lot N (20000 instructions par transaction)]
//! (run by `local-dev/echelle`)

use booking_tests::{argument, argument_nombre};
use std::time::Instant;

use booking_tests::echelle::{remplir, Volume};
use booking_tests::wrangler::fichier_d1;
use booking_tests::SqliteDb;

fn echouer(message: String) -> ! {
    eprintln!("echelle : {message}");
    std::process::exit(1);
}

fn main() {
    let Some(etat) = argument("--etat") else {
        echouer("indiquez le dossier d'état de wrangler (--etat)".into());
    };
    let volume = Volume {
        pros_par_vertical: argument_nombre("--pros", Volume::PLEIN.pros_par_vertical),
        reservations: argument_nombre("--reservations", Volume::PLEIN.reservations),
        ..Volume::PLEIN
    };
    let lot = usize::try_from(argument_nombre("--lot", 20_000_u64)).unwrap_or(20_000);
    let fichier = fichier_d1(std::path::Path::new(&etat))
        .unwrap_or_else(|| echouer(format!("aucune base D1 locale dans {etat}")));
    let db = SqliteDb::ouvrir(&fichier)
        .unwrap_or_else(|e| echouer(format!("{}: {e}", fichier.display())));
    let configs = booking_tests::demo::configurations().unwrap_or_else(|e| echouer(e.to_string()));
    let aujourdhui = chrono::Utc::now().date_naive();
    let debut = Instant::now();
    let total = volume.pros_par_vertical * configs.len() as u64;
    let bilan = futures::executor::block_on(remplir(&db, &configs, volume, aujourdhui, lot, |b| {
        if b.professionnels.is_multiple_of(20_000) {
            eprintln!(
                "  {} / {total} professionnels, {} réservations ({:.0} s)",
                b.professionnels,
                b.reservations,
                debut.elapsed().as_secs_f64()
            );
        }
    }))
    .unwrap_or_else(|e| echouer(e.to_string()));
    println!(
        "{} professionnels, {} prestations, {} réservations écrits en {:.1} s",
        bilan.professionnels,
        bilan.services,
        bilan.reservations,
        debut.elapsed().as_secs_f64()
    );
}
