//! Markdown (CommonMark with tables, strikethrough and footnotes): paragraphs, headings,
//! list items and table cells are translated; code blocks, inline code, HTML blocks, link
//! targets and images are kept as they are. Emphasis and links become pairs of codes whose
//! data is the markup itself, so a translation keeps `**` and `](url)` where they belong.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::api::{DocumentFilter, Format, Visitor};
use crate::error::FilterError;
use crate::model::{
    Code, CodeKind, Content, Item, Paragraph, has_translatable_text, push_text, render_with_codes,
    utf8,
};
use crate::xmltok::line_of;

/// The Markdown filter.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownFilter;

impl DocumentFilter for MarkdownFilter {
    fn format(&self) -> Format {
        Format::Markdown
    }

    fn process(
        &self,
        input: &[u8],
        name: &str,
        visit: &mut Visitor<'_>,
        rewrite: bool,
    ) -> Result<Vec<u8>, FilterError> {
        let src = utf8(input, name)?;
        let options =
            Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
        let mut runs: Vec<Vec<(Event<'_>, Range<usize>)>> = Vec::new();
        let mut run = Vec::new();
        let mut skip_depth = 0usize;
        for (event, range) in Parser::new_ext(src, options).into_offset_iter() {
            if skip_depth > 0 {
                match &event {
                    Event::Start(_) => skip_depth += 1,
                    Event::End(_) => skip_depth -= 1,
                    _ => {}
                }
                continue;
            }
            match &event {
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => {
                    flush(&mut runs, &mut run);
                    skip_depth = 1;
                }
                Event::Start(tag) if is_inline(tag) => run.push((event, range)),
                Event::End(tag) if is_inline_end(tag) => run.push((event, range)),
                Event::Text(_)
                | Event::Code(_)
                | Event::InlineHtml(_)
                | Event::SoftBreak
                | Event::HardBreak
                | Event::FootnoteReference(_)
                | Event::InlineMath(_) => run.push((event, range)),
                _ => flush(&mut runs, &mut run),
            }
        }
        flush(&mut runs, &mut run);
        let mut out = String::with_capacity(if rewrite { src.len() } else { 0 });
        let mut copied = 0usize;
        for run in &runs {
            let (span, paragraph) = shape(src, run);
            if !has_translatable_text(&paragraph.content) {
                continue;
            }
            let paragraph = Paragraph {
                context: format!("line {}", line_of(src, span.start)),
                ..paragraph
            };
            let codes = paragraph.codes.clone();
            if let Some(target) = visit(paragraph)?
                && rewrite
            {
                out.push_str(&src[copied..span.start]);
                render_with_codes(&target, &codes, escape, &mut out);
                copied = span.end;
            }
        }
        if !rewrite {
            return Ok(Vec::new());
        }
        out.push_str(&src[copied..]);
        Ok(out.into_bytes())
    }
}

fn flush<'s>(
    runs: &mut Vec<Vec<(Event<'s>, Range<usize>)>>,
    run: &mut Vec<(Event<'s>, Range<usize>)>,
) {
    if !run.is_empty() {
        runs.push(std::mem::take(run));
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// The source span of a run of inline events and its content.
fn shape(src: &str, run: &[(Event<'_>, Range<usize>)]) -> (Range<usize>, Paragraph) {
    let start = run.first().map_or(0, |(_, r)| r.start);
    let end = run.iter().map(|(_, r)| r.end).max().unwrap_or(start);
    let mut content: Content = Vec::new();
    let mut codes: Vec<Code> = Vec::new();
    let mut open: Vec<u32> = Vec::new();
    let mut prev_end = start;
    let mut i = 0;
    let next_start = |i: usize| run.get(i + 1).map_or(end, |(_, r)| r.start);
    while i < run.len() {
        let (event, range) = &run[i];
        match event {
            Event::Text(text) => push_text(&mut content, text),
            Event::SoftBreak => push_text(&mut content, " "),
            Event::Start(Tag::Image { .. }) => {
                let depth_end = run[i..]
                    .iter()
                    .position(|(e, r)| matches!(e, Event::End(TagEnd::Image)) && r.end == range.end)
                    .map_or(i, |offset| i + offset);
                add_placeholder(&mut content, &mut codes, "image", &src[range.clone()]);
                i = depth_end;
            }
            Event::Start(tag) => {
                let id = codes.len() as u32 + 1;
                let label = match tag {
                    Tag::Emphasis => "i",
                    Tag::Strong => "b",
                    Tag::Link { .. } => "link",
                    _ => "fmt",
                };
                let data_end = next_start(i).max(range.start);
                codes.push(Code {
                    id,
                    kind: CodeKind::Pair,
                    label: label.to_string(),
                    open_data: src[range.start..data_end].to_string(),
                    close_data: String::new(),
                });
                open.push(id);
                content.push(Item::Open(id));
            }
            Event::End(_) => {
                if let Some(id) = open.pop() {
                    let from = prev_end.min(range.end);
                    if let Some(code) = codes.iter_mut().find(|c| c.id == id) {
                        code.close_data = src[from..range.end].to_string();
                    }
                    content.push(Item::Close(id));
                }
            }
            Event::HardBreak => {
                let to = next_start(i).max(range.end);
                add_placeholder(&mut content, &mut codes, "br", &src[range.start..to]);
            }
            _ => add_placeholder(&mut content, &mut codes, "code", &src[range.clone()]),
        }
        prev_end = match event {
            Event::HardBreak => next_start(i).max(range.end),
            Event::Start(_) if !matches!(event, Event::Start(Tag::Image { .. })) => {
                next_start(i).max(range.start)
            }
            _ => range.end,
        };
        i += 1;
    }
    let paragraph = Paragraph {
        context: String::new(),
        content,
        codes,
        whole: false,
    };
    (start..end, paragraph)
}

fn add_placeholder(content: &mut Content, codes: &mut Vec<Code>, label: &str, data: &str) {
    let id = codes.len() as u32 + 1;
    codes.push(Code {
        id,
        kind: CodeKind::Placeholder,
        label: label.to_string(),
        open_data: data.to_string(),
        close_data: String::new(),
    });
    content.push(Item::Ph(id));
}

/// Text with the characters Markdown would read as markup escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '`' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{marked, plain_text};

    const DOC: &str = "# Scope\n\nThis standard **shall** apply to [freight containers](https://example.org/c \"t\").\n\n```rust\nlet code = \"untouched\";\n```\n\n- item with `code`\n- second *item*\n\n| Term | Definition |\n|------|------------|\n| tank | a vessel |\n\n> quoted line one\n> line two\n";

    fn paragraphs() -> Vec<Paragraph> {
        let mut seen = Vec::new();
        let mut visit = |p: Paragraph| {
            seen.push(p);
            Ok(None)
        };
        MarkdownFilter
            .process(DOC.as_bytes(), "t.md", &mut visit, false)
            .expect("reads");
        seen
    }

    #[test]
    fn blocks_and_inline_codes() {
        let found: Vec<String> = paragraphs().iter().map(|p| marked(&p.content)).collect();
        assert_eq!(
            found,
            [
                "Scope",
                "This standard {1}shall{/1} apply to {2}freight containers{/2}.",
                "item with {1/}",
                "second {1}item{/1}",
                "Term",
                "Definition",
                "tank",
                "a vessel",
                "quoted line one line two",
            ]
        );
    }

    #[test]
    fn translation_keeps_markup_and_code() {
        let mut visit = |p: Paragraph| {
            let upper: Content = p
                .content
                .iter()
                .map(|item| match item {
                    Item::Text(text) => Item::Text(text.to_uppercase()),
                    other => other.clone(),
                })
                .collect();
            Ok(Some(upper))
        };
        let out = MarkdownFilter
            .process(DOC.as_bytes(), "t.md", &mut visit, true)
            .expect("writes");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(out.contains("# SCOPE\n"), "{out}");
        assert!(out.contains("THIS STANDARD **SHALL** APPLY TO [FREIGHT CONTAINERS](https://example.org/c \"t\")."), "{out}");
        assert!(out.contains("let code = \"untouched\";"), "{out}");
        assert!(out.contains("- ITEM WITH `code`"), "{out}");
        assert!(out.contains("| TANK | A VESSEL |"), "{out}");
        let mut identity = |p: Paragraph| Ok(Some(p.content));
        let same = MarkdownFilter
            .process(DOC.as_bytes(), "t.md", &mut identity, true)
            .expect("writes");
        let same = String::from_utf8(same).expect("utf-8");
        assert_eq!(
            plain_text(&[Item::Text(same.replace(
                "> quoted line one line two",
                "> quoted line one\n> line two"
            ))]),
            DOC
        );
    }
}
