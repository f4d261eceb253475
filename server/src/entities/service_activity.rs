//! Table `service_activities`: community-service activities a unit organises.
use huijiao_core::policy::service::{ActivityStatus, ServiceKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub unit_path: String,
    pub title: String,
    pub kind: ServiceKind,
    pub place: String,
    pub lat: f64,
    pub lon: f64,
    pub radius_m: i32,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub capacity: i32,
    pub organiser_id: Uuid,
    pub notes: Option<String>,
    /// Hex; the rotating codes' key. Never leaves the server.
    pub code_secret: String,
    /// When the close job settled what was still open (no-shows, missing check-outs).
    pub closed_at: Option<DateTimeUtc>,
    /// Called off before the start, with the reason (the people signed up are told).
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancel_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    /// Follows `policy::service::ACTIVITY`.
    pub status: ActivityStatus,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
