//! 协矫通, the volunteer's app: their people and the help they log.

pub mod help_log;
pub mod people;
