//! The scheduled job (every 5 minutes): what it does, in one single-step run.

use serde_json::json;

use crate::app::Ctx;

/// One run. Never panics; logs a one-line report.
pub async fn run(ctx: &Ctx<'_>) {
    crate::log::line(json!({ "evenement": "cron", "a": ctx.clock.now().to_rfc3339() }));
}
