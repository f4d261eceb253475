//! Sign-in, tokens and the caller.

use super::*;

request_type! {
    pub struct LoginRequest {
        #[cfg_attr(feature = "openapi", schema(max_length = 64))]
        pub username: String,
        #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
        pub password: String,
        /// Required for supervisees: the phone's stable install id.
        #[serde(default)]
        pub device_id: Option<String>,
        #[serde(default)]
        pub device_name: Option<String>,
    }
}

request_type! {
    pub struct RefreshRequest {
        pub refresh_token: String,
        #[serde(default)]
        pub device_id: Option<String>,
    }
}

request_type! {
    pub struct PasswordChangeRequest {
        pub current_password: String,
        pub new_password: String,
    }
}

view_type! {
    pub struct TokenView {
        pub access_token: String,
        pub refresh_token: String,
        pub token_type: String,
        /// Seconds until the access token expires.
        pub expires_in: i64,
        pub user: MeView,
    }
}

view_type! {
    pub struct MeView {
        pub id: Uuid,
        pub username: String,
        pub display_name: String,
        pub role: Role,
        pub unit_id: Option<Uuid>,
        /// For a supervisee: their own case.
        pub case_id: Option<Uuid>,
        /// The password was reset to a one-time one: the app asks for a new password first
        /// (every other call answers `auth.password_change_required` until then).
        #[serde(default)]
        pub must_change_password: bool,
    }
}
