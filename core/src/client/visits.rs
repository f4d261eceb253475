//! Field work: recording home visits, talks and office reports (at once, or through the
//! outbox when offline), a case's record of them, and when the next ones are due.

use super::*;
use crate::policy::visits::{VisitDue, VisitKind};

impl Client {
    /// An officer of the case records a home visit, talk or office report. Sending the same
    /// record again (same `id`) returns it as stored.
    pub async fn record_visit(
        &self,
        case_id: Uuid,
        req: &VisitNew,
    ) -> Result<VisitView, ClientError> {
        self.post(&format!("/cases/{case_id}/visits"), req).await
    }

    /// A case's visits, talks and office reports, newest first (officers).
    pub fn case_visits(&self, case_id: Uuid, kind: Option<VisitKind>) -> Pages<'_, VisitView> {
        match kind {
            Some(k) => {
                let k = k.as_str();
                Pages::new(self, format!("/cases/{case_id}/visits?kind={k}"))
            }
            None => Pages::new(self, format!("/cases/{case_id}/visits")),
        }
    }

    /// When the case's next home visit and office report are due (the person: their office
    /// report only).
    pub async fn visits_due(&self, case_id: Uuid) -> Result<Vec<VisitDue>, ClientError> {
        self.get(&format!("/cases/{case_id}/visits/due")).await
    }

    /// An officer of the case adds a photo to a recorded visit.
    pub async fn add_visit_photo(
        &self,
        visit_id: Uuid,
        req: &VisitPhotoNew,
    ) -> Result<VisitPhotoView, ClientError> {
        self.post(&format!("/visits/{visit_id}/photos"), req).await
    }

    /// A visit's photo, as taken (officers of the case).
    pub async fn visit_photo(
        &self,
        visit_id: Uuid,
        photo_id: Uuid,
    ) -> Result<Vec<u8>, ClientError> {
        let (_, body) = self
            .send(
                Method::GET,
                &format!("/visits/{visit_id}/photos/{photo_id}"),
                None,
            )
            .await?;
        Ok(body.to_vec())
    }
}
