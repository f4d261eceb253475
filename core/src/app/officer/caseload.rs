//! The officer's caseload and one case. The list: everyone in their jurisdiction (named as
//! lists name people: a minor masked), found by name, narrowed by status and level, each with
//! their sentence, level and term. The case: who the person is and what binds them (ID,
//! offence, judgment, term, residence, prohibition orders), this period's check-in, the next
//! home visit and office report due (or how late), recent check-ins, leave, this month's
//! education and service minutes, sanctions in force — and what the officer does from there:
//! ask for a check-in now, start a roll call, record a visit. Both are kept on the phone and
//! shown with their age offline.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::{
    CaseSummaryView, CaseView, CheckinRequestCreate, CheckinView, CommunityServiceMonthView,
    LearningMonthView, LeaveView, ObligationsView, RollCallStart, SanctionView,
};
use crate::app::kept::Kept;
use crate::app::officer::field_visit::FieldVisitScreen;
use crate::app::officer::month_review::AssessmentScreen;
use crate::app::officer::releasing::ReleaseScreen;
use crate::app::officer::sanction_form::SanctionFormScreen;
use crate::app::officer::tagging::TaggingScreen;
use crate::app::text::{self, Text};
use crate::app::{trouble, Choice, Fact, Freshness, Listeners, Route, Watching};
use crate::client::outbox::Outbox;
use crate::client::{Client, ClientError};
use crate::error::Lang;
use crate::labels::Label;
use crate::model::{CaseStatus, SupervisionLevel};
use crate::policy::calendar::local_date;
use crate::policy::visits::VisitDue;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseLine {
    pub id: Uuid,
    pub name: String,
    /// "缓刑 · 普管 · 在矫".
    pub detail: String,
    /// "2026年1月1日至2027年12月31日".
    pub term: String,
    pub minor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CasesState {
    pub title: String,
    pub search_label: String,
    pub query: String,
    /// `code`: a status's code; none chosen shows every status.
    pub statuses: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub cases: Vec<CaseLine>,
    pub empty_note: Option<String>,
    pub freshness: Freshness,
    pub loading: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait CasesListener: Send + Sync {
    fn changed(&self, state: CasesState);
}

struct Listed {
    kept: Kept<Vec<CaseSummaryView>>,
    query: String,
    status: Option<CaseStatus>,
    level: Option<SupervisionLevel>,
}

const CASES_KEY: &str = "officer.cases";

/// The statuses and levels offered as chips.
const STATUSES: [CaseStatus; 4] = [
    CaseStatus::Active,
    CaseStatus::PreIntake,
    CaseStatus::Absconded,
    CaseStatus::Released,
];
const LEVELS: [SupervisionLevel; 3] = [
    SupervisionLevel::Strict,
    SupervisionLevel::Normal,
    SupervisionLevel::Lenient,
];

fn term(start: chrono::NaiveDate, end: chrono::NaiveDate, lang: Lang) -> String {
    text::term(start, end, local_date(Utc::now()), lang)
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct CasesScreen {
    client: Arc<Client>,
    outbox: Option<Arc<Outbox>>,
    listed: Mutex<Listed>,
    listeners: Listeners<dyn CasesListener>,
}

impl CasesScreen {
    /// The caseload, starting from what the phone kept; `refresh` reads the server.
    pub async fn open(client: Arc<Client>, outbox: Option<Arc<Outbox>>) -> Arc<CasesScreen> {
        let kept = Kept::recall(outbox.as_deref(), CASES_KEY).await;
        Arc::new(CasesScreen {
            client,
            outbox,
            listed: Mutex::new(Listed {
                kept,
                query: String::new(),
                status: Some(CaseStatus::Active),
                level: None,
            }),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, l: &Listed) -> CasesState {
        let lang = self.client.lang();
        let query = l.query.trim();
        let cases: Vec<CaseLine> = l
            .kept
            .data
            .iter()
            .flatten()
            .filter(|c| l.status.is_none_or(|s| c.status == s))
            .filter(|c| l.level.is_none_or(|v| c.level == v))
            .filter(|c| query.is_empty() || c.name.contains(query))
            .map(|c| CaseLine {
                id: c.id,
                name: c.name.clone(),
                detail: [
                    c.sentence_kind.label(lang),
                    c.level.label(lang),
                    c.status.label(lang),
                ]
                .join(" · "),
                term: term(c.start_date, c.end_date, lang),
                minor: c.minor.then(|| Text::MinorBadge.say(lang, &[])),
            })
            .collect();
        let choice = |code: &str, label: &str, chosen: bool| Choice {
            code: code.into(),
            label: label.into(),
            chosen,
        };
        CasesState {
            title: Text::CasesTitle.say(lang, &[]),
            search_label: Text::SearchLabel.say(lang, &[]),
            query: l.query.clone(),
            statuses: STATUSES
                .iter()
                .map(|s| choice(s.as_str(), s.label(lang), l.status == Some(*s)))
                .collect(),
            levels: LEVELS
                .iter()
                .map(|v| choice(v.as_str(), v.label(lang), l.level == Some(*v)))
                .collect(),
            empty_note: (l.kept.data.is_some() && cases.is_empty())
                .then(|| Text::NoCases.say(lang, &[])),
            cases,
            freshness: l.kept.freshness(Utc::now(), lang),
            loading: l.kept.loading,
            message: l.kept.message.clone(),
            route: l.kept.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Listed)) -> CasesState {
        self.listeners.change(
            &self.listed,
            change,
            |l| self.render(l),
            |x, state| x.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl CasesScreen {
    pub fn state(&self) -> CasesState {
        self.render(&self.listed.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn CasesListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub async fn refresh(&self) -> CasesState {
        self.changed(|l| l.kept.loading = true);
        let got = self.client.cases().all().await;
        let now = Kept::keep(self.outbox.as_deref(), CASES_KEY, &got).await;
        let lang = self.client.lang();
        self.changed(|l| l.kept.take(got, now, lang))
    }

    pub fn set_query(&self, query: String) -> CasesState {
        self.changed(|l| l.query = query)
    }

    /// One status only (a code of `state().statuses`), or every status (`None`).
    pub fn show_status(&self, code: Option<String>) -> CasesState {
        self.changed(|l| l.status = code.as_deref().and_then(CaseStatus::parse))
    }

    /// One level only (a code of `state().levels`), or every level (`None`).
    pub fn show_level(&self, code: Option<String>) -> CasesState {
        self.changed(|l| l.level = code.as_deref().and_then(SupervisionLevel::parse))
    }

    /// One case of the list, read at once.
    pub async fn case(&self, id: Uuid) -> Arc<CaseScreen> {
        CaseScreen::open(self.client.clone(), self.outbox.clone(), id).await
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseState {
    pub name: String,
    pub minor: Option<String>,
    /// Who the person is and what binds them.
    pub facts: Vec<Fact>,
    /// This period's check-in, the visits and reports due: what needs doing.
    pub due: Vec<String>,
    /// Recent check-ins: when, and how each ended.
    pub checkins: Vec<Fact>,
    /// Leave, newest first: dates and status.
    pub leaves: Vec<Fact>,
    /// This month's education and service minutes.
    pub months: Vec<Fact>,
    /// Sanctions in force.
    pub sanctions: Vec<Fact>,
    pub request_checkin_label: String,
    pub roll_call_label: String,
    pub assess_label: String,
    pub propose_label: String,
    pub tag_label: String,
    pub release_label: String,
    pub freshness: Freshness,
    pub loading: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait CaseListener: Send + Sync {
    fn changed(&self, state: CaseState);
}

/// What the case screen is made from, as kept on the phone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseData {
    pub case: CaseView,
    pub obligations: ObligationsView,
    pub due: Vec<VisitDue>,
    pub checkins: Vec<CheckinView>,
    pub leaves: Vec<LeaveView>,
    pub learning: LearningMonthView,
    pub service: CommunityServiceMonthView,
    pub sanctions: Vec<SanctionView>,
}

/// How many of the newest check-ins, leaves and sanctions are shown.
const RECENT: u64 = 5;

async fn fetch(client: &Client, id: Uuid) -> Result<CaseData, ClientError> {
    let (case, obligations, due, checkins, leaves, learning, service, sanctions) = futures::try_join!(
        client.case(id),
        client.obligations(id),
        client.visits_due(id),
        client.checkins_of(id).limit(Some(RECENT)).page(),
        client.leaves_of(id).limit(Some(RECENT)).page(),
        client.learning_month(id, None),
        client.service_month(id, None),
        client.case_sanctions(id).limit(Some(RECENT)).page(),
    )?;
    Ok(CaseData {
        case,
        obligations,
        due,
        checkins: checkins.items,
        leaves: leaves.items,
        learning,
        service,
        sanctions: sanctions.items,
    })
}

fn compose(d: &CaseData, lang: Lang) -> CaseState {
    let now = Utc::now();
    let today = local_date(now);
    let fact = |label: Text, value: String| Fact {
        label: label.say(lang, &[]),
        value,
    };
    let c = &d.case;
    let mut facts = vec![
        fact(Text::FactNationalId, c.national_id_masked.clone()),
        fact(Text::FactSentence, c.sentence_kind.label(lang).into()),
        fact(Text::FactSupervisionLevel, c.level.label(lang).into()),
        fact(Text::FactStatus, c.status.label(lang).into()),
        fact(Text::FactTerm, term(c.start_date, c.end_date, lang)),
        fact(Text::FactCrime, c.crime.clone()),
        fact(
            Text::FactJudgment,
            Text::WithDetail.say(lang, &[&c.court, &c.judgment_number]),
        ),
        fact(Text::FactResidence, c.residence.address.clone()),
    ];
    if !c.prohibition_orders.is_empty() {
        let orders = c.prohibition_orders.iter().fold(String::new(), |all, o| {
            if all.is_empty() {
                o.clone()
            } else {
                Text::AndThen.say(lang, &[&all, o])
            }
        });
        facts.push(fact(Text::FactOrders, orders));
    }
    let o = &d.obligations;
    let mut due = vec![if o.window_met {
        Text::CheckinPeriodMet.say(lang, &[])
    } else {
        Text::CheckinPeriodOpen.say(lang, &[&text::when(o.window_closes_at, now, lang)])
    }];
    due.extend(d.due.iter().map(|v| {
        if v.overdue_days > 0 {
            Text::VisitOverdue.say(lang, &[v.kind.label(lang), &v.overdue_days.to_string()])
        } else {
            Text::VisitDueBy.say(
                lang,
                &[v.kind.label(lang), &text::day(v.due_on, today, lang)],
            )
        }
    }));
    let said = |when: chrono::DateTime<Utc>, what: String| Fact {
        label: text::when(when, now, lang),
        value: what,
    };
    CaseState {
        name: c.name.clone(),
        minor: c.minor.then(|| Text::MinorBadge.say(lang, &[])),
        facts,
        due,
        checkins: d
            .checkins
            .iter()
            .map(|k| said(k.created_at, k.result.label(lang).into()))
            .collect(),
        leaves: d
            .leaves
            .iter()
            .map(|l| Fact {
                label: Text::LeaveDates.say(
                    lang,
                    &[
                        &text::day(l.start_date, today, lang),
                        &text::day(l.end_date, today, lang),
                        &l.days.to_string(),
                    ],
                ),
                value: l.status.label(lang).into(),
            })
            .collect(),
        months: vec![
            fact(
                Text::StudyTitle,
                Text::MinutesOf.say(
                    lang,
                    &[
                        &d.learning.credited_minutes.to_string(),
                        &d.learning.owed_minutes.to_string(),
                    ],
                ),
            ),
            fact(
                Text::ServiceTitle,
                Text::MinutesOf.say(
                    lang,
                    &[
                        &d.service.credited_minutes.to_string(),
                        &d.service.owed_minutes.to_string(),
                    ],
                ),
            ),
        ],
        sanctions: d
            .sanctions
            .iter()
            .filter(|s| s.status.in_force())
            .map(|s| {
                said(
                    s.decided_at.unwrap_or(s.proposed_at),
                    s.sanction.label(lang).into(),
                )
            })
            .collect(),
        request_checkin_label: Text::RequestCheckinAction.say(lang, &[]),
        roll_call_label: Text::StartRollCallAction.say(lang, &[]),
        assess_label: Text::AssessmentTitle.say(lang, &[]),
        propose_label: Text::ProposeTitle.say(lang, &[]),
        tag_label: Text::TaggingTitle.say(lang, &[]),
        release_label: Text::ReleaseTitle.say(lang, &[]),
        freshness: Freshness::of(None, false, now, lang),
        loading: false,
        message: None,
        route: None,
    }
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct CaseScreen {
    client: Arc<Client>,
    outbox: Option<Arc<Outbox>>,
    id: Uuid,
    shown: Mutex<Kept<CaseData>>,
    listeners: Listeners<dyn CaseListener>,
}

impl CaseScreen {
    /// Case `id`, from what the phone kept, then read at once.
    pub async fn open(
        client: Arc<Client>,
        outbox: Option<Arc<Outbox>>,
        id: Uuid,
    ) -> Arc<CaseScreen> {
        let kept = Kept::recall(outbox.as_deref(), &Self::key(id)).await;
        let screen = Arc::new(CaseScreen {
            client,
            outbox,
            id,
            shown: Mutex::new(kept),
            listeners: Listeners::new(),
        });
        screen.refresh().await;
        screen
    }

    fn key(id: Uuid) -> String {
        format!("officer.case.{id}")
    }

    fn render(&self, k: &Kept<CaseData>) -> CaseState {
        let lang = self.client.lang();
        let mut state = match &k.data {
            Some(d) => compose(d, lang),
            None => CaseState {
                name: String::new(),
                minor: None,
                facts: vec![],
                due: vec![],
                checkins: vec![],
                leaves: vec![],
                months: vec![],
                sanctions: vec![],
                request_checkin_label: Text::RequestCheckinAction.say(lang, &[]),
                roll_call_label: Text::StartRollCallAction.say(lang, &[]),
                assess_label: Text::AssessmentTitle.say(lang, &[]),
                propose_label: Text::ProposeTitle.say(lang, &[]),
                tag_label: Text::TaggingTitle.say(lang, &[]),
                release_label: Text::ReleaseTitle.say(lang, &[]),
                freshness: Freshness::of(None, false, Utc::now(), lang),
                loading: false,
                message: None,
                route: None,
            },
        };
        state.freshness = k.freshness(Utc::now(), lang);
        state.loading = k.loading;
        state.message = k.message.clone();
        state.route = k.route;
        state
    }

    fn changed(&self, change: impl FnOnce(&mut Kept<CaseData>)) -> CaseState {
        self.listeners.change(
            &self.shown,
            change,
            |k| self.render(k),
            |l, state| l.changed(state),
        )
    }

    /// The person's name as the case shows it.
    fn name(&self) -> String {
        self.shown
            .lock()
            .expect("not poisoned")
            .data
            .as_ref()
            .map(|d| d.case.name.clone())
            .unwrap_or_default()
    }

    /// After an action: `said` on success, or the trouble.
    fn said(&self, done: Result<String, ClientError>) -> CaseState {
        let lang = self.client.lang();
        self.changed(|k| match done {
            Ok(said) => k.message = Some(said),
            Err(e) => {
                let t = trouble(&e, lang);
                k.message = Some(t.message);
                k.route = t.route;
            }
        })
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl CaseScreen {
    pub fn state(&self) -> CaseState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn CaseListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub async fn refresh(&self) -> CaseState {
        self.changed(|k| k.loading = true);
        let got = fetch(&self.client, self.id).await;
        let now = Kept::keep(self.outbox.as_deref(), &Self::key(self.id), &got).await;
        let lang = self.client.lang();
        self.changed(|k| k.take(got, now, lang))
    }

    /// Asks the person for a face check-in now (the jurisdiction's deadline).
    pub async fn request_checkin(&self) -> CaseState {
        let lang = self.client.lang();
        let done = self
            .client
            .request_checkin(
                self.id,
                &CheckinRequestCreate {
                    deadline_minutes: None,
                },
            )
            .await
            .map(|r| Text::CheckinAskedOf.say(lang, &[&text::when(r.deadline, Utc::now(), lang)]));
        self.said(done)
    }

    /// Calls the person now (a video roll call); why not, when it cannot ring.
    pub async fn start_roll_call(&self) -> CaseState {
        let lang = self.client.lang();
        let done = self
            .client
            .start_roll_calls(&RollCallStart {
                case_ids: vec![self.id],
                at: None,
                note: None,
            })
            .await
            .map(|s| match s.skipped.first() {
                Some(skipped) => skipped.message.clone(),
                None => Text::RollCallStarted.say(lang, &[]),
            });
        self.said(done)
    }

    /// Records a home visit or a talk with this person.
    pub async fn record_visit(&self) -> Arc<FieldVisitScreen> {
        FieldVisitScreen::open(
            self.client.clone(),
            self.outbox.clone(),
            self.id,
            self.name(),
        )
        .await
    }

    /// The person's monthly assessment (last month first).
    pub async fn assess(&self) -> Arc<AssessmentScreen> {
        AssessmentScreen::open(self.client.clone(), self.id, self.name()).await
    }

    /// Proposing a reward or sanction for the person, with what the facts support.
    pub async fn propose(&self) -> Arc<SanctionFormScreen> {
        SanctionFormScreen::open(self.client.clone(), self.id, self.name()).await
    }

    /// The person's electronic tag orders (the county decides).
    pub async fn tag(&self) -> Arc<TaggingScreen> {
        TaggingScreen::open(self.client.clone(), self.id, self.name()).await
    }

    /// Releasing the person at term end (the county).
    pub async fn release(&self) -> Arc<ReleaseScreen> {
        ReleaseScreen::open(self.client.clone(), self.id).await
    }
}
