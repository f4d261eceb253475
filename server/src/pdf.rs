//! PDF documents (certificates, decisions, the case file's dossier): blocks of text laid out
//! top to bottom on A4 pages in one font with Chinese glyphs (`Config::pdf_font`), wrapped to
//! the page width, written with krilla, which embeds only the glyphs used.

use std::path::Path;
use std::sync::Arc;

use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use krilla::Document;

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ApiResult};

/// A4 in points, and the margin on every side.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 64.0;

/// One piece of the document, in reading order.
pub enum Block {
    /// Centred, large.
    Title(String),
    /// Wrapped body text.
    Paragraph(String),
    /// Wrapped small print (numbers, how to check the document).
    Note(String),
    /// Vertical space, in points.
    Gap(f32),
}

impl Block {
    fn size(&self) -> f32 {
        match self {
            Block::Title(_) => 24.0,
            Block::Paragraph(_) => 14.0,
            Block::Note(_) => 10.0,
            Block::Gap(_) => 0.0,
        }
    }
}

/// How wide `c` is, in ems: Chinese characters (and other wide ones) a full em, the rest about
/// half. An estimate, erring wide, so a line never runs off the page.
fn em_width(c: char) -> f32 {
    if c.is_ascii() {
        0.6
    } else {
        1.0
    }
}

/// `text` broken into lines no wider than `width` at `size` (explicit line breaks kept).
fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut used = 0.0;
        for c in para.chars() {
            let w = em_width(c) * size;
            if used + w > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            line.push(c);
            used += w;
        }
        lines.push(line);
    }
    lines
}

/// Loads the font; a server without it cannot write PDFs (`service.unavailable`).
pub fn load_font(path: &Path) -> ApiResult<Font> {
    let data = std::fs::read(path).map_err(|e| {
        tracing::error!(path = %path.display(), error = %e, "the PDF font cannot be read");
        ApiError::from(huijiao_core::ErrorCode::Unavailable)
    })?;
    Font::new(Arc::new(data).into(), 0).ok_or_else(|| {
        tracing::error!(path = %path.display(), "the PDF font is not a font");
        huijiao_core::ErrorCode::Unavailable.into()
    })
}

/// The document as PDF bytes, titled `title` in its metadata.
pub fn render(font: &Font, title: &str, blocks: &[Block]) -> ApiResult<Vec<u8>> {
    let mut doc = Document::new();
    doc.set_metadata(krilla::metadata::Metadata::new().title(title.to_owned()));
    let settings = || PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid size");
    let mut page = doc.start_page_with(settings());
    let mut surface = page.surface();
    let mut y = MARGIN;
    let width = PAGE_W - 2.0 * MARGIN;
    for block in blocks {
        let (text, size) = match block {
            Block::Gap(h) => {
                y += h;
                continue;
            }
            Block::Title(t) | Block::Paragraph(t) | Block::Note(t) => (t, block.size()),
        };
        let leading = size * 1.6;
        for line in wrap(text, size, width) {
            if y + leading > PAGE_H - MARGIN {
                surface.finish();
                page.finish();
                page = doc.start_page_with(settings());
                surface = page.surface();
                y = MARGIN;
            }
            y += leading;
            let x = match block {
                Block::Title(_) => {
                    let w: f32 = line.chars().map(|c| em_width(c) * size).sum();
                    MARGIN + ((width - w) / 2.0).max(0.0)
                }
                _ => MARGIN,
            };
            surface.draw_text(
                Point::from_xy(x, y),
                font.clone(),
                size,
                &line,
                false,
                TextDirection::Auto,
            );
        }
    }
    surface.finish();
    page.finish();
    doc.finish()
        .map_err(|e| ApiError::internal(format!("PDF: {e:?}")))
}

/// A date as documents write it: `2026 年 12 月 03 日`.
pub fn date_zh(d: chrono::NaiveDate) -> String {
    d.format("%Y 年 %m 月 %d 日").to_string()
}

/// Renders `blocks` in the configured font, off the async runtime (a long document takes a
/// while to lay out).
pub async fn render_with(
    font_path: &Path,
    title: String,
    blocks: Vec<Block>,
) -> ApiResult<Vec<u8>> {
    let font = load_font(font_path)?;
    tokio::task::spawn_blocking(move || render(&font, &title, &blocks))
        .await
        .map_err(ApiError::internal)?
}

/// A certificate (证明书, 证明): its title, what it attests, "特此证明", who issued it and
/// when, and its number with how to check it, as one page every certificate shares.
pub struct Certificate {
    pub title: &'static str,
    pub body: Vec<String>,
    /// "出具机关" for an authority, "出具单位" for a unit.
    pub issuer_label: &'static str,
    pub issuer: String,
    pub issued_on: chrono::NaiveDate,
    /// "证明书编号", "证明编号".
    pub number_label: &'static str,
    pub number: String,
    /// How to check it, if it can be.
    pub check: Option<String>,
}

impl Certificate {
    fn blocks(&self) -> Vec<Block> {
        let mut blocks = vec![
            Block::Gap(40.0),
            Block::Title(self.title.into()),
            Block::Gap(30.0),
        ];
        for paragraph in &self.body {
            blocks.push(Block::Paragraph(paragraph.clone()));
            blocks.push(Block::Gap(10.0));
        }
        blocks.extend([
            Block::Paragraph("特此证明。".into()),
            Block::Gap(40.0),
            Block::Paragraph(format!("{}：{}", self.issuer_label, self.issuer)),
            Block::Paragraph(format!("出具日期：{}", date_zh(self.issued_on))),
            Block::Gap(40.0),
            Block::Note(format!("{}：{}", self.number_label, self.number)),
        ]);
        blocks.extend(self.check.iter().map(|c| Block::Note(c.clone())));
        blocks
    }

    /// The certificate as a PDF download named after its number.
    pub async fn download(&self, font_path: &Path) -> ApiResult<Response> {
        let bytes = render_with(font_path, self.title.into(), self.blocks()).await?;
        Ok(attachment(
            "application/pdf",
            &format!("{}.pdf", self.number),
            bytes,
        ))
    }
}

/// `bytes` as a download named `filename`.
pub fn attachment(content_type: &str, filename: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_the_width_and_keep_their_breaks() {
        let lines = wrap("一二三四五六七八九十\nab", 10.0, 45.0);
        assert_eq!(lines, ["一二三四", "五六七八", "九十", "ab"]);
        assert_eq!(wrap("", 10.0, 45.0), [""]);
        // A character wider than the line still goes somewhere.
        assert_eq!(wrap("一", 100.0, 45.0), ["一"]);
    }
}
