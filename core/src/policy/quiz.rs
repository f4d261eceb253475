//! Quizzes (测验): questions with a key the app never sees before it submits, scored on the
//! server by the rules here; a pass mark in percent and a limit on attempts, per quiz.
//!
//! Pure: the server stores the questions and attempts and calls these.

use serde::{Deserialize, Serialize};

use crate::model::string_enum;

string_enum! {
    open
    QuestionKind {
        /// One option is right.
        Single = "single",
        /// Every right option and no wrong one must be chosen (no partial credit: guessing
        /// all options is not half right).
        Multiple = "multiple",
        /// Options are "true" and "false"; the key is one of them.
        TrueFalse = "true_false",
        /// A written answer, graded by an officer (0 to the question's points): no options,
        /// no key.
        ShortText = "short_text",
    }
}

/// A quiz's pass mark, percent of its points, when its author sets none.
pub const DEFAULT_PASS_PERCENT: u32 = 60;
/// How many attempts a quiz allows when its author sets none.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

/// A question as scoring needs it: its kind, the options' count, the right options' indices
/// and the points it is worth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyed {
    pub kind: QuestionKind,
    pub options: usize,
    pub key: Vec<u32>,
    pub points: u32,
}

/// Why a question as authored cannot be asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionProblem {
    /// Single and multiple choice need 2 to 10 options; true/false exactly 2; short text none.
    Options,
    /// The key names an option that does not exist, or the wrong number of them.
    Key,
    /// 1 to 100 points.
    Points,
    Kind,
}

impl Keyed {
    pub fn check(&self) -> Result<(), QuestionProblem> {
        let options_ok = match self.kind {
            QuestionKind::Single | QuestionKind::Multiple => (2..=10).contains(&self.options),
            QuestionKind::TrueFalse => self.options == 2,
            QuestionKind::ShortText => self.options == 0,
            QuestionKind::Unknown => return Err(QuestionProblem::Kind),
        };
        if !options_ok {
            return Err(QuestionProblem::Options);
        }
        let mut key = self.key.clone();
        key.sort_unstable();
        key.dedup();
        let in_range =
            key.len() == self.key.len() && key.iter().all(|&k| (k as usize) < self.options);
        let count_ok = match self.kind {
            QuestionKind::Multiple => !key.is_empty(),
            QuestionKind::ShortText => key.is_empty(),
            _ => key.len() == 1,
        };
        if !in_range || !count_ok {
            return Err(QuestionProblem::Key);
        }
        if !(1..=100).contains(&self.points) {
            return Err(QuestionProblem::Points);
        }
        Ok(())
    }

    /// Whether `chosen` (option indices, in any order) is the right answer (a short text is
    /// never right by itself: an officer grades it).
    pub fn is_right(&self, chosen: &[u32]) -> bool {
        if self.kind == QuestionKind::ShortText {
            return false;
        }
        let mut chosen = chosen.to_vec();
        chosen.sort_unstable();
        chosen.dedup();
        let mut key = self.key.clone();
        key.sort_unstable();
        chosen == key
    }
}

/// An attempt's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub points: u32,
    pub max_points: u32,
    /// Rounded down: 59.9 % is not 60 %.
    pub percent: u32,
    pub passed: bool,
    /// A written answer waits for an officer's grade: nothing is passed or failed until then.
    pub awaiting_review: bool,
}

/// Scores answers (`answers[i]` for `questions[i]`; a question left out scores nothing; a
/// short text answered is `Some(vec![])`) against `pass_percent`, with the officer's grades of
/// the short texts (`graded[i]`, at most the question's points) once given.
pub fn score(
    questions: &[Keyed],
    answers: &[Option<Vec<u32>>],
    graded: &[Option<u32>],
    pass_percent: u32,
) -> Score {
    let max_points: u32 = questions.iter().map(|q| q.points).sum();
    let answer = |i: usize| answers.get(i).and_then(Option::as_deref);
    let grade = |i: usize| graded.get(i).copied().flatten();
    let mut points = 0;
    let mut awaiting_review = false;
    for (i, q) in questions.iter().enumerate() {
        match (q.kind, answer(i)) {
            (_, None) => {}
            (QuestionKind::ShortText, Some(_)) => match grade(i) {
                Some(p) => points += p.min(q.points),
                None => awaiting_review = true,
            },
            (_, Some(chosen)) if q.is_right(chosen) => points += q.points,
            _ => {}
        }
    }
    let percent = if max_points == 0 {
        0
    } else {
        (u64::from(points) * 100 / u64::from(max_points)) as u32
    };
    Score {
        points,
        max_points,
        percent,
        passed: !awaiting_review && max_points > 0 && percent >= pass_percent,
        awaiting_review,
    }
}

/// The order a new attempt asks its questions in: a shuffle of `0..n` from `roll` (a fresh
/// random number per call; seeded in tests), so neighbours cannot copy an order.
pub fn question_order(n: usize, mut roll: impl FnMut() -> u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    // Fisher–Yates.
    for i in (1..n).rev() {
        let j = (roll() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(kind: QuestionKind, options: usize, key: &[u32], points: u32) -> Keyed {
        Keyed {
            kind,
            options,
            key: key.to_vec(),
            points,
        }
    }

    #[test]
    fn questions_are_checked_as_authored() {
        assert_eq!(q(QuestionKind::Single, 4, &[2], 10).check(), Ok(()));
        assert_eq!(q(QuestionKind::Multiple, 4, &[0, 3], 10).check(), Ok(()));
        assert_eq!(q(QuestionKind::TrueFalse, 2, &[1], 5).check(), Ok(()));
        assert_eq!(
            q(QuestionKind::Single, 4, &[4], 10).check(),
            Err(QuestionProblem::Key)
        );
        assert_eq!(
            q(QuestionKind::Single, 4, &[0, 1], 10).check(),
            Err(QuestionProblem::Key)
        );
        assert_eq!(
            q(QuestionKind::Multiple, 4, &[1, 1], 10).check(),
            Err(QuestionProblem::Key)
        );
        assert_eq!(
            q(QuestionKind::TrueFalse, 3, &[0], 10).check(),
            Err(QuestionProblem::Options)
        );
        assert_eq!(
            q(QuestionKind::Single, 1, &[0], 10).check(),
            Err(QuestionProblem::Options)
        );
        assert_eq!(
            q(QuestionKind::Single, 2, &[0], 0).check(),
            Err(QuestionProblem::Points)
        );
        assert_eq!(q(QuestionKind::ShortText, 0, &[], 10).check(), Ok(()));
        assert_eq!(
            q(QuestionKind::ShortText, 2, &[], 10).check(),
            Err(QuestionProblem::Options)
        );
        assert_eq!(
            q(QuestionKind::ShortText, 0, &[0], 10).check(),
            Err(QuestionProblem::Key)
        );
    }

    #[test]
    fn a_written_answer_waits_for_its_grade() {
        let qs = [
            q(QuestionKind::Single, 3, &[1], 40),
            q(QuestionKind::ShortText, 0, &[], 60),
        ];
        let answers = [Some(vec![1]), Some(vec![])];
        let waiting = score(&qs, &answers, &[], 60);
        assert_eq!(
            (waiting.points, waiting.passed, waiting.awaiting_review),
            (40, false, true)
        );
        let graded = score(&qs, &answers, &[None, Some(30)], 60);
        assert_eq!(
            (
                graded.points,
                graded.percent,
                graded.passed,
                graded.awaiting_review
            ),
            (70, 70, true, false)
        );
        // A grade above the question's points counts as its points; a text left out scores
        // nothing and waits for nobody.
        assert_eq!(score(&qs, &answers, &[None, Some(500)], 60).points, 100);
        let blank = score(&qs, &[Some(vec![1]), None], &[], 60);
        assert_eq!(
            (blank.points, blank.awaiting_review, blank.passed),
            (40, false, false)
        );
        assert!(!qs[1].is_right(&[]));
    }

    #[test]
    fn a_multiple_choice_needs_every_right_option_and_no_wrong_one() {
        let m = q(QuestionKind::Multiple, 4, &[0, 2], 10);
        assert!(m.is_right(&[2, 0]));
        assert!(!m.is_right(&[0]));
        assert!(!m.is_right(&[0, 1, 2, 3]), "everything chosen is not right");
    }

    #[test]
    fn the_pass_mark_is_met_only_when_reached() {
        let qs = [
            q(QuestionKind::Single, 4, &[1], 3),
            q(QuestionKind::TrueFalse, 2, &[0], 2),
        ];
        let s = score(&qs, &[Some(vec![1]), Some(vec![1])], &[], 60);
        assert_eq!(
            (s.points, s.max_points, s.percent, s.passed),
            (3, 5, 60, true)
        );
        let s = score(&qs, &[Some(vec![1])], &[], 61);
        assert_eq!(
            (s.percent, s.passed),
            (60, false),
            "a missing answer scores nothing"
        );
        let s = score(&qs, &[None, Some(vec![0])], &[], 60);
        assert_eq!((s.points, s.passed), (2, false));
    }

    #[test]
    fn the_order_is_a_permutation_and_varies() {
        let mut seed = 7u64;
        let mut roll = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed >> 33
        };
        let a = question_order(10, &mut roll);
        let b = question_order(10, &mut roll);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
        assert_ne!(a, b);
        assert_eq!(question_order(0, &mut roll), Vec::<usize>::new());
    }
}
