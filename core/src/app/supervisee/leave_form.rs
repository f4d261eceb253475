//! Asking for leave (外出申请): the form, checked against the jurisdiction's rules as it is
//! filled in — how many days, who decides ("由司法所审批", "须县级社区矫正机构审批"), notice
//! too short (then only as urgent), too far ahead, more leave in the window than allowed —
//! before anything is sent; then sent and submitted in one call, the server's refusal named
//! by field as any other.

use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, Utc};
use uuid::Uuid;

use crate::api::{LeaveCreateRequest, LeaveView, Place};
use crate::app::text::Text;
use crate::app::{trouble, with_server, Choice, FieldError, Listeners, Route, Watching};
use crate::client::Client;
use crate::error::{ErrorCode, Lang};
use crate::labels::Label;
use crate::model::LeaveReason;
use crate::policy::calendar::local_date;
use crate::policy::leave::{assess_leave, LeaveRule, LeaveRules};
use crate::policy::transitions::LEAVE_HOLDING;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LeaveFormState {
    pub title: String,
    pub reason_label: String,
    pub reasons: Vec<Choice>,
    pub reason_text: String,
    /// The other fields' and the button's words.
    pub reason_text_label: String,
    pub destination_label: String,
    /// The button that opens the place picker (`place_picker`).
    pub choose_destination_label: String,
    pub start_label: String,
    pub end_label: String,
    pub contact_label: String,
    pub urgent_label: String,
    pub submit_label: String,
    pub destination: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub contact: String,
    pub urgent: bool,
    /// What the rules say of the dates as they stand: days, who decides, why.
    pub notes: Vec<String>,
    pub errors: Vec<FieldError>,
    pub can_submit: bool,
    pub submit_why_not: Option<String>,
    pub busy: bool,
    pub message: Option<String>,
    /// The leave sent, once it is.
    pub sent: Option<Uuid>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait LeaveFormListener: Send + Sync {
    fn changed(&self, state: LeaveFormState);
}

#[derive(Default)]
struct Form {
    input: LeaveFormInput,
    busy: bool,
    /// From the server, after a refusal.
    server_errors: Vec<FieldError>,
    message: Option<String>,
    sent: Option<Uuid>,
    route: Option<Route>,
}

/// The reasons a person may give (`Withheld` is how volunteers see one, never a choice).
const REASONS: [LeaveReason; 6] = [
    LeaveReason::Medical,
    LeaveReason::Family,
    LeaveReason::Work,
    LeaveReason::Study,
    LeaveReason::Legal,
    LeaveReason::Other,
];

/// The form checked against `rules` on `today`, with the person's other leaves: each field's
/// problem, and what the rules say of the dates.
pub fn check(
    f: &LeaveFormInput,
    rules: &LeaveRules,
    today: NaiveDate,
    other_leaves: &[(NaiveDate, NaiveDate)],
    lang: Lang,
) -> (Vec<FieldError>, Vec<String>) {
    let mut errors = vec![];
    let mut missing = |field: &str, text: Text| {
        errors.push(FieldError {
            field: field.into(),
            message: text.say(lang, &[]),
        })
    };
    if f.reason.is_none() {
        missing("reason_category", Text::LeaveReasonMissing);
    }
    if f.reason_text.trim().is_empty() {
        missing("reason_text", Text::LeaveDetailMissing);
    }
    if f.destination.is_none() {
        missing("destination", Text::LeaveDestinationMissing);
    }
    if f.contact.trim().is_empty() {
        missing("contact_while_away", Text::LeaveContactMissing);
    }
    let mut notes = vec![];
    match (f.start, f.end) {
        (Some(start), Some(end)) => {
            match assess_leave(rules, today, start, end, other_leaves, f.urgent) {
                Ok(a) => {
                    notes.push(
                        Text::LeaveDecidedBy
                            .say(lang, &[&a.days.to_string(), a.required_level.label(lang)]),
                    );
                    for r in &a.rules {
                        match r {
                            LeaveRule::LateNotice => notes.push(
                                Text::LeaveLateNotice
                                    .say(lang, &[&rules.min_notice_days.to_string()]),
                            ),
                            LeaveRule::OverWindowTotal => notes.push(Text::LeaveWindowTotal.say(
                                lang,
                                &[
                                    &rules.window_days.to_string(),
                                    &a.window_total_days.to_string(),
                                ],
                            )),
                            _ => {}
                        }
                    }
                }
                Err(code) => errors.push(FieldError {
                    field: match code {
                        ErrorCode::LeaveNoticeTooShort => "urgent",
                        ErrorCode::LeaveDatesInvalid if end < start => "end_date",
                        _ => "start_date",
                    }
                    .into(),
                    message: code.message(lang).into(),
                }),
            }
        }
        (start, end) => {
            if start.is_none() {
                missing("start_date", Text::LeaveStartMissing);
            }
            if end.is_none() {
                missing("end_date", Text::LeaveEndMissing);
            }
        }
    }
    (errors, notes)
}

/// The dates of the person's leaves that hold days (for the window's total, as the server
/// counts them: approved, under way, back, overdue; not extension requests), but `except`.
pub fn days_held(leaves: &[LeaveView], except: Option<Uuid>) -> Vec<(NaiveDate, NaiveDate)> {
    leaves
        .iter()
        .filter(|l| {
            Some(l.id) != except && l.parent_id.is_none() && LEAVE_HOLDING.contains(&l.status)
        })
        .map(|l| (l.start_date, l.end_date))
        .collect()
}

/// What `check` looks at.
#[derive(Debug, Clone, Default)]
pub struct LeaveFormInput {
    pub reason: Option<LeaveReason>,
    pub reason_text: String,
    pub destination: Option<Place>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub contact: String,
    pub urgent: bool,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct LeaveFormScreen {
    client: Arc<Client>,
    case_id: Uuid,
    rules: LeaveRules,
    other_leaves: Vec<(NaiveDate, NaiveDate)>,
    form: Mutex<Form>,
    listeners: Listeners<dyn LeaveFormListener>,
}

impl LeaveFormScreen {
    /// The form for the person's own case: the jurisdiction's rules and their leaves are read
    /// first (the rules as the server applies them; without the server, the national ones).
    pub async fn open(client: Arc<Client>, case_id: Uuid) -> Arc<LeaveFormScreen> {
        let rules = client.rules().await.map(|r| r.leave).unwrap_or_default();
        let leaves = client.leaves_of(case_id).all().await.unwrap_or_default();
        let other_leaves = days_held(&leaves, None);
        Arc::new(LeaveFormScreen {
            client,
            case_id,
            rules,
            other_leaves,
            form: Mutex::new(Form::default()),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, f: &Form) -> LeaveFormState {
        let lang = self.client.lang();
        let today = local_date(Utc::now());
        let (errors, notes) = check(&f.input, &self.rules, today, &self.other_leaves, lang);
        let why_not = if f.busy {
            Some(Text::Busy.say(lang, &[]))
        } else if f.sent.is_some() {
            Some(Text::LeaveSent.say(lang, &[]))
        } else {
            errors.first().map(|e| e.message.clone())
        };
        let errors = with_server(errors, &f.server_errors);
        LeaveFormState {
            title: Text::LeaveFormTitle.say(lang, &[]),
            reason_label: Text::LeaveReasonLabel.say(lang, &[]),
            reasons: REASONS
                .iter()
                .map(|r| Choice {
                    code: r.as_str().into(),
                    label: r.label(lang).into(),
                    chosen: f.input.reason == Some(*r),
                })
                .collect(),
            reason_text: f.input.reason_text.clone(),
            reason_text_label: Text::LeaveDetailLabel.say(lang, &[]),
            destination_label: Text::FactDestination.say(lang, &[]),
            choose_destination_label: Text::ChooseDestination.say(lang, &[]),
            start_label: Text::LeaveStartLabel.say(lang, &[]),
            end_label: Text::LeaveEndLabel.say(lang, &[]),
            contact_label: Text::LeaveContactLabel.say(lang, &[]),
            urgent_label: Text::LeaveUrgentLabel.say(lang, &[]),
            submit_label: Text::Send.say(lang, &[]),
            destination: f.input.destination.as_ref().map(|p| p.name.clone()),
            start_date: f.input.start,
            end_date: f.input.end,
            contact: f.input.contact.clone(),
            urgent: f.input.urgent,
            notes,
            errors,
            can_submit: why_not.is_none(),
            submit_why_not: why_not,
            busy: f.busy,
            message: f.message.clone(),
            sent: f.sent,
            route: f.route,
        }
    }

    fn changed(&self, field: &str, change: impl FnOnce(&mut Form)) -> LeaveFormState {
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
impl LeaveFormScreen {
    pub fn state(&self) -> LeaveFormState {
        self.render(&self.form.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn LeaveFormListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// One of `state().reasons`' codes.
    pub fn set_reason(&self, code: String) -> LeaveFormState {
        self.changed("reason_category", |f| {
            f.input.reason = LeaveReason::parse(&code)
        })
    }

    pub fn set_reason_text(&self, text: String) -> LeaveFormState {
        self.changed("reason_text", |f| f.input.reason_text = text)
    }

    /// Where to: the place picker's `result` (its name, and its area's point).
    pub fn set_destination(&self, name: String, lat: f64, lon: f64) -> LeaveFormState {
        self.changed("destination", |f| {
            f.input.destination = (!name.trim().is_empty()).then_some(Place { name, lat, lon })
        })
    }

    pub fn set_dates(&self, start: Option<NaiveDate>, end: Option<NaiveDate>) -> LeaveFormState {
        self.changed("start_date", |f| {
            f.input.start = start;
            f.input.end = end;
            f.server_errors.retain(|e| e.field != "end_date");
        })
    }

    pub fn set_contact(&self, contact: String) -> LeaveFormState {
        self.changed("contact_while_away", |f| f.input.contact = contact)
    }

    pub fn set_urgent(&self, urgent: bool) -> LeaveFormState {
        self.changed("urgent", |f| f.input.urgent = urgent)
    }

    /// Sends the request and submits it for approval, if the form holds.
    pub async fn submit(&self) -> LeaveFormState {
        let req = {
            let mut f = self.form.lock().expect("not poisoned");
            if !self.render(&f).can_submit {
                return self.render(&f);
            }
            f.busy = true;
            let (Some(reason), Some(destination), Some(start), Some(end)) = (
                f.input.reason,
                f.input.destination.clone(),
                f.input.start,
                f.input.end,
            ) else {
                f.busy = false;
                return self.render(&f);
            };
            LeaveCreateRequest {
                reason_category: reason,
                reason_text: f.input.reason_text.trim().into(),
                destination,
                start_date: start,
                end_date: end,
                contact_while_away: f.input.contact.trim().into(),
                urgent: f.input.urgent,
                standing: false,
                submit: true,
            }
        };
        self.changed("", |_| {});
        let got = self.client.apply_leave(self.case_id, &req).await;
        let lang = self.client.lang();
        self.changed("", |f| {
            f.busy = false;
            match got {
                Ok(l) => {
                    f.sent = Some(l.id);
                    f.message = Some(Text::LeaveSent.say(lang, &[]));
                    f.route = Some(Route::Leave);
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
