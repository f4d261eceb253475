//! The help domain's demo data: a volunteer's sessions and the certificate they earned.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::json;
use uuid::Uuid;

use crate::entities::user;

/// The volunteer's help so far: a talk ten days ago the office confirmed (and certified), and
/// help finding work two days ago that waits for the office.
pub(crate) async fn seed(
    db: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
    case_id: Uuid,
    volunteer: &user::Model,
    officer: Uuid,
    unit: &crate::entities::org_unit::Model,
) -> anyhow::Result<()> {
    use crate::entities::{help_session, service_certificate};
    use huijiao_core::model::HelpKind;
    use huijiao_core::policy::calendar::month_of;
    use huijiao_core::policy::help::{certificate_number, HelpStatus, SERVICE_CERTIFICATE_PREFIX};
    let sessions = [
        (
            10,
            60,
            HelpKind::Talk,
            "上门谈心，了解近期工作和家庭情况，情绪稳定。",
            true,
        ),
        (
            2,
            90,
            HelpKind::EmploymentHelp,
            "陪同到区人社局登记求职，推荐两家物流公司岗位。",
            false,
        ),
    ];
    for (days_ago, minutes, kind, notes, confirmed) in sessions {
        let began = now - Duration::days(days_ago);
        help_session::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(case_id),
            author_id: Set(volunteer.id),
            began_at: Set(began),
            minutes: Set(minutes),
            kind: Set(kind),
            place: Set(None),
            notes: Set(notes.into()),
            risks: Set(json!([])),
            follow_up: Set(None),
            status: Set(if confirmed {
                HelpStatus::Confirmed
            } else {
                HelpStatus::Logged
            }),
            reviewed_by: Set(confirmed.then_some(officer)),
            reviewed_at: Set(confirmed.then_some(began + Duration::days(1))),
            review_note: Set(None),
            alert_id: Set(None),
            version: Set(if confirmed { 2 } else { 1 }),
            created_at: Set(began + Duration::minutes(minutes.into())),
            updated_at: Set(began + Duration::days(1)),
        }
        .insert(db)
        .await?;
        if confirmed {
            let month = month_of(began);
            service_certificate::ActiveModel {
                id: Set(Uuid::now_v7()),
                number: Set(certificate_number(
                    SERVICE_CERTIFICATE_PREFIX,
                    month[..4].parse().unwrap_or(2026),
                    rand::random::<u64>(),
                )),
                volunteer_id: Set(volunteer.id),
                volunteer_name: Set(volunteer.display_name.clone()),
                unit_id: Set(unit.id),
                unit_name: Set(unit.name.clone()),
                from_month: Set(month.clone()),
                to_month: Set(month),
                minutes: Set(minutes),
                sessions: Set(1),
                by_kind: Set(json!([{ "kind": kind, "minutes": minutes }])),
                issued_by: Set(officer),
                issued_at: Set(began + Duration::days(2)),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}
