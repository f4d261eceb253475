//! The one rule for text people type (names, places, reasons, notes): what the server stores
//! and every screen shows must read the same to every reader. So no control characters, no
//! bidirectional overrides (U+202E makes "gpj.exe" read as "exe.jpg" in a list), no byte-order
//! marks or noncharacters, and no value that is only whitespace or invisible characters (a
//! zero-width "name" that looks blank in every list).

use crate::error::Said;

/// Whether a value may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Names, places, titles, identifiers: one line.
    Line,
    /// Reasons, opinions, notes: line breaks allowed.
    Paragraphs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// Empty, or only whitespace and invisible characters.
    Blank,
    TooLong {
        max: usize,
    },
    /// A line break in a one-line value.
    LineBreak,
    /// A control character (other than a line break where allowed).
    Control,
    /// A bidirectional embedding, override or isolate control.
    Bidi,
    /// A byte-order mark, a noncharacter or a private-use character.
    NotText,
}

impl TextProblem {
    pub fn message(self) -> Said {
        match self {
            TextProblem::Blank => Said::new(
                "must not be empty or invisible",
                "不能为空，也不能只含不可见字符",
            ),
            TextProblem::TooLong { max } => Said::new(
                format!("at most {max} characters"),
                format!("最多 {max} 个字符"),
            ),
            TextProblem::LineBreak => Said::new("one line: no line breaks", "只能一行，不能换行"),
            TextProblem::Control => Said::new("no control characters", "不能含控制字符"),
            TextProblem::Bidi => Said::new(
                "no text-direction control characters",
                "不能含文字方向控制字符",
            ),
            TextProblem::NotText => Said::new(
                "no byte-order marks, noncharacters or private-use characters",
                "不能含字节序标记、非字符或私用区字符",
            ),
        }
    }
}

/// Checks `value` against the text rule; `max` counts characters (not bytes).
pub fn check(value: &str, max: usize, shape: Shape) -> Result<(), TextProblem> {
    for c in value.chars() {
        match c {
            '\n' | '\r' if shape == Shape::Paragraphs => {}
            '\n' | '\r' => return Err(TextProblem::LineBreak),
            '\t' if shape == Shape::Paragraphs => {}
            c if c.is_control() => return Err(TextProblem::Control),
            c if is_bidi_control(c) => return Err(TextProblem::Bidi),
            c if is_not_text(c) => return Err(TextProblem::NotText),
            _ => {}
        }
    }
    if value.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err(TextProblem::Blank);
    }
    if value.chars().count() > max {
        return Err(TextProblem::TooLong { max });
    }
    Ok(())
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_not_text(c: char) -> bool {
    let low = u32::from(c) & 0xFFFF;
    c == '\u{FEFF}'
        || ('\u{FDD0}'..='\u{FDEF}').contains(&c)
        || low == 0xFFFE
        || low == 0xFFFF
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
        // Tag characters: invisible, they carry hidden text (ASCII smuggled past a reader).
        // The variation selectors after them (U+E0100…) stay: Chinese names need them.
        || ('\u{E0000}'..='\u{E007F}').contains(&c)
        || u32::from(c) >= 0xF0000
}

/// Characters that draw nothing: allowed inside text (a zero-width joiner builds an emoji),
/// but a value made only of them is blank.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FFA0}'
    )
}

#[cfg(test)]
mod tests {
    use super::{check, Shape::*, TextProblem::*};

    #[test]
    fn what_people_type_passes() {
        for ok in [
            "马小军",
            "Zhang San",
            "兰州市城关区 东岗西路 1号",
            "👨‍👩‍👧 family",
            "O'Brien-Smith",
            // An ideographic variation sequence (葛 with its selector) is a name as written.
            "葛\u{E0100}优",
        ] {
            assert_eq!(check(ok, 50, Line), Ok(()), "{ok}");
        }
        assert_eq!(check("第一行\n第二行\r\n\t第三行", 50, Paragraphs), Ok(()));
    }

    #[test]
    fn what_hides_or_misleads_is_refused() {
        let cases = [
            ("a\nb", Line, LineBreak),
            ("a\u{0007}b", Paragraphs, Control),
            ("a\u{0000}", Line, Control),
            ("invoice\u{202E}fdp.exe", Line, Bidi),
            ("\u{2067}x", Paragraphs, Bidi),
            ("\u{200F}x", Line, Bidi),
            ("\u{FEFF}马小军", Line, NotText),
            ("x\u{FFFF}", Line, NotText),
            ("x\u{FDD0}", Line, NotText),
            ("x\u{E000}", Line, NotText),
            ("马小军\u{E0041}\u{E0042}", Line, NotText),
            ("\u{E0001}", Paragraphs, NotText),
            ("\u{200B}\u{200B}", Line, Blank),
            ("\u{3164}", Line, Blank),
            (" \u{2060} ", Line, Blank),
            ("   ", Paragraphs, Blank),
            ("", Line, Blank),
        ];
        for (value, shape, problem) in cases {
            assert_eq!(check(value, 50, shape), Err(problem), "{value:?}");
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(check("马小军", 3, Line), Ok(()));
        assert_eq!(check("马小军", 2, Line), Err(TooLong { max: 2 }));
    }
}
