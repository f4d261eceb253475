//! Fences: officers draw activity areas and exclusion zones for a supervisee (optionally under
//! one of their prohibition orders) or for everyone in a unit. Removing one archives it.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use huijiao_core::api::{FenceRequest, FenceUpdateRequest, FenceView, Page, Problem};
use huijiao_core::model::{AuditAction, FenceKind};
use huijiao_core::policy::location::{FenceError, FenceSchedule, FenceShape};
use huijiao_core::ErrorCode;
use huijiao_core::Said;
use sea_orm::sea_query::{Expr, Query as SqlQuery};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::index::ActiveFence;
use super::rules::{clear_rule_everywhere, Rule};
use crate::audit::Actor;
use crate::auth::extractor::{AuthUser, Officer, Supervisee};
use crate::cases::{find_case, find_case_for_write};
use crate::entities::{fence, org_unit};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::paging::{Order, PageQuery, Paged};
use crate::state::AppState;
use crate::validate::check_text;
use crate::work::Work;

fn view(f: fence::Model, now: DateTime<Utc>) -> ApiResult<FenceView> {
    let shape: FenceShape = serde_json::from_value(f.shape).map_err(ApiError::internal)?;
    let schedule: FenceSchedule = serde_json::from_value(f.schedule).map_err(ApiError::internal)?;
    Ok(FenceView {
        id: f.id,
        name: f.name,
        kind: f.kind,
        active_now: f.archived_at.is_none() && schedule.is_active(now),
        shape,
        schedule,
        case_id: f.case_id,
        prohibition_order: f.prohibition_order.map(|i| i as u32),
        unit_id: f.unit_id,
        created_at: f.created_at,
        updated_at: f.updated_at,
        archived_at: f.archived_at,
        version: f.version,
    })
}

fn nested(prefix: &str) -> impl Fn(FenceError) -> ApiError + '_ {
    move |e| ApiError::field(format!("{prefix}.{}", e.field), e.message)
}

/// Checks the parts every fence write has; compiles the shape.
fn check_body(name: &str, shape: &FenceShape, schedule: &FenceSchedule) -> ApiResult<()> {
    check_text("name", name, 200)?;
    shape.compile().map_err(nested("shape"))?;
    schedule.validate().map_err(nested("schedule"))?;
    Ok(())
}

/// A unit fence may be drawn by officers whose subtree holds the unit.
async fn check_unit(state: &AppState, caller: &AuthUser, unit_id: Uuid) -> ApiResult<()> {
    let unit = org_unit::Entity::find_by_id(unit_id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if !caller.covers_unit_path(&unit.path) {
        return Err(ErrorCode::NotFound.into());
    }
    Ok(())
}

#[utoipa::path(post, path = "/fences", tag = "locations", request_body = FenceRequest,
    responses((status = 201, body = FenceView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_fence(
    State(state): State<AppState>,
    caller: Officer,
    Json(req): Json<FenceRequest>,
) -> ApiResult<(StatusCode, Json<FenceView>)> {
    check_body(&req.name, &req.shape, &req.schedule)?;
    match (req.case_id, req.unit_id) {
        (Some(case_id), None) => {
            let c = find_case_for_write(&state.db, &caller, case_id).await?;
            if let Some(i) = req.prohibition_order {
                let orders: Vec<String> =
                    serde_json::from_value(c.prohibition_orders.clone()).unwrap_or_default();
                if i as usize >= orders.len() {
                    return Err(ApiError::field(
                        "prohibition_order",
                        Said::new(
                            format!("the case has {} prohibition orders", orders.len()),
                            format!("该案件只有 {} 项禁止令", orders.len()),
                        ),
                    ));
                }
            }
        }
        (None, Some(unit_id)) => {
            if req.prohibition_order.is_some() {
                return Err(ApiError::field(
                    "prohibition_order",
                    Said::new(
                        "only for a supervisee's fence",
                        "只适用于针对某个矫正对象的围栏",
                    ),
                ));
            }
            check_unit(&state, &caller, unit_id).await?;
        }
        _ => {
            return Err(ApiError::field(
                "case_id",
                Said::new(
                    "give exactly one of case_id and unit_id",
                    "case_id 和 unit_id 须且只须给出一个",
                ),
            ))
        }
    }
    let now = state.clock.now();
    let work = Work::begin(&state).await?;
    let f = fence::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(req.name.trim().to_owned()),
        kind: Set(req.kind),
        shape: Set(json!(req.shape)),
        schedule: Set(json!(req.schedule)),
        case_id: Set(req.case_id),
        prohibition_order: Set(req.prohibition_order.map(|i| i as i32)),
        unit_id: Set(req.unit_id),
        created_by: Set(caller.id),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        archived_by: Set(None),
        version: Set(1),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::FenceCreated,
        "fence",
        f.id,
        json!({"kind": f.kind, "case_id": f.case_id, "unit_id": f.unit_id}),
    )
    .await?;
    work.commit().await?;
    state
        .fences
        .apply(f.id, Some(ActiveFence::from_row(&f)?))
        .await;
    Ok((StatusCode::CREATED, Json(view(f, state.clock.now())?)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FenceQuery {
    /// Every fence binding this supervisee: their own and their units'.
    pub case_id: Option<Uuid>,
    /// The fences drawn for this unit.
    pub unit_id: Option<Uuid>,
    /// Include removed fences (default false).
    pub include_archived: Option<bool>,
}

/// Fences in the caller's jurisdiction.
#[utoipa::path(get, path = "/fences", tag = "locations", params(FenceQuery, PageQuery),
    responses((status = 200, body = Page<FenceView>), (status = 404, body = Problem)))]
pub async fn list_fences(
    State(state): State<AppState>,
    caller: Officer,
    Paged(q, page): Paged<FenceQuery>,
) -> ApiResult<Json<Page<FenceView>>> {
    let owners = if let Some(case_id) = q.case_id {
        let c = find_case(&state.db, &caller, case_id).await?;
        let path = crate::org::unit_path(&state.db, c.unit_id).await?;
        Condition::any()
            .add(fence::Column::CaseId.eq(c.id))
            .add(fence::Column::UnitId.is_in(super::ingest::unit_ids(&path)))
    } else if let Some(unit_id) = q.unit_id {
        check_unit(&state, &caller, unit_id).await?;
        Condition::all().add(fence::Column::UnitId.eq(unit_id))
    } else {
        Condition::any()
            .add(fence::Column::CaseId.in_subquery(caller.case_ids()?))
            .add(
                fence::Column::UnitId.in_subquery(
                    SqlQuery::select()
                        .column(org_unit::Column::Id)
                        .from(org_unit::Entity)
                        .cond_where(caller.unit_scope()?)
                        .to_owned(),
                ),
            )
    };
    let mut find = fence::Entity::find().filter(owners);
    if !q.include_archived.unwrap_or(false) {
        find = find.filter(fence::Column::ArchivedAt.is_null());
    }
    let now = state.clock.now();
    Ok(Json(
        page.read(&state.db, find, Order::OldestFirst, |f| view(f, now))
            .await?,
    ))
}

crate::seek_by!(fence, CreatedAt, created_at);

/// The signed-in supervisee's activity areas (their own and their units'), for the app's map.
/// Exclusion zones are never shown: one may be drawn around a victim's home.
#[utoipa::path(get, path = "/me/areas", tag = "locations",
    responses((status = 200, body = Vec<FenceView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn own_areas(
    State(state): State<AppState>,
    caller: Supervisee,
) -> ApiResult<Json<Vec<FenceView>>> {
    let c = crate::cases::own_case(&state.db, &caller).await?;
    let path = crate::org::unit_path(&state.db, c.unit_id).await?;
    let rows = fence::Entity::find()
        .filter(
            Condition::any()
                .add(fence::Column::CaseId.eq(c.id))
                .add(fence::Column::UnitId.is_in(super::ingest::unit_ids(&path))),
        )
        .filter(fence::Column::Kind.eq(FenceKind::ActivityArea))
        .filter(fence::Column::ArchivedAt.is_null())
        .order_by_asc(fence::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|f| view(f, state.clock.now()))
            .collect::<ApiResult<_>>()?,
    ))
}

/// A fence the officer may see and change: its case in their jurisdiction, or its unit in
/// their subtree.
async fn find_fence(state: &AppState, caller: &Officer, id: Uuid) -> ApiResult<fence::Model> {
    let f = fence::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    match (f.case_id, f.unit_id) {
        (Some(case_id), _) => {
            find_case(&state.db, caller, case_id).await?;
        }
        (None, Some(unit_id)) => check_unit(state, caller, unit_id).await?,
        (None, None) => return Err(ApiError::internal("fence without owner")),
    }
    Ok(f)
}

#[utoipa::path(get, path = "/fences/{id}", tag = "locations", params(("id" = Uuid, Path)),
    responses((status = 200, body = FenceView), (status = 404, body = Problem)))]
pub async fn get_fence(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<FenceView>> {
    Ok(Json(view(
        find_fence(&state, &caller, id).await?,
        state.clock.now(),
    )?))
}

/// Redraws a fence (name, shape, hours); its kind and owner stay.
#[utoipa::path(put, path = "/fences/{id}", tag = "locations", params(("id" = Uuid, Path)),
    request_body = FenceUpdateRequest,
    responses((status = 200, body = FenceView), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_fence(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<FenceUpdateRequest>,
) -> ApiResult<Json<FenceView>> {
    let f = find_fence(&state, &caller, id).await?;
    check_body(&req.name, &req.shape, &req.schedule)?;
    if f.archived_at.is_some() {
        return Err(ErrorCode::FenceArchived.into());
    }
    let now = state.clock.now();
    let work = Work::begin(&state).await?;
    // Archived meanwhile by someone else: the version moved, so this is a conflict too.
    let updated =
        crate::transition::update_at_version::<fence::Entity>(work.db(), id, req.version, |q| {
            q.col_expr(fence::Column::Name, Expr::value(req.name.trim()))
                .col_expr(fence::Column::Shape, Expr::value(json!(req.shape)))
                .col_expr(fence::Column::Schedule, Expr::value(json!(req.schedule)))
                .col_expr(fence::Column::UpdatedAt, Expr::value(now))
                .filter(fence::Column::ArchivedAt.is_null())
        })
        .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::FenceUpdated,
        "fence",
        id,
        json!({"version": updated.version}),
    )
    .await?;
    let f = updated;
    work.commit().await?;
    state
        .fences
        .apply(id, Some(ActiveFence::from_row(&f)?))
        .await;
    Ok(Json(view(f, state.clock.now())?))
}

/// Removes a fence (kept, archived, for the record). Violations it had open are cleared.
#[utoipa::path(delete, path = "/fences/{id}", tag = "locations", params(("id" = Uuid, Path)),
    responses((status = 200, body = FenceView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn archive_fence(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<FenceView>> {
    let f = find_fence(&state, &caller, id).await?;
    if f.archived_at.is_some() {
        return Err(ErrorCode::FenceArchived.into());
    }
    let now = state.clock.now();
    let work = Work::begin(&state).await?;
    let done = fence::Entity::update_many()
        .col_expr(fence::Column::ArchivedAt, Expr::value(now))
        .col_expr(fence::Column::ArchivedBy, Expr::value(caller.id))
        .col_expr(fence::Column::UpdatedAt, Expr::value(now))
        .col_expr(fence::Column::Version, Expr::value(f.version + 1))
        .filter(fence::Column::Id.eq(id))
        .filter(fence::Column::ArchivedAt.is_null())
        .exec(work.db())
        .await?;
    if done.rows_affected == 0 {
        return Err(ErrorCode::FenceArchived.into());
    }
    let events = if f.kind == FenceKind::ExclusionZone {
        clear_rule_everywhere(work.db(), &Rule::Zone(id), now).await?
    } else {
        // Activity areas are judged together: the next fix re-judges without this one.
        vec![]
    };
    work.audit(
        &Actor::from(&caller),
        AuditAction::FenceArchived,
        "fence",
        id,
        json!({}),
    )
    .await?;
    let f = fence::Entity::find_by_id(id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    // The cleared alerts go out once the archive is committed.
    work.publish_all(events);
    work.commit().await?;
    state.fences.apply(id, None).await;
    Ok(Json(view(f, state.clock.now())?))
}
