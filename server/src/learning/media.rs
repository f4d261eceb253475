//! A lesson's file: the county's officer uploads the video, audio or PDF while the course is a
//! draft; whoever may see the course reads it, in byte ranges as players ask (`Range:
//! bytes=…`, RFC 9110 §14). Course material is not personal data, so it is stored as it is,
//! streamed in (`MediaStore::put_public_stream`: a file never has to fit in memory), and a
//! range is read from the store without loading the file.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use huijiao_core::api::{LessonView, Problem};
use huijiao_core::policy::learning::{CourseStatus, LessonKind};
use huijiao_core::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::courses::{course_to_change, find_course};
use super::lesson_view;
use crate::auth::extractor::{Officer, RequestParty};
use crate::entities::lesson;
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::state::AppState;
use crate::work::Work;

/// The largest lesson file taken (a lecture of an hour in modest quality).
pub const MAX_MEDIA_BYTES: usize = 256 << 20;

/// The largest PDF lesson: read whole once, to look for active content.
pub const MAX_PDF_BYTES: u64 = 32 << 20;

/// Whether a stored lesson file is, all through, the container its first bytes claim: an
/// MP4's top-level boxes follow each other to the end of the file; a WebM's EBML header is
/// followed by its segment; a PDF names no active content (scripts, actions run on opening,
/// launches, embedded files). A media signature with a web page after it is refused: served
/// to every supervisee of the unit, it must be nothing else.
async fn whole_file_ok(
    media: &crate::media::MediaStore,
    key: &str,
    size: u64,
    content_type: &str,
) -> ApiResult<bool> {
    match content_type {
        "video/mp4" | "audio/mp4" => {
            let mut at = 0u64;
            let mut boxes = 0;
            while at < size {
                boxes += 1;
                if boxes > 10_000 || size - at < 8 {
                    return Ok(false);
                }
                let head = media.get_range(key, at..(at + 16).min(size)).await?;
                let small = u64::from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]));
                let kind = &head[4..8];
                if !kind.iter().all(|b| b.is_ascii_alphanumeric() || *b == b' ') {
                    return Ok(false);
                }
                let length = match small {
                    0 => size - at,
                    1 if head.len() == 16 => {
                        u64::from_be_bytes(head[8..16].try_into().unwrap_or_default())
                    }
                    n => n,
                };
                if length < 8 || length > size - at {
                    return Ok(false);
                }
                at += length;
            }
            Ok(at == size && boxes >= 2)
        }
        "video/webm" => {
            let head = media.get_range(key, 0..size.min(64)).await?;
            // EBML header: its id, a size (EBML variable-length integer), then the segment.
            let Some(&first) = head.get(4) else {
                return Ok(false);
            };
            let width = first.leading_zeros() as usize + 1;
            if width > 8 || head.len() < 4 + width {
                return Ok(false);
            }
            let mut length = u64::from(first) & (0xFF >> width);
            for b in &head[5..4 + width] {
                length = (length << 8) | u64::from(*b);
            }
            let segment = 4 + width as u64 + length;
            if segment + 4 > size {
                return Ok(false);
            }
            let next = media.get_range(key, segment..segment + 4).await?;
            Ok(next == [0x18, 0x53, 0x80, 0x67])
        }
        "application/pdf" => {
            if size > MAX_PDF_BYTES {
                return Ok(false);
            }
            let bytes = media.get_range(key, 0..size).await?;
            let checked = tokio::task::spawn_blocking(move || {
                crate::validate::pdf_active_content(&bytes) == Some(false)
            });
            checked.await.map_err(ApiError::internal)
        }
        // MP3 frames carry no structure worth walking; a browser plays them as audio only.
        _ => Ok(true),
    }
}

/// Whether `bytes` are a file of `content_type` that a lesson of `kind` takes (by their
/// signature, not only the declared type).
fn fits(kind: LessonKind, content_type: &str, bytes: &[u8]) -> bool {
    let iso_media = bytes.len() > 8 && &bytes[4..8] == b"ftyp";
    match (kind, content_type) {
        (LessonKind::Video, "video/mp4") | (LessonKind::Audio, "audio/mp4") => iso_media,
        (LessonKind::Video, "video/webm") => bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]),
        (LessonKind::Audio, "audio/mpeg") => {
            bytes.starts_with(b"ID3")
                || (bytes.len() > 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
        }
        (LessonKind::Pdf, "application/pdf") => bytes.starts_with(b"%PDF-"),
        _ => false,
    }
}

/// Uploads (or replaces) a lesson's file while its course is a draft. `Content-Type` says what
/// it is: `video/mp4` or `video/webm`, `audio/mpeg` or `audio/mp4`, `application/pdf`.
#[utoipa::path(put, path = "/lessons/{id}/media", tag = "learning", params(("id" = Uuid, Path)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = LessonView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<LessonView>> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    // Who may, before a byte is taken; no transaction is held while the file streams in.
    let l = lesson_to_upload(&state.db, &caller, id).await?;
    let (key, size) = state
        .media
        .put_public_stream(
            &format!("lessons/{}", l.id),
            body.into_data_stream(),
            MAX_MEDIA_BYTES as u64,
            |head| {
                if fits(l.kind, &content_type, head) {
                    Ok(())
                } else {
                    Err(ErrorCode::LessonMediaInvalid.into())
                }
            },
        )
        .await?;
    if !whole_file_ok(&state.media, &key, size, &content_type).await? {
        state.media.delete(&key).await?;
        return Err(ErrorCode::LessonMediaInvalid.into());
    }
    // Stored: now the lesson points at it, if its course is still a draft.
    let stored = async {
        let work = Work::begin(&state).await?;
        let l = lesson_to_upload(work.db(), &caller, id).await?;
        lesson::Entity::update_many()
            .col_expr(lesson::Column::MediaKey, Expr::value(key.clone()))
            .col_expr(lesson::Column::MediaType, Expr::value(content_type.clone()))
            .col_expr(lesson::Column::MediaBytes, Expr::value(size as i64))
            .filter(lesson::Column::Id.eq(l.id))
            .exec(work.db())
            .await?;
        work.commit().await?;
        Ok::<_, ApiError>(l)
    }
    .await;
    let before = match stored {
        Ok(before) => before,
        Err(e) => {
            state.media.delete(&key).await?;
            return Err(e);
        }
    };
    if let Some(old) = &before.media_key {
        state.media.delete(old).await?;
    }
    let l = lesson::Entity::find_by_id(l.id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Json(lesson_view(l, 0)))
}

/// The lesson, if its course is the officer's to change and still a draft: what people study
/// does not change under them, so files go in before publishing.
async fn lesson_to_upload(
    db: &impl sea_orm::ConnectionTrait,
    caller: &Officer,
    id: Uuid,
) -> ApiResult<lesson::Model> {
    let l = lesson::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let (course, _) = course_to_change(db, caller, l.course_id).await?;
    if course.status != CourseStatus::Draft {
        return Err(ErrorCode::CourseTransitionInvalid.into());
    }
    Ok(l)
}

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Wanted {
    All,
    /// First and last byte, inclusive.
    Part(u64, u64),
    Unsatisfiable,
}

/// One byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`); anything else — other units, several
/// ranges, a malformed value — is answered with the whole file, as RFC 9110 allows.
fn wanted(range: Option<&str>, size: u64) -> Wanted {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        return Wanted::All;
    };
    if spec.contains(',') {
        return Wanted::All;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Wanted::All;
    };
    let number = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (
        number(first),
        number(last),
        first.is_empty(),
        last.is_empty(),
    ) {
        // The last n bytes.
        (None, Some(n), true, false) => {
            if n == 0 || size == 0 {
                Wanted::Unsatisfiable
            } else {
                Wanted::Part(size - n.min(size), size - 1)
            }
        }
        (Some(a), None, false, true) if a < size => Wanted::Part(a, size - 1),
        (Some(a), Some(b), false, false) if a <= b && a < size => Wanted::Part(a, b.min(size - 1)),
        (Some(a), _, false, _) if a >= size => Wanted::Unsatisfiable,
        _ => Wanted::All,
    }
}

/// A lesson's file, whole or the byte range asked for (206), for whoever may see the course.
#[utoipa::path(get, path = "/lessons/{id}/media", tag = "learning", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>),
        (status = 206, content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, body = Problem), (status = 416, body = Problem)))]
pub async fn download(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let l = lesson::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    find_course(&state.db, &caller, l.course_id).await?;
    let (Some(key), Some(media_type), Some(size)) = (&l.media_key, &l.media_type, l.media_bytes)
    else {
        return Err(ErrorCode::NotFound.into());
    };
    let size = size.max(0) as u64;
    let etag = format!("\"{}\"", key.rsplit('/').next().unwrap_or(key));
    let common = |mut r: Response| {
        let h = r.headers_mut();
        h.insert(
            header::ACCEPT_RANGES,
            header::HeaderValue::from_static("bytes"),
        );
        if let Ok(v) = header::HeaderValue::from_str(&etag) {
            h.insert(header::ETAG, v);
        }
        h.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("private"),
        );
        r
    };
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, first, last) = match wanted(range, size) {
        Wanted::All => (StatusCode::OK, 0, size.saturating_sub(1)),
        Wanted::Part(a, b) => (StatusCode::PARTIAL_CONTENT, a, b),
        Wanted::Unsatisfiable => {
            let mut r = ApiError::from(ErrorCode::RangeNotSatisfiable).into_response();
            if let Ok(v) = header::HeaderValue::from_str(&format!("bytes */{size}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return Ok(common(r));
        }
    };
    let length = if size == 0 { 0 } else { last + 1 - first };
    let stream = state.media.stream_range(key, first..first + length).await?;
    let ext = match media_type.as_str() {
        "video/mp4" => "mp4",
        "video/webm" => "webm",
        "audio/mpeg" => "mp3",
        "audio/mp4" => "m4a",
        _ => "pdf",
    };
    let disposition = format!("inline; filename=\"{}.{ext}\"", l.id);
    let mut r = (
        status,
        [
            (header::CONTENT_TYPE, media_type.clone()),
            (header::CONTENT_LENGTH, length.to_string()),
            // Played or shown as what it is, never sniffed into a page, never scripted.
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "sandbox".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(stream),
    )
        .into_response();
    if status == StatusCode::PARTIAL_CONTENT {
        if let Ok(v) = header::HeaderValue::from_str(&format!("bytes {first}-{last}/{size}")) {
            r.headers_mut().insert(header::CONTENT_RANGE, v);
        }
    }
    Ok(common(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_as_players_ask_them() {
        assert_eq!(wanted(None, 100), Wanted::All);
        assert_eq!(wanted(Some("bytes=0-9"), 100), Wanted::Part(0, 9));
        assert_eq!(wanted(Some("bytes=90-"), 100), Wanted::Part(90, 99));
        assert_eq!(wanted(Some("bytes=-10"), 100), Wanted::Part(90, 99));
        assert_eq!(wanted(Some("bytes=-1000"), 100), Wanted::Part(0, 99));
        assert_eq!(wanted(Some("bytes=50-1000"), 100), Wanted::Part(50, 99));
        assert_eq!(wanted(Some("bytes=100-"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=100-200"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-0"), 100), Wanted::Unsatisfiable);
        // Not understood: the whole file.
        assert_eq!(wanted(Some("bytes=0-1,5-6"), 100), Wanted::All);
        assert_eq!(wanted(Some("items=0-1"), 100), Wanted::All);
        assert_eq!(wanted(Some("bytes=9-3"), 100), Wanted::All);
        assert_eq!(wanted(Some("bytes=x-3"), 100), Wanted::All);
    }

    #[test]
    fn a_file_must_be_what_its_type_and_the_lesson_say() {
        let mp4 = b"\0\0\0\x18ftypisom\0\0\0\0";
        assert!(fits(LessonKind::Video, "video/mp4", mp4));
        assert!(!fits(LessonKind::Audio, "video/mp4", mp4));
        assert!(!fits(LessonKind::Video, "video/webm", mp4));
        assert!(fits(LessonKind::Pdf, "application/pdf", b"%PDF-1.7\n"));
        assert!(!fits(LessonKind::Text, "application/pdf", b"%PDF-1.7\n"));
        assert!(fits(LessonKind::Audio, "audio/mpeg", b"ID3\x04\0\0"));
    }
}
