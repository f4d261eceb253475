//! Cases: list, intake, levels, status, plans, teams, devices. One `impl Client` block per domain; the transport is in `mod.rs`.

use super::*;

impl Client {
    /// The caller's caseload (officers: their jurisdiction; volunteers: their teams).
    pub fn cases(&self) -> Pages<'_, CaseSummaryView> {
        Pages::new(self, "/cases")
    }

    pub async fn case(&self, id: Uuid) -> Result<CaseView, ClientError> {
        self.get(&format!("/cases/{id}")).await
    }

    /// Registers a case at intake.
    pub async fn create_case(&self, req: &CaseCreateRequest) -> Result<CaseView, ClientError> {
        self.call(Method::POST, "/cases", Some(req)).await
    }

    /// The caseload as CSV (minors masked).
    pub async fn export_cases_csv(&self) -> Result<Vec<u8>, ClientError> {
        self.bytes("/cases/export.csv").await
    }

    /// The intake announcement (入矫宣告).
    pub async fn announce(
        &self,
        case_id: Uuid,
        req: &AnnounceRequest,
    ) -> Result<CaseView, ClientError> {
        self.call(
            Method::POST,
            &format!("/cases/{case_id}/announce"),
            Some(req),
        )
        .await
    }

    pub async fn change_status(
        &self,
        case_id: Uuid,
        req: &StatusChangeRequest,
    ) -> Result<CaseView, ClientError> {
        self.call(Method::POST, &format!("/cases/{case_id}/status"), Some(req))
            .await
    }

    /// The county agency releases the person at term end and issues the certificate.
    pub async fn release_case(
        &self,
        case_id: Uuid,
        req: &ReleaseRequest,
    ) -> Result<ReleaseView, ClientError> {
        self.post(&format!("/cases/{case_id}/release"), req).await
    }

    /// The whole case as one ZIP (一人一档): the dossier PDF, the original attachments and
    /// a manifest of their digests (officers of the case).
    pub async fn case_file(&self, case_id: Uuid) -> Result<Vec<u8>, ClientError> {
        let (_, body) = self
            .send(Method::GET, &format!("/cases/{case_id}/file"), None)
            .await?;
        Ok(body.to_vec())
    }

    /// A released case's release and certificate number.
    pub async fn case_release(&self, case_id: Uuid) -> Result<ReleaseView, ClientError> {
        self.get(&format!("/cases/{case_id}/release")).await
    }

    /// The release certificate as a PDF.
    pub async fn release_certificate_pdf(&self, case_id: Uuid) -> Result<Vec<u8>, ClientError> {
        let (_, body) = self
            .send(
                Method::GET,
                &format!("/cases/{case_id}/release/certificate"),
                None,
            )
            .await?;
        Ok(body.to_vec())
    }

    pub async fn levels(&self, case_id: Uuid) -> Result<Vec<LevelChangeView>, ClientError> {
        self.get(&format!("/cases/{case_id}/levels")).await
    }

    pub async fn change_level(
        &self,
        case_id: Uuid,
        req: &LevelChangeRequest,
    ) -> Result<LevelChangeView, ClientError> {
        self.call(Method::POST, &format!("/cases/{case_id}/levels"), Some(req))
            .await
    }

    /// Creates the supervisee's app login.
    pub async fn issue_login(
        &self,
        case_id: Uuid,
        req: &IssueLoginRequest,
    ) -> Result<IssuedLoginView, ClientError> {
        self.call(Method::POST, &format!("/cases/{case_id}/login"), Some(req))
            .await
    }

    /// Resets the supervisee's forgotten password to a one-time one (shown once).
    pub async fn reset_login(&self, case_id: Uuid) -> Result<IssuedLoginView, ClientError> {
        self.call(
            Method::POST,
            &format!("/cases/{case_id}/login/reset"),
            None::<&()>,
        )
        .await
    }

    pub async fn plan(&self, case_id: Uuid) -> Result<PlanView, ClientError> {
        self.get(&format!("/cases/{case_id}/plan")).await
    }

    pub async fn update_plan(
        &self,
        case_id: Uuid,
        req: &PlanUpdateRequest,
    ) -> Result<PlanView, ClientError> {
        self.call(Method::PUT, &format!("/cases/{case_id}/plan"), Some(req))
            .await
    }

    /// Every version of the plan.
    pub async fn plans(&self, case_id: Uuid) -> Result<Vec<PlanView>, ClientError> {
        self.get(&format!("/cases/{case_id}/plans")).await
    }

    pub async fn team(&self, case_id: Uuid) -> Result<Vec<TeamMemberView>, ClientError> {
        self.get(&format!("/cases/{case_id}/team")).await
    }

    pub async fn add_team_member(
        &self,
        case_id: Uuid,
        req: &TeamMemberRequest,
    ) -> Result<TeamMemberView, ClientError> {
        self.call(Method::POST, &format!("/cases/{case_id}/team"), Some(req))
            .await
    }

    pub async fn remove_team_member(
        &self,
        case_id: Uuid,
        member_id: Uuid,
    ) -> Result<(), ClientError> {
        self.no_content(
            Method::DELETE,
            &format!("/cases/{case_id}/team/{member_id}"),
            None::<&()>,
        )
        .await
    }

    pub async fn devices(&self, case_id: Uuid) -> Result<Vec<DeviceView>, ClientError> {
        self.get(&format!("/cases/{case_id}/devices")).await
    }

    /// Approves a new phone (`record_id`: its `DeviceView.id`); the old one stops working.
    pub async fn approve_device(
        &self,
        case_id: Uuid,
        record_id: Uuid,
    ) -> Result<DeviceView, ClientError> {
        self.call(
            Method::POST,
            &format!("/cases/{case_id}/devices/{record_id}/approve"),
            None::<&()>,
        )
        .await
    }

    pub async fn revoke_device(
        &self,
        case_id: Uuid,
        record_id: Uuid,
    ) -> Result<DeviceView, ClientError> {
        self.call(
            Method::POST,
            &format!("/cases/{case_id}/devices/{record_id}/revoke"),
            None::<&()>,
        )
        .await
    }
}
