//! Location reports, fences, tracks and positions. One `impl Client` block per domain; the transport is in `mod.rs`.

use super::*;

impl Client {
    /// The signed-in supervisee's activity areas, for the map (never exclusion zones).
    pub async fn own_areas(&self) -> Result<Vec<FenceView>, ClientError> {
        self.get("/me/areas").await
    }

    pub async fn send_locations(
        &self,
        req: &LocationBatchRequest,
    ) -> Result<LocationBatchResult, ClientError> {
        self.post("/locations/batches", req).await
    }

    pub async fn create_fence(&self, req: &FenceRequest) -> Result<FenceView, ClientError> {
        self.post("/fences", req).await
    }

    /// The last known position of everyone in the officer's jurisdiction.
    pub fn positions(&self) -> Pages<'_, PositionView> {
        Pages::new(self, "/locations/current")
    }

    /// A supervisee's track between two times (at most 31 days), simplified for drawing
    /// (`tolerance_m`, default 10; 0 for every fix).
    pub async fn track(
        &self,
        case_id: Uuid,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
        tolerance_m: Option<f64>,
    ) -> Result<TrackView, ClientError> {
        let t = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string();
        let mut path = format!("/cases/{case_id}/track?from={}&to={}", t(from), t(to));
        if let Some(m) = tolerance_m {
            path.push_str(&format!("&tolerance_m={m}"));
        }
        self.get(&path).await
    }

    /// Every fence binding a supervisee: their own and their units'.
    pub fn fences_of(&self, case_id: Uuid) -> Pages<'_, FenceView> {
        Pages::new(self, format!("/fences?case_id={case_id}"))
    }

    pub async fn fence(&self, id: Uuid) -> Result<FenceView, ClientError> {
        self.get(&format!("/fences/{id}")).await
    }

    pub async fn update_fence(
        &self,
        id: Uuid,
        req: &FenceUpdateRequest,
    ) -> Result<FenceView, ClientError> {
        self.call(Method::PUT, &format!("/fences/{id}"), Some(req))
            .await
    }

    pub async fn archive_fence(&self, id: Uuid) -> Result<FenceView, ClientError> {
        self.call(Method::DELETE, &format!("/fences/{id}"), None::<&()>)
            .await
    }
}
