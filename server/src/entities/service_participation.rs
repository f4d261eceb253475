//! Table `service_participations`: a person's part in an activity (versioned).
use huijiao_core::policy::service::{ParticipationStatus, PresenceProof};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_participations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub activity_id: Uuid,
    pub case_id: Uuid,
    pub status: ParticipationStatus,
    pub signed_up_by: Uuid,
    pub checked_in_at: Option<DateTimeUtc>,
    pub check_in_proof: Option<PresenceProof>,
    /// The face check-in that proved the check-in, when a face did.
    pub check_in_checkin_id: Option<Uuid>,
    pub check_in_lat: Option<f64>,
    pub check_in_lon: Option<f64>,
    pub checked_out_at: Option<DateTimeUtc>,
    pub check_out_proof: Option<PresenceProof>,
    pub check_out_checkin_id: Option<Uuid>,
    pub check_out_lat: Option<f64>,
    pub check_out_lon: Option<f64>,
    pub credited_minutes: i32,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub review_reason: Option<String>,
    /// The alert raised for a missing check-out.
    pub alert_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
