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
use huijiao_core::policy::transitions;
use huijiao_core::{ErrorCode, Lang};
use uuid::Uuid;

mod alerts;
mod assessments;
mod audit;
mod cases;
mod checkins;
mod help;
mod investigations;
mod learning;
mod locations;
mod org;
mod requests;
mod rollcalls;
mod sanctions;
mod service;
mod visits;

/// A page of one list for the apps (uniffi records are not generic): `items`, and `next` to
/// pass back for the page after it, absent on the last one.
#[macro_export]
macro_rules! page_record {
    ($name:ident, $item:ty) => {
        #[derive(uniffi::Record)]
        pub struct $name {
            pub items: Vec<$item>,
            pub next: Option<String>,
        }

        impl From<huijiao_core::api::Page<$item>> for $name {
            fn from(p: huijiao_core::api::Page<$item>) -> Self {
                $name {
                    items: p.items,
                    next: p.next,
                }
            }
        }
    };
}

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
    /// Sign in again (expired session, wrong password, locked account…); `code` says which.
    #[error("unauthorized: {code}")]
    Unauthorized { code: String },
    /// Signed in, but not allowed this (`access.forbidden`, `leave.needs_county_approval`, a
    /// phone not approved…): show why, do not sign out.
    #[error("forbidden: {code}")]
    Forbidden { code: String },
    /// Too many attempts (check-ins today, sign-ins from this network): wait or call the
    /// officer, as `code` says; retrying now does not help.
    #[error("too many attempts: {code}")]
    TooManyAttempts { code: String },
    /// The server took too long with this request: it may or may not have been done, so
    /// retry with the same idempotency key.
    #[error("timed out")]
    Timeout,
    /// The input is wrong; `field` names it (empty when not one field), `detail` says how,
    /// `code` is the server's stable code (`face.too_dark`, `liveness.pose_not_met`…) for the
    /// app to pick its screen. (Not `message`: Kotlin exceptions already have one.)
    #[error("invalid {field}: {detail}")]
    Validation {
        field: String,
        detail: String,
        code: String,
    },
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
                    (401 | 423, _) => HuijiaoError::Unauthorized { code },
                    (403, _) => HuijiaoError::Forbidden { code },
                    (429, _) => HuijiaoError::TooManyAttempts { code },
                    (408, _) => HuijiaoError::Timeout,
                    (404, _) => HuijiaoError::NotFound,
                    (409, _) => HuijiaoError::Conflict { code },
                    (400 | 422, _) => {
                        let first = problem.errors.first();
                        HuijiaoError::Validation {
                            field: first.map(|f| f.field.clone()).unwrap_or_default(),
                            detail: first.map_or_else(|| code.clone(), |f| f.message.clone()),
                            code,
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

    /// Changes the password; other sessions end.
    pub async fn change_password(&self, req: PasswordChangeRequest) -> Result<()> {
        Ok(self.inner.change_password(&req).await?)
    }

    /// Starts the live event stream; it runs until the returned handle is dropped.
    pub fn subscribe_events(&self, listener: Arc<dyn EventListener>) -> Arc<TaskHandle> {
        let _rt = RUNTIME.enter();
        Arc::new(TaskHandle {
            inner: self.inner.subscribe_events(listener),
        })
    }

    // ---- the screens (core `app`): state to draw, intents to call ----------------------

    /// The sign-in screen.
    pub fn sign_in_screen(&self) -> Arc<huijiao_core::app::shared::sign_in::SignInScreen> {
        huijiao_core::app::shared::sign_in::SignInScreen::new(self.inner.clone())
    }

    /// Setting a new password (`Route::ChangePassword`, or from settings).
    pub fn password_screen(&self) -> Arc<huijiao_core::app::shared::password::PasswordScreen> {
        huijiao_core::app::shared::password::PasswordScreen::new(self.inner.clone())
    }

    /// Choosing a place without a map (a leave's destination, a new home): its `result` goes
    /// to the form. Works offline.
    pub fn place_picker_screen(
        &self,
    ) -> Arc<huijiao_core::app::shared::place_picker::PlacePickerScreen> {
        huijiao_core::app::shared::place_picker::PlacePickerScreen::new(self.inner.clone())
    }

    /// Settings: the account, the language, what `outbox` still has to send, signing out.
    pub async fn settings_screen(
        &self,
        outbox: Option<Arc<HuijiaoOutbox>>,
    ) -> Arc<huijiao_core::app::shared::settings::SettingsScreen> {
        huijiao_core::app::shared::settings::SettingsScreen::open(
            self.inner.clone(),
            outbox.map(|o| o.inner.clone()),
        )
        .await
    }

    /// The supervisee's Today screen for their own case (`MeView.case_id`), starting from
    /// what `outbox` kept of it; call `refresh` to read the server.
    pub async fn today_screen(
        &self,
        case_id: Uuid,
        outbox: Option<Arc<HuijiaoOutbox>>,
    ) -> Arc<huijiao_core::app::supervisee::today::TodayScreen> {
        huijiao_core::app::supervisee::today::TodayScreen::open(
            self.inner.clone(),
            outbox.map(|o| o.inner.clone()),
            case_id,
        )
        .await
    }

    /// The supervisee's face check-in, step by step; `outbox` keeps one made offline.
    pub fn checkin_screen(
        &self,
        outbox: Option<Arc<HuijiaoOutbox>>,
        app_version: String,
    ) -> Arc<huijiao_core::app::supervisee::checkin::CheckinScreen> {
        huijiao_core::app::supervisee::checkin::CheckinScreen::new(
            self.inner.clone(),
            outbox.map(|o| o.inner.clone()),
            app_version,
        )
    }

    /// The supervisee's leave request form, checked against the jurisdiction's rules.
    pub async fn leave_form_screen(
        &self,
        case_id: Uuid,
    ) -> Arc<huijiao_core::app::supervisee::leave_form::LeaveFormScreen> {
        huijiao_core::app::supervisee::leave_form::LeaveFormScreen::open(
            self.inner.clone(),
            case_id,
        )
        .await
    }

    /// The supervisee's activity areas for the map, and whether the phone's fix is inside;
    /// starts from what `outbox` kept.
    pub async fn areas_screen(
        &self,
        outbox: Option<Arc<HuijiaoOutbox>>,
    ) -> Arc<huijiao_core::app::supervisee::areas::AreasScreen> {
        huijiao_core::app::supervisee::areas::AreasScreen::open(
            self.inner.clone(),
            outbox.map(|o| o.inner.clone()),
        )
        .await
    }

    /// The supervisee's visitor registration, said to need approval or not by the rules.
    pub async fn visitor_form_screen(
        &self,
        case_id: Uuid,
    ) -> Arc<huijiao_core::app::supervisee::visitor_form::VisitorFormScreen> {
        huijiao_core::app::supervisee::visitor_form::VisitorFormScreen::open(
            self.inner.clone(),
            case_id,
        )
        .await
    }

    /// The supervisee asking to move, and their moves.
    pub async fn move_form_screen(
        &self,
        case_id: Uuid,
    ) -> Arc<huijiao_core::app::supervisee::move_form::MoveFormScreen> {
        huijiao_core::app::supervisee::move_form::MoveFormScreen::open(self.inner.clone(), case_id)
            .await
    }

    /// The supervisee's own leave requests with the actions allowed now.
    pub async fn leaves_screen(
        &self,
        case_id: Uuid,
    ) -> Arc<huijiao_core::app::supervisee::leaves::LeavesScreen> {
        huijiao_core::app::supervisee::leaves::LeavesScreen::open(self.inner.clone(), case_id).await
    }

    /// The supervisee's video roll call: one ringing (its answer page for the WebView, or the
    /// SDP exchange), and how the last one ended.
    pub async fn roll_call_screen(
        &self,
        case_id: Uuid,
    ) -> Arc<huijiao_core::app::supervisee::roll_call::RollCallScreen> {
        huijiao_core::app::supervisee::roll_call::RollCallScreen::open(self.inner.clone(), case_id)
            .await
    }

    /// The supervisee's decisions (to acknowledge) and notices, starting from what `outbox`
    /// kept; call `refresh` to read the server.
    pub async fn decisions_screen(
        &self,
        case_id: Uuid,
        outbox: Option<Arc<HuijiaoOutbox>>,
    ) -> Arc<huijiao_core::app::supervisee::decisions::DecisionsScreen> {
        huijiao_core::app::supervisee::decisions::DecisionsScreen::open(
            self.inner.clone(),
            outbox.map(|o| o.inner.clone()),
            case_id,
        )
        .await
    }

    /// The supervisee's education: the month's minutes, courses and lessons, starting from
    /// what `outbox` kept; study time made offline waits in `outbox`. Its `lesson`, `quiz`
    /// and `reflection` open the study loop, an attempt and a reflection.
    pub async fn study_screen(
        &self,
        case_id: Uuid,
        outbox: Option<Arc<HuijiaoOutbox>>,
    ) -> Arc<huijiao_core::app::supervisee::study::StudyScreen> {
        huijiao_core::app::supervisee::study::StudyScreen::open(
            self.inner.clone(),
            outbox.map(|o| o.inner.clone()),
            case_id,
        )
        .await
    }

    /// The supervisee's community service: the month's minutes, activities to sign up for,
    /// and the organiser's code scanned on site; starts from what `outbox` kept.
    pub async fn service_screen(
        &self,
        case_id: Uuid,
        outbox: Option<Arc<HuijiaoOutbox>>,
    ) -> Arc<huijiao_core::app::supervisee::community_service::ServiceScreen> {
        huijiao_core::app::supervisee::community_service::ServiceScreen::open(
            self.inner.clone(),
            outbox.map(|o| o.inner.clone()),
            case_id,
        )
        .await
    }

    /// The officer's work queue, starting from what `outbox` kept of it; call `refresh` to
    /// read the server. Its `decide(id)` opens a request's decision.
    pub async fn queue_screen(
        &self,
        outbox: Option<Arc<HuijiaoOutbox>>,
    ) -> Arc<huijiao_core::app::officer::work_queue::QueueScreen> {
        huijiao_core::app::officer::work_queue::QueueScreen::open(
            self.inner.clone(),
            outbox.map(|o| o.inner.clone()),
        )
        .await
    }

    /// The volunteer's people, starting from what `outbox` kept; help sessions logged
    /// offline wait in `outbox`. Its `log_help(case_id)` opens the help log.
    pub async fn people_screen(
        &self,
        outbox: Option<Arc<HuijiaoOutbox>>,
    ) -> Arc<huijiao_core::app::volunteer::people::PeopleScreen> {
        huijiao_core::app::volunteer::people::PeopleScreen::open(
            self.inner.clone(),
            outbox.map(|o| o.inner.clone()),
        )
        .await
    }

    /// The volunteer's service record and certificates, starting from what `outbox` kept.
    pub async fn record_screen(
        &self,
        outbox: Option<Arc<HuijiaoOutbox>>,
    ) -> Arc<huijiao_core::app::volunteer::record::RecordScreen> {
        huijiao_core::app::volunteer::record::RecordScreen::open(
            self.inner.clone(),
            outbox.map(|o| o.inner.clone()),
        )
        .await
    }

    /// The officer's caseload, starting from what `outbox` kept; its `case(id)` opens one.
    pub async fn cases_screen(
        &self,
        outbox: Option<Arc<HuijiaoOutbox>>,
    ) -> Arc<huijiao_core::app::officer::caseload::CasesScreen> {
        huijiao_core::app::officer::caseload::CasesScreen::open(
            self.inner.clone(),
            outbox.map(|o| o.inner.clone()),
        )
        .await
    }

    /// Recording a home visit or a talk for `case_id` (`person` as the app's list names
    /// them); `outbox` keeps it when the phone is offline.
    pub async fn field_visit_screen(
        &self,
        case_id: Uuid,
        person: String,
        outbox: Option<Arc<HuijiaoOutbox>>,
    ) -> Arc<huijiao_core::app::officer::field_visit::FieldVisitScreen> {
        huijiao_core::app::officer::field_visit::FieldVisitScreen::open(
            self.inner.clone(),
            outbox.map(|o| o.inner.clone()),
            case_id,
            person,
        )
        .await
    }

    /// Video roll calls: choose people and call them, today's calls, one watched live.
    pub async fn roll_calls_screen(
        &self,
    ) -> Arc<huijiao_core::app::officer::calling::RollCallsScreen> {
        huijiao_core::app::officer::calling::RollCallsScreen::open(self.inner.clone()).await
    }

    /// Electronic tag orders for `case_id` (the county decides).
    pub async fn tagging_screen(
        &self,
        case_id: Uuid,
        person: String,
    ) -> Arc<huijiao_core::app::officer::tagging::TaggingScreen> {
        huijiao_core::app::officer::tagging::TaggingScreen::open(
            self.inner.clone(),
            case_id,
            person,
        )
        .await
    }

    /// Releasing `case_id` at term end, and its certificate.
    pub async fn release_screen(
        &self,
        case_id: Uuid,
    ) -> Arc<huijiao_core::app::officer::releasing::ReleaseScreen> {
        huijiao_core::app::officer::releasing::ReleaseScreen::open(self.inner.clone(), case_id)
            .await
    }

    /// The monthly assessment of `case_id` (`person` as the app's list names them).
    pub async fn assessment_screen(
        &self,
        case_id: Uuid,
        person: String,
    ) -> Arc<huijiao_core::app::officer::month_review::AssessmentScreen> {
        huijiao_core::app::officer::month_review::AssessmentScreen::open(
            self.inner.clone(),
            case_id,
            person,
        )
        .await
    }

    /// Proposing a reward or sanction for `case_id`, with what the facts support.
    pub async fn sanction_form_screen(
        &self,
        case_id: Uuid,
        person: String,
    ) -> Arc<huijiao_core::app::officer::sanction_form::SanctionFormScreen> {
        huijiao_core::app::officer::sanction_form::SanctionFormScreen::open(
            self.inner.clone(),
            case_id,
            person,
        )
        .await
    }

    // ---- one object per domain, sharing this client's session ------------------------

    /// Cases: the caseload, intake, levels and status, plans, teams, devices.
    pub fn cases(&self) -> Arc<cases::CasesClient> {
        Arc::new(cases::CasesClient {
            inner: self.inner.clone(),
        })
    }

    /// Leave (外出), relocation (迁居) and visitor (会客) requests, and leave evidence.
    pub fn requests(&self) -> Arc<requests::RequestsClient> {
        Arc::new(requests::RequestsClient {
            inner: self.inner.clone(),
        })
    }

    /// Face enrolment, check-ins, obligations, sensitive periods and check-in requests.
    pub fn checkins(&self) -> Arc<checkins::CheckinsClient> {
        Arc::new(checkins::CheckinsClient {
            inner: self.inner.clone(),
        })
    }

    /// Video roll calls (视频点名).
    pub fn roll_calls(&self) -> Arc<rollcalls::RollCallsClient> {
        Arc::new(rollcalls::RollCallsClient {
            inner: self.inner.clone(),
        })
    }

    /// Help sessions and the volunteer service record.
    pub fn help(&self) -> Arc<help::HelpClient> {
        Arc::new(help::HelpClient {
            inner: self.inner.clone(),
        })
    }

    /// Rewards and sanctions: advice, proposals, decisions, acknowledgements.
    pub fn sanctions(&self) -> Arc<sanctions::SanctionsClient> {
        Arc::new(sanctions::SanctionsClient {
            inner: self.inner.clone(),
        })
    }

    /// Community service: activities, sign-ups, presence on site, the month's hours.
    pub fn service(&self) -> Arc<service::ServiceClient> {
        Arc::new(service::ServiceClient {
            inner: self.inner.clone(),
        })
    }

    /// The monthly assessment: drafts, confirmations, the confirmed months.
    pub fn assessments(&self) -> Arc<assessments::AssessmentsClient> {
        Arc::new(assessments::AssessmentsClient {
            inner: self.inner.clone(),
        })
    }

    /// Field work: home visits, talks, office reports, and what is due.
    pub fn visits(&self) -> Arc<visits::VisitsClient> {
        Arc::new(visits::VisitsClient {
            inner: self.inner.clone(),
        })
    }

    /// Education: courses, study sessions, the monthly ledger.
    pub fn learning(&self) -> Arc<learning::LearningClient> {
        Arc::new(learning::LearningClient {
            inner: self.inner.clone(),
        })
    }

    /// Location reports, fences, tracks and positions.
    pub fn locations(&self) -> Arc<locations::LocationsClient> {
        Arc::new(locations::LocationsClient {
            inner: self.inner.clone(),
        })
    }

    /// Alerts for officers.
    pub fn alerts(&self) -> Arc<alerts::AlertsClient> {
        Arc::new(alerts::AlertsClient {
            inner: self.inner.clone(),
        })
    }

    /// Pre-sentence investigations (调查评估).
    pub fn investigations(&self) -> Arc<investigations::InvestigationsClient> {
        Arc::new(investigations::InvestigationsClient {
            inner: self.inner.clone(),
        })
    }

    /// Units and accounts (the admin duties).
    pub fn org(&self) -> Arc<org::OrgClient> {
        Arc::new(org::OrgClient {
            inner: self.inner.clone(),
        })
    }

    /// The audit log (the audit admin).
    pub fn audit(&self) -> Arc<audit::AuditClient> {
        Arc::new(audit::AuditClient {
            inner: self.inner.clone(),
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

    /// Queues heartbeats of a study session the network could not take (each sequence number
    /// counts once on the server, so a batch sent twice is harmless).
    pub async fn enqueue_study_beats(&self, session_id: Uuid, beats: Vec<StudyBeat>) -> Result<()> {
        Ok(self
            .inner
            .enqueue_study_beats(session_id, &StudyBeats { beats })
            .await?)
    }

    /// Queues a help session the network could not take; its `id` keeps a resend the same
    /// session.
    pub async fn enqueue_help_session(&self, case_id: Uuid, session: HelpSessionNew) -> Result<()> {
        Ok(self.inner.enqueue_help_session(case_id, &session).await?)
    }

    /// Queues a visit an officer recorded without a network; its `id` keeps a resend the
    /// same record.
    pub async fn enqueue_visit(&self, case_id: Uuid, visit: VisitNew) -> Result<()> {
        Ok(self.inner.enqueue_visit(case_id, &visit).await?)
    }

    /// Queues a check-in the network could not take. Taken offline, `nonce` is `None` and
    /// `frames` empty: a code is fetched when it is sent, and an officer reviews the face (no
    /// pose proved it live). Taken for a code, pass the code and its frames: they are sent
    /// while the code lives, and as an offline check-in after.
    pub async fn enqueue_checkin(
        &self,
        photo: Vec<u8>,
        nonce: Option<String>,
        frames: Vec<Vec<u8>>,
        location: GpsFix,
        app_version: String,
    ) -> Result<String> {
        use base64::Engine;
        let b64 = |p: &[u8]| base64::engine::general_purpose::STANDARD.encode(p);
        let key = Uuid::new_v4().to_string();
        self.inner
            .enqueue_checkin(
                b64(&photo),
                nonce.map(|n| (n, frames.iter().map(|f| b64(f)).collect())),
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

    /// Sends everything that waits now, backoff forgotten: call it when the connection has
    /// just come back (the event stream's `Connected`).
    pub async fn flush_now(&self) -> Result<FlushReport> {
        Ok(self.inner.flush_now(&self.client).await?)
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
/// jurisdiction's `rules` (`requests().rules().leave`), and why ("this leave needs county
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
            detail: code.message(huijiao_core::error::Lang::En).into(),
            code: code.code().into(),
        },
    )
}

/// The actions the signed-in user may take on `leave` now (the buttons to show): the server's
/// own state table. `role` and `officer_level` come from `me()` and the officer's unit.
#[uniffi::export]
pub fn leave_actions(
    leave: LeaveView,
    role: huijiao_core::model::Role,
    officer_level: Option<huijiao_core::policy::level::ApprovalLevel>,
) -> Vec<transitions::LeaveAction> {
    huijiao_core::policy::leave::leave_actions(
        leave.status,
        transitions::Party::person(role, officer_level),
        leave.required_level,
        leave.parent_id.is_some(),
    )
}

/// The actions the signed-in user may take on a relocation request now.
#[uniffi::export]
pub fn relocation_actions(
    relocation: RelocationView,
    role: huijiao_core::model::Role,
    officer_level: Option<huijiao_core::policy::level::ApprovalLevel>,
) -> Vec<transitions::RelocationAction> {
    transitions::RELOCATION.possible(
        relocation.status,
        transitions::Party::person(role, officer_level),
    )
}

/// The actions the signed-in user may take on a visitor request now.
#[uniffi::export]
pub fn visitor_actions(
    visit: VisitorView,
    role: huijiao_core::model::Role,
) -> Vec<transitions::VisitorAction> {
    transitions::VISITOR.possible(visit.status, transitions::Party::person(role, None))
}

/// The actions the signed-in officer may take on an alert now.
#[uniffi::export]
pub fn alert_actions(
    alert: AlertView,
    role: huijiao_core::model::Role,
) -> Vec<transitions::AlertAction> {
    transitions::ALERT.possible(alert.state, transitions::Party::person(role, None))
}

/// Minutes between location reports at a level ("reporting interval is 10 min"), by the
/// jurisdiction's `rules.supervision` from `GET /rules`.
#[uniffi::export]
pub fn location_interval_minutes(
    supervision: huijiao_core::policy::Jurisdiction,
    level: huijiao_core::model::SupervisionLevel,
    in_sensitive_period: bool,
) -> u32 {
    let level = huijiao_core::policy::effective_level(level, in_sensitive_period);
    supervision.obligations(level).location_interval_minutes
}

/// The check-in window holding `date` for a case supervised since `start_date` ("next check-in
/// due by…").
#[uniffi::export]
pub fn checkin_window(
    supervision: huijiao_core::policy::Jurisdiction,
    level: huijiao_core::model::SupervisionLevel,
    in_sensitive_period: bool,
    start_date: NaiveDate,
    date: NaiveDate,
) -> huijiao_core::policy::schedule::Window {
    huijiao_core::policy::schedule::window_for(
        &supervision,
        level,
        in_sensitive_period,
        start_date,
        date,
    )
}

/// What the phone says outside any screen (notification channels, permissions), in
/// `language` ("zh-CN" or "en").
#[uniffi::export]
pub fn device_words(language: String) -> huijiao_core::app::shared::device::DeviceWords {
    huijiao_core::app::shared::device::device_words(Lang::from_accept_language(Some(&language)))
}

/// Where the home screen of `role`'s app leads, in `language`.
#[uniffi::export]
pub fn menu(
    role: huijiao_core::model::Role,
    language: String,
) -> Vec<huijiao_core::app::shared::device::MenuEntry> {
    huijiao_core::app::shared::device::menu(role, Lang::from_accept_language(Some(&language)))
}

/// The channels of notices `role`'s app makes (one per kind, so each can be silenced alone).
#[uniffi::export]
pub fn notice_channels(
    role: huijiao_core::model::Role,
    language: String,
) -> Vec<huijiao_core::app::shared::notices::NoticeChannelView> {
    huijiao_core::app::shared::notices::notice_channels(
        role,
        Lang::from_accept_language(Some(&language)),
    )
}

/// What a live event says to `role` when no screen of the app is shown, if anything: the
/// notification to post (a ringing roll call takes the screen).
#[uniffi::export]
pub fn notice(
    role: huijiao_core::model::Role,
    event: EventView,
    language: String,
) -> Option<huijiao_core::app::shared::notices::NoticeView> {
    huijiao_core::app::shared::notices::notice(
        role,
        &event,
        chrono::Utc::now(),
        Lang::from_accept_language(Some(&language)),
    )
}

/// The version of the core and of this API, for the app's "about" screen and bug reports.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, code: &str) -> HuijiaoError {
        let problem: huijiao_core::api::Problem = serde_json::from_value(serde_json::json!({
            "type": "about:blank", "title": "t", "status": status, "code": code, "detail": "d"
        }))
        .unwrap();
        ClientError::Api {
            status,
            problem: Box::new(problem),
        }
        .into()
    }

    /// What the app does next depends on the kind: sign in again, explain, wait, retry.
    #[test]
    fn each_status_is_its_own_kind() {
        assert!(matches!(
            answer(401, "auth.token_expired"),
            HuijiaoError::Unauthorized { .. }
        ));
        assert!(matches!(
            answer(423, "auth.account_locked"),
            HuijiaoError::Unauthorized { .. }
        ));
        for code in ["access.forbidden", "leave.needs_county_approval"] {
            assert!(matches!(answer(403, code), HuijiaoError::Forbidden { code: c } if c == code));
        }
        assert!(matches!(
            answer(429, "checkin.too_many_attempts"),
            HuijiaoError::TooManyAttempts { .. }
        ));
        assert!(matches!(
            answer(408, "request.timeout"),
            HuijiaoError::Timeout
        ));
        assert!(matches!(
            answer(409, "resource.conflict"),
            HuijiaoError::Conflict { .. }
        ));
    }
}
