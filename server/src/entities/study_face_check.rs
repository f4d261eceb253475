//! Table `study_face_checks`: a face check planned for a moment of a study session.
use huijiao_core::policy::learning::FaceCheckStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "study_face_checks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    pub case_id: Uuid,
    pub due_at: DateTimeUtc,
    pub asked_at: Option<DateTimeUtc>,
    pub deadline: Option<DateTimeUtc>,
    pub status: FaceCheckStatus,
    /// The check-in that settled it (passed or failed).
    pub checkin_id: Option<Uuid>,
    /// What a failed or missed check took back.
    pub voided_ms: Option<i64>,
    pub settled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
