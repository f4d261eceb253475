//! Location batches from the supervisee's phone: validated whole (nothing half-stored), stored
//! in one multi-row insert, judged fix by fix against the fences in force, idempotent by the
//! phone's batch id.

use huijiao_core::policy::calendar::local_date;
use huijiao_core::Said;
use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use huijiao_core::api::{LocationBatchRequest, LocationBatchResult, LocationPointIn, Problem};
use huijiao_core::model::{AlertKind, AlertSeverity, FenceKind};
use huijiao_core::policy::location::{
    impossible_speed, observe_activity_areas, observe_exclusion_zone, slack_m, Observation,
    TimedFix,
};
use huijiao_core::ErrorCode;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    SqlErr,
};
use serde_json::json;
use uuid::Uuid;

use super::rules::{self, Rule, States};
use crate::auth::extractor::Supervisee;
use crate::cases::own_active_case;
use crate::entities::{case, last_position, location_batch, location_point};
use crate::error::{ApiError, ApiResult, Json};
use crate::state::AppState;
use crate::work::Work;

fn check_point(
    i: usize,
    p: &LocationPointIn,
    now: DateTime<Utc>,
    max_age: Duration,
) -> ApiResult<()> {
    let f = |name: &str| format!("points[{i}].{name}");
    if !(p.lat.is_finite() && (-90.0..=90.0).contains(&p.lat)) {
        return Err(ApiError::field(
            f("lat"),
            Said::new("latitude -90 to 90", "纬度须在 -90 到 90 之间"),
        ));
    }
    if !(p.lon.is_finite() && (-180.0..=180.0).contains(&p.lon)) {
        return Err(ApiError::field(
            f("lon"),
            Said::new("longitude -180 to 180", "经度须在 -180 到 180 之间"),
        ));
    }
    if !(p.accuracy_m.is_finite() && (0.0..=100_000.0).contains(&p.accuracy_m)) {
        return Err(ApiError::field(
            f("accuracy_m"),
            Said::new("0 to 100000 metres", "须为 0 到 100000 米"),
        ));
    }
    if let Some(s) = p.speed_mps {
        if !(s.is_finite() && (0.0..=1000.0).contains(&s)) {
            return Err(ApiError::field(
                f("speed_mps"),
                Said::new("0 to 1000 m/s", "须为 0 到 1000 米/秒"),
            ));
        }
    }
    if p.battery.is_some_and(|b| b > 100) {
        return Err(ApiError::field(
            f("battery"),
            Said::new("0 to 100 percent", "须为 0 到 100"),
        ));
    }
    // A little clock skew is normal on phones; a fix from the future is not.
    if p.fix_time > now + Duration::minutes(5) {
        return Err(ApiError::field(
            f("fix_time"),
            Said::new("in the future", "不能是将来的时间"),
        ));
    }
    if p.fix_time < now - max_age {
        return Err(ApiError::field(
            f("fix_time"),
            Said::new(
                format!("older than {} days", max_age.num_days()),
                format!("早于 {} 天前", max_age.num_days()),
            ),
        ));
    }
    Ok(())
}

/// Stores a batch of fixes and evaluates the fences. The same `batch_id` again answers 200
/// with `duplicate: true` and stores nothing.
#[utoipa::path(post, path = "/locations/batches", tag = "locations",
    request_body = LocationBatchRequest,
    responses((status = 201, body = LocationBatchResult), (status = 200, body = LocationBatchResult),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn submit_batch(
    State(state): State<AppState>,
    caller: Supervisee,
    Json(req): Json<LocationBatchRequest>,
) -> ApiResult<(StatusCode, Json<LocationBatchResult>)> {
    let cfg = &state.config.location;
    let now = state.clock.now();
    if req.points.is_empty() || req.points.len() > cfg.max_batch_points {
        return Err(ApiError::field(
            "points",
            Said::new(
                format!("1 to {} points", cfg.max_batch_points),
                format!("须有 1 到 {} 个点", cfg.max_batch_points),
            ),
        ));
    }
    let max_age = Duration::days(cfg.max_fix_age_days);
    for (i, p) in req.points.iter().enumerate() {
        check_point(i, p, now, max_age)?;
    }
    let device_id = caller.device_id.clone().ok_or(ErrorCode::DeviceMismatch)?;
    // No lookup first: the batch id's unique key settles a retry (the common case is new).
    match store(&state, &caller, &device_id, &req, now).await {
        Ok(result) => Ok((StatusCode::CREATED, Json(result))),
        Err(e)
            if e.sql_err()
                .is_some_and(|e| matches!(e, SqlErr::UniqueConstraintViolation(_))) =>
        {
            let c = own_active_case(&state.db, &caller).await?;
            let done = location_batch::Entity::find_by_id(req.batch_id)
                .one(&state.db)
                .await?
                .ok_or_else(|| ApiError::internal(e))?;
            replay(done, &c, &req)
        }
        Err(e) => Err(e.into()),
    }
}

fn replay(
    done: location_batch::Model,
    c: &case::Model,
    req: &LocationBatchRequest,
) -> ApiResult<(StatusCode, Json<LocationBatchResult>)> {
    if done.case_id != c.id || done.point_count as usize != req.points.len() {
        return Err(ErrorCode::LocationBatchReused.into());
    }
    let mut result: LocationBatchResult =
        serde_json::from_value(done.result).map_err(ApiError::internal)?;
    result.duplicate = true;
    Ok((StatusCode::OK, Json(result)))
}

/// Everything of one batch in one transaction: the batch record (which makes a concurrent
/// duplicate fail), the points, the rule states, alerts and the last position.
async fn store(
    state: &AppState,
    caller: &Supervisee,
    device_id: &str,
    req: &LocationBatchRequest,
    now: DateTime<Utc>,
) -> Result<LocationBatchResult, StoreError> {
    let index = state.fences.snapshot(&state.db).await?;
    let work = Work::begin(state).await?;
    let txn = work.db();
    // One batch of a case at a time (PostgreSQL row lock; SQLite has one writer anyway), so
    // two batches cannot both read the same rule states.
    let c = &case::Entity::find()
        .filter(case::Column::UserId.eq(caller.id))
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(ApiError::from(ErrorCode::NotFound))?;
    huijiao_core::policy::require_active(c.status).map_err(ApiError::from)?;
    let result = LocationBatchResult {
        batch_id: req.batch_id,
        accepted: req.points.len() as u32,
        duplicate: false,
        interval_minutes: super::interval_minutes(txn, &state.config.rules.supervision, c, now)
            .await?,
    };
    location_batch::Entity::insert(location_batch::ActiveModel {
        id: Set(req.batch_id),
        case_id: Set(c.id),
        device_id: Set(device_id.to_owned()),
        received_at: Set(now),
        point_count: Set(req.points.len() as i32),
        result: Set(serde_json::to_value(&result).map_err(ApiError::internal)?),
    })
    .exec_without_returning(txn)
    .await?;
    location_point::Entity::insert_many(req.points.iter().map(|p| location_point::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        case_id: Set(c.id),
        fix_time: Set(p.fix_time),
        lat: Set(p.lat),
        lon: Set(p.lon),
        accuracy_m: Set(p.accuracy_m as f32),
        speed_mps: Set(p.speed_mps.map(|s| s as f32)),
        provider: Set(p.provider.as_str().into()),
        mock: Set(p.mock),
        battery: Set(p.battery.map(i16::from)),
        thinned: Set(false),
    }))
    .exec_without_returning(txn)
    .await?;

    let last = last_position::Entity::find_by_id(c.id).one(txn).await?;
    // Fixes older than the last one judged (a phone emptying its queue late) are kept for the
    // track but do not move the rule states back in time.
    let mut fresh: Vec<&LocationPointIn> = req
        .points
        .iter()
        .filter(|p| last.as_ref().is_none_or(|l| p.fix_time > l.fix_time))
        .collect();
    fresh.sort_by_key(|p| p.fix_time);
    let mut events = Vec::new();
    if let Some(newest) = fresh.last() {
        let mut states = rules::load(txn, c.id).await?;
        let judge = Judge {
            state,
            c,
            index: &index,
            units: unit_ids(
                &state
                    .unit_paths
                    .get(txn, c.unit_id)
                    .await?
                    .unwrap_or_default(),
            ),
        };
        let mut leave_days = HashMap::new();
        let mut prev = last.as_ref().map(|l| TimedFix {
            lat: l.lat,
            lon: l.lon,
            accuracy_m: f64::from(l.accuracy_m),
            at: l.fix_time,
        });
        let mut jumped = false;
        for p in &fresh {
            let fix = TimedFix {
                lat: p.lat,
                lon: p.lon,
                accuracy_m: p.accuracy_m,
                at: p.fix_time,
            };
            if let Some(a) = prev.filter(|_| !jumped) {
                if let Some(speed) = impossible_speed(&state.config.location.limits, &a, &fix) {
                    // One alert per batch is enough to send an officer to look at the track.
                    jumped = true;
                    let evidence = json!({"from": a.at, "to": fix.at, "speed_mps": speed.round()});
                    let kind = (AlertKind::ImpossibleSpeed, AlertSeverity::Medium);
                    events.push(
                        crate::alerts::raise(txn, now, c, kind.0, kind.1, evidence)
                            .await?
                            .1,
                    );
                }
            }
            prev = Some(fix);
            let mut area = judge.activity_area(p);
            // Approved leave suspends the activity area for its dates (the destination is
            // elsewhere); asked only when it matters.
            if area == Observation::Violating
                && judge.on_leave(txn, &mut leave_days, p.fix_time).await?
            {
                area = Observation::Clear;
            }
            judge.step(&mut states, p, area);
        }
        states.step(
            &Rule::Silence,
            Observation::Clear,
            newest.fix_time,
            Duration::zero(),
            || serde_json::Value::Null,
        );
        events.extend(rules::settle(txn, c, &mut states, now).await?);
        last_position::Entity::insert(last_position::ActiveModel {
            case_id: Set(c.id),
            lat: Set(newest.lat),
            lon: Set(newest.lon),
            accuracy_m: Set(newest.accuracy_m as f32),
            fix_time: Set(newest.fix_time),
            received_at: Set(now),
            battery: Set(newest.battery.map(i16::from)),
            mock: Set(newest.mock),
        })
        .on_conflict(
            OnConflict::column(last_position::Column::CaseId)
                .update_columns([
                    last_position::Column::Lat,
                    last_position::Column::Lon,
                    last_position::Column::AccuracyM,
                    last_position::Column::FixTime,
                    last_position::Column::ReceivedAt,
                    last_position::Column::Battery,
                    last_position::Column::Mock,
                ])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    } else if let Some(l) = last {
        // Only late fixes: the phone is still reporting, which is what silence watches.
        last_position::Entity::update(last_position::ActiveModel {
            received_at: Set(now),
            ..l.into()
        })
        .exec(txn)
        .await?;
    }
    work.publish_all(events);
    work.commit().await?;
    Ok(result)
}

/// A database failure kept as `DbErr` (to tell a duplicate batch apart) or any API error.
pub enum StoreError {
    Db(DbErr),
    Api(ApiError),
}

impl StoreError {
    fn sql_err(&self) -> Option<SqlErr> {
        match self {
            StoreError::Db(e) => e.sql_err(),
            StoreError::Api(_) => None,
        }
    }
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        StoreError::Db(e)
    }
}

impl From<ApiError> for StoreError {
    fn from(e: ApiError) -> Self {
        StoreError::Api(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Db(e) => e.into(),
            StoreError::Api(e) => e,
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Db(e) => write!(f, "{e}"),
            StoreError::Api(e) => write!(f, "{}", e.code.code()),
        }
    }
}

/// The units on a materialised path ("/a/b/c/"), top first.
pub fn unit_ids(path: &str) -> Vec<Uuid> {
    path.split('/')
        .filter_map(|s| Uuid::parse_str(s).ok())
        .collect()
}

struct Judge<'a> {
    state: &'a AppState,
    c: &'a case::Model,
    index: &'a super::index::FenceIndex,
    units: Vec<Uuid>,
}

impl Judge<'_> {
    /// Whether approved leave covers the China date of `at` (cached per date).
    async fn on_leave(
        &self,
        db: &impl ConnectionTrait,
        cache: &mut HashMap<NaiveDate, bool>,
        at: DateTime<Utc>,
    ) -> ApiResult<bool> {
        let date = local_date(at);
        if let Some(v) = cache.get(&date) {
            return Ok(*v);
        }
        let v = crate::requests::leave::leave_on(db, self.c.id, date)
            .await?
            .is_some();
        cache.insert(date, v);
        Ok(v)
    }

    /// A fix too imprecise, or from a mock provider, says nothing about where the person is.
    fn slack(&self, p: &LocationPointIn) -> Option<f64> {
        if p.mock {
            None
        } else {
            slack_m(&self.state.config.location.limits, p.accuracy_m)
        }
    }

    /// The activity-area rule for one fix, leave aside.
    fn activity_area(&self, p: &LocationPointIn) -> Observation {
        let areas = self.index.activity_areas(self.c.id, &self.units);
        observe_activity_areas(
            areas
                .iter()
                .filter(|a| a.schedule.is_active(p.fix_time))
                .map(|a| a.shape.signed_distance_m(p.lat, p.lon)),
            self.slack(p),
        )
    }

    /// Feeds one fix to every rule it bears on; `area` is the activity-area observation.
    fn step(&self, states: &mut States, p: &LocationPointIn, area: Observation) {
        let limits = &self.state.config.location.limits;
        let dwell = Duration::seconds(limits.dwell_secs);
        let at = p.fix_time;
        let mock = if p.mock {
            Observation::Violating
        } else {
            Observation::Clear
        };
        let evidence =
            || json!({"fix_time": at, "lat": p.lat, "lon": p.lon, "accuracy_m": p.accuracy_m});
        states.step(&Rule::Mock, mock, at, Duration::zero(), evidence);
        states.step(&Rule::ActivityArea, area, at, dwell, evidence);
        let slack = self.slack(p);

        let mut seen = Vec::new();
        if let Some(s) = slack {
            for zone in self.index.near(p.lat, p.lon, s) {
                if zone.kind != FenceKind::ExclusionZone || !zone.applies_to(self.c.id, &self.units)
                {
                    continue;
                }
                let obs = if zone.schedule.is_active(at) {
                    observe_exclusion_zone(zone.shape.signed_distance_m(p.lat, p.lon), Some(s))
                } else {
                    Observation::Clear
                };
                seen.push(zone.id);
                states.step(&Rule::Zone(zone.id), obs, at, dwell, || {
                    let mut e = evidence();
                    e["fence_id"] = json!(zone.id);
                    e["fence_name"] = json!(zone.name);
                    e
                });
            }
        }
        // Zones with a standing state that are not near this fix: certainly outside them
        // (or they were removed). Without a usable fix, nothing is certain.
        let far = if slack.is_some() {
            Observation::Clear
        } else {
            Observation::Unknown
        };
        for rule in states.zones() {
            if let Rule::Zone(id) = rule {
                if !seen.contains(&id) {
                    let obs = if self.index.contains(id) {
                        far
                    } else {
                        Observation::Clear
                    };
                    states.step(&rule, obs, at, dwell, evidence);
                }
            }
        }
    }
}
