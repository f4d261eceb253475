//! End-to-end test crate.
