//! Rewards and sanctions (考核奖惩, DOMAIN.md §7; Implementing Measures 2020 art. 32-36 and
//! 46-49; the Community Corrections Law art. 28-29). Every sanction is a legal decision taken
//! by people: this module only *suggests*, from facts the system can see, which sanction the
//! measures provide for and on which ground, each ground with its article, so an officer
//! proposes with the text in front of them and the county agency decides.
//!
//! The grounds are data (`GROUNDS`), not branches: each names its sanction, its article and
//! what it says. The thresholds on time out of supervision follow DOMAIN.md: under 10 days an
//! admonition, 10 days to a month a warning, more than a month (over 30 days) revocation — or,
//! for someone serving outside prison, return to prison; for surveillance (管制), which has no
//! term to revoke, a referral to the police.
//!
//! Electronic tags (law art. 29) are allowed only on the law's five grounds, for at most three
//! months at a time, renewable by a new decision.
//!
//! Pure: the server gathers the facts and records the decisions.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::level::ApprovalLevel;
use super::transitions::{Machine, Rule, Who};
use crate::error::ErrorCode;
use crate::model::{string_enum, SentenceKind};

string_enum! {
    open
    /// What the measures provide for, mildest first.
    Sanction {
        /// 表扬 (measures art. 33).
        Commendation = "commendation",
        /// 训诫 (measures art. 34).
        Admonition = "admonition",
        /// 警告 (measures art. 35).
        Warning = "warning",
        /// 提请公安机关给予治安管理处罚 (measures art. 36).
        PolicePenaltyReferral = "police_penalty_referral",
        /// 撤销缓刑 / 撤销假释建议 (measures art. 46-47).
        RevocationRecommendation = "revocation_recommendation",
        /// 收监执行建议, for someone serving outside prison (measures art. 49).
        ReturnToPrisonRecommendation = "return_to_prison_recommendation",
    }
}

impl Sanction {
    /// How grave, mildest 0 (`Unknown` below all).
    pub fn gravity(self) -> usize {
        Sanction::ALL
            .iter()
            .position(|s| *s == self)
            .map_or(0, |i| i + 1)
    }

    /// Who decides: the county agency decides commendations, admonitions and warnings itself;
    /// a referral or a recommendation is the county agency's to send, and the police, the
    /// court or the deciding authority decides it (law art. 28, 46-49). A judicial office
    /// proposes; it never decides.
    pub fn decided_at(self) -> ApprovalLevel {
        ApprovalLevel::CountyAgency
    }

    /// Whether the final word is another authority's (the police, the court, the authority
    /// that let the person serve outside prison): the agency's decision is a document sent.
    pub fn goes_to_another_authority(self) -> bool {
        matches!(
            self,
            Sanction::PolicePenaltyReferral
                | Sanction::RevocationRecommendation
                | Sanction::ReturnToPrisonRecommendation
        )
    }
}

/// A ground the measures give for a sanction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ground {
    /// Stable: stored with a proposal and shown to the person.
    pub code: &'static str,
    pub sanction: Sanction,
    /// The article, as cited in the decision.
    pub article: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

macro_rules! grounds {
    ($($code:literal, $sanction:ident, $article:literal, $en:literal, $zh:literal;)+) => {
        /// Every ground this version knows, by sanction, mildest first.
        pub const GROUNDS: &[Ground] = &[$(Ground {
            code: $code,
            sanction: Sanction::$sanction,
            article: $article,
            en: $en,
            zh: $zh,
        }),+];
    };
}

grounds! {
    "commendation.exemplary", Commendation, "实施办法第三十三条",
        "Admits guilt, keeps the law and the rules, and stands out in education",
        "认罪悔罪、遵守法律法规、服从监督管理、接受教育表现突出";
    "admonition.out_under_10_days", Admonition, "实施办法第三十四条第（一）项",
        "Reported late, or was out of supervision, for less than 10 days",
        "不按规定时间报到或者接受社区矫正期间脱离监管，未超过十日";
    "admonition.minor_rule_breach", Admonition, "实施办法第三十四条第（二）项",
        "A minor breach of the rules on reporting, visitors, leave or relocation",
        "违反关于报告、会客、外出、迁居等规定，情节轻微";
    "admonition.education_skipped", Admonition, "实施办法第三十四条第（三）项",
        "Did not take part in education as required, and did not change after being told",
        "不按规定参加教育学习等活动，经教育仍不改正";
    "warning.prohibition_order_minor", Warning, "实施办法第三十五条第（一）项",
        "A minor breach of the court's prohibition order",
        "违反人民法院禁止令，情节轻微";
    "warning.out_10_days_to_a_month", Warning, "实施办法第三十五条第（二）项",
        "Reported late, or was out of supervision, for 10 days to a month",
        "不按规定时间报到或者接受社区矫正期间脱离监管，超过十日";
    "warning.serious_rule_breach", Warning, "实施办法第三十五条第（三）项",
        "A serious breach of the rules on reporting, visitors, leave or relocation",
        "违反关于报告、会客、外出、迁居等规定，情节较重";
    "warning.admonished_twice", Warning, "实施办法第三十五条第（五）项",
        "Admonished twice by the agency and still not corrected",
        "受到社区矫正机构两次训诫，仍不改正";
    "police.penalty_due", PolicePenaltyReferral, "实施办法第三十六条",
        "A breach of the rules or of a prohibition order that the law punishes with a public-security penalty",
        "违反监督管理规定或者人民法院禁止令，依法应予治安管理处罚";
    "revocation.prohibition_order_serious", RevocationRecommendation, "实施办法第四十六条第（一）项",
        "A serious breach of the court's prohibition order",
        "违反禁止令，情节严重";
    "revocation.out_over_a_month", RevocationRecommendation, "实施办法第四十六条第（二）项、第四十七条第（二）项",
        "Reported late, or was out of supervision, for more than a month, without good reason",
        "无正当理由不按规定时间报到或者接受社区矫正期间脱离监管，超过一个月";
    "revocation.warned_twice", RevocationRecommendation, "实施办法第四十六条第（四）项、第四十七条第（四）项",
        "Warned twice by the agency and still not corrected",
        "受到社区矫正机构两次警告，仍不改正";
    "prison.out_of_supervision", ReturnToPrisonRecommendation, "实施办法第四十九条第（二）项",
        "Left the city or county without approval and would not return after a warning, or would not report whereabouts and was out of supervision",
        "未经批准擅自离开居住的市、县，经警告拒不改正，或者拒不报告行踪，脱离监管";
    "prison.warned_twice", ReturnToPrisonRecommendation, "实施办法第四十九条第（四）项",
        "Warned twice by the agency",
        "受到社区矫正机构两次警告";
}

/// The measures' full title, as a decision cites them.
pub const MEASURES_TITLE: &str = "《中华人民共和国社区矫正法实施办法》";

impl Ground {
    /// The article as a written decision cites it: the measures' full title once, then the
    /// article ("《中华人民共和国社区矫正法实施办法》第三十四条第（二）项").
    pub fn citation(&self) -> String {
        let article = self
            .article
            .strip_prefix("实施办法")
            .unwrap_or(self.article);
        format!("{MEASURES_TITLE}{article}")
    }
}

/// A ground by its code.
pub fn ground(code: &str) -> Option<&'static Ground> {
    GROUNDS.iter().find(|g| g.code == code)
}

/// How grave a breach was, as the officer judged it (the measures' 情节轻微 / 较重 / 严重).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Gravity {
    Minor,
    Serious,
    Grave,
}

/// What the system knows of a person, for the suggestion. Counts are of sanctions decided
/// and not followed by a correction (the officer's record says which).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    pub sentence: Option<SentenceKind>,
    /// The longest time out of supervision or late in reporting, in whole days (失联, a leave
    /// not returned from, an intake not reported to).
    pub days_out_of_supervision: u32,
    /// A breach of the rules on reporting, visitors, leave or relocation (roll calls missed,
    /// check-in requests missed, a late return report), as judged.
    pub rule_breach: Option<Gravity>,
    /// A breach of the court's prohibition order (an exclusion zone entered), as judged.
    pub prohibition_order_breach: Option<Gravity>,
    /// Education skipped again after being told (a second short month).
    pub education_skipped_after_told: bool,
    pub admonitions_uncorrected: u32,
    pub warnings_uncorrected: u32,
}

/// A sanction the facts support, on one ground.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suggestion {
    pub sanction: Sanction,
    pub ground: &'static Ground,
}

/// What time out of supervision supports, by the person's sentence (DOMAIN.md §7): under 10
/// days an admonition, 10 to 30 days a warning, more than 30 revocation — return to prison for
/// someone serving outside it, a referral to the police under surveillance. `None` for no
/// time out.
pub fn for_days_out(days: u32, sentence: Option<SentenceKind>) -> Option<Suggestion> {
    let code = match days {
        0 => return None,
        1..=9 => "admonition.out_under_10_days",
        10..=30 => "warning.out_10_days_to_a_month",
        _ => match sentence {
            Some(SentenceKind::MedicalParole) => "prison.out_of_supervision",
            Some(SentenceKind::Surveillance) => "police.penalty_due",
            _ => "revocation.out_over_a_month",
        },
    };
    let ground = ground(code)?;
    Some(Suggestion {
        sanction: ground.sanction,
        ground,
    })
}

/// Every sanction the facts support, gravest first (the officer chooses; the gravest is
/// usually the one to propose).
pub fn suggest(f: &Facts) -> Vec<Suggestion> {
    let mut codes: Vec<&str> = Vec::new();
    let outside_prison = f.sentence == Some(SentenceKind::MedicalParole);
    let surveillance = f.sentence == Some(SentenceKind::Surveillance);
    match f.rule_breach {
        Some(Gravity::Minor) => codes.push("admonition.minor_rule_breach"),
        Some(Gravity::Serious) => codes.push("warning.serious_rule_breach"),
        Some(Gravity::Grave) => codes.push("police.penalty_due"),
        None => {}
    }
    match f.prohibition_order_breach {
        Some(Gravity::Minor) => codes.push("warning.prohibition_order_minor"),
        Some(Gravity::Serious) => codes.push("police.penalty_due"),
        Some(Gravity::Grave) if surveillance => codes.push("police.penalty_due"),
        Some(Gravity::Grave) => codes.push("revocation.prohibition_order_serious"),
        None => {}
    }
    if f.education_skipped_after_told {
        codes.push("admonition.education_skipped");
    }
    if f.admonitions_uncorrected >= 2 {
        codes.push("warning.admonished_twice");
    }
    if f.warnings_uncorrected >= 2 {
        codes.push(if outside_prison {
            "prison.warned_twice"
        } else if surveillance {
            "police.penalty_due"
        } else {
            "revocation.warned_twice"
        });
    }
    let mut out: Vec<Suggestion> = codes
        .into_iter()
        .filter_map(ground)
        .map(|g| Suggestion {
            sanction: g.sanction,
            ground: g,
        })
        .chain(for_days_out(f.days_out_of_supervision, f.sentence))
        .collect();
    out.sort_by(|a, b| {
        (b.sanction.gravity().cmp(&a.sanction.gravity())).then(a.ground.code.cmp(b.ground.code))
    });
    out.dedup_by_key(|s| s.ground.code);
    out
}

/// Why the facts support no ground, in both languages (en, zh): what was looked at, and what
/// is missing to see more (`assessed` is the month whose confirmed assessment was read, or
/// `None` when `last_month` has none yet).
pub fn why_none(assessed: Option<&str>, last_month: &str) -> Vec<(&'static str, (String, String))> {
    let mut out = Vec::new();
    if assessed.is_none() {
        out.push(("month_not_assessed", (
            format!("{last_month} has no confirmed assessment yet: breaches of the reporting rules and of a prohibition order are read from a confirmed month. Confirm it to see them."),
            format!("{last_month} 尚无已确认的月度考核：违反报告规定、违反禁止令从已确认的考核读取，确认后可见。"),
        )));
    }
    out.push(("no_fact_supports_a_ground", (
        "Nothing the system sees supports a ground: no time out of supervision, fewer than two admonitions or warnings in force, education not short two months running. An officer may still propose on a ground of their own judgement (GET /rules lists every ground with its article).".to_owned(),
        "系统所见事实均不构成奖惩事由：无脱离监管、训诫或警告未达两次、教育学习未连续两月不足。工作人员仍可依其判断就某一事由提出建议（GET /rules 列出全部事由及条款）。".to_owned(),
    )));
    out
}

string_enum! {
    open
    /// Where a sanction stands: proposed by an officer of the case, decided by the county
    /// agency (approved or rejected), and once approved acknowledged by the person.
    SanctionStatus {
        Proposed = "proposed",
        Approved = "approved",
        Rejected = "rejected",
        Acknowledged = "acknowledged",
    }
}

string_enum! {
    SanctionAction {
        Approve = "approve",
        Reject = "reject",
        Acknowledge = "acknowledge",
    }
}

/// The county agency decides (`Sanction::decided_at`); the person acknowledges the decision.
#[rustfmt::skip]
pub const SANCTION: Machine<SanctionStatus, SanctionAction> = Machine {
    invalid: ErrorCode::SanctionTransitionInvalid,
    below_level: ErrorCode::SanctionNeedsCounty,
    invalid_for: &[],
    rules: &[
        Rule { action: SanctionAction::Approve, from: &[SanctionStatus::Proposed], to: Some(SanctionStatus::Approved), who: Who::Officer(Some(ApprovalLevel::CountyAgency)) },
        Rule { action: SanctionAction::Reject, from: &[SanctionStatus::Proposed], to: Some(SanctionStatus::Rejected), who: Who::Officer(Some(ApprovalLevel::CountyAgency)) },
        Rule { action: SanctionAction::Acknowledge, from: &[SanctionStatus::Approved], to: Some(SanctionStatus::Acknowledged), who: Who::Supervisee },
    ],
};

impl SanctionStatus {
    /// A decision in force: it counts toward the next step (two admonitions, two warnings).
    pub fn in_force(self) -> bool {
        matches!(
            self,
            SanctionStatus::Approved | SanctionStatus::Acknowledged
        )
    }
}

string_enum! {
    /// The grounds on which the law allows an electronic tag (law art. 29).
    TagGround {
        /// 违反人民法院禁止令的 (art. 29 (1)).
        ProhibitionOrderBreached = "prohibition_order_breached",
        /// 无正当理由，未经批准离开所居住的市、县的 (art. 29 (2)).
        LeftWithoutApproval = "left_without_approval",
        /// 拒不按照规定报告自己的活动情况，被给予警告的 (art. 29 (3)).
        WarnedForNotReporting = "warned_for_not_reporting",
        /// 违反监督管理规定，被给予治安管理处罚的 (art. 29 (4)).
        PolicePenaltyGiven = "police_penalty_given",
        /// 拟提请撤销缓刑、假释或者暂予监外执行收监执行的 (art. 29 (5)).
        RevocationPending = "revocation_pending",
    }
}

string_enum! {
    open
    /// Where a tag order stands: ordered (it runs its term, to `ends_on`), or ended before it
    /// by the county agency.
    TagOrderStatus {
        Ordered = "ordered",
        Ended = "ended",
    }
}

string_enum! {
    /// What can be done to a tag order.
    TagAction {
        /// A new order (or a renewal: a new order from the day after the one it renews).
        Order = "order",
        /// Ending it before its term, with the reason.
        End = "end",
    }
}

/// Law art. 29: the county agency orders an electronic tag, for three months at most, and ends
/// it; a judicial office proposes. An order is made (no state before it) and may be ended.
#[rustfmt::skip]
pub const TAG_ORDER: Machine<TagOrderStatus, TagAction> = Machine {
    invalid: ErrorCode::TagOrderEnded,
    below_level: ErrorCode::TagNeedsCounty,
    invalid_for: &[],
    rules: &[
        Rule { action: TagAction::Order, from: &[], to: Some(TagOrderStatus::Ordered), who: Who::Officer(Some(ApprovalLevel::CountyAgency)) },
        Rule { action: TagAction::End, from: &[TagOrderStatus::Ordered], to: Some(TagOrderStatus::Ended), who: Who::Officer(Some(ApprovalLevel::CountyAgency)) },
    ],
};

/// A tag order is for at most this many months at a time (law art. 29: 每次不得超过三个月).
pub const TAG_MAX_MONTHS: u32 = 3;

/// How many days before a tag order ends its officers are alerted (to renew it by a new
/// decision, or let it lapse).
pub const TAG_EXPIRY_NOTICE_DAYS: i64 = 7;

/// Why a tag order's term is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagTermProblem {
    /// The end is not after the start.
    Empty,
    /// Longer than three months: a longer need is met by renewing, with a new decision.
    TooLong,
}

/// Checks a tag order from `start` to `end` (inclusive): at most three calendar months.
pub fn check_tag_term(start: NaiveDate, end: NaiveDate) -> Result<(), TagTermProblem> {
    if end <= start {
        return Err(TagTermProblem::Empty);
    }
    let limit = start
        .checked_add_months(chrono::Months::new(TAG_MAX_MONTHS))
        .unwrap_or(NaiveDate::MAX);
    if end > limit {
        return Err(TagTermProblem::TooLong);
    }
    Ok(())
}

/// Checks a tag order from `start` to `end` made on `today` for a term ending `term_end`;
/// `renews_end` is the end of the order it renews, if it renews one (it starts the next day).
/// A problem names `starts_on` or `ends_on`.
pub fn check_tag_dates(
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
    term_end: NaiveDate,
    renews_end: Option<NaiveDate>,
) -> Result<(), super::FieldProblem> {
    use crate::error::Said;
    let problem = |field: &str, en: &'static str, zh: &'static str| {
        Err(super::FieldProblem::new(field, Said::new(en, zh)))
    };
    match check_tag_term(start, end) {
        Ok(()) => {}
        Err(TagTermProblem::Empty) => {
            return problem("ends_on", "after starts_on", "须晚于开始日期")
        }
        Err(TagTermProblem::TooLong) => {
            return problem(
                "ends_on",
                "at most three months after starts_on (law art. 29); renew for longer",
                "自开始日期起不得超过三个月（社区矫正法第二十九条），需要更长请办理延长",
            )
        }
    }
    if start < today {
        return problem("starts_on", "today or later", "须为今天或以后");
    }
    // An order serves the term of supervision: it starts within it and ends by its last day.
    if start > term_end {
        return problem(
            "starts_on",
            "within the term of community corrections",
            "须在社区矫正期限内",
        );
    }
    if end > term_end {
        return problem(
            "ends_on",
            "on or before the last day of the term of community corrections",
            "不得晚于社区矫正期满之日",
        );
    }
    if renews_end.is_some_and(|e| start != e + chrono::Duration::days(1)) {
        return problem(
            "starts_on",
            "the day after the renewed order ends",
            "须为被延长决定结束日的次日",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use SentenceKind::*;

    fn codes(v: &[Suggestion]) -> Vec<&'static str> {
        v.iter().map(|s| s.ground.code).collect()
    }

    #[test]
    fn every_ground_is_cited_and_known_by_its_code() {
        for g in GROUNDS {
            assert!(g.article.starts_with("实施办法第"), "{}", g.code);
            assert!(!g.en.is_empty() && !g.zh.is_empty());
            assert_eq!(g.citation().matches("实施办法").count(), 1, "{}", g.code);
            assert_eq!(ground(g.code), Some(g));
            let prefix = g.code.split('.').next().unwrap();
            let expected = match g.sanction {
                Sanction::Commendation => "commendation",
                Sanction::Admonition => "admonition",
                Sanction::Warning => "warning",
                Sanction::PolicePenaltyReferral => "police",
                Sanction::RevocationRecommendation => "revocation",
                Sanction::ReturnToPrisonRecommendation => "prison",
                Sanction::Unknown => "unknown",
            };
            assert_eq!(prefix, expected, "{} is filed under its sanction", g.code);
        }
        let mut all: Vec<&str> = GROUNDS.iter().map(|g| g.code).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), GROUNDS.len(), "codes are unique");
    }

    #[test]
    fn time_out_of_supervision_at_each_threshold() {
        let at = |d, s| for_days_out(d, Some(s)).map(|x| (x.sanction, x.ground.code));
        assert_eq!(at(0, Probation), None);
        // Measures art. 34 (1): under ten days.
        assert_eq!(
            at(9, Probation),
            Some((Sanction::Admonition, "admonition.out_under_10_days"))
        );
        // Art. 35 (2): from ten days to a month.
        assert_eq!(
            at(10, Probation),
            Some((Sanction::Warning, "warning.out_10_days_to_a_month"))
        );
        assert_eq!(
            at(30, Parole),
            Some((Sanction::Warning, "warning.out_10_days_to_a_month"))
        );
        // Art. 46 (2), 47 (2): more than a month — revocation; art. 49 (2) for someone outside
        // prison; surveillance has nothing to revoke (law art. 28: the police).
        assert_eq!(
            at(31, Probation).unwrap().0,
            Sanction::RevocationRecommendation
        );
        assert_eq!(
            at(31, Parole).unwrap().0,
            Sanction::RevocationRecommendation
        );
        assert_eq!(
            at(31, MedicalParole).unwrap().0,
            Sanction::ReturnToPrisonRecommendation
        );
        assert_eq!(
            at(31, Surveillance).unwrap().0,
            Sanction::PolicePenaltyReferral
        );
    }

    #[test]
    fn repeated_sanctions_escalate_at_the_second() {
        let f = |admonitions, warnings, sentence| Facts {
            sentence: Some(sentence),
            admonitions_uncorrected: admonitions,
            warnings_uncorrected: warnings,
            ..Facts::default()
        };
        // Art. 35 (5): two admonitions and not corrected → a warning; one is not enough.
        assert!(suggest(&f(1, 0, Probation)).is_empty());
        assert_eq!(
            codes(&suggest(&f(2, 0, Probation))),
            ["warning.admonished_twice"]
        );
        // Art. 46 (4) / 47 (4): two warnings → revocation; art. 49 (4) outside prison.
        assert!(suggest(&f(0, 1, Probation)).is_empty());
        assert_eq!(
            codes(&suggest(&f(0, 2, Parole))),
            ["revocation.warned_twice"]
        );
        assert_eq!(
            codes(&suggest(&f(0, 2, MedicalParole))),
            ["prison.warned_twice"]
        );
    }

    #[test]
    fn prohibition_orders_by_gravity() {
        let f = |g| Facts {
            sentence: Some(Probation),
            prohibition_order_breach: Some(g),
            ..Facts::default()
        };
        assert_eq!(
            codes(&suggest(&f(Gravity::Minor))),
            ["warning.prohibition_order_minor"]
        );
        assert_eq!(
            codes(&suggest(&f(Gravity::Serious))),
            ["police.penalty_due"]
        );
        assert_eq!(
            codes(&suggest(&f(Gravity::Grave))),
            ["revocation.prohibition_order_serious"]
        );
    }

    #[test]
    fn suggestions_come_gravest_first_each_ground_once() {
        let f = Facts {
            sentence: Some(Probation),
            days_out_of_supervision: 12,
            rule_breach: Some(Gravity::Minor),
            education_skipped_after_told: true,
            warnings_uncorrected: 2,
            ..Facts::default()
        };
        let got = suggest(&f);
        assert_eq!(
            codes(&got),
            [
                "revocation.warned_twice",
                "warning.out_10_days_to_a_month",
                "admonition.education_skipped",
                "admonition.minor_rule_breach",
            ]
        );
        assert!(got[0].sanction.goes_to_another_authority());
        assert!(!got[1].sanction.goes_to_another_authority());
        // A judicial office proposes; the county agency decides every one of them.
        assert!(got
            .iter()
            .all(|s| s.sanction.decided_at() == ApprovalLevel::CountyAgency));
    }

    #[test]
    fn the_county_decides_and_the_person_acknowledges() {
        use super::super::transitions::Party;
        use crate::model::Role;
        let office = Party::person(Role::Officer, Some(ApprovalLevel::JudicialOffice));
        let county = Party::person(Role::Officer, Some(ApprovalLevel::CountyAgency));
        let person = Party::person(Role::Supervisee, None);
        let p = SanctionStatus::Proposed;
        assert!(SANCTION.check(SanctionAction::Approve, p, office).is_err());
        assert_eq!(
            SANCTION.check(SanctionAction::Approve, p, county),
            Ok(SanctionStatus::Approved)
        );
        assert!(SANCTION
            .check(SanctionAction::Acknowledge, p, person)
            .is_err());
        assert_eq!(
            SANCTION.check(
                SanctionAction::Acknowledge,
                SanctionStatus::Approved,
                person
            ),
            Ok(SanctionStatus::Acknowledged)
        );
        assert!(SanctionStatus::Acknowledged.in_force() && !SanctionStatus::Rejected.in_force());
    }

    /// Art. 29: only the county agency orders and ends; an ended order stays ended.
    #[test]
    fn the_county_orders_and_ends_a_tag() {
        use super::super::transitions::Party;
        use crate::model::Role;
        let office = Party::person(Role::Officer, Some(ApprovalLevel::JudicialOffice));
        let county = Party::person(Role::Officer, Some(ApprovalLevel::CountyAgency));
        assert_eq!(
            TAG_ORDER.may(TagAction::Order, office),
            Err(ErrorCode::TagNeedsCounty)
        );
        assert_eq!(TAG_ORDER.may(TagAction::Order, county), Ok(()));
        assert_eq!(
            TAG_ORDER.check(TagAction::End, TagOrderStatus::Ordered, county),
            Ok(TagOrderStatus::Ended)
        );
        assert_eq!(
            TAG_ORDER.check(TagAction::End, TagOrderStatus::Ended, county),
            Err(ErrorCode::TagOrderEnded)
        );
        assert_eq!(
            TAG_ORDER.check(TagAction::End, TagOrderStatus::Ordered, office),
            Err(ErrorCode::TagNeedsCounty)
        );
    }

    #[test]
    fn a_tag_order_lasts_three_months_at_most() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(check_tag_term(d("2026-01-31"), d("2026-04-30")), Ok(()));
        assert_eq!(check_tag_term(d("2026-01-15"), d("2026-04-15")), Ok(()));
        assert_eq!(
            check_tag_term(d("2026-01-15"), d("2026-04-16")),
            Err(TagTermProblem::TooLong)
        );
        assert_eq!(
            check_tag_term(d("2026-01-15"), d("2026-01-15")),
            Err(TagTermProblem::Empty)
        );
    }

    #[test]
    fn a_tag_orders_dates_stay_in_the_term_and_a_renewal_follows_on() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let today = d("2026-12-07");
        let term_end = d("2027-06-30");
        let field = |start: &str, end: &str, renews: Option<&str>| {
            check_tag_dates(d(start), d(end), today, term_end, renews.map(d))
                .err()
                .map(|p| p.field)
        };
        assert_eq!(field("2026-12-07", "2027-03-07", None).as_deref(), None);
        assert_eq!(
            field("2026-12-07", "2027-03-08", None).as_deref(),
            Some("ends_on"),
            "over three months"
        );
        assert_eq!(
            field("2026-12-07", "2026-12-07", None).as_deref(),
            Some("ends_on"),
            "empty"
        );
        assert_eq!(
            field("2026-12-06", "2027-01-06", None).as_deref(),
            Some("starts_on"),
            "past"
        );
        assert_eq!(
            field("2027-05-01", "2027-07-01", None).as_deref(),
            Some("ends_on"),
            "past the term"
        );
        assert_eq!(
            field("2027-03-08", "2027-06-07", Some("2027-03-07")).as_deref(),
            None
        );
        assert_eq!(
            field("2027-03-09", "2027-06-07", Some("2027-03-07")).as_deref(),
            Some("starts_on")
        );
    }
}
