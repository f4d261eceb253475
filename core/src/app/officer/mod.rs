//! 矫务通, the officer's app: the work queue and the decisions it opens, the caseload and
//! one case, field visits.

pub mod caseload;
pub mod decision;
pub mod field_visit;
pub mod work_queue;
