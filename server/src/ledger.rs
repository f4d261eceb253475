//! The monthly ledger every obligation shares (DOMAIN.md §5: education and community service,
//! each owed by the month): rows of credited time by source, and the month-end close that
//! keeps what was owed and credited and alerts once on a shortfall. Months are China time.
//! The domains (`learning`, `service`) write the rows and read them back for their screens.

use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

use huijiao_core::api::{Page, ShortfallView};
use huijiao_core::model::{AlertKind, CaseStatus};
use huijiao_core::policy::calendar::Month;
use huijiao_core::policy::learning::{
    month_standing, owed_in_month, shortfall_escalation, CreditSource, Obligation, Standing,
};
use huijiao_core::Said;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::extractor::AuthUser;
use crate::entities::{case, ledger_credit, ledger_month};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// `YYYY-MM` as a real month since 2000, no later than the month of `now` (China time).
pub fn check_month(field: &str, month: &str, now: DateTime<Utc>) -> ApiResult<()> {
    let valid = Month::parse(month).is_some_and(|m| m.year() >= 2000 && m <= Month::of(now));
    if !valid {
        return Err(ApiError::field(
            field,
            Said::new(
                "a month as YYYY-MM, not in the future",
                "须为 YYYY-MM 格式的月份，且不晚于本月",
            ),
        ));
    }
    Ok(())
}

/// The month a ledger screen asks for.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// `YYYY-MM`; default this month (China time).
    pub month: Option<String>,
}

impl MonthQuery {
    /// The month asked for, or this one (China time at `now`), checked and naming `month`.
    pub fn month_at(&self, now: DateTime<Utc>) -> ApiResult<String> {
        let month = self
            .month
            .clone()
            .unwrap_or_else(|| Month::of(now).to_string());
        check_month("month", &month, now)?;
        Ok(month)
    }
}

/// What `c` owes of `obligation` in `month`: the level's minutes, for the days of it under
/// supervision.
pub fn owed(state: &AppState, c: &case::Model, obligation: Obligation, month: &str) -> u32 {
    let rules = &state.config.rules;
    let per_month = match obligation {
        Obligation::CommunityService => rules.service.owed_minutes(c.level),
        Obligation::Education | Obligation::Unknown => rules.learning.owed_minutes(c.level),
    };
    // Owed from the announcement: a term that began before it (a judgment effective earlier,
    // a late intake) owes nothing for the days before.
    let Some(from) = huijiao_core::policy::obligations_begin(c.start_date, c.announced_at) else {
        return 0;
    };
    owed_in_month(per_month, month, from, c.end_date).unwrap_or(0)
}

/// What a ledger row credits and where from (one of the links, or none for an adjustment).
pub struct Entry {
    pub case_id: Uuid,
    pub obligation: Obligation,
    pub month: String,
    pub source: CreditSource,
    pub credited_ms: i64,
    pub reason: Option<String>,
    pub created_by: Option<Uuid>,
    pub session_id: Option<Uuid>,
    pub attendance_id: Option<Uuid>,
    pub participation_id: Option<Uuid>,
}

impl Entry {
    /// The entry as a new row.
    pub fn row(self, now: DateTime<Utc>) -> ledger_credit::ActiveModel {
        ledger_credit::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(self.case_id),
            obligation: Set(self.obligation),
            month: Set(self.month),
            source: Set(self.source),
            session_id: Set(self.session_id),
            attendance_id: Set(self.attendance_id),
            participation_id: Set(self.participation_id),
            credited_ms: Set(self.credited_ms),
            reason: Set(self.reason),
            created_by: Set(self.created_by),
            created_at: Set(now),
            updated_at: Set(now),
        }
    }
}

/// Writes a new ledger row.
pub async fn insert(
    db: &impl ConnectionTrait,
    e: Entry,
    now: DateTime<Utc>,
) -> ApiResult<ledger_credit::Model> {
    Ok(e.row(now).insert(db).await?)
}

/// Sets the time the row linked to `existing` credits (a corrected attendance or
/// participation is corrected in place), or writes the row the first time.
pub async fn put(
    db: &impl ConnectionTrait,
    existing: Option<ledger_credit::Model>,
    e: Entry,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    match existing {
        Some(row) => {
            let mut row: ledger_credit::ActiveModel = row.into();
            row.credited_ms = Set(e.credited_ms);
            row.updated_at = Set(now);
            row.update(db).await?;
        }
        None => {
            insert(db, e, now).await?;
        }
    }
    Ok(())
}

/// Milliseconds of `obligation` credited in `month`, by case.
pub async fn credited_by_case(
    db: &impl ConnectionTrait,
    obligation: Obligation,
    month: &str,
) -> ApiResult<HashMap<Uuid, i64>> {
    let mut by_case: HashMap<Uuid, i64> = HashMap::new();
    for r in ledger_credit::Entity::find()
        .filter(ledger_credit::Column::Obligation.eq(obligation))
        .filter(ledger_credit::Column::Month.eq(month))
        .all(db)
        .await?
    {
        *by_case.entry(r.case_id).or_default() += r.credited_ms;
    }
    Ok(by_case)
}

/// Who in the officer's jurisdiction is short of `obligation` in `month` (so far, for this
/// one), most short first.
pub async fn shortfalls(
    state: &AppState,
    caller: &AuthUser,
    obligation: Obligation,
    month: &str,
    page: &crate::paging::PageRequest,
) -> ApiResult<Page<ShortfallView>> {
    let cases = case::Entity::find()
        .filter(caller.case_scope()?)
        .filter(case::Column::Status.eq(CaseStatus::Active.as_str()))
        .all(&state.db)
        .await?;
    let credited = credited_by_case(&state.db, obligation, month).await?;
    let short: Vec<ShortfallView> = cases
        .iter()
        .map(|c| {
            let owed_minutes = owed(state, c, obligation, month);
            let standing = month_standing(owed_minutes, credited.get(&c.id).copied().unwrap_or(0));
            ShortfallView {
                case_id: c.id,
                unit_id: c.unit_id,
                obligation,
                month: month.to_owned(),
                owed_minutes,
                credited_minutes: standing.credited_minutes,
                short_minutes: standing.short_minutes,
            }
        })
        .filter(|v| v.short_minutes > 0)
        .collect();
    // Most short first: worked out for every case, so the page is a slice of the whole.
    page.slice(
        short,
        |v| (v.short_minutes, v.case_id),
        crate::paging::Order::NewestFirst,
    )
}

/// The alert a month short of `obligation` raises.
fn shortfall_alert(obligation: Obligation) -> AlertKind {
    match obligation {
        Obligation::CommunityService => AlertKind::ServiceShortfall,
        Obligation::Education | Obligation::Unknown => AlertKind::LearningShortfall,
    }
}

/// Closes last month (China time) of `obligation` for every active case, once: what was owed
/// and credited is kept, and a case short of its minutes raises an alert — with an admonition
/// suggested when the month before was short too. Returns the alerts' events.
pub async fn close_last_month(
    state: &AppState,
    db: &impl ConnectionTrait,
    obligation: Obligation,
    now: DateTime<Utc>,
) -> ApiResult<Vec<crate::events::Event>> {
    let last = Month::of(now).previous();
    let (month, before) = (last.to_string(), last.previous().to_string());
    let months = |m: String| {
        ledger_month::Entity::find()
            .filter(ledger_month::Column::Obligation.eq(obligation))
            .filter(ledger_month::Column::Month.eq(m))
    };
    let closed: HashSet<Uuid> = months(month.clone())
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.case_id)
        .collect();
    let short_before: HashSet<Uuid> = months(before)
        .filter(ledger_month::Column::ShortMinutes.gt(0))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.case_id)
        .collect();
    let credited = credited_by_case(db, obligation, &month).await?;
    let cases = case::Entity::find()
        .filter(case::Column::Status.eq(CaseStatus::Active.as_str()))
        .all(db)
        .await?;
    let mut events = Vec::new();
    for c in cases.iter().filter(|c| !closed.contains(&c.id)) {
        let owed_minutes = owed(state, c, obligation, &month);
        let Standing {
            credited_minutes,
            short_minutes: short,
        } = month_standing(owed_minutes, credited.get(&c.id).copied().unwrap_or(0));
        let alert_id = if short > 0 {
            let (severity, suggestion) = shortfall_escalation(short_before.contains(&c.id));
            let (alert, event) = crate::alerts::raise(
                db,
                now,
                c,
                shortfall_alert(obligation),
                severity,
                json!({ "month": month, "obligation": obligation, "owed_minutes": owed_minutes,
                        "credited_minutes": credited_minutes, "short_minutes": short,
                        "sanction_suggestion": suggestion }),
            )
            .await?;
            events.push(event);
            Some(alert.id)
        } else {
            None
        };
        ledger_month::ActiveModel {
            case_id: Set(c.id),
            obligation: Set(obligation),
            month: Set(month.clone()),
            owed_minutes: Set(owed_minutes as i32),
            credited_minutes: Set(credited_minutes),
            short_minutes: Set(short),
            alert_id: Set(alert_id),
            closed_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(events)
}
