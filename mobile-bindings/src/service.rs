//! Community service (公益活动): activities, sign-ups, checking in and out on site, the
//! organiser's review, a person's month of service. (`HuijiaoClient::service()`)

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use uuid::Uuid;

use crate::Result;

/// Community service. (`HuijiaoClient::service()`)
#[derive(uniffi::Object)]
pub struct ServiceClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl ServiceClient {
    /// An officer schedules an activity for the people under a unit.
    pub async fn create_activity(
        &self,
        activity: ServiceActivityCreate,
    ) -> Result<ServiceActivityView> {
        Ok(self.inner.create_service_activity(&activity).await?)
    }

    /// Activities ending after `from` (default: a week ago), soonest first.
    pub async fn activities(
        &self,
        from: Option<std::time::SystemTime>,
    ) -> Result<Vec<ServiceActivityView>> {
        Ok(self.inner.service_activities(from.map(Into::into)).await?)
    }

    pub async fn activity(&self, id: Uuid) -> Result<ServiceActivityView> {
        Ok(self.inner.service_activity(id).await?)
    }

    /// The organiser's code to show as a QR code now.
    pub async fn code(&self, id: Uuid) -> Result<ServiceCodeView> {
        Ok(self.inner.service_activity_code(id).await?)
    }

    /// Signs up: a supervisee themself (`case_id` none), an officer a person they supervise.
    pub async fn sign_up(
        &self,
        id: Uuid,
        case_id: Option<Uuid>,
    ) -> Result<ServiceParticipationView> {
        Ok(self.inner.sign_up_for_service(id, case_id).await?)
    }

    /// Withdraws (or takes a person off) before the start.
    pub async fn withdraw(&self, id: Uuid, case_id: Uuid) -> Result<ServiceParticipationView> {
        Ok(self.inner.withdraw_from_service(id, case_id).await?)
    }

    /// An officer calls an activity off before it starts.
    pub async fn cancel(&self, id: Uuid, reason: String) -> Result<ServiceActivityView> {
        Ok(self.inner.cancel_service_activity(id, &reason).await?)
    }

    /// Who is on an activity.
    pub async fn roster(&self, id: Uuid) -> Result<Vec<ServiceParticipationView>> {
        Ok(self.inner.service_roster(id).await?)
    }

    /// Checks in on site (a scanned code or a face check-in id, and the phone's fix).
    pub async fn check_in(
        &self,
        id: Uuid,
        presence: ServicePresence,
    ) -> Result<ServiceParticipationView> {
        Ok(self.inner.service_check_in(id, &presence).await?)
    }

    /// Checks out on site: the overlap with the window is credited.
    pub async fn check_out(
        &self,
        id: Uuid,
        presence: ServicePresence,
    ) -> Result<ServiceParticipationView> {
        Ok(self.inner.service_check_out(id, &presence).await?)
    }

    /// Checks in (or out) with what the organiser's QR code holds.
    pub async fn presence_by_qr(
        &self,
        qr: String,
        location: GpsFix,
        check_out: bool,
    ) -> Result<ServiceParticipationView> {
        Ok(self
            .inner
            .service_presence_by_qr(&qr, location, check_out)
            .await?)
    }

    /// The organiser or an officer confirms (no `minutes`) or corrects a participation.
    pub async fn review(
        &self,
        id: Uuid,
        case_id: Uuid,
        review: ServiceReview,
    ) -> Result<ServiceParticipationView> {
        Ok(self
            .inner
            .review_service_participation(id, case_id, &review)
            .await?)
    }

    /// A person's community service in `month` (`YYYY-MM`; default this month).
    pub async fn month(
        &self,
        case_id: Uuid,
        month: Option<String>,
    ) -> Result<CommunityServiceMonthView> {
        Ok(self.inner.service_month(case_id, month.as_deref()).await?)
    }

    /// Who in the officer's jurisdiction is short of their community service in `month`.
    pub async fn shortfalls(&self, month: Option<String>) -> Result<Vec<ShortfallView>> {
        Ok(self.inner.service_shortfalls(month.as_deref()).await?)
    }
}
