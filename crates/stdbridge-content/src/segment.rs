//! Paragraphs cut into sentences (segments) with the SRX segmenter, codes kept whole.

use serde::Serialize;
use stdbridge_text::{Segmenter, is_cjk};

use crate::model::{Code, Content, Item, Paragraph, has_translatable_text, plain_text, push_text};

/// A paragraph of a document ready for translation: its segments and what lies between.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextUnit {
    /// Id within the document: `u1`, `u2`… in document order.
    pub id: String,
    /// Where it is in the document.
    pub context: String,
    /// Its inline codes.
    pub codes: Vec<Code>,
    /// Segments and the white space or codes between them, in order.
    pub parts: Vec<Part>,
}

/// A segment to translate, or what lies between segments (kept as it is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// Whether this is a segment to translate.
    pub segment: bool,
    /// Its content.
    pub content: Content,
}

impl TextUnit {
    /// Cuts a paragraph into segments.
    pub fn from_paragraph(id: String, paragraph: Paragraph, segmenter: &Segmenter) -> TextUnit {
        let parts = if paragraph.whole {
            vec![Part {
                segment: true,
                content: paragraph.content,
            }]
        } else {
            split_parts(&paragraph.content, segmenter)
        };
        TextUnit {
            id,
            context: paragraph.context,
            codes: paragraph.codes,
            parts,
        }
    }

    /// The segments, in order.
    pub fn segments(&self) -> impl Iterator<Item = &Content> {
        self.parts
            .iter()
            .filter(|part| part.segment)
            .map(|part| &part.content)
    }

    /// The paragraph's content again: parts joined as they were.
    pub fn source(&self) -> Content {
        let mut content = Vec::new();
        for part in &self.parts {
            append(&mut content, &part.content);
        }
        content
    }

    /// The paragraph with each segment replaced by its translation (`None` keeps the
    /// source). White space between segments follows the target language: none between
    /// Chinese or Japanese sentences, one space between sentences of other languages.
    pub fn joined(&self, targets: &[Option<Content>], target_lang: &str) -> Content {
        let mut content: Content = Vec::new();
        let mut segments = targets.iter();
        let cjk_target = is_cjk_language(target_lang);
        for part in &self.parts {
            if !part.segment {
                let gap = plain_text(&part.content);
                let only_space = part
                    .content
                    .iter()
                    .all(|item| matches!(item, Item::Text(_)))
                    && gap.trim().is_empty();
                if only_space && cjk_target && !content.is_empty() {
                    continue;
                }
                append(&mut content, &part.content);
                continue;
            }
            let target = segments
                .next()
                .and_then(Option::as_ref)
                .unwrap_or(&part.content);
            if !cjk_target && needs_space(&content, target) {
                push_text(&mut content, " ");
            }
            append(&mut content, target);
        }
        content
    }
}

/// Whether a language is written without spaces between sentences.
pub fn is_cjk_language(lang: &str) -> bool {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(primary.as_str(), "zh" | "ja" | "ko" | "yue" | "wuu")
}

fn append(content: &mut Content, more: &[Item]) {
    for item in more {
        match item {
            Item::Text(text) => push_text(content, text),
            other => content.push(other.clone()),
        }
    }
}

/// Whether joining `before` and `next` needs a space: both have text, neither has one at
/// the join, and `before` does not end in a CJK character.
fn needs_space(before: &[Item], next: &[Item]) -> bool {
    let last = before.iter().rev().find_map(|item| match item {
        Item::Text(text) => text.chars().next_back(),
        _ => None,
    });
    let first = next.iter().find_map(|item| match item {
        Item::Text(text) => text.chars().next(),
        _ => None,
    });
    match (last, first) {
        (Some(last), Some(first)) => {
            !last.is_whitespace() && !first.is_whitespace() && !is_cjk(last) && !is_cjk(first)
        }
        _ => false,
    }
}

/// Splits content at sentence breaks where no pair of codes is open, then moves the white
/// space at each segment's edges into the parts between.
fn split_parts(content: &[Item], segmenter: &Segmenter) -> Vec<Part> {
    let text = plain_text(content);
    let breaks: Vec<usize> = segmenter
        .split(&text)
        .iter()
        .skip(1)
        .map(|range| range.start)
        .collect();
    let mut pieces: Vec<Content> = vec![Vec::new()];
    let mut offset = 0usize;
    let mut depth = 0usize;
    let mut next_break = breaks.iter().copied().peekable();
    let mut items = content.iter().peekable();
    while let Some(item) = items.next() {
        match item {
            Item::Text(text) => {
                let mut rest = text.as_str();
                let end = offset + text.len();
                while let Some(&at) = next_break.peek() {
                    if at >= end {
                        break;
                    }
                    next_break.next();
                    let cut = at.saturating_sub(offset).min(rest.len());
                    let (head, tail) = rest.split_at(cut);
                    if let Some(piece) = pieces.last_mut() {
                        push_text(piece, head);
                    }
                    if depth == 0 && !head.is_empty() {
                        pieces.push(Vec::new());
                    }
                    offset += head.len();
                    rest = tail;
                }
                if let Some(piece) = pieces.last_mut() {
                    push_text(piece, rest);
                }
                offset = end;
                // A break right at the end of this text: cut after the closing codes and
                // placeholders that follow it, before the next opening code or text.
                if next_break.peek() == Some(&end) {
                    while let Some(code @ (Item::Close(_) | Item::Ph(_))) = items.peek() {
                        if let Item::Close(_) = code {
                            depth = depth.saturating_sub(1);
                        }
                        if let Some(piece) = pieces.last_mut() {
                            piece.push((*code).clone());
                        }
                        items.next();
                    }
                    next_break.next();
                    if depth == 0 {
                        pieces.push(Vec::new());
                    }
                }
            }
            Item::Open(_) => {
                depth += 1;
                if let Some(piece) = pieces.last_mut() {
                    piece.push(item.clone());
                }
            }
            Item::Close(_) => {
                depth = depth.saturating_sub(1);
                if let Some(piece) = pieces.last_mut() {
                    piece.push(item.clone());
                }
            }
            Item::Ph(_) => {
                if let Some(piece) = pieces.last_mut() {
                    piece.push(item.clone());
                }
            }
        }
    }
    let mut parts = Vec::new();
    for piece in pieces {
        push_piece(&mut parts, piece);
    }
    parts
}

/// Adds a piece as leading space, segment, trailing space; a piece with nothing to
/// translate is a gap.
fn push_piece(parts: &mut Vec<Part>, mut piece: Content) {
    if piece.is_empty() {
        return;
    }
    if !has_translatable_text(&piece) {
        push_gap(parts, piece);
        return;
    }
    let mut leading = String::new();
    if let Some(Item::Text(first)) = piece.first_mut() {
        let trimmed = first.trim_start().len();
        leading = first[..first.len() - trimmed].to_string();
        first.drain(..first.len() - trimmed);
    }
    let mut trailing = String::new();
    if let Some(Item::Text(last)) = piece.last_mut() {
        let kept = last.trim_end().len();
        trailing = last[kept..].to_string();
        last.truncate(kept);
    }
    piece.retain(|item| !matches!(item, Item::Text(text) if text.is_empty()));
    if !leading.is_empty() {
        push_gap(parts, vec![Item::Text(leading)]);
    }
    parts.push(Part {
        segment: true,
        content: piece,
    });
    if !trailing.is_empty() {
        push_gap(parts, vec![Item::Text(trailing)]);
    }
}

fn push_gap(parts: &mut Vec<Part>, content: Content) {
    if let Some(last) = parts.last_mut()
        && !last.segment
    {
        append(&mut last.content, &content);
        return;
    }
    parts.push(Part {
        segment: false,
        content,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::marked;

    fn unit(content: Content, lang: &str) -> TextUnit {
        let paragraph = Paragraph {
            context: String::new(),
            content,
            codes: Vec::new(),
            whole: false,
        };
        TextUnit::from_paragraph("u1".into(), paragraph, &Segmenter::for_language(lang))
    }

    fn segments(unit: &TextUnit) -> Vec<String> {
        unit.segments().map(|s| marked(s)).collect()
    }

    #[test]
    fn a_bold_word_stays_in_one_segment() {
        let content = vec![
            Item::Text("This standard ".into()),
            Item::Open(1),
            Item::Text("shall".into()),
            Item::Close(1),
            Item::Text(" apply. It covers tanks.".into()),
        ];
        let unit = unit(content.clone(), "en");
        assert_eq!(
            segments(&unit),
            ["This standard {1}shall{/1} apply.", "It covers tanks."]
        );
        assert_eq!(unit.source(), content);
    }

    #[test]
    fn no_break_inside_an_open_pair() {
        let content = vec![
            Item::Open(1),
            Item::Text("First sentence. Second sentence.".into()),
            Item::Close(1),
            Item::Text(" Third one.".into()),
        ];
        let unit = unit(content.clone(), "en");
        assert_eq!(
            segments(&unit),
            ["{1}First sentence. Second sentence.{/1}", "Third one."]
        );
        assert_eq!(unit.source(), content);
    }

    #[test]
    fn footnote_after_a_full_stop_stays_with_its_sentence() {
        let content = vec![
            Item::Text("本标准适用于集装箱。".into()),
            Item::Ph(1),
            Item::Open(2),
            Item::Text("其他".into()),
            Item::Close(2),
            Item::Text("要求见附录A。".into()),
        ];
        let unit = unit(content.clone(), "zh-CN");
        assert_eq!(
            segments(&unit),
            ["本标准适用于集装箱。{1/}", "{2}其他{/2}要求见附录A。"]
        );
        assert_eq!(unit.source(), content);
    }

    #[test]
    fn joining_follows_the_target_language() {
        let unit = unit(vec![Item::Text("第一句。第二句。".into())], "zh-CN");
        let targets = vec![
            Some(vec![Item::Text("First.".into())]),
            Some(vec![Item::Text("Second.".into())]),
        ];
        assert_eq!(marked(&unit.joined(&targets, "en")), "First. Second.");
        let english = unit_en();
        let targets = vec![
            Some(vec![Item::Text("第一。".into())]),
            Some(vec![Item::Text("第二。".into())]),
        ];
        assert_eq!(marked(&english.joined(&targets, "zh-CN")), "第一。第二。");
    }

    fn unit_en() -> TextUnit {
        unit(vec![Item::Text("One. Two.".into())], "en")
    }
}
