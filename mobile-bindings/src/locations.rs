//! Location reports, fences, tracks and positions.

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use uuid::Uuid;

use crate::Result;

/// Location reports, fences, tracks and positions. (`HuijiaoClient::locations()`)
#[derive(uniffi::Object)]
pub struct LocationsClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl LocationsClient {
    /// The supervisee's activity areas, to draw on their map.
    pub async fn own_areas(&self) -> Result<Vec<FenceView>> {
        Ok(self.inner.own_areas().await?)
    }

    pub async fn positions(&self) -> Result<Vec<PositionView>> {
        Ok(self.inner.positions().await?)
    }

    pub async fn track(
        &self,
        case_id: Uuid,
        from: std::time::SystemTime,
        to: std::time::SystemTime,
        tolerance_m: Option<f64>,
    ) -> Result<TrackView> {
        Ok(self
            .inner
            .track(case_id, from.into(), to.into(), tolerance_m)
            .await?)
    }

    pub async fn send_locations(&self, req: LocationBatchRequest) -> Result<LocationBatchResult> {
        Ok(self.inner.send_locations(&req).await?)
    }

    pub async fn create_fence(&self, req: FenceRequest) -> Result<FenceView> {
        Ok(self.inner.create_fence(&req).await?)
    }

    /// Every fence binding a supervisee: their own and their units'.
    pub async fn fences_of(&self, case_id: Uuid) -> Result<Vec<FenceView>> {
        Ok(self.inner.fences_of(case_id).await?)
    }

    pub async fn fence(&self, id: Uuid) -> Result<FenceView> {
        Ok(self.inner.fence(id).await?)
    }

    pub async fn update_fence(&self, id: Uuid, req: FenceUpdateRequest) -> Result<FenceView> {
        Ok(self.inner.update_fence(id, &req).await?)
    }

    pub async fn archive_fence(&self, id: Uuid) -> Result<FenceView> {
        Ok(self.inner.archive_fence(id).await?)
    }
}
