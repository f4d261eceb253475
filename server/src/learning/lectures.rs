//! Group lectures (集中学习): an officer schedules a lecture for everyone under a unit at a
//! venue; on the day, the officer's phone shows the lecture's rotating code as a QR code and
//! each person scans it with a GPS fix inside the venue (`policy::lecture`), or the officer
//! marks them (present, late, excused, absent; with a reason, audited). What an attendance
//! credits is one row of the month's ledger, corrected in place when the officer corrects it.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use huijiao_core::api::{
    LectureAttendanceView, LectureCheckIn, LectureCodeView, LectureCreate, LectureMarkRequest,
    LectureView, Page, Problem,
};
use huijiao_core::model::{AuditAction, EventKind, Role};
use huijiao_core::policy::calendar::month_of;
use huijiao_core::policy::learning::{CreditSource, Obligation};
use huijiao_core::policy::lecture::{
    arrival, current_code, lecture_minutes, marked_minutes, qr_payload, scanning_open,
    AttendanceMark, AttendanceMethod, LECTURE_WINDOW,
};
use huijiao_core::{ErrorCode, Said};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::courses::check_category;
use crate::actor::Actor;
use crate::auth::extractor::{AuthUser, Officer, RequestParty, Supervisee};
use crate::cases::{find_case_for_write, identity, own_case};
use crate::checkins::on_site;
use crate::entities::{case, lecture, lecture_attendance, ledger_credit};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::ledger;
use crate::paging::{Order, PageQuery, PageRequest, Paged};
use crate::state::AppState;
use crate::validate::{check_gps_fix, check_paragraphs};
use crate::work::Work;

fn attendance_view(
    a: &lecture_attendance::Model,
    c: &case::Model,
    reader: Role,
) -> LectureAttendanceView {
    LectureAttendanceView {
        lecture_id: a.lecture_id,
        case_id: a.case_id,
        name: identity(c, reader, false).0,
        mark: a.mark,
        method: a.method,
        checkin_id: a.checkin_id,
        arrived_at: a.arrived_at,
        credited_minutes: a.credited_minutes.max(0) as u32,
        marked_by: a.marked_by,
        reason: a.reason.clone(),
        updated_at: a.updated_at,
    }
}

fn lecture_view(l: &lecture::Model, attendance: Option<LectureAttendanceView>) -> LectureView {
    LectureView {
        id: l.id,
        unit_id: l.unit_id,
        title: l.title.clone(),
        category: l.category,
        place: l.place.clone(),
        lat: l.lat,
        lon: l.lon,
        radius_m: l.radius_m.max(0) as u32,
        starts_at: l.starts_at,
        ends_at: l.ends_at,
        minutes: lecture_minutes(l.starts_at, l.ends_at),
        attendance,
        created_at: l.created_at,
    }
}

fn check_create(req: &LectureCreate, now: DateTime<Utc>) -> ApiResult<()> {
    on_site::check_event(&on_site::event_of!(req), &LECTURE_WINDOW, now)?;
    check_category(req.category)
}

/// Schedules a lecture for everyone under `unit_id` (the officer's unit or one below).
#[utoipa::path(post, path = "/lectures", tag = "learning", request_body = LectureCreate,
    responses((status = 201, body = LectureView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Officer,
    Json(req): Json<LectureCreate>,
) -> ApiResult<(StatusCode, Json<LectureView>)> {
    let work = Work::begin(&state).await?;
    let mine = caller.unit_path.clone().ok_or(ErrorCode::Forbidden)?;
    let unit_path = crate::org::unit_path(work.db(), req.unit_id)
        .await
        .map_err(|_| ApiError::from(ErrorCode::Forbidden))?;
    if !unit_path.starts_with(&mine) {
        return Err(ErrorCode::Forbidden.into());
    }
    let now = state.clock.now();
    check_create(&req, now)?;
    let row = lecture::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(req.unit_id),
        unit_path: Set(unit_path),
        title: Set(req.title.trim().to_owned()),
        category: Set(req.category),
        place: Set(req.place.trim().to_owned()),
        lat: Set(req.lat),
        lon: Set(req.lon),
        radius_m: Set(req.radius_m as i32),
        starts_at: Set(req.starts_at),
        ends_at: Set(req.ends_at),
        code_secret: Set(on_site::new_secret()),
        created_by: Set(caller.id),
        created_at: Set(now),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::LectureCreated,
        "lecture",
        row.id,
        json!({ "unit_id": row.unit_id, "starts_at": row.starts_at }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(lecture_view(&row, None))))
}

/// The lectures a caller may see (`on_site::visible`): officers and the people they reach.
async fn visible(db: &impl ConnectionTrait, caller: &AuthUser) -> ApiResult<Condition> {
    on_site::visible(db, caller, lecture::Column::UnitPath, None).await
}

async fn find_lecture(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<lecture::Model> {
    Ok(lecture::Entity::find_by_id(id)
        .filter(visible(db, caller).await?)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?)
}

/// Lectures from `from` on, soonest first (a supervisee's with their own attendance).
#[utoipa::path(get, path = "/lectures", tag = "learning", params(on_site::EventQuery, PageQuery),
    responses((status = 200, body = Page<LectureView>), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    caller: RequestParty,
    Paged(q, page): Paged<on_site::EventQuery>,
) -> ApiResult<Json<Page<LectureView>>> {
    let find = lecture::Entity::find().filter(visible(&state.db, &caller).await?);
    let ends_at = lecture::Column::EndsAt;
    let Page { items: rows, next } = on_site::upcoming(&state, find, ends_at, &q, &page).await?;
    let mut mine: std::collections::HashMap<Uuid, LectureAttendanceView> = match caller.role {
        Role::Supervisee => {
            let c = own_case(&state.db, &Supervisee((*caller).clone())).await?;
            let ids: Vec<Uuid> = rows.iter().map(|l| l.id).collect();
            let found = lecture_attendance::Entity::find()
                .filter(lecture_attendance::Column::CaseId.eq(c.id))
                .filter(lecture_attendance::Column::LectureId.is_in(ids))
                .all(&state.db)
                .await?;
            found
                .iter()
                .map(|a| (a.lecture_id, attendance_view(a, &c, caller.role)))
                .collect()
        }
        _ => std::collections::HashMap::new(),
    };
    Ok(Json(Page {
        items: rows
            .iter()
            .map(|l| lecture_view(l, mine.remove(&l.id)))
            .collect(),
        next,
    }))
}

crate::seek_by!(lecture, StartsAt, starts_at);

/// The code to show now (officers who can see the lecture, while scanning is open).
#[utoipa::path(get, path = "/lectures/{id}/code", tag = "learning", params(("id" = Uuid, Path)),
    responses((status = 200, body = LectureCodeView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn code(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<LectureCodeView>> {
    let l = find_lecture(&state.db, &caller, id).await?;
    let rules = &state.config.rules.learning;
    let now = state.clock.now();
    if !scanning_open(rules, l.starts_at, l.ends_at, now) {
        return Err(ErrorCode::LectureNotOpen.into());
    }
    let (code, valid_until) = current_code(
        &on_site::secret_of(&l.code_secret)?,
        now,
        rules.lecture_code_secs,
    );
    Ok(Json(LectureCodeView {
        lecture_id: l.id,
        qr: qr_payload(l.id, &code),
        code,
        valid_until,
        rotate_secs: rules.lecture_code_secs,
    }))
}

async fn attendance_of(
    db: &impl ConnectionTrait,
    lecture_id: Uuid,
    case_id: Uuid,
) -> ApiResult<Option<lecture_attendance::Model>> {
    Ok(lecture_attendance::Entity::find()
        .filter(lecture_attendance::Column::LectureId.eq(lecture_id))
        .filter(lecture_attendance::Column::CaseId.eq(case_id))
        .one(db)
        .await?)
}

/// Puts what an attendance credits in its month's ledger row (made on first use).
async fn credit(
    db: &impl ConnectionTrait,
    l: &lecture::Model,
    a: &lecture_attendance::Model,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let existing = ledger_credit::Entity::find()
        .filter(ledger_credit::Column::AttendanceId.eq(a.id))
        .one(db)
        .await?;
    let entry = ledger::Entry {
        case_id: a.case_id,
        obligation: Obligation::Education,
        month: month_of(l.starts_at),
        source: CreditSource::Lecture,
        credited_ms: i64::from(a.credited_minutes) * 60_000,
        reason: None,
        created_by: a.marked_by,
        session_id: None,
        attendance_id: Some(a.id),
        participation_id: None,
    };
    ledger::put(db, existing, entry, now).await
}

/// A supervisee on site checks in with a GPS fix inside the venue and either the code scanned
/// from the officer's screen or a face check-in just passed there (the same face engine,
/// liveness and replay rules as any check-in). Sending it again (an outbox retry) returns the
/// attendance taken.
#[utoipa::path(post, path = "/lectures/{id}/attendance", tag = "learning", params(("id" = Uuid, Path)), request_body = LectureCheckIn,
    responses((status = 201, body = LectureAttendanceView), (status = 200, body = LectureAttendanceView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn attend(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
    Json(req): Json<LectureCheckIn>,
) -> ApiResult<(StatusCode, Json<LectureAttendanceView>)> {
    let work = Work::begin(&state).await?;
    let l = find_lecture(work.db(), &caller, id).await?;
    check_gps_fix("location", &req.location)?;
    let c = own_case(work.db(), &caller).await?;
    // One scan at a time per person: the second of two at once sees the first's attendance.
    case::Entity::find_by_id(c.id)
        .lock_exclusive()
        .one(work.db())
        .await?;
    if let Some(a) = attendance_of(work.db(), l.id, c.id).await? {
        return Ok((StatusCode::OK, Json(attendance_view(&a, &c, caller.role))));
    }
    huijiao_core::policy::require_active(c.status)?;
    let rules = &state.config.rules.learning;
    let now = state.clock.now();
    if !scanning_open(rules, l.starts_at, l.ends_at, now) {
        return Err(ErrorCode::LectureNotOpen.into());
    }
    let claim = on_site::Claim {
        location: &req.location,
        checkin_id: req.checkin_id,
        code: req.code.as_deref(),
    };
    let site = on_site::Site {
        at: (l.lat, l.lon),
        radius_m: l.radius_m.max(0) as u32,
        secret: &on_site::secret_of(&l.code_secret)?,
        code_secs: rules.lecture_code_secs,
        face_fresh_secs: rules.lecture_face_fresh_secs,
        refusals: on_site::Refusals {
            face_not_passed: ErrorCode::LectureFaceNotPassed,
            code_expired: ErrorCode::LectureCodeExpired,
            code_wrong: ErrorCode::LectureCodeWrong,
            outside: ErrorCode::LectureOutsideVenue,
            fix_unusable: ErrorCode::LectureFixUnusable,
        },
    };
    let checkin_id = on_site::prove(&state, work.db(), c.id, &claim, &site, now).await?;
    let method = if checkin_id.is_some() {
        AttendanceMethod::Face
    } else {
        AttendanceMethod::Code
    };
    let loc = &req.location;
    let (mark, minutes) = arrival(rules, l.starts_at, l.ends_at, now);
    let a = lecture_attendance::ActiveModel {
        id: Set(Uuid::now_v7()),
        lecture_id: Set(l.id),
        case_id: Set(c.id),
        mark: Set(mark),
        method: Set(method),
        checkin_id: Set(checkin_id),
        arrived_at: Set(Some(now)),
        lat: Set(Some(loc.lat)),
        lon: Set(Some(loc.lon)),
        accuracy_m: Set(Some(loc.accuracy_m)),
        credited_minutes: Set(minutes as i32),
        marked_by: Set(None),
        reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(work.db())
    .await?;
    credit(work.db(), &l, &a, now).await?;
    work.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(attendance_view(&a, &c, caller.role)),
    ))
}

/// An officer marks or corrects a person's attendance (the person must be one the lecture is
/// for); the ledger follows. Audited; the person is told.
#[utoipa::path(put, path = "/lectures/{id}/attendance/{case_id}", tag = "learning",
    params(("id" = Uuid, Path), ("case_id" = Uuid, Path)), request_body = LectureMarkRequest,
    responses((status = 200, body = LectureAttendanceView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn mark(
    State(state): State<AppState>,
    caller: Officer,
    Path((id, case_id)): Path<(Uuid, Uuid)>,
    Json(req): Json<LectureMarkRequest>,
) -> ApiResult<Json<LectureAttendanceView>> {
    let work = Work::begin(&state).await?;
    let l = find_lecture(work.db(), &caller, id).await?;
    let c = find_case_for_write(work.db(), &caller, case_id).await?;
    let case_path = crate::org::unit_path(work.db(), c.unit_id).await?;
    if !case_path.starts_with(&l.unit_path) {
        return Err(ErrorCode::NotFound.into());
    }
    check_paragraphs("reason", &req.reason, 2000)?;
    let minutes =
        marked_minutes(req.mark, l.starts_at, l.ends_at, req.arrived_at).ok_or_else(|| {
            if req.mark == AttendanceMark::Unknown {
                ApiError::field(
                    "mark",
                    Said::new(
                        "present, late, excused or absent",
                        "须为 present、late、excused 或 absent",
                    ),
                )
            } else {
                ApiError::field(
                    "arrived_at",
                    Said::new(
                        "for late: when the person arrived, during the lecture",
                        "迟到须填写到场时间，且在集中学习期间",
                    ),
                )
            }
        })?;
    let now = state.clock.now();
    // Present or late can only be said of a lecture that has begun.
    let attended = matches!(req.mark, AttendanceMark::Present | AttendanceMark::Late);
    if attended && now < l.starts_at {
        return Err(ErrorCode::LectureNotOpen.into());
    }
    case::Entity::find_by_id(c.id)
        .lock_exclusive()
        .one(work.db())
        .await?;
    let before = attendance_of(work.db(), l.id, c.id).await?;
    let arrived_at = match req.mark {
        AttendanceMark::Late => req.arrived_at,
        AttendanceMark::Present => before.as_ref().and_then(|a| a.arrived_at),
        _ => None,
    };
    let a = match &before {
        Some(b) => {
            let mut row: lecture_attendance::ActiveModel = b.clone().into();
            row.mark = Set(req.mark);
            row.method = Set(AttendanceMethod::Officer);
            row.arrived_at = Set(arrived_at);
            row.credited_minutes = Set(minutes as i32);
            row.marked_by = Set(Some(caller.id));
            row.reason = Set(Some(req.reason.trim().to_owned()));
            row.updated_at = Set(now);
            row.update(work.db()).await?
        }
        None => {
            lecture_attendance::ActiveModel {
                id: Set(Uuid::now_v7()),
                lecture_id: Set(l.id),
                case_id: Set(c.id),
                mark: Set(req.mark),
                method: Set(AttendanceMethod::Officer),
                checkin_id: Set(None),
                arrived_at: Set(arrived_at),
                lat: Set(None),
                lon: Set(None),
                accuracy_m: Set(None),
                credited_minutes: Set(minutes as i32),
                marked_by: Set(Some(caller.id)),
                reason: Set(Some(req.reason.trim().to_owned())),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(work.db())
            .await?
        }
    };
    credit(work.db(), &l, &a, now).await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::LectureMarked,
        "lecture",
        l.id,
        json!({
            "case_id": c.id,
            "mark": req.mark,
            "minutes": minutes,
            "was": before.as_ref().map(|b| json!({ "mark": b.mark, "minutes": b.credited_minutes })),
        }),
    )
    .await?;
    let view = attendance_view(&a, &c, Role::Officer);
    work.notify_case(&c, EventKind::LectureAttendance, &view, true)
        .await?;
    work.commit().await?;
    Ok(Json(view))
}

/// Who attended a lecture, among the people the officer supervises (minors masked).
#[utoipa::path(get, path = "/lectures/{id}/attendance", tag = "learning", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<LectureAttendanceView>), (status = 404, body = Problem)))]
pub async fn roster(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    page: PageRequest,
) -> ApiResult<Json<Page<LectureAttendanceView>>> {
    let l = find_lecture(&state.db, &caller, id).await?;
    let find = lecture_attendance::Entity::find()
        .filter(lecture_attendance::Column::LectureId.eq(l.id))
        .filter(lecture_attendance::Column::CaseId.in_subquery(caller.case_ids()?));
    let Page { items: rows, next } = page.rows(&state.db, find, Order::OldestFirst).await?;
    let cases: std::collections::HashMap<Uuid, case::Model> = case::Entity::find()
        .filter(case::Column::Id.is_in(rows.iter().map(|a| a.case_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let items = rows
        .iter()
        .filter_map(|a| {
            cases
                .get(&a.case_id)
                .map(|c| attendance_view(a, c, caller.role))
        })
        .collect();
    Ok(Json(Page { items, next }))
}

crate::seek_by!(lecture_attendance, CreatedAt, created_at);
