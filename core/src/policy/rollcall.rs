//! Video roll calls (视频点名): the system or an officer calls, the supervisee must answer live
//! within a deadline, and the server — a peer of the call — judges the video frame by frame:
//! the face must be the enrolled person's in enough of the sampled frames, and a random head
//! turn asked during the call must be shown within seconds, which a still photo or a replayed
//! clip cannot do on cue. DOMAIN.md §6 (monitoring; roll-call rate per level, one level
//! stricter in a sensitive period); misses escalate towards the measures' sanctions (Implementing
//! Measures 2020 art. 35: failing to report as required → admonition; admonished and not
//! corrected → warning, art. 36).
//!
//! Pure: the server feeds frames' findings and times, and applies the state table.

use serde::{Deserialize, Serialize};

use super::liveness::{LivenessRules, Pose};
use super::sanctions::Sanction;
use super::schedule::DailyBand;
use super::transitions::{Machine, Rule, Who};
use super::{effective_level, Jurisdiction};
use crate::error::ErrorCode;
use crate::model::{string_enum, AlertSeverity, SupervisionLevel};

string_enum! {
    open
    /// Where a roll call stands.
    RollCallStatus {
        /// Set for later (an officer's call for a given time).
        Scheduled = "scheduled",
        /// The supervisee's phone is being called; the answer deadline runs.
        Ringing = "ringing",
        /// The supervisee accepted; the media connection is being set up.
        Answered = "answered",
        /// Video arrives and is being judged.
        Verifying = "verifying",
        Passed = "passed",
        Failed = "failed",
        /// The frames were not conclusive: an officer decides from the snapshots.
        NeedsReview = "needs_review",
        /// Not answered (or not brought to a verdict) before the deadline.
        Missed = "missed",
        /// An officer excused it, with a reason (ill, in hospital, called off).
        Excused = "excused",
    }
}

string_enum! {
    /// What can happen to a roll call.
    RollCallAction {
        Ring = "ring",
        Answer = "answer",
        /// Media flows: judging starts.
        Verify = "verify",
        Pass = "pass",
        Fail = "fail",
        Refer = "refer",
        /// The connection dropped before a verdict: it rings again until the deadline.
        Drop = "drop",
        Miss = "miss",
        Excuse = "excuse",
        /// An officer's decision on a call that needs review.
        Confirm = "confirm",
        Reject = "reject",
    }
}

use RollCallStatus as R;
#[rustfmt::skip]
pub const ROLL_CALL: Machine<RollCallStatus, RollCallAction> = Machine {
    invalid: ErrorCode::RollCallTransitionInvalid,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: RollCallAction::Ring, from: &[R::Scheduled], to: Some(R::Ringing), who: Who::System },
        Rule { action: RollCallAction::Answer, from: &[R::Ringing], to: Some(R::Answered), who: Who::Supervisee },
        Rule { action: RollCallAction::Verify, from: &[R::Answered], to: Some(R::Verifying), who: Who::System },
        Rule { action: RollCallAction::Pass, from: &[R::Verifying], to: Some(R::Passed), who: Who::System },
        Rule { action: RollCallAction::Fail, from: &[R::Verifying], to: Some(R::Failed), who: Who::System },
        Rule { action: RollCallAction::Refer, from: &[R::Verifying], to: Some(R::NeedsReview), who: Who::System },
        Rule { action: RollCallAction::Drop, from: &[R::Answered, R::Verifying], to: Some(R::Ringing), who: Who::System },
        Rule { action: RollCallAction::Miss, from: &[R::Ringing, R::Answered, R::Verifying], to: Some(R::Missed), who: Who::System },
        Rule { action: RollCallAction::Excuse, from: &[R::Scheduled, R::Ringing, R::Missed, R::Failed], to: Some(R::Excused), who: Who::Officer(None) },
        Rule { action: RollCallAction::Confirm, from: &[R::NeedsReview], to: Some(R::Passed), who: Who::Officer(None) },
        Rule { action: RollCallAction::Reject, from: &[R::NeedsReview], to: Some(R::Failed), who: Who::Officer(None) },
    ],
};

/// States in which a case has a roll call open: never two at once.
pub const OPEN: [RollCallStatus; 4] = [R::Scheduled, R::Ringing, R::Answered, R::Verifying];

/// A number per supervision level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ByLevel {
    pub strict: u32,
    pub normal: u32,
    pub lenient: u32,
}

impl ByLevel {
    pub fn of(&self, level: SupervisionLevel) -> u32 {
        match level {
            SupervisionLevel::Strict => self.strict,
            SupervisionLevel::Normal => self.normal,
            SupervisionLevel::Lenient => self.lenient,
        }
    }
}

/// A jurisdiction's roll-call rules (`[rules.roll_calls]`); how many a level gets is
/// `rules.supervision.<level>.roll_calls_per_month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RollCallRules {
    /// Minutes the supervisee has to answer, by level.
    pub answer_minutes: ByLevel,
    /// Of the first `frames_judged` frames that show a face, at least `frames_to_match` must
    /// be the enrolled person.
    pub frames_judged: u32,
    pub frames_to_match: u32,
    /// Seconds of video before the head turn is asked (the straight baseline).
    pub challenge_after_secs: u32,
    /// Seconds the supervisee has to show the turn once asked.
    pub challenge_secs: u32,
    /// Seconds from the first frame after which a call without a verdict fails.
    pub max_verify_secs: u32,
    /// Whether calls are recorded: the video the phone sent, kept encrypted beside the
    /// snapshots. Off unless the jurisdiction's rules require it (data minimisation: the
    /// snapshots are the evidence otherwise).
    pub record_video: bool,
    /// Days a recording is kept after the verdict, then purged (the verdict stays).
    pub recording_keep_days: u32,
}

impl Default for RollCallRules {
    fn default() -> Self {
        RollCallRules {
            answer_minutes: ByLevel {
                strict: 5,
                normal: 5,
                lenient: 10,
            },
            frames_judged: 5,
            frames_to_match: 4,
            challenge_after_secs: 3,
            challenge_secs: 5,
            max_verify_secs: 30,
            record_video: false,
            recording_keep_days: 30,
        }
    }
}

impl RollCallRules {
    pub fn check(&self) -> Result<(), String> {
        if self.frames_to_match == 0 || self.frames_to_match > self.frames_judged {
            return Err("frames_to_match must be 1 to frames_judged".into());
        }
        if self.challenge_secs == 0
            || self.challenge_after_secs + self.challenge_secs > self.max_verify_secs
        {
            return Err("the challenge must fit in max_verify_secs".into());
        }
        if [
            self.answer_minutes.strict,
            self.answer_minutes.normal,
            self.answer_minutes.lenient,
        ]
        .contains(&0)
        {
            return Err("answer_minutes must be at least 1".into());
        }
        if self.record_video && self.recording_keep_days == 0 {
            return Err("recording_keep_days must be at least 1 when record_video is on".into());
        }
        Ok(())
    }
}

/// The chance that one run of the scheduler (every `interval_secs`, inside the daily band)
/// calls a case, so that over 30 days the expected count is the level's rate
/// (`roll_calls_per_month` of the level in force; 0 = on demand only, never by the system).
pub fn system_call_chance(
    j: &Jurisdiction,
    level: SupervisionLevel,
    in_sensitive_period: bool,
    interval_secs: u64,
    band: &DailyBand,
) -> f64 {
    let per_month = j
        .obligations(effective_level(level, in_sensitive_period))
        .roll_calls_per_month;
    let band_secs = (band.closes - band.opens).num_seconds().max(1) as f64;
    let runs_per_month = 30.0 * band_secs / interval_secs.max(1) as f64;
    (f64::from(per_month) / runs_per_month).min(1.0)
}

/// The turn asked during a call: left or right by a fair coin.
pub fn draw_challenge(roll: impl FnOnce() -> bool) -> Pose {
    if roll() {
        Pose::TurnLeft
    } else {
        Pose::TurnRight
    }
}

/// What the face engine said of one sampled frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FrameFinding {
    /// No face, or one too poor to judge.
    NoFace,
    Face {
        matched: FaceMatch,
        /// `liveness::yaw` of the frame.
        yaw: Option<f32>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceMatch {
    Match,
    NoMatch,
    Inconclusive,
}

/// A sampled frame: milliseconds since the first frame of the call, and its finding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub at_ms: u64,
    pub finding: FrameFinding,
}

string_enum! {
    open
    /// Why a call did not pass.
    RollCallReason {
        FaceMismatch = "face_mismatch",
        FaceInconclusive = "face_inconclusive",
        /// Too few frames showed a face in time.
        NoFace = "no_face",
        /// The head did not turn as asked, in time (a photo, a replayed clip).
        PoseNotShown = "pose_not_shown",
        /// The head turned before it was asked, or the wrong way first: a clip playing.
        PoseUnprompted = "pose_unprompted",
    }
}

/// Where the judging of a call stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Judgement {
    /// Keep sampling; `ask` is `Some` once the turn should be asked (the server sends it
    /// once, then passes its time to `judge` as `asked_at_ms`).
    Pending {
        ask: bool,
    },
    Passed,
    Failed(RollCallReason),
    NeedsReview(RollCallReason),
}

/// Judges a call from its frames so far, in time order. `asked`: the turn asked and when (ms
/// since the first frame); `now_ms` on the same clock.
///
/// Identity: of the first `frames_judged` frames with a face, `frames_to_match` must match;
/// more mismatches than that allows fail the call at once; a mix with inconclusive frames goes
/// to an officer. Liveness: the frames before the question must look straight; after it, the
/// asked turn must show within `challenge_secs`, and the other way must not show first.
pub fn judge(
    rules: &RollCallRules,
    liveness: &LivenessRules,
    frames: &[Frame],
    asked: Option<(Pose, u64)>,
    now_ms: u64,
) -> Judgement {
    let faces: Vec<(u64, FaceMatch, Option<f32>)> = frames
        .iter()
        .filter_map(|f| match f.finding {
            FrameFinding::Face { matched, yaw } => Some((f.at_ms, matched, yaw)),
            FrameFinding::NoFace => None,
        })
        .collect();
    let judged = rules.frames_judged as usize;
    let first: Vec<FaceMatch> = faces.iter().take(judged).map(|f| f.1).collect();
    let count = |m: FaceMatch| first.iter().filter(|&&x| x == m).count();
    let allowed_misses = judged - rules.frames_to_match as usize;
    if count(FaceMatch::NoMatch) > allowed_misses {
        return Judgement::Failed(RollCallReason::FaceMismatch);
    }
    let timed_out = now_ms >= u64::from(rules.max_verify_secs) * 1000;
    let seen = |yaw: Option<f32>| yaw.and_then(|y| super::liveness::seen_pose(liveness, y));

    // Liveness: a turn before the question is a clip playing, not a person waiting.
    let straight_before = |until: u64| {
        faces
            .iter()
            .filter(|f| f.0 < until)
            .all(|f| seen(f.2) != Some(Pose::TurnLeft) && seen(f.2) != Some(Pose::TurnRight))
    };
    let liveness_state = match asked {
        None => {
            if !straight_before(u64::MAX) {
                return Judgement::Failed(RollCallReason::PoseUnprompted);
            }
            let ready = now_ms >= u64::from(rules.challenge_after_secs) * 1000
                && faces.iter().any(|f| seen(f.2) == Some(Pose::Straight));
            return if timed_out {
                Judgement::Failed(if faces.is_empty() {
                    RollCallReason::NoFace
                } else {
                    RollCallReason::PoseNotShown
                })
            } else {
                Judgement::Pending { ask: ready }
            };
        }
        Some((pose, at)) => {
            if !straight_before(at) {
                return Judgement::Failed(RollCallReason::PoseUnprompted);
            }
            let deadline = at + u64::from(rules.challenge_secs) * 1000;
            let baseline = faces.iter().rev().filter(|f| f.0 < at).find_map(|f| f.2);
            let turned = f32::from(liveness.turn_min_yaw_pct) / 100.0;
            let mut shown = None;
            for f in faces.iter().filter(|f| f.0 >= at && f.0 <= deadline) {
                let (Some(y), Some(b)) = (f.2, baseline) else {
                    continue;
                };
                let (toward, away) = match pose {
                    Pose::TurnLeft => (y - b, b - y),
                    _ => (b - y, y - b),
                };
                if toward >= turned && seen(Some(y)) == Some(pose) {
                    shown = Some(true);
                    break;
                }
                if away >= turned {
                    return Judgement::Failed(RollCallReason::PoseUnprompted);
                }
            }
            match shown {
                Some(_) => true,
                None if now_ms > deadline => {
                    return Judgement::Failed(RollCallReason::PoseNotShown);
                }
                None => false,
            }
        }
    };
    let enough = first.len() >= judged;
    match (liveness_state, enough) {
        (true, true) if count(FaceMatch::Match) >= rules.frames_to_match as usize => {
            Judgement::Passed
        }
        (true, true) => Judgement::NeedsReview(RollCallReason::FaceInconclusive),
        _ if timed_out => Judgement::Failed(RollCallReason::NoFace),
        _ => Judgement::Pending { ask: false },
    }
}

/// Roll calls counted over a period (a unit's statistics). Rates are over the calls that came
/// to an end other than an excuse (passed, failed, needs review, missed); `None` without any.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RollCallTally {
    /// Calls that rang in the period.
    pub calls: u32,
    /// Still ringing or being judged.
    pub open: u32,
    pub passed: u32,
    pub failed: u32,
    pub needs_review: u32,
    pub missed: u32,
    pub excused: u32,
    /// Of the ended calls, those answered by their deadline.
    pub answered_in_time: u32,
    /// Percent of the ended calls answered by their deadline.
    pub answered_in_time_pct: Option<f64>,
    /// Percent of the ended calls that passed (a reviewed call counts as decided).
    pub passed_pct: Option<f64>,
}

impl RollCallTally {
    /// Counts one call: its status and whether it was answered by its deadline.
    pub fn add(&mut self, status: RollCallStatus, answered_in_time: bool) {
        if status == R::Scheduled {
            return;
        }
        self.calls += 1;
        match status {
            R::Passed => self.passed += 1,
            R::Failed => self.failed += 1,
            R::NeedsReview => self.needs_review += 1,
            R::Missed => self.missed += 1,
            R::Excused => {
                self.excused += 1;
                return;
            }
            _ => {
                self.open += 1;
                return;
            }
        }
        if answered_in_time {
            self.answered_in_time += 1;
        }
        let ended = f64::from(self.passed + self.failed + self.needs_review + self.missed);
        self.answered_in_time_pct = Some(100.0 * f64::from(self.answered_in_time) / ended);
        self.passed_pct = Some(100.0 * f64::from(self.passed) / ended);
    }
}

/// How a missed roll call escalates with the misses of the last 90 days (this one included):
/// one is an urgent alert (a missed call may be someone gone); a second is a failure to
/// report as required (admonition, measures art. 35); more, after that, is not correcting
/// (warning, art. 36). The system suggests; an officer decides.
pub fn missed_escalation(misses_90d: u64) -> (AlertSeverity, Option<Sanction>) {
    match misses_90d {
        0 | 1 => (AlertSeverity::High, None),
        2 => (AlertSeverity::High, Some(Sanction::Admonition)),
        _ => (AlertSeverity::Critical, Some(Sanction::Warning)),
    }
}

/// At most this many people called at once (a judicial office's whole list).
pub const MOST_AT_ONCE: usize = 100;

/// A call set for later rings at most this many days ahead.
pub const MOST_DAYS_AHEAD: i64 = 7;

/// Checks a start of `people` calls ringing at `at` (none: now) at `now` (a problem names
/// `case_ids` or `at`).
pub fn check_start(
    people: usize,
    at: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), super::FieldProblem> {
    use crate::error::Said;
    if people == 0 || people > MOST_AT_ONCE {
        return Err(super::FieldProblem::new(
            "case_ids",
            Said::new("1 to 100 cases", "须为 1 到 100 个案件"),
        ));
    }
    if at.is_some_and(|at| at > now + chrono::Duration::days(MOST_DAYS_AHEAD)) {
        return Err(super::FieldProblem::new(
            "at",
            Said::new("at most 7 days ahead", "最多提前 7 天"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use crate::policy::transitions::Party;
    use FaceMatch::*;

    fn rules() -> RollCallRules {
        RollCallRules::default()
    }

    fn frame(at_ms: u64, matched: FaceMatch, yaw: f32) -> Frame {
        Frame {
            at_ms,
            finding: FrameFinding::Face {
                matched,
                yaw: Some(yaw),
            },
        }
    }

    /// One frame a second, straight, matching; from `turn_at` on, yaw `turn`.
    fn call(secs: u64, turn_at: u64, turn: f32) -> Vec<Frame> {
        (0..secs)
            .map(|s| frame(s * 1000, Match, if s >= turn_at { turn } else { 0.01 }))
            .collect()
    }

    fn run(frames: &[Frame], asked: Option<(Pose, u64)>, now: u64) -> Judgement {
        judge(&rules(), &LivenessRules::default(), frames, asked, now)
    }

    #[test]
    fn the_state_table() {
        let sv = Party::person(Role::Supervisee, None);
        let officer = Party::person(Role::Officer, None);
        assert_eq!(
            ROLL_CALL.check(RollCallAction::Answer, R::Ringing, sv),
            Ok(R::Answered)
        );
        // A supervisee cannot excuse or pass their own call; the system cannot excuse.
        assert!(ROLL_CALL
            .check(RollCallAction::Excuse, R::Missed, sv)
            .is_err());
        assert!(ROLL_CALL
            .check(RollCallAction::Pass, R::Verifying, sv)
            .is_err());
        assert!(ROLL_CALL
            .check(RollCallAction::Excuse, R::Missed, Party::System)
            .is_err());
        assert_eq!(
            ROLL_CALL.check(RollCallAction::Excuse, R::Missed, officer),
            Ok(R::Excused)
        );
        // A passed call stays passed.
        assert_eq!(
            ROLL_CALL.check(RollCallAction::Excuse, R::Passed, officer),
            Err(ErrorCode::RollCallTransitionInvalid)
        );
        // A dropped connection rings again; the deadline still runs.
        assert_eq!(
            ROLL_CALL.check(RollCallAction::Drop, R::Verifying, Party::System),
            Ok(R::Ringing)
        );
        for a in RollCallAction::ALL {
            ROLL_CALL.rule(*a);
        }
    }

    #[test]
    fn a_live_person_passes() {
        let frames = call(8, 4, 0.3);
        // Straight for 3 s: the turn is asked.
        assert_eq!(
            run(&frames[..4], None, 3500),
            Judgement::Pending { ask: true }
        );
        // Asked at 3.5 s to turn left; shown at 4 s.
        assert_eq!(
            run(&frames[..6], Some((Pose::TurnLeft, 3500)), 5500),
            Judgement::Passed
        );
    }

    #[test]
    fn a_photo_held_to_the_camera_fails() {
        let still = call(12, u64::MAX, 0.0);
        // Asked at 3 s, nothing moves by the end of the challenge (8 s).
        assert_eq!(
            run(&still[..8], Some((Pose::TurnRight, 3000)), 7000),
            Judgement::Pending { ask: false }
        );
        assert_eq!(
            run(&still, Some((Pose::TurnRight, 3000)), 8100),
            Judgement::Failed(RollCallReason::PoseNotShown)
        );
    }

    #[test]
    fn a_clip_that_turns_on_its_own_fails() {
        // Turns before anyone asked.
        let clip = call(6, 2, -0.3);
        assert_eq!(
            run(&clip, None, 6000),
            Judgement::Failed(RollCallReason::PoseUnprompted)
        );
        // Asked left, turns right first.
        let mut frames = call(4, u64::MAX, 0.0);
        frames.push(frame(4000, Match, -0.3));
        frames.push(frame(5000, Match, 0.3));
        assert_eq!(
            run(&frames, Some((Pose::TurnLeft, 3500)), 5500),
            Judgement::Failed(RollCallReason::PoseUnprompted)
        );
    }

    #[test]
    fn identity_takes_four_of_five_faces() {
        let mut frames = call(8, 4, 0.3);
        frames[1].finding = FrameFinding::Face {
            matched: NoMatch,
            yaw: Some(0.0),
        };
        assert_eq!(
            run(&frames, Some((Pose::TurnLeft, 3500)), 8000),
            Judgement::Passed
        );
        frames[2].finding = FrameFinding::Face {
            matched: NoMatch,
            yaw: Some(0.0),
        };
        // Two of five are someone else: failed at once, whatever else.
        assert_eq!(
            run(&frames[..3], None, 3000),
            Judgement::Failed(RollCallReason::FaceMismatch)
        );
        // Doubtful frames instead: an officer looks.
        let mut doubtful = call(8, 4, 0.3);
        for f in &mut doubtful[1..3] {
            f.finding = FrameFinding::Face {
                matched: Inconclusive,
                yaw: Some(0.0),
            };
        }
        assert_eq!(
            run(&doubtful, Some((Pose::TurnLeft, 3500)), 8000),
            Judgement::NeedsReview(RollCallReason::FaceInconclusive)
        );
    }

    #[test]
    fn no_face_times_out() {
        let empty: Vec<Frame> = (0..31)
            .map(|s| Frame {
                at_ms: s * 1000,
                finding: FrameFinding::NoFace,
            })
            .collect();
        assert_eq!(
            run(&empty[..5], None, 5000),
            Judgement::Pending { ask: false }
        );
        assert_eq!(
            run(&empty, None, 30_000),
            Judgement::Failed(RollCallReason::NoFace)
        );
    }

    #[test]
    fn system_calls_follow_the_level_rate() {
        let j = Jurisdiction::default();
        let band = DailyBand::default();
        // Strict: 4 a month; 12 h band, runs every 5 min → 4320 runs.
        let strict = system_call_chance(&j, SupervisionLevel::Strict, false, 300, &band);
        assert!((strict * 30.0 * 144.0 - 4.0).abs() < 1e-9, "{strict}");
        // Lenient: on demand only, unless a sensitive period makes it normal.
        assert_eq!(
            system_call_chance(&j, SupervisionLevel::Lenient, false, 300, &band),
            0.0
        );
        assert!(system_call_chance(&j, SupervisionLevel::Lenient, true, 300, &band) > 0.0);
    }

    #[test]
    fn a_tally_rates_the_ended_calls() {
        let mut t = RollCallTally::default();
        assert_eq!(t.passed_pct, None);
        for (status, in_time) in [
            (R::Passed, true),
            (R::Passed, true),
            (R::Failed, true),
            (R::Missed, false),
            (R::Excused, false),
            (R::Ringing, false),
            (R::Scheduled, false),
        ] {
            t.add(status, in_time);
        }
        // Six rang (the scheduled one has not); four ended: three answered in time, two passed.
        assert_eq!((t.calls, t.open, t.excused), (6, 1, 1));
        assert_eq!(t.answered_in_time_pct, Some(75.0));
        assert_eq!(t.passed_pct, Some(50.0));
    }

    #[test]
    fn misses_escalate() {
        assert_eq!(missed_escalation(1), (AlertSeverity::High, None));
        assert_eq!(missed_escalation(2).1, Some(Sanction::Admonition));
        assert_eq!(
            missed_escalation(4),
            (AlertSeverity::Critical, Some(Sanction::Warning))
        );
    }

    #[test]
    fn rules_are_checked() {
        assert_eq!(rules().check(), Ok(()));
        let mut r = rules();
        r.frames_to_match = 6;
        assert!(r.check().is_err());
        let mut r = rules();
        r.max_verify_secs = 5;
        assert!(r.check().is_err());
        let mut r = rules();
        r.recording_keep_days = 0;
        assert_eq!(r.check(), Ok(()), "no recording, nothing to keep");
        r.record_video = true;
        assert!(r.check().is_err());
    }

    #[test]
    fn a_start_calls_one_to_a_hundred_at_most_a_week_ahead() {
        let now = chrono::Utc::now();
        assert!(check_start(1, None, now).is_ok());
        assert!(check_start(100, Some(now + chrono::Duration::days(7)), now).is_ok());
        assert_eq!(check_start(0, None, now).unwrap_err().field, "case_ids");
        assert_eq!(check_start(101, None, now).unwrap_err().field, "case_ids");
        let later = Some(now + chrono::Duration::days(7) + chrono::Duration::minutes(1));
        assert_eq!(check_start(1, later, now).unwrap_err().field, "at");
    }
}
