//! The officer's home: everything waiting for them at their level, in one list — urgent
//! first (an urgent leave, a high alert), then by the day it must be settled, then oldest —
//! with a chip per kind to show one kind only. Read from the server in one call
//! (`GET /me/queue`); the last answer is kept on the phone and shown with its age when the
//! server cannot be reached. Each line opens its decision (`decision`).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::api::{QueueItemView, QueueKind, WorkQueueView};
use crate::app::kept::Kept;
use crate::app::officer::decision::DecisionScreen;
use crate::app::text::{self, Text};
use crate::app::{Freshness, Listeners, Route, Watching};
use crate::client::outbox::Outbox;
use crate::client::Client;
use crate::error::Lang;
use crate::labels::Label;
use crate::policy::calendar::local_date;

/// One thing waiting, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QueueLine {
    pub kind: QueueKind,
    /// The record to act on.
    pub id: Uuid,
    pub case_id: Uuid,
    /// What is asked: "请假审批".
    pub title: String,
    /// What it is about: "就医（西安市第一医院）".
    pub subject: String,
    /// Whose case (a minor's name masked).
    pub person: String,
    /// "今天 09:12提交".
    pub waiting: String,
    /// "须在12月17日前处理", where there is a day.
    pub due: Option<String>,
    pub urgent: bool,
    /// Where tapping it goes: the decision; none for a kind this version does not know
    /// (a newer server's), which the console handles.
    pub route: Option<Route>,
}

/// A chip above the list: a kind (or all) with its count.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QueueFilter {
    /// `None`: every kind.
    pub kind: Option<QueueKind>,
    /// "请假审批（2）".
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QueueState {
    pub title: String,
    pub filters: Vec<QueueFilter>,
    pub lines: Vec<QueueLine>,
    pub empty_note: Option<String>,
    /// Said when more wait than the list holds.
    pub more_note: Option<String>,
    pub freshness: Freshness,
    pub loading: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait QueueListener: Send + Sync {
    fn changed(&self, state: QueueState);
}

/// The screen a line opens: the decision, for every kind this version knows.
pub fn route_of(kind: QueueKind) -> Option<Route> {
    (kind != QueueKind::Unknown).then_some(Route::Decide)
}

/// The lines of `q`, most pressing first, in `lang` at `now` (China time); only `only`'s
/// kind when it is set.
pub fn compose(
    q: &WorkQueueView,
    only: Option<QueueKind>,
    now: DateTime<Utc>,
    lang: Lang,
) -> Vec<QueueLine> {
    let today = local_date(now);
    let mut items: Vec<&QueueItemView> = q
        .items
        .iter()
        .filter(|i| only.is_none_or(|k| i.kind == k))
        .collect();
    items.sort_by_key(|i| (!i.urgent, i.due_on.is_none(), i.due_on, i.since));
    items
        .into_iter()
        .map(|i| QueueLine {
            kind: i.kind,
            id: i.id,
            case_id: i.case_id,
            title: i.kind.label(lang).into(),
            subject: i.subject.clone(),
            person: i.case_name.clone(),
            waiting: Text::WaitingSince.say(lang, &[&text::when(i.since, now, lang)]),
            due: i
                .due_on
                .map(|d| Text::SettleBy.say(lang, &[&text::day(d, today, lang)])),
            urgent: i.urgent,
            route: route_of(i.kind),
        })
        .collect()
}

struct Shown {
    kept: Kept<WorkQueueView>,
    only: Option<QueueKind>,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct QueueScreen {
    client: Arc<Client>,
    cache: Option<Arc<Outbox>>,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn QueueListener>,
}

const KEY: &str = "officer.queue";

impl QueueScreen {
    /// The queue, starting from what the phone kept (`cache`), if anything; `refresh` reads
    /// the server.
    pub async fn open(client: Arc<Client>, cache: Option<Arc<Outbox>>) -> Arc<QueueScreen> {
        let kept = Kept::recall(cache.as_deref(), KEY).await;
        Arc::new(QueueScreen {
            client,
            cache,
            shown: Mutex::new(Shown { kept, only: None }),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, s: &Shown) -> QueueState {
        let lang = self.client.lang();
        let now = Utc::now();
        let empty = WorkQueueView {
            items: vec![],
            counts: vec![],
        };
        let q = s.kept.data.as_ref().unwrap_or(&empty);
        let total: u64 = q.counts.iter().map(|c| c.count).sum();
        let mut filters = vec![QueueFilter {
            kind: None,
            label: Text::CountOf.say(lang, &[&Text::QueueAll.say(lang, &[]), &total.to_string()]),
            selected: s.only.is_none(),
        }];
        filters.extend(q.counts.iter().map(|c| QueueFilter {
            kind: Some(c.kind),
            label: Text::CountOf.say(lang, &[c.kind.label(lang), &c.count.to_string()]),
            selected: s.only == Some(c.kind),
        }));
        let lines = compose(q, s.only, now, lang);
        let waiting: u64 = q
            .counts
            .iter()
            .filter(|c| s.only.is_none_or(|k| c.kind == k))
            .map(|c| c.count)
            .sum();
        let more = waiting.saturating_sub(lines.len() as u64);
        QueueState {
            title: Text::QueueTitle.say(lang, &[]),
            filters,
            empty_note: (s.kept.data.is_some() && lines.is_empty())
                .then(|| Text::QueueEmpty.say(lang, &[])),
            more_note: (more > 0).then(|| Text::QueueMore.say(lang, &[&more.to_string()])),
            lines,
            freshness: s.kept.freshness(now, lang),
            loading: s.kept.loading,
            message: s.kept.message.clone(),
            route: s.kept.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> QueueState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl QueueScreen {
    pub fn state(&self) -> QueueState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn QueueListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Reads the queue from the server; when it cannot be reached, what was shown stays,
    /// marked with its age.
    pub async fn refresh(&self) -> QueueState {
        self.changed(|s| s.kept.loading = true);
        let got = self.client.work_queue().await;
        let now = Kept::keep(self.cache.as_deref(), KEY, &got).await;
        let lang = self.client.lang();
        self.changed(|s| s.kept.take(got, now, lang))
    }

    /// Shows one kind only (`None`: all).
    pub fn show(&self, kind: Option<QueueKind>) -> QueueState {
        self.changed(|s| s.only = kind)
    }

    /// The decision screen of a line, read from the server; `None` for a line no longer
    /// listed or of a kind this version does not know.
    pub async fn decide(&self, id: Uuid) -> Option<Arc<DecisionScreen>> {
        let item = {
            let s = self.shown.lock().expect("not poisoned");
            s.kept
                .data
                .as_ref()?
                .items
                .iter()
                .find(|i| i.id == id && route_of(i.kind) == Some(Route::Decide))?
                .clone()
        };
        Some(
            DecisionScreen::open(
                self.client.clone(),
                item.kind,
                item.id,
                item.case_id,
                item.case_name,
            )
            .await,
        )
    }
}
