//! Huijiao shared core.
//!
//! `model` and `policy` are pure (no I/O) and shared by the server and the apps, so the apps
//! can explain a rule before the server enforces it. `api` holds the REST request/response types
//! and `error` the stable machine error codes with their zh-CN and English messages.

pub mod api;
#[cfg(feature = "app")]
pub mod app;
#[cfg(feature = "client")]
pub mod client;
pub mod error;
#[cfg(feature = "face")]
pub mod face;
pub mod labels;
pub mod model;
pub mod policy;

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
#[cfg(feature = "uniffi")]
mod uniffi_support;

pub use error::{ErrorCode, Lang, Said};
pub use labels::Label;
