//! sea-orm entities, one per table, mirroring the migrations. Logic lives in the domain modules.

pub mod alert;
pub mod audit_entry;
pub mod case;
pub mod checkin;
pub mod checkin_challenge;
pub mod checkin_rejection;
pub mod checkin_request;
pub mod correction_plan;
pub mod device;
pub mod face_template;
pub mod investigation;
pub mod leave_attachment;
pub mod leave_request;
pub mod leave_step;
pub mod level_change;
pub mod missed_window;
pub mod org_unit;
pub mod refresh_token;
pub mod relocation_request;
pub mod sensitive_period;
pub mod session;
pub mod status_change;
pub mod team_member;
pub mod user;
pub mod visitor_request;
