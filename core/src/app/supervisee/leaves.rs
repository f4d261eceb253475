//! The person's leave requests, newest first, each with its dates and status in words and the
//! actions the state table allows them now — withdraw, report setting off (only on the
//! leave's dates), report back (销假) — with why an action cannot be taken yet. Each action
//! goes to the server and the list is read again.

use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, Utc};
use uuid::Uuid;

use crate::api::{LeaveExtendRequest, LeaveView};
use crate::app::supervisee::leave_form::days_held;
use crate::app::text::{self, Text};
use crate::app::{trouble, Listeners, Route, Watching};
use crate::client::{Client, ClientError};
use crate::error::Lang;
use crate::labels::Label;
use crate::model::Role;
use crate::policy::calendar::local_date;
use crate::policy::leave::{assess_extension, leave_actions, may_depart, LeaveRules};
use crate::policy::transitions::{LeaveAction, Party};

/// An action on one leave, as a button: its words, and why it cannot be taken now.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LeaveButton {
    pub action: LeaveAction,
    pub label: String,
    pub enabled: bool,
    pub why_not: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LeaveLine {
    pub id: Uuid,
    /// Where to, and the reason in words.
    pub title: String,
    /// "12月17日–12月19日，共 3 天".
    pub dates: String,
    pub status: String,
    pub buttons: Vec<LeaveButton>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LeavesState {
    pub title: String,
    pub lines: Vec<LeaveLine>,
    /// The button that opens a new request (the leave form).
    pub apply_label: String,
    pub empty_note: Option<String>,
    pub busy: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait LeavesListener: Send + Sync {
    fn changed(&self, state: LeavesState);
}

#[derive(Default)]
struct Shown {
    leaves: Vec<LeaveView>,
    busy: bool,
    message: Option<String>,
    route: Option<Route>,
}

/// The buttons a supervisee has on `l` on `today`: what the state table allows them, an
/// early departure disabled with the rule's words.
pub fn buttons(
    l: &LeaveView,
    rules: &LeaveRules,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Vec<LeaveButton> {
    leave_actions(
        l.status,
        Party::person(Role::Supervisee, None),
        l.required_level,
        l.parent_id.is_some(),
    )
    .into_iter()
    .filter(|a| {
        matches!(
            a,
            LeaveAction::Cancel | LeaveAction::Depart | LeaveAction::Return
        ) || (*a == LeaveAction::Extend && l.parent_id.is_none())
    })
    .map(|action| {
        let why_not = match action {
            LeaveAction::Depart => may_depart(rules, l.start_date, l.end_date, today)
                .err()
                .map(|code| code.message(lang).to_owned()),
            _ => None,
        };
        LeaveButton {
            action,
            label: action.label(lang).into(),
            enabled: why_not.is_none(),
            why_not,
        }
    })
    .collect()
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct LeavesScreen {
    client: Arc<Client>,
    case_id: Uuid,
    rules: LeaveRules,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn LeavesListener>,
}

impl LeavesScreen {
    /// The person's leaves (read at once), under the jurisdiction's rules.
    pub async fn open(client: Arc<Client>, case_id: Uuid) -> Arc<LeavesScreen> {
        let rules = client.rules().await.map(|r| r.leave).unwrap_or_default();
        let screen = Arc::new(LeavesScreen {
            client,
            case_id,
            rules,
            shown: Mutex::new(Shown::default()),
            listeners: Listeners::new(),
        });
        screen.refresh().await;
        screen
    }

    fn render(&self, s: &Shown) -> LeavesState {
        let lang = self.client.lang();
        let today = local_date(Utc::now());
        let lines: Vec<LeaveLine> = s
            .leaves
            .iter()
            .map(|l| LeaveLine {
                id: l.id,
                title: Text::WithDetail
                    .say(lang, &[&l.destination.name, l.reason_category.label(lang)]),
                dates: Text::LeaveDates.say(
                    lang,
                    &[
                        &text::day(l.start_date, today, lang),
                        &text::day(l.end_date, today, lang),
                        &l.days.to_string(),
                    ],
                ),
                status: l.status.label(lang).into(),
                buttons: buttons(l, &self.rules, today, lang),
            })
            .collect();
        LeavesState {
            title: Text::LeavesTitle.say(lang, &[]),
            apply_label: Text::LeaveFormTitle.say(lang, &[]),
            empty_note: lines.is_empty().then(|| Text::NoLeaves.say(lang, &[])),
            lines,
            busy: s.busy,
            message: s.message.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> LeavesState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }

    /// Reads the list again, keeping `message` (what the last action said).
    async fn reload(&self, message: Option<String>) -> LeavesState {
        let got = self.client.leaves_of(self.case_id).all().await;
        let lang = self.client.lang();
        self.changed(|s| {
            s.busy = false;
            match got {
                Ok(leaves) => {
                    s.leaves = leaves;
                    s.message = message;
                    s.route = None;
                }
                Err(e) => {
                    let t = trouble(&e, lang);
                    s.message = Some(t.message);
                    s.route = t.route;
                }
            }
        })
    }

    async fn act(&self, id: Uuid, action: LeaveAction) -> LeavesState {
        self.changed(|s| s.busy = true);
        let done: Result<LeaveView, ClientError> = match action {
            LeaveAction::Cancel => self.client.cancel_leave(id).await,
            LeaveAction::Depart => self.client.depart(id).await,
            _ => self.client.return_from_leave(id).await,
        };
        let lang = self.client.lang();
        match done {
            Ok(l) => {
                self.reload(Some(Text::LeaveNowIs.say(lang, &[l.status.label(lang)])))
                    .await
            }
            Err(e) => {
                let t = trouble(&e, lang);
                self.changed(|s| {
                    s.busy = false;
                    s.message = Some(t.message);
                    s.route = t.route;
                })
            }
        }
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl LeavesScreen {
    pub fn state(&self) -> LeavesState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn LeavesListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub async fn refresh(&self) -> LeavesState {
        self.changed(|s| s.busy = true);
        self.reload(None).await
    }

    /// Withdraws a request not yet under way.
    pub async fn cancel(&self, id: Uuid) -> LeavesState {
        self.act(id, LeaveAction::Cancel).await
    }

    /// Reports setting off.
    pub async fn depart(&self, id: Uuid) -> LeavesState {
        self.act(id, LeaveAction::Depart).await
    }

    /// Reports being back (销假; the server asks for a recent passed check-in).
    pub async fn report_return(&self, id: Uuid) -> LeavesState {
        self.act(id, LeaveAction::Return).await
    }

    /// Asks for more days (续假) until `new_end_date`, with why: checked by the rules first
    /// (the new total and who decides it, said), then sent as a new request on the leave.
    pub async fn extend(&self, id: Uuid, new_end_date: NaiveDate, reason: String) -> LeavesState {
        let lang = self.client.lang();
        let today = local_date(Utc::now());
        let checked = {
            let s = self.shown.lock().expect("not poisoned");
            let Some(l) = s.leaves.iter().find(|l| l.id == id) else {
                return self.render(&s);
            };
            let others = days_held(&s.leaves, Some(id));
            if reason.trim().is_empty() {
                Err(Text::LeaveDetailMissing.say(lang, &[]))
            } else {
                assess_extension(
                    &self.rules,
                    today,
                    l.start_date,
                    l.end_date,
                    new_end_date,
                    &others,
                )
                .map_err(|code| code.message(lang).to_owned())
            }
        };
        let assessed = match checked {
            Ok(a) => a,
            Err(why) => return self.changed(|s| s.message = Some(why)),
        };
        self.changed(|s| s.busy = true);
        let req = LeaveExtendRequest {
            new_end_date,
            reason_text: reason.trim().to_owned(),
        };
        match self.client.extend_leave(id, &req).await {
            Ok(_) => {
                let said = Text::ExtensionSent.say(
                    lang,
                    &[
                        &assessed.days.to_string(),
                        assessed.required_level.label(lang),
                    ],
                );
                self.reload(Some(said)).await
            }
            Err(e) => {
                let t = trouble(&e, lang);
                self.changed(|s| {
                    s.busy = false;
                    s.message = Some(t.message);
                    s.route = t.route;
                })
            }
        }
    }
}
