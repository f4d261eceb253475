//! Deciding what waits in the officer's queue — a request (leave, visitor, move), a doubtful
//! check-in or roll call, a reflection or a quiz's written answers to mark, a volunteer's help
//! session, an alert, a new phone, a proposed sanction: what was asked, as facts ready to show
//! (and the picture behind a face match), the note the answer needs (checked as the server
//! checks it), and the kind's two answers at the version read. If the record changed meanwhile
//! (409), it is read again and the screen says which facts changed. The kinds are `asked`.

mod asked;

use std::sync::{Arc, Mutex};

use uuid::Uuid;

use crate::api::QueueKind;
use crate::app::text::{self, Text};
use crate::app::{trouble, Fact, Listeners, Route, Watching};
use crate::client::{Client, ClientError};
use crate::labels::Label;
use crate::policy::text::{check, Shape};
use asked::{Answer, Asked, Note};

/// A written answer of a quiz to mark.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MarkField {
    pub question_id: Uuid,
    pub prompt: String,
    /// What the person wrote.
    pub answer: String,
    /// "满分 5 分".
    pub out_of: String,
    pub max_points: u32,
    pub points: Option<u32>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DecisionState {
    /// What is decided: "请假审批", "签到复核".
    pub title: String,
    pub person: String,
    pub facts: Vec<Fact>,
    /// Whether a picture backs it (`picture()`): the check-in photo, the call's best frame.
    pub has_picture: bool,
    /// The note's name; none where the kind takes no note (a phone, a quiz's marks).
    pub opinion_label: Option<String>,
    /// When the note is needed for one answer only: "退回时须填写需改进之处".
    pub opinion_hint: Option<String>,
    pub opinion: String,
    pub opinion_error: Option<String>,
    /// A quiz's written answers, each to be given its points.
    pub marks: Vec<MarkField>,
    pub approve_label: String,
    /// None where the kind has one answer only (an alert is handled, marks are given).
    pub reject_label: Option<String>,
    /// Whether a decision can be made now (it waits for one, nothing is being sent);
    /// `why_not` says why not.
    pub can_decide: bool,
    pub why_not: Option<String>,
    pub busy: bool,
    pub message: Option<String>,
    /// The facts that changed when the record was read again after a conflict.
    pub changed: Vec<String>,
    /// Back to the queue once decided; sign-in when the session ended.
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait DecisionListener: Send + Sync {
    fn changed(&self, state: DecisionState);
}

#[derive(Default)]
struct Shown {
    asked: Option<Asked>,
    opinion: String,
    opinion_error: Option<String>,
    /// Points given so far, by question.
    marks: Vec<(Uuid, u32)>,
    mark_errors: Vec<(Uuid, String)>,
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
    case_id: Uuid,
    person: String,
    /// The jurisdiction's window for days away (leave rules).
    window_days: i64,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn DecisionListener>,
}

impl DecisionScreen {
    /// The decision on record `id` of `kind` in case `case_id` (`person`'s), read at once.
    pub async fn open(
        client: Arc<Client>,
        kind: QueueKind,
        id: Uuid,
        case_id: Uuid,
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
            case_id,
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
        let asked = s.asked.as_ref();
        let (approve_label, reject_label) = match asked {
            Some(a) => a.answers(lang),
            None => (Text::ApproveAction.say(lang, &[]), None),
        };
        DecisionState {
            title: self.kind.label(lang).into(),
            person: self.person.clone(),
            facts: asked
                .map(|a| a.facts(self.window_days, lang))
                .unwrap_or_default(),
            has_picture: asked.is_some_and(Asked::has_picture),
            opinion_label: asked.and_then(|a| a.note_label(lang)),
            opinion_hint: (asked.map(Asked::note) == Some(Note::ToReject))
                .then(|| Text::NeededToReturn.say(lang, &[])),
            opinion: s.opinion.clone(),
            opinion_error: s.opinion_error.clone(),
            marks: asked
                .map(Asked::written)
                .unwrap_or_default()
                .into_iter()
                .map(|w| MarkField {
                    out_of: Text::OutOf.say(lang, &[&w.points.to_string()]),
                    points: s.marks.iter().find(|m| m.0 == w.question_id).map(|m| m.1),
                    error: s
                        .mark_errors
                        .iter()
                        .find(|e| e.0 == w.question_id)
                        .map(|e| e.1.clone()),
                    question_id: w.question_id,
                    prompt: w.prompt,
                    answer: w.answer,
                    max_points: w.points,
                })
                .collect(),
            approve_label,
            reject_label,
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
        let (asked, opinion, marks) = {
            let s = self.shown.lock().expect("not poisoned");
            (s.asked.clone(), s.opinion.clone(), s.marks.clone())
        };
        let Some(asked) = asked else {
            return self.state();
        };
        if !approve && asked.answers(lang).1.is_none() {
            return self.state();
        }
        // The note, where this answer needs one (and any note written, to send it clean).
        let needed = match asked.note() {
            Note::Always => true,
            Note::ToReject => !approve,
            Note::Never => false,
        };
        if needed || (asked.note() != Note::Never && !opinion.trim().is_empty()) {
            if let Err(p) = check(&opinion, 2000, Shape::Paragraphs) {
                let problem = p.message().get(lang).to_owned();
                return self.changed(|s| s.opinion_error = Some(problem));
            }
        }
        // Every written answer marked.
        let unmarked: Vec<(Uuid, String)> = asked
            .written()
            .iter()
            .filter(|w| !marks.iter().any(|m| m.0 == w.question_id))
            .map(|w| (w.question_id, Text::MarkMissing.say(lang, &[])))
            .collect();
        if !unmarked.is_empty() {
            return self.changed(|s| s.mark_errors = unmarked);
        }
        self.changed(|s| {
            s.busy = true;
            s.opinion_error = None;
            s.message = None;
        });
        let answer = Answer {
            approve,
            note: if asked.note() == Note::Never {
                String::new()
            } else {
                opinion
            },
            marks,
        };
        match asked.answer(&self.client, answer).await {
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
                match Asked::read(&self.client, self.kind, self.id, self.case_id).await {
                    Ok(now) => {
                        let after = now.facts(self.window_days, lang);
                        let changed: Vec<String> = after
                            .iter()
                            .filter(|f| !before.contains(f))
                            .map(|f| f.label.clone())
                            .collect();
                        let names: Vec<&str> = changed.iter().map(String::as_str).collect();
                        let which = text::list(&names, lang);
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
            if let Some(f) = t
                .fields
                .iter()
                .find(|f| ["opinion", "note", "comment"].contains(&f.field.as_str()))
            {
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

    /// Reads the record again.
    pub async fn reload(&self) -> DecisionState {
        self.changed(|s| s.busy = true);
        match Asked::read(&self.client, self.kind, self.id, self.case_id).await {
            Ok(a) => self.changed(|s| {
                s.busy = false;
                s.asked = Some(a);
                s.message = None;
                s.route = None;
            }),
            Err(e) => self.failed(&e),
        }
    }

    /// The picture behind a face match (JPEG), read when the officer asks for it (each read
    /// is audited on the server); none where there is none or it cannot be read now (the
    /// screen's message says why).
    pub async fn picture(&self) -> Option<Vec<u8>> {
        let asked = self.shown.lock().expect("not poisoned").asked.clone()?;
        match asked.picture(&self.client).await {
            Ok(p) => p,
            Err(e) => {
                self.failed(&e);
                None
            }
        }
    }

    pub fn set_opinion(&self, opinion: String) -> DecisionState {
        self.changed(|s| {
            s.opinion = opinion;
            s.opinion_error = None;
        })
    }

    /// Gives a written answer its points (0 to the question's points).
    pub fn set_points(&self, question_id: Uuid, points: u32) -> DecisionState {
        let lang = self.client.lang();
        self.changed(|s| {
            let Some(w) = s.asked.as_ref().and_then(|a| {
                a.written()
                    .into_iter()
                    .find(|w| w.question_id == question_id)
            }) else {
                return;
            };
            s.mark_errors.retain(|e| e.0 != question_id);
            s.marks.retain(|m| m.0 != question_id);
            if points > w.points {
                let error = Text::MarkTooHigh.say(lang, &[&w.points.to_string()]);
                s.mark_errors.push((question_id, error));
            } else {
                s.marks.push((question_id, points));
            }
        })
    }

    /// The first answer: approve, accept, confirm, allow; a quiz's marks; an alert handled.
    pub async fn approve(&self) -> DecisionState {
        self.decide(true).await
    }

    /// The second answer, where the kind has one: reject, return, refuse.
    pub async fn reject(&self) -> DecisionState {
        self.decide(false).await
    }
}
