//! The audit log (the audit admin).

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;

use crate::Result;

/// The audit log (the audit admin). (`HuijiaoClient::audit()`)
#[derive(uniffi::Object)]
pub struct AuditClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl AuditClient {
    /// The audit log (audit admin).
    pub async fn entries(&self) -> Result<Vec<AuditEntryView>> {
        Ok(self.inner.audit().await?)
    }

    /// Checks the audit hash chain.
    pub async fn verify_audit(&self) -> Result<AuditVerifyView> {
        Ok(self.inner.verify_audit().await?)
    }
}
