//! 矫务通, the officer's app: the work queue and the decisions it opens, the caseload and
//! one case, field visits, roll calls, the monthly assessment, proposing a reward or sanction, electronic tags, release at term end.

pub mod calling;
pub mod caseload;
pub mod decision;
pub mod field_visit;
pub mod month_review;
pub mod releasing;
pub mod sanction_form;
pub mod tagging;
pub mod work_queue;
