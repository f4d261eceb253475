//! Leave (外出), relocation (迁居) and visitor (会客) requests, and leave evidence.

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use uuid::Uuid;

use crate::Result;

crate::page_record!(LeavePage, LeaveView);

/// Leave (外出), relocation (迁居) and visitor (会客) requests, and leave evidence. (`HuijiaoClient::requests()`)
#[derive(uniffi::Object)]
pub struct RequestsClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl RequestsClient {
    /// The jurisdiction's rules (leave, relocation notice, visits needing approval); pass
    /// `.leave` to `assess_leave` (fetch once per session).
    pub async fn rules(&self) -> Result<huijiao_core::policy::JurisdictionRules> {
        Ok(self.inner.rules().await?)
    }

    /// Every ground of sanction the measures give, with its article.
    pub async fn sanction_grounds(&self) -> Result<Vec<huijiao_core::api::SanctionGroundView>> {
        Ok(self.inner.sanction_grounds().await?)
    }

    pub async fn apply_leave(&self, case_id: Uuid, req: LeaveCreateRequest) -> Result<LeaveView> {
        Ok(self.inner.apply_leave(case_id, &req).await?)
    }

    /// Leaves waiting for a decision at the caller's level, oldest first: all of them.
    pub async fn leave_queue(&self) -> Result<Vec<LeaveView>> {
        Ok(self.inner.leave_queue().await?)
    }

    /// One page of them: the first, or the one after `after` (a page's `next`), of `limit` items
    /// (1–500; default 100).
    pub async fn leave_queue_page(
        &self,
        after: Option<String>,
        limit: Option<u64>,
    ) -> Result<LeavePage> {
        Ok(self
            .inner
            .leave_queue()
            .after(after)
            .limit(limit)
            .page()
            .await?
            .into())
    }

    pub async fn decide_leave(
        &self,
        id: Uuid,
        approve: bool,
        req: LeaveDecisionRequest,
    ) -> Result<LeaveView> {
        Ok(self.inner.decide_leave(id, approve, &req).await?)
    }

    pub async fn leaves_of(&self, case_id: Uuid) -> Result<Vec<LeaveView>> {
        Ok(self.inner.leaves_of(case_id).await?)
    }

    pub async fn leave(&self, id: Uuid) -> Result<LeaveView> {
        Ok(self.inner.leave(id).await?)
    }

    /// Submits a draft.
    pub async fn submit_leave(&self, id: Uuid) -> Result<LeaveView> {
        Ok(self.inner.submit_leave(id).await?)
    }

    pub async fn cancel_leave(&self, id: Uuid) -> Result<LeaveView> {
        Ok(self.inner.cancel_leave(id).await?)
    }

    /// Reports leaving on approved leave.
    pub async fn depart(&self, id: Uuid) -> Result<LeaveView> {
        Ok(self.inner.depart(id).await?)
    }

    /// Reports back (销假); needs a passed check-in from the last hours.
    pub async fn return_from_leave(&self, id: Uuid) -> Result<LeaveView> {
        Ok(self.inner.return_from_leave(id).await?)
    }

    pub async fn extend_leave(&self, id: Uuid, req: LeaveExtendRequest) -> Result<LeaveView> {
        Ok(self.inner.extend_leave(id, &req).await?)
    }

    pub async fn leave_attachments(&self, id: Uuid) -> Result<Vec<AttachmentView>> {
        Ok(self.inner.leave_attachments(id).await?)
    }

    /// Evidence for a leave (medical, employer…).
    pub async fn upload_leave_attachment(
        &self,
        id: Uuid,
        req: AttachmentUpload,
    ) -> Result<AttachmentView> {
        Ok(self.inner.upload_leave_attachment(id, &req).await?)
    }

    /// The file itself.
    pub async fn leave_attachment(&self, id: Uuid, attachment_id: Uuid) -> Result<Vec<u8>> {
        Ok(self.inner.leave_attachment(id, attachment_id).await?)
    }

    pub async fn relocations_of(&self, case_id: Uuid) -> Result<Vec<RelocationView>> {
        Ok(self.inner.relocations_of(case_id).await?)
    }

    pub async fn apply_relocation(
        &self,
        case_id: Uuid,
        req: RelocationCreateRequest,
    ) -> Result<RelocationView> {
        Ok(self.inner.apply_relocation(case_id, &req).await?)
    }

    pub async fn relocation(&self, id: Uuid) -> Result<RelocationView> {
        Ok(self.inner.relocation(id).await?)
    }

    /// Relocations waiting on the caller's agency.
    pub async fn relocation_queue(&self) -> Result<Vec<RelocationView>> {
        Ok(self.inner.relocation_queue().await?)
    }

    /// The receiving agency's opinion.
    pub async fn consult_relocation(
        &self,
        id: Uuid,
        req: ConsultationRequest,
    ) -> Result<RelocationView> {
        Ok(self.inner.consult_relocation(id, &req).await?)
    }

    pub async fn approve_relocation(
        &self,
        id: Uuid,
        req: LeaveDecisionRequest,
    ) -> Result<RelocationView> {
        Ok(self.inner.approve_relocation(id, &req).await?)
    }

    pub async fn reject_relocation(
        &self,
        id: Uuid,
        req: LeaveDecisionRequest,
    ) -> Result<RelocationView> {
        Ok(self.inner.reject_relocation(id, &req).await?)
    }

    pub async fn cancel_relocation(&self, id: Uuid) -> Result<RelocationView> {
        Ok(self.inner.cancel_relocation(id).await?)
    }

    pub async fn visits_of(&self, case_id: Uuid) -> Result<Vec<VisitorView>> {
        Ok(self.inner.visits_of(case_id).await?)
    }

    pub async fn register_visit(
        &self,
        case_id: Uuid,
        req: VisitorCreateRequest,
    ) -> Result<VisitorView> {
        Ok(self.inner.register_visit(case_id, &req).await?)
    }

    pub async fn visit(&self, id: Uuid) -> Result<VisitorView> {
        Ok(self.inner.visit(id).await?)
    }

    pub async fn approve_visit(&self, id: Uuid, req: LeaveDecisionRequest) -> Result<VisitorView> {
        Ok(self.inner.approve_visit(id, &req).await?)
    }

    pub async fn reject_visit(&self, id: Uuid, req: LeaveDecisionRequest) -> Result<VisitorView> {
        Ok(self.inner.reject_visit(id, &req).await?)
    }

    pub async fn cancel_visit(&self, id: Uuid) -> Result<VisitorView> {
        Ok(self.inner.cancel_visit(id).await?)
    }
}
