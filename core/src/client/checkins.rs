//! Face enrolment, check-ins, obligations, sensitive periods, check-in requests. One `impl Client` block per domain; the transport is in `mod.rs`.

use super::*;

impl Client {
    pub async fn obligations(&self, case_id: Uuid) -> Result<ObligationsView, ClientError> {
        self.get(&format!("/cases/{case_id}/obligations")).await
    }

    pub async fn checkin_challenge(&self) -> Result<ChallengeView, ClientError> {
        self.post("/checkins/challenge", &serde_json::json!({}))
            .await
    }

    pub async fn submit_checkin(&self, req: &CheckinRequest) -> Result<CheckinView, ClientError> {
        self.post("/checkins", req).await
    }

    /// Enrols the supervisee's face from 1–5 reference photos (base64 JPEG or PNG).
    pub async fn enrol_face(
        &self,
        case_id: Uuid,
        req: &FaceEnrolRequest,
    ) -> Result<FaceTemplateView, ClientError> {
        self.post(&format!("/cases/{case_id}/face"), req).await
    }

    /// The declared sensitive periods (重大节会).
    pub async fn sensitive_periods(&self) -> Result<Vec<SensitivePeriodView>, ClientError> {
        self.get("/sensitive-periods").await
    }

    pub fn checkins_of(&self, case_id: Uuid) -> Pages<'_, CheckinView> {
        Pages::new(self, format!("/cases/{case_id}/checkins"))
    }

    /// The selfie of a check-in (officers; the read is audited).
    pub async fn checkin_photo(&self, id: Uuid) -> Result<Vec<u8>, ClientError> {
        self.bytes(&format!("/checkins/{id}/photo")).await
    }

    pub fn checkin_requests_of(&self, case_id: Uuid) -> Pages<'_, CheckinRequestView> {
        Pages::new(self, format!("/cases/{case_id}/checkin-requests"))
    }

    /// Asks for an unscheduled check-in.
    pub async fn request_checkin(
        &self,
        case_id: Uuid,
        req: &CheckinRequestCreate,
    ) -> Result<CheckinRequestView, ClientError> {
        self.call(
            Method::POST,
            &format!("/cases/{case_id}/checkin-requests"),
            Some(req),
        )
        .await
    }

    /// One check-in (the person's own, or an officer's of the case).
    pub async fn checkin(&self, id: Uuid) -> Result<CheckinView, ClientError> {
        self.get(&format!("/checkins/{id}")).await
    }

    /// An officer's decision on a check-in that needs review.
    pub async fn review_checkin(
        &self,
        id: Uuid,
        req: &CheckinReviewRequest,
    ) -> Result<CheckinView, ClientError> {
        self.post(&format!("/checkins/{id}/review"), req).await
    }

    /// The case's check-in tries today (how many the person may still fail).
    pub async fn checkin_tries(&self, case_id: Uuid) -> Result<CheckinTriesView, ClientError> {
        self.get(&format!("/cases/{case_id}/checkin-tries")).await
    }

    /// Gives the person the day's check-in tries back (audited).
    pub async fn reset_checkin_tries(
        &self,
        case_id: Uuid,
        req: &CheckinTriesReset,
    ) -> Result<CheckinTriesView, ClientError> {
        self.post(&format!("/cases/{case_id}/checkin-tries/reset"), req)
            .await
    }

    pub async fn face_history(&self, case_id: Uuid) -> Result<Vec<FaceTemplateView>, ClientError> {
        self.get(&format!("/cases/{case_id}/face")).await
    }

    pub async fn declare_sensitive_period(
        &self,
        req: &SensitivePeriodRequest,
    ) -> Result<SensitivePeriodView, ClientError> {
        self.call(Method::POST, "/sensitive-periods", Some(req))
            .await
    }
}
