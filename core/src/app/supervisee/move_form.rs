//! Asking to move (迁居, measures art. 30): the unit of the new place (every county agency and
//! judicial office, with where it is: `GET /units/receiving`), the new address with its area
//! chosen in the place picker (`shared::place_picker`), the day of the move — at least the jurisdiction's notice ahead
//! (`policy::requests::check_relocation_date`, as the server checks it) — and the reason. The
//! county agency decides after the new place's agency gives its opinion; the form says so. The
//! person's moves are listed with where each stands, and one waiting may be withdrawn.

use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, Utc};
use uuid::Uuid;

use crate::api::{ReceivingUnitView, RelocationCreateRequest, RelocationView, Residence};
use crate::app::text::{self, Text};
use crate::app::{trouble, with_server, Choice, FieldError, Listeners, Route, Watching};
use crate::client::{Client, ClientError};
use crate::error::{ErrorCode, Lang};
use crate::labels::Label;
use crate::model::RequestStatus;
use crate::policy::calendar::local_date;
use crate::policy::requests::{check_relocation_date, RequestRules};
use crate::policy::text::{check, Shape};
use crate::policy::transitions::LeaveAction;

/// One of the person's moves.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MoveLine {
    pub id: Uuid,
    pub address: String,
    /// "1月15日".
    pub move_date: String,
    pub status: String,
    /// "接收地意见：同意接收：…", once given.
    pub opinion: Option<String>,
    pub can_cancel: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MoveFormState {
    pub title: String,
    /// The fields' and buttons' words.
    pub unit_label: String,
    pub address_label: String,
    /// The button that opens the place picker (`place_picker`) for the new home.
    pub choose_place_label: String,
    pub move_date_label: String,
    pub reason_label: String,
    pub submit_label: String,
    /// On a move that waits for a decision.
    pub cancel_label: String,
    /// Where a move may go (`code`: the unit's id), the one chosen marked; "七里河区 西园司法所".
    pub units: Vec<Choice>,
    pub address: String,
    pub has_place: bool,
    /// "1月15日", once chosen.
    pub move_date: Option<String>,
    /// "至少提前 30 天申请".
    pub notice: String,
    pub reason: String,
    /// Who decides: said before sending.
    pub note: String,
    pub errors: Vec<FieldError>,
    pub can_submit: bool,
    pub submit_why_not: Option<String>,
    pub moves: Vec<MoveLine>,
    pub busy: bool,
    pub message: Option<String>,
    pub done: bool,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait MoveFormListener: Send + Sync {
    fn changed(&self, state: MoveFormState);
}

#[derive(Default)]
struct Form {
    units: Vec<ReceivingUnitView>,
    own_unit: Option<Uuid>,
    moves: Vec<RelocationView>,
    unit: Option<Uuid>,
    address: String,
    place: Option<(f64, f64)>,
    move_date: Option<NaiveDate>,
    reason: String,
    busy: bool,
    done: bool,
    server_errors: Vec<FieldError>,
    message: Option<String>,
    route: Option<Route>,
}

/// Each field's problem on `today`.
fn check_form(f: &Form, rules: &RequestRules, today: NaiveDate, lang: Lang) -> Vec<FieldError> {
    let mut errors = vec![];
    let mut say = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            message,
        })
    };
    match f.unit {
        None => say("to_unit_id", Text::ChooseNewUnit.say(lang, &[])),
        Some(u) if Some(u) == f.own_unit => say(
            "to_unit_id",
            ErrorCode::RelocationSameUnit.message(lang).into(),
        ),
        Some(_) => {}
    }
    if let Err(p) = check(f.address.trim(), 500, Shape::Line) {
        say("new_residence.address", p.message().get(lang).into());
    }
    if f.place.is_none() {
        say("new_residence", Text::MarkNewHome.say(lang, &[]));
    }
    match f.move_date {
        None => say("move_date", Text::ChooseMoveDate.say(lang, &[])),
        Some(d) => {
            if let Err(code) = check_relocation_date(rules, today, d) {
                say("move_date", code.message(lang).into());
            }
        }
    }
    if let Err(p) = check(&f.reason, 2000, Shape::Paragraphs) {
        say("reason", p.message().get(lang).into());
    }
    errors
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct MoveFormScreen {
    client: Arc<Client>,
    case_id: Uuid,
    rules: RequestRules,
    form: Mutex<Form>,
    listeners: Listeners<dyn MoveFormListener>,
}

impl MoveFormScreen {
    /// The form for the person's own case, under the jurisdiction's rules, with the units and
    /// their moves read at once.
    pub async fn open(client: Arc<Client>, case_id: Uuid) -> Arc<MoveFormScreen> {
        let rules = client.rules().await.map(|r| r.requests).unwrap_or_default();
        let screen = Arc::new(MoveFormScreen {
            client,
            case_id,
            rules,
            form: Mutex::new(Form::default()),
            listeners: Listeners::new(),
        });
        screen.refresh().await;
        screen
    }

    fn render(&self, f: &Form) -> MoveFormState {
        let lang = self.client.lang();
        let today = local_date(Utc::now());
        let errors = if f.done {
            vec![]
        } else {
            with_server(check_form(f, &self.rules, today, lang), &f.server_errors)
        };
        let why_not = if f.busy {
            Some(Text::Busy.say(lang, &[]))
        } else if f.done {
            f.message.clone()
        } else {
            errors.first().map(|e| e.message.clone())
        };
        MoveFormState {
            title: Text::MoveTitle.say(lang, &[]),
            unit_label: Text::MoveUnitLabel.say(lang, &[]),
            address_label: Text::MoveAddressLabel.say(lang, &[]),
            choose_place_label: Text::MoveChoosePlace.say(lang, &[]),
            move_date_label: Text::FactMoveDate.say(lang, &[]),
            reason_label: Text::MoveReasonLabel.say(lang, &[]),
            submit_label: Text::Send.say(lang, &[]),
            // The same words as withdrawing a leave.
            cancel_label: LeaveAction::Cancel.label(lang).into(),
            units: f
                .units
                .iter()
                .map(|u| Choice {
                    code: u.id.to_string(),
                    label: format!("{} {}", u.within, u.name).trim().to_owned(),
                    chosen: f.unit == Some(u.id),
                })
                .collect(),
            address: f.address.clone(),
            has_place: f.place.is_some(),
            move_date: f.move_date.map(|d| text::day(d, today, lang)),
            notice: Text::MoveNotice.say(lang, &[&self.rules.relocation_notice_days.to_string()]),
            reason: f.reason.clone(),
            note: Text::MoveDecidedBy.say(lang, &[]),
            errors,
            can_submit: why_not.is_none(),
            submit_why_not: why_not,
            moves: f
                .moves
                .iter()
                .map(|m| MoveLine {
                    id: m.id,
                    address: m.new_residence.address.clone(),
                    move_date: text::day(m.move_date, today, lang),
                    status: m.status.label(lang).into(),
                    opinion: m.consultation_agrees.map(|agrees| {
                        let o = m.consultation_opinion.as_deref().unwrap_or_default();
                        if agrees {
                            Text::ConsultAgrees.say(lang, &[o])
                        } else {
                            Text::ConsultDisagrees.say(lang, &[o])
                        }
                    }),
                    can_cancel: m.status == RequestStatus::Submitted,
                })
                .collect(),
            busy: f.busy,
            message: f.message.clone(),
            done: f.done,
            route: f.route,
        }
    }

    fn changed(&self, field: &str, change: impl FnOnce(&mut Form)) -> MoveFormState {
        self.listeners.change(
            &self.form,
            |f| {
                change(f);
                f.server_errors
                    .retain(|e| !e.field.starts_with(field) || field.is_empty());
            },
            |f| self.render(f),
            |l, state| l.changed(state),
        )
    }

    fn failed(&self, e: &ClientError) -> MoveFormState {
        let t = trouble(e, self.client.lang());
        self.changed("", |f| {
            f.busy = false;
            f.server_errors = t.fields;
            f.message = Some(t.message);
            f.route = t.route;
        })
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl MoveFormScreen {
    pub fn state(&self) -> MoveFormState {
        self.render(&self.form.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn MoveFormListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Reads the units, the person's own unit and their moves again.
    pub async fn refresh(&self) -> MoveFormState {
        let c = &self.client;
        let got = futures::try_join!(
            c.receiving_units(),
            c.case(self.case_id),
            c.relocations_of(self.case_id).all()
        );
        match got {
            Ok((units, case, moves)) => self.changed("", |f| {
                f.units = units;
                f.own_unit = Some(case.unit_id);
                f.moves = moves;
                f.route = None;
            }),
            Err(e) => self.failed(&e),
        }
    }

    /// One of `state().units`' codes.
    pub fn set_unit(&self, code: String) -> MoveFormState {
        self.changed("to_unit_id", |f| f.unit = code.parse().ok())
    }

    /// The new address as typed, and the point of its area (the place picker's `result`).
    pub fn set_new_home(&self, address: String, lat: f64, lon: f64) -> MoveFormState {
        self.changed("new_residence", |f| {
            f.address = address;
            f.place = Some((lat, lon));
        })
    }

    pub fn set_move_date(&self, date: NaiveDate) -> MoveFormState {
        self.changed("move_date", |f| f.move_date = Some(date))
    }

    pub fn set_reason(&self, reason: String) -> MoveFormState {
        self.changed("reason", |f| f.reason = reason)
    }

    /// Sends the request if the form holds.
    pub async fn submit(&self) -> MoveFormState {
        let req = {
            let mut f = self.form.lock().expect("not poisoned");
            let (Some(to_unit_id), Some((lat, lon)), Some(move_date), true) =
                (f.unit, f.place, f.move_date, self.render(&f).can_submit)
            else {
                return self.render(&f);
            };
            f.busy = true;
            RelocationCreateRequest {
                to_unit_id,
                new_residence: Residence {
                    address: f.address.trim().into(),
                    lat,
                    lon,
                },
                move_date,
                reason: f.reason.trim().into(),
            }
        };
        self.changed("", |_| {});
        match self.client.apply_relocation(self.case_id, &req).await {
            Ok(r) => {
                let lang = self.client.lang();
                self.changed("", |f| {
                    f.busy = false;
                    f.done = true;
                    f.message = Some(Text::MoveSent.say(lang, &[]));
                    f.moves.insert(0, r);
                })
            }
            Err(e) => self.failed(&e),
        }
    }

    /// Withdraws a move that waits for a decision.
    pub async fn cancel(&self, id: Uuid) -> MoveFormState {
        match self.client.cancel_relocation(id).await {
            Ok(r) => {
                let lang = self.client.lang();
                self.changed("", |f| {
                    if let Some(m) = f.moves.iter_mut().find(|m| m.id == r.id) {
                        *m = r;
                    }
                    f.message = Some(Text::MoveWithdrawn.say(lang, &[]));
                })
            }
            Err(e) => self.failed(&e),
        }
    }
}
