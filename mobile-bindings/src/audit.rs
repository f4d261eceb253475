//! The audit log (the audit admin).

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;

use crate::Result;

crate::page_record!(AuditEntryPage, AuditEntryView);

/// The audit log (the audit admin). (`HuijiaoClient::audit()`)
#[derive(uniffi::Object)]
pub struct AuditClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl AuditClient {
    /// The whole audit log (audit admin), newest first.
    pub async fn entries(&self) -> Result<Vec<AuditEntryView>> {
        Ok(self.inner.audit().await?)
    }

    /// One page of it: the first, or the one after `after` (a page's `next`), of `limit` items
    /// (1–500; default 100).
    pub async fn entries_page(
        &self,
        after: Option<String>,
        limit: Option<u64>,
    ) -> Result<AuditEntryPage> {
        Ok(self
            .inner
            .audit()
            .after(after)
            .limit(limit)
            .page()
            .await?
            .into())
    }

    /// Checks the audit hash chain.
    pub async fn verify_audit(&self) -> Result<AuditVerifyView> {
        Ok(self.inner.verify_audit().await?)
    }
}
