//! Input checks shared by the domains; each failure names the field.

use huijiao_core::policy::text::{self, Shape};
use huijiao_core::Said;

use crate::error::{ApiError, ApiResult};

/// One line of text people type (a name, a place, a title): the core text rule.
pub fn check_text(field: &str, value: &str, max: usize) -> ApiResult<()> {
    text::check(value, max, Shape::Line).map_err(|p| ApiError::field(field, p.message()))
}

/// Free text that may span lines (a reason, an opinion, a note): the core text rule.
pub fn check_paragraphs(field: &str, value: &str, max: usize) -> ApiResult<()> {
    text::check(value, max, Shape::Paragraphs).map_err(|p| ApiError::field(field, p.message()))
}

pub fn check_coordinates(field: &str, lat: f64, lon: f64) -> ApiResult<()> {
    if !(lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon))
    {
        return Err(ApiError::field(
            field,
            Said::new(
                "latitude −90…90 and longitude −180…180",
                "纬度须在 −90 到 90 之间，经度须在 −180 到 180 之间",
            ),
        ));
    }
    Ok(())
}

/// A phone's GPS fix: real coordinates, a non-negative accuracy, a short provider name.
/// Risks flagged on a record (a help session, a visit): each of the six kinds at most once.
pub fn check_risks(risks: &[huijiao_core::model::RiskFactor]) -> ApiResult<()> {
    if risks.len() > huijiao_core::model::RiskFactor::ALL.len() {
        return Err(ApiError::field(
            "risks",
            Said::new(
                "each of the six kinds of risk at most once",
                "六类风险每类最多一次",
            ),
        ));
    }
    Ok(())
}

pub fn check_gps_fix(field: &str, fix: &huijiao_core::api::GpsFix) -> ApiResult<()> {
    check_text(&format!("{field}.provider"), &fix.provider, 32)?;
    check_coordinates(field, fix.lat, fix.lon)?;
    if !(fix.accuracy_m.is_finite() && fix.accuracy_m >= 0.0) {
        return Err(ApiError::field(
            format!("{field}.accuracy_m"),
            Said::new("a non-negative number of metres", "须为不小于 0 的米数"),
        ));
    }
    Ok(())
}

/// An upload sent as base64 (`content`), decoded, no larger than `max_bytes`
/// (`request.body_too_large`) and passing `check_upload` for its declared type; its bytes.
pub async fn decoded_upload(
    content_type: &str,
    content: &str,
    max_bytes: usize,
) -> ApiResult<Vec<u8>> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content.trim())
        .map_err(|_| ApiError::field("content", Said::new("base64", "须为 base64")))?;
    if bytes.len() > max_bytes {
        return Err(huijiao_core::ErrorCode::BodyTooLarge.into());
    }
    // Decoding an image is CPU work: off the async executor.
    let (content_type, checked) = (content_type.to_owned(), bytes.clone());
    tokio::task::spawn_blocking(move || check_upload(&content_type, &checked))
        .await
        .map_err(ApiError::internal)??;
    Ok(bytes)
}

/// What an uploaded file must be before it is stored: an image that really decodes (its
/// size checked from the header before any pixel is decoded, as check-ins do), or a PDF with
/// no active content (scripts, actions run on opening, launches, embedded files, forms that
/// submit), looked for in the file and inside its compressed streams.
/// A declared type the bytes do not match is `content_type`'s fault; a bad file, `content`'s.
pub fn check_upload(content_type: &str, bytes: &[u8]) -> ApiResult<()> {
    let refuse =
        |en: &'static str, zh: &'static str| Err(ApiError::field("content", Said::new(en, zh)));
    let wrong_type = |en: &'static str, zh: &'static str| {
        Err(ApiError::field("content_type", Said::new(en, zh)))
    };
    match content_type {
        "image/jpeg" | "image/png" => {
            let magic_ok = match content_type {
                "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
                _ => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            };
            if !magic_ok {
                return wrong_type("not the image its type says", "内容与声明的图片类型不符");
            }
            match huijiao_core::face::image::Rgb::decode(bytes) {
                Ok(_) => Ok(()),
                Err(huijiao_core::face::FaceError::ImageTooLarge) => refuse(
                    "the image is too large (at most 25 megapixels)",
                    "图片过大（最多 2500 万像素）",
                ),
                Err(_) => refuse("not a readable image", "不是可读取的图片"),
            }
        }
        "application/pdf" => {
            if !bytes.starts_with(b"%PDF-") {
                return wrong_type("not a PDF", "不是 PDF 文件");
            }
            match pdf_active_content(bytes) {
                Some(true) => refuse(
                    "a PDF with active content (scripts, actions, embedded files) is not accepted",
                    "不接受含有脚本、自动动作或嵌入文件的 PDF",
                ),
                Some(false) => Ok(()),
                None => refuse(
                    "the PDF could not be checked (its streams expand too far)",
                    "无法检查此 PDF（压缩内容过大）",
                ),
            }
        }
        _ => wrong_type(
            "image/jpeg, image/png or application/pdf",
            "须为 image/jpeg、image/png 或 application/pdf",
        ),
    }
}

/// PDF names that make a reader do something by itself.
const ACTIVE_PDF_NAMES: &[&[u8]] = &[
    b"JavaScript",
    b"JS",
    b"OpenAction",
    b"AA",
    b"Launch",
    b"EmbeddedFile",
    b"EmbeddedFiles",
    b"RichMedia",
    b"XFA",
    b"SubmitForm",
    b"ImportData",
];

/// Whether `pdf` names active content anywhere, inflated streams included (`None`: the
/// streams expand beyond what is worth checking, a likely bomb).
pub fn pdf_active_content(pdf: &[u8]) -> Option<bool> {
    const MAX_INFLATED: u64 = 64 * 1024 * 1024;
    if has_active_name(pdf) {
        return Some(true);
    }
    let mut budget = MAX_INFLATED;
    let mut at = 0;
    while let Some(start) = find(&pdf[at..], b"stream").map(|i| at + i + b"stream".len()) {
        let body = pdf[start..]
            .strip_prefix(b"\r\n")
            .or_else(|| pdf[start..].strip_prefix(b"\n"))
            .unwrap_or(&pdf[start..]);
        let Some(len) = find(body, b"endstream") else {
            break;
        };
        let mut out = Vec::new();
        let read = std::io::Read::read_to_end(
            &mut std::io::Read::take(flate2::read::ZlibDecoder::new(&body[..len]), budget + 1),
            &mut out,
        );
        if read.is_ok() || !out.is_empty() {
            if out.len() as u64 > budget {
                return None;
            }
            budget -= out.len() as u64;
            if has_active_name(&out) {
                return Some(true);
            }
        }
        at = pdf.len() - body.len() + len + b"endstream".len();
    }
    Some(false)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads every `/Name` token, undoing `#xx` escapes (`/J#61vaScript` is `/JavaScript`).
fn has_active_name(bytes: &[u8]) -> bool {
    let delimiter = |b: u8| b.is_ascii_whitespace() || b"/[]<>(){}%".contains(&b);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'/' {
            i += 1;
            continue;
        }
        let mut name = Vec::new();
        i += 1;
        while i < bytes.len() && !delimiter(bytes[i]) {
            let hex = |b: u8| (b as char).to_digit(16);
            match (
                bytes[i],
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                (b'#', Some(h), Some(l)) => {
                    name.push((h * 16 + l) as u8);
                    i += 3;
                }
                (b, _, _) => {
                    name.push(b);
                    i += 1;
                }
            }
        }
        if ACTIVE_PDF_NAMES.contains(&name.as_slice()) {
            return true;
        }
    }
    false
}
