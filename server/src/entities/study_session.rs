//! Table `study_sessions`: the session and its clock (`policy::learning::StudyClock`).
use huijiao_core::policy::learning::StudySessionStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "study_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub lesson_id: Uuid,
    pub device_id: Option<String>,
    pub status: StudySessionStatus,
    pub opened_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub last_beat_at: Option<DateTimeUtc>,
    pub last_seq: i32,
    pub last_client_ms: i64,
    pub last_position_ms: i64,
    pub last_studying: bool,
    pub credited_ms: i64,
    pub furthest_ms: i64,
    pub completed: bool,
    pub version: i32,
    /// Credited as of the last passed face check: what a failed or missed one falls back to.
    pub verified_ms: i64,
    /// The deadline of the face check asked now.
    pub face_check_by: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
