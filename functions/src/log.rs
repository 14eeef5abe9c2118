//! One line per event, as JSON, to the runtime's log (Workers Logs, or stderr natively).

use booking_shared::ports::Log;

pub fn line(value: serde_json::Value) {
    emit(&value.to_string());
}

/// The use cases' [`Log`] port: the same log.
pub struct WorkerLog;

impl Log for WorkerLog {
    fn ligne(&self, ligne: serde_json::Value) {
        line(ligne);
    }
}

#[cfg(target_arch = "wasm32")]
fn emit(text: &str) {
    worker::console_log!("{}", text);
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static CAPTURE: std::cell::RefCell<Option<Vec<String>>> = const { std::cell::RefCell::new(None) };
}

#[cfg(not(target_arch = "wasm32"))]
fn emit(text: &str) {
    let capture = CAPTURE.with(|c| {
        c.borrow_mut()
            .as_mut()
            .map(|lignes| lignes.push(text.to_owned()))
            .is_some()
    });
    if !capture && std::env::var_os("BOOKING_LOG").is_some() {
        eprintln!("{text}");
    }
}

/// Natively, for tests: runs `f` and returns the lines it logged on this thread.
#[cfg(not(target_arch = "wasm32"))]
pub fn capturer<R>(f: impl FnOnce() -> R) -> (R, Vec<String>) {
    let avant = CAPTURE.with(|c| c.borrow_mut().replace(Vec::new()));
    let resultat = f();
    let lignes = CAPTURE.with(|c| std::mem::replace(&mut *c.borrow_mut(), avant));
    (resultat, lignes.unwrap_or_default())
}
