//! 协矫通, the volunteer's app: their people, the help they log, their service record.

pub mod help_log;
pub mod people;
pub mod record;
