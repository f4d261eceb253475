//! Reading a paged list: `client.alerts().next_page()` for one page at a time (a screen that
//! scrolls), or `client.alerts().await` for the whole list, page after page until the server
//! says there is no more. The transport is in `mod.rs`.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use super::*;

/// The pages of one list, read in order.
pub struct Pages<'a, T> {
    client: &'a Client,
    path: String,
    limit: Option<u64>,
    /// The cursor for the next page; `None` before the first and after the last.
    after: Option<String>,
    done: bool,
    _items: PhantomData<fn() -> T>,
}

impl<'a, T: DeserializeOwned + Send + 'a> Pages<'a, T> {
    pub(super) fn new(client: &'a Client, path: impl Into<String>) -> Self {
        Pages {
            client,
            path: path.into(),
            limit: None,
            after: None,
            done: false,
            _items: PhantomData,
        }
    }

    /// Items per page (the server refuses more than `PAGE_SIZE_MAX`); `None` is the
    /// server's default.
    pub fn limit(mut self, limit: Option<u64>) -> Self {
        self.limit = limit;
        self
    }

    /// Starts from a cursor a page gave earlier (a screen that resumes where it stopped);
    /// `None` is the start.
    pub fn after(mut self, cursor: Option<String>) -> Self {
        self.after = cursor;
        self
    }

    /// The one page here: the first, or the one after the cursor given.
    pub async fn page(mut self) -> Result<Page<T>, ClientError> {
        Ok(self.next_page().await?.unwrap_or(Page {
            items: vec![],
            next: None,
        }))
    }

    /// The next page, or `None` once the last has been read.
    pub async fn next_page(&mut self) -> Result<Option<Page<T>>, ClientError> {
        if self.done {
            return Ok(None);
        }
        let mut path = self.path.clone();
        let mut sep = if path.contains('?') { '&' } else { '?' };
        if let Some(l) = self.limit {
            path.push_str(&format!("{sep}limit={l}"));
            sep = '&';
        }
        if let Some(a) = &self.after {
            path.push_str(&format!("{sep}after={}", query_value(a)));
        }
        let page: Page<T> = self.client.get(&path).await?;
        // A cursor that does not move would read the same page for ever.
        if page.next.is_some() && page.next == self.after {
            return Err(ClientError::Decode(
                "the server gave the same page cursor twice".into(),
            ));
        }
        self.after.clone_from(&page.next);
        self.done = page.next.is_none();
        Ok(Some(page))
    }

    /// Every item, page after page.
    pub async fn all(mut self) -> Result<Vec<T>, ClientError> {
        let mut items = Vec::new();
        while let Some(page) = self.next_page().await? {
            items.extend(page.items);
        }
        Ok(items)
    }
}

/// `.await` on a list reads all of it.
impl<'a, T: DeserializeOwned + Send + 'a> IntoFuture for Pages<'a, T> {
    type Output = Result<Vec<T>, ClientError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.all())
    }
}

/// A cursor or a filter as a query value: the server's cursors are URL-safe already; anything
/// else is escaped.
pub(super) fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
