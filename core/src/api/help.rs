//! Help sessions (帮教记录) logged by a case's volunteers and social workers, the officers'
//! review of them, and the volunteer service record (志愿服务记录).

use super::*;
use crate::policy::help::HelpStatus;

request_type! {
    /// A help session, as the volunteer's app logs it (through the outbox when offline).
    pub struct HelpSessionNew {
        /// Made by the app when the session is written, so a resend is the same session.
        pub id: Uuid,
        /// When the session began; it is logged once over, within 31 days.
        pub began_at: DateTime<Utc>,
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 720))]
        pub minutes: u32,
        pub kind: HelpKind,
        /// Where it took place, when the phone had a fix.
        pub place: Option<GpsFix>,
        /// What was done and said.
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 5000))]
        pub notes: String,
        /// Risks seen (the six kinds); any raises an alert for the case's officers.
        #[cfg_attr(feature = "openapi", schema(max_items = 6))]
        pub risks: Vec<RiskFactor>,
        /// What should happen next, when something should.
        #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
        pub follow_up: Option<String>,
    }
}

request_type! {
    /// The author's correction of a returned session: the whole session again.
    pub struct HelpSessionAmend {
        pub began_at: DateTime<Utc>,
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 720))]
        pub minutes: u32,
        pub kind: HelpKind,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 5000))]
        pub notes: String,
        #[cfg_attr(feature = "openapi", schema(max_items = 6))]
        pub risks: Vec<RiskFactor>,
        #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
        pub follow_up: Option<String>,
        /// The version the author corrected.
        pub version: i32,
    }
}

request_type! {
    /// An officer of the case confirms a session (its time counts in the volunteer's service
    /// record) or returns it with what to correct, at the version seen.
    pub struct HelpSessionReview {
        pub confirm: bool,
        /// Required when returning.
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        pub note: Option<String>,
        pub version: i32,
    }
}

request_type! {
    pub struct HelpCommentNew {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
        pub text: String,
    }
}

view_type! {
    pub struct HelpCommentView {
        pub id: Uuid,
        pub author_id: Uuid,
        pub author_role: Role,
        pub text: String,
        pub at: DateTime<Utc>,
    }
}

view_type! {
    pub struct HelpSessionView {
        pub id: Uuid,
        pub case_id: Uuid,
        /// The volunteer or social worker who logged it.
        pub author_id: Uuid,
        pub author_name: String,
        pub began_at: DateTime<Utc>,
        pub minutes: u32,
        pub kind: HelpKind,
        pub place: Option<GpsFix>,
        pub notes: String,
        pub risks: Vec<RiskFactor>,
        pub follow_up: Option<String>,
        pub status: HelpStatus,
        pub reviewed_by: Option<Uuid>,
        pub reviewed_at: Option<DateTime<Utc>>,
        /// The officer's note when returning (or confirming with a remark).
        pub review_note: Option<String>,
        /// The alert its risk flags raised.
        pub alert_id: Option<Uuid>,
        pub comments: Vec<HelpCommentView>,
        pub version: i32,
        pub created_at: DateTime<Utc>,
    }
}

view_type! {
    pub struct HelpKindMinutes {
        pub kind: HelpKind,
        pub minutes: u32,
    }
}

view_type! {
    /// A month of a volunteer's service record: confirmed sessions only.
    pub struct ServiceMonthView {
        /// `YYYY-MM`, China time.
        pub month: String,
        pub minutes: u32,
        pub sessions: u32,
        pub by_kind: Vec<HelpKindMinutes>,
    }
}

view_type! {
    /// A volunteer's service record (志愿服务记录) for a year: hours the unit confirmed, by
    /// month and kind.
    pub struct ServiceRecordView {
        pub volunteer_id: Uuid,
        pub name: String,
        pub unit_id: Option<Uuid>,
        pub year: i32,
        pub months: Vec<ServiceMonthView>,
        pub total_minutes: u32,
        /// Sessions logged and not yet confirmed (not in the totals).
        pub waiting: u32,
    }
}

view_type! {
    /// A unit's correction teams against the seeds' target of one volunteer or social worker
    /// per two supervisees (active cases of the unit and the units under it).
    pub struct HelperCoverageView {
        pub unit_id: Uuid,
        pub unit_name: String,
        pub supervisees: u32,
        /// Distinct volunteers and social workers with an account on those cases' teams.
        pub helpers: u32,
        /// Active cases with no volunteer or social worker on their team.
        pub without_helper: u32,
        pub target_met: bool,
    }
}

request_type! {
    /// The months a certificate covers (China time, both included).
    pub struct CertificateIssue {
        /// `YYYY-MM`.
        pub from_month: String,
        /// `YYYY-MM`, not before `from_month`, not after this month.
        pub to_month: String,
    }
}

view_type! {
    /// A volunteer service certificate (志愿服务证明), as issued: the confirmed help of the
    /// months it covers. `GET /certificates/{number}/pdf` is the document.
    pub struct CertificateView {
        /// What is printed on it and what a checker types in.
        pub number: String,
        pub volunteer_id: Uuid,
        pub volunteer_name: String,
        pub unit_id: Uuid,
        pub unit_name: String,
        pub from_month: String,
        pub to_month: String,
        pub minutes: u32,
        pub sessions: u32,
        pub by_kind: Vec<HelpKindMinutes>,
        pub issued_by: Uuid,
        pub issued_at: DateTime<Utc>,
    }
}

view_type! {
    /// What anyone holding a certificate's number can check: that it was issued, by whom,
    /// for how much; the name partly masked (the holder's paper has it whole).
    pub struct CertificateCheckView {
        pub number: String,
        pub volunteer_name_masked: String,
        pub unit_name: String,
        pub from_month: String,
        pub to_month: String,
        pub minutes: u32,
        pub issued_at: DateTime<Utc>,
    }
}
