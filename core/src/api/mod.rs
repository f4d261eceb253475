//! REST API request (`…Request`) and response (`…View`) types, shared by server and client,
//! one file per domain (re-exported here, so `api::LeaveView` is the path everywhere).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::model::*;

/// What a client sends: unknown fields are refused (a misspelt field is a 422 naming it, not
/// a silently ignored setting).
macro_rules! request_type {
    ($(#[$m:meta])* $vis:vis struct $name:ident { $($body:tt)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
        #[serde(deny_unknown_fields)]
        $vis struct $name { $($body)* }
    };
}

/// What the server sends (and values inside both): unknown fields are ignored, so an app
/// already installed keeps reading the answers of a newer server that added one.
macro_rules! view_type {
    ($(#[$m:meta])* $vis:vis struct $name:ident { $($body:tt)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
        $vis struct $name { $($body)* }
    };
}

view_type! {
    /// A remark for people, in both languages the API speaks, with a stable `code` an app
    /// may use instead (why a sanction advice is empty, why fewer minutes were credited…).
    pub struct Remark {
        pub code: String,
        pub en: String,
        pub zh: String,
    }
}

impl Remark {
    pub fn new(code: &str, (en, zh): (String, String)) -> Remark {
        Remark {
            code: code.to_owned(),
            en,
            zh,
        }
    }
}

/// The error envelope: RFC 7807 `application/problem+json` plus a stable `code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Problem {
    /// `about:blank` or a documentation URI for the code.
    #[serde(rename = "type")]
    pub type_: String,
    /// Short human summary (the message for `code`).
    pub title: String,
    pub status: u16,
    /// Stable machine code, e.g. `auth.account_locked`.
    pub code: String,
    /// Human detail in the language asked for by `Accept-Language` (zh-CN or en).
    pub detail: String,
    /// Request id, to quote to support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Field-level problems for validation errors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// For `auth.account_locked`: when the lock ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldProblem {
    /// JSON path of the field, e.g. `residence.lat`.
    pub field: String,
    pub message: String,
}

view_type! {
    pub struct HealthView {
        pub status: String,
        pub version: String,
    }
}

/// A live event on `/api/v1/events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EventView {
    /// `alert`, `checkin`, `leave`…
    pub kind: String,
    pub case_id: Uuid,
    pub payload: serde_json::Value,
}

mod alerts;
mod assessments;
mod audit;
mod auth;
mod cases;
mod checkins;
mod help;
mod investigations;
mod learning;
mod lectures;
mod locations;
mod org;
mod page;
mod queue;
mod requests;
mod rollcalls;
mod sanctions;
mod service;
mod visits;
mod xapi;

pub use alerts::*;
pub use assessments::*;
pub use audit::*;
pub use auth::*;
pub use cases::*;
pub use checkins::*;
pub use help::*;
pub use investigations::*;
pub use learning::*;
pub use lectures::*;
pub use locations::*;
pub use org::*;
pub use page::*;
pub use queue::*;
pub use requests::*;
pub use rollcalls::*;
pub use sanctions::*;
pub use service::*;
pub use visits::*;
pub use xapi::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::checkin::{CheckinReason, CheckinResult};

    /// An app already installed reads the answers of a newer server: a field it does not know
    /// is ignored, a kind or status it does not know is `Unknown`, the rest is intact.
    #[test]
    fn an_old_client_reads_a_newer_servers_answers() {
        let alert: AlertView = serde_json::from_value(serde_json::json!({
            "id": "01890000-0000-7000-8000-000000000001",
            "case_id": "01890000-0000-7000-8000-000000000002",
            "title": "无人机发现",
            "case_name": "测试人1",
            "kind": "drone_sighting",
            "severity": "catastrophic",
            "state": "escalated",
            "evidence": {},
            "assigned_officer_id": null,
            "created_at": "2026-12-01T08:00:00Z",
            "acknowledged_by": null,
            "resolved_by": null,
            "resolution_note": null,
            "cleared_at": null,
            "escalation_level": 2
        }))
        .expect("an extra field and unknown kinds do not break decoding");
        assert_eq!(
            (alert.kind, alert.severity, alert.state),
            (
                AlertKind::Unknown,
                AlertSeverity::Unknown,
                AlertState::Unknown
            )
        );
        assert_eq!(alert.created_at.to_rfc3339(), "2026-12-01T08:00:00+00:00");
        let checkin: CheckinView = serde_json::from_value(serde_json::json!({
            "id": "01890000-0000-7000-8000-000000000003",
            "case_id": "01890000-0000-7000-8000-000000000002",
            "result": "held_for_liveness",
            "reasons": ["face_mismatch", "pose_not_met"],
            "face_distance": 0.7,
            "created_at": "2026-12-01T08:00:00Z",
            "counts_for_window": false
        }))
        .unwrap();
        assert_eq!(checkin.result, CheckinResult::Unknown);
        assert_eq!(
            checkin.reasons,
            vec![CheckinReason::FaceMismatch, CheckinReason::Unknown]
        );
        // Known values still read as themselves, and `Unknown` is never a stored spelling.
        assert_eq!(
            serde_json::from_str::<AlertKind>("\"leave_overdue\"").unwrap(),
            AlertKind::LeaveOverdue
        );
        assert_eq!(AlertKind::parse("unknown"), None);
        assert!(!AlertKind::ALL.contains(&AlertKind::Unknown));
    }

    /// What a client sends stays strict: a misspelt field or an unknown value is refused.
    #[test]
    fn requests_refuse_what_they_do_not_know() {
        let err = serde_json::from_value::<StatusChangeRequest>(
            serde_json::json!({ "status": "released", "reason": "x", "note": "typo'd field" }),
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown field `note`"), "{err}");
        assert!(serde_json::from_value::<StatusChangeRequest>(
            serde_json::json!({ "status": "vanished", "reason": "x" })
        )
        .is_err());
    }
}
