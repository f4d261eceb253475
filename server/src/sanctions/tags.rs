//! Electronic tag orders (law art. 29): the county agency orders a tag on one of the law's
//! five grounds for at most three months (`policy::sanctions::check_tag_term`); a longer need
//! is a renewal, a new decision starting the day after the order it continues; one order
//! covers a day at most. An order may end early. A week before an order ends its officers
//! are alerted once. Every decision is audited and the person is told.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use huijiao_core::api::{Problem, TagOrderEnd, TagOrderNew, TagOrderView};
use huijiao_core::model::{AlertKind, AlertSeverity, AuditAction, EventKind};
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::sanctions::{
    check_tag_dates, TagAction, TagOrderStatus, TAG_EXPIRY_NOTICE_DAYS, TAG_ORDER,
};
use huijiao_core::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::{Officer, RequestParty};
use crate::cases::{find_case, find_case_for_write};
use crate::entities::{case, tag_order};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::state::AppState;
use crate::validate::check_paragraphs;
use crate::work::Work;

fn view(t: &tag_order::Model) -> TagOrderView {
    TagOrderView {
        id: t.id,
        case_id: t.case_id,
        status: t.status,
        version: t.version,
        ground: t.ground,
        starts_on: t.starts_on,
        ends_on: t.ends_on,
        reason: t.reason.clone(),
        renews: t.renews,
        decided_by: t.decided_by,
        decided_at: t.decided_at,
        ended_at: t.ended_at,
        end_reason: t.end_reason.clone(),
        expiry_alert_id: t.expiry_alert_id,
    }
}

/// The county agency orders a tag (or renews one). Audited; the person is told.
#[utoipa::path(post, path = "/cases/{id}/tag-orders", tag = "sanctions", params(("id" = Uuid, Path)), request_body = TagOrderNew,
    responses((status = 201, body = TagOrderView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn order(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<TagOrderNew>,
) -> ApiResult<(StatusCode, Json<TagOrderView>)> {
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    TAG_ORDER.may(
        TagAction::Order,
        crate::org::party(work.db(), &caller).await?,
    )?;
    check_paragraphs("reason", &req.reason, 5000)?;
    // One order at a time for a person: the orders are read under the case's lock.
    case::Entity::find_by_id(c.id)
        .lock_exclusive()
        .one(work.db())
        .await?;
    let orders = tag_order::Entity::find()
        .filter(tag_order::Column::CaseId.eq(c.id))
        .all(work.db())
        .await?;
    let renews_end = match req.renews {
        Some(renewed) => {
            let prev = orders
                .iter()
                .find(|o| o.id == renewed)
                .ok_or(ErrorCode::NotFound)?;
            if prev.status != TagOrderStatus::Ordered {
                return Err(ErrorCode::TagOrderEnded.into());
            }
            Some(prev.ends_on)
        }
        None => None,
    };
    check_tag_dates(
        req.starts_on,
        req.ends_on,
        state.clock.today(),
        c.end_date,
        renews_end,
    )
    .map_err(|p| ApiError::field(p.field, p.said))?;
    if orders
        .iter()
        .filter(|o| o.status == TagOrderStatus::Ordered)
        .any(|o| o.starts_on <= req.ends_on && req.starts_on <= o.ends_on)
    {
        return Err(ErrorCode::TagOverlapping.into());
    }
    let row = tag_order::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(c.id),
        ground: Set(req.ground),
        starts_on: Set(req.starts_on),
        ends_on: Set(req.ends_on),
        reason: Set(req.reason.trim().to_owned()),
        renews: Set(req.renews),
        decided_by: Set(caller.id),
        decided_at: Set(state.clock.now()),
        ended_at: Set(None),
        end_reason: Set(None),
        expiry_alert_id: Set(None),
        status: Set(TagOrderStatus::Ordered),
        version: Set(1),
    }
    .insert(work.db())
    .await
    // The unique renewal: someone renewed the same order a moment ago.
    .map_err(|e| {
        if matches!(
            e.sql_err(),
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
        ) {
            ApiError::from(ErrorCode::TagOverlapping)
        } else {
            e.into()
        }
    })?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::TagOrdered,
        "case",
        c.id,
        json!({ "tag_order_id": row.id, "ground": row.ground, "starts_on": row.starts_on,
                "ends_on": row.ends_on, "renews": row.renews }),
    )
    .await?;
    let v = view(&row);
    work.notify_case(&c, EventKind::TagOrder, &v, true).await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A case's tag orders, latest first (its officers and the person).
#[utoipa::path(get, path = "/cases/{id}/tag-orders", tag = "sanctions", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<TagOrderView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_case(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<TagOrderView>>> {
    let c = find_case(&state.db, &caller, id).await?;
    let rows = tag_order::Entity::find()
        .filter(tag_order::Column::CaseId.eq(c.id))
        .order_by_desc(tag_order::Column::StartsOn)
        .all(&state.db)
        .await?;
    Ok(Json(rows.iter().map(view).collect()))
}

/// The county agency ends an order before its term, with the reason. Audited; the person is
/// told.
#[utoipa::path(post, path = "/tag-orders/{id}/end", tag = "sanctions", params(("id" = Uuid, Path)), request_body = TagOrderEnd,
    responses((status = 200, body = TagOrderView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn end(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<TagOrderEnd>,
) -> ApiResult<Json<TagOrderView>> {
    let work = Work::begin(&state).await?;
    let t = tag_order::Entity::find_by_id(id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let c = find_case(work.db(), &caller, t.case_id).await?;
    check_paragraphs("reason", &req.reason, 2000)?;
    let now = state.clock.now();
    let party = crate::org::party(work.db(), &caller).await?;
    let reason = req.reason.trim();
    let t = crate::transition::apply(
        work.db(),
        &TAG_ORDER,
        TagAction::End,
        party,
        &t,
        None,
        |q| {
            q.col_expr(tag_order::Column::EndedAt, Expr::value(now))
                .col_expr(tag_order::Column::EndReason, Expr::value(reason))
        },
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::TagOrderEnded,
        "case",
        c.id,
        json!({ "tag_order_id": t.id }),
    )
    .await?;
    let v = view(&t);
    work.notify_case(&c, EventKind::TagOrder, &v, true).await?;
    work.commit().await?;
    Ok(Json(v))
}

/// Alerts the officers once for each order in force that ends within
/// `TAG_EXPIRY_NOTICE_DAYS` and has no renewal yet. Returns the alerts' events.
pub async fn alert_expiring(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> ApiResult<Vec<crate::events::Event>> {
    let today = local_date(now);
    let soon = today + Duration::days(TAG_EXPIRY_NOTICE_DAYS);
    let due = tag_order::Entity::find()
        .filter(tag_order::Column::Status.eq(TagOrderStatus::Ordered.as_str()))
        .filter(tag_order::Column::ExpiryAlertId.is_null())
        .filter(tag_order::Column::EndsOn.gte(today))
        .filter(tag_order::Column::EndsOn.lte(soon))
        .all(db)
        .await?;
    // Only the renewals of the orders due, not every renewal ever made.
    let renewed: std::collections::HashSet<Uuid> = tag_order::Entity::find()
        .filter(tag_order::Column::Renews.is_in(due.iter().map(|t| t.id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|t| t.renews)
        .collect();
    let mut events = Vec::new();
    for t in due.iter().filter(|t| !renewed.contains(&t.id)) {
        let Some(c) = case::Entity::find_by_id(t.case_id).one(db).await? else {
            continue;
        };
        let (alert, event) = crate::alerts::raise(
            db,
            now,
            &c,
            AlertKind::TagOrderExpiring,
            AlertSeverity::Medium,
            json!({ "tag_order_id": t.id, "ends_on": t.ends_on, "ground": t.ground }),
        )
        .await?;
        // Claimed by the alert's id: of two runs at once, one raises it.
        let claimed = tag_order::Entity::update_many()
            .col_expr(tag_order::Column::ExpiryAlertId, Expr::value(alert.id))
            .filter(tag_order::Column::Id.eq(t.id))
            .filter(tag_order::Column::ExpiryAlertId.is_null())
            .exec(db)
            .await?;
        if claimed.rows_affected == 1 {
            events.push(event);
        } else {
            return Err(ErrorCode::Conflict.into());
        }
    }
    Ok(events)
}
