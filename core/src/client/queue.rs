//! An officer's work queue. One `impl Client` block per domain; the transport is in `mod.rs`.

use super::*;

impl Client {
    /// Everything waiting for the signed-in officer at their level (`GET /me/queue`).
    pub async fn work_queue(&self) -> Result<WorkQueueView, ClientError> {
        self.get("/me/queue").await
    }
}
