//! XML as a flat list of tokens with their byte spans, so a filter can copy everything it
//! does not translate byte for byte. DTDs are refused: no entity is ever expanded.

use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::error::FilterError;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// `<name …>`
    Start,
    /// `</name>`
    End,
    /// `<name …/>`
    Empty,
    /// Character data, entity and character references, CDATA.
    Text,
    /// Declaration, comment, processing instruction.
    Other,
}

/// One token.
#[derive(Debug, Clone)]
pub struct Tok {
    /// Kind.
    pub kind: TokKind,
    /// Bytes of the token in the source.
    pub span: Range<usize>,
    /// Bytes of the qualified name (elements only).
    pub name: Range<usize>,
    /// For a start tag, the index of its end tag; for others, its own index.
    pub end: usize,
}

/// A tokenized XML document.
pub struct XmlDoc<'s> {
    /// The source text.
    pub src: &'s str,
    /// Its tokens.
    pub toks: Vec<Tok>,
    /// Byte offsets of its line breaks, so that a line number costs a binary search (a
    /// context per segment of a 24,000-segment XLIFF made reading it quadratic).
    newlines: Vec<usize>,
}

impl<'s> XmlDoc<'s> {
    /// Tokenizes `src`; `part` names it in errors.
    pub fn parse(src: &'s str, part: &str) -> Result<XmlDoc<'s>, FilterError> {
        let mut reader = Reader::from_str(src);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        let mut toks: Vec<Tok> = Vec::with_capacity(src.len() / 16);
        let mut open: Vec<usize> = Vec::new();
        loop {
            let start = reader.buffer_position() as usize;
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(error) => {
                    let at = reader.error_position() as usize;
                    return Err(FilterError::xml(part, line_of(src, at), error.to_string()));
                }
            };
            let end = reader.buffer_position() as usize;
            let kind = match event {
                Event::Start(_) => TokKind::Start,
                Event::End(_) => TokKind::End,
                Event::Empty(_) => TokKind::Empty,
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => TokKind::Text,
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => TokKind::Other,
                Event::DocType(_) => {
                    return Err(FilterError::xml(
                        part,
                        line_of(src, start),
                        "a DOCTYPE is not allowed here (entities are never expanded)",
                    ));
                }
                Event::Eof => break,
            };
            let index = toks.len();
            let name = match kind {
                TokKind::Start | TokKind::Empty => name_range(src, start + 1),
                TokKind::End => name_range(src, start + 2),
                _ => 0..0,
            };
            toks.push(Tok {
                kind,
                span: start..end,
                name,
                end: index,
            });
            match kind {
                TokKind::Start => open.push(index),
                TokKind::End => {
                    if let Some(opened) = open.pop() {
                        toks[opened].end = index;
                    }
                }
                _ => {}
            }
        }
        if let Some(&unclosed) = open.last() {
            let tok = &toks[unclosed];
            return Err(FilterError::xml(
                part,
                line_of(src, tok.span.start),
                format!("element <{}> is never closed", &src[tok.name.clone()]),
            ));
        }
        let newlines = src
            .bytes()
            .enumerate()
            .filter_map(|(at, byte)| (byte == b'\n').then_some(at))
            .collect();
        Ok(XmlDoc {
            src,
            toks,
            newlines,
        })
    }

    /// The qualified name of token `i`.
    pub fn name(&self, i: usize) -> &'s str {
        &self.src[self.toks[i].name.clone()]
    }

    /// Whether token `i` is a start or empty tag named `name`.
    pub fn is_open(&self, i: usize, name: &str) -> bool {
        matches!(self.toks[i].kind, TokKind::Start | TokKind::Empty) && self.name(i) == name
    }

    /// The raw text of token `i`.
    pub fn raw(&self, i: usize) -> &'s str {
        &self.src[self.toks[i].span.clone()]
    }

    /// Raw text of tokens `from..=to`.
    pub fn raw_range(&self, from: usize, to: usize) -> &'s str {
        &self.src[self.toks[from].span.start..self.toks[to].span.end]
    }

    /// Index of the last token of the element starting at `i` (itself when empty).
    pub fn last(&self, i: usize) -> usize {
        self.toks[i].end
    }

    /// The value of attribute `name` on the start or empty tag `i`, unescaped.
    pub fn attr(&self, i: usize, name: &str) -> Option<String> {
        attribute(self.raw(i), name)
    }

    /// The text of a text token, entities and character references resolved.
    pub fn text(&self, i: usize) -> String {
        decode_text(self.raw(i))
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u64 {
        let end = offset.min(self.src.len());
        self.newlines.partition_point(|&at| at < end) as u64 + 1
    }
}

/// The decoded value of attribute `name` in a raw tag.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(found) = rest.find(name) {
        let before = rest[..found].chars().next_back();
        let after = &rest[found + name.len()..];
        let after_trimmed = after.trim_start();
        if before.is_some_and(char::is_whitespace) && after_trimmed.starts_with('=') {
            let value = after_trimmed[1..].trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let inner = &value[1..];
                let end = inner.find(quote)?;
                return Some(decode_text(&inner[..end]));
            }
            return None;
        }
        rest = &rest[found + name.len()..];
    }
    None
}

/// Text with the five predefined entities and character references resolved; anything
/// else is left as written.
pub fn decode_text(raw: &str) -> String {
    if let Some(inner) = raw
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
    {
        return inner.to_string();
    }
    match quick_xml::escape::unescape(raw) {
        Ok(text) => text.into_owned(),
        Err(_) => raw.to_string(),
    }
}

/// Text escaped for element content.
pub fn escape_text(text: &str) -> String {
    quick_xml::escape::partial_escape(text).into_owned()
}

/// Text escaped for an attribute value in double quotes.
pub fn escape_attr(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

fn name_range(src: &str, from: usize) -> Range<usize> {
    let bytes = src.as_bytes();
    let mut end = from;
    while end < bytes.len() && !matches!(bytes[end], b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>') {
        end += 1;
    }
    from..end
}

/// 1-based line number of a byte offset.
pub fn line_of(src: &str, offset: usize) -> u64 {
    let end = offset.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_as_line_of_counts_them() {
        let src = "<a>\n<b/>\n\n<c>x</c>\n</a>";
        let doc = XmlDoc::parse(src, "t").expect("well-formed");
        for offset in 0..=src.len() + 2 {
            assert_eq!(doc.line(offset), line_of(src, offset), "offset {offset}");
        }
    }

    #[test]
    fn spans_cover_the_source() {
        let src = r#"<?xml version="1.0"?><a x="1 &amp; 2"><b/>t &lt; u<c>v</c></a>"#;
        let doc = XmlDoc::parse(src, "t.xml").expect("parses");
        let joined: String = (0..doc.toks.len()).map(|i| doc.raw(i)).collect();
        assert_eq!(joined, src);
        assert_eq!(doc.name(1), "a");
        assert_eq!(doc.last(1), doc.toks.len() - 1);
        assert_eq!(doc.attr(1, "x").as_deref(), Some("1 & 2"));
        let text: String = (0..doc.toks.len())
            .filter(|&i| doc.toks[i].kind == TokKind::Text)
            .map(|i| doc.text(i))
            .collect();
        assert_eq!(text, "t < uv");
    }

    #[test]
    fn doctype_and_broken_xml_are_refused_with_a_line() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"xx\">]>\n<a>&x;</a>";
        let error = XmlDoc::parse(bomb, "p.xml")
            .err()
            .expect("refused")
            .to_string();
        assert!(
            error.contains("p.xml:2") && error.contains("DOCTYPE"),
            "{error}"
        );
        let broken = "<a>\n<b>\n</a>";
        let error = XmlDoc::parse(broken, "p.xml")
            .err()
            .expect("refused")
            .to_string();
        assert!(error.contains("p.xml:3"), "{error}");
    }
}
