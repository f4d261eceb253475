//! Leave, relocation and visitor requests, and leave evidence. One `impl Client` block per domain; the transport is in `mod.rs`.

use super::*;

impl Client {
    /// The jurisdiction's rules, for `policy::leave::assess_leave` and the request checks in
    /// the app.
    pub async fn rules(&self) -> Result<crate::policy::JurisdictionRules, ClientError> {
        self.get("/rules").await
    }

    /// Every ground of sanction the measures give, with its article (served with the rules).
    pub async fn sanction_grounds(&self) -> Result<Vec<SanctionGroundView>, ClientError> {
        Ok(self.get::<RulesView>("/rules").await?.sanction_grounds)
    }

    pub async fn apply_leave(
        &self,
        case_id: Uuid,
        req: &LeaveCreateRequest,
    ) -> Result<LeaveView, ClientError> {
        self.post(&format!("/cases/{case_id}/leaves"), req).await
    }

    pub fn leaves_of(&self, case_id: Uuid) -> Pages<'_, LeaveView> {
        Pages::new(self, format!("/cases/{case_id}/leaves"))
    }

    /// Leaves waiting for a decision at the caller's level.
    pub fn leave_queue(&self) -> Pages<'_, LeaveView> {
        Pages::new(self, "/leaves")
    }

    pub async fn decide_leave(
        &self,
        id: Uuid,
        approve: bool,
        req: &LeaveDecisionRequest,
    ) -> Result<LeaveView, ClientError> {
        let path = if approve {
            format!("/leaves/{id}/approve")
        } else {
            format!("/leaves/{id}/reject")
        };
        self.post(&path, req).await
    }

    pub async fn leave(&self, id: Uuid) -> Result<LeaveView, ClientError> {
        self.get(&format!("/leaves/{id}")).await
    }

    /// Submits a draft.
    pub async fn submit_leave(&self, id: Uuid) -> Result<LeaveView, ClientError> {
        self.call(Method::POST, &format!("/leaves/{id}/submit"), None::<&()>)
            .await
    }

    pub async fn cancel_leave(&self, id: Uuid) -> Result<LeaveView, ClientError> {
        self.call(Method::POST, &format!("/leaves/{id}/cancel"), None::<&()>)
            .await
    }

    /// Reports leaving on approved leave.
    pub async fn depart(&self, id: Uuid) -> Result<LeaveView, ClientError> {
        self.call(Method::POST, &format!("/leaves/{id}/depart"), None::<&()>)
            .await
    }

    /// Reports back (销假); needs a passed check-in from the last hours.
    pub async fn return_from_leave(&self, id: Uuid) -> Result<LeaveView, ClientError> {
        self.call(Method::POST, &format!("/leaves/{id}/return"), None::<&()>)
            .await
    }

    pub async fn extend_leave(
        &self,
        id: Uuid,
        req: &LeaveExtendRequest,
    ) -> Result<LeaveView, ClientError> {
        self.call(Method::POST, &format!("/leaves/{id}/extend"), Some(req))
            .await
    }

    pub async fn leave_attachments(&self, id: Uuid) -> Result<Vec<AttachmentView>, ClientError> {
        self.get(&format!("/leaves/{id}/attachments")).await
    }

    /// Evidence for a leave (medical, employer…).
    pub async fn upload_leave_attachment(
        &self,
        id: Uuid,
        req: &AttachmentUpload,
    ) -> Result<AttachmentView, ClientError> {
        self.call(
            Method::POST,
            &format!("/leaves/{id}/attachments"),
            Some(req),
        )
        .await
    }

    /// The file itself.
    pub async fn leave_attachment(
        &self,
        id: Uuid,
        attachment_id: Uuid,
    ) -> Result<Vec<u8>, ClientError> {
        self.bytes(&format!("/leaves/{id}/attachments/{attachment_id}"))
            .await
    }

    pub fn relocations_of(&self, case_id: Uuid) -> Pages<'_, RelocationView> {
        Pages::new(self, format!("/cases/{case_id}/relocations"))
    }

    pub async fn apply_relocation(
        &self,
        case_id: Uuid,
        req: &RelocationCreateRequest,
    ) -> Result<RelocationView, ClientError> {
        self.call(
            Method::POST,
            &format!("/cases/{case_id}/relocations"),
            Some(req),
        )
        .await
    }

    pub async fn relocation(&self, id: Uuid) -> Result<RelocationView, ClientError> {
        self.get(&format!("/relocations/{id}")).await
    }

    /// Relocations waiting on the caller's agency.
    pub fn relocation_queue(&self) -> Pages<'_, RelocationView> {
        Pages::new(self, "/relocations")
    }

    /// The receiving agency's opinion.
    pub async fn consult_relocation(
        &self,
        id: Uuid,
        req: &ConsultationRequest,
    ) -> Result<RelocationView, ClientError> {
        self.call(
            Method::POST,
            &format!("/relocations/{id}/consult"),
            Some(req),
        )
        .await
    }

    pub async fn approve_relocation(
        &self,
        id: Uuid,
        req: &LeaveDecisionRequest,
    ) -> Result<RelocationView, ClientError> {
        self.call(
            Method::POST,
            &format!("/relocations/{id}/approve"),
            Some(req),
        )
        .await
    }

    pub async fn reject_relocation(
        &self,
        id: Uuid,
        req: &LeaveDecisionRequest,
    ) -> Result<RelocationView, ClientError> {
        self.call(
            Method::POST,
            &format!("/relocations/{id}/reject"),
            Some(req),
        )
        .await
    }

    pub async fn cancel_relocation(&self, id: Uuid) -> Result<RelocationView, ClientError> {
        self.call(
            Method::POST,
            &format!("/relocations/{id}/cancel"),
            None::<&()>,
        )
        .await
    }

    pub fn visits_of(&self, case_id: Uuid) -> Pages<'_, VisitorView> {
        Pages::new(self, format!("/cases/{case_id}/visitors"))
    }

    pub async fn register_visit(
        &self,
        case_id: Uuid,
        req: &VisitorCreateRequest,
    ) -> Result<VisitorView, ClientError> {
        self.call(
            Method::POST,
            &format!("/cases/{case_id}/visitors"),
            Some(req),
        )
        .await
    }

    pub async fn visit(&self, id: Uuid) -> Result<VisitorView, ClientError> {
        self.get(&format!("/visitors/{id}")).await
    }

    pub async fn approve_visit(
        &self,
        id: Uuid,
        req: &LeaveDecisionRequest,
    ) -> Result<VisitorView, ClientError> {
        self.call(Method::POST, &format!("/visitors/{id}/approve"), Some(req))
            .await
    }

    pub async fn reject_visit(
        &self,
        id: Uuid,
        req: &LeaveDecisionRequest,
    ) -> Result<VisitorView, ClientError> {
        self.call(Method::POST, &format!("/visitors/{id}/reject"), Some(req))
            .await
    }

    pub async fn cancel_visit(&self, id: Uuid) -> Result<VisitorView, ClientError> {
        self.call(Method::POST, &format!("/visitors/{id}/cancel"), None::<&()>)
            .await
    }
}
