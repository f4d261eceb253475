//! Leave (外出), relocation (迁居) and visitor (会客) requests, and leave evidence.

use super::*;

/// The jurisdiction's rules as `GET /rules` serves them: the rules the apps assess with, and
/// every ground of sanction the measures give (with its article), so that an officer can
/// propose on one the advice did not suggest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RulesView {
    #[serde(flatten)]
    pub rules: crate::policy::JurisdictionRules,
    pub sanction_grounds: Vec<SanctionGroundView>,
}

view_type! {
    pub struct Place {
        #[cfg_attr(feature = "openapi", schema(max_length = 500))]
        pub name: String,
        pub lat: f64,
        pub lon: f64,
    }
}

request_type! {
    pub struct LeaveCreateRequest {
        pub reason_category: LeaveReason,
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        pub reason_text: String,
        pub destination: Place,
        pub start_date: NaiveDate,
        /// Ignored for a standing approval (it runs for the jurisdiction's standing period).
        pub end_date: NaiveDate,
        /// How to reach the supervisee while away.
        #[cfg_attr(feature = "openapi", schema(max_length = 200))]
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
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        pub opinion: String,
    }
}

request_type! {
    pub struct LeaveExtendRequest {
        pub new_end_date: NaiveDate,
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        pub reason_text: String,
    }
}

view_type! {
    pub struct LeaveStepView {
        pub action: String,
        pub actor_id: Option<Uuid>,
        pub level: Option<crate::policy::level::ApprovalLevel>,
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
        pub required_level: crate::policy::level::ApprovalLevel,
        pub urgent: bool,
        pub late_notice: bool,
        pub standing: bool,
        pub contact_while_away: String,
        pub status: LeaveStatus,
        pub version: i32,
        pub steps: Vec<LeaveStepView>,
        /// For an overdue leave: the sanction the rules suggest.
        pub sanction_suggestion: Option<crate::policy::sanctions::Sanction>,
    }
}

// ---- relocation and visitor requests ------------------------------------------------------

request_type! {
    pub struct RelocationCreateRequest {
        /// The judicial office (or county agency) of the new place.
        pub to_unit_id: Uuid,
        pub new_residence: Residence,
        pub move_date: NaiveDate,
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        pub reason: String,
    }
}

request_type! {
    pub struct ConsultationRequest {
        pub version: i32,
        pub agree: bool,
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
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
        #[cfg_attr(feature = "openapi", schema(max_length = 200))]
        pub visitor_name: String,
        pub relation: crate::policy::requests::VisitorRelation,
        pub meeting_at: DateTime<Utc>,
        #[cfg_attr(feature = "openapi", schema(max_length = 500))]
        pub place: String,
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
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
