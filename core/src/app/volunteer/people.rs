//! The volunteer's home: the people whose team they are on (named as the server names them to
//! a volunteer: masked), when each was last helped and how, sessions returned for correction,
//! and what the phone still has to send. Read in one round of calls; the last answer is kept
//! on the phone and shown with its age when the server cannot be reached. A person's line
//! opens the help log (`log_help`).

use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::{CaseSummaryView, HelpSessionView};
use crate::app::kept::Kept;
use crate::app::text::{self, Text};
use crate::app::volunteer::help_log::HelpLogScreen;
use crate::app::{Freshness, Listeners, Route, Watching};
use crate::client::outbox::{Outbox, OutboxState};
use crate::client::{Client, ClientError};
use crate::error::Lang;
use crate::labels::Label;
use crate::policy::help::HelpStatus;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PersonLine {
    pub case_id: Uuid,
    /// As the server names the person to a volunteer.
    pub name: String,
    /// "上次帮扶：12月3日（谈心谈话）", or that none is logged yet.
    pub last_helped: String,
    /// Sessions returned for correction, said ("1 条记录被退回…").
    pub returned: Option<String>,
    /// Where tapping goes: the help log.
    pub route: Route,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PeopleState {
    pub title: String,
    pub people: Vec<PersonLine>,
    pub empty_note: Option<String>,
    /// Help sessions on the phone not yet sent, said.
    pub waiting_to_send: Option<String>,
    /// Sessions the server refused for good, said: the volunteer must tell the officer.
    pub refused: Option<String>,
    pub freshness: Freshness,
    pub loading: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait PeopleListener: Send + Sync {
    fn changed(&self, state: PeopleState);
}

/// What the list is made from, as kept on the phone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PeopleData {
    pub people: Vec<CaseSummaryView>,
    /// The volunteer's own sessions, newest first.
    pub sessions: Vec<HelpSessionView>,
}

/// How many of the volunteer's newest sessions are read: enough for each person's last.
const RECENT: u64 = 100;

async fn fetch(client: &Client) -> Result<PeopleData, ClientError> {
    let (people, sessions) = futures::try_join!(
        client.cases().all(),
        client.help_sessions(None).limit(Some(RECENT)).page(),
    )?;
    Ok(PeopleData {
        people,
        sessions: sessions.items,
    })
}

/// The lines of `d`, in the order the server lists the people, in `lang`.
pub fn compose(d: &PeopleData, lang: Lang) -> Vec<PersonLine> {
    let now = Utc::now();
    d.people
        .iter()
        .map(|p| {
            let mine = d.sessions.iter().filter(|s| s.case_id == p.id);
            let last = mine.clone().max_by_key(|s| s.began_at);
            let returned = mine.filter(|s| s.status == HelpStatus::Returned).count();
            PersonLine {
                case_id: p.id,
                name: p.name.clone(),
                last_helped: match last {
                    Some(s) => Text::LastHelped.say(
                        lang,
                        &[&text::when(s.began_at, now, lang), s.kind.label(lang)],
                    ),
                    None => Text::NeverHelped.say(lang, &[]),
                },
                returned: (returned > 0)
                    .then(|| Text::SessionsReturned.say(lang, &[&returned.to_string()])),
                route: Route::LogHelp,
            }
        })
        .collect()
}

/// The phone's help sessions not yet sent, and those refused for good.
#[derive(Default, Clone, Copy)]
struct OnThePhone {
    waiting: usize,
    refused: usize,
}

async fn on_the_phone(outbox: Option<&Outbox>) -> OnThePhone {
    let Some(items) = (match outbox {
        Some(o) => o.items().await.ok(),
        None => None,
    }) else {
        return OnThePhone::default();
    };
    let help = items.iter().filter(|i| i.kind == "help_session");
    OnThePhone {
        waiting: help
            .clone()
            .filter(|i| i.state == OutboxState::Pending)
            .count(),
        refused: help.filter(|i| i.state == OutboxState::Rejected).count(),
    }
}

struct Shown {
    kept: Kept<PeopleData>,
    phone: OnThePhone,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct PeopleScreen {
    client: Arc<Client>,
    outbox: Option<Arc<Outbox>>,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn PeopleListener>,
}

const KEY: &str = "volunteer.people";

impl PeopleScreen {
    /// The list, starting from what the phone kept (`outbox`), if anything; `refresh` reads
    /// the server. Help sessions logged offline wait in `outbox`.
    pub async fn open(client: Arc<Client>, outbox: Option<Arc<Outbox>>) -> Arc<PeopleScreen> {
        let kept = Kept::recall(outbox.as_deref(), KEY).await;
        let phone = on_the_phone(outbox.as_deref()).await;
        Arc::new(PeopleScreen {
            client,
            outbox,
            shown: Mutex::new(Shown { kept, phone }),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, s: &Shown) -> PeopleState {
        let lang = self.client.lang();
        let people = s
            .kept
            .data
            .as_ref()
            .map(|d| compose(d, lang))
            .unwrap_or_default();
        let count = |n: usize, t: Text| (n > 0).then(|| t.say(lang, &[&n.to_string()]));
        PeopleState {
            title: Text::PeopleTitle.say(lang, &[]),
            empty_note: (s.kept.data.is_some() && people.is_empty())
                .then(|| Text::NoPeople.say(lang, &[])),
            people,
            waiting_to_send: count(s.phone.waiting, Text::WaitingToSend),
            refused: count(s.phone.refused, Text::RefusedToSend),
            freshness: s.kept.freshness(Utc::now(), lang),
            loading: s.kept.loading,
            message: s.kept.message.clone(),
            route: s.kept.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> PeopleState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl PeopleScreen {
    pub fn state(&self) -> PeopleState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn PeopleListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Sends what the phone holds, then reads the list; when the server cannot be reached,
    /// what was shown stays, marked with its age.
    pub async fn refresh(&self) -> PeopleState {
        self.changed(|s| s.kept.loading = true);
        if let Some(o) = &self.outbox {
            // Sent first, so the list read next includes them.
            let _ = o.flush(&self.client).await;
        }
        let got = fetch(&self.client).await;
        let now = Kept::keep(self.outbox.as_deref(), KEY, &got).await;
        let phone = on_the_phone(self.outbox.as_deref()).await;
        let lang = self.client.lang();
        self.changed(|s| {
            s.kept.take(got, now, lang);
            s.phone = phone;
        })
    }

    /// The help log for one of the people listed; `None` for someone not listed.
    pub fn log_help(&self, case_id: Uuid) -> Option<Arc<HelpLogScreen>> {
        let name = {
            let s = self.shown.lock().expect("not poisoned");
            s.kept
                .data
                .as_ref()?
                .people
                .iter()
                .find(|p| p.id == case_id)?
                .name
                .clone()
        };
        Some(HelpLogScreen::new(
            self.client.clone(),
            self.outbox.clone(),
            case_id,
            name,
        ))
    }
}
