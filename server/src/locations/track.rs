//! What officers read: a supervisee's track over a time range (simplified for drawing) and the
//! last known position of everyone in their caseload.

use axum::extract::State;
use huijiao_core::model::AuditAction;
use huijiao_core::Said;
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use huijiao_core::api::{Page, PositionView, Problem, TrackPoint, TrackView};
use huijiao_core::policy;
use huijiao_core::policy::location::{is_silent, simplify_track};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::auth::extractor::Officer;
use crate::cases::find_case;
use crate::entities::{case, last_position, location_point};
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::paging::{Order, PageQuery, PageRequest};
use crate::state::AppState;

/// Most points one track answer reads before simplifying.
const MAX_TRACK_POINTS: u64 = 50_000;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TrackQuery {
    /// From this moment (a date: from its start, China time).
    #[serde(deserialize_with = "huijiao_core::policy::calendar::period::start")]
    pub from: DateTime<Utc>,
    /// Up to this moment (a date: up to its end).
    #[serde(deserialize_with = "huijiao_core::policy::calendar::period::end")]
    pub to: DateTime<Utc>,
    /// Simplification tolerance in metres (0–1000, default 10); 0 returns every point.
    pub tolerance_m: Option<f64>,
}

/// A supervisee's track between two times (at most 31 days), simplified for display.
#[utoipa::path(get, path = "/cases/{id}/track", tag = "locations", params(("id" = Uuid, Path), TrackQuery),
    responses((status = 200, body = TrackView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn track(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Query(q): Query<TrackQuery>,
) -> ApiResult<Json<TrackView>> {
    if q.to <= q.from || q.to - q.from > Duration::days(31) {
        return Err(ApiError::field(
            "to",
            Said::new(
                "after from, at most 31 days later",
                "须晚于 from，且最多晚 31 天",
            ),
        ));
    }
    let tolerance = q.tolerance_m.unwrap_or(10.0);
    if !(tolerance.is_finite() && (0.0..=1000.0).contains(&tolerance)) {
        return Err(ApiError::field(
            "tolerance_m",
            Said::new("0 to 1000 metres", "须为 0 到 1000 米"),
        ));
    }
    let c = find_case(&state.db, &caller, id).await?;
    let in_range = location_point::Entity::find()
        .filter(location_point::Column::CaseId.eq(c.id))
        .filter(location_point::Column::FixTime.gte(q.from))
        .filter(location_point::Column::FixTime.lt(q.to));
    let total = in_range.clone().count(&state.db).await?;
    let rows = in_range
        .order_by_asc(location_point::Column::FixTime)
        .limit(MAX_TRACK_POINTS)
        .all(&state.db)
        .await?;
    let coords: Vec<(f64, f64)> = rows.iter().map(|r| (r.lat, r.lon)).collect();
    let keep = simplify_track(&coords, tolerance);
    audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::LocationTrackRead,
        "case",
        Some(c.id.to_string()),
        json!({"from": q.from, "to": q.to}),
    )
    .await?;
    Ok(Json(TrackView {
        case_id: c.id,
        total_points: total,
        truncated: total > MAX_TRACK_POINTS,
        points: keep
            .into_iter()
            .map(|i| {
                let r = &rows[i];
                TrackPoint {
                    lat: r.lat,
                    lon: r.lon,
                    accuracy_m: f64::from(r.accuracy_m),
                    fix_time: r.fix_time,
                    mock: r.mock,
                }
            })
            .collect(),
    }))
}

/// The last known position of each supervisee in the caller's jurisdiction, in the order of
/// their case ids (a map reads every page; the order only has to be stable).
#[utoipa::path(get, path = "/locations/current", tag = "locations", params(PageQuery),
    responses((status = 200, body = Page<PositionView>), (status = 403, body = Problem)))]
pub async fn current_positions(
    State(state): State<AppState>,
    caller: Officer,
    page: PageRequest,
) -> ApiResult<Json<Page<PositionView>>> {
    let now = state.clock.now();
    let limits = state.config.location.limits;
    let find = last_position::Entity::find()
        .filter(last_position::Column::CaseId.in_subquery(caller.case_ids()?));
    let Page { items: rows, next } = page.rows(&state.db, find, Order::OldestFirst).await?;
    let cases: HashMap<Uuid, case::Model> = case::Entity::find()
        .filter(case::Column::Id.is_in(rows.iter().map(|p| p.case_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let sensitive = super::in_sensitive_period_at(&state.db, now).await?;
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        let Some(c) = cases.get(&p.case_id) else {
            continue;
        };
        let interval = super::interval_for(&state.config.rules.supervision, c, sensitive);
        out.push(PositionView {
            case_id: c.id,
            // A list: minors masked for everyone (DOMAIN.md).
            name: if c.minor {
                policy::mask_name(&c.name)
            } else {
                c.name.clone()
            },
            lat: p.lat,
            lon: p.lon,
            accuracy_m: f64::from(p.accuracy_m),
            fix_time: p.fix_time,
            received_at: p.received_at,
            battery: p.battery.and_then(|b| u8::try_from(b).ok()),
            mock: p.mock,
            silent: is_silent(&limits, p.received_at, interval, now),
        });
    }
    audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::LocationPositionsRead,
        "unit",
        caller.unit_id.map(|u| u.to_string()),
        json!({"count": out.len()}),
    )
    .await?;
    Ok(Json(Page { items: out, next }))
}

/// One row per case: the case id is the whole key.
impl crate::paging::Seek for last_position::Entity {
    type Key = Uuid;
    const KEY: last_position::Column = last_position::Column::CaseId;
    const ID: last_position::Column = last_position::Column::CaseId;
    fn key_of(m: &last_position::Model) -> (Uuid, Uuid) {
        (m.case_id, m.case_id)
    }
}
