//! How a heartbeat batch's rows reach the database. On PostgreSQL each write is one statement
//! text whatever the batch's size: the rows go bound as one array a column and `unnest`
//! spreads them. Why: batches differ in size, and a multi-row `VALUES` list of each length is
//! a statement of its own, parsed, planned and prepared anew (a round trip more) and pushing
//! the others out of the connection's statement cache. SQLite has no arrays: there the rows
//! go as multi-row statements. A bound array holds no NULL, so a value that may be missing goes
//! as a flag and a value.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Value};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};

use crate::entities::{ledger_credit, study_beat, study_session};
use crate::error::ApiResult;

/// Beat rows an INSERT carries at most on SQLite (10 values each: under its variable limit).
const ROWS_PER_INSERT: usize = 1_000;

/// One bound array of a column of `rows`.
fn column<R, T>(rows: &[R], f: impl Fn(&R) -> T) -> Value
where
    Value: From<Vec<T>>,
{
    Value::from(rows.iter().map(f).collect::<Vec<T>>())
}

async fn run(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> ApiResult<()> {
    db.execute(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .await?;
    Ok(())
}

/// Inserts heartbeats kept as evidence.
pub(super) async fn insert_beats(
    db: &impl ConnectionTrait,
    rows: &[study_beat::Model],
) -> ApiResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    if db.get_database_backend() != DbBackend::Postgres {
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            study_beat::Entity::insert_many(
                chunk.iter().cloned().map(study_beat::ActiveModel::from),
            )
            .exec_without_returning(db)
            .await?;
        }
        return Ok(());
    }
    let values = vec![
        column(rows, |b| b.session_id),
        column(rows, |b| b.seq),
        column(rows, |b| b.client_ms),
        column(rows, |b| b.position_ms),
        column(rows, |b| b.playing),
        column(rows, |b| b.foreground),
        column(rows, |b| b.idle_secs),
        column(rows, |b| b.received_at),
        column(rows, |b| b.added_ms),
        column(rows, |b| b.cut.is_some()),
        column(rows, |b| b.cut.clone().unwrap_or_default()),
    ];
    run(
        db,
        "INSERT INTO study_beats (session_id, seq, client_ms, position_ms, playing, foreground, \
         idle_secs, received_at, added_ms, cut) \
         SELECT s, q, c, p, pl, f, i, r, a, CASE WHEN is_cut THEN cut END \
         FROM unnest($1::uuid[], $2::int4[], $3::int8[], $4::int8[], $5::bool[], $6::bool[], \
         $7::int4[], $8::timestamptz[], $9::int8[], $10::bool[], $11::text[]) \
         AS b(s, q, c, p, pl, f, i, r, a, is_cut, cut)",
        values,
    )
    .await
}

/// Writes what a batch moved of its sessions (every row exists and is locked by the caller).
pub(super) async fn update_sessions(
    db: &impl ConnectionTrait,
    rows: &[study_session::Model],
) -> ApiResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    use study_session::Column as C;
    if db.get_database_backend() != DbBackend::Postgres {
        // The insert is a multi-row update: every row is there.
        study_session::Entity::insert_many(
            rows.iter().cloned().map(study_session::ActiveModel::from),
        )
        .on_conflict(
            OnConflict::column(C::Id)
                .update_columns([
                    C::Status,
                    C::EndedAt,
                    C::LastBeatAt,
                    C::LastSeq,
                    C::LastClientMs,
                    C::LastPositionMs,
                    C::LastStudying,
                    C::CreditedMs,
                    C::FurthestMs,
                    C::Completed,
                    C::Version,
                    C::VerifiedMs,
                    C::FaceCheckBy,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        return Ok(());
    }
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    let values = vec![
        column(rows, |s| s.id),
        column(rows, |s| s.status.as_str().to_owned()),
        column(rows, |s| s.ended_at.is_some()),
        column(rows, |s| s.ended_at.unwrap_or(epoch)),
        column(rows, |s| s.last_beat_at.is_some()),
        column(rows, |s| s.last_beat_at.unwrap_or(epoch)),
        column(rows, |s| s.last_seq),
        column(rows, |s| s.last_client_ms),
        column(rows, |s| s.last_position_ms),
        column(rows, |s| s.last_studying),
        column(rows, |s| s.credited_ms),
        column(rows, |s| s.furthest_ms),
        column(rows, |s| s.completed),
        column(rows, |s| s.version),
        column(rows, |s| s.verified_ms),
        column(rows, |s| s.face_check_by.is_some()),
        column(rows, |s| s.face_check_by.unwrap_or(epoch)),
    ];
    run(
        db,
        "UPDATE study_sessions AS s SET status = v.status, \
         ended_at = CASE WHEN v.has_ended THEN v.ended_at END, \
         last_beat_at = CASE WHEN v.has_beat THEN v.last_beat_at END, \
         last_seq = v.last_seq, last_client_ms = v.last_client_ms, \
         last_position_ms = v.last_position_ms, last_studying = v.last_studying, \
         credited_ms = v.credited_ms, furthest_ms = v.furthest_ms, completed = v.completed, \
         version = v.version, verified_ms = v.verified_ms, \
         face_check_by = CASE WHEN v.asked THEN v.face_check_by END \
         FROM unnest($1::uuid[], $2::text[], $3::bool[], $4::timestamptz[], $5::bool[], \
         $6::timestamptz[], $7::int4[], $8::int8[], $9::int8[], $10::bool[], $11::int8[], \
         $12::int8[], $13::bool[], $14::int4[], $15::int8[], $16::bool[], $17::timestamptz[]) \
         AS v(id, status, has_ended, ended_at, has_beat, last_beat_at, last_seq, \
         last_client_ms, last_position_ms, last_studying, credited_ms, furthest_ms, completed, \
         version, verified_ms, asked, face_check_by) \
         WHERE s.id = v.id",
        values,
    )
    .await
}

/// Adds lesson rows to the month's ledger: a session's row of the month grows by the row's
/// `credited_ms`, or is made from it. The rows carry no reason, author, attendance or
/// participation, and at most one a session.
pub(super) async fn add_lesson_credits(
    db: &impl ConnectionTrait,
    rows: &[ledger_credit::Model],
) -> ApiResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    debug_assert!(rows.iter().all(|r| r.session_id.is_some()
        && r.reason.is_none()
        && r.created_by.is_none()
        && r.attendance_id.is_none()
        && r.participation_id.is_none()));
    use ledger_credit::Column as C;
    if db.get_database_backend() != DbBackend::Postgres {
        ledger_credit::Entity::insert_many(
            rows.iter().cloned().map(ledger_credit::ActiveModel::from),
        )
        .on_conflict(
            OnConflict::columns([C::SessionId, C::Month])
                .value(
                    C::CreditedMs,
                    Expr::col((ledger_credit::Entity, C::CreditedMs))
                        .add(Expr::cust("excluded.credited_ms")),
                )
                .update_column(C::UpdatedAt)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        return Ok(());
    }
    let values = vec![
        column(rows, |r| r.id),
        column(rows, |r| r.case_id),
        column(rows, |r| r.obligation.as_str().to_owned()),
        column(rows, |r| r.month.clone()),
        column(rows, |r| r.source.as_str().to_owned()),
        column(rows, |r| r.session_id.unwrap_or_default()),
        column(rows, |r| r.credited_ms),
        column(rows, |r| r.created_at),
        column(rows, |r| r.updated_at),
    ];
    run(
        db,
        "INSERT INTO ledger_credits (id, case_id, obligation, month, source, session_id, \
         credited_ms, created_at, updated_at) \
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], \
         $6::uuid[], $7::int8[], $8::timestamptz[], $9::timestamptz[]) \
         ON CONFLICT (session_id, month) DO UPDATE \
         SET credited_ms = ledger_credits.credited_ms + EXCLUDED.credited_ms, \
         updated_at = EXCLUDED.updated_at",
        values,
    )
    .await
}
