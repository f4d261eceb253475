//! The study loop (学习) of one lesson: opening it starts a study session on the server; the
//! app calls `beat` every `heartbeat_secs` with what the player and the screen say (position,
//! playing, in the foreground, seconds since a touch), and the core numbers the beats, stamps
//! them, sends them, and shows what was counted. Without a network the beats wait in the
//! outbox, in order, and go before any later one (a beat sent after a later one would count
//! nothing). A face check asked mid-lesson is shown with its deadline and where to go (the
//! check-in); missed or failed, the server takes the time since the last passed check back
//! and ends the session, and the screen says so.

use std::sync::{Arc, Mutex};

use chrono::Utc;

use crate::api::{LessonView, StudyBeat, StudySessionView};
use crate::app::text::{self, Text};
use crate::app::{trouble, Listeners, Route, Watching};
use crate::client::outbox::Outbox;
use crate::client::{Client, ClientError};
use crate::error::Lang;
use crate::labels::Label;
use crate::policy::learning::StudySessionStatus;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LessonState {
    pub title: String,
    /// Video, text…, in words.
    pub kind: String,
    /// A text lesson's body.
    pub body: Option<String>,
    /// The lesson's file (`GET /lessons/{id}/media`): its type, when it has one.
    pub media_type: Option<String>,
    /// A session is open: call `beat` every `heartbeat_secs`.
    pub studying: bool,
    pub heartbeat_secs: u32,
    pub credited_secs: u64,
    /// "本次已计入 3 分 30 秒".
    pub credited: String,
    pub completed: bool,
    pub completed_note: Option<String>,
    /// A face check asked: by when, and what missing it means.
    pub face_check: Option<String>,
    /// Where to answer it (the check-in), while one is asked.
    pub face_check_route: Option<Route>,
    /// The buttons' words: answer the face check, stop studying.
    pub face_check_label: String,
    pub stop_label: String,
    /// Beats kept on the phone for want of a network, said.
    pub waiting_to_send: Option<String>,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait LessonListener: Send + Sync {
    fn changed(&self, state: LessonState);
}

#[derive(Default)]
struct Shown {
    session: Option<StudySessionView>,
    /// The last beat's number.
    seq: u32,
    /// Beats of this session wait in the outbox: later ones queue behind them.
    queued: bool,
    message: Option<String>,
    route: Option<Route>,
}

fn minutes_and_seconds(secs: u64) -> [String; 2] {
    [(secs / 60).to_string(), (secs % 60).to_string()]
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct LessonScreen {
    client: Arc<Client>,
    outbox: Option<Arc<Outbox>>,
    lesson: LessonView,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn LessonListener>,
}

impl LessonScreen {
    /// Opens `lesson`: a study session starts (one at a time: another open elsewhere ends).
    pub async fn open(
        client: Arc<Client>,
        outbox: Option<Arc<Outbox>>,
        lesson: LessonView,
    ) -> Arc<LessonScreen> {
        let got = client.open_lesson(lesson.id).await;
        let lang = client.lang();
        let mut shown = Shown::default();
        match got {
            Ok(s) => {
                shown.seq = s.last_seq;
                shown.session = Some(s);
            }
            Err(e) => {
                let t = trouble(&e, lang);
                shown.message = Some(t.message);
                shown.route = t.route;
            }
        }
        Arc::new(LessonScreen {
            client,
            outbox,
            lesson,
            shown: Mutex::new(shown),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, s: &Shown) -> LessonState {
        let lang = self.client.lang();
        let now = Utc::now();
        let session = s.session.as_ref();
        let studying = session.is_some_and(|x| x.status == StudySessionStatus::Open);
        let credited_secs = session.map_or(0, |x| x.credited_secs);
        let asked = session.and_then(|x| x.face_check_by).filter(|_| studying);
        LessonState {
            title: self.lesson.title.clone(),
            kind: self.lesson.kind.label(lang).into(),
            body: self.lesson.body.clone(),
            media_type: self.lesson.media_type.clone(),
            studying,
            heartbeat_secs: session.map_or(30, |x| x.heartbeat_secs),
            credited_secs,
            credited: {
                let [m, sec] = minutes_and_seconds(credited_secs);
                Text::CreditedSoFar.say(lang, &[&m, &sec])
            },
            completed: session.is_some_and(|x| x.completed),
            completed_note: session
                .filter(|x| x.completed)
                .map(|_| Text::LessonCompleted.say(lang, &[])),
            face_check: asked
                .map(|by| Text::StudyFaceCheck.say(lang, &[&text::when(by, now, lang)])),
            face_check_route: asked.map(|_| Route::Checkin),
            face_check_label: Text::DoFaceCheck.say(lang, &[]),
            stop_label: Text::StopStudying.say(lang, &[]),
            waiting_to_send: s.queued.then(|| Text::BeatsWaiting.say(lang, &[])),
            message: s.message.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> LessonState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }

    /// Takes the session as the server now has it, and says how it ended if it did.
    fn took(&self, session: StudySessionView, lang: Lang) -> LessonState {
        self.changed(|s| {
            let [m, sec] = minutes_and_seconds(session.credited_secs);
            match session.status {
                StudySessionStatus::Voided => {
                    s.message = Some(Text::StudyVoided.say(lang, &[]));
                    s.route = Some(Route::Study);
                }
                StudySessionStatus::Open => s.message = None,
                _ => {
                    s.message = Some(Text::StudyEnded.say(lang, &[&m, &sec]));
                    s.route = Some(Route::Study);
                }
            }
            s.session = Some(session);
        })
    }

    fn failed(&self, e: &ClientError) -> LessonState {
        let t = trouble(e, self.client.lang());
        self.changed(|s| {
            s.message = Some(t.message);
            s.route = t.route.or(match e {
                // The session is over (another device, or closed): back to the list.
                ClientError::Api { status: 409, .. } => Some(Route::Study),
                _ => None,
            });
            if let (Some(x), ClientError::Api { status: 409, .. }) = (&mut s.session, e) {
                x.status = StudySessionStatus::Ended;
            }
        })
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl LessonScreen {
    pub fn state(&self) -> LessonState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn LessonListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// One heartbeat: the player's position (0 for text), whether it plays, whether the app
    /// is in the foreground, and the seconds since the last touch or key.
    pub async fn beat(
        &self,
        position_ms: u64,
        playing: bool,
        foreground: bool,
        idle_secs: u32,
    ) -> LessonState {
        let (session_id, beat, queued) = {
            let mut s = self.shown.lock().expect("not poisoned");
            let Some(session) = s
                .session
                .as_ref()
                .filter(|x| x.status == StudySessionStatus::Open)
            else {
                return self.render(&s);
            };
            let id = session.id;
            s.seq += 1;
            (
                id,
                StudyBeat {
                    seq: s.seq,
                    client_ms: Utc::now().timestamp_millis(),
                    position_ms,
                    playing,
                    foreground,
                    idle_secs,
                },
                s.queued,
            )
        };
        let lang = self.client.lang();
        if let (true, Some(outbox)) = (queued, &self.outbox) {
            // Earlier beats wait: this one queues behind them, and all go in order.
            let kept = outbox
                .enqueue_study_beats(session_id, &crate::api::StudyBeats { beats: vec![beat] })
                .await;
            let report = outbox.flush(&self.client).await;
            let still = kept.is_err() || report.map_or(true, |r| r.deferred > 0);
            return self.changed(|s| s.queued = still);
        }
        let beats = crate::api::StudyBeats { beats: vec![beat] };
        match self.client.send_study_beats(session_id, &beats).await {
            Ok(session) => self.took(session, lang),
            Err(ClientError::Network(_)) if self.outbox.is_some() => {
                let outbox = self.outbox.as_ref().expect("checked");
                match outbox.enqueue_study_beats(session_id, &beats).await {
                    Ok(()) => self.changed(|s| s.queued = true),
                    Err(e) => self.failed(&e),
                }
            }
            Err(e) => self.failed(&e),
        }
    }

    /// Closes the lesson: the session ends and what it counted is said.
    pub async fn end(&self) -> LessonState {
        let Some(id) = self
            .shown
            .lock()
            .expect("not poisoned")
            .session
            .as_ref()
            .map(|s| s.id)
        else {
            return self.state();
        };
        if let Some(outbox) = &self.outbox {
            // What waits is sent first, so that it counts.
            let _ = outbox.flush(&self.client).await;
        }
        match self.client.end_study_session(id).await {
            Ok(session) => self.took(session, self.client.lang()),
            Err(e) => self.failed(&e),
        }
    }
}
