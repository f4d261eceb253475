//! Background jobs: periodic work (overdue leaves, missed check-ins) that must run once across server
//! instances. On PostgreSQL a transaction-level advisory lock elects the runner; SQLite is a
//! single instance by nature. Each job is itself idempotent (conditional updates), so a
//! restart or an overlap never double-fires.

use std::time::Duration;

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

use crate::error::ApiResult;
use crate::state::AppState;

/// Advisory lock key of the job runner ("HJJOBS").
const LOCK_KEY: i64 = 0x484a_4a4f_4253;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct JobReport {
    /// False when another instance held the lock.
    pub ran: bool,
    pub overdue_leaves: usize,
    pub missed_checkins: usize,
    pub purged_photos: usize,
    pub silent: usize,
    pub purged_points: u64,
}

pub async fn run_once(state: &AppState) -> ApiResult<JobReport> {
    let txn = state.db.begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        let row = txn
            .query_one(Statement::from_string(
                DbBackend::Postgres,
                format!("SELECT pg_try_advisory_xact_lock({LOCK_KEY}) AS locked"),
            ))
            .await?;
        let locked: bool = row
            .map(|r| r.try_get("", "locked"))
            .transpose()?
            .unwrap_or(false);
        if !locked {
            return Ok(JobReport::default());
        }
    }
    let now = Utc::now();
    let overdue = crate::requests::leave::mark_overdue(&txn, now.date_naive()).await?;
    let mut missed = crate::checkins::schedule::mark_missed(&txn, now).await?;
    missed.extend(crate::checkins::requests::mark_expired(&txn, now).await?);
    let mut roll = || rand::random::<f64>();
    let asked = crate::checkins::requests::ask_at_random(
        &txn,
        now,
        state.config.jobs_interval_secs.max(60),
        &mut roll,
    )
    .await?;
    let purged =
        crate::checkins::retention::purge(&txn, &state.media, &state.config.checkin.retention, now)
            .await?;
    let silent = crate::locations::monitor::mark_silent(&txn, &state.config.location, now).await?;
    let points = crate::locations::monitor::purge(&txn, &state.config.location, now).await?;
    txn.commit().await?;
    // Another instance may have changed the fences.
    state.fences.refresh_if_changed(&state.db).await?;
    let report = JobReport {
        ran: true,
        overdue_leaves: overdue.len(),
        missed_checkins: missed.len(),
        purged_photos: purged.checkin_photos,
        silent: silent.len(),
        purged_points: points.deleted + points.thinned,
    };
    // Announced only after the commit: nothing is pushed that could still roll back.
    for e in overdue.into_iter().chain(missed).chain(asked).chain(silent) {
        state.events.publish(e);
    }
    Ok(report)
}

/// Runs the jobs every `interval` until the process ends.
pub fn spawn(state: AppState, interval: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_once(&state).await {
                Ok(r) if r.overdue_leaves + r.missed_checkins > 0 => tracing::info!(
                    overdue_leaves = r.overdue_leaves,
                    missed_checkins = r.missed_checkins,
                    "jobs ran"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(code = %e.code, "jobs failed; will retry"),
            }
        }
    })
}
