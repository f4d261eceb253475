//! Education: courses (officers author and publish; supervisees study), study sessions and
//! their heartbeats, the monthly ledger. The app's study loop: `open_lesson`, then
//! `send_beats` every `heartbeat_secs` (through `HuijiaoOutbox::enqueue_study_beats` when the
//! network fails), then `end_session`.

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use uuid::Uuid;

use crate::Result;

/// Education (教育学习). (`HuijiaoClient::learning()`)
#[derive(uniffi::Object)]
pub struct LearningClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl LearningClient {
    /// A new course, a draft of the officer's unit (county agency or above).
    pub async fn create_course(&self, req: CourseCreate) -> Result<CourseView> {
        Ok(self.inner.create_course(&req).await?)
    }

    /// The courses the caller may see: for a supervisee, what they can study.
    pub async fn courses(&self) -> Result<Vec<CourseView>> {
        Ok(self.inner.courses().await?)
    }

    pub async fn course(&self, id: Uuid) -> Result<CourseView> {
        Ok(self.inner.course(id).await?)
    }

    pub async fn publish_course(&self, id: Uuid, version: i32) -> Result<CourseView> {
        Ok(self.inner.publish_course(id, version).await?)
    }

    pub async fn archive_course(&self, id: Uuid, version: i32) -> Result<CourseView> {
        Ok(self.inner.archive_course(id, version).await?)
    }

    /// Opens a lesson for study on this phone (a session open on another device ends).
    pub async fn open_lesson(&self, lesson_id: Uuid) -> Result<StudySessionView> {
        Ok(self.inner.open_lesson(lesson_id).await?)
    }

    /// Sends heartbeats; the session comes back as credited.
    pub async fn send_beats(
        &self,
        session_id: Uuid,
        beats: Vec<StudyBeat>,
    ) -> Result<StudySessionView> {
        Ok(self
            .inner
            .send_study_beats(session_id, &StudyBeats { beats })
            .await?)
    }

    pub async fn end_session(&self, session_id: Uuid) -> Result<StudySessionView> {
        Ok(self.inner.end_study_session(session_id).await?)
    }

    pub async fn sessions_of(&self, case_id: Uuid) -> Result<Vec<StudySessionView>> {
        Ok(self.inner.study_sessions_of(case_id).await?)
    }

    /// A case's education in `month` (`YYYY-MM`; default this month, China time).
    pub async fn month(&self, case_id: Uuid, month: Option<String>) -> Result<LearningMonthView> {
        Ok(self.inner.learning_month(case_id, month.as_deref()).await?)
    }

    /// Who in the officer's jurisdiction is short of their minutes in `month` (default this one).
    pub async fn shortfalls(&self, month: Option<String>) -> Result<Vec<ShortfallView>> {
        Ok(self.inner.learning_shortfalls(month.as_deref()).await?)
    }

    pub async fn adjust(
        &self,
        case_id: Uuid,
        req: LearningAdjustment,
    ) -> Result<LearningMonthView> {
        Ok(self.inner.adjust_learning(case_id, &req).await?)
    }

    /// Starts an attempt at a quiz (or gives back the open one).
    pub async fn start_quiz(&self, lesson_id: Uuid) -> Result<QuizAttemptView> {
        Ok(self.inner.start_quiz(lesson_id).await?)
    }

    /// Submits an attempt's answers, once.
    pub async fn submit_quiz(
        &self,
        attempt_id: Uuid,
        answers: Vec<QuizAnswer>,
    ) -> Result<QuizAttemptView> {
        Ok(self
            .inner
            .submit_quiz(attempt_id, &QuizSubmission { answers })
            .await?)
    }

    pub async fn quiz_attempts_of(&self, case_id: Uuid) -> Result<Vec<QuizAttemptView>> {
        Ok(self.inner.quiz_attempts_of(case_id).await?)
    }

    /// Uploads a lesson's file while its course is a draft (officers).
    pub async fn upload_media(
        &self,
        lesson_id: Uuid,
        content_type: String,
        bytes: Vec<u8>,
    ) -> Result<LessonView> {
        Ok(self
            .inner
            .upload_lesson_media(lesson_id, &content_type, &bytes)
            .await?)
    }

    /// A lesson's file, whole, or bytes `first..=last` of it.
    pub async fn media(
        &self,
        lesson_id: Uuid,
        first: Option<u64>,
        last: Option<u64>,
    ) -> Result<Vec<u8>> {
        let range = first.zip(last);
        Ok(self.inner.lesson_media(lesson_id, range).await?)
    }

    /// Assigns a published course (officers).
    pub async fn assign(&self, course_id: Uuid, req: CourseAssign) -> Result<CourseAssignmentView> {
        Ok(self.inner.assign_course(course_id, &req).await?)
    }

    /// The courses assigned to a person, with their progress.
    pub async fn assigned(&self, case_id: Uuid) -> Result<Vec<AssignedCourseView>> {
        Ok(self.inner.assigned_courses(case_id).await?)
    }

    /// Schedules a group lecture for everyone under a unit (the officer's or one below).
    pub async fn create_lecture(&self, req: LectureCreate) -> Result<LectureView> {
        Ok(self.inner.create_lecture(&req).await?)
    }

    /// Lectures ending after `from` (default: a week ago), soonest first; a supervisee's come
    /// with their own attendance.
    pub async fn lectures(&self, from: Option<std::time::SystemTime>) -> Result<Vec<LectureView>> {
        Ok(self.inner.lectures(from.map(Into::into)).await?)
    }

    /// The code for the officer's screen as a QR code; ask again at its `valid_until`.
    pub async fn lecture_code(&self, lecture_id: Uuid) -> Result<LectureCodeView> {
        Ok(self.inner.lecture_code(lecture_id).await?)
    }

    /// Checks in at a lecture with what the scanned QR code holds and the phone's fix; sent
    /// again, it returns the attendance already taken.
    pub async fn attend_lecture_by_qr(
        &self,
        qr: String,
        location: GpsFix,
    ) -> Result<LectureAttendanceView> {
        Ok(self.inner.attend_lecture_by_qr(&qr, location).await?)
    }

    /// Checks in with a code typed in (the QR code would not scan).
    pub async fn attend_lecture(
        &self,
        lecture_id: Uuid,
        req: LectureCheckIn,
    ) -> Result<LectureAttendanceView> {
        Ok(self.inner.attend_lecture(lecture_id, &req).await?)
    }

    /// An officer marks or corrects a person's attendance, with the reason.
    pub async fn mark_lecture_attendance(
        &self,
        lecture_id: Uuid,
        case_id: Uuid,
        req: LectureMarkRequest,
    ) -> Result<LectureAttendanceView> {
        Ok(self
            .inner
            .mark_lecture_attendance(lecture_id, case_id, &req)
            .await?)
    }

    /// Who attended, among the people the officer supervises.
    pub async fn lecture_roster(&self, lecture_id: Uuid) -> Result<Vec<LectureAttendanceView>> {
        Ok(self.inner.lecture_roster(lecture_id).await?)
    }

    /// A case's study record as xAPI statements (officers).
    pub async fn xapi_statements(&self, case_id: Uuid) -> Result<Vec<XapiStatement>> {
        Ok(self.inner.xapi_statements(case_id).await?)
    }

    /// Writes the caller's reflection (观后感) on a lesson, or rewrites one that was returned.
    pub async fn write_reflection(&self, lesson_id: Uuid, text: String) -> Result<ReflectionView> {
        Ok(self
            .inner
            .write_reflection(lesson_id, &ReflectionWrite { text })
            .await?)
    }

    pub async fn reflections_of(&self, case_id: Uuid) -> Result<Vec<ReflectionView>> {
        Ok(self.inner.reflections_of(case_id).await?)
    }

    pub async fn reflection(&self, id: Uuid) -> Result<ReflectionView> {
        Ok(self.inner.reflection(id).await?)
    }

    /// One attempt with its answers.
    pub async fn quiz_attempt(&self, id: Uuid) -> Result<QuizAttemptView> {
        Ok(self.inner.quiz_attempt(id).await?)
    }

    /// An officer accepts a reflection or returns it with what to improve.
    pub async fn review_reflection(
        &self,
        id: Uuid,
        req: ReflectionReview,
    ) -> Result<ReflectionView> {
        Ok(self.inner.review_reflection(id, &req).await?)
    }

    /// An officer grades an attempt's written answers (every one, at the version seen).
    pub async fn grade_quiz(&self, attempt_id: Uuid, req: QuizGrade) -> Result<QuizAttemptView> {
        Ok(self.inner.grade_quiz(attempt_id, &req).await?)
    }
}
