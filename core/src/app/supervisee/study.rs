//! Education (教育学习) on the supervisee's phone: this month's minutes against what is owed,
//! the courses assigned (progress, due date, overdue first) and the others published for
//! them, and a chosen course's lessons with what each asks (about how long, at least how long,
//! how many questions). A lesson opens the study loop (`lesson`), a quiz its attempt
//! (`quiz`), and any lesson its reflection (`reflection`). Kept on the phone for offline.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::{AssignedCourseView, CourseView, LearningMonthView, LessonView};
use crate::app::kept::Kept;
use crate::app::supervisee::lesson::LessonScreen;
use crate::app::supervisee::quiz::{QuizScreen, ReflectionScreen};
use crate::app::text::{self, Text};
use crate::app::{Freshness, Listeners, Route, Watching};
use crate::client::outbox::Outbox;
use crate::client::{Client, ClientError};
use crate::error::Lang;
use crate::labels::Label;
use crate::policy::calendar::local_date;
use crate::policy::learning::{CourseStatus, LessonKind};

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CourseLine {
    pub course_id: Uuid,
    pub title: String,
    /// "已完成 1/3 课", for an assigned course.
    pub progress: Option<String>,
    /// "须在12月31日前完成", "已逾期…", or done.
    pub due: Option<String>,
    pub overdue: bool,
    pub selected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LessonLine {
    pub lesson_id: Uuid,
    pub title: String,
    /// Video, text, quiz…, in words.
    pub kind: String,
    /// "约 12 分钟", "至少学习 10 分钟", "2 题，60% 及格".
    pub detail: String,
    /// Where it opens: the study loop or the quiz.
    pub route: Route,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StudyState {
    pub title: String,
    /// "已完成 30 / 480 分钟".
    pub month: Option<String>,
    pub courses: Vec<CourseLine>,
    /// The selected course's lessons.
    pub lessons: Vec<LessonLine>,
    pub freshness: Freshness,
    pub loading: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait StudyListener: Send + Sync {
    fn changed(&self, state: StudyState);
}

/// What the screen is made from, as kept on the phone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StudyData {
    pub month: LearningMonthView,
    pub assigned: Vec<AssignedCourseView>,
    pub courses: Vec<CourseView>,
}

async fn fetch(client: &Client, case_id: Uuid) -> Result<StudyData, ClientError> {
    let (month, assigned, courses) = futures::try_join!(
        client.learning_month(case_id, None),
        client.assigned_courses(case_id),
        client.courses().all(),
    )?;
    Ok(StudyData {
        month,
        assigned,
        courses: courses
            .into_iter()
            .filter(|c| c.status == CourseStatus::Published)
            .collect(),
    })
}

/// What a lesson asks, in words.
pub fn lesson_line(l: &LessonView, lang: Lang) -> LessonLine {
    let detail = match l.kind {
        LessonKind::Quiz => Text::QuizAbout.say(
            lang,
            &[
                &l.questions.to_string(),
                &l.pass_percent.unwrap_or_default().to_string(),
            ],
        ),
        LessonKind::Video | LessonKind::Audio if l.duration_secs > 0 => {
            Text::LessonAbout.say(lang, &[&((l.duration_secs + 59) / 60).to_string()])
        }
        _ => Text::LessonAtLeast.say(lang, &[&l.min_minutes.to_string()]),
    };
    LessonLine {
        lesson_id: l.id,
        title: l.title.clone(),
        kind: l.kind.label(lang).into(),
        detail,
        route: if l.kind == LessonKind::Quiz {
            Route::Quiz
        } else {
            Route::Lesson
        },
    }
}

fn compose(
    d: &StudyData,
    selected: Option<Uuid>,
    lang: Lang,
) -> (Vec<CourseLine>, Vec<LessonLine>) {
    let today = local_date(Utc::now());
    let mut assigned: Vec<&AssignedCourseView> = d.assigned.iter().collect();
    assigned.sort_by_key(|a| (a.completed, !a.overdue, a.due_on));
    let mut courses: Vec<CourseLine> = assigned
        .iter()
        .map(|a| CourseLine {
            course_id: a.course_id,
            title: a.course_title.clone(),
            progress: Some(Text::LessonsDone.say(
                lang,
                &[&a.lessons_completed.to_string(), &a.lessons.to_string()],
            )),
            due: Some(if a.completed {
                Text::CourseDone.say(lang, &[])
            } else if a.overdue {
                Text::CourseOverdue.say(lang, &[&text::day(a.due_on, today, lang)])
            } else {
                Text::CourseDue.say(lang, &[&text::day(a.due_on, today, lang)])
            }),
            overdue: a.overdue,
            selected: selected == Some(a.course_id),
        })
        .collect();
    courses.extend(
        d.courses
            .iter()
            .filter(|c| d.assigned.iter().all(|a| a.course_id != c.id))
            .map(|c| CourseLine {
                course_id: c.id,
                title: c.title.clone(),
                progress: None,
                due: None,
                overdue: false,
                selected: selected == Some(c.id),
            }),
    );
    let lessons = selected
        .and_then(|id| d.courses.iter().find(|c| c.id == id))
        .map(|c| c.lessons.iter().map(|l| lesson_line(l, lang)).collect())
        .unwrap_or_default();
    (courses, lessons)
}

struct Shown {
    kept: Kept<StudyData>,
    selected: Option<Uuid>,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct StudyScreen {
    client: Arc<Client>,
    outbox: Option<Arc<Outbox>>,
    case_id: Uuid,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn StudyListener>,
}

impl StudyScreen {
    /// The person's own (`case_id` from sign-in), starting from what the phone kept; study
    /// time made offline waits in `outbox`.
    pub async fn open(
        client: Arc<Client>,
        outbox: Option<Arc<Outbox>>,
        case_id: Uuid,
    ) -> Arc<StudyScreen> {
        let kept = Kept::recall(outbox.as_deref(), &Self::key(case_id)).await;
        Arc::new(StudyScreen {
            client,
            outbox,
            case_id,
            shown: Mutex::new(Shown {
                kept,
                selected: None,
            }),
            listeners: Listeners::new(),
        })
    }

    fn key(case_id: Uuid) -> String {
        format!("supervisee.study.{case_id}")
    }

    fn render(&self, s: &Shown) -> StudyState {
        let lang = self.client.lang();
        let (courses, lessons) = s
            .kept
            .data
            .as_ref()
            .map(|d| compose(d, s.selected, lang))
            .unwrap_or_default();
        StudyState {
            title: Text::StudyTitle.say(lang, &[]),
            month: s.kept.data.as_ref().map(|d| {
                Text::MinutesOf.say(
                    lang,
                    &[
                        &d.month.credited_minutes.to_string(),
                        &d.month.owed_minutes.to_string(),
                    ],
                )
            }),
            courses,
            lessons,
            freshness: s.kept.freshness(Utc::now(), lang),
            loading: s.kept.loading,
            message: s.kept.message.clone(),
            route: s.kept.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> StudyState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }

    /// The lesson `lesson_id` of the courses shown, if it is one.
    fn shown_lesson(&self, lesson_id: Uuid) -> Option<LessonView> {
        let s = self.shown.lock().expect("not poisoned");
        s.kept
            .data
            .as_ref()?
            .courses
            .iter()
            .flat_map(|c| c.lessons.iter())
            .find(|l| l.id == lesson_id)
            .cloned()
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl StudyScreen {
    pub fn state(&self) -> StudyState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn StudyListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub async fn refresh(&self) -> StudyState {
        self.changed(|s| s.kept.loading = true);
        let got = fetch(&self.client, self.case_id).await;
        let now = Kept::keep(self.outbox.as_deref(), &Self::key(self.case_id), &got).await;
        let lang = self.client.lang();
        self.changed(|s| s.kept.take(got, now, lang))
    }

    /// Shows a course's lessons.
    pub fn select_course(&self, course_id: Uuid) -> StudyState {
        self.changed(|s| s.selected = Some(course_id))
    }

    /// Opens a lesson (not a quiz) and starts its study session: the loop the app drives
    /// with `beat` every `heartbeat_secs`. `None` for a lesson not shown.
    pub async fn lesson(&self, lesson_id: Uuid) -> Option<Arc<LessonScreen>> {
        let l = self
            .shown_lesson(lesson_id)
            .filter(|l| l.kind != LessonKind::Quiz)?;
        Some(LessonScreen::open(self.client.clone(), self.outbox.clone(), l).await)
    }

    /// Starts an attempt at a quiz lesson. `None` for a lesson not shown or not a quiz.
    pub async fn quiz(&self, lesson_id: Uuid) -> Option<Arc<QuizScreen>> {
        let l = self
            .shown_lesson(lesson_id)
            .filter(|l| l.kind == LessonKind::Quiz)?;
        Some(QuizScreen::open(self.client.clone(), l).await)
    }

    /// The reflection (学习心得) on a lesson shown: the one written, or a new one.
    pub async fn reflection(&self, lesson_id: Uuid) -> Option<Arc<ReflectionScreen>> {
        let l = self.shown_lesson(lesson_id)?;
        Some(ReflectionScreen::open(self.client.clone(), self.case_id, l).await)
    }
}
