//! A quiz attempt (测验) and a lesson's reflection (学习心得). The quiz: its questions in the
//! order the server asked them, the options chosen (one for a single choice or true/false,
//! any for a multiple choice, a written answer for a short text), what is still unanswered,
//! then the score, whether it passed (or waits for an officer's marking) and the attempts
//! left — scored on the server, the key never on the phone. The reflection: written (at least
//! `REFLECTION_MIN_CHARS` characters, checked as the server checks it), sent, and when an
//! officer returns it, shown with their comment to be rewritten.

use std::sync::{Arc, Mutex};

use uuid::Uuid;

use crate::api::{
    LessonView, QuizAnswer, QuizAttemptView, QuizSubmission, ReflectionView, ReflectionWrite,
};
use crate::app::text::Text;
use crate::app::{trouble, Choice, Listeners, Route, Watching};
use crate::client::Client;
use crate::labels::Label;
use crate::policy::learning::{
    check_reflection, QuizAttemptStatus, ReflectionStatus, REFLECTION_MIN_CHARS,
};
use crate::policy::quiz::QuestionKind;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QuestionLine {
    pub id: Uuid,
    pub prompt: String,
    /// Single, multiple, true/false, written, in words.
    pub kind: String,
    /// The options (`code` is the option's index); none for a written answer.
    pub options: Vec<Choice>,
    /// Several options may be chosen.
    pub multiple: bool,
    /// A written answer is asked.
    pub written: bool,
    pub text: String,
    /// After submission: whether the answer was right (`None` until then, or while a
    /// written one waits for marking).
    pub right: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QuizState {
    pub title: String,
    /// "第 1 次作答（共 3 次）".
    pub attempt: Option<String>,
    pub questions: Vec<QuestionLine>,
    pub submit_label: String,
    pub can_submit: bool,
    pub submit_why_not: Option<String>,
    /// "得分 8/10（80%）".
    pub score: Option<String>,
    /// Passed, not passed with the pass mark, or waiting for an officer's marking.
    pub verdict: Option<String>,
    pub passed: Option<bool>,
    pub attempts_left: Option<String>,
    pub busy: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait QuizListener: Send + Sync {
    fn changed(&self, state: QuizState);
}

#[derive(Default)]
struct Shown {
    attempt: Option<QuizAttemptView>,
    /// Per question: the options chosen, the text written.
    answers: Vec<(Uuid, Vec<u32>, String)>,
    busy: bool,
    message: Option<String>,
    route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct QuizScreen {
    client: Arc<Client>,
    lesson: LessonView,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn QuizListener>,
}

impl QuizScreen {
    /// Starts an attempt at the quiz `lesson` (the server refuses one past the attempts).
    pub async fn open(client: Arc<Client>, lesson: LessonView) -> Arc<QuizScreen> {
        let got = client.start_quiz(lesson.id).await;
        let mut shown = Shown::default();
        match got {
            Ok(a) => {
                shown.answers = a
                    .questions
                    .iter()
                    .map(|q| (q.id, vec![], String::new()))
                    .collect();
                shown.attempt = Some(a);
            }
            Err(e) => {
                let t = trouble(&e, client.lang());
                shown.message = Some(t.message);
                shown.route = t.route;
            }
        }
        Arc::new(QuizScreen {
            client,
            lesson,
            shown: Mutex::new(shown),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, s: &Shown) -> QuizState {
        let lang = self.client.lang();
        let a = s.attempt.as_ref();
        let submitted = a.is_some_and(|a| a.submitted);
        let questions: Vec<QuestionLine> = a
            .map(|a| {
                a.questions
                    .iter()
                    .map(|q| {
                        let (chosen, text) = s
                            .answers
                            .iter()
                            .find(|(id, _, _)| *id == q.id)
                            .map(|(_, c, t)| (c.clone(), t.clone()))
                            .unwrap_or_default();
                        let result = a.results.iter().find(|r| r.question_id == q.id);
                        QuestionLine {
                            id: q.id,
                            prompt: q.prompt.clone(),
                            kind: q.kind.label(lang).into(),
                            options: q
                                .options
                                .iter()
                                .enumerate()
                                .map(|(i, o)| Choice {
                                    code: i.to_string(),
                                    label: o.clone(),
                                    chosen: chosen.contains(&(i as u32)),
                                })
                                .collect(),
                            multiple: q.kind == QuestionKind::Multiple,
                            written: q.kind == QuestionKind::ShortText,
                            text,
                            right: result
                                .filter(|r| {
                                    q.kind != QuestionKind::ShortText || r.awarded.is_some()
                                })
                                .map(|r| r.right),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let unanswered = questions
            .iter()
            .filter(|q| q.options.iter().all(|o| !o.chosen) && q.text.trim().is_empty())
            .count();
        let verdict = a
            .filter(|a| a.submitted)
            .map(|a| match (a.status, a.passed) {
                (QuizAttemptStatus::AwaitingReview, _) => Text::QuizAwaitingReview.say(lang, &[]),
                (_, Some(true)) => Text::QuizPassed.say(lang, &[]),
                _ => Text::QuizNotPassed.say(lang, &[&a.pass_percent.to_string()]),
            });
        let why_not = if a.is_none() {
            s.message.clone()
        } else if s.busy {
            Some(Text::Busy.say(lang, &[]))
        } else if submitted {
            verdict.clone()
        } else if unanswered > 0 {
            Some(Text::QuizUnanswered.say(lang, &[&unanswered.to_string()]))
        } else {
            None
        };
        let left = a.map(|a| a.max_attempts - a.attempt_no).unwrap_or(0);
        QuizState {
            title: self.lesson.title.clone(),
            attempt: a.map(|a| {
                Text::AttemptOf.say(
                    lang,
                    &[&a.attempt_no.to_string(), &a.max_attempts.to_string()],
                )
            }),
            questions,
            submit_label: Text::SubmitAnswers.say(lang, &[]),
            can_submit: why_not.is_none() && !submitted,
            submit_why_not: why_not,
            score: a.filter(|a| a.submitted).and_then(|a| {
                Some(Text::QuizScore.say(
                    lang,
                    &[
                        &a.points?.to_string(),
                        &a.max_points.to_string(),
                        &a.percent?.to_string(),
                    ],
                ))
            }),
            verdict: verdict.clone(),
            passed: a.and_then(|a| a.passed),
            attempts_left: a
                .filter(|a| a.submitted && a.passed != Some(true))
                .map(|_| {
                    if left > 0 {
                        Text::AttemptsLeft.say(lang, &[&left.to_string()])
                    } else {
                        Text::NoAttemptsLeft.say(lang, &[])
                    }
                }),
            busy: s.busy,
            message: s.message.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> QuizState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }

    fn kind_of(&self, question_id: Uuid) -> Option<QuestionKind> {
        let s = self.shown.lock().expect("not poisoned");
        s.attempt
            .as_ref()?
            .questions
            .iter()
            .find(|q| q.id == question_id)
            .map(|q| q.kind)
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl QuizScreen {
    pub fn state(&self) -> QuizState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn QuizListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Chooses option `code` (its index) of a question: the only one for a single choice or
    /// true/false; for a multiple choice, chosen or unchosen.
    pub fn choose(&self, question_id: Uuid, code: String) -> QuizState {
        let kind = self.kind_of(question_id);
        let Ok(option) = code.parse::<u32>() else {
            return self.state();
        };
        self.changed(|s| {
            if let Some((_, chosen, _)) = s.answers.iter_mut().find(|(id, _, _)| *id == question_id)
            {
                match kind {
                    Some(QuestionKind::Multiple) => {
                        if let Some(at) = chosen.iter().position(|c| *c == option) {
                            chosen.remove(at);
                        } else {
                            chosen.push(option);
                        }
                    }
                    Some(QuestionKind::ShortText) | None => {}
                    Some(_) => *chosen = vec![option],
                }
            }
        })
    }

    /// A written answer.
    pub fn set_text(&self, question_id: Uuid, text: String) -> QuizState {
        self.changed(|s| {
            if let Some((_, _, t)) = s.answers.iter_mut().find(|(id, _, _)| *id == question_id) {
                *t = text;
            }
        })
    }

    /// Submits the answers once every question has one; the score comes back.
    pub async fn submit(&self) -> QuizState {
        let (id, req) = {
            let mut s = self.shown.lock().expect("not poisoned");
            if !self.render(&s).can_submit {
                return self.render(&s);
            }
            let Some(id) = s.attempt.as_ref().map(|a| a.id) else {
                return self.render(&s);
            };
            s.busy = true;
            let answers = s
                .answers
                .iter()
                .map(|(q, chosen, text)| QuizAnswer {
                    question_id: *q,
                    chosen: chosen.clone(),
                    text: (!text.trim().is_empty()).then(|| text.trim().to_owned()),
                })
                .collect();
            (id, QuizSubmission { answers })
        };
        self.changed(|_| {});
        let got = self.client.submit_quiz(id, &req).await;
        let lang = self.client.lang();
        self.changed(|s| {
            s.busy = false;
            match got {
                Ok(a) => {
                    s.attempt = Some(a);
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReflectionState {
    pub title: String,
    pub lesson: String,
    pub text: String,
    /// "已写 56 字，至少 100 字".
    pub length: String,
    /// Its status once sent, in words.
    pub status: Option<String>,
    /// The officer's comment when it was returned.
    pub returned: Option<String>,
    pub text_error: Option<String>,
    pub can_submit: bool,
    pub submit_why_not: Option<String>,
    pub busy: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait ReflectionListener: Send + Sync {
    fn changed(&self, state: ReflectionState);
}

#[derive(Default)]
struct Writing {
    sent: Option<ReflectionView>,
    text: String,
    server_error: Option<String>,
    busy: bool,
    message: Option<String>,
    route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct ReflectionScreen {
    client: Arc<Client>,
    lesson: LessonView,
    writing: Mutex<Writing>,
    listeners: Listeners<dyn ReflectionListener>,
}

impl ReflectionScreen {
    /// The person's reflection on `lesson` (`case_id` their own): the one sent, or a new one.
    pub async fn open(
        client: Arc<Client>,
        case_id: Uuid,
        lesson: LessonView,
    ) -> Arc<ReflectionScreen> {
        let mut writing = Writing::default();
        match client.reflections_of(case_id).all().await {
            Ok(all) => {
                writing.sent = all.into_iter().find(|r| r.lesson_id == lesson.id);
                if let Some(r) = &writing.sent {
                    writing.text = r.text.clone();
                }
            }
            Err(e) => {
                let t = trouble(&e, client.lang());
                writing.message = Some(t.message);
                writing.route = t.route;
            }
        }
        Arc::new(ReflectionScreen {
            client,
            lesson,
            writing: Mutex::new(writing),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, w: &Writing) -> ReflectionState {
        let lang = self.client.lang();
        let problem = check_reflection(w.text.trim())
            .err()
            .map(|s| s.get(lang).to_owned());
        // A reflection is written once, and again only when returned.
        let closed = w
            .sent
            .as_ref()
            .is_some_and(|r| r.status != ReflectionStatus::Returned);
        let why_not = if w.busy {
            Some(Text::Busy.say(lang, &[]))
        } else if closed {
            w.sent.as_ref().map(|r| r.status.label(lang).to_owned())
        } else {
            problem.clone()
        };
        ReflectionState {
            title: Text::ReflectionTitle.say(lang, &[]),
            lesson: self.lesson.title.clone(),
            text: w.text.clone(),
            length: Text::ReflectionLength.say(
                lang,
                &[
                    &w.text.trim().chars().count().to_string(),
                    &REFLECTION_MIN_CHARS.to_string(),
                ],
            ),
            status: w.sent.as_ref().map(|r| r.status.label(lang).to_owned()),
            returned: w
                .sent
                .as_ref()
                .filter(|r| r.status == ReflectionStatus::Returned)
                .map(|r| {
                    Text::ReflectionReturned.say(lang, &[r.comment.as_deref().unwrap_or_default()])
                }),
            text_error: w
                .server_error
                .clone()
                .or(problem.filter(|_| !closed && !w.text.is_empty())),
            can_submit: why_not.is_none(),
            submit_why_not: why_not,
            busy: w.busy,
            message: w.message.clone(),
            route: w.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Writing)) -> ReflectionState {
        self.listeners.change(
            &self.writing,
            change,
            |w| self.render(w),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl ReflectionScreen {
    pub fn state(&self) -> ReflectionState {
        self.render(&self.writing.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn ReflectionListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub fn set_text(&self, text: String) -> ReflectionState {
        self.changed(|w| {
            w.text = text;
            w.server_error = None;
        })
    }

    /// Sends the reflection if it holds.
    pub async fn submit(&self) -> ReflectionState {
        let text = {
            let mut w = self.writing.lock().expect("not poisoned");
            if !self.render(&w).can_submit {
                return self.render(&w);
            }
            w.busy = true;
            w.text.trim().to_owned()
        };
        self.changed(|_| {});
        let got = self
            .client
            .write_reflection(self.lesson.id, &ReflectionWrite { text })
            .await;
        let lang = self.client.lang();
        self.changed(|w| {
            w.busy = false;
            match got {
                Ok(r) => {
                    w.sent = Some(r);
                    w.message = Some(Text::ReflectionSent.say(lang, &[]));
                    w.route = Some(Route::Study);
                }
                Err(e) => {
                    let t = trouble(&e, lang);
                    w.server_error = t
                        .fields
                        .iter()
                        .find(|f| f.field == "text")
                        .map(|f| f.message.clone());
                    w.message = Some(t.message);
                    w.route = t.route;
                }
            }
        })
    }
}
