//! Logging a help session (帮扶记录) for one of the volunteer's people, in the field: the kind
//! of help, when it began and for how long, what was done and said, the risks seen (any of
//! them alerts the case's officers: the form says so, and when it is urgent), a follow-up,
//! and the phone's fix if there is one. Checked as the server checks it before anything is
//! sent; without a network it is kept in the outbox and sent once (the session's id, made
//! here, makes a resend the same session).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::api::{GpsFix, HelpSessionNew};
use crate::app::text::{self, Text};
use crate::app::{
    risk_choices, risk_note, toggle_risk, trouble, with_server, Choice, FieldError, Listeners,
    Route, Watching,
};
use crate::client::outbox::Outbox;
use crate::client::{Client, ClientError};
use crate::error::Lang;
use crate::labels::Label;
use crate::model::{HelpKind, RiskFactor};
use crate::policy::help::{check_session, SessionProblem};

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HelpLogState {
    pub title: String,
    /// Whom it is about, as the server names them to a volunteer.
    pub person: String,
    pub kind_label: String,
    pub kinds: Vec<Choice>,
    pub began_label: String,
    /// When it began, in words ("今天 14:00").
    pub began: Option<String>,
    pub minutes_label: String,
    pub minutes: Option<u32>,
    pub notes_label: String,
    pub notes: String,
    pub risks_label: String,
    pub risks: Vec<Choice>,
    /// What the risks chosen will do: alert the officers (at once, when urgent).
    pub risk_note: Option<String>,
    pub follow_up_label: String,
    pub follow_up: String,
    /// The phone's fix is attached.
    pub has_place: bool,
    pub errors: Vec<FieldError>,
    pub can_submit: bool,
    pub submit_why_not: Option<String>,
    pub submit_label: String,
    pub busy: bool,
    pub message: Option<String>,
    /// Sent, or kept on the phone to be sent.
    pub done: bool,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait HelpLogListener: Send + Sync {
    fn changed(&self, state: HelpLogState);
}

/// What the form holds.
#[derive(Debug, Clone, Default)]
pub struct HelpLogInput {
    pub kind: Option<HelpKind>,
    pub began: Option<DateTime<Utc>>,
    pub minutes: Option<u32>,
    pub notes: String,
    pub risks: Vec<RiskFactor>,
    pub follow_up: String,
    pub place: Option<GpsFix>,
}

/// Each field's problem at `now`, as the server would say it: missing ones in the app's own
/// words, the rest by `policy::help::check_session`.
pub fn check(f: &HelpLogInput, now: DateTime<Utc>, lang: Lang) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = vec![];
    let mut problem = |field: &str, message: String| {
        // One problem per field: the first said.
        if !errors.iter().any(|e| e.field == field) {
            errors.push(FieldError {
                field: field.into(),
                message,
            })
        }
    };
    if f.kind.is_none() {
        problem("kind", Text::HelpKindMissing.say(lang, &[]));
    }
    if f.began.is_none() {
        problem("began_at", Text::HelpBeganMissing.say(lang, &[]));
    }
    if f.minutes.is_none() {
        problem("minutes", Text::HelpMinutesMissing.say(lang, &[]));
    }
    if f.notes.trim().is_empty() {
        problem("notes", Text::HelpNotesMissing.say(lang, &[]));
    }
    if let (Some(began), Some(minutes)) = (f.began, f.minutes) {
        match check_session(began, minutes, &f.notes, Some(&f.follow_up), now) {
            Ok(()) => {}
            Err(SessionProblem::Field(field, why)) => problem(field, why.get(lang).into()),
            Err(SessionProblem::Code(code)) => problem("began_at", code.message(lang).into()),
        }
    }
    errors
}

#[derive(Default)]
struct Form {
    input: HelpLogInput,
    busy: bool,
    server_errors: Vec<FieldError>,
    message: Option<String>,
    done: bool,
    route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct HelpLogScreen {
    client: Arc<Client>,
    outbox: Option<Arc<Outbox>>,
    case_id: Uuid,
    person: String,
    /// The session's id, made once: a resend is the same session.
    id: Uuid,
    form: Mutex<Form>,
    listeners: Listeners<dyn HelpLogListener>,
}

impl HelpLogScreen {
    /// A new session for `case_id` (`person` as the list names them); `outbox` keeps it when
    /// the phone is offline.
    pub fn new(
        client: Arc<Client>,
        outbox: Option<Arc<Outbox>>,
        case_id: Uuid,
        person: String,
    ) -> Arc<HelpLogScreen> {
        Arc::new(HelpLogScreen {
            client,
            outbox,
            case_id,
            person,
            id: Uuid::now_v7(),
            form: Mutex::new(Form::default()),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, f: &Form) -> HelpLogState {
        let lang = self.client.lang();
        let now = Utc::now();
        let errors = check(&f.input, now, lang);
        let why_not = if f.busy {
            Some(Text::Busy.say(lang, &[]))
        } else if f.done {
            f.message.clone()
        } else {
            errors.first().map(|e| e.message.clone())
        };
        let errors = with_server(errors, &f.server_errors);
        let choice = |code: &str, label: &str, chosen: bool| Choice {
            code: code.into(),
            label: label.into(),
            chosen,
        };
        HelpLogState {
            title: Text::HelpLogTitle.say(lang, &[]),
            person: self.person.clone(),
            kind_label: Text::HelpKindLabel.say(lang, &[]),
            kinds: HelpKind::ALL
                .iter()
                .map(|k| choice(k.as_str(), k.label(lang), f.input.kind == Some(*k)))
                .collect(),
            began_label: Text::HelpBeganLabel.say(lang, &[]),
            began: f.input.began.map(|t| text::when(t, now, lang)),
            minutes_label: Text::HelpMinutesLabel.say(lang, &[]),
            minutes: f.input.minutes,
            notes_label: Text::HelpNotesLabel.say(lang, &[]),
            notes: f.input.notes.clone(),
            risks_label: Text::HelpRisksLabel.say(lang, &[]),
            risks: risk_choices(&f.input.risks, lang),
            risk_note: risk_note(&f.input.risks, lang),
            follow_up_label: Text::HelpFollowUpLabel.say(lang, &[]),
            follow_up: f.input.follow_up.clone(),
            has_place: f.input.place.is_some(),
            errors,
            can_submit: why_not.is_none(),
            submit_why_not: why_not,
            submit_label: Text::Send.say(lang, &[]),
            busy: f.busy,
            message: f.message.clone(),
            done: f.done,
            route: f.route,
        }
    }

    fn changed(&self, field: &str, change: impl FnOnce(&mut Form)) -> HelpLogState {
        self.listeners.change(
            &self.form,
            |f| {
                change(f);
                f.server_errors.retain(|e| e.field != field);
            },
            |f| self.render(f),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl HelpLogScreen {
    pub fn state(&self) -> HelpLogState {
        self.render(&self.form.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn HelpLogListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// One of `state().kinds`' codes.
    pub fn set_kind(&self, code: String) -> HelpLogState {
        self.changed("kind", |f| f.input.kind = HelpKind::parse(&code))
    }

    pub fn set_began(&self, began: DateTime<Utc>) -> HelpLogState {
        self.changed("began_at", |f| f.input.began = Some(began))
    }

    pub fn set_minutes(&self, minutes: u32) -> HelpLogState {
        self.changed("minutes", |f| f.input.minutes = Some(minutes))
    }

    pub fn set_notes(&self, notes: String) -> HelpLogState {
        self.changed("notes", |f| f.input.notes = notes)
    }

    /// Chooses or unchooses one of `state().risks`' codes.
    pub fn toggle_risk(&self, code: String) -> HelpLogState {
        self.changed("risks", |f| toggle_risk(&mut f.input.risks, &code))
    }

    pub fn set_follow_up(&self, text: String) -> HelpLogState {
        self.changed("follow_up", |f| f.input.follow_up = text)
    }

    /// The phone's fix where the session took place.
    pub fn set_location(&self, fix: GpsFix) -> HelpLogState {
        self.changed("place", |f| f.input.place = Some(fix))
    }

    /// Sends the session if the form holds; without a network, keeps it in the outbox.
    pub async fn submit(&self) -> HelpLogState {
        let req = {
            let mut f = self.form.lock().expect("not poisoned");
            let (Some(kind), Some(began_at), Some(minutes), true) = (
                f.input.kind,
                f.input.began,
                f.input.minutes,
                self.render(&f).can_submit,
            ) else {
                return self.render(&f);
            };
            f.busy = true;
            let follow_up = f.input.follow_up.trim();
            HelpSessionNew {
                id: self.id,
                began_at,
                minutes,
                kind,
                place: f.input.place.clone(),
                notes: f.input.notes.trim().into(),
                risks: f.input.risks.clone(),
                follow_up: (!follow_up.is_empty()).then(|| follow_up.into()),
            }
        };
        self.changed("", |_| {});
        let lang = self.client.lang();
        let got = match self.client.log_help_session(self.case_id, &req).await {
            Err(ClientError::Network(_)) if self.outbox.is_some() => {
                let outbox = self.outbox.as_ref().expect("checked");
                outbox
                    .enqueue_help_session(self.case_id, &req)
                    .await
                    .map(|()| Text::KeptOnPhone)
            }
            other => other.map(|_| Text::HelpSent),
        };
        self.changed("", |f| {
            f.busy = false;
            match got {
                Ok(said) => {
                    f.done = true;
                    f.message = Some(said.say(lang, &[]));
                    f.route = Some(Route::VolunteerPeople);
                }
                Err(e) => {
                    let t = trouble(&e, lang);
                    f.server_errors = t.fields;
                    f.message = Some(t.message);
                    f.route = t.route;
                }
            }
        })
    }
}
