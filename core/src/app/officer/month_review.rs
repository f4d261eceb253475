//! The monthly assessment of one person (月度考核): the month's draft as the server makes it
//! from the facts (each line's rule, count and points), the score, grade and level it proposes;
//! the officer changes a line's points only with a reason (`policy::assessment::change_line`,
//! as the server checks it) and sees the score and proposal move (`policy::assessment::outcome`
//! with the months before, `grades_before`), then confirms a month that is over. A month
//! confirmed is shown as confirmed. The proposal is the officer's to apply (the case screen).

use std::sync::{Arc, Mutex};

use chrono::Utc;
use uuid::Uuid;

use crate::api::{AssessmentAdjustment, AssessmentConfirm, AssessmentView};
use crate::app::text::{self, Text};
use crate::app::{trouble, Choice, FieldError, Listeners, Route, Watching};
use crate::client::{Client, ClientError};
use crate::error::{ErrorCode, Lang};
use crate::labels::Label;
use crate::policy::assessment::{
    change_line, grades_before, outcome, AssessmentFact, AssessmentGrade, AssessmentLine,
};
use crate::policy::calendar::Month;
use crate::policy::text::{check, Shape};

/// How many months back the screen offers (the current one, so far, and those before).
const MONTHS_OFFERED: usize = 4;

/// One line of the month.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AssessmentLineRow {
    pub fact: AssessmentFact,
    /// "未按时签到".
    pub label: String,
    /// The table's rule: "未按时完成人脸签到，每次扣 2 分".
    pub rule: String,
    /// "3 次".
    pub count: String,
    /// "扣 6 分", or "扣 2 分（原 6 分）" once changed.
    pub points: String,
    /// Why the officer changed it.
    pub reason: Option<String>,
    pub can_change: bool,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AssessmentState {
    pub title: String,
    pub person: String,
    /// The months to choose from (`code`: `YYYY-MM`), the one shown chosen.
    pub months: Vec<Choice>,
    pub lines: Vec<AssessmentLineRow>,
    /// "本月没有扣分事项".
    pub empty_note: Option<String>,
    /// "95 分，表现良好".
    pub score: String,
    /// "现为普管".
    pub level: String,
    /// "建议调整为宽管（是否调整由您决定）".
    pub proposal: Option<String>,
    pub note_label: String,
    pub note: String,
    pub note_error: Option<String>,
    /// "已于12月1日确认".
    pub confirmed: Option<String>,
    pub confirm_label: String,
    pub can_confirm: bool,
    pub why_not: Option<String>,
    pub busy: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait AssessmentListener: Send + Sync {
    fn changed(&self, state: AssessmentState);
}

struct Shown {
    month: Month,
    draft: Option<AssessmentView>,
    /// Confirmed grades by month (the months before weigh in the proposal).
    confirmed: Vec<(String, AssessmentGrade)>,
    /// The officer's changes, in the order made.
    changes: Vec<AssessmentAdjustment>,
    line_errors: Vec<FieldError>,
    note: String,
    note_error: Option<String>,
    busy: bool,
    message: Option<String>,
    route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct AssessmentScreen {
    client: Arc<Client>,
    case_id: Uuid,
    person: String,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn AssessmentListener>,
}

impl AssessmentScreen {
    /// `person`'s (case `case_id`) last month, read at once.
    pub async fn open(client: Arc<Client>, case_id: Uuid, person: String) -> Arc<AssessmentScreen> {
        let screen = Arc::new(AssessmentScreen {
            client,
            case_id,
            person,
            shown: Mutex::new(Shown {
                month: Month::of(Utc::now()).previous(),
                draft: None,
                confirmed: vec![],
                changes: vec![],
                line_errors: vec![],
                note: String::new(),
                note_error: None,
                busy: false,
                message: None,
                route: None,
            }),
            listeners: Listeners::new(),
        });
        screen.reload().await;
        screen
    }

    /// The draft's lines with the officer's changes; a change that does not stand is left
    /// out and its problem said on its line.
    fn changed_lines(s: &Shown, lang: Lang) -> (Vec<AssessmentLine>, Vec<FieldError>) {
        let mut lines = s
            .draft
            .as_ref()
            .map(|d| d.lines.clone())
            .unwrap_or_default();
        let mut errors = vec![];
        if s.draft.as_ref().is_some_and(|d| d.confirmed_at.is_some()) {
            return (lines, errors);
        }
        for c in &s.changes {
            if let Err(p) = change_line(&mut lines, c.fact, c.points, &c.reason) {
                errors.push(FieldError {
                    field: c.fact.as_str().into(),
                    message: p.said.get(lang).into(),
                });
            }
        }
        (lines, errors)
    }

    fn render(&self, s: &Shown) -> AssessmentState {
        let lang = self.client.lang();
        let now = Utc::now();
        let this_month = Month::of(now);
        let mut month = this_month;
        let months = (0..MONTHS_OFFERED)
            .map(|_| {
                let m = month;
                month = month.previous();
                Choice {
                    code: m.to_string(),
                    label: if m == this_month {
                        Text::MonthSoFar.say(lang, &[&text::month(m, lang)])
                    } else {
                        text::month(m, lang)
                    },
                    chosen: m == s.month,
                }
            })
            .collect();
        let (lines, mut errors) = Self::changed_lines(s, lang);
        errors.extend(s.line_errors.iter().cloned());
        let confirmed_at = s.draft.as_ref().and_then(|d| d.confirmed_at);
        let before = grades_before(s.month, |m| {
            let m = m.to_string();
            s.confirmed.iter().find(|c| c.0 == m).map(|c| c.1)
        });
        let draft = s.draft.as_ref();
        // A confirmed month says what was confirmed; a draft what the changes make of it.
        let (score, grade, proposed) = match draft {
            Some(d) if confirmed_at.is_some() => (d.score, d.grade, d.proposed_level),
            Some(d) => {
                let o = outcome(&lines, d.level, &before);
                (o.score, o.grade, o.proposed_level)
            }
            None => (0, AssessmentGrade::Passed, None),
        };
        let rows: Vec<AssessmentLineRow> = lines
            .iter()
            .map(|l| {
                let table = draft
                    .and_then(|d| d.lines.iter().find(|o| o.fact == l.fact))
                    .map_or(l.points, |o| o.points);
                AssessmentLineRow {
                    fact: l.fact,
                    label: l.fact.label(lang).into(),
                    rule: match lang {
                        Lang::ZhCn => l.rule_zh.clone(),
                        Lang::En => l.rule_en.clone(),
                    },
                    count: Text::Times.say(lang, &[&l.count.to_string()]),
                    points: if l.adjusted_reason.is_some() && confirmed_at.is_none() {
                        Text::PointsTakenWas.say(lang, &[&l.points.to_string(), &table.to_string()])
                    } else {
                        Text::PointsTaken.say(lang, &[&l.points.to_string()])
                    },
                    reason: l.adjusted_reason.clone(),
                    can_change: confirmed_at.is_none() && l.adjusted_reason.is_none() && !s.busy,
                    error: errors
                        .iter()
                        .find(|e| e.field == l.fact.as_str())
                        .map(|e| e.message.clone()),
                }
            })
            .collect();
        let (can_confirm, why_not) = match draft {
            None => (false, None),
            Some(_) if confirmed_at.is_some() => (false, None),
            Some(_) if s.month >= this_month => (
                false,
                Some(ErrorCode::AssessmentMonthNotOver.message(lang).into()),
            ),
            Some(_) if !errors.is_empty() => (false, Some(Text::FixTheLines.say(lang, &[]))),
            Some(_) => (!s.busy, None),
        };
        AssessmentState {
            title: Text::AssessmentTitle.say(lang, &[]),
            person: self.person.clone(),
            months,
            empty_note: (draft.is_some() && rows.is_empty())
                .then(|| Text::NothingTaken.say(lang, &[])),
            lines: rows,
            score: match draft {
                Some(_) => Text::ScoreAndGrade.say(lang, &[&score.to_string(), grade.label(lang)]),
                None => String::new(),
            },
            level: draft
                .map(|d| Text::LevelNow.say(lang, &[d.level.label(lang)]))
                .unwrap_or_default(),
            proposal: proposed.map(|l| Text::LevelProposed.say(lang, &[l.label(lang)])),
            note_label: Text::AssessmentNoteLabel.say(lang, &[]),
            note: match draft.and_then(|d| d.note.clone()) {
                Some(n) if confirmed_at.is_some() => n,
                _ => s.note.clone(),
            },
            note_error: s.note_error.clone(),
            confirmed: confirmed_at
                .map(|t| Text::ConfirmedOn.say(lang, &[&text::when(t, now, lang)])),
            confirm_label: Text::ConfirmMonth.say(lang, &[]),
            can_confirm,
            why_not,
            busy: s.busy,
            message: s.message.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> AssessmentState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }

    fn failed(&self, e: &ClientError) -> AssessmentState {
        let t = trouble(e, self.client.lang());
        self.changed(|s| {
            s.busy = false;
            s.message = Some(t.message);
            s.route = t.route;
            // `adjustments[i].…` names the i-th change: its line.
            s.line_errors = t
                .fields
                .iter()
                .filter_map(|f| {
                    let i: usize = f
                        .field
                        .strip_prefix("adjustments[")?
                        .split(']')
                        .next()?
                        .parse()
                        .ok()?;
                    Some(FieldError {
                        field: s.changes.get(i)?.fact.as_str().into(),
                        message: f.message.clone(),
                    })
                })
                .collect();
            if let Some(f) = t.fields.iter().find(|f| f.field == "note") {
                s.note_error = Some(f.message.clone());
            }
        })
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl AssessmentScreen {
    pub fn state(&self) -> AssessmentState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn AssessmentListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Reads the month shown again (its draft, or what was confirmed), and the months
    /// confirmed before it.
    pub async fn reload(&self) -> AssessmentState {
        let month = {
            let mut s = self.shown.lock().expect("not poisoned");
            s.busy = true;
            s.month
        };
        self.changed(|_| {});
        let c = &self.client;
        let month = month.to_string();
        let got = futures::try_join!(
            c.assessment_draft(self.case_id, &month),
            c.case_assessments(self.case_id)
        );
        match got {
            Ok((d, all)) => self.changed(|s| {
                s.busy = false;
                s.draft = Some(d);
                s.confirmed = all.into_iter().map(|a| (a.month, a.grade)).collect();
                s.message = None;
                s.route = None;
            }),
            Err(e) => self.failed(&e),
        }
    }

    /// Shows another month (`YYYY-MM`); the changes made to the one shown are dropped.
    pub async fn select_month(&self, month: String) -> AssessmentState {
        let Some(m) = Month::parse(&month) else {
            return self.state();
        };
        self.changed(|s| {
            s.month = m;
            s.draft = None;
            s.changes.clear();
            s.line_errors.clear();
            s.note.clear();
            s.note_error = None;
        });
        self.reload().await
    }

    /// Changes a line's points, for a reason; said on the line when it cannot stand.
    pub fn change_line(
        &self,
        fact: AssessmentFact,
        points: u32,
        reason: String,
    ) -> AssessmentState {
        self.changed(|s| {
            s.changes.retain(|c| c.fact != fact);
            s.line_errors.retain(|e| e.field != fact.as_str());
            s.changes.push(AssessmentAdjustment {
                fact,
                points,
                reason,
            });
        })
    }

    /// Takes back a change: the line as the table has it.
    pub fn undo_change(&self, fact: AssessmentFact) -> AssessmentState {
        self.changed(|s| {
            s.changes.retain(|c| c.fact != fact);
            s.line_errors.retain(|e| e.field != fact.as_str());
        })
    }

    pub fn set_note(&self, note: String) -> AssessmentState {
        self.changed(|s| {
            s.note = note;
            s.note_error = None;
        })
    }

    /// Confirms the month with the changes and note.
    pub async fn confirm(&self) -> AssessmentState {
        let lang = self.client.lang();
        if !self.state().can_confirm {
            return self.state();
        }
        let req = {
            let s = self.shown.lock().expect("not poisoned");
            AssessmentConfirm {
                month: s.month.to_string(),
                adjustments: s.changes.clone(),
                note: Some(s.note.trim().to_owned()).filter(|n| !n.is_empty()),
            }
        };
        if let Some(n) = &req.note {
            if let Err(p) = check(n, 2000, Shape::Paragraphs) {
                let problem = p.message().get(lang).to_owned();
                return self.changed(|s| s.note_error = Some(problem));
            }
        }
        self.changed(|s| {
            s.busy = true;
            s.message = None;
        });
        match self.client.confirm_assessment(self.case_id, &req).await {
            Ok(done) => {
                let said = Text::MonthConfirmed
                    .say(lang, &[&done.score.to_string(), done.grade.label(lang)]);
                self.changed(|s| {
                    s.busy = false;
                    s.draft = Some(done);
                    s.changes.clear();
                    s.message = Some(said);
                    s.route = Some(Route::Case);
                })
            }
            Err(e) if e.code() == Some(ErrorCode::AssessmentAlreadyConfirmed) => {
                // Another officer confirmed it meanwhile: what they confirmed is shown.
                let said = trouble(&e, lang).message;
                self.reload().await;
                self.changed(|s| s.message = Some(said))
            }
            Err(e) => self.failed(&e),
        }
    }
}
