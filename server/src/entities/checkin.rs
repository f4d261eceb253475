//! Table `checkins`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "checkins")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub user_id: Uuid,
    pub device_id: String,
    pub idempotency_key: String,
    pub challenge_id: Uuid,
    pub result: huijiao_core::policy::checkin::CheckinResult,
    pub reasons: Json,
    pub face_distance: Option<f64>,
    pub matched_reference: Option<i32>,
    pub phash: Option<i64>,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub fix_time: DateTimeUtc,
    pub provider: String,
    pub mock: bool,
    pub app_version: String,
    pub photo_key: Option<String>,
    pub photo_purged_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub version: i32,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub review_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
