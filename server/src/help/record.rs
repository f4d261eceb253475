//! The volunteer service record (志愿服务记录): a volunteer's confirmed help by month and kind,
//! and each unit's correction teams against the seeds' one-helper-per-two-supervisees target.

use axum::extract::State;
use chrono::Datelike;
use huijiao_core::api::{
    HelpKindMinutes, HelperCoverageView, Problem, ServiceMonthView, ServiceRecordView,
};
use huijiao_core::model::{AuditAction, CaseStatus, Role, TeamMemberKind};
use huijiao_core::policy::calendar::year_span;
use huijiao_core::policy::help::{ratio_met, service_record, HelpStatus};
use huijiao_core::{ErrorCode, Said};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::{AuthUser, HelpReader, Officer};
use crate::entities::{case, help_session, org_unit, team_member, user};
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    /// Default this year (China time).
    pub year: Option<i32>,
}

/// A volunteer account the caller may see the service of: their own, or, for an officer, one
/// of a unit in their jurisdiction. Anyone else gets 404.
pub(super) async fn volunteer_in_reach(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<user::Model> {
    let volunteer = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.role == Role::Volunteer)
        .ok_or(ErrorCode::NotFound)?;
    let in_reach = match caller.role {
        Role::Volunteer => caller.id == id,
        Role::Officer => match volunteer.unit_id {
            Some(u) => org_unit::Entity::find_by_id(u)
                .one(db)
                .await?
                .is_some_and(|u| caller.covers_unit_path(&u.path)),
            None => false,
        },
        _ => false,
    };
    if !in_reach {
        return Err(ErrorCode::NotFound.into());
    }
    Ok(volunteer)
}

/// A volunteer's service record for a year: what the units confirmed, by month and kind. The
/// volunteer reads their own; an officer, that of a volunteer of their jurisdiction (audited).
#[utoipa::path(get, path = "/volunteers/{id}/service-record", tag = "help", params(("id" = Uuid, Path), YearQuery),
    responses((status = 200, body = ServiceRecordView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn service_record_of(
    State(state): State<AppState>,
    caller: HelpReader,
    Path(id): Path<Uuid>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Json<ServiceRecordView>> {
    let volunteer = volunteer_in_reach(&state.db, &caller, id).await?;
    let this_year = state
        .clock
        .now()
        .with_timezone(&huijiao_core::policy::calendar::local_offset())
        .year();
    let year = q.year.unwrap_or(this_year);
    let span = (2000..=this_year)
        .contains(&year)
        .then(|| year_span(year))
        .flatten()
        .ok_or_else(|| {
            ApiError::field(
                "year",
                Said::new(
                    format!("a year from 2000 to {this_year}"),
                    format!("须为 2000 到 {this_year} 之间的年份"),
                ),
            )
        })?;
    let rows = help_session::Entity::find()
        .filter(help_session::Column::AuthorId.eq(id))
        .filter(help_session::Column::BeganAt.gte(span.0))
        .filter(help_session::Column::BeganAt.lt(span.1))
        .all(&state.db)
        .await?;
    let months = service_record(
        rows.iter()
            .filter(|r| r.status == HelpStatus::Confirmed)
            .map(|r| (r.began_at, r.kind, r.minutes.max(0) as u32)),
    );
    let view = ServiceRecordView {
        volunteer_id: volunteer.id,
        name: volunteer.display_name,
        unit_id: volunteer.unit_id,
        year,
        total_minutes: months.iter().map(|m| m.minutes).sum(),
        months: months
            .into_iter()
            .map(|m| ServiceMonthView {
                month: m.month,
                minutes: m.minutes,
                sessions: m.sessions,
                by_kind: m
                    .by_kind
                    .into_iter()
                    .map(|(kind, minutes)| HelpKindMinutes { kind, minutes })
                    .collect(),
            })
            .collect(),
        waiting: rows
            .iter()
            .filter(|r| r.status == HelpStatus::Logged)
            .count() as u32,
    };
    audit_officer_read(&state, &caller, id, json!({ "year": year })).await?;
    Ok(Json(view))
}

/// An officer's read of a volunteer's service (their record, a certificate) is audited; the
/// volunteer's own is not.
pub(super) async fn audit_officer_read(
    state: &AppState,
    caller: &AuthUser,
    volunteer_id: Uuid,
    detail: serde_json::Value,
) -> ApiResult<()> {
    if caller.role == Role::Officer {
        crate::audit::record(
            &state.db,
            &Actor::from(caller),
            AuditAction::ServiceRecordRead,
            "user",
            Some(volunteer_id.to_string()),
            detail,
        )
        .await?;
    }
    Ok(())
}

/// Each unit of the officer's jurisdiction (theirs and every one below): its active cases,
/// the volunteers and social workers on their teams, the cases with none, and whether the
/// seeds' target of one helper per two supervisees is met.
#[utoipa::path(get, path = "/help/coverage", tag = "help",
    responses((status = 200, body = Vec<HelperCoverageView>), (status = 403, body = Problem)))]
pub async fn coverage(
    State(state): State<AppState>,
    caller: Officer,
) -> ApiResult<Json<Vec<HelperCoverageView>>> {
    let mut units = org_unit::Entity::find()
        .filter(caller.unit_scope()?)
        .all(&state.db)
        .await?;
    units.sort_by(|a, b| a.path.cmp(&b.path));
    let cases = case::Entity::find()
        .filter(caller.case_scope()?)
        .filter(case::Column::Status.eq(CaseStatus::Active.as_str()))
        .all(&state.db)
        .await?;
    let mut helpers_of: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    if !cases.is_empty() {
        for m in team_member::Entity::find()
            .filter(team_member::Column::CaseId.is_in(cases.iter().map(|c| c.id)))
            .filter(team_member::Column::RemovedAt.is_null())
            .filter(team_member::Column::Kind.is_in([
                TeamMemberKind::Volunteer.as_str(),
                TeamMemberKind::SocialWorker.as_str(),
            ]))
            .all(&state.db)
            .await?
        {
            if let Some(u) = m.user_id {
                helpers_of.entry(m.case_id).or_default().insert(u);
            }
        }
    }
    let path_of: HashMap<Uuid, &str> = units.iter().map(|u| (u.id, u.path.as_str())).collect();
    let views = units
        .iter()
        .map(|u| {
            let under: Vec<&case::Model> = cases
                .iter()
                .filter(|c| {
                    path_of
                        .get(&c.unit_id)
                        .is_some_and(|p| p.starts_with(&u.path))
                })
                .collect();
            let helpers: HashSet<Uuid> = under
                .iter()
                .flat_map(|c| helpers_of.get(&c.id).into_iter().flatten().copied())
                .collect();
            let supervisees = under.len() as u32;
            let helpers = helpers.len() as u32;
            HelperCoverageView {
                unit_id: u.id,
                unit_name: u.name.clone(),
                supervisees,
                helpers,
                without_helper: under
                    .iter()
                    .filter(|c| helpers_of.get(&c.id).is_none_or(HashSet::is_empty))
                    .count() as u32,
                target_met: ratio_met(helpers, supervisees),
            }
        })
        .collect();
    Ok(Json(views))
}
