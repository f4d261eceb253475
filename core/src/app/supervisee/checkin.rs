//! The face check-in, step by step: ask the server for a code (it names the head poses to
//! show), say each pose in turn, take the photo the app hands over for it, send them with
//! the latest location, and say what happened in words a person understands — passed (and
//! whether it counts for this period), sent to an officer, failed and why, or what to do about
//! a photo the server could not use (too dark: find light). With no server, one photo is kept
//! in the outbox and sent when the phone is back online (an officer then reviews it: nothing
//! showed the face was live).

use std::sync::{Arc, Mutex};

use base64::Engine;
use uuid::Uuid;

use crate::api::{CheckinRequest, CheckinView, GpsFix};
use crate::app::text::Text;
use crate::app::{trouble, Listeners, Route, Watching};
use crate::client::outbox::Outbox;
use crate::client::{Client, ClientError};
use crate::error::{ErrorCode, Lang};
use crate::labels::Label;
use crate::policy::checkin::CheckinResult;
use crate::policy::liveness::Pose;

/// Where the flow is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CheckinStep {
    /// Nothing started: `start` asks for a code.
    Ready,
    /// Taking the photo for `pose` (`pose_index` of `pose_count`).
    Capturing,
    Sending,
    /// The server judged it: `outcome` says how.
    Judged,
    /// Kept on the phone, to be sent when online.
    Queued,
    /// It could not be done now (`message` says why; `can_retry` whether trying again helps).
    Stopped,
}

/// What the server decided, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckinOutcome {
    pub result: CheckinResult,
    /// "签到成功", "已提交，等待工作人员复核", "签到未通过".
    pub headline: String,
    /// Whether it counts for this period and why not; the reasons, in words.
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckinState {
    pub title: String,
    pub step: CheckinStep,
    /// What to do now ("请正视镜头", "请向左转头", "正在提交…").
    pub prompt: String,
    /// The buttons' words: start, take the photo, try again.
    pub start_label: String,
    pub capture_label: String,
    pub retry_label: String,
    pub pose: Option<Pose>,
    pub pose_index: u32,
    pub pose_count: u32,
    /// The app may hand over a photo now (`capture`); else `capture_why_not`.
    pub can_capture: bool,
    pub capture_why_not: Option<String>,
    pub outcome: Option<CheckinOutcome>,
    pub message: Option<String>,
    pub can_retry: bool,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait CheckinListener: Send + Sync {
    fn changed(&self, state: CheckinState);
}

struct Flow {
    step: CheckinStep,
    /// The code and its poses; `None` offline (one photo, looking straight).
    nonce: Option<String>,
    poses: Vec<Pose>,
    photos: Vec<String>,
    fix: Option<GpsFix>,
    key: String,
    outcome: Option<CheckinOutcome>,
    message: Option<String>,
    can_retry: bool,
    route: Option<Route>,
}

impl Flow {
    fn new() -> Flow {
        Flow {
            step: CheckinStep::Ready,
            nonce: None,
            poses: vec![],
            photos: vec![],
            fix: None,
            key: Uuid::new_v4().to_string(),
            outcome: None,
            message: None,
            can_retry: false,
            route: None,
        }
    }
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct CheckinScreen {
    client: Arc<Client>,
    outbox: Option<Arc<Outbox>>,
    app_version: String,
    flow: Mutex<Flow>,
    listeners: Listeners<dyn CheckinListener>,
}

/// The words for a check-in's result.
pub fn outcome(v: &CheckinView, lang: Lang) -> CheckinOutcome {
    let headline = match v.result {
        CheckinResult::Passed => Text::CheckinPassed,
        CheckinResult::NeedsReview | CheckinResult::Unknown => Text::CheckinToReview,
        CheckinResult::Failed => Text::CheckinFailed,
    }
    .say(lang, &[]);
    let mut lines = vec![];
    if let Some(c) = &v.counted {
        if v.result == CheckinResult::Passed {
            lines.push(match c.not_counted {
                None => Text::CheckinCounts.say(lang, &[]),
                Some(why) => Text::CheckinDoesNotCount.say(
                    lang,
                    &[
                        why.label(lang),
                        &c.opens.format("%H:%M").to_string(),
                        &c.closes.format("%H:%M").to_string(),
                    ],
                ),
            });
        }
    }
    lines.extend(v.reasons.iter().map(|r| r.label(lang).to_owned()));
    CheckinOutcome {
        result: v.result,
        headline,
        lines,
    }
}

impl CheckinScreen {
    /// The flow for the signed-in supervisee; `outbox` keeps a check-in made offline.
    pub fn new(
        client: Arc<Client>,
        outbox: Option<Arc<Outbox>>,
        app_version: String,
    ) -> Arc<CheckinScreen> {
        Arc::new(CheckinScreen {
            client,
            outbox,
            app_version,
            flow: Mutex::new(Flow::new()),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, f: &Flow) -> CheckinState {
        let lang = self.client.lang();
        let pose = match f.step {
            CheckinStep::Capturing => Some(
                f.poses
                    .get(f.photos.len())
                    .copied()
                    .unwrap_or(Pose::Straight),
            ),
            _ => None,
        };
        let capture_why_not = match (f.step, &f.fix) {
            (CheckinStep::Capturing, None) => Some(Text::NeedLocation.say(lang, &[])),
            (CheckinStep::Capturing, Some(_)) => None,
            (CheckinStep::Sending, _) => Some(Text::Busy.say(lang, &[])),
            _ => Some(Text::CheckinStartFirst.say(lang, &[])),
        };
        let prompt = match (f.step, pose) {
            (CheckinStep::Ready, _) => Text::CheckinStart.say(lang, &[]),
            (CheckinStep::Capturing, Some(p)) => p.label(lang).to_owned(),
            (CheckinStep::Sending, _) => Text::Busy.say(lang, &[]),
            (CheckinStep::Queued, _) => Text::CheckinQueued.say(lang, &[]),
            _ => String::new(),
        };
        CheckinState {
            title: Text::CheckinTitle.say(lang, &[]),
            step: f.step,
            prompt,
            start_label: Text::CheckinBegin.say(lang, &[]),
            capture_label: Text::TakePhoto.say(lang, &[]),
            retry_label: Text::TryAgain.say(lang, &[]),
            pose,
            pose_index: f.photos.len() as u32,
            pose_count: f.poses.len().max(1) as u32,
            can_capture: capture_why_not.is_none(),
            capture_why_not,
            outcome: f.outcome.clone(),
            message: f.message.clone(),
            can_retry: f.can_retry,
            route: f.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Flow)) -> CheckinState {
        self.listeners.change(
            &self.flow,
            change,
            |f| self.render(f),
            |l, state| l.changed(state),
        )
    }

    /// What to do about a failed call: a server that cannot be reached keeps the photo for
    /// later (if there is one and an outbox); anything else stops with the server's words.
    async fn stopped(&self, e: ClientError, photo: Option<String>) -> CheckinState {
        let lang = self.client.lang();
        let t = trouble(&e, lang);
        if t.offline {
            if let (Some(outbox), Some(photo)) = (&self.outbox, photo) {
                let (fix, key) = {
                    let f = self.flow.lock().expect("not poisoned");
                    (f.fix.clone(), f.key.clone())
                };
                if let Some(fix) = fix {
                    let kept = outbox
                        .enqueue_checkin(photo, None, fix, self.app_version.clone(), key)
                        .await;
                    if kept.is_ok() {
                        return self.changed(|f| {
                            f.step = CheckinStep::Queued;
                            f.message = None;
                        });
                    }
                }
            }
        }
        // Trying again helps unless the day's tries are used up or the session is gone.
        let hopeless = matches!(
            &e,
            ClientError::Api { problem, .. }
                if ErrorCode::from_code(&problem.code) == Some(ErrorCode::TooManyAttempts)
        );
        self.changed(|f| {
            f.step = CheckinStep::Stopped;
            f.message = Some(t.message);
            f.can_retry = !hopeless && t.route.is_none();
            f.route = t.route;
        })
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl CheckinScreen {
    pub fn state(&self) -> CheckinState {
        self.render(&self.flow.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn CheckinListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// The phone's latest fix (the app passes each new one; the last is sent).
    pub fn set_location(&self, fix: GpsFix) -> CheckinState {
        self.changed(|f| f.fix = Some(fix))
    }

    /// Asks for a code and its poses. Offline (and with an outbox), the flow goes on with one
    /// photo looking straight, kept to be sent later.
    pub async fn start(&self) -> CheckinState {
        self.changed(|f| {
            let fix = f.fix.take();
            *f = Flow::new();
            f.fix = fix;
            f.step = CheckinStep::Sending;
        });
        match self.client.checkin_challenge().await {
            Ok(c) => self.changed(|f| {
                f.nonce = Some(c.nonce);
                f.poses = if c.poses.is_empty() {
                    vec![Pose::Straight]
                } else {
                    c.poses
                };
                f.step = CheckinStep::Capturing;
            }),
            Err(ClientError::Network(_)) if self.outbox.is_some() => self.changed(|f| {
                f.poses = vec![Pose::Straight];
                f.step = CheckinStep::Capturing;
                f.message = Some(Text::CheckinOffline.say(self.client.lang(), &[]));
            }),
            Err(e) => self.stopped(e, None).await,
        }
    }

    /// The photo (JPEG, as the camera sees it, not the mirrored preview) for the pose asked
    /// now; after the last one the check-in is sent.
    pub async fn capture(&self, jpeg: Vec<u8>) -> CheckinState {
        let ready = {
            let mut f = self.flow.lock().expect("not poisoned");
            if f.step != CheckinStep::Capturing || f.fix.is_none() {
                return self.render(&f);
            }
            f.photos
                .push(base64::engine::general_purpose::STANDARD.encode(&jpeg));
            f.photos.len() >= f.poses.len()
        };
        if !ready {
            return self.changed(|_| {});
        }
        let (nonce, photos, fix, key) = {
            let mut f = self.flow.lock().expect("not poisoned");
            f.step = CheckinStep::Sending;
            (
                f.nonce.clone(),
                f.photos.clone(),
                f.fix.clone().expect("checked above"),
                f.key.clone(),
            )
        };
        self.changed(|_| {});
        let Some(nonce) = nonce else {
            // Offline from the start: kept for later.
            return self
                .stopped(
                    ClientError::Network("offline".into()),
                    photos.first().cloned(),
                )
                .await;
        };
        let req = CheckinRequest {
            nonce,
            photo: photos[0].clone(),
            frames: photos[1..].to_vec(),
            location: fix,
            app_version: self.app_version.clone(),
            idempotency_key: key,
        };
        match self.client.submit_checkin(&req).await {
            Ok(v) => {
                let said = outcome(&v, self.client.lang());
                self.changed(|f| {
                    f.step = CheckinStep::Judged;
                    f.can_retry = v.result == CheckinResult::Failed;
                    f.outcome = Some(said);
                    f.message = None;
                })
            }
            Err(e) => self.stopped(e, Some(req.photo)).await,
        }
    }

    /// Back to the start after a failure or a stop (a new code, new photos).
    pub fn retry(&self) -> CheckinState {
        self.changed(|f| {
            let fix = f.fix.take();
            *f = Flow::new();
            f.fix = fix;
        })
    }
}
