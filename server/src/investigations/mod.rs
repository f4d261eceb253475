//! Pre-sentence investigations (调查评估): a court asks whether community correction suits a
//! defendant; an officer of the receiving unit investigates and files an opinion.

use axum::extract::State;
use axum::http::StatusCode;
use huijiao_core::api::{
    InvestigationCreateRequest, InvestigationOpinionRequest, InvestigationView, Page, Problem,
};
use huijiao_core::model::{AuditAction, InvestigationOpinion, InvestigationStatus};
use huijiao_core::policy::transitions::{InvestigationAction, Party, INVESTIGATION};
use huijiao_core::Said;
use huijiao_core::{policy, ErrorCode};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait as _, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::auth::extractor::Officer;
use crate::entities::{investigation, org_unit};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::paging::{Order, PageQuery, PageRequest};
use crate::state::AppState;
use crate::transition::step;
use crate::validate::{check_paragraphs, check_text};
use crate::work::Work;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("investigations", routes);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_investigation, list_investigations))
        .routes(routes!(get_investigation))
        .routes(routes!(file_opinion))
}

/// Investigations are officers' work, scoped by the unit's subtree.
fn scope(caller: &Officer) -> ApiResult<Condition> {
    let path = caller.unit_path.clone().ok_or(ErrorCode::Forbidden)?;
    Ok(Condition::all().add(
        investigation::Column::UnitId.in_subquery(
            Query::select()
                .column(org_unit::Column::Id)
                .from(org_unit::Entity)
                .and_where(Expr::col(org_unit::Column::Path).like(format!("{path}%")))
                .to_owned(),
        ),
    ))
}

fn view(i: investigation::Model) -> ApiResult<InvestigationView> {
    Ok(InvestigationView {
        id: i.id,
        unit_id: i.unit_id,
        court: i.court,
        // The defendant may be a minor: masked like a case in a list.
        defendant_name: if i.minor {
            policy::mask_name(&i.defendant_name)
        } else {
            i.defendant_name
        },
        defendant_national_id_masked: if i.minor {
            policy::MINOR_ID_MASK.into()
        } else {
            i.defendant_id_masked
        },
        minor: i.minor,
        charge: i.charge,
        requested_on: i.requested_on,
        due_on: i.due_on,
        status: i.status,
        opinion: i.opinion.as_deref().and_then(InvestigationOpinion::parse),
        opinion_text: i.opinion_text,
        filed_by: i.filed_by,
        filed_at: i.filed_at,
    })
}

/// Registers a court's request for a pre-sentence investigation.
#[utoipa::path(post, path = "/investigations", tag = "investigations", request_body = InvestigationCreateRequest,
    responses((status = 201, body = InvestigationView), (status = 422, body = Problem)))]
async fn create_investigation(
    State(state): State<AppState>,
    caller: Officer,
    Json(req): Json<InvestigationCreateRequest>,
) -> ApiResult<(StatusCode, Json<InvestigationView>)> {
    scope(&caller)?;
    check_text("court", &req.court, 200)?;
    check_text("defendant_name", &req.defendant_name, 100)?;
    check_text("charge", &req.charge, 500)?;
    if req.due_on < req.requested_on {
        return Err(ApiError::field(
            "due_on",
            Said::new("must not be before requested_on", "不能早于 requested_on"),
        ));
    }
    let id_number = policy::validate_national_id(&req.defendant_national_id).map_err(|_| {
        ApiError::field(
            "defendant_national_id",
            Said::new(
                "not a valid national identity number",
                "不是有效的公民身份号码",
            ),
        )
    })?;
    let work = Work::begin(&state).await?;
    let unit = org_unit::Entity::find_by_id(req.unit_id)
        .one(work.db())
        .await?;
    unit.filter(|u| caller.covers_unit_path(&u.path))
        .ok_or_else(crate::org::unit_not_in_jurisdiction)?;
    let i = investigation::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(req.unit_id),
        court: Set(req.court.trim().into()),
        defendant_name: Set(req.defendant_name.trim().into()),
        defendant_id_hash: Set(state.id_hash(&id_number)),
        defendant_id_masked: Set(policy::mask_national_id(&id_number)),
        minor: Set(req.minor),
        charge: Set(req.charge.trim().into()),
        requested_on: Set(req.requested_on),
        due_on: Set(req.due_on),
        status: Set(InvestigationStatus::Requested),
        opinion: Set(None),
        opinion_text: Set(None),
        filed_by: Set(None),
        filed_at: Set(None),
        created_by: Set(caller.id),
        created_at: Set(work.now()),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::InvestigationCreated,
        "investigation",
        i.id,
        json!({ "unit_id": i.unit_id }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(view(i)?)))
}

#[utoipa::path(get, path = "/investigations", tag = "investigations", params(PageQuery),
    responses((status = 200, body = Page<InvestigationView>), (status = 403, body = Problem)))]
async fn list_investigations(
    State(state): State<AppState>,
    caller: Officer,
    page: PageRequest,
) -> ApiResult<Json<Page<InvestigationView>>> {
    let find = investigation::Entity::find().filter(scope(&caller)?);
    let rows = page.read(&state.db, find, Order::OldestFirst, view).await?;
    audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::InvestigationListed,
        "investigation",
        None,
        json!({ "returned": rows.items.len() }),
    )
    .await?;
    Ok(Json(rows))
}

crate::seek_by!(investigation, DueOn, due_on: chrono::NaiveDate);

#[utoipa::path(get, path = "/investigations/{id}", tag = "investigations", params(("id" = Uuid, Path)),
    responses((status = 200, body = InvestigationView), (status = 404, body = Problem)))]
async fn get_investigation(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<InvestigationView>> {
    let i = investigation::Entity::find_by_id(id)
        .filter(scope(&caller)?)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::InvestigationRead,
        "investigation",
        Some(id.to_string()),
        json!({}),
    )
    .await?;
    Ok(Json(view(i)?))
}

/// Files the assessment opinion. Once filed it is final.
#[utoipa::path(post, path = "/investigations/{id}/opinion", tag = "investigations", params(("id" = Uuid, Path)),
    request_body = InvestigationOpinionRequest,
    responses((status = 200, body = InvestigationView), (status = 409, body = Problem)))]
async fn file_opinion(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<InvestigationOpinionRequest>,
) -> ApiResult<Json<InvestigationView>> {
    check_paragraphs("text", &req.text, 20_000)?;
    let work = Work::begin(&state).await?;
    let i = investigation::Entity::find_by_id(id)
        .filter(scope(&caller)?)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    // Conditional on still being open: two officers filing at once, one wins.
    let party = Party::person(caller.role, None);
    let i = step(
        work.db(),
        &INVESTIGATION,
        InvestigationAction::FileOpinion,
        party,
        &i,
        |q| {
            use investigation::Column as C;
            q.col_expr(C::Opinion, Expr::value(req.opinion.as_str()))
                .col_expr(C::OpinionText, Expr::value(req.text.trim()))
                .col_expr(C::FiledBy, Expr::value(caller.id))
                .col_expr(C::FiledAt, Expr::value(work.now()))
        },
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::InvestigationOpinionFiled,
        "investigation",
        id,
        json!({ "opinion": req.opinion }),
    )
    .await?;
    work.commit().await?;
    Ok(Json(view(i)?))
}
