//! 矫务通, the officer's app: the work queue, the decisions it opens, and field visits.

pub mod decision;
pub mod field_visit;
pub mod work_queue;
