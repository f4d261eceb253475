//! The monthly assessment (月度考核): drafts, confirmations, the confirmed months.
//! (`HuijiaoClient::assessments()`)

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use uuid::Uuid;

use crate::Result;

/// The monthly assessment. (`HuijiaoClient::assessments()`)
#[derive(uniffi::Object)]
pub struct AssessmentsClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl AssessmentsClient {
    /// What the system makes of a month (`YYYY-MM`) from its facts (officers).
    pub async fn draft(&self, case_id: Uuid, month: String) -> Result<AssessmentView> {
        Ok(self.inner.assessment_draft(case_id, &month).await?)
    }

    /// An officer of the case confirms a month that is over, with any line changed.
    pub async fn confirm(
        &self,
        case_id: Uuid,
        confirm: AssessmentConfirm,
    ) -> Result<AssessmentView> {
        Ok(self.inner.confirm_assessment(case_id, &confirm).await?)
    }

    /// A case's confirmed months, newest first (the person: their own).
    pub async fn of_case(&self, case_id: Uuid) -> Result<Vec<AssessmentView>> {
        Ok(self.inner.case_assessments(case_id).await?)
    }
}
