//! Alerts for officers.

use super::*;

view_type! {
    /// An alert as its supervisee sees it: what happened and whether it is being handled,
    /// without the evidence, the officer's notes or a suggested sanction.
    pub struct OwnAlertView {
        pub id: Uuid,
        /// What it is about, in words in the reader's language (`Accept-Language`).
        pub title: String,
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
        /// What it is about, in words in the reader's language (`Accept-Language`; Chinese in
        /// a live event, which is one message for every listener).
        pub title: String,
        /// Whose case, as a list names the person (a minor's name masked).
        pub case_name: String,
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
