//! Table `roll_calls`.
use huijiao_core::policy::rollcall::RollCallStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "roll_calls")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub status: RollCallStatus,
    pub initiated_by: Option<Uuid>,
    pub note: Option<String>,
    pub ring_at: DateTimeUtc,
    pub answer_by: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
    pub device_id: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub challenge: Option<String>,
    pub reasons: Json,
    pub face_distance: Option<f64>,
    pub frames_judged: i32,
    pub snapshot_key: Option<String>,
    pub turn_frame_key: Option<String>,
    pub snapshot_purged_at: Option<DateTimeUtc>,
    pub recording_key: Option<String>,
    /// `video/x-ivf` (VP8) or `video/h264` (Annex B).
    pub recording_type: Option<String>,
    pub recording_purged_at: Option<DateTimeUtc>,
    pub decision_note: Option<String>,
    pub decided_by: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
