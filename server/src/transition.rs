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

/// A versioned table with a status column (typed: sea-orm reads it as its core vocabulary)
/// that follows a `policy::transitions` table.
pub trait Stateful: Versioned {
    type Status: Vocabulary;
    const STATUS: Self::Column;
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
    machine: &Machine<<M::Entity as Stateful>::Status, A>,
    action: A,
    party: Party,
    row: &M,
    expected_version: Option<i32>,
    set: impl FnOnce(UpdateMany<M::Entity>) -> UpdateMany<M::Entity>,
) -> ApiResult<M>
where
    M: ModelTrait,
    M::Entity: Stateful + EntityTrait<Model = M>,
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
        $(
            impl Stateful for crate::entities::$module::Entity {
                type Status = $ty;
                const STATUS: Self::Column = crate::entities::$module::Column::$status;
                fn status(m: &Self::Model) -> $ty {
                    m.$field
                }
            }
        )?
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
);
