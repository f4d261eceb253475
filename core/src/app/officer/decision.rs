//! Deciding a request — a leave, a visitor, a move: what was asked, as facts ready to show
//! (reason, dates, the level that decides, notice, days away lately; the visitor and the
//! meeting; the new residence and the receiving side's opinion), the opinion the decision
//! needs (checked as the server checks it), and approve or reject at the version read. If the
//! request changed meanwhile (409), it is read again and the screen says which facts changed.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use uuid::Uuid;

use crate::api::{LeaveDecisionRequest, LeaveView, QueueKind, RelocationView, VisitorView};
use crate::app::text::{self, Text};
use crate::app::{trouble, Fact, Listeners, Route, Watching};
use crate::client::{Client, ClientError};
use crate::error::Lang;
use crate::labels::Label;
use crate::model::{LeaveStatus, RequestStatus};
use crate::policy::calendar::local_date;
use crate::policy::text::{check, Shape};

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DecisionState {
    /// What is decided: "请假审批".
    pub title: String,
    pub person: String,
    pub facts: Vec<Fact>,
    pub opinion_label: String,
    pub opinion: String,
    pub opinion_error: Option<String>,
    pub approve_label: String,
    pub reject_label: String,
    /// Whether a decision can be made now (the request waits for one, nothing is being
    /// sent); `why_not` says why not.
    pub can_decide: bool,
    pub why_not: Option<String>,
    pub busy: bool,
    pub message: Option<String>,
    /// The facts that changed when the request was read again after a conflict.
    pub changed: Vec<String>,
    /// Back to the queue once decided; sign-in when the session ended.
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait DecisionListener: Send + Sync {
    fn changed(&self, state: DecisionState);
}

/// The request as read.
#[derive(Clone)]
enum Asked {
    Leave(LeaveView),
    Visitor(VisitorView),
    Relocation(RelocationView),
}

impl Asked {
    fn version(&self) -> i32 {
        match self {
            Asked::Leave(l) => l.version,
            Asked::Visitor(v) => v.version,
            Asked::Relocation(r) => r.version,
        }
    }

    /// Its status in words, and whether it waits for a decision.
    fn status(&self, lang: Lang) -> (String, bool) {
        match self {
            Asked::Leave(l) => (
                l.status.label(lang).into(),
                l.status == LeaveStatus::Submitted,
            ),
            Asked::Visitor(v) => (
                v.status.label(lang).into(),
                v.status == RequestStatus::Submitted,
            ),
            Asked::Relocation(r) => (
                r.status.label(lang).into(),
                r.status == RequestStatus::Submitted,
            ),
        }
    }

    /// What was asked, as facts; `window_days` is the jurisdiction's window for days away.
    fn facts(&self, window_days: i64, lang: Lang) -> Vec<Fact> {
        let today = local_date(Utc::now());
        let fact = |label: Text, value: String| Fact {
            label: label.say(lang, &[]),
            value,
        };
        let mut facts = match self {
            Asked::Leave(l) => vec![
                fact(
                    Text::FactReason,
                    Text::LabelledValue.say(lang, &[l.reason_category.label(lang), &l.reason_text]),
                ),
                fact(Text::FactDestination, l.destination.name.clone()),
                fact(
                    Text::FactDates,
                    Text::LeaveDates.say(
                        lang,
                        &[
                            &text::day(l.start_date, today, lang),
                            &text::day(l.end_date, today, lang),
                            &l.days.to_string(),
                        ],
                    ),
                ),
                fact(Text::FactContact, l.contact_while_away.clone()),
                fact(Text::FactLevel, l.required_level.label(lang).into()),
                fact(
                    Text::FactNotice,
                    if l.urgent {
                        Text::UrgentRequest
                    } else if l.late_notice {
                        Text::LateRequest
                    } else {
                        Text::OrdinaryRequest
                    }
                    .say(lang, &[]),
                ),
                fact(
                    Text::FactWindow,
                    Text::WindowDays.say(
                        lang,
                        &[&window_days.to_string(), &l.window_total_days.to_string()],
                    ),
                ),
            ],
            Asked::Visitor(v) => vec![
                fact(
                    Text::FactVisitor,
                    Text::WithDetail.say(lang, &[&v.visitor_name, v.relation.label(lang)]),
                ),
                fact(
                    Text::FactMeeting,
                    text::when(v.meeting_at, Utc::now(), lang),
                ),
                fact(Text::FactPlace, v.place.clone()),
                fact(Text::FactReason, v.purpose.clone()),
            ],
            Asked::Relocation(r) => vec![
                fact(Text::FactNewAddress, r.new_residence.address.clone()),
                fact(Text::FactMoveDate, text::day(r.move_date, today, lang)),
                fact(Text::FactReason, r.reason.clone()),
                fact(
                    Text::FactConsultation,
                    match (r.consultation_agrees, &r.consultation_opinion) {
                        (Some(true), o) => {
                            Text::ConsultAgrees.say(lang, &[o.as_deref().unwrap_or_default()])
                        }
                        (Some(false), o) => {
                            Text::ConsultDisagrees.say(lang, &[o.as_deref().unwrap_or_default()])
                        }
                        (None, _) => Text::ConsultPending.say(lang, &[]),
                    },
                ),
            ],
        };
        facts.push(fact(Text::FactStatus, self.status(lang).0));
        facts
    }
}

async fn read(client: &Client, kind: QueueKind, id: Uuid) -> Result<Asked, ClientError> {
    Ok(match kind {
        QueueKind::Leave => Asked::Leave(client.leave(id).await?),
        QueueKind::Visitor => Asked::Visitor(client.visit(id).await?),
        _ => Asked::Relocation(client.relocation(id).await?),
    })
}

#[derive(Default)]
struct Shown {
    asked: Option<Asked>,
    opinion: String,
    opinion_error: Option<String>,
    busy: bool,
    message: Option<String>,
    changed: Vec<String>,
    route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct DecisionScreen {
    client: Arc<Client>,
    kind: QueueKind,
    id: Uuid,
    person: String,
    /// The jurisdiction's window for days away (leave rules).
    window_days: i64,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn DecisionListener>,
}

impl DecisionScreen {
    /// The decision on request `id` of `kind` (leave, visitor or relocation) in `person`'s
    /// case, read at once.
    pub async fn open(
        client: Arc<Client>,
        kind: QueueKind,
        id: Uuid,
        person: String,
    ) -> Arc<DecisionScreen> {
        let rules = match kind {
            QueueKind::Leave => client.rules().await.map(|r| r.leave).ok(),
            _ => None,
        };
        let screen = Arc::new(DecisionScreen {
            window_days: rules.unwrap_or_default().window_days,
            client,
            kind,
            id,
            person,
            shown: Mutex::new(Shown::default()),
            listeners: Listeners::new(),
        });
        screen.reload().await;
        screen
    }

    fn render(&self, s: &Shown) -> DecisionState {
        let lang = self.client.lang();
        let (can_decide, why_not) = match &s.asked {
            None => (false, None),
            Some(a) => match a.status(lang) {
                (_, true) => (!s.busy, None),
                (status, false) => (false, Some(Text::NothingToDecide.say(lang, &[&status]))),
            },
        };
        DecisionState {
            title: self.kind.label(lang).into(),
            person: self.person.clone(),
            facts: s
                .asked
                .as_ref()
                .map(|a| a.facts(self.window_days, lang))
                .unwrap_or_default(),
            opinion_label: Text::OpinionLabel.say(lang, &[]),
            opinion: s.opinion.clone(),
            opinion_error: s.opinion_error.clone(),
            approve_label: Text::ApproveAction.say(lang, &[]),
            reject_label: Text::RejectAction.say(lang, &[]),
            can_decide,
            why_not,
            busy: s.busy,
            message: s.message.clone(),
            changed: s.changed.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> DecisionState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }

    async fn decide(&self, approve: bool) -> DecisionState {
        let lang = self.client.lang();
        let (asked, opinion) = {
            let s = self.shown.lock().expect("not poisoned");
            (s.asked.clone(), s.opinion.clone())
        };
        let Some(asked) = asked else {
            return self.state();
        };
        if let Err(p) = check(&opinion, 2000, Shape::Paragraphs) {
            let problem = p.message().get(lang).to_owned();
            return self.changed(|s| s.opinion_error = Some(problem));
        }
        self.changed(|s| {
            s.busy = true;
            s.opinion_error = None;
            s.message = None;
        });
        let req = LeaveDecisionRequest {
            version: asked.version(),
            opinion: opinion.trim().to_owned(),
        };
        let c = &self.client;
        let done: Result<Asked, ClientError> = match (&asked, approve) {
            (Asked::Leave(l), _) => c.decide_leave(l.id, approve, &req).await.map(Asked::Leave),
            (Asked::Visitor(v), true) => c.approve_visit(v.id, &req).await.map(Asked::Visitor),
            (Asked::Visitor(v), false) => c.reject_visit(v.id, &req).await.map(Asked::Visitor),
            (Asked::Relocation(r), true) => c
                .approve_relocation(r.id, &req)
                .await
                .map(Asked::Relocation),
            (Asked::Relocation(r), false) => {
                c.reject_relocation(r.id, &req).await.map(Asked::Relocation)
            }
        };
        match done {
            Ok(now) => {
                let status = now.status(lang).0;
                self.changed(|s| {
                    s.busy = false;
                    s.asked = Some(now);
                    s.changed = vec![];
                    s.message = Some(Text::DecisionMade.say(lang, &[&status]));
                    s.route = Some(Route::OfficerQueue);
                })
            }
            Err(ClientError::Api { status: 409, .. }) => {
                // Someone else acted, or the person withdrew or changed it: read it again
                // and say what is different.
                let before = asked.facts(self.window_days, lang);
                match read(c, self.kind, self.id).await {
                    Ok(now) => {
                        let after = now.facts(self.window_days, lang);
                        let changed: Vec<String> = after
                            .iter()
                            .filter(|f| !before.contains(f))
                            .map(|f| f.label.clone())
                            .collect();
                        let which = changed.join("、");
                        self.changed(|s| {
                            s.busy = false;
                            s.asked = Some(now);
                            s.message = Some(Text::RequestChanged.say(lang, &[&which]));
                            s.changed = changed;
                        })
                    }
                    Err(e) => self.failed(&e),
                }
            }
            Err(e) => self.failed(&e),
        }
    }

    fn failed(&self, e: &ClientError) -> DecisionState {
        let t = trouble(e, self.client.lang());
        self.changed(|s| {
            s.busy = false;
            if let Some(f) = t.fields.iter().find(|f| f.field == "opinion") {
                s.opinion_error = Some(f.message.clone());
            }
            s.message = Some(t.message);
            s.route = t.route;
        })
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl DecisionScreen {
    pub fn state(&self) -> DecisionState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn DecisionListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Reads the request again.
    pub async fn reload(&self) -> DecisionState {
        self.changed(|s| s.busy = true);
        match read(&self.client, self.kind, self.id).await {
            Ok(a) => self.changed(|s| {
                s.busy = false;
                s.asked = Some(a);
                s.message = None;
                s.route = None;
            }),
            Err(e) => self.failed(&e),
        }
    }

    pub fn set_opinion(&self, opinion: String) -> DecisionState {
        self.changed(|s| {
            s.opinion = opinion;
            s.opinion_error = None;
        })
    }

    pub async fn approve(&self) -> DecisionState {
        self.decide(true).await
    }

    pub async fn reject(&self) -> DecisionState {
        self.decide(false).await
    }
}
