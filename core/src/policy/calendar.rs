//! The one calendar: China Standard Time (UTC+8 all year, no summer time) for every "today",
//! every month and every local date the rules speak of. An instant is a `DateTime<Utc>`; what a
//! person calls a day or a month is its date here, never the UTC date (which is yesterday's
//! until 08:00 in China).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc};

/// Local time of the jurisdiction: China Standard Time, UTC+8.
pub fn local_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// The local date of an instant: "today" when `at` is now.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&local_offset()).date_naive()
}

/// The instant a local date begins (00:00 China time).
pub fn day_start(date: NaiveDate) -> DateTime<Utc> {
    local_offset()
        .from_local_datetime(&date.and_time(chrono::NaiveTime::MIN))
        .single()
        .expect("a fixed offset has no gaps")
        .with_timezone(&Utc)
}

/// The bounds of a period a person asks for (a query's `from` and `to`): an RFC 3339 moment,
/// or a date meaning that whole day in China time: `from=2026-12-01` starts at its 00:00,
/// `to=2026-12-01` ends at the next day's 00:00, so a period from a day to the same day is that
/// day.
pub mod period {
    use chrono::{DateTime, Duration, NaiveDate, Utc};
    use serde::{Deserialize, Deserializer};

    fn read(s: &str, end: bool) -> Option<DateTime<Utc>> {
        let s = s.trim();
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            let day = super::day_start(d);
            return Some(if end { day + Duration::days(1) } else { day });
        }
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    fn parse<'de, D: Deserializer<'de>>(d: D, end: bool) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(d)?;
        read(&s, end).ok_or_else(|| {
            // The server names the field and the two formats from this wording.
            serde::de::Error::custom(
                "input contains invalid characters: a date (YYYY-MM-DD) or a moment (RFC 3339)",
            )
        })
    }

    pub fn start<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        parse(d, false)
    }

    pub fn end<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        parse(d, true)
    }

    pub fn start_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        parse(d, false).map(Some)
    }

    pub fn end_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        parse(d, true).map(Some)
    }

    #[cfg(test)]
    #[test]
    fn a_day_is_the_whole_day_in_china() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(read("2026-12-01", false), Some(at("2026-11-30T16:00:00Z")));
        assert_eq!(read("2026-12-01", true), Some(at("2026-12-01T16:00:00Z")));
        assert_eq!(
            read("2026-12-01T08:00:00+08:00", true),
            Some(at("2026-12-01T00:00:00Z"))
        );
        assert_eq!(read("2026-13-01", false), None);
        assert_eq!(read("yesterday", false), None);
    }
}

/// A calendar month, China time: what ledgers, assessments and records are kept by. Written
/// `YYYY-MM` on the wire and in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// `None` unless `month` is 1 to 12 and the year has four digits.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1000..=9999).contains(&year))
            .then_some(Month { year, month })
    }

    /// The month an instant falls in, China time.
    pub fn of(at: DateTime<Utc>) -> Month {
        Month::containing(local_date(at))
    }

    /// The month of a date.
    pub fn containing(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Exactly `YYYY-MM`; anything else is `None`.
    pub fn parse(text: &str) -> Option<Month> {
        let b = text.as_bytes();
        if b.len() != 7
            || b[4] != b'-'
            || !b
                .iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit())
        {
            return None;
        }
        Month::new(text[..4].parse().ok()?, text[5..].parse().ok()?)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a month's first day")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day() - Duration::days(1)
    }

    pub fn days(self) -> i64 {
        (self.next().first_day() - self.first_day()).num_days()
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                month: self.month + 1,
                ..self
            }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                month: self.month - 1,
                ..self
            }
        }
    }

    /// When the month begins and when the next begins, China time.
    pub fn span(self) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            day_start(self.first_day()),
            day_start(self.next().first_day()),
        )
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = ();
    fn from_str(s: &str) -> Result<Month, ()> {
        Month::parse(s).ok_or(())
    }
}

/// The month an instant falls in, China time, as `YYYY-MM`.
pub fn month_of(at: DateTime<Utc>) -> String {
    Month::of(at).to_string()
}

/// When a calendar year (China time) begins and when the next begins.
pub fn year_span(year: i32) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    Some((
        Month::new(year, 1)?.span().0,
        Month::new(year, 12)?.span().1,
    ))
}

/// When the months `from` to `to` (`YYYY-MM`, both included) begin and end; `None` for a
/// malformed month or `to` before `from`.
pub fn months_span(from: &str, to: &str) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let (first, last) = (Month::parse(from)?, Month::parse(to)?);
    (first <= last).then(|| (first.span().0, last.span().1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn today_turns_at_midnight_china_time_not_utc() {
        // 23:59 UTC on the 7th is 07:59 on the 8th in China: the 8th, where the UTC date says 7th.
        assert_eq!(
            local_date(utc("2026-12-07T15:59:59Z")).to_string(),
            "2026-12-07"
        );
        assert_eq!(
            local_date(utc("2026-12-07T16:00:00Z")).to_string(),
            "2026-12-08"
        );
        assert_eq!(
            local_date(utc("2026-12-07T23:59:00Z")).to_string(),
            "2026-12-08"
        );
        assert_eq!(
            day_start(NaiveDate::from_ymd_opt(2026, 12, 8).unwrap()),
            utc("2026-12-07T16:00:00Z")
        );
    }

    #[test]
    fn a_month_is_china_time() {
        // The last evening of November in UTC is already December in China.
        assert_eq!(month_of(utc("2026-11-30T16:30:00Z")), "2026-12");
        assert_eq!(month_of(utc("2026-11-30T15:30:00Z")), "2026-11");
        let m = Month::parse("2026-12").unwrap();
        assert_eq!(
            m.span(),
            (utc("2026-11-30T16:00:00Z"), utc("2026-12-31T16:00:00Z"))
        );
        assert_eq!(m.next().to_string(), "2027-01");
        assert_eq!(m.next().previous(), m);
        assert_eq!(Month::parse("2024-02").unwrap().days(), 29);
        assert_eq!(
            Month::parse("2026-02").unwrap().last_day().to_string(),
            "2026-02-28"
        );
    }

    #[test]
    fn only_yyyy_mm_is_a_month() {
        for bad in [
            "2026-13",
            "2026-00",
            "2026-1",
            "2026/01",
            "26-01",
            "2026-011",
            "２０２６-01",
            "+026-01",
            "-026-01",
            "",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(
            "2026-01".parse::<Month>().map(|m| (m.year(), m.number())),
            Ok((2026, 1))
        );
    }

    #[test]
    fn spans_of_months_and_years_are_china_time_and_in_order() {
        assert_eq!(
            months_span("2026-01", "2026-03"),
            Some((utc("2025-12-31T16:00:00Z"), utc("2026-03-31T16:00:00Z")))
        );
        assert_eq!(months_span("2026-03", "2026-01"), None);
        assert_eq!(months_span("2026-3", "2026-04"), None);
        assert_eq!(
            year_span(2026),
            Some((utc("2025-12-31T16:00:00Z"), utc("2026-12-31T16:00:00Z")))
        );
        assert_eq!(year_span(i32::MAX), None);
        assert_eq!(year_span(999), None);
    }
}
