//! Cases: the caseload, intake, levels and status, plans, teams, devices.

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use uuid::Uuid;

use crate::Result;

crate::page_record!(CaseSummaryPage, CaseSummaryView);

/// Cases: the caseload, intake, levels and status, plans, teams, devices. (`HuijiaoClient::cases()`)
#[derive(uniffi::Object)]
pub struct CasesClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl CasesClient {
    /// The whole caseload, in the order the cases were registered.
    pub async fn list(&self) -> Result<Vec<CaseSummaryView>> {
        Ok(self.inner.cases().await?)
    }

    /// One page of it: the first, or the one after `after` (a page's `next`), of `limit` items
    /// (1–500; default 100).
    pub async fn list_page(
        &self,
        after: Option<String>,
        limit: Option<u64>,
    ) -> Result<CaseSummaryPage> {
        Ok(self
            .inner
            .cases()
            .after(after)
            .limit(limit)
            .page()
            .await?
            .into())
    }

    pub async fn case(&self, id: Uuid) -> Result<CaseView> {
        Ok(self.inner.case(id).await?)
    }

    /// Registers a case at intake.
    pub async fn create_case(&self, req: CaseCreateRequest) -> Result<CaseView> {
        Ok(self.inner.create_case(&req).await?)
    }

    /// The caseload as CSV (minors masked).
    pub async fn export_cases_csv(&self) -> Result<Vec<u8>> {
        Ok(self.inner.export_cases_csv().await?)
    }

    /// The intake announcement (入矫宣告).
    pub async fn announce(&self, case_id: Uuid, req: AnnounceRequest) -> Result<CaseView> {
        Ok(self.inner.announce(case_id, &req).await?)
    }

    pub async fn change_status(&self, case_id: Uuid, req: StatusChangeRequest) -> Result<CaseView> {
        Ok(self.inner.change_status(case_id, &req).await?)
    }

    /// The county agency releases the person at term end and issues the certificate.
    pub async fn release(&self, case_id: Uuid, req: ReleaseRequest) -> Result<ReleaseView> {
        Ok(self.inner.release_case(case_id, &req).await?)
    }

    /// The whole case as one ZIP (一人一档): dossier PDF, attachments, manifest.
    pub async fn case_file(&self, case_id: Uuid) -> Result<Vec<u8>> {
        Ok(self.inner.case_file(case_id).await?)
    }

    /// A released case's release and certificate number.
    pub async fn release_of(&self, case_id: Uuid) -> Result<ReleaseView> {
        Ok(self.inner.case_release(case_id).await?)
    }

    /// The release certificate as a PDF.
    pub async fn release_certificate_pdf(&self, case_id: Uuid) -> Result<Vec<u8>> {
        Ok(self.inner.release_certificate_pdf(case_id).await?)
    }

    pub async fn levels(&self, case_id: Uuid) -> Result<Vec<LevelChangeView>> {
        Ok(self.inner.levels(case_id).await?)
    }

    pub async fn change_level(
        &self,
        case_id: Uuid,
        req: LevelChangeRequest,
    ) -> Result<LevelChangeView> {
        Ok(self.inner.change_level(case_id, &req).await?)
    }

    /// Creates the supervisee's app login.
    pub async fn issue_login(
        &self,
        case_id: Uuid,
        req: IssueLoginRequest,
    ) -> Result<IssuedLoginView> {
        Ok(self.inner.issue_login(case_id, &req).await?)
    }

    /// Resets the supervisee's forgotten password to a one-time one (shown once).
    pub async fn reset_login(&self, case_id: Uuid) -> Result<IssuedLoginView> {
        Ok(self.inner.reset_login(case_id).await?)
    }

    pub async fn plan(&self, case_id: Uuid) -> Result<PlanView> {
        Ok(self.inner.plan(case_id).await?)
    }

    pub async fn update_plan(&self, case_id: Uuid, req: PlanUpdateRequest) -> Result<PlanView> {
        Ok(self.inner.update_plan(case_id, &req).await?)
    }

    /// Every version of the plan.
    pub async fn plans(&self, case_id: Uuid) -> Result<Vec<PlanView>> {
        Ok(self.inner.plans(case_id).await?)
    }

    pub async fn team(&self, case_id: Uuid) -> Result<Vec<TeamMemberView>> {
        Ok(self.inner.team(case_id).await?)
    }

    pub async fn add_team_member(
        &self,
        case_id: Uuid,
        req: TeamMemberRequest,
    ) -> Result<TeamMemberView> {
        Ok(self.inner.add_team_member(case_id, &req).await?)
    }

    pub async fn remove_team_member(&self, case_id: Uuid, member_id: Uuid) -> Result<()> {
        Ok(self.inner.remove_team_member(case_id, member_id).await?)
    }

    pub async fn devices(&self, case_id: Uuid) -> Result<Vec<DeviceView>> {
        Ok(self.inner.devices(case_id).await?)
    }

    /// Approves a new phone; the old one stops working.
    pub async fn approve_device(&self, case_id: Uuid, record_id: Uuid) -> Result<DeviceView> {
        Ok(self.inner.approve_device(case_id, record_id).await?)
    }

    pub async fn revoke_device(&self, case_id: Uuid, record_id: Uuid) -> Result<DeviceView> {
        Ok(self.inner.revoke_device(case_id, record_id).await?)
    }
}
