//! Validates every `verticals/*.json` with the same parser the Worker uses, and writes
//! them as a `wrangler kv bulk put` file. Refuses (exit 1, the field named) if any is
//! invalid, so a bad document never reaches KV.
//!
//! Usage: verticals <out.json>

use booking_shared::ports::vertical_key;
use booking_shared::vertical::VerticalConfig;

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage : verticals <fichier de sortie>");
        std::process::exit(2);
    };
    let folder = booking_tests::root().join("verticals");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", folder.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| !p.to_string_lossy().ends_with(".schema.json"))
        .collect();
    paths.sort();
    let mut entries = Vec::new();
    let mut failed = false;
    for path in paths {
        let raw = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
        match VerticalConfig::parse(&raw) {
            Ok(config) => {
                let expected = path.file_stem().unwrap_or_default().to_string_lossy();
                if config.slug() != expected {
                    eprintln!(
                        "{} : slug « {} » différent du nom du fichier",
                        path.display(),
                        config.slug()
                    );
                    failed = true;
                }
                entries
                    .push(serde_json::json!({ "key": vertical_key(config.slug()), "value": raw }));
            }
            Err(error) => {
                eprintln!("{} : {error}", path.display());
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
    let json = serde_json::Value::Array(entries).to_string();
    std::fs::write(&out, json).unwrap_or_else(|e| fail(&format!("{out}: {e}")));
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(1);
}
