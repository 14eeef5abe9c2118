//! Creates (or resets) an admin account: hashes the password with the Worker's own
//! parameters (PBKDF2-HMAC-SHA256, 100 000 iterations, random salt) and prints the SQL
//! for `wrangler d1 execute` (see `local-dev/create-admin`).
//!
//! Usage: `admin EMAIL [NOM]`, the password on stdin (first line) or in
//! `BOOKING_ADMIN_PASSWORD`.

use std::io::BufRead;

use booking_functions::comptes::derivation::Pbkdf2;
use booking_functions::random::OsRandom;
use booking_shared::comptes::mot_de_passe::{self, Empreinte};
use booking_shared::comptes::MotDePasse;
use booking_shared::ports::Random;
use booking_shared::store::utilisateurs;
use booking_shared::types::Email;
use booking_tests::sql_script::en_ligne;

fn hacher(mdp: &str, sel: [u8; 16]) -> Empreinte {
    futures::executor::block_on(mot_de_passe::hacher(&Pbkdf2, mdp, sel)).unwrap_or_else(|e| {
        eprintln!("hachage impossible : {e}");
        std::process::exit(1)
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(email) = args.first().and_then(|e| Email::parse(e).ok()) else {
        eprintln!("usage : admin EMAIL [NOM]   (mot de passe sur l'entrée standard ou dans BOOKING_ADMIN_PASSWORD)");
        std::process::exit(2);
    };
    let nom = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "Administrateur".into());
    let mdp = std::env::var("BOOKING_ADMIN_PASSWORD").unwrap_or_else(|_| {
        let mut ligne = String::new();
        let _ = std::io::stdin().lock().read_line(&mut ligne);
        ligne.trim_end_matches(['\n', '\r']).to_owned()
    });
    if let Err(e) = MotDePasse::parse(&mdp) {
        eprintln!("{}", e.message);
        std::process::exit(2);
    }
    let e = hacher(&mdp, OsRandom.octets());
    let maintenant = chrono::Utc::now().timestamp();
    // The repository's own statement (verified account, sessions revoked on a reset),
    // its parameters written in as SQL literals for `wrangler d1 execute --command`.
    let statement = utilisateurs::creer_admin(email.as_str(), &nom, &e, maintenant);
    match en_ligne(&statement) {
        Ok(sql) => println!("{sql};"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
