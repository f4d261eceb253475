//! One way to act on a request — leave, relocation, visitor: find it within the caller's reach,
//! let its kind check what its rules add to the state table (the level a leave needs, the
//! receiving side's agreement to a move), apply the step at the version the caller saw with what
//! the act records, let the kind do what follows (a line of the leave's history, the case
//! moving), audit it, and tell the case's officers and the person. Each kind says only what
//! differs (`Request`); its handlers stay one line each for the API document.

use std::future::Future;

use chrono::{DateTime, NaiveDate, Utc};
use huijiao_core::api::LeaveDecisionRequest;
use huijiao_core::model::{AuditAction, EventKind};
use huijiao_core::policy::transitions::{Machine, Party};
use huijiao_core::ErrorCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter, UpdateMany};
use serde_json::json;
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::AuthUser;
use crate::entities::case;
use crate::error::{ApiResult, Json};
use crate::state::AppState;
use crate::transition::{apply, Tracked, Versioned};
use crate::validate::check_paragraphs;
use crate::work::Work;

/// An act on a request, as its kind's hooks see it.
pub(super) struct Act<'a, A> {
    pub caller: &'a AuthUser,
    pub action: A,
    pub party: Party,
    /// An officer's opinion on a decision.
    pub opinion: Option<String>,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
}

/// A kind of request: its table, its state machine, its view, and what it adds.
pub(super) trait Request: ModelTrait<Entity = Self::Table> + Clone + Send + Sync {
    type Table: Versioned + Tracked + EntityTrait<Model = Self> + Send + Sync;
    type Action: Copy + Eq + std::fmt::Debug + Send + Sync + Into<AuditAction> + 'static;
    type View: serde::Serialize + Send + Sync;
    const MACHINE: &'static Machine<<Self::Table as Tracked>::Status, Self::Action>;
    /// The audit entry's target kind.
    const KIND: &'static str;
    const EVENT: EventKind;

    fn case_id(&self) -> Uuid;
    /// What the act records besides the status (who decided and when, when the person left).
    fn record(q: UpdateMany<Self::Table>, act: &Act<'_, Self::Action>) -> UpdateMany<Self::Table>;
    /// Whether the case's officers and the person hear of it.
    fn announced(_action: Self::Action) -> bool {
        true
    }
    /// Whether the caller may reach this request (404 otherwise): by default, through its case.
    fn reach(
        &self,
        db: &impl ConnectionTrait,
        caller: &AuthUser,
    ) -> impl Future<Output = ApiResult<()>> + Send {
        async move {
            crate::cases::find_case(db, caller, self.case_id()).await?;
            Ok(())
        }
    }
    /// What the kind's rules add to the table, before the step.
    fn check(
        &self,
        _work: &Work,
        _act: &Act<'_, Self::Action>,
    ) -> impl Future<Output = ApiResult<()>> + Send {
        async { Ok(()) }
    }
    /// What follows the step (`self` as it was, `done` as it is now).
    fn follow(
        &self,
        _work: &Work,
        _act: &Act<'_, Self::Action>,
        _done: &Self,
    ) -> impl Future<Output = ApiResult<()>> + Send {
        async { Ok(()) }
    }
    /// The audit entry's detail.
    fn detail(_act: &Act<'_, Self::Action>) -> serde_json::Value {
        json!({})
    }
    fn view(
        self,
        db: &impl ConnectionTrait,
        today: NaiveDate,
    ) -> impl Future<Output = ApiResult<Self::View>> + Send;
}

/// Takes `action` on request `id` for `caller`: the one path every act on a request follows.
pub(super) async fn take<R: Request>(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    action: R::Action,
    version: Option<i32>,
    opinion: Option<String>,
) -> ApiResult<Json<R::View>> {
    let work = Work::begin(state).await?;
    let row = R::Table::find()
        .filter(<R::Table as Versioned>::ID.eq(id))
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    row.reach(work.db(), caller).await?;
    let act = Act {
        caller,
        action,
        party: crate::org::party(work.db(), caller).await?,
        opinion,
        now: work.now(),
        today: state.clock.today(),
    };
    // The table first (who, from which state), then what the kind adds.
    R::MACHINE.check(action, R::Table::status(&row), act.party)?;
    row.check(&work, &act).await?;
    let done = apply(
        work.db(),
        R::MACHINE,
        action,
        act.party,
        &row,
        version,
        |q| R::record(q, &act),
    )
    .await?;
    // The case as it was: a move is told to the jurisdiction the person leaves.
    let c = case::Entity::find_by_id(row.case_id())
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    row.follow(&work, &act, &done).await?;
    work.audit(
        &Actor::from(caller),
        action.into(),
        R::KIND,
        id,
        R::detail(&act),
    )
    .await?;
    let v = done.view(work.db(), act.today).await?;
    if R::announced(action) {
        work.notify_case(&c, R::EVENT, &v, true).await?;
    }
    work.commit().await?;
    Ok(Json(v))
}

/// An officer's decision (approve, reject) at the version they saw, with their opinion.
pub(super) async fn decide<R: Request>(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    req: LeaveDecisionRequest,
    action: R::Action,
) -> ApiResult<Json<R::View>> {
    check_paragraphs("opinion", &req.opinion, 2000)?;
    let opinion = Some(req.opinion.trim().to_owned());
    take::<R>(state, caller, id, action, Some(req.version), opinion).await
}

/// What a decision records on a request that keeps who decided, when, and the opinion; other
/// acts record nothing more.
pub(super) fn decided<E: EntityTrait>(
    q: UpdateMany<E>,
    act: &Act<'_, impl Copy>,
    (by, at, opinion): (E::Column, E::Column, E::Column),
) -> UpdateMany<E> {
    match &act.opinion {
        Some(text) => q
            .col_expr(by, sea_orm::sea_query::Expr::value(act.caller.id))
            .col_expr(at, sea_orm::sea_query::Expr::value(act.now))
            .col_expr(opinion, sea_orm::sea_query::Expr::value(text.clone())),
        None => q,
    }
}
