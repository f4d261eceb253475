//! Units and staff accounts.

use super::*;

request_type! {
    pub struct UnitCreateRequest {
        #[cfg_attr(feature = "openapi", schema(max_length = 200))]
        pub name: String,
        pub kind: UnitKind,
        pub parent_id: Option<Uuid>,
        /// Administrative division code, e.g. `620102`.
        #[serde(default)]
        pub code: Option<String>,
    }
}

view_type! {
    pub struct UnitView {
        pub id: Uuid,
        pub name: String,
        pub kind: UnitKind,
        pub parent_id: Option<Uuid>,
        pub code: Option<String>,
    }
}

view_type! {
    /// A unit a case may move to (a county agency or judicial office), with where it is:
    /// the names of the units above it, from the top ("甘肃省 兰州市 七里河区").
    pub struct ReceivingUnitView {
        pub id: Uuid,
        pub name: String,
        pub kind: UnitKind,
        pub within: String,
    }
}

request_type! {
    pub struct UserCreateRequest {
        #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 64))]
        pub username: String,
        pub password: String,
        #[cfg_attr(feature = "openapi", schema(max_length = 200))]
        pub display_name: String,
        pub role: Role,
        pub unit_id: Option<Uuid>,
        #[serde(default)]
        pub phone: Option<String>,
    }
}

view_type! {
    pub struct UserView {
        pub id: Uuid,
        pub username: String,
        pub display_name: String,
        pub role: Role,
        pub unit_id: Option<Uuid>,
        pub status: UserStatus,
        pub locked_until: Option<DateTime<Utc>>,
        pub created_at: DateTime<Utc>,
    }
}

view_type! {
    pub struct DeviceView {
        pub id: Uuid,
        pub device_id: String,
        pub name: Option<String>,
        pub status: DeviceStatus,
        pub first_seen_at: DateTime<Utc>,
        pub approved_by: Option<Uuid>,
        pub approved_at: Option<DateTime<Utc>>,
    }
}
