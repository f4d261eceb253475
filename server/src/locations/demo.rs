//! The locations domain's demo data: fences.

use chrono::{DateTime, Utc};
use huijiao_core::model::FenceKind;
use huijiao_core::policy::location::{FenceSchedule, FenceShape};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::json;
use uuid::Uuid;

use crate::entities::fence;

pub(crate) async fn fence(
    db: &impl sea_orm::ConnectionTrait,
    (by, now): (Uuid, DateTime<Utc>),
    name: &str,
    kind: FenceKind,
    shape: FenceShape,
    schedule: FenceSchedule,
    (case_id, unit_id): (Option<Uuid>, Option<Uuid>),
) -> anyhow::Result<()> {
    fence::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.into()),
        kind: Set(kind),
        shape: Set(json!(shape)),
        schedule: Set(json!(schedule)),
        case_id: Set(case_id),
        prohibition_order: Set(case_id.map(|_| 0)),
        unit_id: Set(unit_id),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        archived_by: Set(None),
        version: Set(1),
    }
    .insert(db)
    .await?;
    Ok(())
}
