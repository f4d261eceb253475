//! Pre-sentence investigations (调查评估).

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use uuid::Uuid;

use crate::Result;

/// Pre-sentence investigations (调查评估). (`HuijiaoClient::investigations()`)
#[derive(uniffi::Object)]
pub struct InvestigationsClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl InvestigationsClient {
    pub async fn list(&self) -> Result<Vec<InvestigationView>> {
        Ok(self.inner.investigations().await?)
    }

    pub async fn create_investigation(
        &self,
        req: InvestigationCreateRequest,
    ) -> Result<InvestigationView> {
        Ok(self.inner.create_investigation(&req).await?)
    }

    pub async fn investigation(&self, id: Uuid) -> Result<InvestigationView> {
        Ok(self.inner.investigation(id).await?)
    }

    pub async fn file_investigation_opinion(
        &self,
        id: Uuid,
        req: InvestigationOpinionRequest,
    ) -> Result<InvestigationView> {
        Ok(self.inner.file_investigation_opinion(id, &req).await?)
    }
}
