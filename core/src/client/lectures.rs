//! Group lectures: scheduling one, the code an officer's phone shows, checking in on site with
//! the scanned code, officers' marks and the roster.

use super::*;
use chrono::{DateTime, Utc};

impl Client {
    /// Schedules a lecture for everyone under a unit (the officer's or one below).
    pub async fn create_lecture(&self, req: &LectureCreate) -> Result<LectureView, ClientError> {
        self.post("/lectures", req).await
    }

    /// Lectures ending after `from` (default: a week ago), soonest first; a supervisee's come
    /// with their own attendance.
    pub fn lectures(&self, from: Option<DateTime<Utc>>) -> Pages<'_, LectureView> {
        match from {
            Some(t) => {
                let t = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                Pages::new(self, format!("/lectures?from={t}"))
            }
            None => Pages::new(self, "/lectures"),
        }
    }

    /// The code to show as a QR code now; ask again at its `valid_until`.
    pub async fn lecture_code(&self, lecture_id: Uuid) -> Result<LectureCodeView, ClientError> {
        self.get(&format!("/lectures/{lecture_id}/code")).await
    }

    /// Checks in at a lecture with a scanned code, or a face check-in just passed, and the
    /// phone's fix; sending it again returns the attendance already taken.
    pub async fn attend_lecture(
        &self,
        lecture_id: Uuid,
        req: &LectureCheckIn,
    ) -> Result<LectureAttendanceView, ClientError> {
        self.post(&format!("/lectures/{lecture_id}/attendance"), req)
            .await
    }

    /// Checks in with what the QR code holds (`policy::lecture::parse_qr`).
    pub async fn attend_lecture_by_qr(
        &self,
        qr: &str,
        location: GpsFix,
    ) -> Result<LectureAttendanceView, ClientError> {
        let (lecture_id, code) = crate::policy::lecture::parse_qr(qr)
            .ok_or_else(|| self.refused(ErrorCode::LectureCodeWrong))?;
        let req = LectureCheckIn {
            code: Some(code),
            checkin_id: None,
            location,
        };
        self.attend_lecture(lecture_id, &req).await
    }

    /// An officer marks or corrects a person's attendance.
    pub async fn mark_lecture_attendance(
        &self,
        lecture_id: Uuid,
        case_id: Uuid,
        req: &LectureMarkRequest,
    ) -> Result<LectureAttendanceView, ClientError> {
        self.call(
            Method::PUT,
            &format!("/lectures/{lecture_id}/attendance/{case_id}"),
            Some(req),
        )
        .await
    }

    /// Who attended, among the people the officer supervises.
    pub fn lecture_roster(&self, lecture_id: Uuid) -> Pages<'_, LectureAttendanceView> {
        Pages::new(self, format!("/lectures/{lecture_id}/attendance"))
    }
}
