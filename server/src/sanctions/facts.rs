//! The facts the system sees about a person, for `policy::sanctions::suggest`: how long they
//! have been away past an approved leave's end, the admonitions and warnings in force, whether
//! education was skipped again after a short month, and the breaches the last closed month's
//! confirmed assessment shows. The officer judges the rest (how grave a breach was) when
//! proposing.

use chrono::{DateTime, Utc};
use huijiao_core::api::{Remark, SanctionAdviceView, SanctionGroundView};
use huijiao_core::model::LeaveStatus;
use huijiao_core::policy::assessment::{breaches, AssessmentLine};
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::calendar::Month;
use huijiao_core::policy::learning::Obligation;
use huijiao_core::policy::sanctions::{suggest, why_none, Facts, Sanction};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entities::{assessment, case, leave_request, ledger_month, sanction};
use crate::error::{ApiError, ApiResult};

pub async fn advice(
    db: &impl ConnectionTrait,
    c: &case::Model,
    now: DateTime<Utc>,
) -> ApiResult<SanctionAdviceView> {
    let today = local_date(now);
    let days_out = leave_request::Entity::find()
        .filter(leave_request::Column::CaseId.eq(c.id))
        .filter(leave_request::Column::Status.eq(LeaveStatus::Overdue.as_str()))
        .all(db)
        .await?
        .iter()
        .map(|l| (today - l.end_date).num_days().max(0) as u32)
        .max()
        .unwrap_or(0);
    let in_force: Vec<Sanction> = sanction::Entity::find()
        .filter(sanction::Column::CaseId.eq(c.id))
        .all(db)
        .await?
        .iter()
        .filter(|s| s.status.in_force())
        .map(|s| s.sanction)
        .collect();
    let count = |k: Sanction| in_force.iter().filter(|s| **s == k).count() as u32;
    // The last two closed months of education, both short: told after the first, skipped
    // again (measures art. 34 (3)).
    let last = Month::of(now).previous();
    let (last, before) = (last.to_string(), last.previous().to_string());
    let last_month = last.clone();
    let short = ledger_month::Entity::find()
        .filter(ledger_month::Column::CaseId.eq(c.id))
        .filter(ledger_month::Column::Obligation.eq(Obligation::Education))
        .filter(ledger_month::Column::Month.is_in([last.clone(), before]))
        .filter(ledger_month::Column::ShortMinutes.gt(0))
        .all(db)
        .await?
        .len();
    let assessed = assessment::Entity::find_by_id((c.id, last)).one(db).await?;
    let (rule_breach, prohibition_order_breach) = match &assessed {
        Some(a) => breaches(
            &serde_json::from_value::<Vec<AssessmentLine>>(a.lines.clone())
                .map_err(ApiError::internal)?,
        ),
        None => (None, None),
    };
    let facts = Facts {
        sentence: Some(c.sentence_kind),
        days_out_of_supervision: days_out,
        rule_breach,
        prohibition_order_breach,
        education_skipped_after_told: short == 2,
        admonitions_uncorrected: count(Sanction::Admonition),
        warnings_uncorrected: count(Sanction::Warning),
    };
    let assessed_month = assessed.map(|a| a.month);
    let suggestions: Vec<_> = suggest(&facts)
        .iter()
        .map(|s| SanctionGroundView::of(s.ground.code))
        .collect();
    Ok(SanctionAdviceView {
        case_id: c.id,
        days_out_of_supervision: facts.days_out_of_supervision,
        admonitions: facts.admonitions_uncorrected,
        warnings: facts.warnings_uncorrected,
        education_skipped_after_told: facts.education_skipped_after_told,
        rule_breach: facts.rule_breach,
        prohibition_order_breach: facts.prohibition_order_breach,
        notes: match suggestions.is_empty() {
            true => why_none(assessed_month.as_deref(), &last_month)
                .into_iter()
                .map(|(code, said)| Remark::new(code, said))
                .collect(),
            false => vec![],
        },
        assessed_month,
        suggestions,
    })
}
