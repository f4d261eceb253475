//! Alerts for officers.

use super::*;

view_type! {
    /// An alert as its supervisee sees it: what happened and whether it is being handled,
    /// without the evidence, the officer's notes or a suggested sanction.
    pub struct OwnAlertView {
        pub id: Uuid,
        pub kind: AlertKind,
        pub severity: AlertSeverity,
        pub state: AlertState,
        pub created_at: DateTime<Utc>,
        pub cleared_at: Option<DateTime<Utc>>,
    }
}

view_type! {
    pub struct AlertView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub kind: AlertKind,
        pub severity: AlertSeverity,
        pub state: AlertState,
        /// Links to what raised it, e.g. `{"checkin_id": …}`.
        pub evidence: serde_json::Value,
        pub assigned_officer_id: Option<Uuid>,
        pub created_at: DateTime<Utc>,
        pub acknowledged_by: Option<Uuid>,
        pub resolved_by: Option<Uuid>,
        pub resolution_note: Option<String>,
        /// When the condition behind it ended (back inside the area, reporting again…).
        pub cleared_at: Option<DateTime<Utc>>,
    }
}

request_type! {
    pub struct AlertResolveRequest {
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        pub note: String,
    }
}
