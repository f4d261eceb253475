//! Pre-sentence investigations. One `impl Client` block per domain; the transport is in `mod.rs`.

use super::*;

impl Client {
    pub fn investigations(&self) -> Pages<'_, InvestigationView> {
        Pages::new(self, "/investigations")
    }

    pub async fn create_investigation(
        &self,
        req: &InvestigationCreateRequest,
    ) -> Result<InvestigationView, ClientError> {
        self.call(Method::POST, "/investigations", Some(req)).await
    }

    pub async fn investigation(&self, id: Uuid) -> Result<InvestigationView, ClientError> {
        self.get(&format!("/investigations/{id}")).await
    }

    pub async fn file_investigation_opinion(
        &self,
        id: Uuid,
        req: &InvestigationOpinionRequest,
    ) -> Result<InvestigationView, ClientError> {
        self.call(
            Method::POST,
            &format!("/investigations/{id}/opinion"),
            Some(req),
        )
        .await
    }
}
