//! Education: courses, study sessions with their heartbeats, the monthly ledger. Heartbeats
//! made offline go through the outbox (`Outbox::enqueue_study_beats`): the server takes each
//! sequence number once, so a resent batch changes nothing.

use super::*;

impl Client {
    /// A new course, a draft of the officer's unit (county agency or above).
    pub async fn create_course(&self, req: &CourseCreate) -> Result<CourseView, ClientError> {
        self.post("/courses", req).await
    }

    /// The courses the caller may see: for a supervisee, what they can study.
    pub fn courses(&self) -> Pages<'_, CourseView> {
        Pages::new(self, "/courses")
    }

    pub async fn course(&self, id: Uuid) -> Result<CourseView, ClientError> {
        self.get(&format!("/courses/{id}")).await
    }

    /// Publishes a draft at the version seen: it reaches every unit under the authoring one.
    pub async fn publish_course(&self, id: Uuid, version: i32) -> Result<CourseView, ClientError> {
        self.post(
            &format!("/courses/{id}/publish"),
            &CourseDecision { version },
        )
        .await
    }

    pub async fn archive_course(&self, id: Uuid, version: i32) -> Result<CourseView, ClientError> {
        self.post(
            &format!("/courses/{id}/archive"),
            &CourseDecision { version },
        )
        .await
    }

    /// Opens a lesson for study on this phone (a session open on another device ends).
    pub async fn open_lesson(&self, lesson_id: Uuid) -> Result<StudySessionView, ClientError> {
        self.post(
            &format!("/lessons/{lesson_id}/sessions"),
            &serde_json::json!({}),
        )
        .await
    }

    /// Sends heartbeats of an open session; the session comes back as credited.
    pub async fn send_study_beats(
        &self,
        session_id: Uuid,
        req: &StudyBeats,
    ) -> Result<StudySessionView, ClientError> {
        self.post(&format!("/study-sessions/{session_id}/beats"), req)
            .await
    }

    /// Closes a session (the lesson left).
    pub async fn end_study_session(
        &self,
        session_id: Uuid,
    ) -> Result<StudySessionView, ClientError> {
        self.post(
            &format!("/study-sessions/{session_id}/end"),
            &serde_json::json!({}),
        )
        .await
    }

    /// A case's study sessions, latest first.
    pub fn study_sessions_of(&self, case_id: Uuid) -> Pages<'_, StudySessionView> {
        Pages::new(self, format!("/cases/{case_id}/study-sessions"))
    }

    /// A case's education in `month` (`YYYY-MM`; default this month, China time).
    pub async fn learning_month(
        &self,
        case_id: Uuid,
        month: Option<&str>,
    ) -> Result<LearningMonthView, ClientError> {
        let path = format!("/cases/{case_id}/learning");
        match month {
            Some(m) => self.get(&format!("{path}?month={m}")).await,
            None => self.get(&path).await,
        }
    }

    /// Who in the officer's jurisdiction is short of their minutes in `month` (default this
    /// one), most short first.
    pub fn learning_shortfalls(&self, month: Option<&str>) -> Pages<'_, ShortfallView> {
        match month {
            Some(m) => Pages::new(
                self,
                format!("/learning/shortfalls?month={}", query_value(m)),
            ),
            None => Pages::new(self, "/learning/shortfalls"),
        }
    }

    /// An officer's correction of a month's minutes, with the reason.
    pub async fn adjust_learning(
        &self,
        case_id: Uuid,
        req: &LearningAdjustment,
    ) -> Result<LearningMonthView, ClientError> {
        self.post(&format!("/cases/{case_id}/learning/adjustments"), req)
            .await
    }

    /// Starts an attempt at a quiz (or gives back the open one): its questions, no keys.
    pub async fn start_quiz(&self, lesson_id: Uuid) -> Result<QuizAttemptView, ClientError> {
        self.post(
            &format!("/lessons/{lesson_id}/attempts"),
            &serde_json::json!({}),
        )
        .await
    }

    /// Submits an attempt's answers, once; the score comes back.
    pub async fn submit_quiz(
        &self,
        attempt_id: Uuid,
        req: &QuizSubmission,
    ) -> Result<QuizAttemptView, ClientError> {
        self.post(&format!("/quiz-attempts/{attempt_id}/submit"), req)
            .await
    }

    /// A case's quiz attempts with their answers (the supervisee, officers).
    pub fn quiz_attempts_of(&self, case_id: Uuid) -> Pages<'_, QuizAttemptView> {
        Pages::new(self, format!("/cases/{case_id}/quiz-attempts"))
    }

    /// Uploads a lesson's file while its course is a draft (officers): `content_type` is
    /// `video/mp4`, `video/webm`, `audio/mpeg`, `audio/mp4` or `application/pdf`.
    pub async fn upload_lesson_media(
        &self,
        lesson_id: Uuid,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<LessonView, ClientError> {
        let extra = Extra {
            content_type,
            range: None,
        };
        let (_, body) = self
            .send_with(
                reqwest::Method::PUT,
                &format!("/lessons/{lesson_id}/media"),
                Some(bytes),
                &extra,
            )
            .await?;
        decode(&body)
    }

    /// A lesson's file, whole, or bytes `first..=last` of it (a player reading ahead).
    pub async fn lesson_media(
        &self,
        lesson_id: Uuid,
        range: Option<(u64, u64)>,
    ) -> Result<Vec<u8>, ClientError> {
        let range = range.map(|(a, b)| format!("bytes={a}-{b}"));
        let extra = Extra {
            range: range.as_deref(),
            ..Extra::default()
        };
        let (_, body) = self
            .send_with(
                reqwest::Method::GET,
                &format!("/lessons/{lesson_id}/media"),
                None,
                &extra,
            )
            .await?;
        Ok(body.to_vec())
    }

    /// Assigns a published course, due by a date, to everyone under the officer's unit, one
    /// person, or one level's people.
    pub async fn assign_course(
        &self,
        course_id: Uuid,
        req: &CourseAssign,
    ) -> Result<CourseAssignmentView, ClientError> {
        self.post(&format!("/courses/{course_id}/assignments"), req)
            .await
    }

    /// The courses assigned to a person, earliest due first, with their progress.
    pub async fn assigned_courses(
        &self,
        case_id: Uuid,
    ) -> Result<Vec<AssignedCourseView>, ClientError> {
        self.get(&format!("/cases/{case_id}/assigned-courses"))
            .await
    }

    /// A case's study record as xAPI statements, for a learning record store.
    pub async fn xapi_statements(&self, case_id: Uuid) -> Result<Vec<XapiStatement>, ClientError> {
        self.get(&format!("/cases/{case_id}/xapi-statements")).await
    }

    /// Writes the caller's reflection on a lesson, or rewrites one that was returned.
    pub async fn write_reflection(
        &self,
        lesson_id: Uuid,
        req: &ReflectionWrite,
    ) -> Result<ReflectionView, ClientError> {
        self.call(
            Method::PUT,
            &format!("/lessons/{lesson_id}/reflection"),
            Some(req),
        )
        .await
    }

    pub fn reflections_of(&self, case_id: Uuid) -> Pages<'_, ReflectionView> {
        Pages::new(self, format!("/cases/{case_id}/reflections"))
    }

    pub async fn reflection(&self, id: Uuid) -> Result<ReflectionView, ClientError> {
        self.get(&format!("/reflections/{id}")).await
    }

    /// An officer accepts a reflection or returns it with what to improve.
    pub async fn review_reflection(
        &self,
        id: Uuid,
        req: &ReflectionReview,
    ) -> Result<ReflectionView, ClientError> {
        self.post(&format!("/reflections/{id}/review"), req).await
    }

    /// One attempt with its answers.
    pub async fn quiz_attempt(&self, id: Uuid) -> Result<QuizAttemptView, ClientError> {
        self.get(&format!("/quiz-attempts/{id}")).await
    }

    /// An officer grades an attempt's written answers.
    pub async fn grade_quiz(
        &self,
        attempt_id: Uuid,
        req: &QuizGrade,
    ) -> Result<QuizAttemptView, ClientError> {
        self.post(&format!("/quiz-attempts/{attempt_id}/grade"), req)
            .await
    }
}
