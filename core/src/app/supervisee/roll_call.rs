//! The video roll call (视频点名) on the supervisee's phone: a call ringing, with its deadline
//! and the way to answer it — the answer page for the app's WebView (its URL carries the call
//! and a fresh token in the fragment; the page runs the camera, the turn prompts and the
//! WebRTC exchange), or the SDP exchange for an app with its own WebRTC stack — and, when none
//! rings, how the last call ended, in words.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use uuid::Uuid;

use crate::api::RollCallView;
use crate::app::text::{self, Text};
use crate::app::{trouble, Listeners, Route, Watching};
use crate::client::Client;
use crate::labels::Label;
use crate::policy::rollcall::RollCallStatus;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RollCallState {
    pub title: String,
    /// The call ringing or under way, if any.
    pub call_id: Option<Uuid>,
    pub ringing: bool,
    /// What is happening, in words: ringing until when, in the call, or none now.
    pub detail: String,
    pub answer_label: String,
    /// The page to open in the WebView to answer (the call ringing).
    pub answer_url: Option<String>,
    /// How the last call ended: "上次点名（今天 09:10）：通过".
    pub last: Option<String>,
    pub loading: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait RollCallListener: Send + Sync {
    fn changed(&self, state: RollCallState);
}

#[derive(Default)]
struct Shown {
    calls: Vec<RollCallView>,
    answer_url: Option<String>,
    loading: bool,
    message: Option<String>,
    route: Option<Route>,
}

/// How many of the person's newest calls are read: the one ringing and the last ended.
const RECENT: u64 = 5;

/// The call to answer or under way now, if any.
fn live(calls: &[RollCallView]) -> Option<&RollCallView> {
    let now = Utc::now();
    calls.iter().find(|c| {
        matches!(
            c.status,
            RollCallStatus::Ringing | RollCallStatus::Answered | RollCallStatus::Verifying
        ) && c.answer_by > now
    })
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct RollCallScreen {
    client: Arc<Client>,
    case_id: Uuid,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn RollCallListener>,
}

impl RollCallScreen {
    /// The person's own roll calls (`case_id` from sign-in), read at once.
    pub async fn open(client: Arc<Client>, case_id: Uuid) -> Arc<RollCallScreen> {
        let screen = Arc::new(RollCallScreen {
            client,
            case_id,
            shown: Mutex::new(Shown::default()),
            listeners: Listeners::new(),
        });
        screen.refresh().await;
        screen
    }

    fn render(&self, s: &Shown) -> RollCallState {
        let lang = self.client.lang();
        let now = Utc::now();
        let live = live(&s.calls);
        let ringing = live.is_some_and(|c| c.status == RollCallStatus::Ringing);
        let detail = match live {
            Some(c) if ringing => {
                Text::RollCallRinging.say(lang, &[&text::when(c.answer_by, now, lang)])
            }
            Some(_) => Text::RollCallInCall.say(lang, &[]),
            None => Text::RollCallNone.say(lang, &[]),
        };
        let last = s.calls.iter().find(|c| c.decided_at.is_some()).map(|c| {
            let mut outcome = c.status.label(lang).to_owned();
            if !c.reasons.is_empty() {
                let why: Vec<&str> = c.reasons.iter().map(|r| r.label(lang)).collect();
                outcome = Text::LabelledValue.say(lang, &[&outcome, &why.join("、")]);
            }
            Text::RollCallLast.say(lang, &[&text::when(c.ring_at, now, lang), &outcome])
        });
        RollCallState {
            title: Text::RollCallTitle.say(lang, &[]),
            call_id: live.map(|c| c.id),
            ringing,
            detail,
            answer_label: Text::RollCallAnswer.say(lang, &[]),
            answer_url: if ringing { s.answer_url.clone() } else { None },
            last,
            loading: s.loading,
            message: s.message.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> RollCallState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl RollCallScreen {
    pub fn state(&self) -> RollCallState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn RollCallListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Reads the person's calls; for one ringing, the answer page's address with a fresh
    /// token. Call it again when a `roll_call` event arrives.
    pub async fn refresh(&self) -> RollCallState {
        self.changed(|s| s.loading = true);
        let got = self
            .client
            .roll_calls_of(self.case_id)
            .limit(Some(RECENT))
            .page()
            .await;
        let lang = self.client.lang();
        let calls = match got {
            Ok(p) => p.items,
            Err(e) => {
                let t = trouble(&e, lang);
                return self.changed(|s| {
                    s.loading = false;
                    s.message = Some(t.message);
                    s.route = t.route;
                });
            }
        };
        let ringing = live(&calls)
            .filter(|c| c.status == RollCallStatus::Ringing)
            .map(|c| c.id);
        let url = match ringing {
            Some(id) => self.client.roll_call_page(id).await.ok(),
            None => None,
        };
        self.changed(|s| {
            s.loading = false;
            s.calls = calls;
            s.answer_url = url;
            s.message = None;
            s.route = None;
        })
    }

    /// Answers the ringing call with the app's own WebRTC offer (SDP, candidates gathered);
    /// returns the server's SDP answer for the WebRTC stack, or `None` with the reason in
    /// `state().message`.
    pub async fn answer(&self, sdp_offer: String) -> Option<String> {
        let id = self.state().call_id?;
        let lang = self.client.lang();
        match self.client.answer_roll_call(id, &sdp_offer).await {
            Ok(a) => {
                self.changed(|s| {
                    if let Some(c) = s.calls.iter_mut().find(|c| c.id == id) {
                        *c = a.roll_call.clone();
                    }
                    s.message = None;
                });
                Some(a.sdp_answer)
            }
            Err(e) => {
                let t = trouble(&e, lang);
                self.changed(|s| {
                    s.message = Some(t.message);
                    s.route = t.route;
                });
                None
            }
        }
    }
}
