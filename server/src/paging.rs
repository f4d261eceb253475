//! The one way every list pages (see `huijiao_core::api::Page`): `limit` and `after` in the
//! query, a seek on the list's sort key (a time, or a sequence number) and the row id, one
//! more row read than asked for to know whether another page follows.
//!
//! A handler takes `Paged<Filter>` (its own filters plus paging; unknown parameters are still
//! refused) or `PageRequest` alone, and answers with `page.read(db, find, order, view)`; the
//! entity says how its lists are ordered (`seek_by!`).

use chrono::{DateTime, Utc};
use huijiao_core::api::{Page, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX};
use huijiao_core::Said;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use uuid::Uuid;

use crate::error::{query_from, ApiError, ApiResult};

/// The paging parameters, as the OpenAPI document lists them.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Items on the page: 1–500, default 100.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    /// The `next` of the page before; absent for the first page.
    pub after: Option<String>,
}

/// Which page, checked: a size in range and a cursor this server made.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRequest {
    size: u64,
    after: Option<(String, Uuid)>,
}

/// Which end of the list comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    OldestFirst,
    NewestFirst,
}

/// A list's sort key as the cursor carries it, in URL-safe text: a time in nanoseconds (exact on
/// both databases whatever precision a time was given with), a date as its day number, a
/// number as itself, a text as the hex of its bytes.
pub trait SortKey: Sized + Into<sea_orm::Value> {
    fn to_cursor(&self) -> String;
    fn from_cursor(s: &str) -> Option<Self>;
}

impl SortKey for DateTime<Utc> {
    fn to_cursor(&self) -> String {
        // Years 1677 to 2262; every time this system keeps is well inside.
        self.timestamp_nanos_opt().unwrap_or(i64::MAX).to_string()
    }
    fn from_cursor(s: &str) -> Option<Self> {
        Some(DateTime::from_timestamp_nanos(s.parse().ok()?))
    }
}

impl SortKey for chrono::NaiveDate {
    fn to_cursor(&self) -> String {
        chrono::Datelike::num_days_from_ce(self).to_string()
    }
    fn from_cursor(s: &str) -> Option<Self> {
        chrono::NaiveDate::from_num_days_from_ce_opt(s.parse().ok()?)
    }
}

impl SortKey for i64 {
    fn to_cursor(&self) -> String {
        self.to_string()
    }
    fn from_cursor(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

impl SortKey for String {
    fn to_cursor(&self) -> String {
        self.bytes().map(|b| format!("{b:02x}")).collect()
    }
    fn from_cursor(s: &str) -> Option<Self> {
        if s.len() % 2 != 0 {
            return None;
        }
        let bytes = (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        String::from_utf8(bytes).ok()
    }
}

impl SortKey for Uuid {
    fn to_cursor(&self) -> String {
        self.simple().to_string()
    }
    fn from_cursor(s: &str) -> Option<Self> {
        Uuid::try_parse(s).ok()
    }
}

/// How an entity's lists are ordered: by `KEY` (a time or a number), ties broken by `ID`.
pub trait Seek: EntityTrait {
    type Key: SortKey;
    const KEY: Self::Column;
    const ID: Self::Column;
    fn key_of(m: &Self::Model) -> (Self::Key, Uuid);
}

/// `impl Seek` for an entity (a module of `entities`) ordered by a column and its id: a time
/// (`seek_by!(alert, CreatedAt, created_at)`) or another key (`…, due_on: NaiveDate)`).
#[macro_export]
macro_rules! seek_by {
    ($entity:ident, $column:ident, $field:ident) => {
        $crate::seek_by!($entity, $column, $field: chrono::DateTime<chrono::Utc>);
    };
    ($entity:ident, $column:ident, $field:ident: $key:ty) => {
        impl $crate::paging::Seek for $crate::entities::$entity::Entity {
            type Key = $key;
            const KEY: $crate::entities::$entity::Column =
                $crate::entities::$entity::Column::$column;
            const ID: $crate::entities::$entity::Column = $crate::entities::$entity::Column::Id;
            fn key_of(m: &$crate::entities::$entity::Model) -> (Self::Key, uuid::Uuid) {
                (std::borrow::ToOwned::to_owned(&m.$field), m.id)
            }
        }
    };
}

fn bad_cursor() -> ApiError {
    ApiError::field(
        "after",
        Said::new(
            "not a cursor this list gave (send the `next` of the page before)",
            "不是本列表给出的翻页标记（请传上一页的 next）",
        ),
    )
}

impl PageRequest {
    pub fn new(q: PageQuery) -> ApiResult<PageRequest> {
        let size = q.limit.unwrap_or(PAGE_SIZE_DEFAULT);
        if !(1..=PAGE_SIZE_MAX).contains(&size) {
            return Err(ApiError::field(
                "limit",
                Said::new(
                    format!("must be 1 to {PAGE_SIZE_MAX}"),
                    format!("须为 1 到 {PAGE_SIZE_MAX}"),
                ),
            ));
        }
        let after = q.after.as_deref().map(decode).transpose()?;
        Ok(PageRequest { size, after })
    }

    /// The first page of `size`.
    pub fn first(size: u64) -> PageRequest {
        PageRequest { size, after: None }
    }

    /// Items this page holds at most.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The page of `find`'s rows in `order`, each made into its view.
    pub async fn read<E: Seek, T>(
        &self,
        db: &impl ConnectionTrait,
        find: Select<E>,
        order: Order,
        view: impl FnMut(E::Model) -> ApiResult<T>,
    ) -> ApiResult<Page<T>> {
        let rows = self
            .seek::<E, E::Key>(find, E::KEY, Some(E::ID), order)?
            .all(db)
            .await?;
        self.page(rows, E::key_of, view)
    }

    /// The page of `find`'s rows themselves, for views made of the whole page at once
    /// (`Page { items: views(rows.items).await?, next: rows.next }`).
    pub async fn rows<E: Seek>(
        &self,
        db: &impl ConnectionTrait,
        find: Select<E>,
        order: Order,
    ) -> ApiResult<Page<E::Model>> {
        self.read(db, find, order, Ok).await
    }

    /// The page of a list the server computed whole (a report sorted by a figure it works out,
    /// such as who is most short of their minutes): sorted by (`key`, id) in `order`, the items
    /// after the cursor, at most `size` of them. The cursor is a position in that order, so a
    /// row that changes between two pages is shown once at most, never twice.
    pub fn slice<T, K: SortKey + Ord>(
        &self,
        mut items: Vec<T>,
        key: impl Fn(&T) -> (K, Uuid),
        order: Order,
    ) -> ApiResult<Page<T>> {
        items.sort_by(|a, b| {
            let ab = key(a).cmp(&key(b));
            match order {
                Order::OldestFirst => ab,
                Order::NewestFirst => ab.reverse(),
            }
        });
        if let Some((k, i)) = &self.after {
            let cursor = (K::from_cursor(k).ok_or_else(bad_cursor)?, *i);
            items.retain(|t| match order {
                Order::OldestFirst => key(t) > cursor,
                Order::NewestFirst => key(t) < cursor,
            });
        }
        items.truncate(self.size as usize + 1);
        self.page(items, key, Ok)
    }

    /// Orders `find` by (`key`, `id`) and keeps the rows after the cursor, one more than the
    /// page holds. `id` breaks ties; `None` for a key unique by itself (the audit chain's
    /// sequence).
    pub fn seek<E, K>(
        &self,
        find: Select<E>,
        key: E::Column,
        id: Option<E::Column>,
        order: Order,
    ) -> ApiResult<Select<E>>
    where
        E: EntityTrait,
        K: SortKey,
    {
        let after = |c: E::Column, v: sea_orm::Value| -> SimpleExpr {
            match order {
                Order::OldestFirst => c.gt(v),
                Order::NewestFirst => c.lt(v),
            }
        };
        let find = match &self.after {
            None => find,
            Some((k, i)) => {
                let k: sea_orm::Value = K::from_cursor(k).ok_or_else(bad_cursor)?.into();
                let past = match id {
                    None => Condition::all().add(after(key, k)),
                    Some(id) => Condition::any().add(after(key, k.clone())).add(
                        Condition::all()
                            .add(Expr::col(key).eq(k))
                            .add(after(id, (*i).into())),
                    ),
                };
                find.filter(past)
            }
        };
        let columns: Vec<E::Column> = std::iter::once(key).chain(id).collect();
        Ok(self.ordered(find, &columns, order))
    }

    /// `find` in `order` of `columns`, one row more than the page holds.
    fn ordered<E: EntityTrait>(
        &self,
        find: Select<E>,
        columns: &[E::Column],
        order: Order,
    ) -> Select<E> {
        let find = columns.iter().fold(find, |f, &c| match order {
            Order::OldestFirst => f.order_by_asc(c),
            Order::NewestFirst => f.order_by_desc(c),
        });
        find.limit(self.size + 1)
    }

    /// The page from the rows `seek` read: at most `size` items and, if a row was left over,
    /// the cursor of the last one shown.
    pub fn page<M, T, K: SortKey>(
        &self,
        mut rows: Vec<M>,
        key: impl Fn(&M) -> (K, Uuid),
        view: impl FnMut(M) -> ApiResult<T>,
    ) -> ApiResult<Page<T>> {
        let next = if rows.len() as u64 > self.size {
            rows.truncate(self.size as usize);
            rows.last().map(|m| {
                let (k, id) = key(m);
                encode(&k.to_cursor(), id)
            })
        } else {
            None
        };
        Ok(Page {
            items: rows.into_iter().map(view).collect::<ApiResult<_>>()?,
            next,
        })
    }
}

/// Every row of `find`, oldest first, read page by page (an export: the whole list, however
/// long, never one unbounded query).
pub async fn read_all<E: Seek>(
    db: &impl ConnectionTrait,
    find: Select<E>,
) -> ApiResult<Vec<E::Model>> {
    let mut page = PageRequest::first(1000);
    let mut all = Vec::new();
    loop {
        let Page { items, next } = page.rows(db, find.clone(), Order::OldestFirst).await?;
        all.extend(items);
        match next {
            Some(cursor) => page.after = Some(decode(&cursor)?),
            None => return Ok(all),
        }
    }
}

/// `<key>_<id>`: URL-safe as it is (the key is digits, a minus sign or hex).
fn encode(key: &str, id: Uuid) -> String {
    format!("{key}_{}", id.simple())
}

fn decode(s: &str) -> ApiResult<(String, Uuid)> {
    let (k, id) = s.rsplit_once('_').ok_or_else(bad_cursor)?;
    if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(bad_cursor());
    }
    let id = Uuid::try_parse(id).map_err(|_| bad_cursor())?;
    Ok((k.to_owned(), id))
}

/// A list with no filters of its own: the query holds paging only.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PageRequest {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut http::request::Parts, _: &S) -> Result<Self, ApiError> {
        PageRequest::new(query_from(parts.uri.query().unwrap_or_default())?)
    }
}

/// A list's own filters `T` and the page asked for, from one query string. `T` still refuses
/// a parameter it does not know.
pub struct Paged<T>(pub T, pub PageRequest);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for Paged<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut http::request::Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let (mut paging, mut rest) = (
            form_urlencoded::Serializer::new(String::new()),
            form_urlencoded::Serializer::new(String::new()),
        );
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            match &*k {
                "limit" | "after" => paging.append_pair(&k, &v),
                _ => rest.append_pair(&k, &v),
            };
        }
        let filter = query_from(&rest.finish())?;
        let page = PageRequest::new(query_from(&paging.finish())?)?;
        Ok(Paged(filter, page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_key_reads_back_as_it_was_written() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(chrono::NaiveDate::from_cursor(&d.to_cursor()), Some(d));
        assert_eq!(chrono::NaiveDate::from_cursor(&i64::MAX.to_string()), None);
        for name in ["officer.a1", "张三", ""] {
            let key = name.to_owned().to_cursor();
            assert!(key.chars().all(|c| c.is_ascii_hexdigit()), "{key}");
            assert_eq!(String::from_cursor(&key).as_deref(), Some(name));
        }
        assert_eq!(String::from_cursor("zz"), None);
        assert_eq!(String::from_cursor("abc"), None);
    }

    #[test]
    fn a_computed_list_reads_page_by_page_in_its_order_each_item_once() {
        // Ties on the figure (three people 30 minutes short) are broken by id.
        let short: Vec<(i64, Uuid)> = [30, 5, 30, 120, 30, 0, 5]
            .into_iter()
            .map(|m| (m, Uuid::now_v7()))
            .collect();
        let mut want = short.clone();
        want.sort_by(|a, b| b.cmp(a));
        let mut seen = vec![];
        let mut page = PageRequest::first(2);
        loop {
            let p = page
                .slice(short.clone(), |r| *r, Order::NewestFirst)
                .unwrap();
            assert!(p.items.len() <= 2);
            seen.extend(p.items);
            let Some(next) = p.next else { break };
            page.after = Some(decode(&next).unwrap());
        }
        assert_eq!(seen, want);
        assert_eq!(Uuid::from_cursor(&want[0].1.to_cursor()), Some(want[0].1));
        // A cursor whose key is not this list's kind is refused.
        page.after = Some(("zz".into(), Uuid::now_v7()));
        let e = page.slice(short, |r| *r, Order::NewestFirst).unwrap_err();
        assert_eq!(e.errors[0].field, "after");
    }

    #[test]
    fn a_cursor_reads_back_as_it_was_written() {
        let id = Uuid::now_v7();
        for k in ["0", "1765080000123456", "-5", "6f6666"] {
            assert_eq!(decode(&encode(k, id)).unwrap(), (k.to_owned(), id));
        }
    }

    #[test]
    fn a_cursor_not_of_ours_is_refused_naming_after() {
        for bad in [
            "",
            "12",
            "x_0193",
            "12_nothex",
            "_",
            "1_2_3",
            "a b_0193f0a0b1c27d3e8f9a0b1c2d3e4f50",
        ] {
            let e = decode(bad).unwrap_err();
            assert_eq!(e.errors[0].field, "after", "{bad:?}");
        }
    }

    #[test]
    fn a_page_size_outside_1_to_500_is_refused_naming_limit() {
        for limit in [0, 501] {
            let e = PageRequest::new(PageQuery {
                limit: Some(limit),
                after: None,
            })
            .unwrap_err();
            assert_eq!(e.errors[0].field, "limit");
        }
        let ok = PageRequest::new(PageQuery {
            limit: Some(500),
            after: None,
        })
        .unwrap();
        assert_eq!(ok.size, 500);
    }

    #[test]
    fn the_next_cursor_is_that_of_the_last_item_shown_and_only_when_more_follow() {
        let t = |n: i64| DateTime::<Utc>::from_timestamp(n, 0).unwrap();
        let rows: Vec<(DateTime<Utc>, Uuid)> = (0..3).map(|n| (t(n), Uuid::now_v7())).collect();
        let p = PageRequest::first(2);
        let page = p.page(rows.clone(), |r| *r, |r| Ok(r.1)).unwrap();
        assert_eq!(page.items, vec![rows[0].1, rows[1].1]);
        assert_eq!(page.next, Some(encode(&t(1).to_cursor(), rows[1].1)));
        let last = PageRequest::first(3)
            .page(rows, |r| *r, |r| Ok(r.1))
            .unwrap();
        assert_eq!(last.next, None);
    }
}
