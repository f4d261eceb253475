//! The durable outbox: writes made on a bad network (location batches, check-ins, study
//! heartbeats, help sessions) are kept in
//! SQLite on the phone, each with the idempotency key the server dedupes on, and sent in order
//! when the network returns, with backoff. A restart loses nothing (the file is the queue); a
//! send whose answer was lost is sent again and the server answers "already have it"; a
//! permanent refusal (4xx) is kept as `rejected` for the app to show, never retried forever.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};
use tokio::sync::watch;

use super::{Client, ClientError, Subscription};
use crate::api::{
    CheckinRequest, GpsFix, HelpSessionNew, LocationBatchRequest, StudyBeats, VisitNew,
};

/// Schema version of the outbox file (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 2;
const MAX_BACKOFF_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum OutboxState {
    /// Waiting to be sent (again).
    Pending,
    /// The server has it.
    Sent,
    /// The server refused it for good; the user must be told.
    Rejected,
}

impl OutboxState {
    fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sent => "sent",
            OutboxState::Rejected => "rejected",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            OutboxState::Pending,
            OutboxState::Sent,
            OutboxState::Rejected,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OutboxItem {
    pub id: i64,
    /// `location_batch`, `checkin`, `study_beats`, `help_session` or `visit`.
    pub kind: String,
    pub idempotency_key: String,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    /// The server's error code, or `network`, of the last failed attempt.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A check-in that could not be sent at once. Taken offline, it has no code: one is fetched
/// when it is sent (a code lives two minutes), so the server sees the fix's real age and judges
/// it (a stale fix, or a face whose liveness no pose proved, goes to review). Taken online with
/// a code and its pose frames, it is sent with them while the code lives, and as an offline
/// one once the code has expired: the check-in is never lost for want of a code.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CheckinDraft {
    photo: String,
    #[serde(default)]
    frames: Vec<String>,
    #[serde(default)]
    nonce: Option<String>,
    location: GpsFix,
    app_version: String,
    idempotency_key: String,
}

/// What the app implements to show the outbox: the current items first, then every change.
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait OutboxListener: Send + Sync {
    fn on_change(&self, items: Vec<OutboxItem>);
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FlushReport {
    pub sent: u32,
    pub rejected: u32,
    /// Left for later: the network or the server failed; or not yet due.
    pub deferred: u32,
}

pub struct Outbox {
    pool: SqlitePool,
    changes: watch::Sender<u64>,
    /// The first retry waits about this long; each further one twice as long (to 5 minutes).
    backoff_unit: chrono::Duration,
}

fn storage(e: impl std::fmt::Display) -> ClientError {
    ClientError::Storage(e.to_string())
}

fn backoff(unit: chrono::Duration, attempts: u32) -> chrono::Duration {
    let ms = (unit.num_milliseconds() << attempts.min(16)).min(MAX_BACKOFF_SECS * 1000);
    // ±20 % jitter so a whole county's phones do not come back in the same second.
    let jitter = 0.8 + rand::random::<f64>() * 0.4;
    chrono::Duration::milliseconds((ms as f64 * jitter) as i64)
}

impl Outbox {
    /// Opens (or creates) the outbox file. One writer connection, WAL.
    pub async fn open(path: &Path) -> Result<Outbox, ClientError> {
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .map_err(storage)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await
            .map_err(storage)?;
        let version: i64 = sqlx::query_scalar("PRAGMA user_version")
            .fetch_one(&pool)
            .await
            .map_err(storage)?;
        if version > SCHEMA_VERSION {
            return Err(ClientError::Storage(format!(
                "outbox schema {version} is newer than this app ({SCHEMA_VERSION})"
            )));
        }
        if version < 1 {
            sqlx::query(
                "CREATE TABLE IF NOT EXISTS outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    method TEXT NOT NULL,
                    path TEXT NOT NULL,
                    body BLOB NOT NULL,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    last_error TEXT,
                    created_at INTEGER NOT NULL,
                    done_at INTEGER
                )",
            )
            .execute(&pool)
            .await
            .map_err(storage)?;
            sqlx::query("PRAGMA user_version = 1")
                .execute(&pool)
                .await
                .map_err(storage)?;
        }
        if version < 2 {
            // What each screen last showed, to show it again offline (`remember`, `recall`).
            sqlx::query(
                "CREATE TABLE IF NOT EXISTS screens (
                    key TEXT PRIMARY KEY,
                    state BLOB NOT NULL,
                    saved_at INTEGER NOT NULL
                )",
            )
            .execute(&pool)
            .await
            .map_err(storage)?;
            sqlx::query("PRAGMA user_version = 2")
                .execute(&pool)
                .await
                .map_err(storage)?;
        }
        Ok(Outbox {
            pool,
            changes: watch::channel(0).0,
            backoff_unit: chrono::Duration::seconds(1),
        })
    }

    /// Keeps what screen `key` showed (its data as JSON), known at `at`, replacing the last.
    pub async fn remember(
        &self,
        key: &str,
        state: &[u8],
        at: DateTime<Utc>,
    ) -> Result<(), ClientError> {
        sqlx::query(
            "INSERT INTO screens (key, state, saved_at) VALUES (?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at",
        )
        .bind(key)
        .bind(state)
        .bind(at.timestamp_millis())
        .execute(&self.pool)
        .await
        .map_err(storage)?;
        Ok(())
    }

    /// What screen `key` last showed, and when it was known.
    pub async fn recall(&self, key: &str) -> Result<Option<(Vec<u8>, DateTime<Utc>)>, ClientError> {
        let row: Option<(Vec<u8>, i64)> =
            sqlx::query_as("SELECT state, saved_at FROM screens WHERE key = ?")
                .bind(key)
                .fetch_optional(&self.pool)
                .await
                .map_err(storage)?;
        Ok(row.and_then(|(state, at)| {
            DateTime::<Utc>::from_timestamp_millis(at).map(|at| (state, at))
        }))
    }

    /// Shorter or longer waits between retries (tests use milliseconds).
    pub fn with_backoff_unit(mut self, unit: chrono::Duration) -> Outbox {
        self.backoff_unit = unit;
        self
    }

    /// Notified (with a counter) whenever an item is added or changes state.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }

    async fn enqueue(
        &self,
        kind: &str,
        path: &str,
        body: Vec<u8>,
        key: &str,
    ) -> Result<(), ClientError> {
        let now = Utc::now().timestamp_millis();
        // The same write queued twice (a double tap) is one item.
        sqlx::query(
            "INSERT OR IGNORE INTO outbox (kind, method, path, body, idempotency_key, state, next_attempt_at, created_at)
             VALUES (?, 'POST', ?, ?, ?, 'pending', ?, ?)",
        )
        .bind(kind)
        .bind(path)
        .bind(body)
        .bind(key)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(storage)?;
        self.changed();
        Ok(())
    }

    /// Queues a location batch; its `batch_id` is the key the server dedupes on.
    pub async fn enqueue_locations(&self, req: &LocationBatchRequest) -> Result<(), ClientError> {
        let body = serde_json::to_vec(req).map_err(storage)?;
        self.enqueue(
            "location_batch",
            "/locations/batches",
            body,
            &req.batch_id.to_string(),
        )
        .await
    }

    /// Queues heartbeats of a study session the network could not take. The server takes each
    /// sequence number once, so the first and last number make the key.
    pub async fn enqueue_study_beats(
        &self,
        session_id: uuid::Uuid,
        req: &StudyBeats,
    ) -> Result<(), ClientError> {
        let seqs = req.beats.iter().map(|b| b.seq);
        let key = format!(
            "study:{session_id}:{}-{}",
            seqs.clone().min().unwrap_or(0),
            seqs.max().unwrap_or(0)
        );
        let body = serde_json::to_vec(req).map_err(storage)?;
        self.enqueue(
            "study_beats",
            &format!("/study-sessions/{session_id}/beats"),
            body,
            &key,
        )
        .await
    }

    /// Queues a help session a volunteer wrote without a network; its `id` is the key the
    /// server dedupes on, so it is logged once however often it is sent.
    pub async fn enqueue_help_session(
        &self,
        case_id: uuid::Uuid,
        req: &HelpSessionNew,
    ) -> Result<(), ClientError> {
        let body = serde_json::to_vec(req).map_err(storage)?;
        self.enqueue(
            "help_session",
            &format!("/cases/{case_id}/help-sessions"),
            body,
            &format!("help:{}", req.id),
        )
        .await
    }

    /// Queues a visit an officer recorded in the field without a network; its `id` is the key
    /// the server dedupes on. The fix keeps the time it was taken, so the server judges it
    /// against the visit's time, not the time it arrives.
    pub async fn enqueue_visit(
        &self,
        case_id: uuid::Uuid,
        req: &VisitNew,
    ) -> Result<(), ClientError> {
        let body = serde_json::to_vec(req).map_err(storage)?;
        self.enqueue(
            "visit",
            &format!("/cases/{case_id}/visits"),
            body,
            &format!("visit:{}", req.id),
        )
        .await
    }

    /// Queues a check-in. `posed`: the code it was taken for and one frame per further pose
    /// (base64); without it the code is fetched when the check-in is sent.
    pub async fn enqueue_checkin(
        &self,
        photo_base64: String,
        posed: Option<(String, Vec<String>)>,
        location: GpsFix,
        app_version: String,
        idempotency_key: String,
    ) -> Result<(), ClientError> {
        let (nonce, frames) = posed.map_or((None, Vec::new()), |(n, f)| (Some(n), f));
        let draft = CheckinDraft {
            photo: photo_base64,
            frames,
            nonce,
            location,
            app_version,
            idempotency_key: idempotency_key.clone(),
        };
        let body = serde_json::to_vec(&draft).map_err(storage)?;
        self.enqueue("checkin", "/checkins", body, &idempotency_key)
            .await
    }

    pub async fn items(&self) -> Result<Vec<OutboxItem>, ClientError> {
        let rows = sqlx::query(
            "SELECT id, kind, idempotency_key, state, attempts, next_attempt_at, last_error, created_at
             FROM outbox ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(storage)?;
        rows.into_iter()
            .map(|r| {
                let ts = |col: &str| -> Result<DateTime<Utc>, ClientError> {
                    let ms: i64 = r.try_get(col).map_err(storage)?;
                    DateTime::from_timestamp_millis(ms).ok_or_else(|| storage("bad time"))
                };
                Ok(OutboxItem {
                    id: r.try_get("id").map_err(storage)?,
                    kind: r.try_get("kind").map_err(storage)?,
                    idempotency_key: r.try_get("idempotency_key").map_err(storage)?,
                    state: OutboxState::parse(r.try_get::<&str, _>("state").map_err(storage)?)
                        .ok_or_else(|| storage("bad state"))?,
                    attempts: r.try_get::<i64, _>("attempts").map_err(storage)? as u32,
                    next_attempt_at: ts("next_attempt_at")?,
                    last_error: r.try_get("last_error").map_err(storage)?,
                    created_at: ts("created_at")?,
                })
            })
            .collect()
    }

    async fn mark(
        &self,
        id: i64,
        state: OutboxState,
        error: Option<&str>,
        next: Option<DateTime<Utc>>,
    ) -> Result<(), ClientError> {
        let now = Utc::now().timestamp_millis();
        sqlx::query(
            "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?,
                next_attempt_at = COALESCE(?, next_attempt_at),
                done_at = CASE WHEN ? = 'pending' THEN NULL ELSE ? END
             WHERE id = ?",
        )
        .bind(state.as_str())
        .bind(error)
        .bind(next.map(|t| t.timestamp_millis()))
        .bind(state.as_str())
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(storage)?;
        self.changed();
        Ok(())
    }

    /// Sends what is due, oldest first. Stops at the first failure that says the network or
    /// the server is down (the rest would fail the same way).
    pub async fn flush(&self, client: &Client) -> Result<FlushReport, ClientError> {
        let now = Utc::now();
        let rows = sqlx::query(
            "SELECT id, kind, path, body, attempts, next_attempt_at FROM outbox
             WHERE state = 'pending' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(storage)?;
        let mut report = FlushReport::default();
        let mut halted = false;
        for r in rows {
            let id: i64 = r.try_get("id").map_err(storage)?;
            let due: i64 = r.try_get("next_attempt_at").map_err(storage)?;
            if halted || due > now.timestamp_millis() {
                report.deferred += 1;
                continue;
            }
            let kind: String = r.try_get("kind").map_err(storage)?;
            let path: String = r.try_get("path").map_err(storage)?;
            let body: Vec<u8> = r.try_get("body").map_err(storage)?;
            let attempts = r.try_get::<i64, _>("attempts").map_err(storage)? as u32;
            let sent = match kind.as_str() {
                "checkin" => send_checkin(client, &body).await,
                _ => client
                    .send(Method::POST, &path, Some(&body))
                    .await
                    .map(|_| ()),
            };
            match sent {
                Ok(()) => {
                    self.mark(id, OutboxState::Sent, None, None).await?;
                    report.sent += 1;
                }
                Err(e) if e.is_transient() => {
                    let code = e.code().map_or("network", |c| c.code());
                    let next = Utc::now() + backoff(self.backoff_unit, attempts);
                    self.mark(id, OutboxState::Pending, Some(code), Some(next))
                        .await?;
                    report.deferred += 1;
                    halted = true;
                }
                // Signed out (or the session ended): keep it until the user signs in again.
                Err(ClientError::NotSignedIn) => {
                    report.deferred += 1;
                    halted = true;
                }
                Err(e @ ClientError::Api { status: 401, .. }) => {
                    let code = e.code().map_or("unauthorized", |c| c.code());
                    self.mark(id, OutboxState::Pending, Some(code), None)
                        .await?;
                    report.deferred += 1;
                    halted = true;
                }
                Err(e @ ClientError::Api { .. }) => {
                    let code = e.code().map_or("rejected", |c| c.code());
                    self.mark(id, OutboxState::Rejected, Some(code), None)
                        .await?;
                    report.rejected += 1;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }

    /// Sends everything that waits now, its backoff forgotten: for when the connection has
    /// just come back (the live stream reconnected), which is what the backoff waited for.
    pub async fn flush_now(&self, client: &Client) -> Result<FlushReport, ClientError> {
        sqlx::query("UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending'")
            .execute(&self.pool)
            .await
            .map_err(storage)?;
        self.changed();
        self.flush(client).await
    }

    /// Tells `listener` the items now and after every change, until the subscription is
    /// dropped.
    pub fn observe(
        self: &std::sync::Arc<Self>,
        listener: std::sync::Arc<dyn OutboxListener>,
    ) -> Subscription {
        let outbox = self.clone();
        let mut changes = self.changes.subscribe();
        Subscription::spawn(async move {
            loop {
                changes.mark_unchanged();
                if let Ok(items) = outbox.items().await {
                    listener.on_change(items);
                }
                if changes.changed().await.is_err() {
                    return;
                }
            }
        })
    }

    /// Forgets items the server has had for longer than `age`.
    pub async fn purge_sent(&self, age: chrono::Duration) -> Result<u64, ClientError> {
        let cutoff = (Utc::now() - age).timestamp_millis();
        let done = sqlx::query("DELETE FROM outbox WHERE state = 'sent' AND done_at < ?")
            .bind(cutoff)
            .execute(&self.pool)
            .await
            .map_err(storage)?;
        Ok(done.rows_affected())
    }
}

async fn send_checkin(client: &Client, body: &[u8]) -> Result<(), ClientError> {
    let draft: CheckinDraft =
        serde_json::from_slice(body).map_err(|e| ClientError::Decode(e.to_string()))?;
    let mut req = CheckinRequest {
        nonce: String::new(),
        photo: draft.photo,
        frames: draft.frames,
        location: draft.location,
        app_version: draft.app_version,
        idempotency_key: draft.idempotency_key,
    };
    if let Some(nonce) = draft.nonce {
        req.nonce = nonce;
        match client.submit_checkin(&req).await {
            Err(e) if e.code() == Some(crate::ErrorCode::ChallengeInvalid) => {}
            other => return other.map(|_| ()),
        }
    }
    // No code, or it expired while the check-in waited: a fresh one, without the frames
    // taken for the old one's poses.
    req.nonce = client.checkin_challenge().await?.nonce;
    req.frames.clear();
    client.submit_checkin(&req).await.map(|_| ())
}
