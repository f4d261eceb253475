//! The audit log (audit admin). One `impl Client` block per domain; the transport is in `mod.rs`.

use super::*;

impl Client {
    /// The audit log (audit admin).
    pub fn audit(&self) -> Pages<'_, AuditEntryView> {
        Pages::new(self, "/audit")
    }

    /// Checks the audit hash chain.
    pub async fn verify_audit(&self) -> Result<AuditVerifyView, ClientError> {
        self.get("/audit/verify").await
    }
}
