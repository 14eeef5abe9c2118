//! One line per event, as JSON, to the runtime's log (Workers Logs, or stderr natively).

pub fn line(value: serde_json::Value) {
    emit(&value.to_string());
}

#[cfg(target_arch = "wasm32")]
fn emit(text: &str) {
    worker::console_log!("{}", text);
}

#[cfg(not(target_arch = "wasm32"))]
fn emit(text: &str) {
    if std::env::var_os("BOOKING_LOG").is_some() {
        eprintln!("{text}");
    }
}
