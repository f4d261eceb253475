//! 在矫通, the supervisee's app: its screens.

pub mod checkin;
pub mod decisions;
pub mod leave_form;
pub mod leaves;
pub mod lesson;
pub mod quiz;
pub mod roll_call;
pub mod service;
pub mod study;
pub mod today;
