//! The apps' screens, once (feature `app`): each screen is a model here — its state ready to
//! render in the person's language, the actions it allows now and why not, and one method per
//! thing the person can do — so that the Android and iOS apps only draw the state and hand
//! over what the device has (camera frames, a GPS fix, a scanned code, the token store).
//!
//! Every screen has the same shape: `…Screen` (`state()`, intents, `watch(listener)` returning
//! a handle that stops on drop), `…State` (a record), `…Listener` (a foreign trait receiving
//! each new state). Navigation is a `Route` value. Sentences come from `text`, codes' words
//! from `labels`. What a screen last showed is kept on the device (`Outbox::remember`) and
//! shown with its age when the server cannot be reached.

mod kept;
pub mod officer;
pub mod shared;
pub mod supervisee;
pub mod text;
pub mod volunteer;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::api::MeView;
use crate::client::ClientError;
use crate::error::{ErrorCode, Lang};
use crate::model::Role;
use text::Text;

/// Where the app goes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Route {
    SignIn,
    /// Settings: the account, the language, what waits to be sent, signing out.
    Settings,
    /// The password was reset: a new one before anything else.
    ChangePassword,
    /// The phone waits for the officer's approval.
    DeviceAwaitingApproval,
    /// The supervisee's home: what is due today.
    SuperviseeToday,
    Checkin,
    RollCall,
    Leave,
    /// Registering a visitor.
    Visitor,
    /// Asking to move.
    Move,
    /// The activity area on a map.
    Areas,
    Decisions,
    Study,
    /// One lesson being studied.
    Lesson,
    Quiz,
    Reflection,
    Service,
    /// The officer's home: the work queue.
    OfficerQueue,
    /// An officer deciding what waits in the queue (a request, a review, marks, an alert,
    /// a phone, a sanction).
    Decide,
    /// The officer's caseload, and one case.
    Cases,
    Case,
    /// Recording a home visit or a talk.
    FieldVisit,
    /// Video roll calls: calling people, today's calls.
    RollCalls,
    /// One roll call watched live.
    WatchCall,
    /// A person's monthly assessment.
    Assessment,
    /// Proposing a reward or sanction.
    ProposeSanction,
    /// A person's electronic tag orders.
    Tagging,
    /// Releasing a person at term end.
    Release,
    /// The volunteer's home: their people.
    VolunteerPeople,
    /// A volunteer logging a help session.
    LogHelp,
    /// The volunteer's service record and certificates.
    ServiceRecord,
    /// An administrator's account: administration is done in the browser console.
    UseTheConsole,
}

/// The first screen after signing in, by role.
pub fn home(me: &MeView) -> Route {
    if me.must_change_password {
        return Route::ChangePassword;
    }
    match me.role {
        Role::Supervisee => Route::SuperviseeToday,
        Role::Officer => Route::OfficerQueue,
        Role::Volunteer => Route::VolunteerPeople,
        Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin => Route::UseTheConsole,
    }
}

/// One option of a choice, in words (`code` is the API's code for it).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Choice {
    pub code: String,
    pub label: String,
    pub chosen: bool,
}

/// One labelled line of a record: "目的地：西安市第一医院".
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// One field's problem, in the person's language.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// A form's problems: its own checks first, then the server's word on a field its own checks
/// find nothing wrong with (the server's stands until that field changes).
pub(crate) fn with_server(mut errors: Vec<FieldError>, server: &[FieldError]) -> Vec<FieldError> {
    for e in server {
        if !errors.iter().any(|m| m.field == e.field) {
            errors.push(e.clone());
        }
    }
    errors
}

/// The six risks as choices, those in `chosen` marked.
pub(crate) fn risk_choices(chosen: &[crate::model::RiskFactor], lang: Lang) -> Vec<Choice> {
    use crate::labels::Label;
    crate::model::RiskFactor::ALL
        .iter()
        .map(|r| Choice {
            code: r.as_str().into(),
            label: r.label(lang).into(),
            chosen: chosen.contains(r),
        })
        .collect()
}

/// What the risks chosen will do, said: alert the officers, at once when one is urgent
/// (`policy::help::risk_alert`).
pub(crate) fn risk_note(chosen: &[crate::model::RiskFactor], lang: Lang) -> Option<String> {
    use crate::model::AlertSeverity;
    crate::policy::help::risk_alert(chosen).map(|s| {
        match s {
            AlertSeverity::High | AlertSeverity::Critical => Text::RisksAlertUrgent,
            _ => Text::RisksAlert,
        }
        .say(lang, &[])
    })
}

/// Chooses the risk of `code` if it is not chosen, unchooses it if it is.
pub(crate) fn toggle_risk(chosen: &mut Vec<crate::model::RiskFactor>, code: &str) {
    if let Some(r) = crate::model::RiskFactor::parse(code) {
        match chosen.iter().position(|x| *x == r) {
            Some(at) => {
                chosen.remove(at);
            }
            None => chosen.push(r),
        }
    }
}

/// How fresh what a screen shows is: when it was known, whether the server could not be
/// reached, and a line saying so ("无法连接服务器，以下是 5 分钟前的信息").
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Freshness {
    pub as_of: Option<DateTime<Utc>>,
    pub offline: bool,
    pub note: String,
}

impl Freshness {
    pub fn of(as_of: Option<DateTime<Utc>>, offline: bool, now: DateTime<Utc>, lang: Lang) -> Self {
        let note = match (as_of, offline) {
            (None, true) => Text::NeverLoaded.say(lang, &[]),
            (None, false) => String::new(),
            (Some(t), true) => Text::ShownAsOf.say(lang, &[&text::age(t, now, lang)]),
            (Some(t), false) => Text::UpdatedAt.say(lang, &[&text::age(t, now, lang)]),
        };
        Freshness {
            as_of,
            offline,
            note,
        }
    }
}

/// What a failed call means to the person: a message, the fields at fault, and where to go
/// instead (sign in again, change the password, wait for the phone's approval).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trouble {
    pub message: String,
    pub fields: Vec<FieldError>,
    pub route: Option<Route>,
    /// No answer from the server: what is shown may be old.
    pub offline: bool,
}

pub fn trouble(e: &ClientError, lang: Lang) -> Trouble {
    let plain = |message: String, route| Trouble {
        message,
        fields: vec![],
        route,
        offline: false,
    };
    match e {
        ClientError::Network(_) => Trouble {
            offline: true,
            ..plain(Text::Offline.say(lang, &[]), None)
        },
        ClientError::NotSignedIn => plain(Text::SignInAgain.say(lang, &[]), Some(Route::SignIn)),
        ClientError::Api { status, problem } => {
            let route = match ErrorCode::from_code(&problem.code) {
                Some(ErrorCode::PasswordChangeRequired) => Some(Route::ChangePassword),
                Some(ErrorCode::DevicePending) => Some(Route::DeviceAwaitingApproval),
                Some(ErrorCode::InvalidCredentials) => None,
                _ if *status == 401 => Some(Route::SignIn),
                _ => None,
            };
            Trouble {
                // The server words it in the language the client asked for.
                message: problem.detail.clone(),
                fields: problem
                    .errors
                    .iter()
                    .map(|f| FieldError {
                        field: f.field.clone(),
                        message: f.message.clone(),
                    })
                    .collect(),
                route,
                offline: *status >= 500,
            }
        }
        ClientError::Decode(_) | ClientError::Storage(_) => {
            plain(ErrorCode::Internal.message(lang).into(), None)
        }
    }
}

/// Each listener with the number its handle removes it by.
type Registered<L> = Arc<Mutex<Vec<(u64, Arc<L>)>>>;

/// The listeners of one screen; `watch` returns a handle that removes its listener on drop.
pub(crate) struct Listeners<L: ?Sized> {
    next: Mutex<u64>,
    all: Registered<L>,
}

impl<L: ?Sized + Send + Sync + 'static> Listeners<L> {
    pub(crate) fn new() -> Self {
        Listeners {
            next: Mutex::new(0),
            all: Arc::new(Mutex::new(Vec::new())),
        }
    }

    pub(crate) fn add(&self, listener: Arc<L>) -> Arc<Watching> {
        let id = {
            let mut n = self.next.lock().expect("not poisoned");
            *n += 1;
            *n
        };
        self.all.lock().expect("not poisoned").push((id, listener));
        let all = Arc::downgrade(&self.all);
        Arc::new(Watching {
            stop: Mutex::new(Some(Box::new(move || {
                if let Some(all) = all.upgrade() {
                    all.lock().expect("not poisoned").retain(|(i, _)| *i != id);
                }
            }))),
        })
    }

    /// Changes a screen's `model`, renders the state once, tells every listener (`tell`
    /// calls the listener's own `changed`), and returns the state.
    pub(crate) fn change<M, S: Clone>(
        &self,
        model: &Mutex<M>,
        change: impl FnOnce(&mut M),
        render: impl FnOnce(&M) -> S,
        tell: impl Fn(&L, S),
    ) -> S {
        let state = {
            let mut m = model.lock().expect("not poisoned");
            change(&mut m);
            render(&m)
        };
        self.each(|l| tell(l, state.clone()));
        state
    }

    fn each(&self, tell: impl Fn(&L)) {
        let all: Vec<Arc<L>> = self
            .all
            .lock()
            .expect("not poisoned")
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for l in all {
            tell(&l);
        }
    }
}

/// A screen being watched; dropping it (or `stop`) ends the watching.
#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct Watching {
    stop: Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Watching {
    pub fn stop(&self) {
        if let Some(stop) = self.stop.lock().expect("not poisoned").take() {
            stop();
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.stop();
    }
}
