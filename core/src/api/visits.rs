//! Field work: home visits, talks and in-person reports at the office, as an officer records
//! them, and when the next ones are due.

use super::*;
use crate::policy::visits::VisitKind;

request_type! {
    /// A visit, talk or office report, as the officer's app records it (through the outbox
    /// when offline).
    pub struct VisitNew {
        /// Made by the app when the record is written, so a resend is the same record.
        pub id: Uuid,
        pub kind: VisitKind,
        /// When it took place; recorded within `rules.visits.record_within_days`.
        pub at: DateTime<Utc>,
        /// Where the officer's phone was. Required for a home visit, which must be at the
        /// registered residence.
        pub place: Option<GpsFix>,
        /// For an office report: the passed face check-in the person made at the office.
        pub checkin_id: Option<Uuid>,
        /// Who was met, each in a few words ("本人", "母亲 王某").
        #[cfg_attr(feature = "openapi", schema(max_items = 20))]
        pub met: Vec<String>,
        /// What was seen and said.
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 5000))]
        pub findings: String,
        /// Risks seen (the six kinds); any raises an alert for the case's officers.
        #[cfg_attr(feature = "openapi", schema(max_items = 6))]
        pub risks: Vec<RiskFactor>,
    }
}

view_type! {
    pub struct VisitView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub kind: VisitKind,
        pub officer_id: Uuid,
        pub officer_name: String,
        pub at: DateTime<Utc>,
        pub place: Option<GpsFix>,
        /// A home visit's distance from the registered residence, metres.
        pub distance_m: Option<u32>,
        pub checkin_id: Option<Uuid>,
        pub met: Vec<String>,
        pub findings: String,
        pub risks: Vec<RiskFactor>,
        /// The alert the risks raised, if any.
        pub alert_id: Option<Uuid>,
        /// The photos taken on it (`GET /visits/{id}/photos/{photo_id}`), oldest first.
        #[serde(default)]
        pub photo_ids: Vec<Uuid>,
        pub created_at: DateTime<Utc>,
    }
}

request_type! {
    /// A photo taken on a visit (the home, a document shown), added after the visit is
    /// recorded.
    pub struct VisitPhotoNew {
        /// image/jpeg or image/png; must match the content.
        pub content_type: String,
        /// The image, base64 (at most 5 MB decoded).
        pub content: String,
    }
}

view_type! {
    pub struct VisitPhotoView {
        pub id: Uuid,
        pub visit_id: Uuid,
        pub content_type: String,
        pub size: u64,
        pub created_at: DateTime<Utc>,
    }
}
