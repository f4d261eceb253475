//! The one way a versioned record changes: an update conditional on the version that was read,
//! so of two officers acting at once exactly one succeeds and the other gets 409
//! `resource.conflict` — a stale screen never overwrites a newer decision. A status change is
//! a row of a core `policy::transitions` table (who, from which state, to which), applied here.

use huijiao_core::model::Vocabulary;
use huijiao_core::policy::transitions::{Machine, Party};
use huijiao_core::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter, UpdateMany};
use uuid::Uuid;

use crate::error::ApiResult;

/// A table whose rows carry an id and a version that only this module's updates move.
pub trait Versioned: EntityTrait {
    const ID: Self::Column;
    const VERSION: Self::Column;
    /// What the record is called (in messages).
    const NAME: &'static str;
    fn id(m: &Self::Model) -> Uuid;
    fn version(m: &Self::Model) -> i32;
}

/// A table with a status column (typed: sea-orm reads it as its core vocabulary) that follows
/// a state table of core `policy`.
pub trait Tracked: EntityTrait {
    type Status: Vocabulary;
    const ROW: Self::Column;
    const STATUS: Self::Column;
    fn row(m: &Self::Model) -> Uuid;
    fn status(m: &Self::Model) -> Self::Status;
}

/// The one conditional update: applies `set` to row `id` only if it still has `version`, and
/// bumps the version. 409 `resource.conflict` when someone changed it meanwhile. Returns the
/// record as stored.
pub async fn update_at_version<E: Versioned>(
    db: &impl ConnectionTrait,
    id: Uuid,
    version: i32,
    set: impl FnOnce(UpdateMany<E>) -> UpdateMany<E>,
) -> ApiResult<E::Model> {
    // No row reaches the largest version: a client claiming it saw that one is stale.
    let next = version.checked_add(1).ok_or(ErrorCode::Conflict)?;
    let q = E::update_many()
        .col_expr(E::VERSION, Expr::value(next))
        .filter(E::ID.eq(id))
        .filter(E::VERSION.eq(version));
    if set(q).exec(db).await?.rows_affected != 1 {
        return Err(ErrorCode::Conflict.into());
    }
    E::find()
        .filter(E::ID.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| ErrorCode::NotFound.into())
}

/// Takes `action` on `row` for `party`: the table decides (403 / the level needed / the
/// machine's `…transition_invalid`); `expected_version` (what the client saw) must be the
/// row's; then one conditional update sets the new status and applies `set` (decision
/// columns).
pub async fn apply<M, A>(
    db: &impl ConnectionTrait,
    machine: &Machine<<M::Entity as Tracked>::Status, A>,
    action: A,
    party: Party,
    row: &M,
    expected_version: Option<i32>,
    set: impl FnOnce(UpdateMany<M::Entity>) -> UpdateMany<M::Entity>,
) -> ApiResult<M>
where
    M: ModelTrait,
    M::Entity: Versioned + Tracked + EntityTrait<Model = M>,
    A: Copy + Eq + std::fmt::Debug,
{
    type E<M> = <M as ModelTrait>::Entity;
    let to = machine.check(action, E::<M>::status(row), party)?;
    let version = E::<M>::version(row);
    if expected_version.is_some_and(|v| v != version) {
        return Err(ErrorCode::Conflict.into());
    }
    update_at_version::<E<M>>(db, E::<M>::id(row), version, |q| {
        set(q.col_expr(E::<M>::STATUS, Expr::value(to.as_str())))
    })
    .await
}

/// Takes `action` on `row`, a record without a version: the table decides (as `apply`), and
/// the update is conditional on the state that was read, so of two takers at once one moves it
/// and the other hears the machine's refusal. `set` adds the decision's columns. Returns the
/// record as stored.
pub async fn step<M, A>(
    db: &impl ConnectionTrait,
    machine: &Machine<<M::Entity as Tracked>::Status, A>,
    action: A,
    party: Party,
    row: &M,
    set: impl FnOnce(UpdateMany<M::Entity>) -> UpdateMany<M::Entity>,
) -> ApiResult<M>
where
    M: ModelTrait,
    M::Entity: Tracked + EntityTrait<Model = M>,
    A: Copy + Eq + std::fmt::Debug,
{
    type E<M> = <M as ModelTrait>::Entity;
    let from = E::<M>::status(row);
    let to = machine.check(action, from, party)?;
    let id = E::<M>::row(row);
    let q = E::<M>::update_many()
        .col_expr(E::<M>::STATUS, Expr::value(to.as_str()))
        .filter(E::<M>::ROW.eq(id))
        .filter(E::<M>::STATUS.eq(from.as_str()));
    if set(q).exec(db).await?.rows_affected != 1 {
        return Err(machine.refusal(action).into());
    }
    E::<M>::find()
        .filter(E::<M>::ROW.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| ErrorCode::NotFound.into())
}

/// Takes `action` on every record `narrow` selects that is in a state the action starts from
/// (a job's sweep; all of a person's at once), in one update; how many moved. Who may take it
/// is the table's.
pub async fn step_all<E, A>(
    db: &impl ConnectionTrait,
    machine: &Machine<E::Status, A>,
    action: A,
    party: Party,
    narrow: impl FnOnce(UpdateMany<E>) -> UpdateMany<E>,
) -> ApiResult<u64>
where
    E: Tracked,
    A: Copy + Eq + std::fmt::Debug,
{
    machine.may(action, party)?;
    let rule = machine.rule(action);
    let Some(to) = rule.to else {
        return Ok(0);
    };
    let q = E::update_many()
        .col_expr(E::STATUS, Expr::value(to.as_str()))
        .filter(E::STATUS.is_in(rule.from.iter().map(|s| s.as_str())));
    Ok(narrow(q).exec(db).await?.rows_affected)
}

/// `impl Tracked` for tables whose status follows a state table but carry no version (a
/// record decided once, or swept by a job).
macro_rules! tracked {
    ($($module:ident => $status:ident . $field:ident : $ty:ty);+ $(;)?) => {$(
        impl Tracked for crate::entities::$module::Entity {
            type Status = $ty;
            const ROW: Self::Column = crate::entities::$module::Column::Id;
            const STATUS: Self::Column = crate::entities::$module::Column::$status;
            fn row(m: &Self::Model) -> Uuid {
                m.id
            }
            fn status(m: &Self::Model) -> $ty {
                m.$field
            }
        }
    )+};
}

tracked!(
    device => Status.status: huijiao_core::model::DeviceStatus;
    investigation => Status.status: huijiao_core::model::InvestigationStatus;
    checkin_request => Status.status: huijiao_core::model::CheckinRequestStatus;
    user => Status.status: huijiao_core::model::UserStatus;
    study_face_check => Status.status: huijiao_core::policy::learning::FaceCheckStatus;
);

macro_rules! versioned {
    ($($module:ident => $name:literal $(, $status:ident . $field:ident : $ty:ty)?);+ $(;)?) => {$(
        impl Versioned for crate::entities::$module::Entity {
            const ID: Self::Column = crate::entities::$module::Column::Id;
            const VERSION: Self::Column = crate::entities::$module::Column::Version;
            const NAME: &'static str = $name;
            fn id(m: &Self::Model) -> Uuid {
                m.id
            }
            fn version(m: &Self::Model) -> i32 {
                m.version
            }
        }
        $(tracked!($module => $status.$field: $ty);)?
    )+};
}

versioned!(
    leave_request => "leave", Status.status: huijiao_core::model::LeaveStatus;
    relocation_request => "relocation", Status.status: huijiao_core::model::RequestStatus;
    visitor_request => "visitor", Status.status: huijiao_core::model::RequestStatus;
    case => "case", Status.status: huijiao_core::model::CaseStatus;
    alert => "alert", State.state: huijiao_core::model::AlertState;
    fence => "fence";
    roll_call => "roll call", Status.status: huijiao_core::policy::rollcall::RollCallStatus;
    course => "course", Status.status: huijiao_core::policy::learning::CourseStatus;
    reflection => "reflection", Status.status: huijiao_core::policy::learning::ReflectionStatus;
    quiz_attempt => "quiz attempt", Status.status: huijiao_core::policy::learning::QuizAttemptStatus;
    service_activity => "service activity", Status.status: huijiao_core::policy::service::ActivityStatus;
    help_session => "help session", Status.status: huijiao_core::policy::help::HelpStatus;
    service_participation => "service participation", Status.status: huijiao_core::policy::service::ParticipationStatus;
    sanction => "sanction", Status.status: huijiao_core::policy::sanctions::SanctionStatus;
    tag_order => "tag order", Status.status: huijiao_core::policy::sanctions::TagOrderStatus;
    study_session => "study session", Status.status: huijiao_core::policy::learning::StudySessionStatus;
    checkin => "check-in", Result.result: huijiao_core::policy::checkin::CheckinResult;
);
