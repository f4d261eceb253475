//! The end of a case (DOMAIN.md, "A case's life" 8). Release (解除社区矫正): when the term
//! ends, the county agency issues the person a release certificate (解除社区矫正证明书) and
//! tells the court, procuratorate and police (law art. 44); it is announced in public to the
//! person (解除宣告). Termination (终止): revocation, return to prison, or death (art. 45-46).
//! Either closes the case read-only and starts the biometric purge schedule.
//!
//! Pure.

use chrono::NaiveDate;

use crate::error::ErrorCode;

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
}
