//! 在矫通, the supervisee's app: its screens.

pub mod checkin;
pub mod decisions;
pub mod leave_form;
pub mod leaves;
pub mod roll_call;
pub mod today;
