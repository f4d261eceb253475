//! The server's tests, one binary (one link, one process-wide face engine): the real router
//! over real, freshly migrated databases — every database test on SQLite and PostgreSQL
//! (`both!`). `common` is the harness; each module is one domain or concern.

#[macro_use]
mod common;

mod access;
mod assessments;
mod audit;
mod auth;
mod bad_input;
mod casefile;
mod cases;
mod checkins;
mod cli;
mod client_coverage;
mod help;
mod jobs;
mod learning;
mod leave;
mod lectures;
mod liveness;
mod locations;
mod migrations;
mod openapi;
mod paging;
mod queue;
mod relocation_visitors;
mod rollcall_media;
mod rollcalls;
mod sanctions;
mod schedules;
mod service;
mod structure;
mod visits;
