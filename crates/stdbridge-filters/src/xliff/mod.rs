//! XLIFF 1.2 and 2.x: read (as a document to translate, or as a bilingual file coming back
//! from another tool), written (2.x, with the original document embedded so it can be
//! merged back), and validated (2.x core constraints).

mod dom;
mod inline;
pub mod validate;
pub mod write;

use std::collections::HashMap;

use crate::error::FilterError;
use crate::filter::{DocumentFilter, Format, Visitor};
use crate::model::{Code, Content, Paragraph, has_translatable_text};
use crate::xmltok::{TokKind, XmlDoc};

pub use inline::render as render_inline;
pub use write::{MatchInfo, SegmentState, XliffWriter};

/// XLIFF as a document: each segment's source is translated into its target.
#[derive(Debug, Clone, Copy)]
pub struct XliffFilter {
    /// 1.2 or 2.x.
    pub format: Format,
}

/// A segment of an XLIFF file: where it is and what it holds.
#[derive(Debug, Clone)]
pub struct XliffSegment {
    /// Unit id (`trans-unit` id in 1.2) and, in 2.x, the segment id after a `/`.
    pub id: String,
    /// The unit's `id` attribute alone.
    pub unit_id: String,
    /// Its source as content, with codes.
    pub source: Paragraph,
    /// Its target, when it has one.
    pub target: Option<Content>,
    /// `state` of the segment (2.x) or of the target (1.2).
    pub state: Option<String>,
    /// Byte range of the `<target>` element, when there is one.
    target_span: Option<std::ops::Range<usize>>,
    /// The start tag of the existing target (made non-empty) and its end tag.
    target_tags: Option<(String, String)>,
    /// `xml:space` of the source, which a new target repeats.
    source_space: Option<String>,
    /// Where a new target goes: just after `</source>` (or `</seg-source>`).
    insert_at: usize,
    /// Indentation before `<source>`, reused for an inserted target.
    indent: String,
    /// The target language of the file.
    target_lang: Option<String>,
}

/// The skeleton this project embeds in the XLIFF it writes: the original document.
#[derive(Debug, Clone)]
pub struct EmbeddedOriginal {
    /// Its format.
    pub format: Format,
    /// Its file name.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// The filter options it was extracted with, which merging must use again.
    pub options: crate::filter::FilterOptions,
}

/// An XLIFF file read for its segments.
#[derive(Debug, Clone)]
pub struct XliffDocument {
    /// `srcLang` / `source-language`.
    pub source_lang: Option<String>,
    /// `trgLang` / `target-language`.
    pub target_lang: Option<String>,
    /// The segments in document order.
    pub segments: Vec<XliffSegment>,
    /// The original document, when this project wrote the file.
    pub original: Option<EmbeddedOriginal>,
}

impl XliffDocument {
    /// Reads an XLIFF 1.2 or 2.x file.
    pub fn read(input: &[u8], name: &str) -> Result<XliffDocument, FilterError> {
        let text = decode(input, name)?;
        let doc = XmlDoc::parse(&text, name)?;
        let version = root_version(&doc, name)?;
        if version == Version::V2 {
            validate::validate(&text, name)?;
        }
        let mut segments = Vec::new();
        collect_segments(&doc, version, name, &mut segments)?;
        let source_lang = lang_attr(&doc, version, true);
        let target_lang = lang_attr(&doc, version, false);
        let original = write::embedded_original(&doc, name)?;
        Ok(XliffDocument {
            source_lang,
            target_lang,
            segments,
            original,
        })
    }

    /// The targets by unit id, segments in order: what a merge needs.
    pub fn targets_by_unit(&self) -> HashMap<String, Vec<Option<Content>>> {
        let mut by_unit: HashMap<String, Vec<Option<Content>>> = HashMap::new();
        for segment in &self.segments {
            by_unit
                .entry(segment.unit_id.clone())
                .or_default()
                .push(segment.target.clone());
        }
        by_unit
    }
}

/// The XLIFF version of a document: 1 or 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

fn decode(input: &[u8], name: &str) -> Result<String, FilterError> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    if input.starts_with(b"\xFF\xFE") || input.starts_with(b"\xFE\xFF") {
        let (text, _, had_errors) = if input.starts_with(b"\xFF\xFE") {
            encoding_utf16(input, true)
        } else {
            encoding_utf16(input, false)
        };
        if had_errors {
            return Err(FilterError::invalid(name, "bytes that are not UTF-16"));
        }
        return Ok(text);
    }
    let head = String::from_utf8_lossy(&input[..input.len().min(200)]);
    let declared = head
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split("?>").next())
        .and_then(|declaration| crate::xmltok::attribute(&format!(" {declaration}"), "encoding"));
    if let Some(label) =
        declared.filter(|l| !l.eq_ignore_ascii_case("utf-8") && !l.eq_ignore_ascii_case("utf8"))
    {
        let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            FilterError::invalid(
                name,
                format!("unknown encoding {label:?} in the XML declaration"),
            )
        })?;
        let (text, _, had_errors) = encoding.decode(input);
        if had_errors {
            return Err(FilterError::invalid(
                name,
                format!("bytes that are not {label}"),
            ));
        }
        // Written back as UTF-8, so the declaration must say so.
        return Ok(text.replacen(&label, "UTF-8", 1));
    }
    String::from_utf8(input.to_vec()).map_err(|error| {
        FilterError::invalid(
            name,
            format!(
                "not UTF-8 (byte {}): XLIFF must be UTF-8 or UTF-16",
                error.utf8_error().valid_up_to()
            ),
        )
    })
}

fn encoding_utf16(input: &[u8], little: bool) -> (String, (), bool) {
    let units: Vec<u16> = input[2..]
        .chunks_exact(2)
        .map(|pair| {
            if little {
                u16::from_le_bytes([pair[0], pair[1]])
            } else {
                u16::from_be_bytes([pair[0], pair[1]])
            }
        })
        .collect();
    match String::from_utf16(&units) {
        Ok(text) => (
            text.replacen("encoding=\"UTF-16\"", "encoding=\"UTF-8\"", 1),
            (),
            false,
        ),
        Err(_) => (String::new(), (), true),
    }
}

fn root_version(doc: &XmlDoc<'_>, name: &str) -> Result<Version, FilterError> {
    let root =
        (0..doc.toks.len()).find(|&i| matches!(doc.toks[i].kind, TokKind::Start | TokKind::Empty));
    let Some(root) = root else {
        return Err(FilterError::invalid(name, "empty document"));
    };
    if local(doc.name(root)) != "xliff" {
        return Err(FilterError::xml(
            name,
            doc.line(doc.toks[root].span.start),
            format!("root element is <{}>, not <xliff>", doc.name(root)),
        ));
    }
    let namespace = doc.attr(root, "xmlns").unwrap_or_default();
    match doc.attr(root, "version").as_deref() {
        Some(v) if v.starts_with('2') => Ok(Version::V2),
        Some(v) if v.starts_with('1') => Ok(Version::V1),
        Some(v) => Err(FilterError::xml(
            name,
            doc.line(doc.toks[root].span.start),
            format!("unknown XLIFF version {v:?}"),
        )),
        None if namespace.starts_with("urn:oasis:names:tc:xliff:document:1.") => Ok(Version::V1),
        None => Err(FilterError::xml(
            name,
            doc.line(doc.toks[root].span.start),
            "<xliff> has no version attribute",
        )),
    }
}

fn lang_attr(doc: &XmlDoc<'_>, version: Version, source: bool) -> Option<String> {
    let (element, attribute) = match (version, source) {
        (Version::V2, true) => ("xliff", "srcLang"),
        (Version::V2, false) => ("xliff", "trgLang"),
        (Version::V1, true) => ("file", "source-language"),
        (Version::V1, false) => ("file", "target-language"),
    };
    (0..doc.toks.len())
        .find(|&i| {
            matches!(doc.toks[i].kind, TokKind::Start | TokKind::Empty)
                && local(doc.name(i)) == element
        })
        .and_then(|i| doc.attr(i, attribute))
}

/// The local part of a qualified name.
pub(crate) fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// The first child element of `parent` with local name `name`.
fn child(doc: &XmlDoc<'_>, parent: usize, name: &str) -> Option<usize> {
    let last = doc.last(parent);
    let mut i = parent + 1;
    while i < last {
        if matches!(doc.toks[i].kind, TokKind::Start | TokKind::Empty) {
            if local(doc.name(i)) == name && !doc.name(i).contains(':') {
                return Some(i);
            }
            i = doc.last(i) + 1;
        } else {
            i += 1;
        }
    }
    None
}

fn collect_segments(
    doc: &XmlDoc<'_>,
    version: Version,
    name: &str,
    out: &mut Vec<XliffSegment>,
) -> Result<(), FilterError> {
    let target_lang = lang_attr(doc, version, false);
    let mut i = 0;
    while i < doc.toks.len() {
        let tok = &doc.toks[i];
        if tok.kind != TokKind::Start {
            i += 1;
            continue;
        }
        let element = doc.name(i);
        match (version, element) {
            (Version::V1, "trans-unit") => {
                if doc.attr(i, "translate").as_deref() != Some("no") {
                    let id = doc
                        .attr(i, "id")
                        .unwrap_or_else(|| format!("{}", out.len() + 1));
                    if let Some(segment) =
                        read_segment(doc, i, &id, &id, version, name, &target_lang)?
                    {
                        out.push(segment);
                    }
                }
                i = doc.last(i) + 1;
            }
            (Version::V2, "unit") => {
                let unit_id = doc.attr(i, "id").unwrap_or_default();
                let unit_translate = doc.attr(i, "translate").as_deref() != Some("no");
                let last = doc.last(i);
                let mut s = i + 1;
                let mut index = 0;
                while s < last {
                    if doc.toks[s].kind == TokKind::Start && doc.name(s) == "segment" {
                        index += 1;
                        let segment_id = doc.attr(s, "id").unwrap_or_else(|| index.to_string());
                        if unit_translate
                            && let Some(segment) = read_segment(
                                doc,
                                s,
                                &format!("{unit_id}/{segment_id}"),
                                &unit_id,
                                version,
                                name,
                                &target_lang,
                            )?
                        {
                            out.push(segment);
                        }
                        s = doc.last(s) + 1;
                    } else if matches!(doc.toks[s].kind, TokKind::Start) {
                        s = doc.last(s) + 1;
                    } else {
                        s += 1;
                    }
                }
                i = last + 1;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn read_segment(
    doc: &XmlDoc<'_>,
    at: usize,
    id: &str,
    unit_id: &str,
    version: Version,
    name: &str,
    target_lang: &Option<String>,
) -> Result<Option<XliffSegment>, FilterError> {
    let Some(source) = child(doc, at, "source") else {
        return Ok(None);
    };
    let mut ids = inline::IdMap::default();
    let (content, codes) = inline::read(doc, source, &mut ids);
    let target_tok = child(doc, at, "target");
    let target = target_tok.map(|t| inline::read(doc, t, &mut ids).0);
    let after = match version {
        Version::V1 => child(doc, at, "seg-source").unwrap_or(source),
        Version::V2 => source,
    };
    let insert_at = doc.toks[doc.last(after)].span.end;
    let indent = indentation(doc.src, doc.toks[source].span.start);
    let state = match version {
        Version::V2 => doc.attr(at, "state"),
        Version::V1 => target_tok.and_then(|t| doc.attr(t, "state")),
    };
    let context = format!("{name}:{}", doc.line(doc.toks[at].span.start));
    let target_tags = target_tok.map(|t| {
        let qname = doc.name(t);
        let open = doc.raw(t);
        let open = if doc.toks[t].kind == TokKind::Empty {
            format!(
                "{}>",
                open.trim_end_matches('>').trim_end_matches('/').trim_end()
            )
        } else {
            open.to_string()
        };
        (open, format!("</{qname}>"))
    });
    let source_space = doc.attr(source, "xml:space");
    let whole = version == Version::V2;
    Ok(Some(XliffSegment {
        id: id.to_string(),
        unit_id: unit_id.to_string(),
        source: Paragraph {
            context,
            content,
            codes,
            whole,
        },
        target,
        state,
        target_span: target_tok.map(|t| doc.toks[t].span.start..doc.toks[doc.last(t)].span.end),
        target_tags,
        source_space,
        insert_at,
        indent,
        target_lang: target_lang.clone(),
    }))
}

fn indentation(src: &str, at: usize) -> String {
    let line_start = src[..at].rfind('\n').map_or(0, |n| n + 1);
    let before = &src[line_start..at];
    if before.trim().is_empty() {
        format!("\n{before}")
    } else {
        String::new()
    }
}

impl DocumentFilter for XliffFilter {
    fn format(&self) -> Format {
        self.format
    }

    fn process(
        &self,
        input: &[u8],
        name: &str,
        visit: &mut Visitor<'_>,
        rewrite: bool,
    ) -> Result<Vec<u8>, FilterError> {
        let text = decode(input, name)?;
        let document = XliffDocument::read(text.as_bytes(), name)?;
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for segment in document.segments {
            if !has_translatable_text(&segment.source.content) {
                continue;
            }
            let codes: Vec<Code> = segment.source.codes.clone();
            let whole = segment.source.whole;
            let mut paragraph = segment.source.clone();
            paragraph.whole = whole;
            let Some(target) = visit(paragraph)? else {
                continue;
            };
            let body = inline::render(&target, &codes);
            match (segment.target_span, segment.target_tags) {
                (Some(span), Some((open, close))) => {
                    edits.push((span, format!("{open}{body}{close}")))
                }
                _ => {
                    let lang = match (self.format, &segment.target_lang) {
                        (Format::Xliff12, Some(lang)) => {
                            format!(" xml:lang=\"{}\"", crate::xmltok::escape_attr(lang))
                        }
                        _ => String::new(),
                    };
                    let space = segment
                        .source_space
                        .as_ref()
                        .map(|space| {
                            format!(" xml:space=\"{}\"", crate::xmltok::escape_attr(space))
                        })
                        .unwrap_or_default();
                    let element = format!("{}<target{lang}{space}>{body}</target>", segment.indent);
                    edits.push((segment.insert_at..segment.insert_at, element));
                }
            }
        }
        if !rewrite {
            return Ok(Vec::new());
        }
        edits.sort_by_key(|(range, _)| range.start);
        let mut out = String::with_capacity(text.len() + edits.len() * 64);
        let mut copied = 0;
        for (range, replacement) in edits {
            out.push_str(&text[copied..range.start]);
            out.push_str(&replacement);
            copied = range.end;
        }
        out.push_str(&text[copied..]);
        Ok(out.into_bytes())
    }
}
