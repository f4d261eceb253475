//! uniffi bindings over huijiao-core for the officer, supervisee and volunteer apps. Thin: the
//! records, enums and foreign traits (token storage, event listener) are derived in core; this
//! crate wraps the stateful objects and maps errors to one small public error. No business
//! rule lives here.

use std::sync::{Arc, LazyLock};

use chrono::NaiveDate;
use huijiao_core::api::*;
use huijiao_core::client::events::EventListener;
use huijiao_core::client::outbox::{FlushReport, Outbox, OutboxItem, OutboxListener};
use huijiao_core::client::{Client, ClientError, Subscription, TokenStore};
use huijiao_core::{ErrorCode, Lang};
use uuid::Uuid;

uniffi::setup_scaffolding!();
// Ids cross as strings, as core declares.
uniffi::use_remote_type!(huijiao_core::Uuid);
uniffi::use_remote_type!(huijiao_core::NaiveDate);

/// The runtime the core's background work (event stream, HTTP) runs on, whatever thread the
/// app calls from.
static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
});

/// What can go wrong, in terms an app can act on. Messages carry codes and field names, never
/// personal data.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum HuijiaoError {
    /// No answer from the server: retry later (the outbox does it by itself).
    #[error("network unavailable")]
    Network,
    /// Sign in again (expired session, wrong password, other phone…); `code` says which.
    #[error("unauthorized: {code}")]
    Unauthorized { code: String },
    /// The input is wrong; `field` names it (empty when not one field), `detail` says how.
    /// (Not `message`: Kotlin exceptions already have one.)
    #[error("invalid {field}: {detail}")]
    Validation { field: String, detail: String },
    #[error("not found")]
    NotFound,
    /// The record changed meanwhile or the action does not fit its state: reload.
    #[error("conflict: {code}")]
    Conflict { code: String },
    /// Anything else; `code` is the server's stable code when there is one.
    #[error("error: {code}")]
    Other { code: String },
}

impl From<ClientError> for HuijiaoError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Network(_) => HuijiaoError::Network,
            ClientError::NotSignedIn => HuijiaoError::Unauthorized {
                code: "client.not_signed_in".into(),
            },
            ClientError::Api { status, problem } => {
                let code = problem.code.clone();
                match (status, ErrorCode::from_code(&code)) {
                    (401 | 403 | 423, _) => HuijiaoError::Unauthorized { code },
                    (404, _) => HuijiaoError::NotFound,
                    (409, _) => HuijiaoError::Conflict { code },
                    (400 | 422, _) => {
                        let first = problem.errors.first();
                        HuijiaoError::Validation {
                            field: first.map(|f| f.field.clone()).unwrap_or_default(),
                            detail: first.map_or(code, |f| f.message.clone()),
                        }
                    }
                    (_, _) if status >= 500 => HuijiaoError::Network,
                    _ => HuijiaoError::Other { code },
                }
            }
            ClientError::Decode(_) => HuijiaoError::Other {
                code: "client.bad_answer".into(),
            },
            ClientError::Storage(_) => HuijiaoError::Other {
                code: "client.storage".into(),
            },
        }
    }
}

type Result<T> = std::result::Result<T, HuijiaoError>;

/// One user's connection to one server.
#[derive(uniffi::Object)]
pub struct HuijiaoClient {
    inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl HuijiaoClient {
    /// `language`: "zh-CN" or "en" for the server's messages. Supervisee phones pass their
    /// stable install id as `device_id`.
    #[uniffi::constructor]
    pub fn new(
        base_url: String,
        device_id: Option<String>,
        tokens: Arc<dyn TokenStore>,
        language: String,
    ) -> Result<Arc<Self>> {
        let lang = Lang::from_accept_language(Some(&language));
        let _rt = RUNTIME.enter();
        Ok(Arc::new(HuijiaoClient {
            inner: Arc::new(Client::new(&base_url, device_id, tokens, lang)?),
        }))
    }

    pub fn is_signed_in(&self) -> bool {
        self.inner.is_signed_in()
    }

    pub async fn login(&self, username: String, password: String) -> Result<MeView> {
        Ok(self.inner.login(&username, &password).await?)
    }

    pub async fn logout(&self) -> Result<()> {
        Ok(self.inner.logout().await?)
    }

    pub async fn me(&self) -> Result<MeView> {
        Ok(self.inner.me().await?)
    }

    /// The jurisdiction's leave rules, to pass to `assess_leave` (fetch once per session).
    pub async fn leave_rules(&self) -> Result<huijiao_core::policy::leave::LeaveRules> {
        Ok(self.inner.leave_rules().await?)
    }

    /// What the case must do now, including the reporting interval of the level in force.
    pub async fn obligations(&self, case_id: Uuid) -> Result<ObligationsView> {
        Ok(self.inner.obligations(case_id).await?)
    }

    /// A check-in now: asks for a code, then sends the selfie (JPEG or PNG bytes) and the fix.
    pub async fn check_in(
        &self,
        photo: Vec<u8>,
        location: GpsFix,
        app_version: String,
    ) -> Result<CheckinView> {
        use base64::Engine;
        let challenge = self.inner.checkin_challenge().await?;
        let req = CheckinRequest {
            nonce: challenge.nonce,
            photo: base64::engine::general_purpose::STANDARD.encode(photo),
            location,
            app_version,
            idempotency_key: Uuid::new_v4().to_string(),
        };
        Ok(self.inner.submit_checkin(&req).await?)
    }

    pub async fn apply_leave(&self, case_id: Uuid, req: LeaveCreateRequest) -> Result<LeaveView> {
        Ok(self.inner.apply_leave(case_id, &req).await?)
    }

    pub async fn cases(&self) -> Result<Vec<CaseSummaryView>> {
        Ok(self.inner.cases().await?)
    }

    pub async fn alerts(&self) -> Result<Vec<AlertView>> {
        Ok(self.inner.alerts().await?)
    }

    pub async fn leave_queue(&self) -> Result<Vec<LeaveView>> {
        Ok(self.inner.leave_queue().await?)
    }

    pub async fn decide_leave(
        &self,
        id: Uuid,
        approve: bool,
        req: LeaveDecisionRequest,
    ) -> Result<LeaveView> {
        Ok(self.inner.decide_leave(id, approve, &req).await?)
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

    pub async fn positions(&self) -> Result<Vec<PositionView>> {
        Ok(self.inner.positions().await?)
    }

    pub async fn track(
        &self,
        case_id: Uuid,
        from: std::time::SystemTime,
        to: std::time::SystemTime,
        tolerance_m: Option<f64>,
    ) -> Result<TrackView> {
        Ok(self
            .inner
            .track(case_id, from.into(), to.into(), tolerance_m)
            .await?)
    }

    pub async fn case(&self, id: Uuid) -> Result<CaseView> {
        Ok(self.inner.case(id).await?)
    }

    pub async fn leaves_of(&self, case_id: Uuid) -> Result<Vec<LeaveView>> {
        Ok(self.inner.leaves_of(case_id).await?)
    }

    pub async fn acknowledge_alert(&self, id: Uuid) -> Result<AlertView> {
        Ok(self.inner.acknowledge_alert(id).await?)
    }

    pub async fn resolve_alert(&self, id: Uuid, note: String) -> Result<AlertView> {
        Ok(self.inner.resolve_alert(id, &note).await?)
    }

    pub async fn send_locations(&self, req: LocationBatchRequest) -> Result<LocationBatchResult> {
        Ok(self.inner.send_locations(&req).await?)
    }

    pub async fn create_fence(&self, req: FenceRequest) -> Result<FenceView> {
        Ok(self.inner.create_fence(&req).await?)
    }

    /// Changes the password; other sessions end.
    pub async fn change_password(&self, req: PasswordChangeRequest) -> Result<()> {
        Ok(self.inner.change_password(&req).await?)
    }

    /// The declared sensitive periods (重大节会).
    pub async fn sensitive_periods(&self) -> Result<Vec<SensitivePeriodView>> {
        Ok(self.inner.sensitive_periods().await?)
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

    pub async fn checkins_of(&self, case_id: Uuid) -> Result<Vec<CheckinView>> {
        Ok(self.inner.checkins_of(case_id).await?)
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

    pub async fn face_history(&self, case_id: Uuid) -> Result<Vec<FaceTemplateView>> {
        Ok(self.inner.face_history(case_id).await?)
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
    pub async fn approve_device(&self, case_id: Uuid, device_id: Uuid) -> Result<DeviceView> {
        Ok(self.inner.approve_device(case_id, device_id).await?)
    }

    pub async fn revoke_device(&self, case_id: Uuid, device_id: Uuid) -> Result<DeviceView> {
        Ok(self.inner.revoke_device(case_id, device_id).await?)
    }

    pub async fn investigations(&self) -> Result<Vec<InvestigationView>> {
        Ok(self.inner.investigations().await?)
    }

    pub async fn create_investigation(
        &self,
        req: InvestigationCreateRequest,
    ) -> Result<InvestigationView> {
        Ok(self.inner.create_investigation(&req).await?)
    }

    pub async fn investigation(&self, id: Uuid) -> Result<InvestigationView> {
        Ok(self.inner.investigation(id).await?)
    }

    pub async fn file_investigation_opinion(
        &self,
        id: Uuid,
        req: InvestigationOpinionRequest,
    ) -> Result<InvestigationView> {
        Ok(self.inner.file_investigation_opinion(id, &req).await?)
    }

    /// Every fence binding a supervisee: their own and their units'.
    pub async fn fences_of(&self, case_id: Uuid) -> Result<Vec<FenceView>> {
        Ok(self.inner.fences_of(case_id).await?)
    }

    pub async fn fence(&self, id: Uuid) -> Result<FenceView> {
        Ok(self.inner.fence(id).await?)
    }

    pub async fn update_fence(&self, id: Uuid, req: FenceUpdateRequest) -> Result<FenceView> {
        Ok(self.inner.update_fence(id, &req).await?)
    }

    pub async fn archive_fence(&self, id: Uuid) -> Result<FenceView> {
        Ok(self.inner.archive_fence(id).await?)
    }

    pub async fn units(&self) -> Result<Vec<UnitView>> {
        Ok(self.inner.units().await?)
    }

    pub async fn unit(&self, id: Uuid) -> Result<UnitView> {
        Ok(self.inner.unit(id).await?)
    }

    pub async fn create_unit(&self, req: UnitCreateRequest) -> Result<UnitView> {
        Ok(self.inner.create_unit(&req).await?)
    }

    pub async fn users(&self) -> Result<Vec<UserView>> {
        Ok(self.inner.users().await?)
    }

    pub async fn create_user(&self, req: UserCreateRequest) -> Result<UserView> {
        Ok(self.inner.create_user(&req).await?)
    }

    pub async fn unlock_user(&self, id: Uuid) -> Result<UserView> {
        Ok(self.inner.unlock_user(id).await?)
    }

    pub async fn disable_user(&self, id: Uuid) -> Result<UserView> {
        Ok(self.inner.disable_user(id).await?)
    }

    pub async fn enable_user(&self, id: Uuid) -> Result<UserView> {
        Ok(self.inner.enable_user(id).await?)
    }

    pub async fn declare_sensitive_period(
        &self,
        req: SensitivePeriodRequest,
    ) -> Result<SensitivePeriodView> {
        Ok(self.inner.declare_sensitive_period(&req).await?)
    }

    /// The audit log (audit admin).
    pub async fn audit(&self) -> Result<Vec<AuditEntryView>> {
        Ok(self.inner.audit().await?)
    }

    /// Checks the audit hash chain.
    pub async fn verify_audit(&self) -> Result<AuditVerifyView> {
        Ok(self.inner.verify_audit().await?)
    }

    /// Starts the live event stream; it runs until the returned handle is dropped.
    pub fn subscribe_events(&self, listener: Arc<dyn EventListener>) -> Arc<TaskHandle> {
        let _rt = RUNTIME.enter();
        Arc::new(TaskHandle {
            inner: self.inner.subscribe_events(listener),
        })
    }
}

/// A background task of the core; dropping the handle (or `cancel`) stops it.
#[derive(uniffi::Object)]
pub struct TaskHandle {
    inner: Subscription,
}

#[uniffi::export]
impl TaskHandle {
    pub fn cancel(&self) {
        self.inner.cancel();
    }
}

/// Writes kept on the phone until the server has them.
#[derive(uniffi::Object)]
pub struct HuijiaoOutbox {
    inner: Arc<Outbox>,
    client: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl HuijiaoOutbox {
    /// Opens (or creates) the outbox file at `path` for `client`'s user.
    #[uniffi::constructor]
    pub async fn open(path: String, client: Arc<HuijiaoClient>) -> Result<Arc<Self>> {
        Ok(Arc::new(HuijiaoOutbox {
            inner: Arc::new(Outbox::open(std::path::Path::new(&path)).await?),
            client: client.inner.clone(),
        }))
    }

    /// Queues fixes as one batch; returns its id.
    pub async fn enqueue_locations(&self, points: Vec<LocationPointIn>) -> Result<Uuid> {
        let batch = LocationBatchRequest {
            batch_id: Uuid::new_v4(),
            points,
        };
        self.inner.enqueue_locations(&batch).await?;
        Ok(batch.batch_id)
    }

    /// Queues a check-in taken offline; its code is fetched when it is sent.
    pub async fn enqueue_checkin(
        &self,
        photo: Vec<u8>,
        location: GpsFix,
        app_version: String,
    ) -> Result<String> {
        use base64::Engine;
        let key = Uuid::new_v4().to_string();
        self.inner
            .enqueue_checkin(
                base64::engine::general_purpose::STANDARD.encode(photo),
                location,
                app_version,
                key.clone(),
            )
            .await?;
        Ok(key)
    }

    /// Sends what is due; call it when the network returns and now and then.
    pub async fn flush(&self) -> Result<FlushReport> {
        Ok(self.inner.flush(&self.client).await?)
    }

    pub async fn items(&self) -> Result<Vec<OutboxItem>> {
        Ok(self.inner.items().await?)
    }

    /// Shows the outbox as it changes (pending, sent, rejected) until the handle is dropped.
    pub fn observe(&self, listener: Arc<dyn OutboxListener>) -> Arc<TaskHandle> {
        let _rt = RUNTIME.enter();
        Arc::new(TaskHandle {
            inner: self.inner.observe(listener),
        })
    }
}

// ---- the same rules as the server, to explain before the user acts -----------------------

/// The level that must approve a leave from `start` to `end` applied for `today` under the
/// jurisdiction's `rules` (`HuijiaoClient::leave_rules`), and why ("this leave needs county
/// approval"). `other_starts`/`other_ends`: the supervisee's other approved or taken leaves,
/// pairwise.
#[uniffi::export]
pub fn assess_leave(
    rules: huijiao_core::policy::leave::LeaveRules,
    today: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
    other_starts: Vec<NaiveDate>,
    other_ends: Vec<NaiveDate>,
    urgent: bool,
) -> Result<huijiao_core::policy::leave::LeaveAssessment> {
    let others: Vec<_> = other_starts.into_iter().zip(other_ends).collect();
    huijiao_core::policy::leave::assess_leave(&rules, today, start, end, &others, urgent).map_err(
        |code| HuijiaoError::Validation {
            field: "start_date".into(),
            detail: code.code().into(),
        },
    )
}

/// Minutes between location reports at a level ("reporting interval is 10 min").
#[uniffi::export]
pub fn location_interval_minutes(
    level: huijiao_core::model::SupervisionLevel,
    in_sensitive_period: bool,
) -> u32 {
    let level = huijiao_core::policy::effective_level(level, in_sensitive_period);
    huijiao_core::policy::Jurisdiction::default()
        .obligations(level)
        .location_interval_minutes
}

/// The check-in window holding `date` for a case supervised since `start_date` ("next check-in
/// due by…").
#[uniffi::export]
pub fn checkin_window(
    level: huijiao_core::model::SupervisionLevel,
    in_sensitive_period: bool,
    start_date: NaiveDate,
    date: NaiveDate,
) -> huijiao_core::policy::schedule::Window {
    huijiao_core::policy::schedule::window_for(
        &Default::default(),
        level,
        in_sensitive_period,
        start_date,
        date,
    )
}

/// The version of the core and of this API, for the app's "about" screen and bug reports.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").into()
}
