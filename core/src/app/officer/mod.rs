//! 矫务通, the officer's app: the work queue and the decisions it opens.

pub mod decision;
pub mod work_queue;
