//! Group lectures (集中学习): a scheduled lecture at a venue, attended in person. Attendance is
//! proven by the rotating code the officer's phone shows as a QR code (TOTP-style: a new code
//! every `lecture_code_secs`, from a secret of that lecture alone, so a photo of the code sent
//! to someone at home is useless a minute later and a code of another lecture never fits) plus
//! a GPS fix inside the venue; or the officer marks the person. What attending credits goes to
//! the month's ledger (`learning::CreditSource::Lecture`).
//!
//! Pure: the server keeps the secret and the clock and applies what this returns.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use uuid::Uuid;

use super::learning::LearningRules;
use crate::model::string_enum;

string_enum! {
    open
    /// How a person attended a lecture.
    AttendanceMark {
        /// There from (nearly) the start: the whole lecture is credited.
        Present = "present",
        /// Arrived after the late margin: credited from arrival.
        Late = "late",
        /// Excused by the officer beforehand (illness, approved leave): nothing credited,
        /// nothing held against them.
        Excused = "excused",
        Absent = "absent",
    }
}

string_enum! {
    open
    /// What proves an attendance.
    AttendanceMethod {
        /// The lecture's rotating code scanned on site, with a GPS fix inside the venue.
        Code = "code",
        /// A face check-in passed on site moments before, with a GPS fix inside the venue.
        Face = "face",
        /// Marked by an officer (with a reason, audited).
        Officer = "officer",
    }
}

/// What a scanned code is, at the moment it reaches the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// The code shown now, or the one just before (scanning and sending take a few seconds).
    Valid,
    /// A code of this lecture, but from earlier: a photo passed on, or a queue too slow.
    Expired,
    /// Not a code of this lecture at all.
    Wrong,
}

/// How far back an old code is still recognised as this lecture's (to say "expired" rather
/// than "wrong"): ten minutes of windows at most.
const RECOGNISED_SECS: i64 = 600;

/// When an event held on site (a lecture, a community-service activity) may be scheduled: how
/// long ago it may have started (recorded after the fact), and its shortest and longest
/// length, with the words that name each range.
#[derive(Debug, Clone, Copy)]
pub struct EventWindow {
    pub started_up_to_days: i64,
    pub shortest_mins: i64,
    pub longest_mins: i64,
    pub starts_en: &'static str,
    pub starts_zh: &'static str,
    pub length_en: &'static str,
    pub length_zh: &'static str,
}

/// A lecture held in the last month may be recorded after the fact (officers mark it).
pub const LECTURE_WINDOW: EventWindow = EventWindow {
    started_up_to_days: 31,
    shortest_mins: 10,
    longest_mins: 8 * 60,
    starts_en: "within the last month or the coming year",
    starts_zh: "须在过去一个月到未来一年之内",
    length_en: "10 minutes to 8 hours after the start",
    length_zh: "须在开始后 10 分钟到 8 小时之间",
};

/// The window a moment falls in, for codes that change every `code_secs`.
pub fn code_window(at: DateTime<Utc>, code_secs: u32) -> i64 {
    at.timestamp().div_euclid(i64::from(code_secs.max(1)))
}

/// The 8-digit code of `window` for a lecture's secret (HMAC-SHA256, truncated as HOTP does,
/// RFC 4226 §5.3).
pub fn lecture_code(secret: &[u8], window: i64) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key");
    mac.update(&window.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = usize::from(h[h.len() - 1] & 0x0f);
    let n = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    format!("{:08}", n % 100_000_000)
}

/// The code on the officer's screen at `at`, and until when it is shown.
pub fn current_code(secret: &[u8], at: DateTime<Utc>, code_secs: u32) -> (String, DateTime<Utc>) {
    let w = code_window(at, code_secs);
    let next = (w + 1) * i64::from(code_secs.max(1));
    (
        lecture_code(secret, w),
        DateTime::from_timestamp(next, 0).unwrap_or(at),
    )
}

/// Whether `code`, received at `at`, is this lecture's current code.
pub fn check_code(secret: &[u8], code: &str, at: DateTime<Utc>, code_secs: u32) -> CodeCheck {
    let w = code_window(at, code_secs);
    let same =
        |window: i64| constant_time_eq(lecture_code(secret, window).as_bytes(), code.as_bytes());
    if same(w) || same(w - 1) {
        return CodeCheck::Valid;
    }
    let back = RECOGNISED_SECS / i64::from(code_secs.max(1));
    if (2..=back).any(|k| same(w - k)) {
        CodeCheck::Expired
    } else {
        CodeCheck::Wrong
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What the officer's QR code holds: which lecture, and its code.
pub fn qr_payload(lecture: Uuid, code: &str) -> String {
    qr_payload_of("lecture", lecture, code)
}

/// The lecture and code a scanned QR code holds, if it is one of ours.
pub fn parse_qr(payload: &str) -> Option<(Uuid, String)> {
    parse_qr_of("lecture", payload)
}

/// A rotating code's QR text for a thing of `kind` (a lecture, a service activity): the kind
/// is in it, so one kind's code is never taken for another's.
pub(crate) fn qr_payload_of(kind: &str, id: Uuid, code: &str) -> String {
    format!("huijiao:{kind}:{id}:{code}")
}

pub(crate) fn parse_qr_of(kind: &str, payload: &str) -> Option<(Uuid, String)> {
    let rest = payload
        .trim()
        .strip_prefix("huijiao:")?
        .strip_prefix(kind)?
        .strip_prefix(':')?;
    let (id, code) = rest.split_once(':')?;
    let ok = code.len() == 8 && code.bytes().all(|b| b.is_ascii_digit());
    Some((Uuid::parse_str(id).ok()?, code.to_owned())).filter(|_| ok)
}

/// When the door is open for scanning: from `lecture_opens_before_mins` before the start to
/// the end.
pub fn scanning_open(
    rules: &LearningRules,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    at: DateTime<Utc>,
) -> bool {
    let opens = starts - chrono::Duration::minutes(i64::from(rules.lecture_opens_before_mins));
    opens <= at && at < ends
}

/// Minutes from `starts` to `ends`, to the nearest (stored times may lose a fraction of a
/// second: that must not cost a minute).
pub fn lecture_minutes(starts: DateTime<Utc>, ends: DateTime<Utc>) -> u32 {
    ((ends - starts).num_seconds() + 30)
        .div_euclid(60)
        .clamp(0, i64::from(u32::MAX)) as u32
}

/// How an arrival at `at` counts: present (whole lecture) up to the late margin after the
/// start, else late with the minutes from arrival to the end.
pub fn arrival(
    rules: &LearningRules,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    at: DateTime<Utc>,
) -> (AttendanceMark, u32) {
    let late_from = starts + chrono::Duration::minutes(i64::from(rules.lecture_late_mins));
    if at <= late_from {
        (AttendanceMark::Present, lecture_minutes(starts, ends))
    } else {
        (AttendanceMark::Late, lecture_minutes(at.min(ends), ends))
    }
}

/// The minutes an officer's mark credits: the whole lecture for present, from the arrival for
/// late (the arrival must be given), nothing for excused or absent.
pub fn marked_minutes(
    mark: AttendanceMark,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    arrived: Option<DateTime<Utc>>,
) -> Option<u32> {
    match mark {
        AttendanceMark::Present => Some(lecture_minutes(starts, ends)),
        AttendanceMark::Late => {
            let at = arrived?;
            (at > starts && at < ends).then(|| lecture_minutes(at, ends))
        }
        AttendanceMark::Excused | AttendanceMark::Absent => Some(0),
        AttendanceMark::Unknown => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, h, m, s).unwrap()
    }

    #[test]
    fn codes_follow_rfc_4226_truncation() {
        // RFC 4226 appendix D's key; HMAC-SHA256 instead of SHA-1, so the values are ours, but
        // stable: a change of the algorithm shows here.
        let key = b"12345678901234567890";
        let a = lecture_code(key, 1);
        assert_eq!(a.len(), 8);
        assert!(a.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(a, lecture_code(key, 1));
        assert_ne!(a, lecture_code(key, 2));
        assert_ne!(a, lecture_code(b"another lecture's secret", 1));
    }

    #[test]
    fn a_code_lives_for_its_window_and_the_next() {
        let secret = [7u8; 32];
        let shown_at = t(9, 0, 5);
        let (code, until) = current_code(&secret, shown_at, 30);
        assert_eq!(until, t(9, 0, 30));
        assert_eq!(check_code(&secret, &code, shown_at, 30), CodeCheck::Valid);
        // Scanned at the end of its window and sent in the next one: still good.
        assert_eq!(
            check_code(&secret, &code, t(9, 0, 59), 30),
            CodeCheck::Valid
        );
        // Two windows on it is a code passed on.
        assert_eq!(
            check_code(&secret, &code, t(9, 1, 0), 30),
            CodeCheck::Expired
        );
        assert_eq!(
            check_code(&secret, &code, t(9, 9, 59), 30),
            CodeCheck::Expired
        );
        // Long after, it is no longer even recognised.
        assert_eq!(
            check_code(&secret, &code, t(9, 20, 0), 30),
            CodeCheck::Wrong
        );
        // Another lecture's code, shown at the same moment, does not fit this one.
        let (other, _) = current_code(&[8u8; 32], shown_at, 30);
        assert_eq!(check_code(&secret, &other, shown_at, 30), CodeCheck::Wrong);
        assert_eq!(check_code(&secret, "", shown_at, 30), CodeCheck::Wrong);
        assert_eq!(
            check_code(&secret, "1234567", shown_at, 30),
            CodeCheck::Wrong
        );
    }

    #[test]
    fn the_qr_payload_round_trips_and_rejects_strangers() {
        let id = Uuid::now_v7();
        assert_eq!(
            parse_qr(&qr_payload(id, "01234567")),
            Some((id, "01234567".into()))
        );
        assert_eq!(parse_qr("huijiao:lecture:not-a-uuid:01234567"), None);
        assert_eq!(parse_qr(&format!("huijiao:lecture:{id}:0123")), None);
        assert_eq!(parse_qr(&format!("huijiao:lecture:{id}:abcdefgh")), None);
        assert_eq!(parse_qr("https://example.com"), None);
    }

    #[test]
    fn arrivals_are_present_within_the_margin_then_late_from_arrival() {
        let rules = LearningRules::default();
        let (starts, ends) = (t(9, 0, 0), t(11, 0, 0));
        assert_eq!(
            arrival(&rules, starts, ends, t(8, 45, 0)),
            (AttendanceMark::Present, 120)
        );
        assert_eq!(
            arrival(&rules, starts, ends, t(9, 10, 0)),
            (AttendanceMark::Present, 120)
        );
        assert_eq!(
            arrival(&rules, starts, ends, t(9, 40, 0)),
            (AttendanceMark::Late, 80)
        );
        assert!(scanning_open(&rules, starts, ends, t(8, 30, 0)));
        assert!(!scanning_open(&rules, starts, ends, t(8, 29, 59)));
        assert!(!scanning_open(&rules, starts, ends, ends));
    }

    #[test]
    fn an_officers_mark_credits_by_kind() {
        let (starts, ends) = (t(9, 0, 0), t(11, 0, 0));
        assert_eq!(
            marked_minutes(AttendanceMark::Present, starts, ends, None),
            Some(120)
        );
        assert_eq!(
            marked_minutes(AttendanceMark::Late, starts, ends, Some(t(10, 30, 0))),
            Some(30)
        );
        // Late needs a time of arrival within the lecture.
        assert_eq!(
            marked_minutes(AttendanceMark::Late, starts, ends, None),
            None
        );
        assert_eq!(
            marked_minutes(AttendanceMark::Late, starts, ends, Some(t(11, 30, 0))),
            None
        );
        assert_eq!(
            marked_minutes(AttendanceMark::Excused, starts, ends, None),
            Some(0)
        );
        assert_eq!(
            marked_minutes(AttendanceMark::Absent, starts, ends, None),
            Some(0)
        );
    }
}
