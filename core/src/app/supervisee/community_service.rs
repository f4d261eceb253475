//! Community service (公益活动) on the supervisee's phone: this month's minutes against what
//! is owed; the activities coming up that reach them, each with its time, place, places left
//! and the person's own standing in it, and the actions the state table allows now (sign up,
//! withdraw); and on site, the organiser's QR code scanned with the phone's fix — a check-in,
//! or once checked in a check-out, with the minutes counted and why fewer, in words.

use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::{CommunityServiceMonthView, GpsFix, ServiceActivityView};
use crate::app::kept::Kept;
use crate::app::text::{self, Text};
use crate::app::{trouble, Freshness, Listeners, Route, Watching};
use crate::client::outbox::Outbox;
use crate::client::{Client, ClientError};
use crate::error::Lang;
use crate::labels::Label;
use crate::model::Role;
use crate::policy::service::{
    parse_qr, ActivityStatus, ParticipationAction, ParticipationStatus, ServiceRules, PARTICIPATION,
};
use crate::policy::transitions::Party;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ActivityLine {
    pub id: Uuid,
    pub title: String,
    /// Cleaning, elderly care…, in words.
    pub kind: String,
    /// "12月9日 09:00–11:30".
    pub when: String,
    pub place: String,
    /// "剩余名额 3", or full.
    pub places: String,
    /// The person's standing in it (signed up, checked in…), or the activity's when called off.
    pub status: Option<String>,
    pub can_sign_up: bool,
    pub can_withdraw: bool,
    /// What to do on site: scan to check in (from when), or to check out.
    pub on_site: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ServiceState {
    pub title: String,
    pub month: Option<String>,
    pub activities: Vec<ActivityLine>,
    pub empty_note: Option<String>,
    pub sign_up_label: String,
    pub withdraw_label: String,
    /// A scan needs the phone's fix: said while there is none.
    pub scan_why_not: Option<String>,
    pub freshness: Freshness,
    pub busy: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait ServiceListener: Send + Sync {
    fn changed(&self, state: ServiceState);
}

/// What the screen is made from, as kept on the phone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceData {
    pub month: CommunityServiceMonthView,
    pub activities: Vec<ServiceActivityView>,
}

/// Activities that ended more than this long ago are not shown.
const SHOWN_AFTER_END_HOURS: i64 = 12;

async fn fetch(client: &Client, case_id: Uuid) -> Result<ServiceData, ClientError> {
    let from = Utc::now() - Duration::hours(SHOWN_AFTER_END_HOURS);
    let (month, activities) = futures::try_join!(
        client.service_month(case_id, None),
        client.service_activities(Some(from)).all(),
    )?;
    Ok(ServiceData { month, activities })
}

fn line(a: &ServiceActivityView, rules: &ServiceRules, lang: Lang) -> ActivityLine {
    let now = Utc::now();
    let person = Party::person(Role::Supervisee, None);
    let mine = a.participation.as_ref().map(|p| p.status);
    let open = a.status == ActivityStatus::Scheduled && a.starts_at > now;
    let left = a.capacity.saturating_sub(a.taken);
    let allowed = |action| match mine {
        Some(s) => PARTICIPATION.check(action, s, person).is_ok(),
        // Not on it yet: signing up is the first step.
        None => action == ParticipationAction::SignUp,
    };
    let on_site = match mine {
        Some(ParticipationStatus::SignedUp) if a.status == ActivityStatus::Scheduled => {
            let opens = a.starts_at - Duration::minutes(i64::from(rules.checkin_opens_before_mins));
            Some(Text::ScanToCheckIn.say(lang, &[&text::when(opens, now, lang)]))
        }
        Some(ParticipationStatus::CheckedIn) => Some(Text::ScanToCheckOut.say(lang, &[])),
        _ => None,
    };
    ActivityLine {
        id: a.id,
        title: a.title.clone(),
        kind: a.kind.label(lang).into(),
        when: format!(
            "{}–{}",
            text::when(a.starts_at, now, lang),
            a.ends_at
                .with_timezone(&crate::policy::calendar::local_offset())
                .format("%H:%M")
        ),
        place: a.place.clone(),
        places: if left > 0 {
            Text::PlacesLeft.say(lang, &[&left.to_string()])
        } else {
            Text::NoPlacesLeft.say(lang, &[])
        },
        status: match (mine, a.status) {
            (_, ActivityStatus::Cancelled) => Some(a.status.label(lang).into()),
            (Some(s), _) => Some(s.label(lang).into()),
            (None, _) => None,
        },
        can_sign_up: open && left > 0 && allowed(ParticipationAction::SignUp),
        can_withdraw: open && mine.is_some() && allowed(ParticipationAction::Withdraw),
        on_site,
    }
}

struct Shown {
    kept: Kept<ServiceData>,
    location: Option<GpsFix>,
    busy: bool,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct ServiceScreen {
    client: Arc<Client>,
    cache: Option<Arc<Outbox>>,
    case_id: Uuid,
    rules: ServiceRules,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn ServiceListener>,
}

impl ServiceScreen {
    /// The person's own (`case_id` from sign-in), starting from what the phone kept, under
    /// the jurisdiction's rules.
    pub async fn open(
        client: Arc<Client>,
        cache: Option<Arc<Outbox>>,
        case_id: Uuid,
    ) -> Arc<ServiceScreen> {
        let rules = client.rules().await.map(|r| r.service).unwrap_or_default();
        let kept = Kept::recall(cache.as_deref(), &Self::key(case_id)).await;
        Arc::new(ServiceScreen {
            client,
            cache,
            case_id,
            rules,
            shown: Mutex::new(Shown {
                kept,
                location: None,
                busy: false,
            }),
            listeners: Listeners::new(),
        })
    }

    fn key(case_id: Uuid) -> String {
        format!("supervisee.service.{case_id}")
    }

    fn render(&self, s: &Shown) -> ServiceState {
        let lang = self.client.lang();
        let activities: Vec<ActivityLine> = s
            .kept
            .data
            .as_ref()
            .map(|d| {
                d.activities
                    .iter()
                    .map(|a| line(a, &self.rules, lang))
                    .collect()
            })
            .unwrap_or_default();
        ServiceState {
            title: Text::ServiceTitle.say(lang, &[]),
            month: s.kept.data.as_ref().map(|d| {
                Text::MinutesOf.say(
                    lang,
                    &[
                        &d.month.credited_minutes.to_string(),
                        &d.month.owed_minutes.to_string(),
                    ],
                )
            }),
            empty_note: (s.kept.data.is_some() && activities.is_empty())
                .then(|| Text::ServiceNone.say(lang, &[])),
            activities,
            sign_up_label: Text::SignUpAction.say(lang, &[]),
            withdraw_label: Text::WithdrawAction.say(lang, &[]),
            scan_why_not: s
                .location
                .is_none()
                .then(|| Text::NeedLocation.say(lang, &[])),
            freshness: s.kept.freshness(Utc::now(), lang),
            busy: s.busy || s.kept.loading,
            message: s.kept.message.clone(),
            route: s.kept.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> ServiceState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }

    /// After an action: `said` on success (the list read again), or the trouble.
    async fn after(&self, done: Result<String, ClientError>) -> ServiceState {
        let lang = self.client.lang();
        match done {
            Ok(said) => {
                self.refresh().await;
                self.changed(|s| {
                    s.busy = false;
                    if s.kept.message.is_none() {
                        s.kept.message = Some(said);
                    }
                })
            }
            Err(e) => {
                let t = trouble(&e, lang);
                self.changed(|s| {
                    s.busy = false;
                    s.kept.message = Some(t.message);
                    s.kept.route = t.route;
                })
            }
        }
    }

    fn activity(&self, id: Uuid) -> Option<ServiceActivityView> {
        let s = self.shown.lock().expect("not poisoned");
        s.kept
            .data
            .as_ref()?
            .activities
            .iter()
            .find(|a| a.id == id)
            .cloned()
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl ServiceScreen {
    pub fn state(&self) -> ServiceState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn ServiceListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub async fn refresh(&self) -> ServiceState {
        self.changed(|s| s.kept.loading = true);
        let got = fetch(&self.client, self.case_id).await;
        let now = Kept::keep(self.cache.as_deref(), &Self::key(self.case_id), &got).await;
        let lang = self.client.lang();
        self.changed(|s| s.kept.take(got, now, lang))
    }

    pub async fn sign_up(&self, id: Uuid) -> ServiceState {
        self.changed(|s| s.busy = true);
        let lang = self.client.lang();
        let done = self
            .client
            .sign_up_for_service(id, None)
            .await
            .map(|p| p.status.label(lang).to_owned());
        self.after(done).await
    }

    pub async fn withdraw(&self, id: Uuid) -> ServiceState {
        self.changed(|s| s.busy = true);
        let lang = self.client.lang();
        let done = self
            .client
            .withdraw_from_service(id, self.case_id)
            .await
            .map(|p| p.status.label(lang).to_owned());
        self.after(done).await
    }

    /// The phone's current fix, for the next scan.
    pub fn set_location(&self, fix: GpsFix) -> ServiceState {
        self.changed(|s| s.location = Some(fix))
    }

    /// The organiser's QR code as scanned: a check-in, or a check-out once checked in.
    pub async fn scan(&self, qr: String) -> ServiceState {
        let lang = self.client.lang();
        let Some(fix) = self.shown.lock().expect("not poisoned").location.clone() else {
            return self.state();
        };
        self.changed(|s| s.busy = true);
        let activity = parse_qr(&qr).and_then(|(id, _)| self.activity(id));
        let mine = activity
            .as_ref()
            .and_then(|a| a.participation.as_ref())
            .map(|p| p.status);
        if activity.is_some() && mine.is_none() {
            let said = Text::NotSignedUp.say(lang, &[]);
            return self.changed(|s| {
                s.busy = false;
                s.kept.message = Some(said);
            });
        }
        let check_out = mine == Some(ParticipationStatus::CheckedIn);
        let title = activity.map(|a| a.title).unwrap_or_default();
        let done = self
            .client
            .service_presence_by_qr(&qr, fix, check_out)
            .await
            .map(|p| {
                if check_out {
                    let mut said =
                        Text::CheckedOutCredited.say(lang, &[&p.credited_minutes.to_string()]);
                    for r in &p.credit_remarks {
                        let why = match lang {
                            Lang::ZhCn => &r.zh,
                            Lang::En => &r.en,
                        };
                        said = Text::AndThen.say(lang, &[&said, why]);
                    }
                    said
                } else {
                    Text::CheckedInAt.say(lang, &[&title])
                }
            });
        self.after(done).await
    }
}
