//! Registering a visitor (会客): who, their relation to the case, when and where, and why.
//! Meeting a victim, complainant, informant or accomplice needs an officer's approval (law
//! art. 23; the jurisdiction's list, `rules.requests`); the form says which before sending and
//! refuses a meeting that needs approval in the past (`policy::requests::assess_visit`, as the
//! server does). Others are recorded only.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::api::VisitorCreateRequest;
use crate::app::text::{self, Text};
use crate::app::{trouble, with_server, Choice, FieldError, Listeners, Route, Watching};
use crate::client::Client;
use crate::error::Lang;
use crate::labels::Label;
use crate::policy::requests::{assess_visit, visit_needs_approval, RequestRules, VisitorRelation};

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VisitorFormState {
    pub title: String,
    pub name_label: String,
    pub name: String,
    pub relation_label: String,
    pub relations: Vec<Choice>,
    pub meeting_label: String,
    /// "明天 15:00".
    pub meeting: Option<String>,
    pub place: String,
    pub purpose: String,
    /// Whether it needs an officer's approval, said.
    pub note: Option<String>,
    pub errors: Vec<FieldError>,
    pub can_submit: bool,
    pub submit_why_not: Option<String>,
    pub busy: bool,
    pub message: Option<String>,
    /// Sent.
    pub done: bool,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait VisitorFormListener: Send + Sync {
    fn changed(&self, state: VisitorFormState);
}

#[derive(Default)]
struct Form {
    name: String,
    relation: Option<VisitorRelation>,
    meeting: Option<DateTime<Utc>>,
    place: String,
    purpose: String,
    busy: bool,
    done: bool,
    server_errors: Vec<FieldError>,
    message: Option<String>,
    route: Option<Route>,
}

const RELATIONS: [VisitorRelation; 5] = [
    VisitorRelation::Victim,
    VisitorRelation::Complainant,
    VisitorRelation::Informant,
    VisitorRelation::Accomplice,
    VisitorRelation::Other,
];

/// Each field's problem at `now`, and what the rules say of the meeting.
fn check(
    f: &Form,
    rules: &RequestRules,
    now: DateTime<Utc>,
    lang: Lang,
) -> (Vec<FieldError>, Option<String>) {
    let mut errors = vec![];
    let mut missing = |field: &str, text: Text| {
        errors.push(FieldError {
            field: field.into(),
            message: text.say(lang, &[]),
        })
    };
    if f.name.trim().is_empty() {
        missing("visitor_name", Text::VisitorNameMissing);
    }
    if f.relation.is_none() {
        missing("relation", Text::RelationMissing);
    }
    if f.meeting.is_none() {
        missing("meeting_at", Text::MeetingMissing);
    }
    if f.place.trim().is_empty() {
        missing("place", Text::PlaceMissing);
    }
    if f.purpose.trim().is_empty() {
        missing("purpose", Text::PurposeMissing);
    }
    let note = f.relation.map(|relation| {
        if visit_needs_approval(rules, relation) {
            Text::VisitNeedsApproval.say(lang, &[relation.label(lang)])
        } else {
            Text::VisitJustRecorded.say(lang, &[])
        }
    });
    if let (Some(relation), Some(meeting)) = (f.relation, f.meeting) {
        if let Err((field, why)) = assess_visit(rules, relation, meeting, now) {
            errors.push(FieldError {
                field: field.into(),
                message: why.get(lang).into(),
            });
        }
    }
    (errors, note)
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct VisitorFormScreen {
    client: Arc<Client>,
    case_id: uuid::Uuid,
    rules: RequestRules,
    form: Mutex<Form>,
    listeners: Listeners<dyn VisitorFormListener>,
}

impl VisitorFormScreen {
    /// The form for the person's own case, under the jurisdiction's rules.
    pub async fn open(client: Arc<Client>, case_id: uuid::Uuid) -> Arc<VisitorFormScreen> {
        let rules = client.rules().await.map(|r| r.requests).unwrap_or_default();
        Arc::new(VisitorFormScreen {
            client,
            case_id,
            rules,
            form: Mutex::new(Form::default()),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, f: &Form) -> VisitorFormState {
        let lang = self.client.lang();
        let now = Utc::now();
        let (errors, note) = check(f, &self.rules, now, lang);
        let why_not = if f.busy {
            Some(Text::Busy.say(lang, &[]))
        } else if f.done {
            f.message.clone()
        } else {
            errors.first().map(|e| e.message.clone())
        };
        VisitorFormState {
            title: Text::VisitorTitle.say(lang, &[]),
            name_label: Text::VisitorNameLabel.say(lang, &[]),
            name: f.name.clone(),
            relation_label: Text::RelationLabel.say(lang, &[]),
            relations: RELATIONS
                .iter()
                .map(|r| Choice {
                    code: r.as_str().into(),
                    label: r.label(lang).into(),
                    chosen: f.relation == Some(*r),
                })
                .collect(),
            meeting_label: Text::MeetingLabel.say(lang, &[]),
            meeting: f.meeting.map(|t| text::when(t, now, lang)),
            place: f.place.clone(),
            purpose: f.purpose.clone(),
            note,
            errors: with_server(errors, &f.server_errors),
            can_submit: why_not.is_none(),
            submit_why_not: why_not,
            busy: f.busy,
            message: f.message.clone(),
            done: f.done,
            route: f.route,
        }
    }

    fn changed(&self, field: &str, change: impl FnOnce(&mut Form)) -> VisitorFormState {
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
impl VisitorFormScreen {
    pub fn state(&self) -> VisitorFormState {
        self.render(&self.form.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn VisitorFormListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub fn set_name(&self, name: String) -> VisitorFormState {
        self.changed("visitor_name", |f| f.name = name)
    }

    /// One of `state().relations`' codes.
    pub fn set_relation(&self, code: String) -> VisitorFormState {
        self.changed("relation", |f| f.relation = VisitorRelation::parse(&code))
    }

    pub fn set_meeting(&self, at: DateTime<Utc>) -> VisitorFormState {
        self.changed("meeting_at", |f| f.meeting = Some(at))
    }

    pub fn set_place(&self, place: String) -> VisitorFormState {
        self.changed("place", |f| f.place = place)
    }

    pub fn set_purpose(&self, purpose: String) -> VisitorFormState {
        self.changed("purpose", |f| f.purpose = purpose)
    }

    /// Sends the registration if the form holds.
    pub async fn submit(&self) -> VisitorFormState {
        let req = {
            let mut f = self.form.lock().expect("not poisoned");
            let (Some(relation), Some(meeting_at), true) =
                (f.relation, f.meeting, self.render(&f).can_submit)
            else {
                return self.render(&f);
            };
            f.busy = true;
            VisitorCreateRequest {
                visitor_name: f.name.trim().into(),
                relation,
                meeting_at,
                place: f.place.trim().into(),
                purpose: f.purpose.trim().into(),
            }
        };
        self.changed("", |_| {});
        let got = self.client.register_visit(self.case_id, &req).await;
        let lang = self.client.lang();
        self.changed("", |f| {
            f.busy = false;
            match got {
                Ok(v) => {
                    f.done = true;
                    f.message = Some(Text::VisitorSent.say(lang, &[v.status.label(lang)]));
                    f.route = Some(Route::SuperviseeToday);
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
