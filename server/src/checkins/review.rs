//! An officer's review of a doubtful check-in (sent offline without the head poses, a face
//! near the threshold, a fix too old or too imprecise): accepted, it passes and counts for its
//! window and the requests it answered; rejected, it fails and counts as a failed check-in.
//! Either way the "needs review" alert is answered, the decision is audited, and the
//! supervisee sees it in their record.

use axum::extract::State;
use huijiao_core::api::{CheckinReviewRequest, CheckinView, Problem};
use huijiao_core::model::{AlertKind, AlertSeverity, AuditAction, EventKind};
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::checkin::{CheckinAction, CHECKIN};
use huijiao_core::policy::transitions::{AlertAction, Party};
use huijiao_core::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, ModelTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::audit::Actor;
use crate::auth::extractor::Officer;
use crate::cases::find_case_for_write;
use crate::entities::{alert, checkin, missed_window};
use crate::error::{ApiResult, Json, Path};
use crate::state::AppState;
use crate::transition::apply;
use crate::validate::check_paragraphs;
use crate::work::Work;

/// Decides a check-in that needs review, at the version the officer saw.
#[utoipa::path(post, path = "/checkins/{id}/review", tag = "checkins", params(("id" = Uuid, Path)), request_body = CheckinReviewRequest,
    responses((status = 200, body = CheckinView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn review_checkin(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<CheckinReviewRequest>,
) -> ApiResult<Json<CheckinView>> {
    check_paragraphs("note", &req.note, 2000)?;
    let work = Work::begin(&state).await?;
    let row = checkin::Entity::find_by_id(id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let c = find_case_for_write(work.db(), &caller, row.case_id).await?;
    let now = state.clock.now();
    let note = req.note.trim();
    let party = Party::person(caller.role, None);
    let row = apply(
        work.db(),
        &CHECKIN,
        req.decision,
        party,
        &row,
        req.version,
        |q| {
            q.col_expr(checkin::Column::ReviewedBy, Expr::value(caller.id))
                .col_expr(checkin::Column::ReviewedAt, Expr::value(now))
                .col_expr(checkin::Column::ReviewNote, Expr::value(note))
        },
    )
    .await?;
    let about = ("checkin_id", row.id);
    let needs_review = [AlertKind::CheckinNeedsReview];
    crate::alerts::close_about(
        &work,
        &caller,
        &c,
        about,
        &needs_review,
        AlertAction::Resolve,
        note,
        now,
    )
    .await?;
    let rules = &state.config.rules;
    match req.decision {
        CheckinAction::Accept => {
            super::requests::meet_open(work.db(), c.id, row.id, row.created_at).await?;
            // A window judged missed before the review (it closed while nobody had decided) is
            // met after all — if this check-in counts for it (within the day's hours): its
            // record goes, its alert is withdrawn.
            let counted = super::schedule::count(work.db(), rules, &c, &row).await?;
            let missed = match counted.counts {
                true => {
                    missed_window::Entity::find()
                        .filter(missed_window::Column::CaseId.eq(c.id))
                        .filter(missed_window::Column::WindowStart.eq(counted.window.start))
                        .one(work.db())
                        .await?
                }
                false => None,
            };
            if let Some(m) = missed {
                if let Some(a) = alert::Entity::find_by_id(m.alert_id).one(work.db()).await? {
                    if a.state != huijiao_core::model::AlertState::Withdrawn {
                        let note = Some(note.to_owned());
                        crate::alerts::act(
                            &work,
                            &caller,
                            &c,
                            &a,
                            AlertAction::Withdraw,
                            note,
                            now,
                        )
                        .await?;
                    }
                }
                m.delete(work.db()).await?;
            }
        }
        CheckinAction::Reject => {
            // The failure counts where failures count (the month's assessment), answered by
            // this very decision.
            let evidence =
                json!({ "checkin_id": row.id, "reasons": row.reasons, "reviewed": true });
            let (kind, severity) = (AlertKind::CheckinFailed, AlertSeverity::High);
            crate::alerts::raise_decided(&work, &caller, &c, kind, severity, evidence, note, now)
                .await?;
            // Its window, if closed, is judged now.
            let since = local_date(row.created_at);
            let events = super::schedule::judge_windows(work.db(), rules, &c, since, now).await?;
            work.publish_all(events);
        }
    }
    work.audit(
        &Actor::from(&caller),
        AuditAction::CheckinReviewed,
        "case",
        c.id,
        json!({ "checkin_id": row.id, "decision": req.decision, "result": row.result }),
    )
    .await?;
    let v = super::submit::view(&row)?;
    work.notify_case(&c, EventKind::Checkin, &v, true).await?;
    work.commit().await?;
    Ok(Json(v))
}
