//! Units and accounts (the admin duties).

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use uuid::Uuid;

use crate::Result;

/// Units and accounts (the admin duties). (`HuijiaoClient::org()`)
#[derive(uniffi::Object)]
pub struct OrgClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl OrgClient {
    pub async fn units(&self) -> Result<Vec<UnitView>> {
        Ok(self.inner.units().await?)
    }

    pub async fn unit(&self, id: Uuid) -> Result<UnitView> {
        Ok(self.inner.unit(id).await?)
    }

    /// The units a case may move to, with where each is (anyone signed in).
    pub async fn receiving_units(&self) -> Result<Vec<ReceivingUnitView>> {
        Ok(self.inner.receiving_units().await?)
    }

    pub async fn create_unit(&self, req: UnitCreateRequest) -> Result<UnitView> {
        Ok(self.inner.create_unit(&req).await?)
    }

    pub async fn users(&self) -> Result<Vec<UserView>> {
        Ok(self.inner.users().await?)
    }

    pub async fn create_user(&self, req: UserCreateRequest) -> Result<UserView> {
        Ok(self.inner.create_user(&req).await?)
    }

    pub async fn unlock_user(&self, id: Uuid) -> Result<UserView> {
        Ok(self.inner.unlock_user(id).await?)
    }

    /// Resets a staff member's forgotten password to a one-time one (shown once).
    pub async fn reset_user_password(&self, id: Uuid) -> Result<IssuedLoginView> {
        Ok(self.inner.reset_user_password(id).await?)
    }

    pub async fn disable_user(&self, id: Uuid) -> Result<UserView> {
        Ok(self.inner.disable_user(id).await?)
    }

    pub async fn enable_user(&self, id: Uuid) -> Result<UserView> {
        Ok(self.inner.enable_user(id).await?)
    }
}
