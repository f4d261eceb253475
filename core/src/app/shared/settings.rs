//! Settings (every app): who is signed in, the language (the platform keeps the choice and
//! makes the client again with it), what the phone still has to send — each record's kind,
//! tries and, when the server refused it for good, why — with "send now", and signing out
//! (said first when records wait: they stay on the phone and go after the next sign-in).

use std::sync::{Arc, Mutex};

use crate::app::text::{self, Text};
use crate::app::{trouble, Choice, Listeners, Route, Watching};
use crate::client::outbox::{Outbox, OutboxItem, OutboxState};
use crate::client::Client;
use crate::error::{ErrorCode, Lang};
use crate::labels::Label;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PendingLine {
    /// "人脸签到".
    pub kind: String,
    /// When it was made.
    pub made: String,
    /// Waiting (tried n times), or refused and why.
    pub status: String,
    pub refused: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SettingsState {
    pub title: String,
    /// "李秀英 · 社区矫正工作人员".
    pub account: Option<String>,
    pub language_label: String,
    /// `code` is the language's tag (`zh-CN`, `en`).
    pub languages: Vec<Choice>,
    pub pending: Vec<PendingLine>,
    pub pending_note: Option<String>,
    pub send_now_label: String,
    pub sign_out_label: String,
    /// Said before signing out when records wait.
    pub sign_out_note: Option<String>,
    pub version: String,
    pub busy: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait SettingsListener: Send + Sync {
    fn changed(&self, state: SettingsState);
}

#[derive(Default)]
struct Shown {
    account: Option<String>,
    items: Vec<OutboxItem>,
    busy: bool,
    message: Option<String>,
    route: Option<Route>,
}

fn kind_words(kind: &str) -> Text {
    match kind {
        "checkin" => Text::OutboxCheckin,
        "study_beats" => Text::OutboxStudy,
        "help_session" => Text::OutboxHelp,
        "visit" => Text::OutboxVisit,
        _ => Text::OutboxLocations,
    }
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct SettingsScreen {
    client: Arc<Client>,
    outbox: Option<Arc<Outbox>>,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn SettingsListener>,
}

impl SettingsScreen {
    /// Settings, with what `outbox` holds.
    pub async fn open(client: Arc<Client>, outbox: Option<Arc<Outbox>>) -> Arc<SettingsScreen> {
        let screen = Arc::new(SettingsScreen {
            client,
            outbox,
            shown: Mutex::new(Shown::default()),
            listeners: Listeners::new(),
        });
        screen.refresh().await;
        screen
    }

    fn render(&self, s: &Shown) -> SettingsState {
        let lang = self.client.lang();
        let now = chrono::Utc::now();
        let pending: Vec<PendingLine> = s
            .items
            .iter()
            .filter(|i| i.state != OutboxState::Sent)
            .map(|i| {
                let refused = i.state == OutboxState::Rejected;
                let status = if refused {
                    let why = i
                        .last_error
                        .as_deref()
                        .and_then(ErrorCode::from_code)
                        .unwrap_or(ErrorCode::Internal)
                        .message(lang);
                    Text::OutboxRefused.say(lang, &[why])
                } else {
                    Text::OutboxWaiting.say(lang, &[&i.attempts.to_string()])
                };
                PendingLine {
                    kind: kind_words(&i.kind).say(lang, &[]),
                    made: text::when(i.created_at, now, lang),
                    status,
                    refused,
                }
            })
            .collect();
        let waiting = pending.iter().filter(|p| !p.refused).count();
        SettingsState {
            title: Text::SettingsTitle.say(lang, &[]),
            account: s.account.clone(),
            language_label: Text::LanguageLabel.say(lang, &[]),
            // Each language by its own name, whatever the language shown.
            languages: [(Lang::ZhCn, "简体中文"), (Lang::En, "English")]
                .into_iter()
                .map(|(l, name)| Choice {
                    code: l.tag().into(),
                    label: name.into(),
                    chosen: l == lang,
                })
                .collect(),
            pending_note: pending.is_empty().then(|| Text::OutboxEmpty.say(lang, &[])),
            pending,
            send_now_label: Text::SendNowAction.say(lang, &[]),
            sign_out_label: Text::SignOutAction.say(lang, &[]),
            sign_out_note: (waiting > 0)
                .then(|| Text::SignOutKeeps.say(lang, &[&waiting.to_string()])),
            version: Text::AppVersion.say(lang, &[env!("CARGO_PKG_VERSION")]),
            busy: s.busy,
            message: s.message.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> SettingsState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }

    async fn items(&self) -> Vec<OutboxItem> {
        match &self.outbox {
            Some(o) => o.items().await.unwrap_or_default(),
            None => vec![],
        }
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl SettingsScreen {
    pub fn state(&self) -> SettingsState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn SettingsListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Reads who is signed in and what the phone holds.
    pub async fn refresh(&self) -> SettingsState {
        let lang = self.client.lang();
        let me = self.client.me().await;
        let items = self.items().await;
        self.changed(|s| {
            s.items = items;
            match me {
                Ok(me) => {
                    s.account = Some(
                        Text::LabelledValue.say(lang, &[me.role.label(lang), &me.display_name]),
                    );
                    s.route = None;
                }
                // Offline, who is signed in is what was shown.
                Err(e) => s.route = trouble(&e, lang).route,
            }
        })
    }

    /// Sends what waits and is due (a record that just failed waits out its retry delay).
    pub async fn send_now(&self) -> SettingsState {
        let Some(outbox) = &self.outbox else {
            return self.state();
        };
        self.changed(|s| s.busy = true);
        let lang = self.client.lang();
        let report = outbox.flush(&self.client).await;
        let items = self.items().await;
        self.changed(|s| {
            s.busy = false;
            s.items = items;
            s.message = Some(match report {
                Ok(r) => Text::SentNow.say(lang, &[&r.sent.to_string(), &r.deferred.to_string()]),
                Err(e) => trouble(&e, lang).message,
            });
        })
    }

    /// Signs out: this phone's session ends on the server (even offline, the tokens go).
    pub async fn sign_out(&self) -> SettingsState {
        self.changed(|s| s.busy = true);
        // A session the server cannot be told about ends when its tokens expire.
        let _ = self.client.logout().await;
        self.changed(|s| {
            s.busy = false;
            s.account = None;
            s.route = Some(Route::SignIn);
        })
    }
}
