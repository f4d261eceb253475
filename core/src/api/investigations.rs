//! Pre-sentence investigations (调查评估).

use super::*;

request_type! {
    pub struct InvestigationCreateRequest {
        pub unit_id: Uuid,
        #[cfg_attr(feature = "openapi", schema(max_length = 200))]
        pub court: String,
        #[cfg_attr(feature = "openapi", schema(max_length = 100))]
        pub defendant_name: String,
        pub defendant_national_id: String,
        pub minor: bool,
        #[cfg_attr(feature = "openapi", schema(max_length = 500))]
        pub charge: String,
        pub requested_on: NaiveDate,
        pub due_on: NaiveDate,
    }
}

request_type! {
    pub struct InvestigationOpinionRequest {
        pub opinion: InvestigationOpinion,
        #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
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
