//! Table `lessons`.
use huijiao_core::policy::learning::{LessonKind, MoveOn};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lessons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub course_id: Uuid,
    pub ordinal: i32,
    pub title: String,
    pub kind: LessonKind,
    pub body: Option<String>,
    pub duration_secs: i32,
    pub min_minutes: i32,
    pub seek_allowed: bool,
    pub pass_percent: Option<i32>,
    pub max_attempts: Option<i32>,
    /// The lesson's video, audio or PDF in the media store (course material, stored plain).
    pub media_key: Option<String>,
    pub media_type: Option<String>,
    pub media_bytes: Option<i64>,
    pub move_on: MoveOn,
    /// The lesson's own face checks (both null: the jurisdiction's).
    pub face_check_at_start: Option<bool>,
    pub face_checks_per_hour: Option<i32>,
}

impl Model {
    /// The lesson's own face checks, if it has them.
    pub fn face_checks(&self) -> Option<huijiao_core::policy::learning::FaceCheckPolicy> {
        Some(huijiao_core::policy::learning::FaceCheckPolicy {
            at_start: self.face_check_at_start?,
            per_hour: self.face_checks_per_hour?.max(0) as u32,
        })
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
