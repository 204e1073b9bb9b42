//! Plain text: paragraphs separated by blank lines; line breaks inside a paragraph kept.

use crate::api::{DocumentFilter, Format, Visitor};
use crate::error::FilterError;
use crate::model::{Item, Paragraph, has_translatable_text, plain_text, utf8};

/// The plain-text filter (UTF-8, with or without a byte-order mark).
#[derive(Debug, Clone, Copy, Default)]
pub struct TextFilter;

impl DocumentFilter for TextFilter {
    fn format(&self) -> Format {
        Format::Text
    }

    fn process(
        &self,
        input: &[u8],
        name: &str,
        visit: &mut Visitor<'_>,
        rewrite: bool,
    ) -> Result<Vec<u8>, FilterError> {
        let text = utf8(input, name)?;
        let mut out = String::with_capacity(if rewrite { text.len() } else { 0 });
        let mut line = 1usize;
        for block in blocks(text) {
            let start_line = line;
            line += block.matches('\n').count();
            let body = block.trim_end_matches(['\n', '\r']);
            let ending = &block[body.len()..];
            let trimmed = body.trim();
            if trimmed.is_empty() {
                out.push_str(block);
                continue;
            }
            let lead = &body[..body.len() - body.trim_start().len()];
            let trail = &body[lead.len() + trimmed.len()..];
            let content = vec![Item::Text(trimmed.to_string())];
            let target = if has_translatable_text(&content) {
                let paragraph = Paragraph {
                    context: format!("line {start_line}"),
                    content,
                    codes: Vec::new(),
                    whole: false,
                };
                visit(paragraph)?
            } else {
                None
            };
            match target {
                Some(target) => {
                    out.push_str(lead);
                    out.push_str(&plain_text(&target));
                    out.push_str(trail);
                    out.push_str(ending);
                }
                None => out.push_str(block),
            }
        }
        Ok(if rewrite {
            out.into_bytes()
        } else {
            Vec::new()
        })
    }
}

/// The text cut into paragraphs, each with the blank lines after it.
fn blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut start = 0;
    let mut in_blank = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if in_blank && !blank {
            blocks.push(&text[start..offset]);
            start = offset;
        }
        in_blank = blank;
        offset += line.len();
    }
    if start < text.len() {
        blocks.push(&text[start..]);
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_translated_and_blank_lines_kept() {
        let input = "First line\nsame paragraph.\n\n  Second.  \n\n\n---\n";
        let mut seen = Vec::new();
        let mut visit = |p: Paragraph| {
            seen.push(plain_text(&p.content));
            Ok(Some(vec![Item::Text(
                plain_text(&p.content).to_uppercase(),
            )]))
        };
        let out = TextFilter
            .process(input.as_bytes(), "t.txt", &mut visit, true)
            .expect("works");
        assert_eq!(seen, ["First line\nsame paragraph.", "Second."]);
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "FIRST LINE\nSAME PARAGRAPH.\n\n  SECOND.  \n\n\n---\n"
        );
    }
}
