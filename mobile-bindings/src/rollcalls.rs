//! Video roll calls: officers start, list, excuse and review them; the supervisee's app answers
//! with its WebRTC offer. The media runs in the platform's WebRTC stack (the answer view's SDP
//! goes to it); the head turn to show arrives as a `roll_call_turn` event.

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use huijiao_core::policy::rollcall::RollCallStatus;
use uuid::Uuid;

use crate::Result;

crate::page_record!(RollCallPage, RollCallView);

/// Video roll calls (视频点名). (`HuijiaoClient::roll_calls()`)
#[derive(uniffi::Object)]
pub struct RollCallsClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl RollCallsClient {
    /// Calls the selected people now, or at `req.at` (officers).
    pub async fn start(&self, req: RollCallStart) -> Result<RollCallStartView> {
        Ok(self.inner.start_roll_calls(&req).await?)
    }

    /// Roll calls in the officer's jurisdiction, latest first, narrowed by status and time.
    pub async fn list(
        &self,
        status: Option<RollCallStatus>,
        from: Option<std::time::SystemTime>,
        to: Option<std::time::SystemTime>,
    ) -> Result<Vec<RollCallView>> {
        Ok(self
            .inner
            .roll_calls(status, from.map(Into::into), to.map(Into::into))
            .await?)
    }

    /// One page of it: the first, or the one after `after` (a page's `next`), of `limit` items
    /// (1–500; default 100).
    pub async fn list_page(
        &self,
        status: Option<RollCallStatus>,
        from: Option<std::time::SystemTime>,
        to: Option<std::time::SystemTime>,
        after: Option<String>,
        limit: Option<u64>,
    ) -> Result<RollCallPage> {
        Ok(self
            .inner
            .roll_calls(status, from.map(Into::into), to.map(Into::into))
            .after(after)
            .limit(limit)
            .page()
            .await?
            .into())
    }

    /// Statistics per unit of the officer's jurisdiction over a period (default: 30 days).
    pub async fn stats(
        &self,
        from: Option<std::time::SystemTime>,
        to: Option<std::time::SystemTime>,
    ) -> Result<Vec<RollCallUnitStats>> {
        Ok(self
            .inner
            .roll_call_stats(from.map(Into::into), to.map(Into::into))
            .await?)
    }

    pub async fn get(&self, id: Uuid) -> Result<RollCallView> {
        Ok(self.inner.roll_call(id).await?)
    }

    pub async fn of_case(&self, case_id: Uuid) -> Result<Vec<RollCallView>> {
        Ok(self.inner.roll_calls_of(case_id).await?)
    }

    /// The page that answers call `id` in a WebView: the token and the phone's id in its
    /// fragment (never sent to a server).
    pub async fn answer_page(&self, id: Uuid) -> Result<String> {
        Ok(self.inner.roll_call_page(id).await?)
    }

    /// Answers a ringing call with the WebRTC stack's offer; hand the answer's SDP back to it.
    pub async fn answer(&self, id: Uuid, sdp_offer: String) -> Result<RollCallAnswerView> {
        Ok(self.inner.answer_roll_call(id, &sdp_offer).await?)
    }

    /// Joins a live call to watch it (officers); hand the answer's SDP to the WebRTC stack.
    pub async fn watch(&self, id: Uuid, sdp_offer: String) -> Result<RollCallWatchView> {
        Ok(self.inner.watch_roll_call(id, &sdp_offer).await?)
    }

    pub async fn excuse(&self, id: Uuid, req: RollCallExcuse) -> Result<RollCallView> {
        Ok(self.inner.excuse_roll_call(id, &req).await?)
    }

    pub async fn review(&self, id: Uuid, req: RollCallReview) -> Result<RollCallView> {
        Ok(self.inner.review_roll_call(id, &req).await?)
    }

    /// A picture a call kept as evidence: the best match or the challenge's frame (JPEG;
    /// officers; the read is audited).
    pub async fn snapshot(&self, id: Uuid, frame: EvidenceFrame) -> Result<Vec<u8>> {
        Ok(self.inner.roll_call_snapshot(id, frame).await?)
    }

    /// A call's recording where the jurisdiction records calls (VP8 in IVF, or H.264 Annex B;
    /// officers; the read is audited).
    pub async fn recording(&self, id: Uuid) -> Result<Vec<u8>> {
        Ok(self.inner.roll_call_recording(id).await?)
    }
}
