//! 在矫通, the supervisee's app: its screens.

pub mod areas;
pub mod checkin;
pub mod community_service;
pub mod decisions;
pub mod leave_form;
pub mod leaves;
pub mod lesson;
pub mod move_form;
pub mod quiz;
pub mod roll_call;
pub mod study;
pub mod today;
pub mod visitor_form;
