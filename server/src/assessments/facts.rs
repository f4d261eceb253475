//! A case's month as the assessment counts it: each alert raised for the case in the month
//! that stands for a fact (`policy::assessment::fact_for_alert`), and each obligation whose
//! closed month fell short.

use chrono::{DateTime, Utc};
use huijiao_core::model::AlertState;
use huijiao_core::policy::assessment::{fact_for_alert, AssessmentFact};
use huijiao_core::policy::learning::Obligation;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::{alert, ledger_month};
use crate::error::ApiResult;

/// How often each fact happened to the case between `from` and `to` (the month's bounds),
/// and in the closed ledger month `month`.
pub async fn counts(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    month: &str,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> ApiResult<Vec<(AssessmentFact, u32)>> {
    let mut out: Vec<(AssessmentFact, u32)> = alert::Entity::find()
        .filter(alert::Column::CaseId.eq(case_id))
        .filter(alert::Column::CreatedAt.gte(from))
        .filter(alert::Column::CreatedAt.lt(to))
        // A withdrawn alert's fact no longer holds (an excused roll call, an accepted check-in).
        .filter(alert::Column::State.ne(AlertState::Withdrawn.as_str()))
        .all(db)
        .await?
        .iter()
        .filter_map(|a| {
            let visit_kind = a.evidence.get("kind").and_then(|k| k.as_str());
            fact_for_alert(a.kind, visit_kind).map(|f| (f, 1))
        })
        .collect();
    for m in ledger_month::Entity::find()
        .filter(ledger_month::Column::CaseId.eq(case_id))
        .filter(ledger_month::Column::Month.eq(month))
        .filter(ledger_month::Column::ShortMinutes.gt(0))
        .all(db)
        .await?
    {
        match m.obligation {
            Obligation::Education => out.push((AssessmentFact::EducationShort, 1)),
            Obligation::CommunityService => out.push((AssessmentFact::ServiceShort, 1)),
            Obligation::Unknown => {}
        }
    }
    Ok(out)
}
