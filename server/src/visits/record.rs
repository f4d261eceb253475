//! Recording a visit: a home visit must carry a fix at the registered residence, an office
//! report a passed face check-in of the person's own made around its time (the check-in
//! engine's liveness, enrolled face and replay rules apply); any visit may flag the six kinds
//! of risk, which alert the case's officers. The app's id makes a resend the same record.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, SubsecRound, Utc};
use huijiao_core::api::{GpsFix, Page, Problem, VisitNew, VisitView};
use huijiao_core::model::{AlertKind, AuditAction};
use huijiao_core::policy::checkin::{at_place, distance_km, AtPlace, Fix};
use huijiao_core::policy::help::{distinct_risks, risk_alert};
use huijiao_core::policy::visits::{
    check_when, VisitKind, WhenProblem, VISIT_MET_MAX, VISIT_MET_MAX_CHARS, VISIT_TEXT_MAX_CHARS,
};
use huijiao_core::{ErrorCode, Said};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::Officer;
use crate::cases::{find_case, find_case_for_write};
use crate::checkins::Presence;
use crate::db::{made_once, Once};
use crate::entities::{case, visit, visit_photo};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::paging::{Order, PageQuery, Paged};
use crate::state::AppState;
use crate::validate::{check_gps_fix, check_paragraphs, check_risks, check_text};
use crate::work::Work;

pub(super) async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<visit::Model>,
) -> ApiResult<Vec<VisitView>> {
    let names = crate::org::display_names(db, rows.iter().map(|r| r.officer_id)).await?;
    let mut photos: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for p in visit_photo::Entity::find()
        .filter(visit_photo::Column::VisitId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(visit_photo::Column::CreatedAt)
        .all(db)
        .await?
    {
        photos.entry(p.visit_id).or_default().push(p.id);
    }
    rows.into_iter()
        .map(|r| {
            Ok(VisitView {
                id: r.id,
                case_id: r.case_id,
                kind: r.kind,
                officer_id: r.officer_id,
                officer_name: names.get(&r.officer_id).cloned().unwrap_or_default(),
                at: r.at,
                place: crate::db::fix_from_json(r.place)?,
                distance_m: r
                    .distance_m
                    .map(u32::try_from)
                    .transpose()
                    .map_err(ApiError::internal)?,
                checkin_id: r.checkin_id,
                met: serde_json::from_value(r.met).map_err(ApiError::internal)?,
                findings: r.findings,
                risks: serde_json::from_value(r.risks).map_err(ApiError::internal)?,
                alert_id: r.alert_id,
                photo_ids: photos.remove(&r.id).unwrap_or_default(),
                created_at: r.created_at,
            })
        })
        .collect()
}

/// The fields that do not need the case: the time, who was met, the findings, the fix's shape,
/// and the proof each kind needs being there at all.
fn check(
    req: &VisitNew,
    rules: &huijiao_core::policy::visits::VisitRules,
    now: DateTime<Utc>,
) -> ApiResult<Vec<String>> {
    match check_when(rules, req.at, now) {
        Ok(()) => {}
        Err(WhenProblem::InFuture) => return Err(ErrorCode::VisitInFuture.into()),
        Err(WhenProblem::TooOld) => return Err(ErrorCode::VisitTooOld.into()),
    }
    if req.met.len() > VISIT_MET_MAX {
        return Err(ApiError::field(
            "met",
            Said::new(
                format!("at most {VISIT_MET_MAX} people"),
                format!("最多 {VISIT_MET_MAX} 人"),
            ),
        ));
    }
    let met: Vec<String> = req.met.iter().map(|m| m.trim().to_owned()).collect();
    for (i, m) in met.iter().enumerate() {
        check_text(&format!("met[{i}]"), m, VISIT_MET_MAX_CHARS)?;
    }
    check_paragraphs("findings", req.findings.trim(), VISIT_TEXT_MAX_CHARS)?;
    check_risks(&req.risks)?;
    if let Some(place) = &req.place {
        check_gps_fix("place", place)?;
    }
    match req.kind {
        VisitKind::HomeVisit if req.place.is_none() => Err(ApiError::field(
            "place",
            Said::new(
                "a home visit needs the phone's fix at the residence",
                "实地走访须提供在居所的手机定位",
            ),
        )),
        VisitKind::OfficeReport if req.checkin_id.is_none() => Err(ApiError::field(
            "checkin_id",
            Said::new(
                "an office report needs the person's face check-in made at the office",
                "到所报到须提供本人在司法所完成的人脸签到",
            ),
        )),
        VisitKind::OfficeReport if req.place.is_none() => Err(ApiError::field(
            "place",
            Said::new(
                "an office report needs the officer's phone fix at the office",
                "到所报到须提供工作人员在司法所的手机定位",
            ),
        )),
        _ if req.kind != VisitKind::OfficeReport && req.checkin_id.is_some() => {
            Err(ApiError::field(
                "checkin_id",
                Said::new(
                    "only an office report carries a face check-in",
                    "只有到所报到需附人脸签到",
                ),
            ))
        }
        _ => Ok(met),
    }
}

/// A home visit's distance from the residence, once its fix is judged to be there.
fn at_residence(
    state: &AppState,
    c: &case::Model,
    place: &GpsFix,
    at: DateTime<Utc>,
) -> ApiResult<u32> {
    let home = (c.residence_lat, c.residence_lon);
    match at_place(
        &state.config.checkin.location,
        &Fix::from(place),
        at,
        home,
        state.config.rules.visits.home_radius_m,
    ) {
        AtPlace::Inside => {
            Ok((distance_km(home.0, home.1, place.lat, place.lon) * 1000.0).round() as u32)
        }
        AtPlace::Outside => Err(ErrorCode::VisitNotAtResidence.into()),
        AtPlace::Unusable => Err(ErrorCode::VisitFixUnusable.into()),
    }
}

/// An officer of the case records a home visit, talk or office report. The same `id` again
/// answers 200 with the record as stored (the outbox's resend); an id another record has is
/// `visit.id_taken`.
#[utoipa::path(post, path = "/cases/{id}/visits", tag = "visits", params(("id" = Uuid, Path)), request_body = VisitNew,
    responses((status = 201, body = VisitView), (status = 200, body = VisitView), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn record(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<VisitNew>,
) -> ApiResult<(StatusCode, Json<VisitView>)> {
    find_case(&state.db, &caller, id).await?;
    let same = |done: &visit::Model| {
        done.officer_id == caller.id
            && done.case_id == id
            && done.kind == req.kind
            && done.at == req.at.trunc_subsecs(0)
    };
    let taken = ErrorCode::VisitIdTaken;
    let store = async {
        let met = check(&req, &state.config.rules.visits, state.clock.now())?;
        store(&state, &caller, id, &req, met).await
    };
    match made_once::<visit::Entity, _>(&state.db, req.id, same, taken, store).await? {
        Once::Made(v) => Ok((StatusCode::CREATED, Json(v))),
        Once::Again(done) => Ok((
            StatusCode::OK,
            Json(views(&state.db, vec![done]).await?.remove(0)),
        )),
    }
}

async fn store(
    state: &AppState,
    caller: &Officer,
    case_id: Uuid,
    req: &VisitNew,
    met: Vec<String>,
) -> ApiResult<VisitView> {
    let work = Work::begin(state).await?;
    let c = find_case_for_write(work.db(), caller, case_id).await?;
    let at = req.at.trunc_subsecs(0);
    let distance_m = match (req.kind, &req.place) {
        (VisitKind::HomeVisit, Some(place)) => Some(at_residence(state, &c, place, at)?),
        _ => None,
    };
    // The person's face, checked in where the officer records the report.
    if let (Some(k), Some(office)) = (req.checkin_id, &req.place) {
        let rules = &state.config.rules.visits;
        let place = ((office.lat, office.lon), rules.office_radius_m);
        let location = &state.config.checkin.location;
        let fresh = rules.office_face_fresh_secs;
        match crate::checkins::presence(work.db(), location, c.id, k, place, at, fresh).await? {
            Presence::There => {}
            Presence::NotPassed => return Err(ErrorCode::VisitFaceNotPassed.into()),
            Presence::Elsewhere => return Err(ErrorCode::VisitCheckinElsewhere.into()),
        }
    }
    let risks = distinct_risks(&req.risks);
    let mut row = visit::ActiveModel {
        id: Set(req.id),
        case_id: Set(c.id),
        kind: Set(req.kind),
        officer_id: Set(caller.id),
        at: Set(at),
        place: Set(crate::db::fix_to_json(req.place.as_ref())?),
        distance_m: Set(distance_m
            .map(i32::try_from)
            .transpose()
            .map_err(ApiError::internal)?),
        checkin_id: Set(req.checkin_id),
        met: Set(json!(met)),
        findings: Set(req.findings.trim().to_owned()),
        risks: Set(json!(risks)),
        alert_id: Set(None),
        created_at: Set(work.now()),
    };
    if let Some(severity) = risk_alert(&risks) {
        let (alert, event) = crate::alerts::raise(
            work.db(),
            work.now(),
            &c,
            AlertKind::VisitRiskFlagged,
            severity,
            json!({ "visit_id": req.id, "kind": req.kind, "officer_id": caller.id,
                    "risks": risks, "at": at }),
        )
        .await?;
        work.publish(event);
        row.alert_id = Set(Some(alert.id));
    }
    let row = row.insert(work.db()).await?;
    work.audit(
        &Actor::from(caller),
        AuditAction::VisitRecorded,
        "visit",
        row.id,
        json!({ "case_id": c.id, "kind": row.kind, "at": row.at, "distance_m": distance_m,
                "checkin_id": row.checkin_id, "risks": risks }),
    )
    .await?;
    let v = views(work.db(), vec![row]).await?.remove(0);
    work.commit().await?;
    Ok(v)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VisitQuery {
    /// Only visits of this kind.
    pub kind: Option<VisitKind>,
}

/// A case's visits, talks and office reports, newest first (its officers).
#[utoipa::path(get, path = "/cases/{id}/visits", tag = "visits", params(("id" = Uuid, Path), VisitQuery, PageQuery),
    responses((status = 200, body = Page<VisitView>), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_case(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Paged(q, page): Paged<VisitQuery>,
) -> ApiResult<Json<Page<VisitView>>> {
    let c = find_case(&state.db, &caller, id).await?;
    let mut find = visit::Entity::find().filter(visit::Column::CaseId.eq(c.id));
    if let Some(kind) = q.kind {
        find = find.filter(visit::Column::Kind.eq(kind.as_str()));
    }
    let rows = page.rows(&state.db, find, Order::NewestFirst).await?;
    Ok(Json(Page {
        items: views(&state.db, rows.items).await?,
        next: rows.next,
    }))
}

crate::seek_by!(visit, At, at);
