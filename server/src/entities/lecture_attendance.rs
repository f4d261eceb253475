//! Table `lecture_attendances`: one person at one lecture, how it was proven, what it credited.
use huijiao_core::policy::lecture::{AttendanceMark, AttendanceMethod};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lecture_attendances")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lecture_id: Uuid,
    pub case_id: Uuid,
    pub mark: AttendanceMark,
    pub method: AttendanceMethod,
    pub arrived_at: Option<DateTimeUtc>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub credited_minutes: i32,
    pub marked_by: Option<Uuid>,
    pub reason: Option<String>,
    /// The face check-in on site that proved it (method `face`).
    pub checkin_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
