//! The community-service domain's demo data: an activity done and one to come.

use chrono::{DateTime, Duration, Utc};
use huijiao_core::policy::calendar::local_date;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use uuid::Uuid;

/// Community service of the office, run by its volunteer: park cleaning last week (checked in
/// and out by code, confirmed: two hours in that month's ledger) and a morning at the old
/// people's home in three days, the person signed up for both.
pub(crate) async fn seed(
    db: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
    case_id: Uuid,
    organiser: Uuid,
    officer: Uuid,
    unit: &crate::entities::org_unit::Model,
) -> anyhow::Result<()> {
    use crate::entities::{service_activity, service_participation};
    use huijiao_core::policy::calendar::month_of;
    use huijiao_core::policy::learning::{CreditSource, Obligation};
    use huijiao_core::policy::service::{
        ActivityStatus, ParticipationStatus, PresenceProof, ServiceKind,
    };
    let today = local_date(now);
    let at_nine = |days: i64| {
        (today + Duration::days(days))
            .and_hms_opt(1, 0, 0)
            .unwrap_or_default()
            .and_utc()
    };
    let activities = [
        (
            -7,
            "滨河公园清洁",
            ServiceKind::Cleaning,
            "滨河公园东门",
            36.0612,
            103.8312,
        ),
        (
            3,
            "敬老院助老服务",
            ServiceKind::ElderlyCare,
            "城关区第一敬老院",
            36.0571,
            103.8411,
        ),
    ];
    for (days, title, kind, place, lat, lon) in activities {
        let starts = at_nine(days);
        let ends = starts + Duration::hours(3);
        let mut secret = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
        let a = service_activity::ActiveModel {
            id: Set(Uuid::now_v7()),
            unit_id: Set(unit.id),
            unit_path: Set(unit.path.clone()),
            title: Set(title.into()),
            kind: Set(kind),
            place: Set(place.into()),
            lat: Set(lat),
            lon: Set(lon),
            radius_m: Set(200),
            starts_at: Set(starts),
            ends_at: Set(ends),
            capacity: Set(10),
            organiser_id: Set(organiser),
            notes: Set(Some("请穿便于活动的衣服，提前十分钟到场签到。".into())),
            code_secret: Set(hex::encode(secret)),
            closed_at: Set((days < 0).then_some(ends + Duration::hours(1))),
            cancelled_at: Set(None),
            cancel_reason: Set(None),
            created_by: Set(officer),
            created_at: Set(starts - Duration::days(5)),
            status: Set(if days < 0 {
                ActivityStatus::Closed
            } else {
                ActivityStatus::Scheduled
            }),
            version: Set(1),
        }
        .insert(db)
        .await?;
        let done = days < 0;
        let (came, left) = (starts + Duration::minutes(50), ends - Duration::minutes(10));
        let p = service_participation::ActiveModel {
            id: Set(Uuid::now_v7()),
            activity_id: Set(a.id),
            case_id: Set(case_id),
            status: Set(if done {
                ParticipationStatus::Confirmed
            } else {
                ParticipationStatus::SignedUp
            }),
            signed_up_by: Set(officer),
            checked_in_at: Set(done.then_some(came)),
            check_in_proof: Set(done.then_some(PresenceProof::Code)),
            check_in_checkin_id: Set(None),
            check_in_lat: Set(done.then_some(lat)),
            check_in_lon: Set(done.then_some(lon)),
            checked_out_at: Set(done.then_some(left)),
            check_out_proof: Set(done.then_some(PresenceProof::Code)),
            check_out_checkin_id: Set(None),
            check_out_lat: Set(done.then_some(lat)),
            check_out_lon: Set(done.then_some(lon)),
            credited_minutes: Set(if done { 120 } else { 0 }),
            reviewed_by: Set(done.then_some(organiser)),
            reviewed_at: Set(done.then_some(ends + Duration::hours(2))),
            review_reason: Set(None),
            alert_id: Set(None),
            version: Set(if done { 4 } else { 1 }),
            created_at: Set(a.created_at),
            updated_at: Set(a.created_at),
        }
        .insert(db)
        .await?;
        if done {
            crate::ledger::insert(
                db,
                crate::ledger::Entry {
                    case_id,
                    obligation: Obligation::CommunityService,
                    month: month_of(starts),
                    source: CreditSource::Service,
                    credited_ms: 120 * 60_000,
                    reason: None,
                    created_by: Some(organiser),
                    session_id: None,
                    attendance_id: None,
                    participation_id: Some(p.id),
                },
                left,
            )
            .await
            .map_err(crate::error::ApiError::into_anyhow)?;
        }
    }
    Ok(())
}
