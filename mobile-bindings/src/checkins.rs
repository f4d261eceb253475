//! Face enrolment, check-ins, obligations, sensitive periods and check-in requests.

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use uuid::Uuid;

use crate::Result;

crate::page_record!(CheckinPage, CheckinView);

/// Face enrolment, check-ins, obligations, sensitive periods and check-in requests. (`HuijiaoClient::checkins()`)
#[derive(uniffi::Object)]
pub struct CheckinsClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl CheckinsClient {
    /// What the case must do now, including the reporting interval of the level in force.
    pub async fn obligations(&self, case_id: Uuid) -> Result<ObligationsView> {
        Ok(self.inner.obligations(case_id).await?)
    }

    /// Starts a check-in: a single-use code and the head poses to photograph for it, in
    /// order (the first is always `Straight`). Show the instructions, take one photo per pose.
    pub async fn challenge(&self) -> Result<ChallengeView> {
        Ok(self.inner.checkin_challenge().await?)
    }

    /// Sends a check-in for a code from `challenge`: the straight photo, one frame for each
    /// further pose (JPEG or PNG bytes, as the camera sees them, not mirrored) and the fix.
    /// A frame that does not show its pose is `Validation { field: "frames[0]", … }`
    /// (`liveness.pose_not_met`): ask again and retake.
    pub async fn check_in(
        &self,
        nonce: String,
        photo: Vec<u8>,
        frames: Vec<Vec<u8>>,
        location: GpsFix,
        app_version: String,
    ) -> Result<CheckinView> {
        use base64::Engine;
        let b64 = |p: &[u8]| base64::engine::general_purpose::STANDARD.encode(p);
        let req = CheckinRequest {
            nonce,
            photo: b64(&photo),
            frames: frames.iter().map(|f| b64(f)).collect(),
            location,
            app_version,
            idempotency_key: Uuid::new_v4().to_string(),
        };
        Ok(self.inner.submit_checkin(&req).await?)
    }

    /// Enrols a supervisee's face from 1–5 reference photos (JPEG or PNG bytes).
    pub async fn enrol_face(
        &self,
        case_id: Uuid,
        photos: Vec<Vec<u8>>,
    ) -> Result<FaceTemplateView> {
        use base64::Engine;
        let req = FaceEnrolRequest {
            photos: photos
                .iter()
                .map(|p| base64::engine::general_purpose::STANDARD.encode(p))
                .collect(),
        };
        Ok(self.inner.enrol_face(case_id, &req).await?)
    }

    /// The declared sensitive periods (重大节会).
    pub async fn sensitive_periods(&self) -> Result<Vec<SensitivePeriodView>> {
        Ok(self.inner.sensitive_periods().await?)
    }

    /// A case's check-ins, newest first.
    pub async fn checkins_of(&self, case_id: Uuid) -> Result<Vec<CheckinView>> {
        Ok(self.inner.checkins_of(case_id).await?)
    }

    /// One page of it: the first, or the one after `after` (a page's `next`), of `limit` items
    /// (1–500; default 100).
    pub async fn checkins_of_page(
        &self,
        case_id: Uuid,
        after: Option<String>,
        limit: Option<u64>,
    ) -> Result<CheckinPage> {
        Ok(self
            .inner
            .checkins_of(case_id)
            .after(after)
            .limit(limit)
            .page()
            .await?
            .into())
    }

    /// The selfie of a check-in (officers; the read is audited).
    pub async fn checkin_photo(&self, id: Uuid) -> Result<Vec<u8>> {
        Ok(self.inner.checkin_photo(id).await?)
    }

    pub async fn checkin_requests_of(&self, case_id: Uuid) -> Result<Vec<CheckinRequestView>> {
        Ok(self.inner.checkin_requests_of(case_id).await?)
    }

    /// Asks for an unscheduled check-in.
    pub async fn request_checkin(
        &self,
        case_id: Uuid,
        req: CheckinRequestCreate,
    ) -> Result<CheckinRequestView> {
        Ok(self.inner.request_checkin(case_id, &req).await?)
    }

    /// One check-in (the person's own, or an officer's of the case).
    pub async fn checkin(&self, id: Uuid) -> Result<CheckinView> {
        Ok(self.inner.checkin(id).await?)
    }

    /// An officer's decision on a check-in that needs review.
    pub async fn review_checkin(&self, id: Uuid, req: CheckinReviewRequest) -> Result<CheckinView> {
        Ok(self.inner.review_checkin(id, &req).await?)
    }

    /// The case's check-in tries today.
    pub async fn checkin_tries(&self, case_id: Uuid) -> Result<CheckinTriesView> {
        Ok(self.inner.checkin_tries(case_id).await?)
    }

    /// Gives the person the day's check-in tries back (audited).
    pub async fn reset_checkin_tries(
        &self,
        case_id: Uuid,
        req: CheckinTriesReset,
    ) -> Result<CheckinTriesView> {
        Ok(self.inner.reset_checkin_tries(case_id, &req).await?)
    }

    pub async fn face_history(&self, case_id: Uuid) -> Result<Vec<FaceTemplateView>> {
        Ok(self.inner.face_history(case_id).await?)
    }

    pub async fn declare_sensitive_period(
        &self,
        req: SensitivePeriodRequest,
    ) -> Result<SensitivePeriodView> {
        Ok(self.inner.declare_sensitive_period(&req).await?)
    }
}
