//! Community service: scheduling an activity, signing up (or assigning), the code the
//! organiser's phone shows, checking in and out on site, the organiser's review, the roster
//! and a person's month of service.

use super::*;
use chrono::{DateTime, Utc};

impl Client {
    /// Schedules an activity for the people under a unit (the officer's or one below).
    pub async fn create_service_activity(
        &self,
        req: &ServiceActivityCreate,
    ) -> Result<ServiceActivityView, ClientError> {
        self.post("/service-activities", req).await
    }

    /// Activities ending after `from` (default: a week ago), soonest first; a supervisee's
    /// come with their own participation.
    pub fn service_activities(
        &self,
        from: Option<DateTime<Utc>>,
    ) -> Pages<'_, ServiceActivityView> {
        match from {
            Some(t) => {
                let t = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                Pages::new(self, format!("/service-activities?from={t}"))
            }
            None => Pages::new(self, "/service-activities"),
        }
    }

    pub async fn service_activity(&self, id: Uuid) -> Result<ServiceActivityView, ClientError> {
        self.get(&format!("/service-activities/{id}")).await
    }

    /// The code to show as a QR code now (the organiser, or an officer); ask again at its
    /// `valid_until`.
    pub async fn service_activity_code(&self, id: Uuid) -> Result<ServiceCodeView, ClientError> {
        self.get(&format!("/service-activities/{id}/code")).await
    }

    /// Signs up: a supervisee themself (`case_id` none), an officer a person they supervise.
    /// Sending it again returns the place already held.
    pub async fn sign_up_for_service(
        &self,
        id: Uuid,
        case_id: Option<Uuid>,
    ) -> Result<ServiceParticipationView, ClientError> {
        self.post(
            &format!("/service-activities/{id}/participants"),
            &ServiceSignUp { case_id },
        )
        .await
    }

    /// Withdraws (or takes a person off) before the start.
    pub async fn withdraw_from_service(
        &self,
        id: Uuid,
        case_id: Uuid,
    ) -> Result<ServiceParticipationView, ClientError> {
        self.call(
            Method::DELETE,
            &format!("/service-activities/{id}/participants/{case_id}"),
            None::<&()>,
        )
        .await
    }

    /// An officer calls an activity off before it starts; the people signed up are told.
    pub async fn cancel_service_activity(
        &self,
        id: Uuid,
        reason: &str,
    ) -> Result<ServiceActivityView, ClientError> {
        self.post(
            &format!("/service-activities/{id}/cancel"),
            &ServiceCancel {
                reason: reason.to_owned(),
            },
        )
        .await
    }

    /// Who is on an activity (names masked as the reader may see them).
    pub async fn service_roster(
        &self,
        id: Uuid,
    ) -> Result<Vec<ServiceParticipationView>, ClientError> {
        self.get(&format!("/service-activities/{id}/participants"))
            .await
    }

    /// Checks in on site; sending it again returns the participation as it stands.
    pub async fn service_check_in(
        &self,
        id: Uuid,
        req: &ServicePresence,
    ) -> Result<ServiceParticipationView, ClientError> {
        self.post(&format!("/service-activities/{id}/check-in"), req)
            .await
    }

    /// Checks out on site: the overlap with the window is credited.
    pub async fn service_check_out(
        &self,
        id: Uuid,
        req: &ServicePresence,
    ) -> Result<ServiceParticipationView, ClientError> {
        self.post(&format!("/service-activities/{id}/check-out"), req)
            .await
    }

    /// Checks in or out with what the organiser's QR code holds
    /// (`policy::service::parse_qr`).
    pub async fn service_presence_by_qr(
        &self,
        qr: &str,
        location: GpsFix,
        check_out: bool,
    ) -> Result<ServiceParticipationView, ClientError> {
        let (id, code) = crate::policy::service::parse_qr(qr)
            .ok_or_else(|| self.refused(ErrorCode::ActivityCodeWrong))?;
        let req = ServicePresence {
            location,
            checkin_id: None,
            code: Some(code),
        };
        if check_out {
            self.service_check_out(id, &req).await
        } else {
            self.service_check_in(id, &req).await
        }
    }

    /// The organiser or an officer confirms (no `minutes`) or corrects a participation.
    pub async fn review_service_participation(
        &self,
        id: Uuid,
        case_id: Uuid,
        req: &ServiceReview,
    ) -> Result<ServiceParticipationView, ClientError> {
        self.call(
            Method::PUT,
            &format!("/service-activities/{id}/participants/{case_id}/review"),
            Some(req),
        )
        .await
    }

    /// A person's community service in `month` (`YYYY-MM`; default this month, China time).
    pub async fn service_month(
        &self,
        case_id: Uuid,
        month: Option<&str>,
    ) -> Result<CommunityServiceMonthView, ClientError> {
        match month {
            Some(m) => {
                self.get(&format!("/cases/{case_id}/service?month={m}"))
                    .await
            }
            None => self.get(&format!("/cases/{case_id}/service")).await,
        }
    }

    /// Who in the officer's jurisdiction is short of their community service in `month`.
    pub fn service_shortfalls(&self, month: Option<&str>) -> Pages<'_, ShortfallView> {
        match month {
            Some(m) => Pages::new(
                self,
                format!("/service/shortfalls?month={}", query_value(m)),
            ),
            None => Pages::new(self, "/service/shortfalls"),
        }
    }
}
