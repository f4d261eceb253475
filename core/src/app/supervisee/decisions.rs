//! The supervisee's decisions and notices: each decision in force (a commendation or a
//! sanction, with the ground it rests on and the reason), when it was made, and whether it
//! has been acknowledged (签收) — with the button to do so and the written decision to read;
//! and the notices raised about their own obligations (a missed check-in, a late return),
//! without the officers' evidence or notes. Kept on the phone and shown with its age offline.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::{OwnAlertView, SanctionView};
use crate::app::kept::Kept;
use crate::app::text::{self, Text};
use crate::app::{trouble, Freshness, Listeners, Route, Watching};
use crate::client::outbox::Outbox;
use crate::client::{Client, ClientError};
use crate::error::Lang;
use crate::labels::Label;
use crate::policy::sanctions::SanctionStatus;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DecisionLine {
    pub id: Uuid,
    /// "训诫".
    pub title: String,
    /// The ground in words, with the article cited.
    pub ground: String,
    pub reason: String,
    /// "12月3日 10:00决定".
    pub decided: String,
    /// "已于12月4日 09:00签收", or that it waits for it.
    pub status: String,
    pub can_acknowledge: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NoticeLine {
    pub id: Uuid,
    pub title: String,
    /// When it was raised.
    pub when: String,
    /// Whether it is being handled, in words.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DecisionsState {
    pub title: String,
    pub decisions: Vec<DecisionLine>,
    pub notices: Vec<NoticeLine>,
    pub acknowledge_label: String,
    pub empty_note: Option<String>,
    pub freshness: Freshness,
    pub loading: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait DecisionsListener: Send + Sync {
    fn changed(&self, state: DecisionsState);
}

/// What the screen is made from, as kept on the phone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DecisionsData {
    pub sanctions: Vec<SanctionView>,
    pub alerts: Vec<OwnAlertView>,
}

/// How many of the newest decisions and notices are shown.
const RECENT: u64 = 50;

async fn fetch(client: &Client, case_id: Uuid) -> Result<DecisionsData, ClientError> {
    let (sanctions, alerts) = futures::try_join!(
        client.case_sanctions(case_id).limit(Some(RECENT)).page(),
        client.own_alerts().limit(Some(RECENT)).page(),
    )?;
    Ok(DecisionsData {
        sanctions: sanctions
            .items
            .into_iter()
            .filter(|s| s.status.in_force())
            .collect(),
        alerts: alerts.items,
    })
}

fn compose(d: &DecisionsData, lang: Lang) -> (Vec<DecisionLine>, Vec<NoticeLine>) {
    let now = Utc::now();
    let decisions = d
        .sanctions
        .iter()
        .map(|s| {
            let ground = match lang {
                Lang::ZhCn => &s.ground.zh,
                Lang::En => &s.ground.en,
            };
            DecisionLine {
                id: s.id,
                title: s.sanction.label(lang).into(),
                ground: Text::WithDetail.say(lang, &[ground, &s.ground.article]),
                reason: s.reason.clone(),
                decided: Text::DecidedOn.say(
                    lang,
                    &[&text::when(
                        s.decided_at.unwrap_or(s.proposed_at),
                        now,
                        lang,
                    )],
                ),
                status: match s.acknowledged_at {
                    Some(at) => Text::AcknowledgedOn.say(lang, &[&text::when(at, now, lang)]),
                    None => s.status.label(lang).into(),
                },
                can_acknowledge: s.status == SanctionStatus::Approved,
            }
        })
        .collect();
    let notices = d
        .alerts
        .iter()
        .map(|a| NoticeLine {
            id: a.id,
            title: a.title.clone(),
            when: text::when(a.created_at, now, lang),
            status: a.state.label(lang).into(),
        })
        .collect();
    (decisions, notices)
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct DecisionsScreen {
    client: Arc<Client>,
    cache: Option<Arc<Outbox>>,
    case_id: Uuid,
    shown: Mutex<Kept<DecisionsData>>,
    listeners: Listeners<dyn DecisionsListener>,
}

impl DecisionsScreen {
    /// The person's own (`case_id` from sign-in), starting from what the phone kept.
    pub async fn open(
        client: Arc<Client>,
        cache: Option<Arc<Outbox>>,
        case_id: Uuid,
    ) -> Arc<DecisionsScreen> {
        let kept = Kept::recall(cache.as_deref(), &Self::key(case_id)).await;
        Arc::new(DecisionsScreen {
            client,
            cache,
            case_id,
            shown: Mutex::new(kept),
            listeners: Listeners::new(),
        })
    }

    fn key(case_id: Uuid) -> String {
        format!("supervisee.decisions.{case_id}")
    }

    fn render(&self, s: &Kept<DecisionsData>) -> DecisionsState {
        let lang = self.client.lang();
        let (decisions, notices) = s
            .data
            .as_ref()
            .map(|d| compose(d, lang))
            .unwrap_or_default();
        DecisionsState {
            title: Text::DecisionsTitle.say(lang, &[]),
            empty_note: (s.data.is_some() && decisions.is_empty() && notices.is_empty())
                .then(|| Text::NoDecisions.say(lang, &[])),
            decisions,
            notices,
            acknowledge_label: Text::AcknowledgeAction.say(lang, &[]),
            freshness: s.freshness(Utc::now(), lang),
            loading: s.loading,
            message: s.message.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Kept<DecisionsData>)) -> DecisionsState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl DecisionsScreen {
    pub fn state(&self) -> DecisionsState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn DecisionsListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub async fn refresh(&self) -> DecisionsState {
        self.changed(|s| s.loading = true);
        let got = fetch(&self.client, self.case_id).await;
        let now = Kept::keep(self.cache.as_deref(), &Self::key(self.case_id), &got).await;
        let lang = self.client.lang();
        self.changed(|s| s.take(got, now, lang))
    }

    /// Acknowledges having been told of decision `id` (签收); the list is read again.
    pub async fn acknowledge(&self, id: Uuid) -> DecisionsState {
        self.changed(|s| s.loading = true);
        match self.client.acknowledge_sanction(id).await {
            Ok(_) => {
                self.refresh().await;
                let said = Text::Acknowledged.say(self.client.lang(), &[]);
                self.changed(|s| {
                    if s.message.is_none() {
                        s.message = Some(said);
                    }
                })
            }
            Err(e) => {
                let t = trouble(&e, self.client.lang());
                self.changed(|s| {
                    s.loading = false;
                    s.message = Some(t.message);
                    s.route = t.route;
                })
            }
        }
    }

    /// The written decision (PDF) to show or save; `None` with the reason in
    /// `state().message`.
    pub async fn document(&self, id: Uuid) -> Option<Vec<u8>> {
        match self.client.sanction_document(id).await {
            Ok(pdf) => Some(pdf),
            Err(e) => {
                let t = trouble(&e, self.client.lang());
                self.changed(|s| {
                    s.message = Some(t.message);
                    s.route = t.route;
                });
                None
            }
        }
    }
}
