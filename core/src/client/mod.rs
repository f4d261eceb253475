//! The typed HTTP client the apps use (feature `client`): sign-in with the tokens kept by the
//! platform, automatic refresh of an expired access token, the calls of each role, and a
//! durable outbox for writes made offline.

pub mod events;
pub mod outbox;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use crate::api::*;
use crate::error::{ErrorCode, Lang};

/// A background task of the client (event stream, outbox observer); dropping it (or
/// `cancel`) stops the task.
pub struct Subscription {
    task: tokio::task::JoinHandle<()>,
}

impl Subscription {
    fn spawn(work: impl std::future::Future<Output = ()> + Send + 'static) -> Subscription {
        Subscription {
            task: tokio::spawn(work),
        }
    }

    pub fn cancel(&self) {
        self.task.abort();
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The pair of tokens of a session. The platform keeps them (Keychain, Keystore); the core
/// never writes them to a file of its own.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens { … }")
    }
}

/// Where the platform keeps the session's tokens.
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait TokenStore: Send + Sync {
    fn load(&self) -> Option<Tokens>;
    fn save(&self, tokens: Tokens);
    fn clear(&self);
}

/// Tokens in memory only: a session that ends with the process (tests, kiosks).
#[derive(Default)]
pub struct MemoryTokenStore(Mutex<Option<Tokens>>);

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Option<Tokens> {
        self.0.lock().expect("not poisoned").clone()
    }

    fn save(&self, tokens: Tokens) {
        *self.0.lock().expect("not poisoned") = Some(tokens);
    }

    fn clear(&self) {
        *self.0.lock().expect("not poisoned") = None;
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No answer: no network, the server is down, or the connection broke.
    #[error("network error: {0}")]
    Network(String),
    /// The server answered with an error envelope.
    #[error("{status}: {}", problem.code)]
    Api { status: u16, problem: Box<Problem> },
    /// No session: sign in first.
    #[error("not signed in")]
    NotSignedIn,
    /// The answer was not what the API promises.
    #[error("unexpected answer: {0}")]
    Decode(String),
    /// The outbox database failed.
    #[error("outbox storage: {0}")]
    Storage(String),
}

impl ClientError {
    /// The server's stable code, when the server answered.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { problem, .. } => ErrorCode::from_code(&problem.code),
            _ => None,
        }
    }

    /// Worth sending again later: no answer, a timeout, too busy, or a server fault.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Network(_) => true,
            ClientError::Api { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            _ => false,
        }
    }
}

impl From<reqwest::Error> for ClientError {
    fn from(e: reqwest::Error) -> Self {
        // reqwest's text names the URL, never a body or a header.
        ClientError::Network(e.to_string())
    }
}

/// One signed-in (or not yet) user of one server.
pub struct Client {
    api: String,
    http: reqwest::Client,
    tokens: Arc<dyn TokenStore>,
    device_id: Option<String>,
    lang: Lang,
    /// One refresh at a time: concurrent calls that all found the token expired wait for it.
    refreshing: tokio::sync::Mutex<()>,
}

impl Client {
    /// `base_url` is the server's root, e.g. `https://huijiao.example.gov.cn`. Supervisee
    /// phones pass their stable install id as `device_id`.
    pub fn new(
        base_url: &str,
        device_id: Option<String>,
        tokens: Arc<dyn TokenStore>,
        lang: Lang,
    ) -> Result<Client, ClientError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()?;
        Ok(Client {
            api: format!("{}/api/v1", base_url.trim_end_matches('/')),
            http,
            tokens,
            device_id,
            lang,
            refreshing: tokio::sync::Mutex::new(()),
        })
    }

    /// How long one request may take before it counts as a network failure (default 60 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Result<Client, ClientError> {
        self.http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10).min(timeout))
            .timeout(timeout)
            .build()?;
        Ok(self)
    }

    pub fn device_id(&self) -> Option<&str> {
        self.device_id.as_deref()
    }

    /// Whether tokens are held (they may still have been revoked on the server).
    pub fn is_signed_in(&self) -> bool {
        self.tokens.load().is_some()
    }

    async fn send_once(
        &self,
        method: &Method,
        path: &str,
        body: Option<&[u8]>,
        access: Option<&str>,
    ) -> Result<(StatusCode, bytes::Bytes), ClientError> {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.api))
            .header("accept-language", self.lang.tag());
        if let Some(t) = access {
            req = req.bearer_auth(t);
        }
        if let Some(d) = &self.device_id {
            req = req.header("x-device-id", d);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_vec());
        }
        let res = req.send().await?;
        let status = res.status();
        Ok((status, res.bytes().await?))
    }

    /// Sends a request as the signed-in user: an expired access token is refreshed once and
    /// the request repeated. Returns the status and body of a successful answer.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<(StatusCode, bytes::Bytes), ClientError> {
        let tokens = self.tokens.load().ok_or(ClientError::NotSignedIn)?;
        let (status, bytes) = self
            .send_once(&method, path, body, Some(&tokens.access))
            .await?;
        let (status, bytes) = if status == StatusCode::UNAUTHORIZED
            && problem(status, &bytes).code == ErrorCode::TokenExpired.code()
        {
            let fresh = self.refresh(&tokens).await?;
            self.send_once(&method, path, body, Some(&fresh.access))
                .await?
        } else {
            (status, bytes)
        };
        if status.is_success() {
            Ok((status, bytes))
        } else {
            Err(ClientError::Api {
                status: status.as_u16(),
                problem: Box::new(problem(status, &bytes)),
            })
        }
    }

    /// Exchanges the refresh token for new tokens, unless another call already did.
    async fn refresh(&self, stale: &Tokens) -> Result<Tokens, ClientError> {
        let _one = self.refreshing.lock().await;
        let current = self.tokens.load().ok_or(ClientError::NotSignedIn)?;
        if current.access != stale.access {
            return Ok(current);
        }
        let body = serde_json::to_vec(&RefreshRequest {
            refresh_token: current.refresh.clone(),
            device_id: self.device_id.clone(),
        })
        .map_err(|e| ClientError::Decode(e.to_string()))?;
        let (status, bytes) = self
            .send_once(&Method::POST, "/auth/refresh", Some(&body), None)
            .await?;
        if !status.is_success() {
            let p = problem(status, &bytes);
            // The session is over (revoked, reused, expired): forget it.
            if status == StatusCode::UNAUTHORIZED {
                self.tokens.clear();
            }
            return Err(ClientError::Api {
                status: status.as_u16(),
                problem: Box::new(p),
            });
        }
        let view: TokenView = decode(&bytes)?;
        let fresh = Tokens {
            access: view.access_token,
            refresh: view.refresh_token,
        };
        self.tokens.save(fresh.clone());
        Ok(fresh)
    }

    async fn call<R: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<R, ClientError> {
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| ClientError::Decode(e.to_string()))?;
        let (_, bytes) = self.send(method, path, body.as_deref()).await?;
        decode(&bytes)
    }

    /// A call answered with no body (204).
    async fn no_content(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<(), ClientError> {
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| ClientError::Decode(e.to_string()))?;
        self.send(method, path, body.as_deref()).await.map(|_| ())
    }

    /// A file (photo, attachment, export) as bytes.
    async fn bytes(&self, path: &str) -> Result<Vec<u8>, ClientError> {
        Ok(self.send(Method::GET, path, None).await?.1.to_vec())
    }

    async fn get<R: DeserializeOwned>(&self, path: &str) -> Result<R, ClientError> {
        self.call(Method::GET, path, None::<&()>).await
    }

    async fn post<R: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<R, ClientError> {
        self.call(Method::POST, path, Some(body)).await
    }

    // ---- everyone ------------------------------------------------------------------------

    /// Signs in and keeps the tokens in the platform's store.
    pub async fn login(&self, username: &str, password: &str) -> Result<MeView, ClientError> {
        let body = serde_json::to_vec(&LoginRequest {
            username: username.into(),
            password: password.into(),
            device_id: self.device_id.clone(),
            device_name: None,
        })
        .map_err(|e| ClientError::Decode(e.to_string()))?;
        let (status, bytes) = self
            .send_once(&Method::POST, "/auth/login", Some(&body), None)
            .await?;
        if !status.is_success() {
            return Err(ClientError::Api {
                status: status.as_u16(),
                problem: Box::new(problem(status, &bytes)),
            });
        }
        let view: TokenView = decode(&bytes)?;
        self.tokens.save(Tokens {
            access: view.access_token,
            refresh: view.refresh_token,
        });
        Ok(view.user)
    }

    /// Ends the session on the server (when reachable) and forgets the tokens either way.
    pub async fn logout(&self) -> Result<(), ClientError> {
        let result = self.send(Method::POST, "/auth/logout", None).await;
        self.tokens.clear();
        result.map(|_| ())
    }

    pub async fn me(&self) -> Result<MeView, ClientError> {
        self.get("/me").await
    }

    /// The jurisdiction's leave rules, for `policy::leave::assess_leave` in the app.
    pub async fn leave_rules(&self) -> Result<crate::policy::leave::LeaveRules, ClientError> {
        self.get("/rules/leave").await
    }

    pub async fn obligations(&self, case_id: Uuid) -> Result<ObligationsView, ClientError> {
        self.get(&format!("/cases/{case_id}/obligations")).await
    }

    // ---- supervisee ----------------------------------------------------------------------

    pub async fn checkin_challenge(&self) -> Result<ChallengeView, ClientError> {
        self.post("/checkins/challenge", &serde_json::json!({}))
            .await
    }

    pub async fn submit_checkin(&self, req: &CheckinRequest) -> Result<CheckinView, ClientError> {
        self.post("/checkins", req).await
    }

    pub async fn send_locations(
        &self,
        req: &LocationBatchRequest,
    ) -> Result<LocationBatchResult, ClientError> {
        self.post("/locations/batches", req).await
    }

    pub async fn apply_leave(
        &self,
        case_id: Uuid,
        req: &LeaveCreateRequest,
    ) -> Result<LeaveView, ClientError> {
        self.post(&format!("/cases/{case_id}/leaves"), req).await
    }

    pub async fn leaves_of(&self, case_id: Uuid) -> Result<Vec<LeaveView>, ClientError> {
        self.get(&format!("/cases/{case_id}/leaves")).await
    }

    // ---- officer and volunteer -----------------------------------------------------------

    /// The caller's caseload (officers: their jurisdiction; volunteers: their teams).
    pub async fn cases(&self) -> Result<Vec<CaseSummaryView>, ClientError> {
        self.get("/cases").await
    }

    pub async fn case(&self, id: Uuid) -> Result<CaseView, ClientError> {
        self.get(&format!("/cases/{id}")).await
    }

    pub async fn alerts(&self) -> Result<Vec<AlertView>, ClientError> {
        self.get("/alerts").await
    }

    pub async fn acknowledge_alert(&self, id: Uuid) -> Result<AlertView, ClientError> {
        self.post(&format!("/alerts/{id}/acknowledge"), &serde_json::json!({}))
            .await
    }

    pub async fn resolve_alert(&self, id: Uuid, note: &str) -> Result<AlertView, ClientError> {
        let body = AlertResolveRequest { note: note.into() };
        self.post(&format!("/alerts/{id}/resolve"), &body).await
    }

    /// Leaves waiting for a decision at the caller's level.
    pub async fn leave_queue(&self) -> Result<Vec<LeaveView>, ClientError> {
        self.get("/leaves").await
    }

    pub async fn decide_leave(
        &self,
        id: Uuid,
        approve: bool,
        req: &LeaveDecisionRequest,
    ) -> Result<LeaveView, ClientError> {
        let action = if approve { "approve" } else { "reject" };
        self.post(&format!("/leaves/{id}/{action}"), req).await
    }

    /// Enrols the supervisee's face from 1–5 reference photos (base64 JPEG or PNG).
    pub async fn enrol_face(
        &self,
        case_id: Uuid,
        req: &FaceEnrolRequest,
    ) -> Result<FaceTemplateView, ClientError> {
        self.post(&format!("/cases/{case_id}/face"), req).await
    }

    pub async fn create_fence(&self, req: &FenceRequest) -> Result<FenceView, ClientError> {
        self.post("/fences", req).await
    }

    pub async fn positions(&self) -> Result<Vec<PositionView>, ClientError> {
        self.get("/locations/current").await
    }

    /// A supervisee's track between two times (at most 31 days), simplified for drawing
    /// (`tolerance_m`, default 10; 0 for every fix).
    pub async fn track(
        &self,
        case_id: Uuid,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
        tolerance_m: Option<f64>,
    ) -> Result<TrackView, ClientError> {
        let t = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string();
        let mut path = format!("/cases/{case_id}/track?from={}&to={}", t(from), t(to));
        if let Some(m) = tolerance_m {
            path.push_str(&format!("&tolerance_m={m}"));
        }
        self.get(&path).await
    }

    // ---- the rest of the API, by area ----------------------------------------------------

    /// Changes the password; other sessions end.
    pub async fn change_password(&self, req: &PasswordChangeRequest) -> Result<(), ClientError> {
        self.no_content(Method::POST, "/auth/password", Some(req))
            .await
    }

    /// The declared sensitive periods (重大节会).
    pub async fn sensitive_periods(&self) -> Result<Vec<SensitivePeriodView>, ClientError> {
        self.get("/sensitive-periods").await
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

    pub async fn relocations_of(&self, case_id: Uuid) -> Result<Vec<RelocationView>, ClientError> {
        self.get(&format!("/cases/{case_id}/relocations")).await
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
    pub async fn relocation_queue(&self) -> Result<Vec<RelocationView>, ClientError> {
        self.get("/relocations").await
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

    pub async fn visits_of(&self, case_id: Uuid) -> Result<Vec<VisitorView>, ClientError> {
        self.get(&format!("/cases/{case_id}/visitors")).await
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

    pub async fn checkins_of(&self, case_id: Uuid) -> Result<Vec<CheckinView>, ClientError> {
        self.get(&format!("/cases/{case_id}/checkins")).await
    }

    /// The selfie of a check-in (officers; the read is audited).
    pub async fn checkin_photo(&self, id: Uuid) -> Result<Vec<u8>, ClientError> {
        self.bytes(&format!("/checkins/{id}/photo")).await
    }

    pub async fn checkin_requests_of(
        &self,
        case_id: Uuid,
    ) -> Result<Vec<CheckinRequestView>, ClientError> {
        self.get(&format!("/cases/{case_id}/checkin-requests"))
            .await
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

    pub async fn face_history(&self, case_id: Uuid) -> Result<Vec<FaceTemplateView>, ClientError> {
        self.get(&format!("/cases/{case_id}/face")).await
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

    /// Approves a new phone; the old one stops working.
    pub async fn approve_device(
        &self,
        case_id: Uuid,
        device_id: Uuid,
    ) -> Result<DeviceView, ClientError> {
        self.call(
            Method::POST,
            &format!("/cases/{case_id}/devices/{device_id}/approve"),
            None::<&()>,
        )
        .await
    }

    pub async fn revoke_device(
        &self,
        case_id: Uuid,
        device_id: Uuid,
    ) -> Result<DeviceView, ClientError> {
        self.call(
            Method::POST,
            &format!("/cases/{case_id}/devices/{device_id}/revoke"),
            None::<&()>,
        )
        .await
    }

    pub async fn investigations(&self) -> Result<Vec<InvestigationView>, ClientError> {
        self.get("/investigations").await
    }

    pub async fn create_investigation(
        &self,
        req: &InvestigationCreateRequest,
    ) -> Result<InvestigationView, ClientError> {
        self.call(Method::POST, "/investigations", Some(req)).await
    }

    pub async fn investigation(&self, id: Uuid) -> Result<InvestigationView, ClientError> {
        self.get(&format!("/investigations/{id}")).await
    }

    pub async fn file_investigation_opinion(
        &self,
        id: Uuid,
        req: &InvestigationOpinionRequest,
    ) -> Result<InvestigationView, ClientError> {
        self.call(
            Method::POST,
            &format!("/investigations/{id}/opinion"),
            Some(req),
        )
        .await
    }

    /// Every fence binding a supervisee: their own and their units'.
    pub async fn fences_of(&self, case_id: Uuid) -> Result<Vec<FenceView>, ClientError> {
        self.get(&format!("/fences?case_id={case_id}")).await
    }

    pub async fn fence(&self, id: Uuid) -> Result<FenceView, ClientError> {
        self.get(&format!("/fences/{id}")).await
    }

    pub async fn update_fence(
        &self,
        id: Uuid,
        req: &FenceUpdateRequest,
    ) -> Result<FenceView, ClientError> {
        self.call(Method::PUT, &format!("/fences/{id}"), Some(req))
            .await
    }

    pub async fn archive_fence(&self, id: Uuid) -> Result<FenceView, ClientError> {
        self.call(Method::DELETE, &format!("/fences/{id}"), None::<&()>)
            .await
    }

    pub async fn units(&self) -> Result<Vec<UnitView>, ClientError> {
        self.get("/units").await
    }

    pub async fn unit(&self, id: Uuid) -> Result<UnitView, ClientError> {
        self.get(&format!("/units/{id}")).await
    }

    pub async fn create_unit(&self, req: &UnitCreateRequest) -> Result<UnitView, ClientError> {
        self.call(Method::POST, "/units", Some(req)).await
    }

    pub async fn users(&self) -> Result<Vec<UserView>, ClientError> {
        self.get("/users").await
    }

    pub async fn create_user(&self, req: &UserCreateRequest) -> Result<UserView, ClientError> {
        self.call(Method::POST, "/users", Some(req)).await
    }

    pub async fn unlock_user(&self, id: Uuid) -> Result<UserView, ClientError> {
        self.call(Method::POST, &format!("/users/{id}/unlock"), None::<&()>)
            .await
    }

    pub async fn disable_user(&self, id: Uuid) -> Result<UserView, ClientError> {
        self.call(Method::POST, &format!("/users/{id}/disable"), None::<&()>)
            .await
    }

    pub async fn enable_user(&self, id: Uuid) -> Result<UserView, ClientError> {
        self.call(Method::POST, &format!("/users/{id}/enable"), None::<&()>)
            .await
    }

    pub async fn declare_sensitive_period(
        &self,
        req: &SensitivePeriodRequest,
    ) -> Result<SensitivePeriodView, ClientError> {
        self.call(Method::POST, "/sensitive-periods", Some(req))
            .await
    }

    /// The audit log (audit admin).
    pub async fn audit(&self) -> Result<Vec<AuditEntryView>, ClientError> {
        self.get("/audit").await
    }

    /// Checks the audit hash chain.
    pub async fn verify_audit(&self) -> Result<AuditVerifyView, ClientError> {
        self.get("/audit/verify").await
    }
}

fn decode<R: DeserializeOwned>(bytes: &[u8]) -> Result<R, ClientError> {
    serde_json::from_slice(bytes).map_err(|e| ClientError::Decode(e.to_string()))
}

/// The error envelope of an answer, or one made up from the status when there is none (a
/// proxy's HTML page, an empty body).
fn problem(status: StatusCode, bytes: &[u8]) -> Problem {
    serde_json::from_slice(bytes).unwrap_or_else(|_| Problem {
        type_: "about:blank".into(),
        title: status.to_string(),
        status: status.as_u16(),
        code: if status.is_server_error() {
            ErrorCode::Unavailable.code().into()
        } else {
            "http.status".into()
        },
        detail: status.to_string(),
        request_id: None,
        errors: vec![],
        locked_until: None,
    })
}
