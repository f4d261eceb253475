//! The monthly assessment (月度考核): the draft the system makes from the month's facts, and
//! the officer's confirmation with any line changed for a reason.

use super::*;
use crate::policy::assessment::{AssessmentFact, AssessmentGrade, AssessmentLine};

request_type! {
    /// An officer's change to one line: the points it should take, and why.
    pub struct AssessmentAdjustment {
        pub fact: AssessmentFact,
        #[cfg_attr(feature = "openapi", schema(maximum = 100))]
        pub points: u32,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
        pub reason: String,
    }
}

request_type! {
    /// An officer of the case confirms a month that is over, with any line changed.
    pub struct AssessmentConfirm {
        /// `YYYY-MM`, China time.
        pub month: String,
        #[cfg_attr(feature = "openapi", schema(max_items = 13))]
        pub adjustments: Vec<AssessmentAdjustment>,
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        pub note: Option<String>,
    }
}

view_type! {
    pub struct AssessmentView {
        pub case_id: Uuid,
        /// `YYYY-MM`, China time.
        pub month: String,
        pub lines: Vec<AssessmentLine>,
        pub score: u32,
        pub grade: AssessmentGrade,
        /// The level in force when it was made.
        pub level: SupervisionLevel,
        /// The level it proposes; the officer applies it (`POST /cases/{id}/levels`).
        pub proposed_level: Option<SupervisionLevel>,
        pub note: Option<String>,
        /// Empty for a draft.
        pub confirmed_by: Option<Uuid>,
        pub confirmed_at: Option<DateTime<Utc>>,
    }
}
