//! Cases: supervisee records, intake (register → announce → app login and device binding),
//! supervision levels and status with history, release at term end with its certificate,
//! correction plans, correction teams.

mod devices;
pub mod intake;
mod plan;
mod release;
mod team;

use axum::extract::State;
use axum::response::IntoResponse;
use huijiao_core::api::{CaseSummaryView, CaseView, Page, Problem, Residence};
use huijiao_core::model::{AuditAction, CaseStatus, Role, SupervisionLevel};
use huijiao_core::{policy, ErrorCode, Label, Lang};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::auth::extractor::{AuthUser, Officer, Supervisee};
use crate::entities::{case, org_unit, user};
use crate::error::{ApiResult, Json, Path, Query, Reader};
use crate::paging::{Order, PageQuery, Paged};
use crate::state::AppState;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("cases", routes);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(intake::create_case, list_cases))
        .routes(routes!(export_cases))
        .routes(routes!(get_case))
        .routes(routes!(intake::announce))
        .routes(routes!(intake::issue_login))
        .routes(routes!(intake::reset_login))
        .routes(routes!(intake::change_level, intake::list_levels))
        .routes(routes!(intake::change_status))
        .routes(routes!(release::release, release::get))
        .routes(routes!(release::certificate))
        .routes(routes!(plan::update_plan, plan::get_plan))
        .routes(routes!(plan::list_plans))
        .routes(routes!(team::add_member, team::list_team))
        .routes(routes!(team::remove_member))
        .routes(routes!(devices::list_devices))
        .routes(routes!(devices::approve_device))
        .routes(routes!(devices::revoke_device))
}

/// Loads a case the caller may see, or `resource.not_found` (never "exists but forbidden":
/// outsiders learn nothing about cases outside their jurisdiction).
pub async fn find_case(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<case::Model> {
    case::Entity::find_by_id(id)
        .filter(caller.case_scope()?)
        .one(db)
        .await?
        .ok_or_else(|| ErrorCode::NotFound.into())
}

/// The supervisee's own case, whatever its status (what they may read of it).
pub async fn own_case(db: &impl ConnectionTrait, caller: &Supervisee) -> ApiResult<case::Model> {
    case::Entity::find()
        .filter(case::Column::UserId.eq(caller.id))
        .one(db)
        .await?
        .ok_or_else(|| ErrorCode::NotFound.into())
}

/// The supervisee's own, active case.
pub async fn own_active_case(
    db: &impl ConnectionTrait,
    caller: &Supervisee,
) -> ApiResult<case::Model> {
    let c = own_case(db, caller).await?;
    policy::require_active(c.status)?;
    Ok(c)
}

/// Loads a case the caller may change: an officer of its jurisdiction, and not archived.
pub async fn find_case_for_write(
    db: &impl ConnectionTrait,
    caller: &Officer,
    id: Uuid,
) -> ApiResult<case::Model> {
    let c = find_case(db, caller, id).await?;
    if policy::case_is_closed(c.status) {
        return Err(ErrorCode::CaseClosed.into());
    }
    Ok(c)
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

/// The name and id a reader sees (`policy::identity_shown`).
pub(crate) fn identity(c: &case::Model, reader: Role, detail: bool) -> (String, String) {
    match policy::identity_shown(c.minor, reader, detail) {
        policy::IdentityShown::Full => (c.name.clone(), c.national_id_masked.clone()),
        policy::IdentityShown::Masked => (policy::mask_name(&c.name), policy::MINOR_ID_MASK.into()),
    }
}

pub fn case_view(c: case::Model, caller: &AuthUser) -> ApiResult<CaseView> {
    let v = full_case_view(c, caller)?;
    Ok(match caller.role {
        Role::Volunteer => for_the_team(v),
        _ => v,
    })
}

/// The case as the team's volunteers and social workers see it: what helping needs. The
/// identity masked (`identity`), the district and a rounded point instead of the address,
/// nothing of the crime, the court, the judgment or its orders.
fn for_the_team(v: CaseView) -> CaseView {
    let (address, lat, lon) =
        policy::for_the_team(&v.residence.address, v.residence.lat, v.residence.lon);
    CaseView {
        crime: String::new(),
        court: String::new(),
        judgment_number: String::new(),
        prohibition_orders: vec![],
        residence: Residence { address, lat, lon },
        ..v
    }
}

fn full_case_view(c: case::Model, caller: &AuthUser) -> ApiResult<CaseView> {
    let (name, national_id_masked) = identity(&c, caller.role, true);
    Ok(CaseView {
        id: c.id,
        name,
        national_id_masked,
        gender: c.gender.clone(),
        minor: c.minor,
        sentence_kind: c.sentence_kind,
        status: c.status,
        level: c.level,
        crime: c.crime,
        court: c.court,
        judgment_number: c.judgment_number,
        start_date: c.start_date,
        end_date: c.end_date,
        residence: Residence {
            address: c.residence_address,
            lat: c.residence_lat,
            lon: c.residence_lon,
        },
        prohibition_orders: strings(&c.prohibition_orders),
        unit_id: c.unit_id,
        officer_id: c.officer_id,
        user_id: c.user_id,
        announced_at: c.announced_at,
        announced_by: c.announced_by,
        closed_at: c.closed_at,
        created_at: c.created_at,
        version: c.version,
    })
}

fn summary_view(c: case::Model, reader: Role) -> ApiResult<CaseSummaryView> {
    let (name, national_id_masked) = identity(&c, reader, false);
    Ok(CaseSummaryView {
        id: c.id,
        name,
        national_id_masked,
        minor: c.minor,
        sentence_kind: c.sentence_kind,
        status: c.status,
        level: c.level,
        unit_id: c.unit_id,
        officer_id: c.officer_id,
        start_date: c.start_date,
        end_date: c.end_date,
    })
}

crate::seek_by!(case, CreatedAt, created_at);

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseListQuery {
    pub status: Option<CaseStatus>,
    pub level: Option<SupervisionLevel>,
    pub unit_id: Option<Uuid>,
}

/// The caller's cases matching `q`.
fn scoped(caller: &AuthUser, q: &CaseListQuery) -> ApiResult<Select<case::Entity>> {
    let mut find = case::Entity::find().filter(caller.case_scope()?);
    if let Some(s) = q.status {
        find = find.filter(case::Column::Status.eq(s.as_str()));
    }
    if let Some(l) = q.level {
        find = find.filter(case::Column::Level.eq(l.as_str()));
    }
    if let Some(u) = q.unit_id {
        find = find.filter(case::Column::UnitId.eq(u));
    }
    Ok(find)
}

/// Cases the caller may see (officer: their jurisdiction; volunteer: assigned; supervisee:
/// their own), in the order they were registered. Minors' names and ids are masked, and every
/// one for a volunteer.
#[utoipa::path(get, path = "/cases", tag = "cases", params(CaseListQuery, PageQuery),
    responses((status = 200, body = Page<CaseSummaryView>), (status = 403, body = Problem)))]
async fn list_cases(
    State(state): State<AppState>,
    caller: AuthUser,
    Paged(q, page): Paged<CaseListQuery>,
) -> ApiResult<Json<Page<CaseSummaryView>>> {
    let page = page
        .read(&state.db, scoped(&caller, &q)?, Order::OldestFirst, |c| {
            summary_view(c, caller.role)
        })
        .await?;
    audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::CaseListed,
        "case",
        None,
        json!({ "returned": page.items.len() }),
    )
    .await?;
    Ok(Json(page))
}

fn csv_field(s: &str) -> String {
    // Quote always; neutralise spreadsheet formula prefixes (CSV injection).
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The export's columns, in each language the API speaks: (zh, en).
const EXPORT_COLUMNS: [(&str, &str); 12] = [
    ("案件编号", "Case id"),
    ("姓名", "Name"),
    ("公民身份号码", "National id"),
    ("未成年", "Minor"),
    ("矫正类别", "Sentence"),
    ("状态", "Status"),
    ("管理等级", "Level"),
    ("所属单位", "Unit"),
    ("负责工作人员", "Officer"),
    ("矫正起始日", "Start date"),
    ("矫正终止日", "End date"),
    ("单位编号", "Unit id"),
];

/// Caseload export as CSV (officers), every case the filters match, in the reader's language
/// (`Accept-Language`): words for every code, unit and officer names, a UTF-8 byte-order mark
/// so that spreadsheet programs read the Chinese, and a file name. Minors are masked as in
/// lists.
#[utoipa::path(get, path = "/cases/export.csv", tag = "cases", params(CaseListQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
async fn export_cases(
    State(state): State<AppState>,
    caller: Officer,
    Reader(lang): Reader,
    Query(q): Query<CaseListQuery>,
) -> ApiResult<impl IntoResponse> {
    let rows = crate::paging::read_all(&state.db, scoped(&caller, &q)?).await?;
    let units: HashMap<Uuid, String> = org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(rows.iter().map(|c| c.unit_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let officers: HashMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|c| c.officer_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::CaseExported,
        "case",
        None,
        json!({ "returned": rows.len() }),
    )
    .await?;
    let header: Vec<&str> = EXPORT_COLUMNS
        .iter()
        .map(|&(zh, en)| if lang == Lang::En { en } else { zh })
        .collect();
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    let (yes, no) = match lang {
        Lang::ZhCn => ("是", "否"),
        Lang::En => ("yes", "no"),
    };
    for c in rows {
        let v = summary_view(c, caller.role)?;
        let named = |names: &HashMap<Uuid, String>, id: Option<Uuid>| {
            csv_field(id.and_then(|i| names.get(&i)).map_or("", String::as_str))
        };
        out.push_str(
            &[
                v.id.to_string(),
                csv_field(&v.name),
                csv_field(&v.national_id_masked),
                if v.minor { yes } else { no }.to_owned(),
                v.sentence_kind.label(lang).to_owned(),
                v.status.label(lang).to_owned(),
                v.level.label(lang).to_owned(),
                named(&units, Some(v.unit_id)),
                named(&officers, v.officer_id),
                v.start_date.to_string(),
                v.end_date.to_string(),
                v.unit_id.to_string(),
            ]
            .join(","),
        );
        out.push_str("\r\n");
    }
    let today = policy::calendar::local_date(state.clock.now());
    Ok(crate::pdf::attachment(
        "text/csv; charset=utf-8",
        &format!("cases-{today}.csv"),
        out.into_bytes(),
    ))
}

/// One case. Reading it is audited.
#[utoipa::path(get, path = "/cases/{id}", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = CaseView), (status = 404, body = Problem)))]
async fn get_case(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<CaseView>> {
    let c = find_case(&state.db, &caller, id).await?;
    audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::CaseRead,
        "case",
        Some(id.to_string()),
        json!({}),
    )
    .await?;
    Ok(Json(case_view(c, &caller)?))
}
