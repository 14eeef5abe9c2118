//! The scheduled job's entry (every 5 minutes): its steps are the use case
//! `booking_shared::cas::cron::executer`; here, the check of the deployment's secrets and
//! the run's log line.

use booking_shared::cas::cron;

use crate::app::Ctx;

/// One run. Never panics; logs a one-line report. Does nothing, and logs which secret is
/// missing, when the deployment lacks a required secret.
pub async fn run(ctx: &Ctx<'_>) {
    if !crate::app::configuration_complete(ctx.settings, "cron") {
        return;
    }
    let verticals = ctx.toutes_verticals().await;
    let rapport = cron::executer(&ctx.ports(), &verticals).await;
    crate::log::line(rapport);
}
