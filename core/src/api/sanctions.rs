//! Rewards and sanctions: what the facts support (with the measures' articles), proposals by
//! the case's officers, the county agency's decision, the person's acknowledgement.

use super::*;
use crate::policy::sanctions::{Sanction, SanctionStatus, TagGround};

view_type! {
    /// A ground of the measures, as shown with a suggestion or a decision.
    pub struct SanctionGroundView {
        pub code: String,
        pub sanction: Sanction,
        /// The article cited (实施办法第…条).
        pub article: String,
        pub en: String,
        pub zh: String,
    }
}

impl SanctionGroundView {
    /// The ground of `code` as shown; a ground a newer version wrote shows its code only.
    pub fn of(code: &str) -> SanctionGroundView {
        match crate::policy::sanctions::ground(code) {
            Some(g) => SanctionGroundView {
                code: g.code.to_owned(),
                sanction: g.sanction,
                article: g.article.to_owned(),
                en: g.en.to_owned(),
                zh: g.zh.to_owned(),
            },
            None => SanctionGroundView {
                code: code.to_owned(),
                sanction: Sanction::Unknown,
                article: String::new(),
                en: String::new(),
                zh: String::new(),
            },
        }
    }
}

view_type! {
    /// The facts the system sees about a person, and what they support, gravest first. The
    /// officer judges; nothing here is a decision.
    pub struct SanctionAdviceView {
        pub case_id: Uuid,
        /// The longest time away past an approved leave's end, still not back (days).
        pub days_out_of_supervision: u32,
        /// Admonitions and warnings in force.
        pub admonitions: u32,
        pub warnings: u32,
        /// The last two closed months both short of education: skipped after being told.
        pub education_skipped_after_told: bool,
        /// The last closed month's confirmed assessment, when there is one: the month, and
        /// the reporting-rule and prohibition-order breaches its lines show.
        #[serde(default)]
        pub assessed_month: Option<String>,
        #[serde(default)]
        pub rule_breach: Option<crate::policy::sanctions::Gravity>,
        #[serde(default)]
        pub prohibition_order_breach: Option<crate::policy::sanctions::Gravity>,
        pub suggestions: Vec<SanctionGroundView>,
        /// When there is no suggestion: why, and what would show more.
        #[serde(default)]
        pub notes: Vec<Remark>,
    }
}

request_type! {
    /// An officer of the case proposes, on one of the measures' grounds (its code), with the
    /// reason and the facts in their own words.
    pub struct SanctionProposal {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
        pub ground: String,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 5000))]
        pub reason: String,
    }
}

request_type! {
    /// The county agency's decision, at the version seen.
    pub struct SanctionDecision {
        pub approve: bool,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
        pub note: String,
        pub version: i32,
    }
}

view_type! {
    pub struct SanctionView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub sanction: Sanction,
        pub ground: SanctionGroundView,
        pub reason: String,
        pub status: SanctionStatus,
        pub proposed_by: Uuid,
        pub proposed_at: DateTime<Utc>,
        pub decided_by: Option<Uuid>,
        pub decided_at: Option<DateTime<Utc>>,
        pub decision_note: Option<String>,
        pub acknowledged_at: Option<DateTime<Utc>>,
        pub version: i32,
    }
}

request_type! {
    /// The county's decision to put an electronic tag on a person (law art. 29): on one of
    /// the law's grounds, for at most three months; a renewal names the order it continues.
    pub struct TagOrderNew {
        pub ground: TagGround,
        pub starts_on: NaiveDate,
        /// At most three calendar months after `starts_on`.
        pub ends_on: NaiveDate,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 5000))]
        pub reason: String,
        /// The order this one renews: it starts the day after that one ends.
        #[serde(default)]
        pub renews: Option<Uuid>,
    }
}

request_type! {
    /// Ending an order before its term (the reason it was needed has gone).
    pub struct TagOrderEnd {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
        pub reason: String,
    }
}

view_type! {
    pub struct TagOrderView {
        pub id: Uuid,
        pub case_id: Uuid,
        /// Ordered (it runs to `ends_on`) or ended early (`ended_at`, `end_reason`).
        pub status: crate::policy::sanctions::TagOrderStatus,
        pub version: i32,
        pub ground: TagGround,
        pub starts_on: NaiveDate,
        pub ends_on: NaiveDate,
        pub reason: String,
        pub renews: Option<Uuid>,
        pub decided_by: Uuid,
        pub decided_at: DateTime<Utc>,
        pub ended_at: Option<DateTime<Utc>>,
        pub end_reason: Option<String>,
        /// Raised once, `TAG_EXPIRY_NOTICE_DAYS` before the end.
        pub expiry_alert_id: Option<Uuid>,
    }
}
