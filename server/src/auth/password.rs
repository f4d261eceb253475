//! Argon2id password hashing, run off the async executor.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordVerifier, Version};

use crate::config::AuthConfig;
use crate::error::{ApiError, ApiResult};

fn hasher(cfg: &AuthConfig) -> ApiResult<Argon2<'static>> {
    let params = Params::new(
        cfg.argon2_memory_kib,
        cfg.argon2_iterations,
        cfg.argon2_parallelism,
        None,
    )
    .map_err(ApiError::internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub async fn hash(cfg: &AuthConfig, password: String) -> ApiResult<String> {
    let argon = hasher(cfg)?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)?
}

/// Verifies against a stored PHC string. With `None` it still spends the same work on a dummy
/// hash, so an unknown user name takes as long as a wrong password.
pub async fn verify(cfg: &AuthConfig, password: String, stored: Option<String>) -> ApiResult<bool> {
    let argon = hasher(cfg)?;
    tokio::task::spawn_blocking(move || match stored {
        Some(stored) => {
            let parsed = PasswordHash::new(&stored).map_err(ApiError::internal)?;
            Ok(argon.verify_password(password.as_bytes(), &parsed).is_ok())
        }
        None => {
            let salt = SaltString::generate(&mut OsRng);
            let _ = argon.hash_password(password.as_bytes(), &salt);
            Ok(false)
        }
    })
    .await
    .map_err(ApiError::internal)?
}
