//! Login attempt counters (table `login_throttles`), atomic on both databases: one upsert
//! counts an attempt and reads the counter back, so parallel guesses cannot slip past the
//! limit. A user name is counted whether or not the account exists (an unknown name locks
//! like a known one, so a lockout says nothing about who has an account); a client address is
//! counted too, so one address cannot lock every account it can name.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::error::ApiResult;

/// The counter key of a user name.
pub fn user_key(username: &str) -> String {
    format!("user:{username}")
}

/// The counter key of a client address.
pub fn address_key(ip: &str) -> String {
    format!("addr:{ip}")
}

/// Counts one attempt on `key` and returns the count in the current run, or the time a lock
/// ends. A lock that has ended, or a run older than `window`, starts again from one.
pub async fn count(
    db: &impl ConnectionTrait,
    key: &str,
    window: Duration,
    now: DateTime<Utc>,
) -> ApiResult<Result<i32, DateTime<Utc>>> {
    let (now_ms, stale_ms) = (now.timestamp_millis(), (now - window).timestamp_millis());
    let backend = db.get_database_backend();
    let sql = |p: [&str; 6]| {
        format!(
            "INSERT INTO login_throttles (key, failures, locked_until_ms, updated_ms) \
             VALUES ({}, 1, NULL, {}) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN (login_throttles.locked_until_ms IS NOT NULL AND login_throttles.locked_until_ms <= {}) \
                   OR (login_throttles.locked_until_ms IS NULL AND login_throttles.updated_ms < {}) \
                 THEN 1 ELSE login_throttles.failures + 1 END, \
               locked_until_ms = CASE WHEN login_throttles.locked_until_ms <= {} THEN NULL \
                 ELSE login_throttles.locked_until_ms END, \
               updated_ms = {} \
             RETURNING failures, locked_until_ms",
            p[0], p[1], p[2], p[3], p[4], p[5]
        )
    };
    let stmt = match backend {
        DbBackend::Postgres => Statement::from_sql_and_values(
            backend,
            sql(["$1", "$2", "$2", "$3", "$2", "$2"]),
            [key.into(), now_ms.into(), stale_ms.into()],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            sql(["?", "?", "?", "?", "?", "?"]),
            [
                key.into(),
                now_ms.into(),
                now_ms.into(),
                stale_ms.into(),
                now_ms.into(),
                now_ms.into(),
            ],
        ),
    };
    let row = db
        .query_one(stmt)
        .await?
        .ok_or_else(|| crate::error::ApiError::internal("upsert returned no row"))?;
    let failures: i32 = row.try_get("", "failures")?;
    let locked: Option<i64> = row.try_get("", "locked_until_ms")?;
    Ok(match locked.filter(|ms| *ms > now_ms) {
        Some(ms) => Err(Utc.timestamp_millis_opt(ms).single().unwrap_or(now)),
        None => Ok(failures),
    })
}

/// Whether `key` is locked now (read only: a refused address is not counted further).
pub async fn locked(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
) -> ApiResult<Option<DateTime<Utc>>> {
    let backend = db.get_database_backend();
    let p = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let row = db
        .query_one(Statement::from_sql_and_values(
            backend,
            format!("SELECT locked_until_ms FROM login_throttles WHERE key = {p}"),
            [key.into()],
        ))
        .await?;
    let ms: Option<i64> = match row {
        Some(r) => r.try_get("", "locked_until_ms")?,
        None => None,
    };
    Ok(ms
        .filter(|ms| *ms > now.timestamp_millis())
        .and_then(|ms| Utc.timestamp_millis_opt(ms).single()))
}

/// Locks `key` until `until`.
pub async fn lock(db: &impl ConnectionTrait, key: &str, until: DateTime<Utc>) -> ApiResult<()> {
    let backend = db.get_database_backend();
    let (a, b) = if backend == DbBackend::Postgres {
        ("$1", "$2")
    } else {
        ("?", "?")
    };
    db.execute(Statement::from_sql_and_values(
        backend,
        format!("UPDATE login_throttles SET locked_until_ms = {a} WHERE key = {b}"),
        [until.timestamp_millis().into(), key.into()],
    ))
    .await?;
    Ok(())
}

/// Forgets `key`'s attempts (a successful sign-in, or a security admin's unlock).
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> ApiResult<()> {
    let backend = db.get_database_backend();
    let p = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    db.execute(Statement::from_sql_and_values(
        backend,
        format!("DELETE FROM login_throttles WHERE key = {p}"),
        [key.into()],
    ))
    .await?;
    Ok(())
}

/// One sign-in at a time per name on this instance. An attempt is counted before its password
/// is checked, so parallel guesses cannot slip past the limit; attempts with the right
/// password sent at once (a flaky network, two taps) would then count each other as failures
/// and lock the account. In line, each sees the count its predecessors left: a success clears
/// it, so only failures count. Across instances the database count still bounds guessing.
#[derive(Clone, Default)]
pub struct Gates(Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>);

/// Held while a sign-in for one name runs.
pub struct Gate {
    gates: Gates,
    key: String,
    held: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Gates {
    pub async fn enter(&self, key: &str) -> Gate {
        let lock = self
            .0
            .lock()
            .expect("not poisoned")
            .entry(key.to_owned())
            .or_default()
            .clone();
        Gate {
            gates: self.clone(),
            key: key.to_owned(),
            held: Some(lock.lock_owned().await),
        }
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.held.take();
        let mut map = self.gates.0.lock().expect("not poisoned");
        // Nobody waits on this name any more: forget it.
        if map
            .get(&self.key)
            .is_some_and(|m| Arc::strong_count(m) == 1)
        {
            map.remove(&self.key);
        }
    }
}
