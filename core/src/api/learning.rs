//! Education (教育学习): courses authored by a county agency (or above) and published to the
//! units under it, study sessions credited from the app's heartbeats, and the monthly ledger.

use super::*;
use crate::policy::learning::{
    Beat, CourseCategory, CourseStatus, CreditSource, FaceCheckPolicy, LessonKind, MoveOn,
    ReflectionStatus, StudySessionStatus,
};
use crate::policy::quiz::QuestionKind;

request_type! {
    /// A lesson as authored.
    pub struct LessonCreate {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
        pub title: String,
        pub kind: LessonKind,
        /// The text of a `text` lesson (plain paragraphs).
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 100000))]
        pub body: Option<String>,
        /// Length of the video or audio, seconds (0 for text).
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(maximum = 36000))]
        pub duration_secs: u32,
        /// Minutes of study before the lesson counts as completed.
        #[cfg_attr(feature = "openapi", schema(maximum = 600))]
        pub min_minutes: u32,
        /// Whether the video may be jumped ahead in (time jumped over is never credited).
        #[serde(default)]
        pub seek_allowed: bool,
        /// Its questions: a quiz's, or a test after a video, audio, text or PDF lesson.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_items = 100))]
        pub questions: Vec<QuestionCreate>,
        /// The pass mark of its questions, percent of their points (default 60).
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
        pub pass_percent: Option<u32>,
        /// How many times its questions may be taken (default 3).
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10))]
        pub max_attempts: Option<u32>,
        /// When the lesson counts as done (default: a quiz passed; anything else studied
        /// through, and passed too when it has questions).
        #[serde(default)]
        pub move_on: Option<MoveOn>,
        /// The lesson's own face checks while studied (default: the jurisdiction's).
        #[serde(default)]
        pub face_checks: Option<FaceCheckPolicy>,
    }
}

request_type! {
    /// A quiz question as authored, with its key (never sent to a supervisee's app).
    pub struct QuestionCreate {
        pub kind: QuestionKind,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
        pub prompt: String,
        /// 2 to 10 options (true/false: exactly 2, true first).
        #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 10))]
        pub options: Vec<String>,
        /// The right options' indices (one, except for multiple choice).
        #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 10))]
        pub key: Vec<u32>,
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
        pub points: u32,
    }
}

request_type! {
    /// A new course (a draft of the caller's unit), with its lessons in order.
    pub struct CourseCreate {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
        pub title: String,
        pub category: CourseCategory,
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
        pub description: Option<String>,
        #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
        pub lessons: Vec<LessonCreate>,
    }
}

view_type! {
    pub struct LessonView {
        pub id: Uuid,
        pub ordinal: i32,
        pub title: String,
        pub kind: LessonKind,
        pub body: Option<String>,
        pub duration_secs: i32,
        pub min_minutes: i32,
        pub seek_allowed: bool,
        /// Its question count (a quiz, or a test after the lesson), pass mark and attempts.
        pub questions: u32,
        pub pass_percent: Option<i32>,
        pub max_attempts: Option<i32>,
        /// The lesson's video, audio or PDF (`GET /lessons/{id}/media`, byte ranges served):
        /// its type and size, when one is uploaded.
        pub media_type: Option<String>,
        pub media_bytes: Option<i64>,
        /// When the lesson counts as done.
        pub move_on: MoveOn,
        /// Its own face checks (none: the jurisdiction's, `rules.learning`).
        pub face_checks: Option<FaceCheckPolicy>,
    }
}

view_type! {
    pub struct CourseView {
        pub id: Uuid,
        /// The authoring unit: the course reaches the people under it.
        pub unit_id: Uuid,
        pub title: String,
        pub category: CourseCategory,
        pub description: Option<String>,
        pub status: CourseStatus,
        pub lessons: Vec<LessonView>,
        pub published_at: Option<DateTime<Utc>>,
        pub version: i32,
        pub created_at: DateTime<Utc>,
    }
}

request_type! {
    /// Publishing or archiving: the version the officer saw.
    pub struct CourseDecision {
        pub version: i32,
    }
}

request_type! {
    /// One heartbeat of an open lesson (every `rules.learning.heartbeat_secs`).
    pub struct StudyBeat {
        /// 1, 2, 3… within the session; a number already sent is a harmless retry.
        #[cfg_attr(feature = "openapi", schema(minimum = 1))]
        pub seq: u32,
        /// The phone's clock, milliseconds since the epoch (only differences are used).
        pub client_ms: i64,
        /// Playback position, milliseconds (0 for text).
        #[serde(default)]
        pub position_ms: u64,
        pub playing: bool,
        pub foreground: bool,
        /// Seconds since the last touch or key.
        #[serde(default)]
        pub idle_secs: u32,
    }
}

impl From<&StudyBeat> for Beat {
    fn from(b: &StudyBeat) -> Beat {
        Beat {
            seq: b.seq,
            client_ms: b.client_ms,
            position_ms: b.position_ms,
            playing: b.playing,
            foreground: b.foreground,
            idle_secs: b.idle_secs,
        }
    }
}

request_type! {
    /// Heartbeats in order; several at once when the app was offline (its outbox).
    pub struct StudyBeats {
        #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 200))]
        pub beats: Vec<StudyBeat>,
    }
}

view_type! {
    /// A study session: one person on one lesson, on one device, credited from its beats.
    pub struct StudySessionView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub lesson_id: Uuid,
        pub status: StudySessionStatus,
        pub opened_at: DateTime<Utc>,
        pub ended_at: Option<DateTime<Utc>>,
        /// The last heartbeat taken (the next one sends a higher number).
        pub last_seq: u32,
        pub credited_secs: u64,
        /// The furthest position reached by playing, seconds.
        pub furthest_secs: u64,
        /// The lesson's completion rule is met (studied long enough, played through).
        pub completed: bool,
        /// How often to send heartbeats.
        pub heartbeat_secs: u32,
        /// A face check is asked: check in (`POST /checkins`) before this, or the time since
        /// the last passed check is taken back.
        pub face_check_by: Option<DateTime<Utc>>,
    }
}

view_type! {
    /// Minutes credited from one source in a month.
    pub struct LearningCreditView {
        pub source: CreditSource,
        pub minutes: i64,
    }
}

view_type! {
    /// A person's education in one month (China time): owed, credited, short.
    pub struct LearningMonthView {
        pub case_id: Uuid,
        /// `YYYY-MM`.
        pub month: String,
        pub owed_minutes: u32,
        pub credited_minutes: i64,
        pub short_minutes: i64,
        pub by_source: Vec<LearningCreditView>,
        pub adjustments: Vec<LearningAdjustmentView>,
    }
}

request_type! {
    /// An officer's correction of a month's minutes (negative to take time away), with why.
    pub struct LearningAdjustment {
        /// `YYYY-MM`.
        #[cfg_attr(feature = "openapi", schema(pattern = r"^\d{4}-\d{2}$"))]
        pub month: String,
        #[cfg_attr(feature = "openapi", schema(minimum = -6000, maximum = 6000))]
        pub minutes: i32,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
        pub reason: String,
    }
}

view_type! {
    pub struct LearningAdjustmentView {
        pub id: Uuid,
        pub minutes: i32,
        pub reason: String,
        pub by: Option<Uuid>,
        pub at: DateTime<Utc>,
    }
}

view_type! {
    /// A person short of their education minutes in a month (`GET /learning/shortfalls`).
    pub struct ShortfallView {
        pub case_id: Uuid,
        pub unit_id: Uuid,
        /// Education or community service.
        pub obligation: crate::policy::learning::Obligation,
        pub month: String,
        pub owed_minutes: u32,
        pub credited_minutes: i64,
        pub short_minutes: i64,
    }
}

view_type! {
    /// A question as the supervisee sees it: no key.
    pub struct QuizQuestionView {
        pub id: Uuid,
        pub kind: QuestionKind,
        pub prompt: String,
        pub options: Vec<String>,
        pub points: u32,
    }
}

view_type! {
    /// Whether an answer of a submitted attempt was right (the key itself is never sent).
    pub struct QuizResultView {
        pub question_id: Uuid,
        pub chosen: Vec<u32>,
        /// A short text's answer.
        pub text: Option<String>,
        /// Full points (a short text: graded with all its points).
        pub right: bool,
        /// A short text's points from the officer, once graded.
        pub awarded: Option<u32>,
    }
}

view_type! {
    /// One attempt at a quiz: its questions in the order asked, and once submitted its score.
    pub struct QuizAttemptView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub lesson_id: Uuid,
        /// 1 for the first attempt.
        pub attempt_no: i32,
        pub max_attempts: i32,
        pub submitted: bool,
        /// Open, awaiting an officer's grade, or scored (`policy::learning::QUIZ_ATTEMPT`).
        pub status: crate::policy::learning::QuizAttemptStatus,
        pub questions: Vec<QuizQuestionView>,
        pub started_at: DateTime<Utc>,
        pub submitted_at: Option<DateTime<Utc>>,
        pub points: Option<i32>,
        pub max_points: i32,
        pub percent: Option<i32>,
        pub pass_percent: i32,
        pub passed: Option<bool>,
        /// Submitted with a written answer an officer has not graded yet.
        pub awaiting_review: bool,
        /// What an officer grading it saw.
        pub version: i32,
        /// After submission, right or not per question.
        pub results: Vec<QuizResultView>,
    }
}

request_type! {
    pub struct QuizAnswer {
        pub question_id: Uuid,
        /// The options chosen (indices); none for a short text.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_items = 10))]
        pub chosen: Vec<u32>,
        /// A short text's answer (and only a short text's).
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        pub text: Option<String>,
    }
}

request_type! {
    /// The points an officer gives one written answer (0 to the question's points).
    pub struct QuizGradeItem {
        pub question_id: Uuid,
        pub points: u32,
    }
}

request_type! {
    /// An officer's grades of an attempt's written answers, every one, at the version seen.
    pub struct QuizGrade {
        #[cfg_attr(feature = "openapi", schema(max_items = 100))]
        pub grades: Vec<QuizGradeItem>,
        pub version: i32,
    }
}

request_type! {
    /// The answers of an attempt, submitted once; a question left out scores nothing.
    pub struct QuizSubmission {
        #[cfg_attr(feature = "openapi", schema(max_items = 100))]
        pub answers: Vec<QuizAnswer>,
    }
}

request_type! {
    /// Assigns a published course, due by a date: to everyone under the officer's unit, to one
    /// person (`case_id`), or to the people at one level (`level`).
    pub struct CourseAssign {
        #[serde(default)]
        pub case_id: Option<Uuid>,
        #[serde(default)]
        pub level: Option<SupervisionLevel>,
        pub due_on: NaiveDate,
    }
}

view_type! {
    pub struct CourseAssignmentView {
        pub id: Uuid,
        pub course_id: Uuid,
        pub unit_id: Uuid,
        pub case_id: Option<Uuid>,
        pub level: Option<SupervisionLevel>,
        pub due_on: NaiveDate,
        pub assigned_by: Option<Uuid>,
        pub created_at: DateTime<Utc>,
    }
}

view_type! {
    /// A course assigned to a person, with their progress in it.
    pub struct AssignedCourseView {
        pub assignment_id: Uuid,
        pub course_id: Uuid,
        pub course_title: String,
        pub due_on: NaiveDate,
        pub lessons: u32,
        /// Lessons done by their own rule (`move_on`: studied through, passed, or both).
        pub lessons_completed: u32,
        pub completed: bool,
        /// Past its date and not completed.
        pub overdue: bool,
    }
}

request_type! {
    /// A written reflection (观后感) on a lesson, or its rewrite once returned.
    pub struct ReflectionWrite {
        #[cfg_attr(feature = "openapi", schema(min_length = 100, max_length = 5000))]
        pub text: String,
    }
}

request_type! {
    /// An officer's review of a reflection at the version seen: accepted, or returned with
    /// what to improve.
    pub struct ReflectionReview {
        pub accept: bool,
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        pub comment: Option<String>,
        pub version: i32,
    }
}

view_type! {
    pub struct ReflectionView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub lesson_id: Uuid,
        pub lesson_title: String,
        pub text: String,
        pub status: ReflectionStatus,
        pub submitted_at: DateTime<Utc>,
        pub reviewed_by: Option<Uuid>,
        pub reviewed_at: Option<DateTime<Utc>>,
        /// The officer's comment (what to improve, when returned).
        pub comment: Option<String>,
        pub version: i32,
    }
}
