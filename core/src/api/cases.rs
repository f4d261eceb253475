//! Cases: intake, levels and status, plans, teams, devices.

use super::*;

view_type! {
    pub struct Residence {
        #[cfg_attr(feature = "openapi", schema(max_length = 500))]
        pub address: String,
        pub lat: f64,
        pub lon: f64,
    }
}

request_type! {
    pub struct CaseCreateRequest {
        #[cfg_attr(feature = "openapi", schema(max_length = 100))]
        pub name: String,
        pub national_id: String,
        pub gender: Option<String>,
        pub sentence_kind: SentenceKind,
        #[cfg_attr(feature = "openapi", schema(max_length = 500))]
        pub crime: String,
        #[cfg_attr(feature = "openapi", schema(max_length = 200))]
        pub court: String,
        #[cfg_attr(feature = "openapi", schema(max_length = 100))]
        pub judgment_number: String,
        pub start_date: NaiveDate,
        pub end_date: NaiveDate,
        pub residence: Residence,
        pub minor: bool,
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_items = 50))]
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
        /// When it was released, revoked or terminated (read-only since).
        #[serde(default)]
        pub closed_at: Option<DateTime<Utc>>,
        pub created_at: DateTime<Utc>,
        pub version: i32,
    }
}

request_type! {
    pub struct AnnounceRequest {
        /// Where the announcement (入矫宣告) took place.
        #[cfg_attr(feature = "openapi", schema(max_length = 500))]
        pub place: String,
        /// Who else attended (family, village committee…).
        #[serde(default)]
        pub attendees: Vec<String>,
    }
}

request_type! {
    /// The release at term end (解除社区矫正): where it was announced and who attended.
    pub struct ReleaseRequest {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
        pub place: String,
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_items = 20))]
        pub attendees: Vec<String>,
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        pub note: Option<String>,
    }
}

view_type! {
    /// A release and its certificate (解除社区矫正证明书).
    pub struct ReleaseView {
        pub case_id: Uuid,
        /// The certificate's number, `JC-<year>-…`.
        pub number: String,
        pub released_on: NaiveDate,
        pub place: String,
        pub attendees: Vec<String>,
        pub note: Option<String>,
        /// The county agency that issued it.
        pub unit_name: String,
        pub issued_by: Uuid,
        pub issued_at: DateTime<Utc>,
    }
}

request_type! {
    pub struct IssueLoginRequest {
        pub username: String,
    }
}

view_type! {
    /// The one-time password is shown once: to the officer at intake, or to whoever reset a
    /// forgotten one (it must be changed at the next sign-in).
    pub struct IssuedLoginView {
        pub user_id: Uuid,
        pub username: String,
        pub initial_password: String,
    }
}

request_type! {
    pub struct LevelChangeRequest {
        pub level: SupervisionLevel,
        #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
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
        #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
        pub reason: String,
    }
}

request_type! {
    pub struct PlanUpdateRequest {
        /// The version this edit is based on (0 for the first plan): a stale screen gets a
        /// `plan.version_conflict` instead of overwriting someone else's edit.
        pub base_version: i32,
        #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
        pub text: String,
        #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
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
        #[cfg_attr(feature = "openapi", schema(max_length = 200))]
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
        /// When taken off the team (in the `team_assignment` event that says so; the team
        /// list holds current members only).
        pub removed_at: Option<DateTime<Utc>>,
    }
}
