//! Video roll calls from the officer's side (视频点名): choose people from the caseload (one, or
//! the whole list), now or at a time within the week (`policy::rollcall::check_start`, as the
//! server checks it), with a note; the start says who could not be called and why (not
//! enrolled, a call already open…). Today's calls are listed with where each stands; one whose
//! video flows can be watched live (`CallWatchScreen`: the platform's WebRTC stack makes a
//! receive-only offer, the core hands back the server's answer).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::api::{CaseSummaryView, RollCallStart, RollCallView};
use crate::app::text::{self, Text};
use crate::app::{trouble, with_server, Choice, FieldError, Listeners, Route, Watching};
use crate::client::{Client, ClientError};
use crate::error::Lang;
use crate::labels::Label;
use crate::model::CaseStatus;
use crate::policy::calendar::{day_start, local_date};
use crate::policy::rollcall::{check_start, RollCallStatus};
use crate::policy::text::{check, Shape};

/// One of today's calls.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallLine {
    pub id: Uuid,
    pub case_id: Uuid,
    pub person: String,
    /// "呼叫中".
    pub status: String,
    /// "今天 10:00".
    pub rang: String,
    /// "须在今天 10:05前应答", while it can still be answered.
    pub answer_by: Option<String>,
    /// Why it did not pass: "人脸不符、未做出提示的动作".
    pub reasons: Option<String>,
    /// Its video flows now: it can be watched.
    pub live: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RollCallsState {
    pub title: String,
    /// The people who can be called (active cases), those chosen marked (`code`: case id).
    pub people: Vec<Choice>,
    /// "已选 2 人".
    pub chosen: String,
    /// When it rings: "现在", or "明天 09:00".
    pub at: String,
    pub note_label: String,
    pub note: String,
    pub errors: Vec<FieldError>,
    pub start_label: String,
    pub can_start: bool,
    pub start_why_not: Option<String>,
    /// After a start: who could not be called, and why.
    pub skipped: Vec<String>,
    /// Today's calls, latest first.
    pub calls: Vec<CallLine>,
    pub busy: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait RollCallsListener: Send + Sync {
    fn changed(&self, state: RollCallsState);
}

#[derive(Default)]
struct Shown {
    cases: Vec<CaseSummaryView>,
    chosen: Vec<Uuid>,
    at: Option<DateTime<Utc>>,
    note: String,
    server_errors: Vec<FieldError>,
    skipped: Vec<String>,
    calls: Vec<RollCallView>,
    busy: bool,
    message: Option<String>,
    route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct RollCallsScreen {
    client: Arc<Client>,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn RollCallsListener>,
}

/// The form's own problems at `now`.
fn problems(s: &Shown, now: DateTime<Utc>, lang: Lang) -> Vec<FieldError> {
    let mut out = vec![];
    if let Err(p) = check_start(s.chosen.len(), s.at, now) {
        let message = match p.field.as_str() {
            "case_ids" if s.chosen.is_empty() => Text::ChoosePeople.say(lang, &[]),
            _ => p.said.get(lang).into(),
        };
        out.push(FieldError {
            field: p.field,
            message,
        });
    }
    if !s.note.trim().is_empty() {
        if let Err(p) = check(&s.note, 500, Shape::Paragraphs) {
            out.push(FieldError {
                field: "note".into(),
                message: p.message().get(lang).into(),
            });
        }
    }
    out
}

fn name_of(cases: &[CaseSummaryView], id: Uuid) -> String {
    cases
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

/// A call as a line of the list, at `now`.
fn line(c: &RollCallView, cases: &[CaseSummaryView], now: DateTime<Utc>, lang: Lang) -> CallLine {
    let open = matches!(
        c.status,
        RollCallStatus::Scheduled | RollCallStatus::Ringing
    );
    CallLine {
        id: c.id,
        case_id: c.case_id,
        person: name_of(cases, c.case_id),
        status: c.status.label(lang).into(),
        rang: text::when(c.ring_at, now, lang),
        answer_by: open.then(|| Text::AnswerBy.say(lang, &[&text::when(c.answer_by, now, lang)])),
        reasons: (!c.reasons.is_empty()).then(|| {
            let words: Vec<&str> = c.reasons.iter().map(|r| r.label(lang)).collect();
            text::list(&words, lang)
        }),
        live: matches!(
            c.status,
            RollCallStatus::Answered | RollCallStatus::Verifying
        ),
    }
}

impl RollCallsScreen {
    /// The caseload to call from, and today's calls, read at once.
    pub async fn open(client: Arc<Client>) -> Arc<RollCallsScreen> {
        let screen = Arc::new(RollCallsScreen {
            client,
            shown: Mutex::new(Shown::default()),
            listeners: Listeners::new(),
        });
        screen.refresh().await;
        screen
    }

    fn render(&self, s: &Shown) -> RollCallsState {
        let lang = self.client.lang();
        let now = Utc::now();
        let errors = with_server(problems(s, now, lang), &s.server_errors);
        let (can_start, start_why_not) = match errors.first() {
            Some(e) => (false, Some(e.message.clone())),
            None => (!s.busy, None),
        };
        RollCallsState {
            title: Text::RollCallsTitle.say(lang, &[]),
            people: s
                .cases
                .iter()
                .map(|c| Choice {
                    code: c.id.to_string(),
                    label: c.name.clone(),
                    chosen: s.chosen.contains(&c.id),
                })
                .collect(),
            chosen: Text::ChosenCount.say(lang, &[&s.chosen.len().to_string()]),
            at: match s.at {
                Some(at) => text::when(at, now, lang),
                None => Text::Now.say(lang, &[]),
            },
            note_label: Text::CallNoteLabel.say(lang, &[]),
            note: s.note.clone(),
            errors,
            start_label: Text::StartCalls.say(lang, &[]),
            can_start,
            start_why_not,
            skipped: s.skipped.clone(),
            calls: s
                .calls
                .iter()
                .map(|c| line(c, &s.cases, now, lang))
                .collect(),
            busy: s.busy,
            message: s.message.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> RollCallsState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }

    fn failed(&self, e: &ClientError) -> RollCallsState {
        let t = trouble(e, self.client.lang());
        self.changed(|s| {
            s.busy = false;
            s.server_errors = t.fields;
            s.message = Some(t.message);
            s.route = t.route;
        })
    }
}

/// Today's calls in the officer's jurisdiction (China time), latest first.
async fn today(client: &Client) -> Result<Vec<RollCallView>, ClientError> {
    let from = day_start(local_date(Utc::now()));
    client.roll_calls(None, Some(from), None).all().await
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl RollCallsScreen {
    pub fn state(&self) -> RollCallsState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn RollCallsListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Reads the caseload and today's calls again.
    pub async fn refresh(&self) -> RollCallsState {
        self.changed(|s| s.busy = true);
        let c = &self.client;
        match futures::try_join!(c.cases().all(), today(c)) {
            Ok((cases, calls)) => self.changed(|s| {
                s.busy = false;
                s.cases = cases
                    .into_iter()
                    .filter(|c| c.status == CaseStatus::Active)
                    .collect();
                let listed: Vec<Uuid> = s.cases.iter().map(|c| c.id).collect();
                s.chosen.retain(|id| listed.contains(id));
                s.calls = calls;
                s.message = None;
                s.route = None;
            }),
            Err(e) => self.failed(&e),
        }
    }

    /// Chooses a person, or takes them out.
    pub fn toggle(&self, case_id: Uuid) -> RollCallsState {
        self.changed(|s| {
            if let Some(i) = s.chosen.iter().position(|c| *c == case_id) {
                s.chosen.remove(i);
            } else if s.cases.iter().any(|c| c.id == case_id) {
                s.chosen.push(case_id);
            }
            s.server_errors.retain(|e| e.field != "case_ids");
        })
    }

    /// Everyone listed, or no one.
    pub fn choose_all(&self, all: bool) -> RollCallsState {
        self.changed(|s| {
            s.chosen = if all {
                s.cases.iter().map(|c| c.id).collect()
            } else {
                vec![]
            };
            s.server_errors.retain(|e| e.field != "case_ids");
        })
    }

    /// When the calls ring: `None` for now.
    pub fn set_at(&self, at: Option<DateTime<Utc>>) -> RollCallsState {
        self.changed(|s| {
            s.at = at;
            s.server_errors.retain(|e| e.field != "at");
        })
    }

    pub fn set_note(&self, note: String) -> RollCallsState {
        self.changed(|s| {
            s.note = note;
            s.server_errors.retain(|e| e.field != "note");
        })
    }

    /// Calls the people chosen; says who could not be called, and lists the calls.
    pub async fn start(&self) -> RollCallsState {
        let lang = self.client.lang();
        let req = {
            let s = self.shown.lock().expect("not poisoned");
            if s.busy || !problems(&s, Utc::now(), lang).is_empty() {
                return self.render(&s);
            }
            RollCallStart {
                case_ids: s.chosen.clone(),
                at: s.at,
                note: Some(s.note.trim().to_owned()).filter(|n| !n.is_empty()),
            }
        };
        self.changed(|s| {
            s.busy = true;
            s.message = None;
            s.skipped.clear();
        });
        match self.client.start_roll_calls(&req).await {
            Ok(done) => {
                let calls = today(&self.client).await.unwrap_or_default();
                self.changed(|s| {
                    s.busy = false;
                    s.skipped = done
                        .skipped
                        .iter()
                        .map(|k| {
                            Text::LabelledValue
                                .say(lang, &[&name_of(&s.cases, k.case_id), &k.message])
                        })
                        .collect();
                    s.message = Some(Text::CallsStarted.say(
                        lang,
                        &[
                            &done.started.len().to_string(),
                            &done.skipped.len().to_string(),
                        ],
                    ));
                    s.chosen.clear();
                    s.note.clear();
                    s.at = None;
                    if !calls.is_empty() {
                        s.calls = calls;
                    }
                })
            }
            Err(e) => self.failed(&e),
        }
    }

    /// The screen that watches call `id` (one of today's), read at once; none if it is not
    /// listed.
    pub async fn open_call(&self, id: Uuid) -> Option<Arc<CallWatchScreen>> {
        let person = {
            let s = self.shown.lock().expect("not poisoned");
            let c = s.calls.iter().find(|c| c.id == id)?;
            name_of(&s.cases, c.case_id)
        };
        Some(CallWatchScreen::open(self.client.clone(), id, person).await)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallWatchState {
    pub person: String,
    pub call: Option<CallLine>,
    /// The video flows: the platform may make its offer (`connect`).
    pub can_watch: bool,
    pub why_not: Option<String>,
    pub busy: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait CallWatchListener: Send + Sync {
    fn changed(&self, state: CallWatchState);
}

#[derive(Default)]
struct Call {
    view: Option<RollCallView>,
    busy: bool,
    message: Option<String>,
    route: Option<Route>,
}

/// One call, watched live.
#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct CallWatchScreen {
    client: Arc<Client>,
    id: Uuid,
    person: String,
    shown: Mutex<Call>,
    listeners: Listeners<dyn CallWatchListener>,
}

impl CallWatchScreen {
    pub async fn open(client: Arc<Client>, id: Uuid, person: String) -> Arc<CallWatchScreen> {
        let screen = Arc::new(CallWatchScreen {
            client,
            id,
            person,
            shown: Mutex::new(Call::default()),
            listeners: Listeners::new(),
        });
        screen.refresh().await;
        screen
    }

    fn render(&self, s: &Call) -> CallWatchState {
        let lang = self.client.lang();
        let now = Utc::now();
        let call = s.view.as_ref().map(|c| {
            let mut l = line(c, &[], now, lang);
            l.person = self.person.clone();
            l
        });
        let (can_watch, why_not) = match s.view.as_ref().map(|c| c.status) {
            None => (false, None),
            Some(RollCallStatus::Answered | RollCallStatus::Verifying) => (!s.busy, None),
            Some(RollCallStatus::Scheduled | RollCallStatus::Ringing) => {
                (false, Some(Text::NotAnsweredYet.say(lang, &[])))
            }
            Some(status) => (false, Some(Text::CallOver.say(lang, &[status.label(lang)]))),
        };
        CallWatchState {
            person: self.person.clone(),
            call,
            can_watch,
            why_not,
            busy: s.busy,
            message: s.message.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Call)) -> CallWatchState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl CallWatchScreen {
    pub fn state(&self) -> CallWatchState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn CallWatchListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Reads where the call stands.
    pub async fn refresh(&self) -> CallWatchState {
        self.changed(|s| s.busy = true);
        let got = self.client.roll_call(self.id).await;
        let lang = self.client.lang();
        self.changed(|s| {
            s.busy = false;
            match got {
                Ok(v) => {
                    s.view = Some(v);
                    s.message = None;
                }
                Err(e) => {
                    let t = trouble(&e, lang);
                    s.message = Some(t.message);
                    s.route = t.route;
                }
            }
        })
    }

    /// Joins the call: `sdp_offer` is the platform's receive-only WebRTC offer; the answer to
    /// hand to it comes back, or none (the screen says why — the call ended meanwhile, …).
    pub async fn connect(&self, sdp_offer: String) -> Option<String> {
        self.changed(|s| {
            s.busy = true;
            s.message = None;
        });
        match self.client.watch_roll_call(self.id, &sdp_offer).await {
            Ok(w) => {
                self.changed(|s| s.busy = false);
                Some(w.sdp_answer)
            }
            Err(e) => {
                let lang = self.client.lang();
                let t = trouble(&e, lang);
                // No live video: where the call stands now is read, then why said.
                if e.code() == Some(crate::error::ErrorCode::RollCallNotLive) {
                    self.refresh().await;
                }
                self.changed(|s| {
                    s.busy = false;
                    s.message = Some(t.message);
                    s.route = t.route;
                });
                None
            }
        }
    }
}
