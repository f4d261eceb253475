//! Periodic location work: loss of contact (失联) and the retention of raw points.

use chrono::{DateTime, Duration, Utc};
use huijiao_core::model::{CaseStatus, DeviceStatus};
use huijiao_core::policy::location::{is_silent, Observation};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::rules::{self, Rule};
use crate::config::LocationConfig;
use crate::entities::{case, device, last_position, location_batch, location_point};
use crate::error::ApiResult;
use crate::events::Event;
use huijiao_core::policy::Jurisdiction;

/// Opens a silence violation (one alert, critical) for every active case whose phone should be
/// reporting and has not for `silence_intervals` intervals. A report clears it (see ingest).
pub async fn mark_silent(
    db: &impl ConnectionTrait,
    cfg: &LocationConfig,
    supervision: &Jurisdiction,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Event>> {
    let sensitive = super::in_sensitive_period_at(db, now).await?;
    let cases = case::Entity::find()
        .filter(case::Column::Status.eq(CaseStatus::Active.as_str()))
        .filter(case::Column::UserId.is_not_null())
        .all(db)
        .await?;
    let mut events = Vec::new();
    for c in cases {
        let heard = match last_position::Entity::find_by_id(c.id).one(db).await? {
            Some(p) => Some(p.received_at),
            // Never reported: count from when the phone was approved (none: nothing to miss).
            None => device::Entity::find()
                .filter(device::Column::UserId.eq(c.user_id))
                .filter(device::Column::Status.eq(DeviceStatus::Approved.as_str()))
                .order_by_desc(device::Column::ApprovedAt)
                .one(db)
                .await?
                .and_then(|d| d.approved_at),
        };
        let Some(heard) = heard else { continue };
        let interval = super::interval_for(supervision, &c, sensitive);
        if !is_silent(&cfg.limits, heard, interval, now) {
            continue;
        }
        let mut states = rules::load(db, c.id).await?;
        states.step(&Rule::Silence, Observation::Violating, now, Duration::zero(), || {
            json!({"last_heard_at": heard, "interval_minutes": interval, "search_required": true})
        });
        events.extend(rules::settle(db, &c, &mut states, now).await?);
    }
    Ok(events)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub deleted: u64,
    pub thinned: u64,
}

/// Deletes raw points past `keep_days`, thins those past `thin_after_days` to one per case and
/// bucket, and forgets batch ids older than the oldest fix a phone may still send.
pub async fn purge(
    db: &impl ConnectionTrait,
    cfg: &LocationConfig,
    now: DateTime<Utc>,
) -> ApiResult<Purged> {
    let deleted = location_point::Entity::delete_many()
        .filter(location_point::Column::FixTime.lt(now - Duration::days(cfg.keep_days)))
        .exec(db)
        .await?
        .rows_affected;
    location_batch::Entity::delete_many()
        .filter(
            location_batch::Column::ReceivedAt.lt(now - Duration::days(cfg.max_fix_age_days + 1)),
        )
        .exec(db)
        .await?;
    let mut out = Purged {
        deleted,
        thinned: 0,
    };
    let bucket = cfg.thin_bucket_minutes.max(1) * 60;
    let cutoff = now - Duration::days(cfg.thin_after_days);
    // In chunks, so one run never holds a huge transaction; a bucket split across chunks keeps
    // two points, which is harmless.
    loop {
        let rows: Vec<(i64, uuid::Uuid, DateTime<Utc>)> = location_point::Entity::find()
            .select_only()
            .column(location_point::Column::Id)
            .column(location_point::Column::CaseId)
            .column(location_point::Column::FixTime)
            .filter(location_point::Column::Thinned.eq(false))
            .filter(location_point::Column::FixTime.lt(cutoff))
            .order_by_asc(location_point::Column::CaseId)
            .order_by_asc(location_point::Column::FixTime)
            .limit(20_000)
            .into_tuple()
            .all(db)
            .await?;
        if rows.is_empty() {
            break;
        }
        let (mut keep, mut drop) = (Vec::new(), Vec::new());
        let mut last = None;
        for (id, case_id, at) in rows {
            let key = (case_id, at.timestamp().div_euclid(bucket));
            if last == Some(key) {
                drop.push(id);
            } else {
                keep.push(id);
                last = Some(key);
            }
        }
        for ids in drop.chunks(5_000) {
            location_point::Entity::delete_many()
                .filter(location_point::Column::Id.is_in(ids.iter().copied()))
                .exec(db)
                .await?;
        }
        for ids in keep.chunks(5_000) {
            location_point::Entity::update_many()
                .col_expr(
                    location_point::Column::Thinned,
                    sea_orm::sea_query::Expr::value(true),
                )
                .filter(location_point::Column::Id.is_in(ids.iter().copied()))
                .exec(db)
                .await?;
        }
        out.thinned += drop.len() as u64;
    }
    Ok(out)
}
