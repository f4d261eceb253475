//! REST API request (`…Request`) and response (`…View`) types, shared by server and client.

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

// ---- auth -------------------------------------------------------------------------------

request_type! {
    pub struct LoginRequest {
        pub username: String,
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
    }
}

// ---- org --------------------------------------------------------------------------------

request_type! {
    pub struct UnitCreateRequest {
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

request_type! {
    pub struct UserCreateRequest {
        pub username: String,
        pub password: String,
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

// ---- cases ------------------------------------------------------------------------------

view_type! {
    pub struct Residence {
        pub address: String,
        pub lat: f64,
        pub lon: f64,
    }
}

request_type! {
    pub struct CaseCreateRequest {
        pub name: String,
        pub national_id: String,
        pub gender: Option<String>,
        pub sentence_kind: SentenceKind,
        pub crime: String,
        pub court: String,
        pub judgment_number: String,
        pub start_date: NaiveDate,
        pub end_date: NaiveDate,
        pub residence: Residence,
        pub minor: bool,
        #[serde(default)]
        pub prohibition_orders: Vec<String>,
        pub unit_id: Uuid,
        #[serde(default)]
        pub officer_id: Option<Uuid>,
    }
}

view_type! {
    /// One row of a caseload list. A minor's name and id are masked here for everyone.
    pub struct CaseSummaryView {
        pub id: Uuid,
        pub name: String,
        pub national_id_masked: String,
        pub minor: bool,
        pub sentence_kind: SentenceKind,
        pub status: CaseStatus,
        pub level: SupervisionLevel,
        pub unit_id: Uuid,
        pub officer_id: Option<Uuid>,
        pub start_date: NaiveDate,
        pub end_date: NaiveDate,
    }
}

view_type! {
    pub struct CaseView {
        pub id: Uuid,
        pub name: String,
        pub national_id_masked: String,
        pub gender: Option<String>,
        pub minor: bool,
        pub sentence_kind: SentenceKind,
        pub crime: String,
        pub court: String,
        pub judgment_number: String,
        pub start_date: NaiveDate,
        pub end_date: NaiveDate,
        pub residence: Residence,
        pub prohibition_orders: Vec<String>,
        pub unit_id: Uuid,
        pub officer_id: Option<Uuid>,
        pub status: CaseStatus,
        pub level: SupervisionLevel,
        pub user_id: Option<Uuid>,
        pub announced_at: Option<DateTime<Utc>>,
        pub announced_by: Option<Uuid>,
        pub created_at: DateTime<Utc>,
        pub version: i32,
    }
}

request_type! {
    pub struct AnnounceRequest {
        /// Where the announcement (入矫宣告) took place.
        pub place: String,
        /// Who else attended (family, village committee…).
        #[serde(default)]
        pub attendees: Vec<String>,
    }
}

request_type! {
    pub struct IssueLoginRequest {
        pub username: String,
    }
}

view_type! {
    /// The one-time initial password is shown once, to the officer at intake.
    pub struct IssuedLoginView {
        pub user_id: Uuid,
        pub username: String,
        pub initial_password: String,
    }
}

request_type! {
    pub struct LevelChangeRequest {
        pub level: SupervisionLevel,
        pub reason: String,
    }
}

view_type! {
    pub struct LevelChangeView {
        pub id: Uuid,
        pub from_level: Option<SupervisionLevel>,
        pub to_level: SupervisionLevel,
        pub reason: String,
        pub changed_by: Uuid,
        pub changed_at: DateTime<Utc>,
    }
}

request_type! {
    pub struct StatusChangeRequest {
        pub status: CaseStatus,
        pub reason: String,
    }
}

request_type! {
    pub struct PlanUpdateRequest {
        /// The version this edit is based on (0 for the first plan): a stale screen gets a
        /// `plan.version_conflict` instead of overwriting someone else's edit.
        pub base_version: i32,
        pub text: String,
        pub measures: Vec<String>,
    }
}

view_type! {
    pub struct PlanView {
        pub case_id: Uuid,
        pub version: i32,
        pub text: String,
        pub measures: Vec<String>,
        pub created_by: Uuid,
        pub created_at: DateTime<Utc>,
    }
}

request_type! {
    pub struct TeamMemberRequest {
        pub kind: TeamMemberKind,
        /// For officers, volunteers and social workers: their user account.
        #[serde(default)]
        pub user_id: Option<Uuid>,
        pub name: String,
        #[serde(default)]
        pub phone: Option<String>,
        #[serde(default)]
        pub relation: Option<String>,
    }
}

view_type! {
    pub struct TeamMemberView {
        pub id: Uuid,
        pub kind: TeamMemberKind,
        pub user_id: Option<Uuid>,
        pub name: String,
        pub phone: Option<String>,
        pub relation: Option<String>,
        pub added_at: DateTime<Utc>,
    }
}

// ---- pre-sentence investigations ----------------------------------------------------------

request_type! {
    pub struct InvestigationCreateRequest {
        pub unit_id: Uuid,
        pub court: String,
        pub defendant_name: String,
        pub defendant_national_id: String,
        pub minor: bool,
        pub charge: String,
        pub requested_on: NaiveDate,
        pub due_on: NaiveDate,
    }
}

request_type! {
    pub struct InvestigationOpinionRequest {
        pub opinion: InvestigationOpinion,
        pub text: String,
    }
}

view_type! {
    pub struct InvestigationView {
        pub id: Uuid,
        pub unit_id: Uuid,
        pub court: String,
        pub defendant_name: String,
        pub defendant_national_id_masked: String,
        pub minor: bool,
        pub charge: String,
        pub requested_on: NaiveDate,
        pub due_on: NaiveDate,
        pub status: InvestigationStatus,
        pub opinion: Option<InvestigationOpinion>,
        pub opinion_text: Option<String>,
        pub filed_by: Option<Uuid>,
        pub filed_at: Option<DateTime<Utc>>,
    }
}

// ---- audit ------------------------------------------------------------------------------

view_type! {
    pub struct AuditEntryView {
        pub seq: i64,
        pub at: DateTime<Utc>,
        pub actor_id: Option<Uuid>,
        pub actor_role: Option<String>,
        pub action: String,
        pub target_kind: String,
        pub target_id: Option<String>,
        pub ip: Option<String>,
        pub request_id: Option<String>,
        pub detail: serde_json::Value,
        pub hash: String,
    }
}

view_type! {
    pub struct AuditVerifyView {
        pub ok: bool,
        pub checked: i64,
        /// The first entry whose hash does not match its content or its predecessor.
        pub first_broken_seq: Option<i64>,
    }
}

view_type! {
    pub struct HealthView {
        pub status: String,
        pub version: String,
    }
}

// ---- leave requests -----------------------------------------------------------------------

view_type! {
    pub struct Place {
        pub name: String,
        pub lat: f64,
        pub lon: f64,
    }
}

request_type! {
    pub struct LeaveCreateRequest {
        pub reason_category: LeaveReason,
        pub reason_text: String,
        pub destination: Place,
        pub start_date: NaiveDate,
        /// Ignored for a standing approval (it runs for the jurisdiction's standing period).
        pub end_date: NaiveDate,
        /// How to reach the supervisee while away.
        pub contact_while_away: String,
        /// Less than the notice period before leaving: allowed only marked urgent, and flagged.
        #[serde(default)]
        pub urgent: bool,
        /// A standing approval for frequent cross-city work.
        #[serde(default)]
        pub standing: bool,
        /// Submit at once (otherwise a draft).
        #[serde(default)]
        pub submit: bool,
    }
}

request_type! {
    pub struct LeaveDecisionRequest {
        /// The version the officer saw: a decision on a changed request is refused.
        pub version: i32,
        pub opinion: String,
    }
}

request_type! {
    pub struct LeaveExtendRequest {
        pub new_end_date: NaiveDate,
        pub reason_text: String,
    }
}

view_type! {
    pub struct LeaveStepView {
        pub action: String,
        pub actor_id: Option<Uuid>,
        pub level: Option<crate::policy::leave::ApprovalLevel>,
        pub opinion: Option<String>,
        pub at: DateTime<Utc>,
    }
}

view_type! {
    pub struct LeaveView {
        pub id: Uuid,
        pub case_id: Uuid,
        /// For an extension: the leave it extends.
        pub parent_id: Option<Uuid>,
        pub reason_category: LeaveReason,
        pub reason_text: String,
        pub destination: Place,
        pub start_date: NaiveDate,
        pub end_date: NaiveDate,
        pub days: i32,
        pub window_total_days: i32,
        pub required_level: crate::policy::leave::ApprovalLevel,
        pub urgent: bool,
        pub late_notice: bool,
        pub standing: bool,
        pub contact_while_away: String,
        pub status: LeaveStatus,
        pub version: i32,
        pub steps: Vec<LeaveStepView>,
        /// For an overdue leave: the sanction the rules suggest.
        pub sanction_suggestion: Option<crate::policy::leave::SanctionSuggestion>,
    }
}

// ---- relocation and visitor requests ------------------------------------------------------

request_type! {
    pub struct RelocationCreateRequest {
        /// The judicial office (or county agency) of the new place.
        pub to_unit_id: Uuid,
        pub new_residence: Residence,
        pub move_date: NaiveDate,
        pub reason: String,
    }
}

request_type! {
    pub struct ConsultationRequest {
        pub version: i32,
        pub agree: bool,
        pub opinion: String,
    }
}

view_type! {
    pub struct RelocationView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub from_unit_id: Uuid,
        pub to_unit_id: Uuid,
        pub new_residence: Residence,
        pub move_date: NaiveDate,
        pub reason: String,
        pub status: RequestStatus,
        pub consulted_by: Option<Uuid>,
        pub consultation_agrees: Option<bool>,
        pub consultation_opinion: Option<String>,
        pub decided_by: Option<Uuid>,
        pub decision_opinion: Option<String>,
        pub version: i32,
    }
}

request_type! {
    pub struct VisitorCreateRequest {
        pub visitor_name: String,
        pub relation: crate::policy::requests::VisitorRelation,
        pub meeting_at: DateTime<Utc>,
        pub place: String,
        pub purpose: String,
    }
}

view_type! {
    pub struct VisitorView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub visitor_name: String,
        pub relation: crate::policy::requests::VisitorRelation,
        pub meeting_at: DateTime<Utc>,
        pub place: String,
        pub purpose: String,
        /// `recorded` when no approval is needed.
        pub status: RequestStatus,
        pub decided_by: Option<Uuid>,
        pub decision_opinion: Option<String>,
        pub version: i32,
    }
}

// ---- face enrolment, check-ins, alerts ----------------------------------------------------

request_type! {
    pub struct FaceEnrolRequest {
        /// 1–5 reference photos taken at the office, JPEG or PNG, base64.
        pub photos: Vec<String>,
    }
}

view_type! {
    pub struct FaceTemplateView {
        pub version: i32,
        pub reference_count: i32,
        pub model: String,
        pub created_by: Uuid,
        pub created_at: DateTime<Utc>,
    }
}

view_type! {
    /// A single-use code binding the next check-in to this supervisee and phone.
    pub struct ChallengeView {
        pub nonce: String,
        pub expires_at: DateTime<Utc>,
    }
}

view_type! {
    pub struct GpsFix {
        pub lat: f64,
        pub lon: f64,
        /// Horizontal accuracy, metres.
        pub accuracy_m: f64,
        pub fix_time: DateTime<Utc>,
        /// gps, network, fused…
        pub provider: String,
        /// The OS reports a mock-location provider.
        pub mock: bool,
    }
}

request_type! {
    pub struct CheckinRequest {
        pub nonce: String,
        /// The selfie, JPEG or PNG, base64.
        pub photo: String,
        pub location: GpsFix,
        pub app_version: String,
        /// Chosen by the app per check-in; sending it again returns the first result.
        pub idempotency_key: String,
    }
}

view_type! {
    pub struct CheckinView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub result: crate::policy::checkin::CheckinResult,
        pub reasons: Vec<crate::policy::checkin::CheckinReason>,
        /// Face distance to the enrolled template (lower is closer; dlib threshold 0.6).
        pub face_distance: Option<f64>,
        pub created_at: DateTime<Utc>,
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
        pub note: String,
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

request_type! {
    pub struct SensitivePeriodRequest {
        pub name: String,
        pub start_date: NaiveDate,
        pub end_date: NaiveDate,
    }
}

view_type! {
    pub struct SensitivePeriodView {
        pub id: Uuid,
        pub name: String,
        pub start_date: NaiveDate,
        pub end_date: NaiveDate,
    }
}

view_type! {
    /// What the supervisee must do now, from the jurisdiction policy.
    pub struct ObligationsView {
        pub level: SupervisionLevel,
        /// One stricter during a sensitive period.
        pub effective_level: SupervisionLevel,
        pub in_sensitive_period: bool,
        pub checkin_every_days: u32,
        pub location_interval_minutes: u32,
        pub window: crate::policy::schedule::Window,
        pub window_closes_at: DateTime<Utc>,
        /// A passed check-in already counts for the current window.
        pub window_met: bool,
    }
}

request_type! {
    pub struct CheckinRequestCreate {
        /// Minutes the supervisee has; default by level (strict 30, normal 60, lenient 120).
        #[serde(default)]
        pub deadline_minutes: Option<i64>,
    }
}

view_type! {
    pub struct CheckinRequestView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub requested_by: Option<Uuid>,
        pub deadline: DateTime<Utc>,
        /// open, met, missed.
        pub status: String,
        pub checkin_id: Option<Uuid>,
    }
}

request_type! {
    pub struct AttachmentUpload {
        /// medical, employer, school, legal, other.
        pub kind: String,
        /// image/jpeg, image/png or application/pdf; must match the content.
        pub content_type: String,
        /// The file, base64 (at most 10 MB decoded).
        pub content: String,
    }
}

view_type! {
    pub struct AttachmentView {
        pub id: Uuid,
        pub kind: String,
        pub content_type: String,
        pub size: i64,
        pub uploaded_by: Uuid,
        pub uploaded_at: DateTime<Utc>,
    }
}

request_type! {
    /// One fix from the phone.
    pub struct LocationPointIn {
        pub lat: f64,
        pub lon: f64,
        /// Metres, as the platform reports it.
        pub accuracy_m: f64,
        pub fix_time: DateTime<Utc>,
        #[serde(default)]
        pub speed_mps: Option<f64>,
        pub provider: LocationProvider,
        /// The platform says the fix came from a mock (fake) location provider.
        pub mock: bool,
        /// Percent, 0–100.
        #[serde(default)]
        pub battery: Option<u8>,
    }
}

request_type! {
    pub struct LocationBatchRequest {
        /// Chosen by the phone once per batch: a retry with the same id stores nothing twice.
        pub batch_id: Uuid,
        pub points: Vec<LocationPointIn>,
    }
}

view_type! {
    pub struct LocationBatchResult {
        pub batch_id: Uuid,
        pub accepted: u32,
        /// This batch had been delivered before; nothing was stored again.
        pub duplicate: bool,
        /// Minutes until the next report, from the supervision level in force.
        pub interval_minutes: u32,
    }
}

request_type! {
    /// A fence for one supervisee (optionally under one of their prohibition orders) or for
    /// everyone in a unit. Exactly one of `case_id` and `unit_id`.
    pub struct FenceRequest {
        pub name: String,
        pub kind: FenceKind,
        pub shape: crate::policy::location::FenceShape,
        #[serde(default)]
        pub schedule: crate::policy::location::FenceSchedule,
        #[serde(default)]
        pub case_id: Option<Uuid>,
        /// Index into the case's prohibition orders (禁止令) this zone enforces.
        #[serde(default)]
        pub prohibition_order: Option<u32>,
        #[serde(default)]
        pub unit_id: Option<Uuid>,
    }
}

request_type! {
    /// Redraws a fence; its kind and owner stay.
    pub struct FenceUpdateRequest {
        /// The version the officer saw; a stale screen gets `resource.conflict`.
        pub version: i32,
        pub name: String,
        pub shape: crate::policy::location::FenceShape,
        #[serde(default)]
        pub schedule: crate::policy::location::FenceSchedule,
    }
}

view_type! {
    pub struct FenceView {
        pub id: Uuid,
        pub name: String,
        pub kind: FenceKind,
        pub shape: crate::policy::location::FenceShape,
        pub schedule: crate::policy::location::FenceSchedule,
        pub case_id: Option<Uuid>,
        pub prohibition_order: Option<u32>,
        pub unit_id: Option<Uuid>,
        /// In force at the time of the answer (schedule and date range).
        pub active_now: bool,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
        pub archived_at: Option<DateTime<Utc>>,
        pub version: i32,
    }
}

view_type! {
    pub struct TrackPoint {
        pub lat: f64,
        pub lon: f64,
        pub accuracy_m: f64,
        pub fix_time: DateTime<Utc>,
        pub mock: bool,
    }
}

view_type! {
    pub struct TrackView {
        pub case_id: Uuid,
        /// Points stored in the range before simplification.
        pub total_points: u64,
        /// The simplified polyline, in time order.
        pub points: Vec<TrackPoint>,
        /// The range held more points than one answer reads: narrow it.
        pub truncated: bool,
    }
}

view_type! {
    pub struct PositionView {
        pub case_id: Uuid,
        /// Masked for minors.
        pub name: String,
        pub lat: f64,
        pub lon: f64,
        pub accuracy_m: f64,
        pub fix_time: DateTime<Utc>,
        pub received_at: DateTime<Utc>,
        pub battery: Option<u8>,
        pub mock: bool,
        /// No report for longer than the level allows (失联).
        pub silent: bool,
    }
}

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
