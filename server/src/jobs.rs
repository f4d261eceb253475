//! Background jobs: periodic work that must run once across server instances. Each domain
//! lists its own in a `JOBS` constant, named in its `DOMAIN`; `app::jobs()` gathers them and
//! this module runs whatever it is given (it knows no domain). Each job runs in its
//! own transaction under its own PostgreSQL advisory lock (SQLite is a single instance by
//! nature), so one domain's failure is logged and rolled back without
//! undoing the others, and two instances never run the same job at once. Each job is itself
//! idempotent (conditional updates), so a restart or an overlap never double-fires; its live
//! events are published after its commit.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::error::ApiResult;
use crate::state::AppState;
use crate::work::Work;

/// First key of every job's advisory lock ("HJJB"); the second is the job's name hashed.
const LOCK_SPACE: i32 = 0x484a_4a42;

/// One job's body: does its work inside `work` and says how many things it handled.
pub type JobFn = for<'a> fn(&'a AppState, &'a Work, DateTime<Utc>) -> BoxFuture<'a, ApiResult<u64>>;

pub struct Job {
    /// Stable: it names the lock and the report line.
    pub name: &'static str,
    pub run: JobFn,
}

/// Queues a job's events for after its commit; each is one thing handled.
pub fn announce(w: &Work, events: Vec<crate::events::Event>) -> u64 {
    let n = events.len() as u64;
    w.publish_all(events);
    n
}

/// What one run did, job by job.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct JobReport {
    /// Jobs that ran here, with how many things each handled.
    pub ran: Vec<(&'static str, u64)>,
    /// Jobs another instance was running (its lock was held).
    pub skipped: Vec<&'static str>,
    /// Jobs that failed (rolled back, logged; retried next run), with the error code.
    pub failed: Vec<(&'static str, String)>,
}

impl JobReport {
    /// How many things `job` handled in this run (0 if it did not run here).
    pub fn count(&self, job: &str) -> u64 {
        self.ran
            .iter()
            .find(|(name, _)| *name == job)
            .map_or(0, |(_, n)| *n)
    }
}

/// Runs `jobs` once, each in its own transaction.
pub async fn run<'j>(
    state: &AppState,
    jobs: impl IntoIterator<Item = &'j Job>,
) -> ApiResult<JobReport> {
    let mut report = JobReport::default();
    let now = state.clock.now();
    for job in jobs {
        let work = Work::begin(state).await?;
        if !lock(&work, job.name).await? {
            report.skipped.push(job.name);
            continue;
        }
        match (job.run)(state, &work, now).await {
            Ok(n) => {
                work.commit().await?;
                report.ran.push((job.name, n));
            }
            Err(e) => {
                // Dropping `work` rolls this job back; the others go on.
                tracing::warn!(job = job.name, code = %e.code, "job failed; will retry");
                report.failed.push((job.name, e.code.code().to_owned()));
            }
        }
    }
    // Another instance may have changed the fences.
    state.fences.refresh_if_changed(&state.db).await?;
    Ok(report)
}

/// Takes the job's transaction-level advisory lock on PostgreSQL (released at commit or
/// rollback); false when another instance holds it.
async fn lock(work: &Work, job: &str) -> ApiResult<bool> {
    let db = work.db();
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(true);
    }
    let row = db
        .query_one(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_try_advisory_xact_lock($1, $2) AS locked",
            [LOCK_SPACE.into(), name_key(job).into()],
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<bool>("", "locked"))
        .transpose()?
        .unwrap_or(false))
}

/// FNV-1a of the job's name: the same on every instance and every build.
pub(crate) fn name_key(name: &str) -> i32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h as i32
}

/// Runs `run_all` (every domain's jobs: `app::run_jobs`) every `interval` until the process
/// ends.
pub fn spawn(
    state: AppState,
    interval: Duration,
    run_all: for<'a> fn(&'a AppState) -> BoxFuture<'a, ApiResult<JobReport>>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_all(&state).await {
                Ok(r) => {
                    let busy: Vec<_> = r.ran.iter().filter(|(_, n)| *n > 0).collect();
                    if !busy.is_empty() {
                        tracing::info!(jobs = ?busy, "jobs ran");
                    }
                }
                Err(e) => tracing::warn!(code = %e.code, "jobs could not start; will retry"),
            }
        }
    })
}
