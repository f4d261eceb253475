//! The end of a case (DOMAIN.md, "A case's life" 8). Release (解除社区矫正): when the term
//! ends, the county agency issues the person a release certificate (解除社区矫正证明书) and
//! tells the court, procuratorate and police (law art. 44); it is announced in public to the
//! person (解除宣告). Termination (终止): revocation, return to prison, or death (art. 45-46).
//! Either closes the case read-only and starts the biometric purge schedule.
//!
//! Pure.

use chrono::NaiveDate;

use super::text::{check, Shape, TextProblem};
use super::FieldProblem;
use crate::error::{ErrorCode, Said};

/// What a release certificate's number starts with (解除).
pub const RELEASE_CERTIFICATE_PREFIX: &str = "JC";

/// A person is released on the last day of their term or after it (law art. 44: 矫正期满),
/// never before.
pub fn check_release(end_date: NaiveDate, today: NaiveDate) -> Result<(), ErrorCode> {
    if today < end_date {
        return Err(ErrorCode::CaseTermNotEnded);
    }
    Ok(())
}

/// At most this many people named as present at the release announcement.
pub const ATTENDEES_MAX: usize = 20;

/// Checks the release announcement's record: where (one line), who was present (at most
/// `ATTENDEES_MAX`, a line each), and an optional note. A problem names `place`,
/// `attendees`, `attendees[i]` or `note`.
pub fn check_announcement(
    place: &str,
    attendees: &[String],
    note: Option<&str>,
) -> Result<(), FieldProblem> {
    let on = |field: String| move |p: TextProblem| FieldProblem::new(field, p.message());
    check(place.trim(), 500, Shape::Line).map_err(on("place".into()))?;
    if attendees.len() > ATTENDEES_MAX {
        return Err(FieldProblem::new(
            "attendees",
            Said::new(
                format!("at most {ATTENDEES_MAX} people"),
                format!("最多 {ATTENDEES_MAX} 人"),
            ),
        ));
    }
    for (i, a) in attendees.iter().enumerate() {
        check(a.trim(), 200, Shape::Line).map_err(on(format!("attendees[{i}]")))?;
    }
    if let Some(n) = note.map(str::trim).filter(|n| !n.is_empty()) {
        check(n, 2000, Shape::Paragraphs).map_err(on("note".into()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Law art. 44: released when the term is over (矫正期满), from its last day on.
    #[test]
    fn release_comes_at_the_end_of_the_term() {
        assert_eq!(
            check_release(d("2027-01-01"), d("2026-12-31")),
            Err(ErrorCode::CaseTermNotEnded)
        );
        assert_eq!(check_release(d("2027-01-01"), d("2027-01-01")), Ok(()));
        assert_eq!(check_release(d("2027-01-01"), d("2027-01-05")), Ok(()));
    }

    #[test]
    fn release_numbers_are_certificate_numbers() {
        let n = super::super::help::certificate_number(RELEASE_CERTIFICATE_PREFIX, 2027, 42);
        assert!(n.starts_with("JC-2027-"));
        assert_eq!(
            super::super::help::parse_certificate_number(RELEASE_CERTIFICATE_PREFIX, &n),
            Some(n.clone())
        );
        assert_eq!(super::super::help::parse_certificate_number("ZY", &n), None);
    }

    #[test]
    fn the_announcement_names_a_place_and_at_most_twenty_present() {
        let people = |n: usize| vec!["王某".to_owned(); n];
        assert!(check_announcement("东岗司法所", &people(20), None).is_ok());
        let field = |place: &str, who: &[String], note: Option<&str>| {
            check_announcement(place, who, note).unwrap_err().field
        };
        assert_eq!(field(" ", &[], None), "place");
        assert_eq!(field("所", &people(21), None), "attendees");
        assert_eq!(
            field("所", &["a".into(), "b\nc".into()], None),
            "attendees[1]"
        );
        assert_eq!(field("所", &[], Some("\u{202E}")), "note");
        assert!(
            check_announcement("所", &[], Some("  ")).is_ok(),
            "a blank note is no note"
        );
    }
}
