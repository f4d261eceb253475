//! Purging biometric media on schedule (policy `RetentionRules`): passed check-in photos after
//! 90 days; failed or doubtful ones 30 days after their alert is resolved; everything of a case
//! (templates, reference photos, check-in photos, photos taken on visits) 30 days after it
//! closes. Audited.

use huijiao_core::model::{AlertState, AuditAction, CaseStatus};
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use huijiao_core::policy::checkin::{photo_due, RetentionRules};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::entities::{alert, case, checkin, face_template, visit, visit_photo};
use crate::error::ApiResult;
use crate::media::MediaStore;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PurgeReport {
    pub checkin_photos: usize,
    pub templates: usize,
    pub visit_photos: usize,
}

/// The cases closed (released, revoked, terminated) more than `after_close_days` ago: all of
/// their biometric evidence is due.
pub(crate) async fn closed_before(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    after_close_days: i64,
) -> ApiResult<BTreeSet<Uuid>> {
    Ok(case::Entity::find()
        .filter(case::Column::Status.is_in([
            CaseStatus::Released.as_str(),
            CaseStatus::Revoked.as_str(),
            CaseStatus::Terminated.as_str(),
        ]))
        .filter(case::Column::ClosedAt.lt(now - Duration::days(after_close_days)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

pub async fn purge<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    media: &MediaStore,
    rules: &RetentionRules,
    now: DateTime<Utc>,
) -> ApiResult<PurgeReport> {
    let mut report = PurgeReport::default();
    // When each failed or doubtful check-in's alert was resolved (or withdrawn).
    let resolved: HashMap<Uuid, DateTime<Utc>> = alert::Entity::find()
        .filter(alert::Column::State.is_in(AlertState::CLOSED.map(AlertState::as_str)))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| {
            Some((
                a.evidence.get("checkin_id")?.as_str()?.parse().ok()?,
                a.resolved_at?,
            ))
        })
        .collect();
    let closed = closed_before(db, now, rules.after_close_days).await?;

    let with_photos = checkin::Entity::find()
        .filter(checkin::Column::PhotoKey.is_not_null())
        .all(db)
        .await?;
    let mut per_case: HashMap<Uuid, usize> = HashMap::new();
    for c in with_photos {
        let result = c.result;
        let due = closed.contains(&c.case_id)
            || photo_due(
                rules,
                result,
                c.created_at,
                resolved.get(&c.id).copied(),
                now,
            );
        let Some(key) = c.photo_key.as_deref().filter(|_| due) else {
            continue;
        };
        // Delete the file first: a crash between the two leaves a row pointing at nothing
        // (harmless, retried), never a photo nobody knows about.
        media.delete(key).await?;
        checkin::Entity::update_many()
            .col_expr(
                checkin::Column::PhotoKey,
                Expr::value(Option::<String>::None),
            )
            .col_expr(checkin::Column::PhotoPurgedAt, Expr::value(now))
            .filter(checkin::Column::Id.eq(c.id))
            .exec(db)
            .await?;
        *per_case.entry(c.case_id).or_default() += 1;
        report.checkin_photos += 1;
    }
    for case_id in &closed {
        let templates = face_template::Entity::find()
            .filter(face_template::Column::CaseId.eq(*case_id))
            .all(db)
            .await?;
        for t in &templates {
            for key in t
                .photo_keys
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|k| k.as_str())
            {
                media.delete(key).await?;
            }
        }
        if !templates.is_empty() {
            face_template::Entity::delete_many()
                .filter(face_template::Column::CaseId.eq(*case_id))
                .exec(db)
                .await?;
            report.templates += templates.len();
            *per_case.entry(*case_id).or_default() += 0;
        } // Photos taken on visits may show people: they go with the rest.
        let visits: Vec<Uuid> = visit::Entity::find()
            .filter(visit::Column::CaseId.eq(*case_id))
            .all(db)
            .await?
            .iter()
            .map(|v| v.id)
            .collect();
        let photos = visit_photo::Entity::find()
            .filter(visit_photo::Column::VisitId.is_in(visits))
            .all(db)
            .await?;
        for p in &photos {
            media.delete(&p.media_key).await?;
            visit_photo::Entity::delete_by_id(p.id).exec(db).await?;
        }
        if !photos.is_empty() {
            report.visit_photos += photos.len();
            *per_case.entry(*case_id).or_default() += 0;
        }
    }
    for (case_id, photos) in per_case {
        audit::record(
            db,
            &Actor::default(),
            AuditAction::BiometricsPurged,
            "case",
            Some(case_id.to_string()),
            json!({ "checkin_photos": photos, "templates_removed": closed.contains(&case_id) }),
        )
        .await?;
    }
    Ok(report)
}
