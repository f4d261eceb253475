//! Proposing a reward or sanction (提请奖惩) for one person: what the facts the system sees
//! support, gravest first (`GET /cases/{id}/sanction-advice`: days out of supervision,
//! admonitions and warnings in force, education skipped, the last month's breaches), the
//! measures' grounds to choose from — the suggested ones first, each with its article — and the
//! reason in the officer's words, checked as the server checks it. The county decides; the
//! screen says so once sent.

use std::sync::{Arc, Mutex};

use uuid::Uuid;

use crate::api::{SanctionAdviceView, SanctionProposal};
use crate::app::text::Text;
use crate::app::{trouble, with_server, Choice, Fact, FieldError, Listeners, Route, Watching};
use crate::client::Client;
use crate::error::Lang;
use crate::labels::Label;
use crate::policy::sanctions::{ground, Ground, GROUNDS};
use crate::policy::text::{check, Shape};

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SanctionFormState {
    pub title: String,
    pub person: String,
    /// What the system sees, in words.
    pub facts: Vec<Fact>,
    /// Why nothing is suggested, and what would show more.
    pub notes: Vec<String>,
    /// The grounds the facts support, gravest first (`code`: the ground's code).
    pub suggested: Vec<Choice>,
    /// Every ground of the measures, mildest first.
    pub grounds: Vec<Choice>,
    /// The ground chosen, in full: "训诫：…（实施办法第三十四条）".
    pub chosen: Option<String>,
    pub reason_label: String,
    pub reason: String,
    pub errors: Vec<FieldError>,
    pub submit_label: String,
    pub can_submit: bool,
    pub submit_why_not: Option<String>,
    pub busy: bool,
    pub message: Option<String>,
    pub done: bool,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait SanctionFormListener: Send + Sync {
    fn changed(&self, state: SanctionFormState);
}

#[derive(Default)]
struct Shown {
    advice: Option<SanctionAdviceView>,
    ground: Option<&'static Ground>,
    reason: String,
    server_errors: Vec<FieldError>,
    busy: bool,
    message: Option<String>,
    done: bool,
    route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct SanctionFormScreen {
    client: Arc<Client>,
    case_id: Uuid,
    person: String,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn SanctionFormListener>,
}

/// A ground as a choice: "训诫：情节轻微的违反报告规定（实施办法第三十四条）".
fn choice(g: &Ground, chosen: bool, lang: Lang) -> Choice {
    Choice {
        code: g.code.into(),
        label: described(g, lang),
        chosen,
    }
}

fn described(g: &Ground, lang: Lang) -> String {
    let what = match lang {
        Lang::ZhCn => g.zh,
        Lang::En => g.en,
    };
    Text::WithDetail.say(
        lang,
        &[
            &Text::LabelledValue.say(lang, &[g.sanction.label(lang), what]),
            g.article,
        ],
    )
}

/// The form's own problems: a ground chosen, the reason written as the server wants it.
fn problems(s: &Shown, lang: Lang) -> Vec<FieldError> {
    let mut out = vec![];
    if s.ground.is_none() {
        out.push(FieldError {
            field: "ground".into(),
            message: Text::ChooseGround.say(lang, &[]),
        });
    }
    if let Err(p) = check(&s.reason, 5000, Shape::Paragraphs) {
        out.push(FieldError {
            field: "reason".into(),
            message: p.message().get(lang).into(),
        });
    }
    out
}

impl SanctionFormScreen {
    /// The form for `person` (case `case_id`), with the advice read at once.
    pub async fn open(
        client: Arc<Client>,
        case_id: Uuid,
        person: String,
    ) -> Arc<SanctionFormScreen> {
        let screen = Arc::new(SanctionFormScreen {
            client,
            case_id,
            person,
            shown: Mutex::new(Shown::default()),
            listeners: Listeners::new(),
        });
        screen.refresh().await;
        screen
    }

    fn render(&self, s: &Shown) -> SanctionFormState {
        let lang = self.client.lang();
        let chosen = s.ground.map(|g| g.code);
        let yes_no = |b: bool| if b { Text::Yes } else { Text::No }.say(lang, &[]);
        let facts = s
            .advice
            .as_ref()
            .map(|a| {
                let fact = |label: Text, value: String| Fact {
                    label: label.say(lang, &[]),
                    value,
                };
                let mut f = vec![
                    fact(
                        Text::FactDaysOut,
                        Text::Days.say(lang, &[&a.days_out_of_supervision.to_string()]),
                    ),
                    fact(Text::FactAdmonitions, a.admonitions.to_string()),
                    fact(Text::FactWarnings, a.warnings.to_string()),
                    fact(
                        Text::FactEducationSkipped,
                        yes_no(a.education_skipped_after_told),
                    ),
                ];
                if let Some(m) = &a.assessed_month {
                    let breach = |g: Option<crate::policy::sanctions::Gravity>| {
                        g.map_or_else(|| Text::NoneListed.say(lang, &[]), |g| g.label(lang).into())
                    };
                    f.push(fact(Text::FactAssessedMonth, m.clone()));
                    f.push(fact(Text::FactRuleBreach, breach(a.rule_breach)));
                    f.push(fact(
                        Text::FactOrderBreach,
                        breach(a.prohibition_order_breach),
                    ));
                }
                f
            })
            .unwrap_or_default();
        let errors = if s.done {
            vec![]
        } else {
            with_server(problems(s, lang), &s.server_errors)
        };
        let (can_submit, submit_why_not) = match errors.first() {
            _ if s.done || s.advice.is_none() => (false, None),
            Some(e) => (false, Some(e.message.clone())),
            None => (!s.busy, None),
        };
        SanctionFormState {
            title: Text::ProposeTitle.say(lang, &[]),
            person: self.person.clone(),
            facts,
            notes: s
                .advice
                .iter()
                .flat_map(|a| a.notes.iter())
                .map(|r| match lang {
                    Lang::ZhCn => r.zh.clone(),
                    Lang::En => r.en.clone(),
                })
                .collect(),
            suggested: s
                .advice
                .iter()
                .flat_map(|a| a.suggestions.iter())
                .filter_map(|g| ground(&g.code))
                .map(|g| choice(g, chosen == Some(g.code), lang))
                .collect(),
            grounds: GROUNDS
                .iter()
                .map(|g| choice(g, chosen == Some(g.code), lang))
                .collect(),
            chosen: s.ground.map(|g| described(g, lang)),
            reason_label: Text::ProposalReasonLabel.say(lang, &[]),
            reason: s.reason.clone(),
            errors,
            submit_label: Text::ProposeAction.say(lang, &[]),
            can_submit,
            submit_why_not,
            busy: s.busy,
            message: s.message.clone(),
            done: s.done,
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> SanctionFormState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl SanctionFormScreen {
    pub fn state(&self) -> SanctionFormState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn SanctionFormListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Reads what the facts support again.
    pub async fn refresh(&self) -> SanctionFormState {
        self.changed(|s| s.busy = true);
        let got = self.client.sanction_advice(self.case_id).await;
        let lang = self.client.lang();
        self.changed(|s| {
            s.busy = false;
            match got {
                Ok(a) => {
                    s.advice = Some(a);
                    s.message = None;
                }
                Err(e) => {
                    let t = trouble(&e, lang);
                    s.message = Some(t.message);
                    s.route = t.route;
                }
            }
        })
    }

    /// Chooses a ground by its code (one of `grounds`).
    pub fn choose_ground(&self, code: String) -> SanctionFormState {
        self.changed(|s| {
            s.ground = ground(&code);
            s.server_errors.retain(|e| e.field != "ground");
        })
    }

    pub fn set_reason(&self, reason: String) -> SanctionFormState {
        self.changed(|s| {
            s.reason = reason;
            s.server_errors.retain(|e| e.field != "reason");
        })
    }

    /// Sends the proposal to the county.
    pub async fn submit(&self) -> SanctionFormState {
        let lang = self.client.lang();
        let req = {
            let s = self.shown.lock().expect("not poisoned");
            match s.ground {
                Some(g) if problems(&s, lang).is_empty() && !s.busy && !s.done => {
                    SanctionProposal {
                        ground: g.code.into(),
                        reason: s.reason.trim().into(),
                    }
                }
                _ => return self.render(&s),
            }
        };
        self.changed(|s| {
            s.busy = true;
            s.message = None;
        });
        match self.client.propose_sanction(self.case_id, &req).await {
            Ok(_) => self.changed(|s| {
                s.busy = false;
                s.done = true;
                s.message = Some(Text::ProposalSent.say(lang, &[]));
                s.route = Some(Route::Case);
            }),
            Err(e) => {
                let t = trouble(&e, lang);
                self.changed(|s| {
                    s.busy = false;
                    s.server_errors = t.fields;
                    s.message = Some(t.message);
                    s.route = t.route;
                })
            }
        }
    }
}
