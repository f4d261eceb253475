//! The one clock. Handlers and jobs take the time from `AppState::clock`, never from the
//! system directly, and "today" from it in China time (`huijiao_core::policy::calendar`), so a
//! test can stand the whole server at any instant — 23:30 UTC, which is already tomorrow in
//! China; the last day of a month — and see what a person there would see.
//!
//! The clock runs with the system's; a test shifts it (`set`, `advance`), and every clone of
//! the state sees the shift. Nothing in the server shifts it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use huijiao_core::policy::calendar;

#[derive(Clone, Default)]
pub struct Clock {
    /// Microseconds added to the system's time.
    shift_us: Arc<AtomicI64>,
}

impl Clock {
    /// The system's time.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// Now, in whole microseconds: what PostgreSQL keeps of an instant, so a time written and
    /// read back (a page's cursor among them) is the same value on either database.
    pub fn now(&self) -> DateTime<Utc> {
        let us = Utc::now().timestamp_micros() + self.shift_us.load(Ordering::Relaxed);
        DateTime::from_timestamp_micros(us).expect("within 290 000 years")
    }

    /// Today's date in China time.
    pub fn today(&self) -> NaiveDate {
        calendar::local_date(self.now())
    }

    /// Stands the clock at `at`; it runs on from there. For tests.
    pub fn set(&self, at: DateTime<Utc>) {
        let shift = (at - Utc::now())
            .num_microseconds()
            .expect("within 290 000 years");
        self.shift_us.store(shift, Ordering::Relaxed);
    }

    /// Moves the clock on by `by`. For tests.
    pub fn advance(&self, by: Duration) {
        let by = by.num_microseconds().expect("within 290 000 years");
        self.shift_us.fetch_add(by, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_runs_on_and_its_clones_follow() {
        let clock = Clock::system();
        let copy = clock.clone();
        let at: DateTime<Utc> = "2026-12-07T23:30:00Z".parse().unwrap();
        clock.set(at);
        let now = copy.now();
        assert!(now >= at && now - at < Duration::seconds(5), "{now}");
        // 23:30 UTC is 07:30 the next morning in China.
        assert_eq!(copy.today().to_string(), "2026-12-08");
        clock.advance(Duration::days(1));
        assert_eq!(copy.today().to_string(), "2026-12-09");
        assert!((Clock::system().now() - Utc::now()).num_seconds().abs() < 5);
        assert_eq!(
            copy.now().timestamp_subsec_nanos() % 1000,
            0,
            "whole microseconds"
        );
    }
}
