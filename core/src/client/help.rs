//! Help sessions (帮教记录) and the volunteer service record: logging a session (at once, or
//! through the outbox when offline), officers' review and comments, the record, the units'
//! coverage.

use super::*;
use crate::policy::help::HelpStatus;

impl Client {
    /// A volunteer logs a help session on a case of their team. Sending the same session
    /// again (same `id`) returns it as stored.
    pub async fn log_help_session(
        &self,
        case_id: Uuid,
        req: &HelpSessionNew,
    ) -> Result<HelpSessionView, ClientError> {
        self.post(&format!("/cases/{case_id}/help-sessions"), req)
            .await
    }

    /// A case's help sessions, newest first (a volunteer's own only).
    pub fn case_help_sessions(
        &self,
        case_id: Uuid,
        status: Option<HelpStatus>,
    ) -> Pages<'_, HelpSessionView> {
        match status {
            Some(s) => {
                let s = s.as_str();
                Pages::new(self, format!("/cases/{case_id}/help-sessions?status={s}"))
            }
            None => Pages::new(self, format!("/cases/{case_id}/help-sessions")),
        }
    }

    /// A volunteer's own sessions; an officer's jurisdiction's (`Logged`: waiting for them).
    pub fn help_sessions(&self, status: Option<HelpStatus>) -> Pages<'_, HelpSessionView> {
        match status {
            Some(s) => {
                let s = s.as_str();
                Pages::new(self, format!("/help-sessions?status={s}"))
            }
            None => Pages::new(self, "/help-sessions"),
        }
    }

    pub async fn help_session(&self, id: Uuid) -> Result<HelpSessionView, ClientError> {
        self.get(&format!("/help-sessions/{id}")).await
    }

    /// The author corrects a returned session, at the version seen.
    pub async fn amend_help_session(
        &self,
        id: Uuid,
        req: &HelpSessionAmend,
    ) -> Result<HelpSessionView, ClientError> {
        self.call(Method::PUT, &format!("/help-sessions/{id}"), Some(req))
            .await
    }

    /// An officer confirms a session or returns it with what to correct.
    pub async fn review_help_session(
        &self,
        id: Uuid,
        req: &HelpSessionReview,
    ) -> Result<HelpSessionView, ClientError> {
        self.post(&format!("/help-sessions/{id}/review"), req).await
    }

    pub async fn comment_help_session(
        &self,
        id: Uuid,
        req: &HelpCommentNew,
    ) -> Result<HelpSessionView, ClientError> {
        self.post(&format!("/help-sessions/{id}/comments"), req)
            .await
    }

    /// A volunteer's service record for a year (default this one).
    pub async fn service_record(
        &self,
        volunteer_id: Uuid,
        year: Option<i32>,
    ) -> Result<ServiceRecordView, ClientError> {
        match year {
            Some(y) => {
                self.get(&format!(
                    "/volunteers/{volunteer_id}/service-record?year={y}"
                ))
                .await
            }
            None => {
                self.get(&format!("/volunteers/{volunteer_id}/service-record"))
                    .await
            }
        }
    }

    /// The officer's units against the one-helper-per-two-supervisees target.
    pub async fn helper_coverage(&self) -> Result<Vec<HelperCoverageView>, ClientError> {
        self.get("/help/coverage").await
    }

    /// An officer issues a volunteer a service certificate for the months given.
    pub async fn issue_certificate(
        &self,
        volunteer_id: Uuid,
        req: &CertificateIssue,
    ) -> Result<CertificateView, ClientError> {
        self.post(&format!("/volunteers/{volunteer_id}/certificates"), req)
            .await
    }

    pub fn volunteer_certificates(&self, volunteer_id: Uuid) -> Pages<'_, CertificateView> {
        Pages::new(self, format!("/volunteers/{volunteer_id}/certificates"))
    }

    /// The certificate as a PDF.
    pub async fn certificate_pdf(&self, number: &str) -> Result<Vec<u8>, ClientError> {
        let (_, body) = self
            .send(Method::GET, &format!("/certificates/{number}/pdf"), None)
            .await?;
        Ok(body.to_vec())
    }

    /// Checks a certificate by its number; needs no sign-in.
    pub async fn check_certificate(
        &self,
        number: &str,
    ) -> Result<CertificateCheckView, ClientError> {
        let (status, bytes) = self
            .send_once(
                &Method::GET,
                &format!("/certificates/{number}"),
                None,
                None,
                &Extra::default(),
            )
            .await?;
        if !status.is_success() {
            return Err(ClientError::Api {
                status: status.as_u16(),
                problem: Box::new(problem(status, &bytes)),
            });
        }
        decode(&bytes)
    }
}
