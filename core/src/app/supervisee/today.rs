//! The supervisee's home: what is due and by when, most urgent first — a roll call ringing, a
//! check-in an officer asked for, the period's check-in, a leave to come back from or set off
//! on, decisions to acknowledge, this month's education and community service against what is
//! owed. Read from the server in one round of calls; the last answer is kept on the phone and
//! shown with its age when the server cannot be reached.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::{
    CheckinRequestView, CommunityServiceMonthView, LearningMonthView, LeaveView, ObligationsView,
    RollCallView, SanctionView,
};
use crate::app::kept::Kept;
use crate::app::text::{self, Text};
use crate::app::{Freshness, Listeners, Route, Watching};
use crate::client::outbox::Outbox;
use crate::client::{Client, ClientError};
use crate::error::Lang;
use crate::labels::Label;
use crate::model::{CheckinRequestStatus, LeaveStatus};
use crate::policy::rollcall::RollCallStatus;
use crate::policy::sanctions::SanctionStatus;

/// What one line of the list is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum DueKind {
    RollCall,
    CheckinRequest,
    Checkin,
    Leave,
    Decision,
    Study,
    Service,
}

/// One thing due, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DueItem {
    pub kind: DueKind,
    pub title: String,
    pub detail: String,
    /// Shown first and marked: it has a deadline today or is overdue.
    pub urgent: bool,
    /// Done for now (the period's check-in, the month's minutes): shown last, quietly.
    pub done: bool,
    pub due: Option<DateTime<Utc>>,
    /// The record it is about (the roll call, the request, the leave, the decision).
    pub id: Option<Uuid>,
    /// Where tapping it goes.
    pub route: Route,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TodayState {
    pub title: String,
    pub items: Vec<DueItem>,
    /// "Nothing is due today", when nothing is.
    pub empty_note: Option<String>,
    pub freshness: Freshness,
    pub loading: bool,
    /// A problem to show above the list (offline is said by `freshness`).
    pub message: Option<String>,
    /// Set when the app must go elsewhere (the session ended: sign in).
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait TodayListener: Send + Sync {
    fn changed(&self, state: TodayState);
}

/// The server's answers the list is made from, as kept on the phone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TodayData {
    pub obligations: ObligationsView,
    pub requests: Vec<CheckinRequestView>,
    pub roll_calls: Vec<RollCallView>,
    pub leaves: Vec<LeaveView>,
    pub sanctions: Vec<SanctionView>,
    pub learning: LearningMonthView,
    pub service: CommunityServiceMonthView,
}

/// How many of the newest records of each list are looked at: what is due is recent.
const RECENT: u64 = 20;

async fn fetch(client: &Client, case_id: Uuid) -> Result<TodayData, ClientError> {
    let (obligations, requests, roll_calls, leaves, sanctions, learning, service) = futures::try_join!(
        client.obligations(case_id),
        client
            .checkin_requests_of(case_id)
            .limit(Some(RECENT))
            .page(),
        client.roll_calls_of(case_id).limit(Some(RECENT)).page(),
        client.leaves_of(case_id).limit(Some(RECENT)).page(),
        client.case_sanctions(case_id).limit(Some(RECENT)).page(),
        client.learning_month(case_id, None),
        client.service_month(case_id, None),
    )?;
    Ok(TodayData {
        obligations,
        requests: requests.items,
        roll_calls: roll_calls.items,
        leaves: leaves.items,
        sanctions: sanctions.items,
        learning,
        service,
    })
}

/// The list, most urgent first, in `lang` at `now` (China time).
pub fn compose(d: &TodayData, now: DateTime<Utc>, lang: Lang) -> Vec<DueItem> {
    let at = |t: DateTime<Utc>| text::when(t, now, lang);
    let today = crate::policy::calendar::local_date(now);
    let mut items = vec![];
    for r in &d.roll_calls {
        if r.status == RollCallStatus::Ringing && r.answer_by > now {
            items.push(DueItem {
                kind: DueKind::RollCall,
                title: Text::RollCallTitle.say(lang, &[]),
                detail: Text::RollCallRinging.say(lang, &[&at(r.answer_by)]),
                urgent: true,
                done: false,
                due: Some(r.answer_by),
                id: Some(r.id),
                route: Route::RollCall,
            });
        }
    }
    for r in &d.requests {
        if r.status == CheckinRequestStatus::Open && r.deadline > now {
            items.push(DueItem {
                kind: DueKind::CheckinRequest,
                title: Text::CheckinTitle.say(lang, &[]),
                detail: Text::CheckinAsked.say(lang, &[&at(r.deadline)]),
                urgent: true,
                done: false,
                due: Some(r.deadline),
                id: Some(r.id),
                route: Route::Checkin,
            });
        }
    }
    let o = &d.obligations;
    let next_window = o.window.end.succ_opt().unwrap_or(o.window.end);
    items.push(DueItem {
        kind: DueKind::Checkin,
        title: Text::CheckinTitle.say(lang, &[]),
        detail: if o.window_met {
            Text::CheckinDone.say(lang, &[&text::day(next_window, today, lang)])
        } else {
            Text::CheckinDue.say(lang, &[&at(o.window_closes_at)])
        },
        urgent: !o.window_met && crate::policy::calendar::local_date(o.window_closes_at) <= today,
        done: o.window_met,
        due: (!o.window_met).then_some(o.window_closes_at),
        id: None,
        route: Route::Checkin,
    });
    for l in &d.leaves {
        let span = format!(
            "{}–{}",
            text::day(l.start_date, today, lang),
            text::day(l.end_date, today, lang)
        );
        let line = match l.status {
            LeaveStatus::Active | LeaveStatus::Overdue => Some((
                Text::LeaveAway.say(
                    lang,
                    &[&l.destination.name, &text::day(l.end_date, today, lang)],
                ),
                l.status == LeaveStatus::Overdue || l.end_date <= today,
            )),
            LeaveStatus::Approved if l.end_date >= today => Some((
                Text::LeaveReady.say(lang, &[&span, &text::day(l.start_date, today, lang)]),
                false,
            )),
            _ => None,
        };
        if let Some((detail, urgent)) = line {
            items.push(DueItem {
                kind: DueKind::Leave,
                title: Text::LeaveTitle.say(lang, &[]),
                detail,
                urgent,
                done: false,
                due: None,
                id: Some(l.id),
                route: Route::Leave,
            });
        }
    }
    for s in &d.sanctions {
        if s.status == SanctionStatus::Approved {
            items.push(DueItem {
                kind: DueKind::Decision,
                title: Text::DecisionTitle.say(lang, &[]),
                detail: Text::DecisionToAcknowledge.say(lang, &[s.sanction.label(lang)]),
                urgent: false,
                done: false,
                due: None,
                id: Some(s.id),
                route: Route::Decisions,
            });
        }
    }
    for (kind, title, owed, credited, route) in [
        (
            DueKind::Study,
            Text::StudyTitle,
            d.learning.owed_minutes,
            d.learning.credited_minutes,
            Route::Study,
        ),
        (
            DueKind::Service,
            Text::ServiceTitle,
            d.service.owed_minutes,
            d.service.credited_minutes,
            Route::Service,
        ),
    ] {
        if owed == 0 {
            continue;
        }
        let done = credited >= i64::from(owed);
        items.push(DueItem {
            kind,
            title: title.say(lang, &[]),
            detail: if done {
                Text::MinutesDone.say(lang, &[&owed.to_string()])
            } else {
                Text::MinutesOf.say(lang, &[&credited.max(0).to_string(), &owed.to_string()])
            },
            urgent: false,
            done,
            due: None,
            id: None,
            route,
        });
    }
    // Urgent first, then what is still to do, then what is done; within each, the nearest
    // deadline first (a line without one after those with one), else as listed above.
    items.sort_by_key(|i| (!i.urgent, i.done, i.due.is_none(), i.due));
    items
}

type Shown = Kept<TodayData>;

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct TodayScreen {
    client: Arc<Client>,
    cache: Option<Arc<Outbox>>,
    case_id: Uuid,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn TodayListener>,
}

impl TodayScreen {
    /// The screen of `case_id` (the person's own case, from sign-in), starting from what the
    /// phone kept (`cache`), if anything.
    pub async fn open(
        client: Arc<Client>,
        cache: Option<Arc<Outbox>>,
        case_id: Uuid,
    ) -> Arc<TodayScreen> {
        let shown = Kept::recall(cache.as_deref(), &Self::key(case_id)).await;
        Arc::new(TodayScreen {
            client,
            cache,
            case_id,
            shown: Mutex::new(shown),
            listeners: Listeners::new(),
        })
    }

    fn key(case_id: Uuid) -> String {
        format!("supervisee.today.{case_id}")
    }

    fn render(&self, s: &Shown) -> TodayState {
        let lang = self.client.lang();
        let now = Utc::now();
        let items = s
            .data
            .as_ref()
            .map(|d| compose(d, now, lang))
            .unwrap_or_default();
        TodayState {
            title: Text::TodayTitle.say(lang, &[]),
            empty_note: (s.data.is_some() && items.iter().all(|i| i.done))
                .then(|| Text::NothingDue.say(lang, &[])),
            items,
            freshness: s.freshness(now, lang),
            loading: s.loading,
            message: s.message.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> TodayState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl TodayScreen {
    pub fn state(&self) -> TodayState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn TodayListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Reads the list from the server; when it cannot be reached, what was shown stays,
    /// marked with its age.
    pub async fn refresh(&self) -> TodayState {
        self.changed(|s| s.loading = true);
        let got = fetch(&self.client, self.case_id).await;
        let now = Kept::keep(self.cache.as_deref(), &Self::key(self.case_id), &got).await;
        let lang = self.client.lang();
        self.changed(|s| s.take(got, now, lang))
    }
}
