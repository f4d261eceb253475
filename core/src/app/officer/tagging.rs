//! Electronic tags (电子定位装置, law art. 29; the county agency decides): a person's orders
//! with their term and what is left of it, a new order on one of the law's grounds for at most
//! three months within the term of supervision, a renewal that starts the day after the order
//! it renews (each checked by `policy::sanctions::check_tag_dates`, as the server checks it),
//! and ending an order early with the reason.

use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, Utc};
use uuid::Uuid;

use crate::api::{TagOrderEnd, TagOrderNew, TagOrderView};
use crate::app::text::{self, Text};
use crate::app::{trouble, with_server, Choice, FieldError, Listeners, Route, Watching};
use crate::client::{Client, ClientError};
use crate::error::Lang;
use crate::labels::Label;
use crate::policy::calendar::local_date;
use crate::policy::sanctions::{check_tag_dates, TagGround, TagOrderStatus, TAG_MAX_MONTHS};
use crate::policy::text::{check, Shape};

/// One order of the person's.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TagLine {
    pub id: Uuid,
    pub ground: String,
    /// "12月7日至3月6日".
    pub term: String,
    pub status: String,
    /// "还有 20 天", while in force.
    pub left: Option<String>,
    /// In force: it may be renewed or ended.
    pub in_force: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TaggingState {
    pub title: String,
    pub person: String,
    pub orders: Vec<TagLine>,
    /// The law's grounds (`code`), the one chosen marked.
    pub grounds: Vec<Choice>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// "12月7日至3月6日（共 90 天）".
    pub term: Option<String>,
    /// The order being renewed: "延长：…".
    pub renewing: Option<String>,
    pub reason_label: String,
    pub reason: String,
    pub errors: Vec<FieldError>,
    pub submit_label: String,
    pub can_submit: bool,
    pub submit_why_not: Option<String>,
    pub busy: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait TaggingListener: Send + Sync {
    fn changed(&self, state: TaggingState);
}

#[derive(Default)]
struct Shown {
    term_end: Option<NaiveDate>,
    orders: Vec<TagOrderView>,
    ground: Option<TagGround>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    renews: Option<Uuid>,
    reason: String,
    server_errors: Vec<FieldError>,
    busy: bool,
    message: Option<String>,
    route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct TaggingScreen {
    client: Arc<Client>,
    case_id: Uuid,
    person: String,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn TaggingListener>,
}

/// The form's own problems on `today`.
fn problems(s: &Shown, today: NaiveDate, lang: Lang) -> Vec<FieldError> {
    let mut out = vec![];
    let mut say = |field: &str, message: String| {
        out.push(FieldError {
            field: field.into(),
            message,
        })
    };
    if s.ground.is_none() {
        say("ground", Text::ChooseGround.say(lang, &[]));
    }
    match (s.starts_on, s.ends_on, s.term_end) {
        (Some(start), Some(end), Some(term_end)) => {
            let renews_end = s
                .renews
                .and_then(|r| s.orders.iter().find(|o| o.id == r))
                .map(|o| o.ends_on);
            if let Err(p) = check_tag_dates(start, end, today, term_end, renews_end) {
                say(&p.field, p.said.get(lang).into());
            }
        }
        _ => say("starts_on", Text::ChooseDates.say(lang, &[])),
    }
    if let Err(p) = check(&s.reason, 5000, Shape::Paragraphs) {
        say("reason", p.message().get(lang).into());
    }
    out
}

/// The longest order from `start`: three months less a day, and not past the term.
fn longest(start: NaiveDate, term_end: Option<NaiveDate>) -> Option<NaiveDate> {
    let end =
        start.checked_add_months(chrono::Months::new(TAG_MAX_MONTHS))? - chrono::Duration::days(1);
    Some(term_end.map_or(end, |t| end.min(t)))
}

impl TaggingScreen {
    /// `person`'s (case `case_id`) orders, read at once.
    pub async fn open(client: Arc<Client>, case_id: Uuid, person: String) -> Arc<TaggingScreen> {
        let screen = Arc::new(TaggingScreen {
            client,
            case_id,
            person,
            shown: Mutex::new(Shown::default()),
            listeners: Listeners::new(),
        });
        screen.refresh().await;
        screen
    }

    fn render(&self, s: &Shown) -> TaggingState {
        let lang = self.client.lang();
        let today = local_date(Utc::now());
        let errors = with_server(problems(s, today, lang), &s.server_errors);
        let (can_submit, submit_why_not) = match errors.first() {
            _ if s.term_end.is_none() => (false, None),
            Some(e) => (false, Some(e.message.clone())),
            None => (!s.busy, None),
        };
        TaggingState {
            title: Text::TaggingTitle.say(lang, &[]),
            person: self.person.clone(),
            orders: s
                .orders
                .iter()
                .map(|o| {
                    let in_force = o.status == TagOrderStatus::Ordered;
                    TagLine {
                        id: o.id,
                        ground: o.ground.label(lang).into(),
                        term: text::term(o.starts_on, o.ends_on, today, lang),
                        status: o.status.label(lang).into(),
                        left: (in_force && o.ends_on >= today).then(|| {
                            Text::DaysLeft.say(lang, &[&(o.ends_on - today).num_days().to_string()])
                        }),
                        in_force,
                    }
                })
                .collect(),
            grounds: TagGround::ALL
                .iter()
                .map(|g| Choice {
                    code: g.as_str().into(),
                    label: g.label(lang).into(),
                    chosen: s.ground == Some(*g),
                })
                .collect(),
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            term: match (s.starts_on, s.ends_on) {
                (Some(a), Some(b)) if b >= a => Some(Text::WithDetail.say(
                    lang,
                    &[
                        &text::term(a, b, today, lang),
                        &Text::Days.say(lang, &[&((b - a).num_days() + 1).to_string()]),
                    ],
                )),
                _ => None,
            },
            renewing: s
                .renews
                .and_then(|r| s.orders.iter().find(|o| o.id == r))
                .map(|o| {
                    Text::Renewing.say(lang, &[&text::term(o.starts_on, o.ends_on, today, lang)])
                }),
            reason_label: Text::TagReasonLabel.say(lang, &[]),
            reason: s.reason.clone(),
            errors,
            submit_label: Text::OrderTag.say(lang, &[]),
            can_submit,
            submit_why_not,
            busy: s.busy,
            message: s.message.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> TaggingState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }

    fn failed(&self, e: &ClientError) -> TaggingState {
        let t = trouble(e, self.client.lang());
        self.changed(|s| {
            s.busy = false;
            s.server_errors = t.fields;
            s.message = Some(t.message);
            s.route = t.route;
        })
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl TaggingScreen {
    pub fn state(&self) -> TaggingState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn TaggingListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Reads the orders (and the term they must keep within) again.
    pub async fn refresh(&self) -> TaggingState {
        self.changed(|s| s.busy = true);
        let c = &self.client;
        match futures::try_join!(c.case(self.case_id), c.tag_orders(self.case_id)) {
            Ok((case, orders)) => self.changed(|s| {
                s.busy = false;
                s.term_end = Some(case.end_date);
                s.orders = orders;
                s.message = None;
                s.route = None;
            }),
            Err(e) => self.failed(&e),
        }
    }

    pub fn choose_ground(&self, code: String) -> TaggingState {
        self.changed(|s| {
            s.ground = TagGround::ALL.iter().copied().find(|g| g.as_str() == code);
            s.server_errors.retain(|e| e.field != "ground");
        })
    }

    /// The order's first and last day; with no end, the longest the law and the term allow.
    pub fn set_dates(&self, starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> TaggingState {
        self.changed(|s| {
            s.starts_on = Some(starts_on);
            s.ends_on = ends_on.or_else(|| longest(starts_on, s.term_end));
            s.server_errors
                .retain(|e| e.field != "starts_on" && e.field != "ends_on");
        })
    }

    pub fn set_reason(&self, reason: String) -> TaggingState {
        self.changed(|s| {
            s.reason = reason;
            s.server_errors.retain(|e| e.field != "reason");
        })
    }

    /// Fills the form to renew order `id` (in force): its ground, from the day after it ends,
    /// for as long as allowed.
    pub fn renew(&self, id: Uuid) -> TaggingState {
        self.changed(|s| {
            let Some(o) = s
                .orders
                .iter()
                .find(|o| o.id == id && o.status == TagOrderStatus::Ordered)
            else {
                return;
            };
            let start = o.ends_on + chrono::Duration::days(1);
            s.ground = Some(o.ground);
            s.renews = Some(id);
            s.starts_on = Some(start);
            s.ends_on = longest(start, s.term_end);
            s.server_errors.clear();
        })
    }

    /// A new order, not a renewal.
    pub fn new_order(&self) -> TaggingState {
        self.changed(|s| {
            s.renews = None;
            s.server_errors.clear();
        })
    }

    /// Orders the tag (or the renewal).
    pub async fn submit(&self) -> TaggingState {
        let lang = self.client.lang();
        let req = {
            let s = self.shown.lock().expect("not poisoned");
            if s.busy || !problems(&s, local_date(Utc::now()), lang).is_empty() {
                return self.render(&s);
            }
            let (Some(ground), Some(starts_on), Some(ends_on)) = (s.ground, s.starts_on, s.ends_on)
            else {
                return self.render(&s);
            };
            TagOrderNew {
                ground,
                starts_on,
                ends_on,
                reason: s.reason.trim().into(),
                renews: s.renews,
            }
        };
        self.changed(|s| {
            s.busy = true;
            s.message = None;
        });
        match self.client.order_tag(self.case_id, &req).await {
            Ok(_) => {
                self.refresh().await;
                self.changed(|s| {
                    *s = Shown {
                        term_end: s.term_end,
                        orders: std::mem::take(&mut s.orders),
                        message: Some(Text::TagOrdered.say(lang, &[])),
                        ..Shown::default()
                    };
                })
            }
            Err(e) => self.failed(&e),
        }
    }

    /// Ends order `id` before its term, for `reason`.
    pub async fn end_order(&self, id: Uuid, reason: String) -> TaggingState {
        let lang = self.client.lang();
        if let Err(p) = check(&reason, 2000, Shape::Paragraphs) {
            let problem = p.message().get(lang).to_owned();
            return self.changed(|s| s.message = Some(problem));
        }
        self.changed(|s| {
            s.busy = true;
            s.message = None;
        });
        let req = TagOrderEnd {
            reason: reason.trim().into(),
        };
        match self.client.end_tag_order(id, &req).await {
            Ok(_) => {
                self.refresh().await;
                self.changed(|s| s.message = Some(Text::TagEnded.say(lang, &[])))
            }
            Err(e) => self.failed(&e),
        }
    }
}
