//! Recording a home visit (实地走访) or a talk (个别谈话) in the field: the kind, when, who was
//! met, what was seen and said, the risks seen (any alerts the case's officers), and the
//! phone's fix (a home visit needs it, at the residence). Checked before sending as far as
//! the phone can (the time by `policy::visits::check_when`); without a network it is kept in
//! the outbox with its fix and sent once (its id, made here, makes a resend the same record).
//! Photos are added once the record is on the server, one at a time (at most
//! `VISIT_PHOTOS_MAX`); while it waits on the phone, the screen says so.

use std::sync::{Arc, Mutex};

use base64::Engine;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::api::{GpsFix, VisitNew, VisitPhotoNew};
use crate::app::text::{self, Text};
use crate::app::{
    risk_choices, risk_note, toggle_risk, trouble, with_server, Choice, FieldError, Listeners,
    Route, Watching,
};
use crate::client::outbox::Outbox;
use crate::client::{Client, ClientError};
use crate::error::{ErrorCode, Lang};
use crate::labels::Label;
use crate::model::RiskFactor;
use crate::policy::visits::{check_when, VisitKind, VisitRules, WhenProblem, VISIT_PHOTOS_MAX};

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldVisitState {
    pub title: String,
    pub person: String,
    pub kind_label: String,
    pub kinds: Vec<Choice>,
    pub at_label: String,
    /// "今天 10:30".
    pub at: String,
    pub met_label: String,
    pub met: Vec<String>,
    pub findings_label: String,
    pub findings: String,
    pub risks: Vec<Choice>,
    pub risk_note: Option<String>,
    pub has_place: bool,
    pub errors: Vec<FieldError>,
    pub can_submit: bool,
    pub submit_why_not: Option<String>,
    /// Photos may be added now (the record is on the server); why not otherwise.
    pub can_add_photo: bool,
    pub photo_why_not: Option<String>,
    pub photos: u32,
    pub busy: bool,
    pub message: Option<String>,
    /// Sent, or kept on the phone to be sent.
    pub done: bool,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait FieldVisitListener: Send + Sync {
    fn changed(&self, state: FieldVisitState);
}

/// The kinds recorded from this screen (an office report needs the person's own check-in at
/// the office, recorded there).
const KINDS: [VisitKind; 2] = [VisitKind::HomeVisit, VisitKind::Talk];

struct Form {
    kind: Option<VisitKind>,
    at: DateTime<Utc>,
    met: Vec<String>,
    findings: String,
    risks: Vec<RiskFactor>,
    place: Option<GpsFix>,
    /// On the server, once sent.
    recorded: Option<Uuid>,
    queued: bool,
    photos: u32,
    busy: bool,
    server_errors: Vec<FieldError>,
    message: Option<String>,
    route: Option<Route>,
}

/// Each field's problem at `now`.
fn check(f: &Form, rules: &VisitRules, now: DateTime<Utc>, lang: Lang) -> Vec<FieldError> {
    let mut errors = vec![];
    let mut problem = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            message,
        })
    };
    if f.kind.is_none() {
        problem("kind", Text::VisitKindMissing.say(lang, &[]));
    }
    match check_when(rules, f.at, now) {
        Ok(()) => {}
        Err(WhenProblem::InFuture) => problem("at", ErrorCode::VisitInFuture.message(lang).into()),
        Err(WhenProblem::TooOld) => problem("at", ErrorCode::VisitTooOld.message(lang).into()),
    }
    if f.findings.trim().is_empty() {
        problem("findings", Text::FindingsMissing.say(lang, &[]));
    }
    if f.kind == Some(VisitKind::HomeVisit) && f.place.is_none() {
        problem("place", Text::NeedLocation.say(lang, &[]));
    }
    errors
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct FieldVisitScreen {
    client: Arc<Client>,
    outbox: Option<Arc<Outbox>>,
    case_id: Uuid,
    person: String,
    rules: VisitRules,
    /// The record's id, made once: a resend is the same record.
    id: Uuid,
    form: Mutex<Form>,
    listeners: Listeners<dyn FieldVisitListener>,
}

impl FieldVisitScreen {
    /// A new record for `case_id` (`person` as the list names them), at the time it opens;
    /// `outbox` keeps it when the phone is offline.
    pub async fn open(
        client: Arc<Client>,
        outbox: Option<Arc<Outbox>>,
        case_id: Uuid,
        person: String,
    ) -> Arc<FieldVisitScreen> {
        let rules = client.rules().await.map(|r| r.visits).unwrap_or_default();
        Arc::new(FieldVisitScreen {
            client,
            outbox,
            case_id,
            person,
            rules,
            id: Uuid::now_v7(),
            form: Mutex::new(Form {
                kind: None,
                at: Utc::now(),
                met: vec![],
                findings: String::new(),
                risks: vec![],
                place: None,
                recorded: None,
                queued: false,
                photos: 0,
                busy: false,
                server_errors: vec![],
                message: None,
                route: None,
            }),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, f: &Form) -> FieldVisitState {
        let lang = self.client.lang();
        let now = Utc::now();
        let errors = check(f, &self.rules, now, lang);
        let done = f.recorded.is_some() || f.queued;
        let why_not = if f.busy {
            Some(Text::Busy.say(lang, &[]))
        } else if done {
            f.message.clone()
        } else {
            errors.first().map(|e| e.message.clone())
        };
        let errors = with_server(errors, &f.server_errors);
        let photo_why_not = if f.recorded.is_none() {
            Some(Text::PhotosAfterSending.say(lang, &[]))
        } else if f.photos as usize >= VISIT_PHOTOS_MAX {
            Some(ErrorCode::VisitPhotosFull.message(lang).into())
        } else if f.busy {
            Some(Text::Busy.say(lang, &[]))
        } else {
            None
        };
        let choice = |code: &str, label: &str, chosen: bool| Choice {
            code: code.into(),
            label: label.into(),
            chosen,
        };
        FieldVisitState {
            title: Text::VisitTitle.say(lang, &[]),
            person: self.person.clone(),
            kind_label: Text::VisitKindLabel.say(lang, &[]),
            kinds: KINDS
                .iter()
                .map(|k| choice(k.as_str(), k.label(lang), f.kind == Some(*k)))
                .collect(),
            at_label: Text::VisitAtLabel.say(lang, &[]),
            at: text::when(f.at, now, lang),
            met_label: Text::MetLabel.say(lang, &[]),
            met: f.met.clone(),
            findings_label: Text::FindingsLabel.say(lang, &[]),
            findings: f.findings.clone(),
            risks: risk_choices(&f.risks, lang),
            risk_note: risk_note(&f.risks, lang),
            has_place: f.place.is_some(),
            errors,
            can_submit: why_not.is_none(),
            submit_why_not: why_not,
            can_add_photo: photo_why_not.is_none(),
            photo_why_not,
            photos: f.photos,
            busy: f.busy,
            message: f.message.clone(),
            done,
            route: f.route,
        }
    }

    fn changed(&self, field: &str, change: impl FnOnce(&mut Form)) -> FieldVisitState {
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
impl FieldVisitScreen {
    pub fn state(&self) -> FieldVisitState {
        self.render(&self.form.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn FieldVisitListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// One of `state().kinds`' codes.
    pub fn set_kind(&self, code: String) -> FieldVisitState {
        self.changed("kind", |f| {
            f.kind = VisitKind::parse(&code).filter(|k| KINDS.contains(k))
        })
    }

    /// When it took place (it opens at the time the screen opened).
    pub fn set_at(&self, at: DateTime<Utc>) -> FieldVisitState {
        self.changed("at", |f| f.at = at)
    }

    /// Who was met, each in a few words ("本人", "母亲 王某").
    pub fn set_met(&self, met: Vec<String>) -> FieldVisitState {
        self.changed("met", |f| {
            f.met = met.into_iter().filter(|m| !m.trim().is_empty()).collect()
        })
    }

    pub fn set_findings(&self, findings: String) -> FieldVisitState {
        self.changed("findings", |f| f.findings = findings)
    }

    /// Chooses or unchooses one of `state().risks`' codes.
    pub fn toggle_risk(&self, code: String) -> FieldVisitState {
        self.changed("risks", |f| toggle_risk(&mut f.risks, &code))
    }

    /// The phone's fix where the visit takes place.
    pub fn set_location(&self, fix: GpsFix) -> FieldVisitState {
        self.changed("place", |f| f.place = Some(fix))
    }

    /// Sends the record if the form holds; without a network, keeps it in the outbox.
    pub async fn submit(&self) -> FieldVisitState {
        let req = {
            let mut f = self.form.lock().expect("not poisoned");
            let (Some(kind), true) = (f.kind, self.render(&f).can_submit) else {
                return self.render(&f);
            };
            f.busy = true;
            VisitNew {
                id: self.id,
                kind,
                at: f.at,
                place: f.place.clone(),
                checkin_id: None,
                met: f.met.iter().map(|m| m.trim().to_owned()).collect(),
                findings: f.findings.trim().to_owned(),
                risks: f.risks.clone(),
            }
        };
        self.changed("", |_| {});
        let lang = self.client.lang();
        let got: Result<Option<Uuid>, ClientError> =
            match self.client.record_visit(self.case_id, &req).await {
                Ok(v) => Ok(Some(v.id)),
                Err(ClientError::Network(_)) if self.outbox.is_some() => {
                    let outbox = self.outbox.as_ref().expect("checked");
                    outbox
                        .enqueue_visit(self.case_id, &req)
                        .await
                        .map(|()| None)
                }
                Err(e) => Err(e),
            };
        self.changed("", |f| {
            f.busy = false;
            match got {
                Ok(Some(id)) => {
                    f.recorded = Some(id);
                    f.message = Some(Text::VisitRecorded.say(lang, &[]));
                }
                Ok(None) => {
                    f.queued = true;
                    f.message = Some(Text::KeptOnPhone.say(lang, &[]));
                    f.route = Some(Route::OfficerQueue);
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

    /// Adds a photo (JPEG or PNG as the camera gives it) to the record sent.
    pub async fn add_photo(&self, image: Vec<u8>, content_type: String) -> FieldVisitState {
        let visit = {
            let mut f = self.form.lock().expect("not poisoned");
            let (Some(id), true) = (f.recorded, self.render(&f).can_add_photo) else {
                return self.render(&f);
            };
            f.busy = true;
            id
        };
        self.changed("", |_| {});
        let req = VisitPhotoNew {
            content_type,
            content: base64::engine::general_purpose::STANDARD.encode(&image),
        };
        let got = self.client.add_visit_photo(visit, &req).await;
        let lang = self.client.lang();
        self.changed("", |f| {
            f.busy = false;
            match got {
                Ok(_) => {
                    f.photos += 1;
                    f.message = Some(Text::PhotosAdded.say(lang, &[&f.photos.to_string()]));
                }
                Err(e) => {
                    let t = trouble(&e, lang);
                    f.message = Some(t.message);
                    f.route = t.route;
                }
            }
        })
    }
}
