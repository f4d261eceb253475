//! Table `leave_requests`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "leave_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub unit_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub reason_category: huijiao_core::model::LeaveReason,
    pub reason_text: String,
    pub destination: String,
    pub dest_lat: f64,
    pub dest_lon: f64,
    pub start_date: Date,
    pub end_date: Date,
    pub days: i32,
    pub window_total_days: i32,
    pub urgent: bool,
    pub late_notice: bool,
    pub required_level: huijiao_core::policy::level::ApprovalLevel,
    pub standing: bool,
    pub contact_while_away: String,
    pub status: huijiao_core::model::LeaveStatus,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    pub departed_at: Option<DateTimeUtc>,
    pub returned_at: Option<DateTimeUtc>,
    pub overdue_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
