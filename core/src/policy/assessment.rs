//! The monthly assessment (月度考核, Implementing Measures 2020 art. 32-36; DOMAIN.md "A case's
//! life" 4 and 7): the month's facts the system saw — check-ins and roll calls missed or
//! failed, location violations and silences, time away past a leave, office reports let pass,
//! education and community service short — each scored by a line of `DEDUCTIONS` from a base
//! of 100, graded, and turned into a proposal for the supervision level. The officer confirms
//! it or changes a line's points with a reason; the level changes only when the officer
//! applies it.
//!
//! The points are the house defaults: the measures say what is assessed, local rules say how
//! much each fact weighs.
//!
//! Pure.

use serde::{Deserialize, Serialize};

use super::calendar::Month;
use super::sanctions::Gravity;
use super::text::{check, Shape};
use super::FieldProblem;
use crate::error::Said;
use crate::model::{string_enum, AlertKind, SupervisionLevel};

string_enum! {
    /// A kind of fact the assessment counts.
    AssessmentFact {
        CheckinMissed = "checkin_missed",
        CheckinFailed = "checkin_failed",
        RollCallMissed = "roll_call_missed",
        RollCallFailed = "roll_call_failed",
        OutsideActivityArea = "outside_activity_area",
        InExclusionZone = "in_exclusion_zone",
        LocationSilence = "location_silence",
        MockLocation = "mock_location",
        LeaveOverdue = "leave_overdue",
        OfficeReportMissed = "office_report_missed",
        EducationShort = "education_short",
        ServiceShort = "service_short",
        /// A risk a helper or officer flagged: noted for the officer, never a fault.
        RiskFlagged = "risk_flagged",
    }
}

/// One line of the table: what a fact costs, each time, and what it says.
pub struct Deduction {
    pub fact: AssessmentFact,
    pub points: u32,
    pub en: &'static str,
    pub zh: &'static str,
}

/// Every fact and its points, in the order an assessment lists them.
#[rustfmt::skip]
pub const DEDUCTIONS: &[Deduction] = &[
    Deduction { fact: AssessmentFact::CheckinMissed, points: 2, en: "a scheduled face check-in missed", zh: "未按时完成人脸签到" },
    Deduction { fact: AssessmentFact::CheckinFailed, points: 1, en: "a face check-in that failed", zh: "人脸签到未通过" },
    Deduction { fact: AssessmentFact::RollCallMissed, points: 5, en: "a video roll call not answered", zh: "未应答视频点名" },
    Deduction { fact: AssessmentFact::RollCallFailed, points: 5, en: "a video roll call failed (someone else, or no live face)", zh: "视频点名未通过（非本人或非活体）" },
    Deduction { fact: AssessmentFact::OutsideActivityArea, points: 5, en: "outside the activity area", zh: "越出活动区域" },
    Deduction { fact: AssessmentFact::InExclusionZone, points: 10, en: "inside an exclusion zone (prohibition order)", zh: "进入禁止令限制区域" },
    Deduction { fact: AssessmentFact::LocationSilence, points: 5, en: "the phone's location went silent", zh: "手机定位中断（失联风险）" },
    Deduction { fact: AssessmentFact::MockLocation, points: 5, en: "a mock location provider", zh: "使用虚拟定位" },
    Deduction { fact: AssessmentFact::LeaveOverdue, points: 10, en: "not back by the end of an approved leave", zh: "请假逾期未归" },
    Deduction { fact: AssessmentFact::OfficeReportMissed, points: 5, en: "an in-person report at the office let pass", zh: "未按时到司法所报到" },
    Deduction { fact: AssessmentFact::EducationShort, points: 5, en: "education short of the month's minutes", zh: "教育学习时长不足" },
    Deduction { fact: AssessmentFact::ServiceShort, points: 5, en: "community service short of the month's minutes", zh: "公益活动时长不足" },
    Deduction { fact: AssessmentFact::RiskFlagged, points: 0, en: "a risk flagged by a helper or officer (noted, not a fault)", zh: "帮教或走访发现的风险（仅提示，不扣分）" },
];

/// The score every month starts from.
pub const BASE_SCORE: u32 = 100;
/// At or above: good (表现良好).
pub const GOOD_FROM: u32 = 90;
/// At or above: passed (合格); below: failed (不合格).
pub const PASS_FROM: u32 = 70;
/// Good this many months running (this one included) proposes a more lenient level.
pub const GOOD_MONTHS_TO_EASE: usize = 3;

string_enum! {
    AssessmentGrade {
        Good = "good",
        Passed = "passed",
        Failed = "failed",
    }
}

/// One line of an assessment: a fact, how often it happened, and the points it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AssessmentLine {
    pub fact: AssessmentFact,
    pub count: u32,
    /// Points taken: the table's `count × points`, or the officer's figure.
    pub points: u32,
    /// What the table's rule says, in Chinese (the officer's screen and the file).
    pub rule_zh: String,
    pub rule_en: String,
    /// Why the officer changed the table's points, when they did.
    pub adjusted_reason: Option<String>,
}

/// The fact an alert raised for the case stands for, if any (`visit_kind`: an overdue
/// visit's kind, from its evidence). An overdue home visit is the officer's to make, not the
/// person's fault.
pub fn fact_for_alert(kind: AlertKind, visit_kind: Option<&str>) -> Option<AssessmentFact> {
    use AssessmentFact as F;
    Some(match kind {
        AlertKind::CheckinMissed => F::CheckinMissed,
        AlertKind::CheckinFailed => F::CheckinFailed,
        AlertKind::RollCallMissed => F::RollCallMissed,
        AlertKind::RollCallFailed => F::RollCallFailed,
        AlertKind::OutsideActivityArea => F::OutsideActivityArea,
        AlertKind::InExclusionZone => F::InExclusionZone,
        AlertKind::LocationSilence => F::LocationSilence,
        AlertKind::MockLocation => F::MockLocation,
        AlertKind::LeaveOverdue => F::LeaveOverdue,
        AlertKind::VisitOverdue if visit_kind == Some("office_report") => F::OfficeReportMissed,
        AlertKind::HelpRiskFlagged | AlertKind::VisitRiskFlagged => F::RiskFlagged,
        _ => return None,
    })
}

/// The facts that reach the sanctions (measures art. 34-35) from a confirmed month: a breach
/// of the reporting rules (check-ins, roll calls or office reports missed) and a breach of the
/// prohibition order (an exclusion zone entered), each as minor — a line the officer brought
/// to 0 points is not a breach. The officer weighs anything graver when proposing.
pub fn breaches(lines: &[AssessmentLine]) -> (Option<Gravity>, Option<Gravity>) {
    let any = |facts: &[AssessmentFact]| {
        lines
            .iter()
            .any(|l| l.points > 0 && facts.contains(&l.fact))
            .then_some(Gravity::Minor)
    };
    (
        any(&[
            AssessmentFact::CheckinMissed,
            AssessmentFact::RollCallMissed,
            AssessmentFact::OfficeReportMissed,
        ]),
        any(&[AssessmentFact::InExclusionZone]),
    )
}

/// What an assessment comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub score: u32,
    pub grade: AssessmentGrade,
    /// The level the month proposes, when it proposes a change.
    pub proposed_level: Option<SupervisionLevel>,
}

/// The lines for the month's counts: each fact that happened, in the table's order.
pub fn lines(counts: &[(AssessmentFact, u32)]) -> Vec<AssessmentLine> {
    DEDUCTIONS
        .iter()
        .filter_map(|d| {
            let count: u32 = counts
                .iter()
                .filter(|(f, _)| *f == d.fact)
                .map(|(_, n)| n)
                .sum();
            (count > 0).then(|| AssessmentLine {
                fact: d.fact,
                count,
                points: count.saturating_mul(d.points),
                rule_zh: format!("{}，每次扣 {} 分", d.zh, d.points),
                rule_en: format!("{}: {} points each", d.en, d.points),
                adjusted_reason: None,
            })
        })
        .collect()
}

pub fn grade(score: u32) -> AssessmentGrade {
    if score >= GOOD_FROM {
        AssessmentGrade::Good
    } else if score >= PASS_FROM {
        AssessmentGrade::Passed
    } else {
        AssessmentGrade::Failed
    }
}

/// The score, grade and level proposal of `lines` for someone at `level` whose earlier
/// confirmed grades, newest first, are `before`. A failed month proposes one level stricter;
/// good months `GOOD_MONTHS_TO_EASE` running propose one level more lenient.
pub fn outcome(
    lines: &[AssessmentLine],
    level: SupervisionLevel,
    before: &[AssessmentGrade],
) -> Outcome {
    let taken: u32 = lines.iter().map(|l| l.points).sum();
    let score = BASE_SCORE.saturating_sub(taken);
    let grade = grade(score);
    let good_run = grade == AssessmentGrade::Good
        && before.len() + 1 >= GOOD_MONTHS_TO_EASE
        && before[..GOOD_MONTHS_TO_EASE - 1]
            .iter()
            .all(|g| *g == AssessmentGrade::Good);
    let proposed_level = match grade {
        AssessmentGrade::Failed => stricter(level),
        _ if good_run => more_lenient(level),
        _ => None,
    };
    Outcome {
        score,
        grade,
        proposed_level,
    }
}

/// The grades `outcome` weighs: those of the two months before `month`, newest first, as far
/// as they run unbroken — `confirmed` gives a month's confirmed grade, if any.
pub fn grades_before(
    month: Month,
    confirmed: impl Fn(Month) -> Option<AssessmentGrade>,
) -> Vec<AssessmentGrade> {
    let mut out = Vec::new();
    let mut m = month;
    for _ in 0..GOOD_MONTHS_TO_EASE - 1 {
        m = m.previous();
        match confirmed(m) {
            Some(g) => out.push(g),
            None => break,
        }
    }
    out
}

/// At most this many points on one line.
pub const MOST_POINTS: u32 = 100;

/// One line changed: `fact`'s line of `lines` takes `points`, for `reason` (a problem names
/// `reason`, `points` or `fact`).
pub fn change_line(
    lines: &mut [AssessmentLine],
    fact: AssessmentFact,
    points: u32,
    reason: &str,
) -> Result<(), FieldProblem> {
    let problem = |field: &str, said| Err(FieldProblem::new(field, said));
    if let Err(p) = check(reason.trim(), 1000, Shape::Paragraphs) {
        return problem("reason", p.message());
    }
    if points > MOST_POINTS {
        return problem("points", Said::new("0 to 100 points", "须为 0 到 100 分"));
    }
    let Some(line) = lines.iter_mut().find(|l| l.fact == fact) else {
        return problem(
            "fact",
            Said::new("a line of this month's draft", "须为本月草稿中的一项"),
        );
    };
    if line.adjusted_reason.is_some() {
        return problem(
            "fact",
            Said::new("each line changed once", "每项只能调整一次"),
        );
    }
    line.points = points;
    line.adjusted_reason = Some(reason.trim().to_owned());
    Ok(())
}

fn stricter(level: SupervisionLevel) -> Option<SupervisionLevel> {
    match level {
        SupervisionLevel::Lenient => Some(SupervisionLevel::Normal),
        SupervisionLevel::Normal => Some(SupervisionLevel::Strict),
        SupervisionLevel::Strict => None,
    }
}

fn more_lenient(level: SupervisionLevel) -> Option<SupervisionLevel> {
    match level {
        SupervisionLevel::Strict => Some(SupervisionLevel::Normal),
        SupervisionLevel::Normal => Some(SupervisionLevel::Lenient),
        SupervisionLevel::Lenient => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssessmentFact::*;
    use AssessmentGrade::*;
    use SupervisionLevel::*;

    #[test]
    fn every_fact_has_one_line_in_the_table() {
        for f in AssessmentFact::ALL {
            assert_eq!(DEDUCTIONS.iter().filter(|d| d.fact == *f).count(), 1, "{f}");
        }
    }

    #[test]
    fn lines_count_each_fact_in_the_tables_order() {
        let l = lines(&[
            (RollCallMissed, 1),
            (CheckinMissed, 3),
            (RiskFlagged, 2),
            (LeaveOverdue, 0),
        ]);
        let got: Vec<(AssessmentFact, u32, u32)> =
            l.iter().map(|l| (l.fact, l.count, l.points)).collect();
        assert_eq!(
            got,
            [
                (CheckinMissed, 3, 6),
                (RollCallMissed, 1, 5),
                (RiskFlagged, 2, 0)
            ]
        );
        assert_eq!(l[0].rule_zh, "未按时完成人脸签到，每次扣 2 分");
    }

    #[test]
    fn the_grades_before_run_back_unbroken_two_months_at_most() {
        let dec = Month::new(2026, 12).unwrap();
        let confirmed =
            |good: &'static [u32]| move |m: Month| good.contains(&m.number()).then_some(Good);
        assert_eq!(grades_before(dec, confirmed(&[11, 10, 9])), [Good, Good]);
        assert_eq!(
            grades_before(dec, confirmed(&[11, 9])),
            [Good],
            "October missing"
        );
        assert!(grades_before(dec, confirmed(&[10])).is_empty());
        let jan = Month::new(2027, 1).unwrap();
        assert_eq!(
            grades_before(jan, confirmed(&[12, 11])).len(),
            2,
            "over the year's end"
        );
    }

    #[test]
    fn a_line_is_changed_once_with_a_reason_and_within_the_points() {
        let mut l = lines(&[(CheckinMissed, 3)]);
        let bad = |l: &mut Vec<AssessmentLine>, fact, points, reason| {
            change_line(l, fact, points, reason).unwrap_err().field
        };
        assert_eq!(bad(&mut l, CheckinMissed, 2, "  "), "reason");
        assert_eq!(bad(&mut l, CheckinMissed, 101, "x"), "points");
        assert_eq!(bad(&mut l, LeaveOverdue, 2, "x"), "fact");
        change_line(&mut l, CheckinMissed, 2, " 一次系手机故障 ").unwrap();
        assert_eq!(
            (l[0].points, l[0].adjusted_reason.as_deref()),
            (2, Some("一次系手机故障"))
        );
        assert_eq!(bad(&mut l, CheckinMissed, 0, "x"), "fact", "once");
    }

    /// The grade's edges: 90 good, 89 passed, 70 passed, 69 failed.
    #[test]
    fn grades_at_their_edges() {
        assert_eq!(grade(100), Good);
        assert_eq!(grade(90), Good);
        assert_eq!(grade(89), Passed);
        assert_eq!(grade(70), Passed);
        assert_eq!(grade(69), Failed);
        assert_eq!(grade(0), Failed);
    }

    #[test]
    fn a_failed_month_proposes_one_level_stricter() {
        let l = lines(&[(InExclusionZone, 2), (LeaveOverdue, 1), (CheckinMissed, 1)]);
        let o = outcome(&l, Lenient, &[]);
        assert_eq!(
            (o.score, o.grade, o.proposed_level),
            (68, Failed, Some(Normal))
        );
        assert_eq!(
            outcome(&l, Strict, &[]).proposed_level,
            None,
            "strict is the strictest"
        );
    }

    /// Three good months running, this one included, propose one level more lenient.
    #[test]
    fn good_months_running_propose_one_level_more_lenient() {
        let clean = lines(&[]);
        assert_eq!(outcome(&clean, Strict, &[Good]).proposed_level, None);
        assert_eq!(
            outcome(&clean, Strict, &[Good, Passed, Good]).proposed_level,
            None
        );
        assert_eq!(
            outcome(&clean, Strict, &[Good, Good]).proposed_level,
            Some(Normal)
        );
        assert_eq!(
            outcome(&clean, Normal, &[Good, Good, Failed]).proposed_level,
            Some(Lenient)
        );
        assert_eq!(outcome(&clean, Lenient, &[Good, Good]).proposed_level, None);
        let passed = lines(&[(RollCallMissed, 3)]);
        assert_eq!(outcome(&passed, Strict, &[Good, Good]).proposed_level, None);
    }

    #[test]
    fn alerts_stand_for_facts() {
        assert_eq!(
            fact_for_alert(AlertKind::InExclusionZone, None),
            Some(InExclusionZone)
        );
        assert_eq!(
            fact_for_alert(AlertKind::VisitOverdue, Some("office_report")),
            Some(OfficeReportMissed)
        );
        assert_eq!(
            fact_for_alert(AlertKind::VisitOverdue, Some("home_visit")),
            None
        );
        assert_eq!(
            fact_for_alert(AlertKind::VisitRiskFlagged, None),
            Some(RiskFlagged)
        );
        // A month short is read from the closed ledger, not from its alert.
        assert_eq!(fact_for_alert(AlertKind::LearningShortfall, None), None);
    }

    /// A confirmed month's missed reporting is a minor rule breach (measures art. 34 (2)), an
    /// exclusion zone entered a minor prohibition-order breach; a line brought to 0 is none.
    #[test]
    fn confirmed_lines_are_breaches() {
        assert_eq!(breaches(&lines(&[])), (None, None));
        assert_eq!(
            breaches(&lines(&[(RollCallMissed, 1)])),
            (Some(Gravity::Minor), None)
        );
        assert_eq!(
            breaches(&lines(&[(InExclusionZone, 1), (RiskFlagged, 3)])),
            (None, Some(Gravity::Minor))
        );
        let mut excused = lines(&[(OfficeReportMissed, 1)]);
        excused[0].points = 0;
        assert_eq!(breaches(&excused), (None, None));
        assert_eq!(
            breaches(&lines(&[(CheckinFailed, 4)])),
            (None, None),
            "a failed face is not a missed report"
        );
    }

    #[test]
    fn the_score_never_goes_below_zero() {
        let o = outcome(&lines(&[(InExclusionZone, 50)]), Normal, &[]);
        assert_eq!(o.score, 0);
    }
}
