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

/// A one-time password (an initial login, a reset): strong, with no look-alike characters.
pub fn one_time() -> String {
    use rand::Rng;
    // No look-alike characters: it is read aloud or copied from a screen at intake.
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    loop {
        let p: String = (0..14)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
            .collect();
        let p = format!("{p}-{}", rng.gen_range(10..100));
        if huijiao_core::policy::check_password_strength(&p).is_ok() {
            return p;
        }
    }
}
