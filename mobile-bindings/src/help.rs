//! Help sessions (帮教记录) and the volunteer service record. The volunteer app logs a session
//! with `log_session` when online, or `HuijiaoOutbox::enqueue_help_session` when not (the
//! session's own id makes a resend the same session).

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use huijiao_core::policy::help::HelpStatus;
use uuid::Uuid;

use crate::Result;

crate::page_record!(HelpSessionPage, HelpSessionView);

/// Help (帮教). (`HuijiaoClient::help()`)
#[derive(uniffi::Object)]
pub struct HelpClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl HelpClient {
    /// A volunteer logs a help session on a case of their team.
    pub async fn log_session(
        &self,
        case_id: Uuid,
        session: HelpSessionNew,
    ) -> Result<HelpSessionView> {
        Ok(self.inner.log_help_session(case_id, &session).await?)
    }

    /// A case's help sessions, newest first (a volunteer's own only).
    pub async fn case_sessions(
        &self,
        case_id: Uuid,
        status: Option<HelpStatus>,
    ) -> Result<Vec<HelpSessionView>> {
        Ok(self.inner.case_help_sessions(case_id, status).await?)
    }

    /// A volunteer's own sessions; an officer's jurisdiction's.
    pub async fn sessions(&self, status: Option<HelpStatus>) -> Result<Vec<HelpSessionView>> {
        Ok(self.inner.help_sessions(status).await?)
    }

    /// One page of it: the first, or the one after `after` (a page's `next`), of `limit` items
    /// (1–500; default 100).
    pub async fn sessions_page(
        &self,
        status: Option<HelpStatus>,
        after: Option<String>,
        limit: Option<u64>,
    ) -> Result<HelpSessionPage> {
        Ok(self
            .inner
            .help_sessions(status)
            .after(after)
            .limit(limit)
            .page()
            .await?
            .into())
    }

    pub async fn session(&self, id: Uuid) -> Result<HelpSessionView> {
        Ok(self.inner.help_session(id).await?)
    }

    /// The author corrects a session the unit returned.
    pub async fn amend_session(
        &self,
        id: Uuid,
        amend: HelpSessionAmend,
    ) -> Result<HelpSessionView> {
        Ok(self.inner.amend_help_session(id, &amend).await?)
    }

    /// An officer confirms a session or returns it with what to correct.
    pub async fn review_session(
        &self,
        id: Uuid,
        review: HelpSessionReview,
    ) -> Result<HelpSessionView> {
        Ok(self.inner.review_help_session(id, &review).await?)
    }

    pub async fn comment(&self, id: Uuid, text: String) -> Result<HelpSessionView> {
        Ok(self
            .inner
            .comment_help_session(id, &HelpCommentNew { text })
            .await?)
    }

    /// A volunteer's service record for a year (default this one).
    pub async fn service_record(
        &self,
        volunteer_id: Uuid,
        year: Option<i32>,
    ) -> Result<ServiceRecordView> {
        Ok(self.inner.service_record(volunteer_id, year).await?)
    }

    /// The officer's units against the one-helper-per-two-supervisees target.
    pub async fn coverage(&self) -> Result<Vec<HelperCoverageView>> {
        Ok(self.inner.helper_coverage().await?)
    }

    /// An officer issues a service certificate for the months given (`YYYY-MM`).
    pub async fn issue_certificate(
        &self,
        volunteer_id: Uuid,
        from_month: String,
        to_month: String,
    ) -> Result<CertificateView> {
        Ok(self
            .inner
            .issue_certificate(
                volunteer_id,
                &CertificateIssue {
                    from_month,
                    to_month,
                },
            )
            .await?)
    }

    pub async fn certificates(&self, volunteer_id: Uuid) -> Result<Vec<CertificateView>> {
        Ok(self.inner.volunteer_certificates(volunteer_id).await?)
    }

    /// The certificate as PDF bytes, to save or share.
    pub async fn certificate_pdf(&self, number: String) -> Result<Vec<u8>> {
        Ok(self.inner.certificate_pdf(&number).await?)
    }

    /// Checks a certificate by its number (no sign-in needed).
    pub async fn check_certificate(&self, number: String) -> Result<CertificateCheckView> {
        Ok(self.inner.check_certificate(&number).await?)
    }
}
