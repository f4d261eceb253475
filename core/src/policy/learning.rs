//! Education (教育学习): how many minutes of study a month a supervisee owes, and how the time
//! spent on a lesson is credited from the app's heartbeats. DOMAIN.md §5: the seeds' norm is at
//! least 8 hours a month (2012 Implementing Measures art. 15); the 2020 law leaves the hours to
//! local rules, so they are jurisdiction data, by supervision level.
//!
//! Crediting is evidence-based, not a timer the app reports: a step between two heartbeats
//! counts only while the lesson plays in the foreground with someone at the phone, only as far
//! as the video moved with the clock, and never more than one heartbeat interval plus grace;
//! the sum can never pass the wall-clock time the server saw since the session opened.
//! Heartbeats are taken once by sequence, so a retried one credits nothing twice.
//!
//! Pure: the server keeps the clock per session and applies what this returns.

use serde::{Deserialize, Serialize};

use super::level::ApprovalLevel;
use super::rollcall::ByLevel;
use super::transitions::{Machine, Rule, Who};
use crate::error::ErrorCode;
use crate::model::{string_enum, SupervisionLevel};

string_enum! {
    open
    /// What a course teaches (the categories the seeds' programmes report).
    CourseCategory {
        Law = "law",
        Psychology = "psychology",
        Vocational = "vocational",
        DrugPrevention = "drug_prevention",
        /// 警示教育.
        Warning = "warning",
        /// 入矫 / 解矫 education at the start and end of the term.
        EntryExit = "entry_exit",
    }
}

string_enum! {
    open
    /// Where a course stands: authored as a draft, published to the units under its own, or
    /// archived (no new study; the records stay).
    CourseStatus {
        Draft = "draft",
        Published = "published",
        Archived = "archived",
    }
}

string_enum! {
    /// What can happen to a course.
    CourseAction {
        Publish = "publish",
        Archive = "archive",
    }
}

/// Courses are authored and published at county level or above (the county agency runs
/// education; a judicial office assigns and follows it).
#[rustfmt::skip]
pub const COURSE: Machine<CourseStatus, CourseAction> = Machine {
    invalid: ErrorCode::CourseTransitionInvalid,
    below_level: ErrorCode::CourseAuthorLevel,
    invalid_for: &[],
    rules: &[
        Rule { action: CourseAction::Publish, from: &[CourseStatus::Draft], to: Some(CourseStatus::Published), who: Who::Officer(Some(ApprovalLevel::CountyAgency)) },
        Rule { action: CourseAction::Archive, from: &[CourseStatus::Draft, CourseStatus::Published], to: Some(CourseStatus::Archived), who: Who::Officer(Some(ApprovalLevel::CountyAgency)) },
    ],
};

string_enum! {
    open
    LessonKind {
        Video = "video",
        Audio = "audio",
        Text = "text",
        Pdf = "pdf",
        Quiz = "quiz",
    }
}

impl LessonKind {
    /// How the lesson is credited: video and audio by a position that moves with the clock,
    /// text and PDF by time open; a quiz is not credited by time (`None`).
    pub fn pacing(self, seek_allowed: bool) -> Option<Pacing> {
        match self {
            LessonKind::Video | LessonKind::Audio => Some(Pacing {
                timed_media: true,
                seek_allowed,
            }),
            LessonKind::Text | LessonKind::Pdf => Some(Pacing {
                timed_media: false,
                seek_allowed: true,
            }),
            LessonKind::Quiz | LessonKind::Unknown => None,
        }
    }
}

string_enum! {
    open
    /// A written reflection (观后感) on a lesson: submitted, then accepted by an officer or
    /// returned with a comment to be rewritten.
    ReflectionStatus {
        Submitted = "submitted",
        Accepted = "accepted",
        Returned = "returned",
    }
}

string_enum! {
    ReflectionAction {
        Accept = "accept",
        Return = "return",
        Resubmit = "resubmit",
    }
}

/// An officer of the case reviews; the person rewrites what came back.
#[rustfmt::skip]
pub const REFLECTION: Machine<ReflectionStatus, ReflectionAction> = Machine {
    invalid: ErrorCode::ReflectionTransitionInvalid,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: ReflectionAction::Accept, from: &[ReflectionStatus::Submitted], to: Some(ReflectionStatus::Accepted), who: Who::Officer(None) },
        Rule { action: ReflectionAction::Return, from: &[ReflectionStatus::Submitted], to: Some(ReflectionStatus::Returned), who: Who::Officer(None) },
        Rule { action: ReflectionAction::Resubmit, from: &[ReflectionStatus::Returned], to: Some(ReflectionStatus::Submitted), who: Who::Supervisee },
    ],
};

string_enum! {
    open
    /// A quiz attempt: open while the person answers; scored at once when every answer is
    /// marked by its key, or waiting for an officer to grade its written answers first.
    QuizAttemptStatus {
        Open = "open",
        AwaitingReview = "awaiting_review",
        Scored = "scored",
    }
}

string_enum! {
    QuizAttemptAction {
        /// Begins an attempt (a record is made; within the lesson's attempts).
        Start = "start",
        /// Hands in answers that the keys mark alone.
        Submit = "submit",
        /// Hands in answers with a written one, for an officer to grade.
        SubmitForReview = "submit_for_review",
        /// An officer of the case grades the written answers; the attempt is scored.
        Grade = "grade",
    }
}

/// The person answers once per attempt; an officer grades what is written.
#[rustfmt::skip]
pub const QUIZ_ATTEMPT: Machine<QuizAttemptStatus, QuizAttemptAction> = Machine {
    invalid: ErrorCode::QuizAttemptSubmitted,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[(QuizAttemptAction::Grade, ErrorCode::QuizNotAwaitingReview)],
    rules: &[
        Rule { action: QuizAttemptAction::Start, from: &[], to: Some(QuizAttemptStatus::Open), who: Who::Supervisee },
        Rule { action: QuizAttemptAction::Submit, from: &[QuizAttemptStatus::Open], to: Some(QuizAttemptStatus::Scored), who: Who::Supervisee },
        Rule { action: QuizAttemptAction::SubmitForReview, from: &[QuizAttemptStatus::Open], to: Some(QuizAttemptStatus::AwaitingReview), who: Who::Supervisee },
        Rule { action: QuizAttemptAction::Grade, from: &[QuizAttemptStatus::AwaitingReview], to: Some(QuizAttemptStatus::Scored), who: Who::Officer(None) },
    ],
};

/// A reflection is a real piece of writing: at least this many characters (Nanjing's
/// 手机微课堂 asks for a few hundred), at most `REFLECTION_MAX_CHARS`.
pub const REFLECTION_MIN_CHARS: usize = 100;
pub const REFLECTION_MAX_CHARS: usize = 5000;

/// Whether a reflection's text (trimmed) may be taken: its length in characters, then that it
/// is text (no control or invisible characters); why not, in both languages.
pub fn check_reflection(text: &str) -> Result<(), crate::Said> {
    let n = text.chars().count();
    if !(REFLECTION_MIN_CHARS..=REFLECTION_MAX_CHARS).contains(&n) {
        return Err(crate::Said::new(
            format!(
                "{REFLECTION_MIN_CHARS} to {REFLECTION_MAX_CHARS} characters of your own words"
            ),
            format!("须为 {REFLECTION_MIN_CHARS} 到 {REFLECTION_MAX_CHARS} 字的本人心得"),
        ));
    }
    super::text::check(
        text,
        REFLECTION_MAX_CHARS * 4,
        super::text::Shape::Paragraphs,
    )
    .map_err(|p| p.message())
}

string_enum! {
    open
    StudySessionStatus {
        Open = "open",
        /// Closed by the app, or by the server after the idle limit.
        Ended = "ended",
        /// Another device opened a lesson: one session a person at a time.
        Superseded = "superseded",
        /// A face check failed or was not answered in time: the time since the last passed
        /// check was taken back.
        Voided = "voided",
    }
}

string_enum! {
    open
    /// A face check while studying: planned for a moment of the session, asked when a
    /// heartbeat reaches that moment, settled by the person's check-ins after the asking.
    FaceCheckStatus {
        Scheduled = "scheduled",
        Asked = "asked",
        Passed = "passed",
        Failed = "failed",
        Missed = "missed",
    }
}

string_enum! {
    StudySessionAction {
        /// Closed by the app, or by the job after the idle limit.
        End = "end",
        /// Another lesson opened: one session a person at a time.
        Supersede = "supersede",
        /// A face check failed or was missed: the time since the last passed one is taken
        /// back, also from a session already ended.
        Void = "void",
    }
}

#[rustfmt::skip]
pub const STUDY_SESSION: Machine<StudySessionStatus, StudySessionAction> = Machine {
    invalid: ErrorCode::Conflict,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: StudySessionAction::End, from: &[StudySessionStatus::Open], to: Some(StudySessionStatus::Ended), who: Who::AnyOf(&[Who::Supervisee, Who::System]) },
        Rule { action: StudySessionAction::Supersede, from: &[StudySessionStatus::Open], to: Some(StudySessionStatus::Superseded), who: Who::Supervisee },
        Rule { action: StudySessionAction::Void, from: &[StudySessionStatus::Open, StudySessionStatus::Ended, StudySessionStatus::Superseded], to: Some(StudySessionStatus::Voided), who: Who::System },
    ],
};

string_enum! {
    FaceCheckAction {
        /// A heartbeat reached its moment: the person is asked to check in.
        Ask = "ask",
        Pass = "pass",
        Fail = "fail",
        /// Not answered by the deadline.
        Miss = "miss",
    }
}

#[rustfmt::skip]
pub const FACE_CHECK: Machine<FaceCheckStatus, FaceCheckAction> = Machine {
    invalid: ErrorCode::Conflict,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: FaceCheckAction::Ask, from: &[FaceCheckStatus::Scheduled], to: Some(FaceCheckStatus::Asked), who: Who::System },
        Rule { action: FaceCheckAction::Pass, from: &[FaceCheckStatus::Asked], to: Some(FaceCheckStatus::Passed), who: Who::System },
        Rule { action: FaceCheckAction::Fail, from: &[FaceCheckStatus::Asked], to: Some(FaceCheckStatus::Failed), who: Who::System },
        Rule { action: FaceCheckAction::Miss, from: &[FaceCheckStatus::Asked], to: Some(FaceCheckStatus::Missed), who: Who::System },
    ],
};

/// The moments of a session (seconds after it opens) at which a face check is asked: at the
/// start if the rules say so, then `face_checks_per_hour` per hour of the lesson (rounded up)
/// at moments drawn from `seed` (the session's own, so the server can replay them but the app
/// cannot guess them), never in the first minute. Sorted, each once.
pub fn face_check_moments(rules: &LearningRules, seed: u64, lesson_secs: u32) -> Vec<u32> {
    let mut out = Vec::new();
    if rules.face_check_at_start {
        out.push(0);
    }
    let n = (u64::from(lesson_secs) * u64::from(rules.face_checks_per_hour)).div_ceil(3600);
    if lesson_secs > 120 {
        let span = u64::from(lesson_secs - 60);
        let mut state = seed;
        for _ in 0..n {
            out.push(60 + (splitmix64(&mut state) % span) as u32);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// SplitMix64 (Steele, Lea, Flood 2014): a small, well-mixed sequence from a seed.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// How an asked face check stands, given the results of the person's check-ins since it was
/// asked: any pass settles it passed; otherwise a failure settles it failed; with neither by
/// the deadline it is missed (a check-in an officer must review does not prove the face now);
/// before the deadline it waits.
pub fn settle_face_check(
    results: &[crate::policy::checkin::CheckinResult],
    deadline_passed: bool,
) -> Option<FaceCheckAction> {
    use crate::policy::checkin::CheckinResult;
    if results.contains(&CheckinResult::Passed) {
        Some(FaceCheckAction::Pass)
    } else if results.contains(&CheckinResult::Failed) {
        Some(FaceCheckAction::Fail)
    } else if deadline_passed {
        Some(FaceCheckAction::Miss)
    } else {
        None
    }
}

string_enum! {
    open
    /// Where credited minutes come from.
    CreditSource {
        /// Online study (heartbeats).
        Lesson = "lesson",
        /// A group lecture attended.
        Lecture = "lecture",
        /// An officer's correction, with a reason (audited).
        Adjustment = "adjustment",
        /// A community-service activity, verified on site.
        Service = "service",
    }
}

string_enum! {
    open
    /// The monthly obligations the ledger keeps (DOMAIN.md §5: at least 8 hours of each).
    Obligation {
        /// 教育学习: lessons, lectures.
        Education = "education",
        /// 公益活动: community-service activities.
        CommunityService = "community_service",
    }
}

/// A lesson is completed once it was studied for its minimum and, for video and audio, played
/// to near its end (the last 5 % or 30 s may be skipped: credits roll).
pub fn lesson_completed(
    kind: LessonKind,
    duration_secs: u32,
    min_minutes: u32,
    clock: &StudyClock,
) -> bool {
    let studied = clock.credited_ms >= u64::from(min_minutes) * 60_000;
    let played = match kind.pacing(false) {
        Some(p) if p.timed_media => {
            let end = u64::from(duration_secs) * 1000;
            clock.furthest_ms + (end / 20).min(30_000) >= end
        }
        _ => true,
    };
    studied && played
}

string_enum! {
    open
    /// When a lesson counts as done (cmi5 `moveOn`): studied through (`completed`), its
    /// questions passed (`passed`), both, or either one.
    MoveOn {
        Completed = "completed",
        Passed = "passed",
        CompletedAndPassed = "completed_and_passed",
        CompletedOrPassed = "completed_or_passed",
    }
}

impl MoveOn {
    /// A lesson's rule when its author names none: a quiz is passed; anything else is
    /// studied through, and passed as well when it has questions.
    pub fn default_for(kind: LessonKind, has_questions: bool) -> MoveOn {
        match (kind, has_questions) {
            (LessonKind::Quiz, _) => MoveOn::Passed,
            (_, true) => MoveOn::CompletedAndPassed,
            (_, false) => MoveOn::Completed,
        }
    }

    /// Whether the rule can be met by this lesson: a pass needs questions, studying needs a
    /// lesson credited by the clock (not a quiz).
    pub fn fits(self, kind: LessonKind, has_questions: bool) -> bool {
        let studied = kind.pacing(false).is_some();
        match self {
            MoveOn::Completed => studied,
            MoveOn::Passed => has_questions,
            MoveOn::CompletedAndPassed | MoveOn::CompletedOrPassed => studied && has_questions,
            MoveOn::Unknown => false,
        }
    }

    /// Whether a lesson studied through (`completed`) and/or passed (`passed`) is done.
    pub fn met(self, completed: bool, passed: bool) -> bool {
        self.met_at(completed.then_some(()), passed.then_some(()))
            .is_some()
    }

    /// When the rule was met, from when the lesson was first studied through and first
    /// passed (each a moment, with whatever the caller keeps beside it): the later of the two
    /// when both are needed, the earlier when either will do.
    pub fn met_at<T: Ord>(self, completed: Option<T>, passed: Option<T>) -> Option<T> {
        match self {
            MoveOn::Completed => completed,
            MoveOn::Passed => passed,
            MoveOn::CompletedAndPassed => Some(completed?.max(passed?)),
            MoveOn::CompletedOrPassed => match (completed, passed) {
                (Some(c), Some(p)) => Some(c.min(p)),
                (c, p) => c.or(p),
            },
            MoveOn::Unknown => None,
        }
    }
}

/// A lesson's own face checks, in place of the jurisdiction's (`[rules.learning]`): none for
/// a short reading, say, or more for the exit-education video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FaceCheckPolicy {
    /// Ask for a face check-in as the lesson starts.
    pub at_start: bool,
    /// Checks at random moments, this many per hour of lesson (0 to 12).
    #[cfg_attr(feature = "openapi", schema(maximum = 12))]
    pub per_hour: u32,
}

impl FaceCheckPolicy {
    pub const MAX_PER_HOUR: u32 = 12;
}

/// A jurisdiction's education rules (`[rules.learning]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LearningRules {
    /// Minutes of education owed each calendar month (China time), by the level in force.
    pub minutes_per_month: ByLevel,
    /// Seconds between the app's heartbeats while a lesson is open.
    pub heartbeat_secs: u32,
    /// Slack allowed on each step for timers and the network.
    pub grace_secs: u32,
    /// With no touch or key for this long the person is not studying: the clock stops.
    pub idle_stop_secs: u32,
    /// A group lecture's attendance code changes this often (seconds).
    pub lecture_code_secs: u32,
    /// Scanning opens this many minutes before a lecture starts.
    pub lecture_opens_before_mins: u32,
    /// Arriving more than this many minutes after the start is late: credited from arrival.
    pub lecture_late_mins: u32,
    /// A face check-in proves presence at a lecture for this many seconds after it passed.
    pub lecture_face_fresh_secs: u32,
    /// Ask for a face check-in as a lesson starts (for people with an enrolled face).
    pub face_check_at_start: bool,
    /// Further face checks at random moments, this many per hour of lesson (0: none).
    pub face_checks_per_hour: u32,
    /// Seconds the person has to check in once asked.
    pub face_check_deadline_secs: u32,
}

impl Default for LearningRules {
    fn default() -> Self {
        LearningRules {
            minutes_per_month: ByLevel {
                strict: 480,
                normal: 480,
                lenient: 480,
            },
            heartbeat_secs: 30,
            grace_secs: 10,
            idle_stop_secs: 300,
            lecture_code_secs: 30,
            lecture_opens_before_mins: 30,
            lecture_late_mins: 10,
            lecture_face_fresh_secs: 300,
            face_check_at_start: false,
            face_checks_per_hour: 0,
            face_check_deadline_secs: 180,
        }
    }
}

impl LearningRules {
    /// The rules a lesson is studied under: its own face checks when it has them.
    pub fn for_lesson(&self, own: Option<FaceCheckPolicy>) -> LearningRules {
        match own {
            Some(p) => LearningRules {
                face_check_at_start: p.at_start,
                face_checks_per_hour: p.per_hour,
                ..*self
            },
            None => *self,
        }
    }

    pub fn check(&self) -> Result<(), String> {
        if self.heartbeat_secs == 0 || self.heartbeat_secs > 600 {
            return Err("heartbeat_secs must be 1 to 600".into());
        }
        if self.grace_secs > self.heartbeat_secs {
            return Err("grace_secs must not exceed heartbeat_secs".into());
        }
        if self.idle_stop_secs < self.heartbeat_secs {
            return Err("idle_stop_secs must be at least heartbeat_secs".into());
        }
        if !(10..=300).contains(&self.lecture_code_secs) {
            return Err("lecture_code_secs must be 10 to 300".into());
        }
        if self.face_checks_per_hour > FaceCheckPolicy::MAX_PER_HOUR
            || !(30..=900).contains(&self.face_check_deadline_secs)
        {
            return Err(
                "face_checks_per_hour must be at most 12, face_check_deadline_secs 30 to 900"
                    .into(),
            );
        }
        if !(30..=1800).contains(&self.lecture_face_fresh_secs) {
            return Err("lecture_face_fresh_secs must be 30 to 1800".into());
        }
        if self.lecture_opens_before_mins > 240 || self.lecture_late_mins > 120 {
            return Err(
                "lecture_opens_before_mins must be at most 240, lecture_late_mins at most 120"
                    .into(),
            );
        }
        Ok(())
    }

    /// Minutes owed in a month at `level`.
    pub fn owed_minutes(&self, level: SupervisionLevel) -> u32 {
        self.minutes_per_month.of(level)
    }
}

/// What the app reports every `heartbeat_secs` while a lesson is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beat {
    /// 1, 2, 3… within the session; a number already taken is a retry.
    pub seq: u32,
    /// The phone's clock, milliseconds (only differences between beats are used).
    pub client_ms: i64,
    /// Playback position in the lesson's media, milliseconds (0 for text).
    pub position_ms: u64,
    /// The media is playing (for text: the page is open).
    pub playing: bool,
    /// The app is in the foreground with the screen on.
    pub foreground: bool,
    /// Seconds since the last touch or key.
    pub idle_secs: u32,
}

/// How a lesson may be studied, as crediting needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pacing {
    /// Video or audio: the position must advance with the clock.
    pub timed_media: bool,
    /// Whether jumping ahead is allowed (else a jump credits nothing).
    pub seek_allowed: bool,
}

/// A session's clock: the last beat taken and what has been credited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StudyClock {
    /// The last beat taken (0: none yet).
    pub last_seq: u32,
    pub last_client_ms: i64,
    pub last_position_ms: u64,
    /// Whether the last beat was studying (playing, foreground, not idle).
    pub last_studying: bool,
    pub credited_ms: u64,
    /// The furthest position reached by playing (not by jumping), milliseconds.
    pub furthest_ms: u64,
}

/// Why a beat credited nothing (or less than its step), for the session's evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoCredit {
    /// A sequence number already taken (a retry) or older than the last.
    Repeated,
    /// The first beat: it starts the clock.
    Started,
    /// Paused, in the background, or idle, at this beat or the one before.
    NotStudying,
    /// The phone's clock went backwards.
    ClockBack,
    /// The position jumped ahead of the clock where seeking is not allowed, or went back.
    Seeked,
    /// The step was longer than a heartbeat plus grace (a lost beat, a sleeping phone): the
    /// excess is not credited.
    Capped,
    /// The server has not seen that much time pass since the session opened.
    WallClock,
}

impl NoCredit {
    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            NoCredit::Repeated => "repeated",
            NoCredit::Started => "started",
            NoCredit::NotStudying => "not_studying",
            NoCredit::ClockBack => "clock_back",
            NoCredit::Seeked => "seeked",
            NoCredit::Capped => "capped",
            NoCredit::WallClock => "wall_clock",
        }
    }
}

/// The outcome of one beat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credit {
    pub clock: StudyClock,
    /// Milliseconds this beat added.
    pub added_ms: u64,
    /// Why it added nothing or less than its step; `None` when the whole step counted.
    pub cut: Option<NoCredit>,
}

/// Takes one beat into a session's clock. `wall_ms` is the time the server has seen pass since
/// the session opened (its own clock at the beat's arrival): the credit never goes past it.
pub fn credit(
    clock: &StudyClock,
    beat: &Beat,
    pacing: Pacing,
    rules: &LearningRules,
    wall_ms: u64,
) -> Credit {
    let unchanged = |cut| Credit {
        clock: *clock,
        added_ms: 0,
        cut: Some(cut),
    };
    if beat.seq <= clock.last_seq {
        return unchanged(NoCredit::Repeated);
    }
    let studying = beat.playing && beat.foreground && beat.idle_secs < rules.idle_stop_secs;
    let mut next = StudyClock {
        last_seq: beat.seq,
        last_client_ms: beat.client_ms,
        last_position_ms: beat.position_ms,
        last_studying: studying,
        ..*clock
    };
    let (step, cut) = if clock.last_seq == 0 {
        (0, Some(NoCredit::Started))
    } else if !studying || !clock.last_studying {
        (0, Some(NoCredit::NotStudying))
    } else if beat.client_ms < clock.last_client_ms {
        (0, Some(NoCredit::ClockBack))
    } else {
        // The phone's clock is the app's to send: no value of it may overflow the arithmetic.
        let elapsed = beat.client_ms.saturating_sub(clock.last_client_ms) as u64;
        let grace = u64::from(rules.grace_secs) * 1000;
        let (step, cut) = if !pacing.timed_media {
            (elapsed, None)
        } else if beat.position_ms < clock.last_position_ms {
            (0, Some(NoCredit::Seeked))
        } else {
            let moved = beat.position_ms - clock.last_position_ms;
            if moved > elapsed + grace && !pacing.seek_allowed {
                (0, Some(NoCredit::Seeked))
            } else {
                // Played for at most as long as the clock ran, and no longer than it moved.
                if moved <= elapsed + grace {
                    next.furthest_ms = next.furthest_ms.max(beat.position_ms);
                }
                (elapsed.min(moved), None)
            }
        };
        let cap = u64::from(rules.heartbeat_secs) * 1000 + grace;
        if step > cap {
            (cap, Some(NoCredit::Capped))
        } else {
            (step, cut)
        }
    };
    let room = wall_ms.saturating_sub(clock.credited_ms);
    let (added, cut) = if step > room {
        (room, Some(NoCredit::WallClock))
    } else {
        (step, cut)
    };
    next.credited_ms = clock.credited_ms + added;
    Credit {
        clock: next,
        added_ms: added,
        cut,
    }
}

/// The minutes owed in `month` (`YYYY-MM`) by someone under supervision from `start` to `end`
/// (inclusive): the monthly minutes at their level, in proportion to the days of the month
/// they were under supervision (a term starting on the 16th of a 30-day month owes half). `None` for a
/// month that is not `YYYY-MM`.
pub fn owed_in_month(
    minutes_per_month: u32,
    month: &str,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
) -> Option<u32> {
    let month = super::calendar::Month::parse(month)?;
    let (first, next) = (month.first_day(), month.next().first_day());
    let days_in_month = month.days();
    let from = start.max(first);
    let until = (end + chrono::Duration::days(1)).min(next);
    let days = (until - from).num_days().clamp(0, days_in_month);
    let owed = u64::from(minutes_per_month) * days as u64 / days_in_month as u64;
    Some(owed as u32)
}

/// Where a month stands: the minutes credited (never below zero, whatever adjustments took
/// away) and the minutes still short of what is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub credited_minutes: i64,
    pub short_minutes: i64,
}

/// A month's standing from the minutes owed and the milliseconds credited from every source.
pub fn month_standing(owed_minutes: u32, credited_ms: i64) -> Standing {
    let credited_minutes = credited_ms.max(0) / 60_000;
    Standing {
        credited_minutes,
        short_minutes: (i64::from(owed_minutes) - credited_minutes).max(0),
    }
}

/// How a month short of its minutes is raised: the first shortfall is a notice to the officer
/// (who tells the person); short again the next month — skipping education after being told —
/// warrants an admonition (Implementing Measures 2020 art. 35).
pub fn shortfall_escalation(
    short_before: bool,
) -> (
    crate::model::AlertSeverity,
    Option<super::sanctions::Sanction>,
) {
    use crate::model::AlertSeverity;
    if short_before {
        (
            AlertSeverity::High,
            Some(super::sanctions::Sanction::Admonition),
        )
    } else {
        (AlertSeverity::Medium, None)
    }
}

/// Whom a course assignment reaches: everyone under the assigning unit (`unit_path`), or only
/// one person, or only the people at one supervision level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentTarget<'a> {
    pub unit_path: &'a str,
    pub case_id: Option<uuid::Uuid>,
    pub level: Option<SupervisionLevel>,
}

/// Whether an assignment reaches a case of unit path `case_unit_path` at `level`.
pub fn assignment_reaches(
    target: &AssignmentTarget<'_>,
    case_id: uuid::Uuid,
    case_unit_path: &str,
    level: SupervisionLevel,
) -> bool {
    case_unit_path.starts_with(target.unit_path)
        && target.case_id.is_none_or(|c| c == case_id)
        && target.level.is_none_or(|l| l == level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    const VIDEO: Pacing = Pacing {
        timed_media: true,
        seek_allowed: false,
    };
    const TEXT: Pacing = Pacing {
        timed_media: false,
        seek_allowed: true,
    };

    fn beat(seq: u32, secs: i64, position_secs: u64) -> Beat {
        Beat {
            seq,
            client_ms: secs * 1000,
            position_ms: position_secs * 1000,
            playing: true,
            foreground: true,
            idle_secs: 0,
        }
    }

    /// Runs beats through a fresh clock with plenty of wall-clock room.
    fn run(beats: &[Beat], pacing: Pacing) -> (StudyClock, Vec<Credit>) {
        let rules = LearningRules::default();
        let mut clock = StudyClock::default();
        let mut out = Vec::new();
        for b in beats {
            let c = credit(&clock, b, pacing, &rules, u64::MAX);
            clock = c.clock;
            out.push(c);
        }
        (clock, out)
    }

    #[test]
    fn watching_in_step_with_the_clock_is_credited() {
        let (clock, credits) = run(&[beat(1, 0, 0), beat(2, 30, 30), beat(3, 60, 60)], VIDEO);
        assert_eq!(credits[0].cut, Some(NoCredit::Started));
        assert_eq!(clock.credited_ms, 60_000);
        assert_eq!(clock.furthest_ms, 60_000);
    }

    #[test]
    fn a_retried_beat_credits_nothing_twice() {
        let b = [
            beat(1, 0, 0),
            beat(2, 30, 30),
            beat(2, 30, 30),
            beat(1, 0, 0),
        ];
        let (clock, credits) = run(&b, VIDEO);
        assert_eq!(clock.credited_ms, 30_000);
        assert_eq!(credits[2].cut, Some(NoCredit::Repeated));
        assert_eq!(credits[3].added_ms, 0);
    }

    #[test]
    fn jumping_ahead_credits_nothing_where_seeking_is_not_allowed() {
        let b = [beat(1, 0, 0), beat(2, 30, 600), beat(3, 60, 630)];
        let (clock, credits) = run(&b, VIDEO);
        assert_eq!(credits[1].cut, Some(NoCredit::Seeked));
        assert_eq!(clock.credited_ms, 30_000, "only the step after the jump");
        assert_eq!(clock.furthest_ms, 630_000);
        let (clock, _) = run(
            &b,
            Pacing {
                seek_allowed: true,
                ..VIDEO
            },
        );
        assert_eq!(
            clock.credited_ms, 60_000,
            "a jump allowed still counts its clock time only"
        );
    }

    #[test]
    fn paused_background_or_idle_stops_the_clock() {
        let mut paused = beat(2, 30, 30);
        paused.playing = false;
        let mut away = beat(2, 30, 30);
        away.foreground = false;
        let mut idle = beat(2, 30, 30);
        idle.idle_secs = 300;
        for b in [paused, away, idle] {
            let (clock, credits) = run(&[beat(1, 0, 0), b, beat(3, 60, 60)], VIDEO);
            assert_eq!(credits[1].cut, Some(NoCredit::NotStudying));
            assert_eq!(
                credits[2].cut,
                Some(NoCredit::NotStudying),
                "the step after a pause starts the clock again"
            );
            assert_eq!(clock.credited_ms, 0);
        }
    }

    #[test]
    fn a_long_step_is_capped_at_a_heartbeat_plus_grace() {
        let (clock, credits) = run(&[beat(1, 0, 0), beat(2, 600, 0)], TEXT);
        assert_eq!(credits[1].cut, Some(NoCredit::Capped));
        assert_eq!(clock.credited_ms, 40_000);
    }

    #[test]
    fn the_phones_clock_going_back_credits_nothing() {
        let (clock, credits) = run(&[beat(1, 100, 0), beat(2, 50, 0)], TEXT);
        assert_eq!(credits[1].cut, Some(NoCredit::ClockBack));
        assert_eq!(clock.credited_ms, 0);
    }

    #[test]
    fn any_clock_values_the_app_sends_are_safe() {
        let rules = LearningRules::default();
        let mut clock = StudyClock::default();
        for (seq, ms) in [(1, i64::MIN), (2, i64::MAX), (3, i64::MIN), (4, i64::MAX)] {
            let b = Beat {
                client_ms: ms,
                position_ms: u64::MAX / 4,
                ..beat(seq, 0, 0)
            };
            let c = credit(&clock, &b, VIDEO, &rules, 10_000);
            assert!(c.clock.credited_ms <= 10_000);
            clock = c.clock;
        }
    }

    #[test]
    fn never_more_than_the_server_saw_pass() {
        let rules = LearningRules::default();
        let c = credit(&StudyClock::default(), &beat(1, 0, 0), TEXT, &rules, 0);
        // A phone whose clock runs fast claims 30 s where the server saw 5 s.
        let c = credit(&c.clock, &beat(2, 30, 0), TEXT, &rules, 5_000);
        assert_eq!((c.added_ms, c.cut), (5_000, Some(NoCredit::WallClock)));
    }

    /// Properties over many random sessions (seeded): whatever the app sends, in whatever
    /// order and however often, the credit never passes the wall clock, never decreases, never
    /// counts a sequence number twice, and a jump ahead (not allowed) adds nothing.
    #[test]
    fn properties_hold_for_random_sessions() {
        let rules = LearningRules::default();
        let mut rng = rand::rngs::StdRng::seed_from_u64(16);
        for _ in 0..2_000 {
            let pacing = Pacing {
                timed_media: rng.gen_bool(0.7),
                seek_allowed: rng.gen_bool(0.3),
            };
            let mut clock = StudyClock::default();
            let (mut client, mut position, mut wall) = (0i64, 0u64, 0u64);
            let mut taken = std::collections::BTreeSet::new();
            let mut sent: Vec<Beat> = Vec::new();
            for seq in 1..rng.gen_range(2..60u32) {
                let dt = rng.gen_range(0..90_000u64);
                wall += rng.gen_range(0..90_000u64);
                client += dt as i64 * if rng.gen_bool(0.05) { -1 } else { 1 };
                position = match rng.gen_range(0..10) {
                    0 => position + rng.gen_range(0..3_000_000),
                    1 => position.saturating_sub(rng.gen_range(0..60_000)),
                    _ => position + dt,
                };
                let b = Beat {
                    seq,
                    client_ms: client,
                    position_ms: position,
                    playing: rng.gen_bool(0.9),
                    foreground: rng.gen_bool(0.9),
                    idle_secs: rng.gen_range(0..400),
                };
                sent.push(b);
                // Retries and stale beats come back at random.
                let b = if rng.gen_bool(0.2) {
                    sent[rng.gen_range(0..sent.len())]
                } else {
                    b
                };
                let before = clock;
                let c = credit(&clock, &b, pacing, &rules, wall);
                assert!(c.clock.credited_ms >= before.credited_ms, "never decreases");
                assert!(
                    c.clock.credited_ms <= wall.max(before.credited_ms),
                    "within the wall clock"
                );
                assert!(c.added_ms <= u64::from(rules.heartbeat_secs + rules.grace_secs) * 1000);
                if !taken.insert(b.seq) || b.seq <= before.last_seq {
                    assert_eq!(c.added_ms, 0, "a sequence number counts once");
                    assert_eq!(c.clock, before);
                }
                if pacing.timed_media
                    && !pacing.seek_allowed
                    && b.position_ms
                        > before.last_position_ms
                            + (b.client_ms - before.last_client_ms).max(0) as u64
                            + u64::from(rules.grace_secs) * 1000
                {
                    assert_eq!(c.added_ms, 0, "a jump ahead adds nothing");
                }
                clock = c.clock;
            }
        }
    }

    #[test]
    fn a_video_is_completed_when_studied_long_enough_and_played_to_its_end() {
        let clock = |credited_s: u64, furthest_s: u64| StudyClock {
            credited_ms: credited_s * 1000,
            furthest_ms: furthest_s * 1000,
            ..StudyClock::default()
        };
        assert!(lesson_completed(
            LessonKind::Video,
            600,
            10,
            &clock(600, 580)
        ));
        assert!(
            !lesson_completed(LessonKind::Video, 600, 10, &clock(600, 300)),
            "not played through"
        );
        assert!(
            !lesson_completed(LessonKind::Video, 600, 10, &clock(590, 600)),
            "not long enough"
        );
        assert!(lesson_completed(LessonKind::Text, 0, 5, &clock(300, 0)));
        assert_eq!(
            LessonKind::Quiz.pacing(false),
            None,
            "a quiz is not studied by time"
        );
    }

    #[test]
    fn a_term_starting_or_ending_inside_a_month_owes_its_share() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let r = LearningRules::default();
        let owed = |start, end| {
            owed_in_month(
                r.owed_minutes(SupervisionLevel::Normal),
                "2026-11",
                d(start),
                d(end),
            )
        };
        assert_eq!(
            owed("2025-01-01", "2027-01-01"),
            Some(480),
            "the whole month"
        );
        assert_eq!(
            owed("2026-11-16", "2027-01-01"),
            Some(240),
            "from the 16th of 30 days"
        );
        assert_eq!(
            owed("2025-01-01", "2026-11-15"),
            Some(240),
            "until the 15th"
        );
        assert_eq!(
            owed("2026-12-01", "2027-01-01"),
            Some(0),
            "not yet under supervision"
        );
        assert_eq!(
            owed_in_month(
                r.owed_minutes(SupervisionLevel::Normal),
                "2026-13",
                d("2025-01-01"),
                d("2027-01-01")
            ),
            None
        );
    }

    #[test]
    fn a_months_standing_counts_whole_minutes_and_never_below_zero() {
        assert_eq!(
            month_standing(480, 90 * 60_000 + 59_999),
            Standing {
                credited_minutes: 90,
                short_minutes: 390
            }
        );
        assert_eq!(
            month_standing(480, 600 * 60_000),
            Standing {
                credited_minutes: 600,
                short_minutes: 0
            }
        );
        assert_eq!(
            month_standing(480, -60 * 60_000),
            Standing {
                credited_minutes: 0,
                short_minutes: 480
            },
            "an adjustment taking away more than was credited"
        );
    }

    #[test]
    fn short_again_after_being_told_suggests_an_admonition() {
        use crate::model::AlertSeverity;
        use crate::policy::sanctions::Sanction;
        assert_eq!(shortfall_escalation(false), (AlertSeverity::Medium, None));
        assert_eq!(
            shortfall_escalation(true),
            (AlertSeverity::High, Some(Sanction::Admonition))
        );
    }

    #[test]
    fn an_assignment_reaches_the_unit_the_person_or_the_level_it_names() {
        let me = uuid::Uuid::from_u128(1);
        let other = uuid::Uuid::from_u128(2);
        let all = AssignmentTarget {
            unit_path: "/p/c/k/",
            case_id: None,
            level: None,
        };
        assert!(assignment_reaches(
            &all,
            me,
            "/p/c/k/o/",
            SupervisionLevel::Normal
        ));
        assert!(!assignment_reaches(
            &all,
            me,
            "/p/c/x/o/",
            SupervisionLevel::Normal
        ));
        let one = AssignmentTarget {
            case_id: Some(me),
            ..all.clone()
        };
        assert!(assignment_reaches(
            &one,
            me,
            "/p/c/k/o/",
            SupervisionLevel::Normal
        ));
        assert!(!assignment_reaches(
            &one,
            other,
            "/p/c/k/o/",
            SupervisionLevel::Normal
        ));
        let strict = AssignmentTarget {
            level: Some(SupervisionLevel::Strict),
            ..all
        };
        assert!(assignment_reaches(
            &strict,
            me,
            "/p/c/k/o/",
            SupervisionLevel::Strict
        ));
        assert!(!assignment_reaches(
            &strict,
            me,
            "/p/c/k/o/",
            SupervisionLevel::Lenient
        ));
    }

    #[test]
    fn face_checks_fall_at_seeded_moments_of_the_lesson() {
        let off = LearningRules::default();
        assert!(face_check_moments(&off, 7, 3600).is_empty());
        let rules = LearningRules {
            face_check_at_start: true,
            face_checks_per_hour: 2,
            ..LearningRules::default()
        };
        let a = face_check_moments(&rules, 7, 5400);
        // At the start, then ceil(1.5 h × 2) = 3 more, after the first minute, in the lesson.
        assert_eq!(a.len(), 4, "{a:?}");
        assert_eq!(a[0], 0);
        assert!(a[1..].iter().all(|&t| (60..5400).contains(&t)), "{a:?}");
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        // The same session gives the same moments; another session others.
        assert_eq!(a, face_check_moments(&rules, 7, 5400));
        assert_ne!(a, face_check_moments(&rules, 8, 5400));
        // A lesson of two minutes or less is checked at the start only.
        assert_eq!(face_check_moments(&rules, 7, 120), vec![0]);
    }

    #[test]
    fn an_asked_face_check_is_settled_by_the_check_ins_after_it() {
        use crate::policy::checkin::CheckinResult::*;
        assert_eq!(settle_face_check(&[], false), None);
        assert_eq!(settle_face_check(&[NeedsReview], false), None);
        assert_eq!(
            settle_face_check(&[NeedsReview], true),
            Some(FaceCheckAction::Miss)
        );
        assert_eq!(settle_face_check(&[], true), Some(FaceCheckAction::Miss));
        assert_eq!(
            settle_face_check(&[Failed], false),
            Some(FaceCheckAction::Fail)
        );
        // A failed try and then the right face: passed.
        assert_eq!(
            settle_face_check(&[Failed, Passed], true),
            Some(FaceCheckAction::Pass)
        );
    }

    #[test]
    fn rules_are_checked() {
        assert_eq!(LearningRules::default().check(), Ok(()));
        let r = LearningRules {
            idle_stop_secs: 10,
            ..LearningRules::default()
        };
        assert!(r.check().is_err());
        assert_eq!(
            LearningRules::default().owed_minutes(SupervisionLevel::Normal),
            480
        );
    }

    #[test]
    fn a_lesson_is_done_by_its_move_on_rule() {
        use MoveOn::*;
        // The cmi5 moveOn values, each against (studied through, passed).
        let table = [
            (Completed, [false, false, true, true]),
            (Passed, [false, true, false, true]),
            (CompletedAndPassed, [false, false, false, true]),
            (CompletedOrPassed, [false, true, true, true]),
            (Unknown, [false, false, false, false]),
        ];
        for (rule, want) in table {
            let got = [(false, false), (false, true), (true, false), (true, true)]
                .map(|(c, p)| rule.met(c, p));
            assert_eq!(got, want, "{rule:?}");
        }
        // Met when the last needed thing happened, or the first that is enough.
        assert_eq!(CompletedAndPassed.met_at(Some(5), Some(9)), Some(9));
        assert_eq!(CompletedAndPassed.met_at(Some(5), None), None);
        assert_eq!(CompletedOrPassed.met_at(Some(5), Some(9)), Some(5));
        assert_eq!(CompletedOrPassed.met_at(None, Some(9)), Some(9));
        assert_eq!(Passed.met_at(Some(5), Some(9)), Some(9));
    }

    #[test]
    fn a_move_on_rule_must_be_one_the_lesson_can_meet() {
        use LessonKind::*;
        assert_eq!(MoveOn::default_for(Quiz, true), MoveOn::Passed);
        assert_eq!(MoveOn::default_for(Video, false), MoveOn::Completed);
        assert_eq!(MoveOn::default_for(Video, true), MoveOn::CompletedAndPassed);
        for kind in [Video, Audio, Text, Pdf, Quiz] {
            for q in [false, true] {
                assert!(
                    MoveOn::default_for(kind, q).fits(kind, q) || (kind == Quiz && !q),
                    "{kind:?} {q}"
                );
            }
        }
        assert!(!MoveOn::Passed.fits(Video, false), "nothing to pass");
        assert!(
            !MoveOn::Completed.fits(Quiz, true),
            "a quiz is not studied by the clock"
        );
        assert!(!MoveOn::CompletedOrPassed.fits(Text, false));
        assert!(MoveOn::CompletedOrPassed.fits(Text, true));
    }

    #[test]
    fn a_lessons_own_face_checks_replace_the_jurisdictions() {
        let rules = LearningRules {
            face_check_at_start: true,
            face_checks_per_hour: 2,
            ..LearningRules::default()
        };
        assert_eq!(rules.for_lesson(None), rules);
        let none = rules.for_lesson(Some(FaceCheckPolicy {
            at_start: false,
            per_hour: 0,
        }));
        assert!(face_check_moments(&none, 7, 3600).is_empty());
        let more = rules.for_lesson(Some(FaceCheckPolicy {
            at_start: true,
            per_hour: 6,
        }));
        assert_eq!(face_check_moments(&more, 7, 3600).len(), 7);
        assert_eq!(
            more.heartbeat_secs, rules.heartbeat_secs,
            "only the checks change"
        );
    }
}
