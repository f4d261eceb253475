//! The audit log: every write and every read of a supervisee's sensitive data appends an entry
//! (who, what, when, from where) in the same transaction as the act itself. Entries form a
//! hash chain, so editing, deleting or reordering a row is detectable by `verify`.

use axum::extract::State;
use chrono::{DateTime, Utc};
use huijiao_core::api::{AuditEntryView, AuditVerifyView, Page};
use huijiao_core::model::AuditAction;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement, TransactionTrait,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub use crate::actor::Actor;
use crate::auth::extractor::AuditAdmin;
use crate::entities::audit_entry;
use crate::error::{ApiResult, Json};
use crate::paging::{Order, PageQuery, Paged};
use crate::state::AppState;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn chain_hash(e: &audit_entry::Model) -> String {
    let mut h = Sha256::new();
    // Length-prefixed fields: no value can be shifted into its neighbour.
    let fields: [&str; 10] = [
        &e.seq.to_string(),
        &e.at.timestamp_micros().to_string(),
        &e.actor_id.map(|u| u.to_string()).unwrap_or_default(),
        e.actor_role.as_deref().unwrap_or(""),
        &e.action,
        &e.target_kind,
        e.target_id.as_deref().unwrap_or(""),
        e.ip.as_deref().unwrap_or(""),
        e.request_id.as_deref().unwrap_or(""),
        &e.detail,
    ];
    h.update(e.prev_hash.as_bytes());
    for f in fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one entry. Call it with the transaction of the act being recorded, so that both
/// land or neither does; it opens its own (nested) transaction, so the chain never half-moves.
pub async fn record<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    actor: &Actor,
    action: AuditAction,
    target_kind: &str,
    target_id: Option<String>,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    let txn = conn.begin().await?;
    let db = &txn;
    let backend = db.get_database_backend();
    // Bumping the head first takes the row lock (PostgreSQL) or the write lock (SQLite) before
    // the head is read, so concurrent appenders queue up and the chain stays linear.
    db.execute(Statement::from_string(
        backend,
        "UPDATE audit_head SET seq = seq + 1 WHERE id = 1",
    ))
    .await?;
    let head = db
        .query_one(Statement::from_string(
            backend,
            "SELECT seq, hash FROM audit_head WHERE id = 1",
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("audit_head row missing".into()))?;
    let seq: i64 = head.try_get("", "seq")?;
    let prev_hash: String = head.try_get("", "hash")?;
    // The system's time, not the settable clock's: the chain records when an entry was
    // written, and no clock setting may backdate it.
    let at = DateTime::<Utc>::from_timestamp_micros(Utc::now().timestamp_micros())
        .unwrap_or_else(Utc::now);
    let mut entry = audit_entry::Model {
        seq,
        at,
        actor_id: actor.id,
        actor_role: actor.role.map(|r| r.as_str().to_owned()),
        action: action.as_str().to_owned(),
        target_kind: target_kind.to_owned(),
        target_id,
        ip: actor.meta.ip.clone(),
        request_id: actor.meta.request_id.clone(),
        detail: detail.to_string(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = chain_hash(&entry);
    let hash = entry.hash.clone();
    audit_entry::Entity::insert(audit_entry::ActiveModel {
        seq: Set(entry.seq),
        at: Set(entry.at),
        actor_id: Set(entry.actor_id),
        actor_role: Set(entry.actor_role),
        action: Set(entry.action),
        target_kind: Set(entry.target_kind),
        target_id: Set(entry.target_id),
        ip: Set(entry.ip),
        request_id: Set(entry.request_id),
        detail: Set(entry.detail),
        prev_hash: Set(entry.prev_hash),
        hash: Set(entry.hash),
    })
    .exec_without_returning(db)
    .await?;
    db.execute(Statement::from_sql_and_values(
        backend,
        match backend {
            sea_orm::DbBackend::Postgres => "UPDATE audit_head SET hash = $1 WHERE id = 1",
            _ => "UPDATE audit_head SET hash = ? WHERE id = 1",
        },
        [hash.into()],
    ))
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Walks the whole chain: each entry's hash must match its content and its predecessor, the
/// sequence must have no gaps, and the last entry must be the recorded head.
pub async fn verify(db: &impl ConnectionTrait) -> Result<AuditVerifyView, DbErr> {
    const PAGE: u64 = 1000;
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1i64;
    let mut checked = 0i64;
    loop {
        let page = audit_entry::Entity::find()
            .filter(audit_entry::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_entry::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let done = (page.len() as u64) < PAGE;
        for e in page {
            if e.seq != expected_seq || e.prev_hash != prev || chain_hash(&e) != e.hash {
                return Ok(AuditVerifyView {
                    ok: false,
                    checked,
                    first_broken_seq: Some(expected_seq.min(e.seq)),
                });
            }
            prev = e.hash;
            expected_seq += 1;
            checked += 1;
        }
        if done {
            break;
        }
    }
    let backend = db.get_database_backend();
    let head = db
        .query_one(Statement::from_string(
            backend,
            "SELECT seq, hash FROM audit_head WHERE id = 1",
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("audit_head row missing".into()))?;
    let head_seq: i64 = head.try_get("", "seq")?;
    let head_hash: String = head.try_get("", "hash")?;
    if head_seq != checked || (checked > 0 && head_hash != prev) {
        // Entries at the end were removed (or the head was edited).
        return Ok(AuditVerifyView {
            ok: false,
            checked,
            first_broken_seq: Some(checked + 1),
        });
    }
    Ok(AuditVerifyView {
        ok: true,
        checked,
        first_broken_seq: None,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    pub actor_id: Option<Uuid>,
    pub action: Option<String>,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    /// From this moment (a date: from its start, China time).
    #[serde(
        default,
        deserialize_with = "huijiao_core::policy::calendar::period::start_opt"
    )]
    pub from: Option<DateTime<Utc>>,
    /// Up to this moment (a date: up to its end).
    #[serde(
        default,
        deserialize_with = "huijiao_core::policy::calendar::period::end_opt"
    )]
    pub to: Option<DateTime<Utc>>,
}

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("audit", routes);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_audit))
        .routes(routes!(verify_audit))
}

/// Query the audit log (audit admin only), newest first.
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditQuery, PageQuery),
    responses((status = 200, body = Page<AuditEntryView>), (status = 403, body = huijiao_core::api::Problem)))]
async fn list_audit(
    State(state): State<AppState>,
    caller: AuditAdmin,
    Paged(q, page): Paged<AuditQuery>,
) -> ApiResult<Json<Page<AuditEntryView>>> {
    let mut find = audit_entry::Entity::find();
    if let Some(v) = q.actor_id {
        find = find.filter(audit_entry::Column::ActorId.eq(v));
    }
    if let Some(v) = &q.action {
        find = find.filter(audit_entry::Column::Action.eq(v.as_str()));
    }
    if let Some(v) = &q.target_kind {
        find = find.filter(audit_entry::Column::TargetKind.eq(v.as_str()));
    }
    if let Some(v) = &q.target_id {
        find = find.filter(audit_entry::Column::TargetId.eq(v.as_str()));
    }
    if let Some(v) = q.from {
        find = find.filter(audit_entry::Column::At.gte(v));
    }
    if let Some(v) = q.to {
        find = find.filter(audit_entry::Column::At.lt(v));
    }
    let rows = page
        .seek::<_, i64>(find, audit_entry::Column::Seq, None, Order::NewestFirst)?
        .all(&state.db)
        .await?;
    record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::AuditQueried,
        "audit",
        None,
        serde_json::json!({ "returned": rows.len().min(page.size() as usize) }),
    )
    .await?;
    Ok(Json(page.page(
        rows,
        |e| (e.seq, Uuid::nil()),
        |e| {
            Ok(AuditEntryView {
                seq: e.seq,
                at: e.at,
                actor_id: e.actor_id,
                actor_role: e.actor_role,
                action: e.action,
                target_kind: e.target_kind,
                target_id: e.target_id,
                ip: e.ip,
                request_id: e.request_id,
                detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
                hash: e.hash,
            })
        },
    )?))
}

/// Verify the whole hash chain (audit admin only).
#[utoipa::path(get, path = "/audit/verify", tag = "audit",
    responses((status = 200, body = AuditVerifyView), (status = 403, body = huijiao_core::api::Problem)))]
async fn verify_audit(
    State(state): State<AppState>,
    caller: AuditAdmin,
) -> ApiResult<Json<AuditVerifyView>> {
    let view = verify(&state.db).await?;
    record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::AuditVerified,
        "audit",
        None,
        serde_json::json!({ "ok": view.ok, "checked": view.checked }),
    )
    .await?;
    Ok(Json(view))
}
