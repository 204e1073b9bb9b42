//! HTML: the text of block elements with inline elements as codes; `alt`, `title`,
//! `placeholder`, `aria-label` and `<meta name="description">` translated; `script`,
//! `style` and inline `code` kept as they are; entities and everything not translated left
//! byte for byte.

use std::ops::Range;

use html5gum::{DefaultEmitter, Token, Tokenizer};

use crate::api::{DocumentFilter, Format, Visitor};
use crate::error::FilterError;
use crate::model::{
    Code, CodeKind, Content, Item, Paragraph, has_translatable_text, plain_text, push_text,
    render_with_codes, utf8,
};
use crate::xmltok::line_of;

/// The HTML filter (UTF-8).
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlFilter;

/// Elements that stay inside a paragraph as codes.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "dfn", "em", "font", "i", "ins", "del", "mark",
    "q", "s", "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var", "label",
];
/// Inline elements with no content.
const VOID: &[&str] = &["br", "img", "wbr", "input"];
/// Inline elements kept whole as one placeholder.
const OPAQUE: &[&str] = &["code", "kbd", "samp", "svg", "math"];
/// Elements whose content is not text to translate.
const RAW: &[&str] = &["script", "style", "textarea", "template"];
/// Attributes with text to translate.
const ATTRIBUTES: &[&str] = &["alt", "title", "placeholder", "aria-label"];

#[derive(Debug)]
enum Kind {
    Start { name: String, void: bool },
    End { name: String },
    Text(String),
    Other,
}

#[derive(Debug)]
struct HTok {
    kind: Kind,
    span: Range<usize>,
    /// The token as it is written out: its source, with translated attribute values.
    out: String,
    /// Attribute values to translate: their span and text.
    attrs: Vec<(Range<usize>, String, String)>,
}

impl DocumentFilter for HtmlFilter {
    fn format(&self) -> Format {
        Format::Html
    }

    fn process(
        &self,
        input: &[u8],
        name: &str,
        visit: &mut Visitor<'_>,
        rewrite: bool,
    ) -> Result<Vec<u8>, FilterError> {
        let src = utf8(input, name)?;
        let mut toks = tokenize(src);
        let mut out = String::with_capacity(if rewrite { src.len() } else { 0 });
        let mut i = 0;
        let mut in_pre = 0usize;
        while i < toks.len() {
            match &toks[i].kind {
                Kind::Start { name, .. } if name == "pre" => in_pre += 1,
                Kind::End { name } if name == "pre" => in_pre = in_pre.saturating_sub(1),
                _ => {}
            }
            let end = run_end(&toks, i);
            for tok in &mut toks[i..end.max(i + 1)] {
                translate_attributes(src, tok, visit)?;
            }
            if end == i {
                out.push_str(&toks[i].out);
                i += 1;
                continue;
            }
            paragraph(src, &toks[i..end], in_pre > 0, visit, &mut out)?;
            i = end;
        }
        Ok(if rewrite {
            out.into_bytes()
        } else {
            Vec::new()
        })
    }
}

/// Tokens with spans; translatable attributes are visited here, in document order.
fn tokenize(src: &str) -> Vec<HTok> {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut toks: Vec<HTok> = Vec::new();
    let mut raw_until: Option<String> = None;
    let mut covered = 0usize;
    for token in Tokenizer::new_with_emitter(src, emitter).flatten() {
        let (kind, span) = match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let span = tag.span.start..tag.span.end;
                let out = src[span.clone()].to_string();
                let attrs = if raw_until.is_none() {
                    translatable_attributes(src, &tag, &name, &span)
                } else {
                    Vec::new()
                };
                let void = tag.self_closing || VOID.contains(&name.as_str());
                if RAW.contains(&name.as_str()) && !void {
                    raw_until = Some(name.clone());
                }
                push_gap(src, &mut toks, &mut covered, span.start);
                covered = span.end;
                toks.push(HTok {
                    kind: Kind::Start { name, void },
                    span,
                    out,
                    attrs,
                });
                continue;
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if raw_until.as_deref() == Some(name.as_str()) {
                    raw_until = None;
                }
                (Kind::End { name }, tag.span.start..tag.span.end)
            }
            Token::String(text) if raw_until.is_none() => (
                Kind::Text(String::from_utf8_lossy(&text.value).into_owned()),
                text.span.start..text.span.end,
            ),
            Token::String(text) => (Kind::Other, text.span.start..text.span.end),
            Token::Comment(comment) => (Kind::Other, comment.span.start..comment.span.end),
            Token::Doctype(doctype) => (Kind::Other, doctype.span.start..doctype.span.end),
            Token::Error(_) => continue,
        };
        if span.start < covered || span.end > src.len() {
            continue;
        }
        push_gap(src, &mut toks, &mut covered, span.start);
        covered = span.end;
        let out = src[span.clone()].to_string();
        toks.push(HTok {
            kind,
            span,
            out,
            attrs: Vec::new(),
        });
    }
    push_gap(src, &mut toks, &mut covered, src.len());
    toks
}

/// Source the tokenizer gave no span for is kept as it is.
fn push_gap(src: &str, toks: &mut Vec<HTok>, covered: &mut usize, to: usize) {
    if to > *covered {
        let span = *covered..to;
        toks.push(HTok {
            kind: Kind::Other,
            span: span.clone(),
            out: src[span].to_string(),
            attrs: Vec::new(),
        });
        *covered = to;
    }
}

/// The attribute values of a start tag that are text to translate: span, name, value.
fn translatable_attributes(
    src: &str,
    tag: &html5gum::StartTag<usize>,
    name: &str,
    span: &Range<usize>,
) -> Vec<(Range<usize>, String, String)> {
    let is_description = name == "meta"
        && tag
            .attributes
            .iter()
            .any(|(k, v)| k.as_slice() == b"name" && v.value.eq_ignore_ascii_case(b"description"));
    let mut found = Vec::new();
    for (key, value) in &tag.attributes {
        let key = String::from_utf8_lossy(key).into_owned();
        let wanted = ATTRIBUTES.contains(&key.as_str()) || (is_description && key == "content");
        let Some(value_span) = value_range(src, value.span.start..value.span.end) else {
            continue;
        };
        if !wanted
            || value_span.start < span.start
            || value_span.end > span.end
            || value_span.is_empty()
        {
            continue;
        }
        found.push((
            value_span,
            key,
            String::from_utf8_lossy(&value.value).into_owned(),
        ));
    }
    found.sort_by_key(|(range, _, _)| range.start);
    found
}

/// The value inside an attribute's span (`name="value"`), without its quotes.
fn value_range(src: &str, attribute: Range<usize>) -> Option<Range<usize>> {
    let text = src.get(attribute.clone())?;
    let equals = text.find('=')?;
    let after = &text[equals + 1..];
    let skipped = after.len() - after.trim_start().len();
    let start = attribute.start + equals + 1 + skipped;
    let value = &src[start..attribute.end];
    match value.chars().next()? {
        quote @ ('"' | '\'') => {
            let end = value[1..].find(quote)?;
            Some(start + 1..start + 1 + end)
        }
        _ => Some(start..attribute.end),
    }
}

/// Visits a token's translatable attributes and writes their translations into its output.
fn translate_attributes(
    src: &str,
    tok: &mut HTok,
    visit: &mut Visitor<'_>,
) -> Result<(), FilterError> {
    if tok.attrs.is_empty() {
        return Ok(());
    }
    let Kind::Start { name, .. } = &tok.kind else {
        return Ok(());
    };
    let mut out = String::new();
    let mut copied = tok.span.start;
    for (range, key, value) in std::mem::take(&mut tok.attrs) {
        let content = vec![Item::Text(value)];
        if !has_translatable_text(&content) {
            continue;
        }
        let paragraph = Paragraph {
            context: format!("line {} <{name} {key}>", line_of(src, tok.span.start)),
            content,
            codes: Vec::new(),
            whole: false,
        };
        if let Some(target) = visit(paragraph)? {
            out.push_str(&src[copied..range.start]);
            out.push_str(&escape(&plain_text(&target), true));
            copied = range.end;
        }
    }
    out.push_str(&src[copied..tok.span.end]);
    tok.out = out;
    Ok(())
}

fn is_inline_token(tok: &HTok) -> bool {
    match &tok.kind {
        Kind::Text(_) => true,
        Kind::Start { name, .. } | Kind::End { name } => {
            let name = name.as_str();
            INLINE.contains(&name) || VOID.contains(&name) || OPAQUE.contains(&name)
        }
        Kind::Other => false,
    }
}

/// The end of the run of inline tokens starting at `i` (`i` itself when there is none).
fn run_end(toks: &[HTok], i: usize) -> usize {
    let mut end = i;
    while end < toks.len() && is_inline_token(&toks[end]) {
        if let Kind::Start { name, void: false } = &toks[end].kind
            && OPAQUE.contains(&name.as_str())
        {
            end = opaque_end(toks, end);
        }
        end += 1;
    }
    end
}

fn opaque_end(toks: &[HTok], start: usize) -> usize {
    let Kind::Start { name, .. } = &toks[start].kind else {
        return start;
    };
    toks[start..]
        .iter()
        .position(|tok| matches!(&tok.kind, Kind::End { name: end } if end == name))
        .map_or(start, |offset| start + offset)
}

/// One run of inline tokens: visited when it has text, written with its translation.
fn paragraph(
    src: &str,
    toks: &[HTok],
    pre: bool,
    visit: &mut Visitor<'_>,
    out: &mut String,
) -> Result<(), FilterError> {
    // Leading and trailing tags and white space stay outside the content.
    let has_text = |tok: &HTok| matches!(&tok.kind, Kind::Text(t) if !t.trim().is_empty());
    let (Some(first), Some(last)) = (
        toks.iter().position(has_text),
        toks.iter().rposition(has_text),
    ) else {
        toks.iter().for_each(|tok| out.push_str(&tok.out));
        return Ok(());
    };
    let (first, last) = widen_to_pairs(toks, first, last);
    let body = &toks[first..=last];
    let (content, codes) = shape(body, pre);
    let target = if has_translatable_text(&content) {
        let paragraph = Paragraph {
            context: format!("line {}", line_of(src, body[0].span.start)),
            content,
            codes: codes.clone(),
            whole: false,
        };
        visit(paragraph)?
    } else {
        None
    };
    toks[..first].iter().for_each(|tok| out.push_str(&tok.out));
    match target {
        Some(target) => render_with_codes(&target, &codes, |t| escape(t, false), out),
        None => body.iter().for_each(|tok| out.push_str(&tok.out)),
    }
    toks[last + 1..]
        .iter()
        .for_each(|tok| out.push_str(&tok.out));
    Ok(())
}

/// Widens `first..=last` so that no pair of tags is cut in half.
fn widen_to_pairs(toks: &[HTok], mut first: usize, mut last: usize) -> (usize, usize) {
    loop {
        let (pairs, _) = pair_tags(&toks[first..=last]);
        let mut changed = false;
        for (index, tok) in toks[first..=last].iter().enumerate() {
            if pairs[index].is_some() {
                continue;
            }
            match &tok.kind {
                Kind::Start { name, void: false } if !OPAQUE.contains(&name.as_str()) => {
                    if let Some(end) = toks[last + 1..]
                        .iter()
                        .position(|t| matches!(&t.kind, Kind::End { name: n } if n == name))
                    {
                        last = last + 1 + end;
                        changed = true;
                        break;
                    }
                }
                Kind::End { name } => {
                    if let Some(start) = toks[..first]
                        .iter()
                        .rposition(|t| matches!(&t.kind, Kind::Start { name: n, .. } if n == name))
                    {
                        first = start;
                        changed = true;
                        break;
                    }
                }
                _ => {}
            }
        }
        if !changed {
            return (first, last);
        }
    }
}

/// For each token, the index of its partner tag within `toks`, and opaque element ends.
fn pair_tags(toks: &[HTok]) -> (Vec<Option<usize>>, ()) {
    let mut partner = vec![None; toks.len()];
    let mut open: Vec<(usize, &str)> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].kind {
            Kind::Start { name, void: false } if OPAQUE.contains(&name.as_str()) => {
                let end = opaque_end(toks, i);
                partner[i] = Some(end);
                partner[end] = Some(i);
                i = end;
            }
            Kind::Start { name, void: false } => open.push((i, name.as_str())),
            Kind::End { name } => {
                if let Some(position) = open.iter().rposition(|(_, n)| *n == name.as_str()) {
                    let (start, _) = open[position];
                    open.truncate(position);
                    partner[start] = Some(i);
                    partner[i] = Some(start);
                }
            }
            _ => {}
        }
        i += 1;
    }
    (partner, ())
}

/// Content and codes of a run of inline tokens.
fn shape(toks: &[HTok], pre: bool) -> (Content, Vec<Code>) {
    let (partner, _) = pair_tags(toks);
    let mut content = Vec::new();
    let mut codes: Vec<Code> = Vec::new();
    let mut ids = vec![0u32; toks.len()];
    let mut i = 0;
    while i < toks.len() {
        let tok = &toks[i];
        let id = codes.len() as u32 + 1;
        match (&tok.kind, partner[i]) {
            (Kind::Text(text), _) => {
                if pre {
                    push_text(&mut content, text);
                } else {
                    push_text(&mut content, &collapse(text));
                }
            }
            (Kind::Start { name, void: false }, Some(end)) if OPAQUE.contains(&name.as_str()) => {
                let data: String = toks[i..=end].iter().map(|t| t.out.as_str()).collect();
                codes.push(code(id, CodeKind::Placeholder, name, data));
                content.push(Item::Ph(id));
                i = end;
            }
            (Kind::Start { name, .. }, Some(end)) if end > i => {
                codes.push(code(id, CodeKind::Pair, name, tok.out.clone()));
                if let Some(code) = codes.last_mut() {
                    code.close_data = toks[end].out.clone();
                }
                ids[end] = id;
                content.push(Item::Open(id));
            }
            (Kind::End { .. }, Some(start)) if start < i => content.push(Item::Close(ids[i])),
            (kind, _) => {
                let label = match kind {
                    Kind::Start { name, .. } | Kind::End { name } => name.as_str(),
                    _ => "x",
                };
                codes.push(code(id, CodeKind::Placeholder, label, tok.out.clone()));
                content.push(Item::Ph(id));
            }
        }
        i += 1;
    }
    (content, codes)
}

fn code(id: u32, kind: CodeKind, label: &str, data: String) -> Code {
    Code {
        id,
        kind,
        label: label.to_string(),
        open_data: data,
        close_data: String::new(),
    }
}

/// White space runs as one space, as a browser shows them.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// Text escaped for HTML; no-break spaces written as `&nbsp;`.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::marked;

    const PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Freight containers</title>\n<meta name=\"description\" content=\"Tank containers\">\n<style>p { color: red }</style><script>var s = \"not text\";</script></head>\n<body>\n<h1 title=\"Heading tip\">Scope</h1>\n<p>This standard <b>shall</b> apply to <a href=\"/c\">tanks&nbsp;&amp; containers</a>.<br>\nUse <code>x &lt; 1</code> here <img src=\"a.png\" alt=\"A tank\">.</p>\n<!-- comment -->\n<ul><li>One</li><li><em>Two</em></li></ul>\n</body></html>\n";

    #[test]
    fn paragraphs_attributes_and_codes() {
        let mut seen = Vec::new();
        let mut visit = |p: Paragraph| {
            seen.push(marked(&p.content));
            Ok(None)
        };
        let out = HtmlFilter
            .process(PAGE.as_bytes(), "t.html", &mut visit, true)
            .expect("reads");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            PAGE,
            "untranslated output is the input"
        );
        assert_eq!(
            seen,
            [
                "Freight containers",
                "Tank containers",
                "Heading tip",
                "Scope",
                "A tank",
                "This standard {1}shall{/1} apply to {2}tanks\u{a0}& containers{/2}.{3/} Use {4/} here {5/}.",
                "One",
                "Two",
            ]
        );
    }

    #[test]
    fn translation_keeps_tags_entities_and_scripts() {
        let mut visit = |p: Paragraph| {
            Ok(Some(
                p.content
                    .iter()
                    .map(|item| match item {
                        Item::Text(text) => Item::Text(text.to_uppercase()),
                        other => other.clone(),
                    })
                    .collect(),
            ))
        };
        let out = HtmlFilter
            .process(PAGE.as_bytes(), "t.html", &mut visit, true)
            .expect("writes");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(out.contains("<title>FREIGHT CONTAINERS</title>"), "{out}");
        assert!(out.contains("content=\"TANK CONTAINERS\""), "{out}");
        assert!(
            out.contains("<script>var s = \"not text\";</script>"),
            "{out}"
        );
        assert!(
            out.contains("<h1 title=\"HEADING TIP\">SCOPE</h1>"),
            "{out}"
        );
        assert!(out.contains("THIS STANDARD <b>SHALL</b> APPLY TO <a href=\"/c\">TANKS&nbsp;&amp; CONTAINERS</a>.<br> USE <code>x &lt; 1</code> HERE <img src=\"a.png\" alt=\"A TANK\">."), "{out}");
        assert!(out.contains("<li><em>TWO</em></li>"), "{out}");
    }
}
