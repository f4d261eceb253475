//! Enrolment at intake: 1–5 reference photos, quality-gated, kept encrypted; re-enrolment
//! keeps the history (older templates are inactive, not deleted).

use huijiao_core::model::AuditAction;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use huijiao_core::api::{FaceEnrolRequest, FaceTemplateView, Problem};
use huijiao_core::face::models::EMBEDDING_MODEL_ID;
use huijiao_core::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::{decode_photo, face_error};
use crate::audit::Actor;
use crate::auth::extractor::Officer;
use crate::cases::{find_case, find_case_for_write};
use crate::entities::face_template;
use crate::error::{ApiResult, Json, Path};
use crate::state::AppState;
use crate::work::Work;

fn view(t: face_template::Model) -> FaceTemplateView {
    FaceTemplateView {
        version: t.version,
        reference_count: t.reference_count,
        model: t.model,
        created_by: t.created_by,
        created_at: t.created_at,
        same_face_cases: 0,
    }
}

/// The other active cases whose enrolled face is `template`'s person.
async fn same_face_elsewhere(
    state: &AppState,
    db: &impl sea_orm::ConnectionTrait,
    case_id: Uuid,
    template: &huijiao_core::face::Template,
) -> ApiResult<Vec<Uuid>> {
    use crate::entities::case;
    use huijiao_core::model::CaseStatus;
    let active = face_template::Entity::find()
        .filter(face_template::Column::Active.eq(true))
        .filter(face_template::Column::CaseId.ne(case_id))
        .filter(
            face_template::Column::CaseId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(case::Column::Id)
                    .from(case::Entity)
                    .and_where(case::Column::Status.eq(CaseStatus::Active.as_str()))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?;
    let policy = &state.config.checkin.match_policy;
    let mut out = Vec::new();
    for t in active {
        let Some(other) = state
            .media
            .keys
            .open(&t.template, t.case_id.as_bytes())
            .ok()
            .and_then(|b| huijiao_core::face::Template::from_bytes(&b))
        else {
            continue;
        };
        if huijiao_core::face::templates_match(template, &other, policy) {
            out.push(t.case_id);
        }
    }
    Ok(out)
}

/// Enrols (or re-enrols) the supervisee's face from reference photos taken at the office.
#[utoipa::path(post, path = "/cases/{id}/face", tag = "checkins", params(("id" = Uuid, Path)), request_body = FaceEnrolRequest,
    responses((status = 201, body = FaceTemplateView), (status = 422, body = Problem), (status = 503, body = Problem)))]
pub async fn enrol_face(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<FaceEnrolRequest>,
) -> ApiResult<(StatusCode, Json<FaceTemplateView>)> {
    find_case_for_write(&state.db, &caller, id).await?;
    let engine = state.face.clone().ok_or(ErrorCode::FaceUnavailable)?;
    if req.photos.is_empty() || req.photos.len() > huijiao_core::face::MAX_REFERENCES {
        return Err(ErrorCode::FaceReferenceCount.into());
    }
    let photos = req
        .photos
        .iter()
        .enumerate()
        .map(|(i, p)| decode_photo(&format!("photos[{i}]"), p))
        .collect::<ApiResult<Vec<_>>>()?;
    let photos = Arc::new(photos);
    // Each reference photo: its embedding, and its hash so it cannot be replayed later.
    let analyses = super::analyze_photos(engine, photos.clone(), super::PhotoKind::Reference)
        .await?
        .map_err(|(i, e)| face_error(format!("photos[{i}]"), e))?;
    let embeddings: Vec<Vec<f32>> = analyses.iter().map(|a| a.embedding.clone()).collect();
    huijiao_core::face::references_agree(&embeddings, &state.config.checkin.match_policy)
        .map_err(|(i, e)| face_error(format!("photos[{i}]"), e))?;
    let template = huijiao_core::face::Template {
        model: EMBEDDING_MODEL_ID.into(),
        embeddings,
    };
    let hashes: Vec<i64> = analyses.iter().map(|a| a.phash as i64).collect();

    let aad = id.as_bytes();
    let mut keys = Vec::with_capacity(photos.len());
    for p in photos.iter() {
        keys.push(state.media.put(&format!("faces/{id}"), p, aad).await?);
    }
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    let latest = face_template::Entity::find()
        .filter(face_template::Column::CaseId.eq(c.id))
        .order_by_desc(face_template::Column::Version)
        .one(work.db())
        .await?;
    face_template::Entity::update_many()
        .col_expr(face_template::Column::Active, Expr::value(false))
        .filter(face_template::Column::CaseId.eq(c.id))
        .exec(work.db())
        .await?;
    let t = face_template::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(c.id),
        version: Set(latest.map_or(1, |l| l.version + 1)),
        template: Set(state.media.keys.seal(&template.to_bytes(), aad)),
        photo_keys: Set(json!(keys)),
        photo_hashes: Set(Some(json!(hashes))),
        reference_count: Set(template.embeddings.len() as i32),
        model: Set(EMBEDDING_MODEL_ID.into()),
        active: Set(true),
        created_by: Set(caller.id),
        created_at: Set(state.clock.now()),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::FaceEnrolled,
        "case",
        id,
        json!({ "version": t.version, "references": t.reference_count }),
    )
    .await?;
    // The same face under another active case: the officer is told how many (the other
    // cases may be outside their jurisdiction: which ones is for the audit log).
    let elsewhere = same_face_elsewhere(&state, work.db(), c.id, &template).await?;
    if !elsewhere.is_empty() {
        work.audit(
            &Actor::from(&caller),
            AuditAction::FaceDuplicateSuspected,
            "case",
            id,
            json!({ "version": t.version, "other_cases": elsewhere }),
        )
        .await?;
    }
    work.commit().await?;
    let v = FaceTemplateView {
        same_face_cases: u32::try_from(elsewhere.len()).unwrap_or(u32::MAX),
        ..view(t)
    };
    Ok((StatusCode::CREATED, Json(v)))
}

/// Enrolment history (metadata only; templates and photos never leave the server here).
#[utoipa::path(get, path = "/cases/{id}/face", tag = "checkins", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<FaceTemplateView>), (status = 404, body = Problem)))]
pub async fn face_history(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<FaceTemplateView>>> {
    find_case(&state.db, &caller, id).await?;
    let rows = face_template::Entity::find()
        .filter(face_template::Column::CaseId.eq(id))
        .order_by_asc(face_template::Column::Version)
        .all(&state.db)
        .await?;
    Ok(Json(rows.into_iter().map(view).collect()))
}
