//! One way to page every list: the answer is a `Page` of at most `limit` items (1 to
//! `PAGE_SIZE_MAX`, default `PAGE_SIZE_DEFAULT`) and, when more follow, `next`: an opaque
//! cursor to send back as `after`. The server seeks from the last item's sort key (time, id),
//! so a page never repeats or skips a row that was there when the list was first read, however
//! many rows are added in between. Nothing is ever cut without the caller knowing: a list is
//! complete only when `next` is absent.

use serde::{Deserialize, Serialize};

/// Items on a page when the caller does not say.
pub const PAGE_SIZE_DEFAULT: u64 = 100;
/// The most items a caller may ask for on one page.
pub const PAGE_SIZE_MAX: u64 = 500;

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// This page's items, in the list's order.
    pub items: Vec<T>,
    /// Send as `after` for the next page; absent on the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}
