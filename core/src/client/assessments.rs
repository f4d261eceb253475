//! The monthly assessment: a month's draft, the officer's confirmation, the confirmed months.

use super::*;

impl Client {
    /// What the system makes of a month from its facts (officers; nothing is stored).
    pub async fn assessment_draft(
        &self,
        case_id: Uuid,
        month: &str,
    ) -> Result<AssessmentView, ClientError> {
        self.get(&format!("/cases/{case_id}/assessments/draft?month={month}"))
            .await
    }

    /// An officer of the case confirms a month that is over, with any line changed.
    pub async fn confirm_assessment(
        &self,
        case_id: Uuid,
        req: &AssessmentConfirm,
    ) -> Result<AssessmentView, ClientError> {
        self.post(&format!("/cases/{case_id}/assessments"), req)
            .await
    }

    /// A case's confirmed months, newest first (the person: their own).
    pub async fn case_assessments(
        &self,
        case_id: Uuid,
    ) -> Result<Vec<AssessmentView>, ClientError> {
        self.get(&format!("/cases/{case_id}/assessments")).await
    }
}
