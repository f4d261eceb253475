//! Screens every app has: signing in, a new password, settings.

pub mod device;
pub mod password;
pub mod settings;
pub mod sign_in;
