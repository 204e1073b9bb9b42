//! XLIFF 1.2 and 2.x: read (as a document to translate, or as a bilingual file coming back
//! from another tool), written (2.x, with the original document embedded so it can be
//! merged back), and validated (2.x core constraints).

mod dom;
mod inline;
pub mod validate;
pub mod write;
pub mod write12;

use std::collections::HashMap;

use crate::api::{DocumentFilter, Format, Visitor};
use crate::error::FilterError;
use crate::model::{Code, Content, Paragraph, has_translatable_text};
use crate::xmltok::{TokKind, XmlDoc};

pub use inline::render as render_inline;
pub use write::{MatchInfo, SegmentState, XliffWriter};
pub use write12::Xliff12Writer;

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
    /// For a segment of an XLIFF 1.2 `<seg-source>`: its `mid` and its unit's layout.
    marker: Option<(String, usize)>,
}

/// Where the segments (`<mrk mtype="seg">`) of an XLIFF 1.2 unit with `<seg-source>` are,
/// so that a target is written with the same markers, as Trados and Okapi expect.
#[derive(Debug, Clone)]
struct SegmentedUnit {
    /// The inside of `<seg-source>`.
    seg_source_inner: std::ops::Range<usize>,
    /// Each marker's `mid` and inside, in `<seg-source>`.
    source_marks: Vec<(String, std::ops::Range<usize>)>,
    /// Each marker's `mid` and inside, in the existing `<target>`.
    target_marks: Vec<(String, std::ops::Range<usize>)>,
    /// The existing target: its span, start tag and end tag.
    target: Option<(std::ops::Range<usize>, String, String)>,
    /// Where a new target goes, and the indentation before it.
    insert_at: usize,
    indent: String,
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
    pub options: crate::api::FilterOptions,
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
    /// Units segmented with `<seg-source>` markers (XLIFF 1.2).
    segmented: Vec<SegmentedUnit>,
    /// Targets that translate a whole unit of several segments: an XLIFF 1.2 `<target>`
    /// without `<mrk mtype="seg">` markers, as tools that do not segment (translate-toolkit,
    /// Pootle, Weblate, Virtaal) write it. By unit id.
    pub whole_targets: HashMap<String, Content>,
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
        let mut found = Collected::default();
        collect_segments(&doc, version, name, &mut found)?;
        let Collected {
            segments,
            segmented,
            whole_targets,
        } = found;
        let source_lang = lang_attr(&doc, version, true);
        let target_lang = lang_attr(&doc, version, false);
        let original = write::embedded_original(&doc, name)?;
        Ok(XliffDocument {
            source_lang,
            target_lang,
            segments,
            original,
            segmented,
            whole_targets,
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

/// What reading a file's units collects.
#[derive(Default)]
struct Collected {
    segments: Vec<XliffSegment>,
    segmented: Vec<SegmentedUnit>,
    whole_targets: HashMap<String, Content>,
}

fn collect_segments(
    doc: &XmlDoc<'_>,
    version: Version,
    name: &str,
    found: &mut Collected,
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
                        .unwrap_or_else(|| format!("{}", found.segments.len() + 1));
                    let marks = child(doc, i, "seg-source")
                        .map(|ss| segment_marks(doc, ss))
                        .unwrap_or_default();
                    if !marks.is_empty() {
                        read_marked_unit(doc, i, &id, name, &target_lang, found);
                    } else if let Some(segment) =
                        read_segment(doc, i, &id, &id, version, name, &target_lang)?
                    {
                        found.segments.push(segment);
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
                            found.segments.push(segment);
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
        marker: None,
    }))
}

/// The `<mrk mtype="seg">` elements inside element `at`, in order.
fn segment_marks(doc: &XmlDoc<'_>, at: usize) -> Vec<usize> {
    (at + 1..doc.last(at))
        .filter(|&t| {
            doc.toks[t].kind == TokKind::Start
                && local(doc.name(t)) == "mrk"
                && doc.attr(t, "mtype").as_deref() == Some("seg")
        })
        .collect()
}

/// The inside of element `at` (between its tags).
fn inner(doc: &XmlDoc<'_>, at: usize) -> std::ops::Range<usize> {
    doc.toks[at].span.end..doc.toks[doc.last(at)].span.start
}

/// An XLIFF 1.2 unit whose `<seg-source>` marks its segments: one segment per marker.
fn read_marked_unit(
    doc: &XmlDoc<'_>,
    at: usize,
    unit_id: &str,
    name: &str,
    target_lang: &Option<String>,
    found: &mut Collected,
) {
    let Collected {
        segments: out,
        segmented,
        whole_targets,
    } = found;
    let Some(seg_source) = child(doc, at, "seg-source") else {
        return;
    };
    let target = child(doc, at, "target");
    // A target without segment markers translates the whole unit: for one segment it is
    // that segment's; for several it replaces the paragraph as a whole.
    let unmarked = target
        .filter(|t| segment_marks(doc, *t).is_empty() && doc.toks[*t].kind == TokKind::Start)
        .map(|t| {
            let mut ids = inline::IdMap::default();
            if let Some(source) = child(doc, at, "source") {
                inline::read(doc, source, &mut ids);
            }
            inline::read(doc, t, &mut ids).0
        })
        .filter(|content| has_translatable_text(content));
    let marks_in_source = segment_marks(doc, seg_source).len();
    if let Some(content) = &unmarked
        && marks_in_source > 1
    {
        whole_targets.insert(unit_id.to_string(), content.clone());
    }
    let target_marks: Vec<(String, usize)> = target
        .map(|t| segment_marks(doc, t))
        .unwrap_or_default()
        .into_iter()
        .map(|m| (doc.attr(m, "mid").unwrap_or_default(), m))
        .collect();
    let layout = segmented.len();
    let mut source_marks = Vec::new();
    for mark in segment_marks(doc, seg_source) {
        let mid = doc.attr(mark, "mid").unwrap_or_default();
        let mut ids = inline::IdMap::default();
        let (content, codes) = inline::read(doc, mark, &mut ids);
        let target_content = target_marks
            .iter()
            .find(|(m, _)| *m == mid)
            .map(|(_, t)| inline::read(doc, *t, &mut ids).0)
            .or_else(|| unmarked.clone().filter(|_| marks_in_source == 1));
        source_marks.push((mid.clone(), inner(doc, mark)));
        out.push(XliffSegment {
            id: format!("{unit_id}/{mid}"),
            unit_id: unit_id.to_string(),
            source: Paragraph {
                context: format!("{name}:{}", doc.line(doc.toks[mark].span.start)),
                content,
                codes,
                whole: true,
            },
            target: target_content,
            state: target.and_then(|t| doc.attr(t, "state")),
            target_span: None,
            target_tags: None,
            source_space: None,
            insert_at: 0,
            indent: String::new(),
            target_lang: target_lang.clone(),
            marker: Some((mid, layout)),
        });
    }
    let target_info = target.map(|t| {
        let open = if doc.toks[t].kind == TokKind::Empty {
            format!(
                "{}>",
                doc.raw(t)
                    .trim_end_matches('>')
                    .trim_end_matches('/')
                    .trim_end()
            )
        } else {
            doc.raw(t).to_string()
        };
        let span = doc.toks[t].span.start..doc.toks[doc.last(t)].span.end;
        (span, open, format!("</{}>", doc.name(t)))
    });
    segmented.push(SegmentedUnit {
        seg_source_inner: inner(doc, seg_source),
        source_marks,
        target_marks: target_marks
            .into_iter()
            .map(|(mid, t)| (mid, inner(doc, t)))
            .collect(),
        target: target_info,
        insert_at: doc.toks[doc.last(seg_source)].span.end,
        indent: indentation(doc.src, doc.toks[seg_source].span.start),
    });
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

impl XliffFilter {
    /// ` xml:lang="…"` for a new XLIFF 1.2 target.
    fn target_lang_attr(&self, document: &XliffDocument) -> String {
        match (self.format, &document.target_lang) {
            (Format::Xliff12, Some(lang)) => {
                format!(" xml:lang=\"{}\"", crate::xmltok::escape_attr(lang))
            }
            _ => String::new(),
        }
    }
}

/// Edits that put translated segments into a unit segmented by markers: inside the target's
/// markers when it has them all, else a target built from `<seg-source>` with each
/// translated marker's inside replaced.
fn marked_target_edits(
    text: &str,
    unit: &SegmentedUnit,
    bodies: &[(String, String)],
    lang: String,
    edits: &mut Vec<(std::ops::Range<usize>, String)>,
) {
    let in_target = |mid: &str| {
        unit.target_marks
            .iter()
            .find(|(m, _)| m == mid)
            .map(|(_, r)| r.clone())
    };
    if unit.target.is_some() && bodies.iter().all(|(mid, _)| in_target(mid).is_some()) {
        for (mid, body) in bodies {
            if let Some(range) = in_target(mid) {
                edits.push((range, body.clone()));
            }
        }
        return;
    }
    let mut built = String::new();
    let mut copied = unit.seg_source_inner.start;
    for (mid, range) in &unit.source_marks {
        built.push_str(&text[copied..range.start]);
        match bodies.iter().find(|(m, _)| m == mid) {
            Some((_, body)) => built.push_str(body),
            None => built.push_str(&text[range.clone()]),
        }
        copied = range.end;
    }
    built.push_str(&text[copied..unit.seg_source_inner.end]);
    match &unit.target {
        Some((span, open, close)) => edits.push((span.clone(), format!("{open}{built}{close}"))),
        None => edits.push((
            unit.insert_at..unit.insert_at,
            format!("{}<target{lang}>{built}</target>", unit.indent),
        )),
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
        let mut marked: std::collections::BTreeMap<usize, Vec<(String, String)>> =
            Default::default();
        let new_target_lang = self.target_lang_attr(&document);
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
            if let Some((mid, layout)) = segment.marker {
                marked.entry(layout).or_default().push((mid, body));
                continue;
            }
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
        for (layout, bodies) in marked {
            if let Some(unit) = document.segmented.get(layout) {
                marked_target_edits(&text, unit, &bodies, new_target_lang.clone(), &mut edits);
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
