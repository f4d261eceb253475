//! Screens every app has: signing in (and, next, device binding, settings, notifications).

pub mod sign_in;
