//! XLIFF 2.0 output: one `<unit>` per text unit, codes as `<pc>`/`<ph>` with their original
//! markup in `<originalData>`, matches in the Translation Candidates module, terms in the
//! Glossary module, and the original document embedded in `<skeleton>` so that
//! `stdbridge merge` can rebuild it from the XLIFF alone.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::EmbeddedOriginal;
use super::inline::escape_content;
use crate::api::TrackedChanges;
use crate::api::{FilterOptions, Format};
use crate::error::FilterError;
use crate::model::{Code, CodeKind, Item};
use crate::segment::TextUnit;
use crate::xmltok::{TokKind, XmlDoc, escape_attr, escape_text};
pub use stdbridge_content::target::{MatchInfo, SegmentState, SegmentTarget};

/// The namespace of this project's skeleton element.
pub const SKELETON_NS: &str = "urn:stdbridge:xliff:skeleton:1";

/// Writes XLIFF 2.0 for a document.
#[derive(Debug, Clone)]
pub struct XliffWriter {
    /// Source language.
    pub source_lang: String,
    /// Target language.
    pub target_lang: String,
}

impl XliffWriter {
    /// The XLIFF for `units` of `original`; `target` gives each segment's translation
    /// (by unit and 0-based segment number) and `terms` each unit's glossary entries.
    pub fn write(
        &self,
        original: &EmbeddedOriginal,
        units: &[TextUnit],
        target: &dyn Fn(&TextUnit, usize) -> Option<SegmentTarget>,
        terms: &dyn Fn(&TextUnit) -> Vec<(String, String)>,
    ) -> String {
        let mut out =
            String::with_capacity(units.len() * 600 + original.bytes.len() * 4 / 3 + 1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&format!(
            "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" xmlns:mtc=\"urn:oasis:names:tc:xliff:matches:2.0\" xmlns:gls=\"urn:oasis:names:tc:xliff:glossary:2.0\" xmlns:sb=\"{SKELETON_NS}\" version=\"2.0\" srcLang=\"{}\" trgLang=\"{}\">\n",
            escape_attr(&self.source_lang),
            escape_attr(&self.target_lang)
        ));
        out.push_str(&format!(
            " <file id=\"f1\" original=\"{}\">\n",
            escape_attr(&original.name)
        ));
        out.push_str(&format!(
            "  <skeleton>{}</skeleton>\n",
            original_element(original)
        ));
        for unit in units {
            self.write_unit(unit, target, terms, &mut out);
        }
        out.push_str(" </file>\n</xliff>\n");
        out
    }

    fn write_unit(
        &self,
        unit: &TextUnit,
        target: &dyn Fn(&TextUnit, usize) -> Option<SegmentTarget>,
        terms: &dyn Fn(&TextUnit) -> Vec<(String, String)>,
        out: &mut String,
    ) {
        out.push_str(&format!(
            "  <unit id=\"{}\" name=\"{}\">\n",
            unit.id,
            escape_attr(&unit.context)
        ));
        let targets: Vec<Option<SegmentTarget>> = (0..unit.segments().count())
            .map(|n| target(unit, n))
            .collect();
        let entries = terms(unit);
        if !entries.is_empty() {
            out.push_str("   <gls:glossary>");
            for (source, translation) in entries {
                out.push_str(&format!(
                    "<gls:glossEntry><gls:term>{}</gls:term><gls:translation>{}</gls:translation></gls:glossEntry>",
                    escape_text(&source),
                    escape_text(&translation)
                ));
            }
            out.push_str("</gls:glossary>\n");
        }
        let matches: Vec<(usize, &MatchInfo)> = targets
            .iter()
            .enumerate()
            .filter_map(|(n, t)| t.as_ref().map(|t| (n, t)))
            .flat_map(|(n, t)| t.matches.iter().map(move |m| (n, m)))
            .collect();
        if !matches.is_empty() {
            out.push_str("   <mtc:matches>");
            for (n, found) in matches {
                out.push_str(&format!(
                    "<mtc:match ref=\"#s{}\" similarity=\"{}\" type=\"{}\" origin=\"{}\"><source>{}</source><target>{}</target></mtc:match>",
                    n + 1,
                    found.similarity,
                    found.kind,
                    escape_attr(&found.origin),
                    escape_content(&found.source),
                    escape_content(&found.target)
                ));
            }
            out.push_str("</mtc:matches>\n");
        }
        write_original_data(&unit.codes, out);
        let mut segment_number = 0;
        for part in &unit.parts {
            if !part.segment {
                out.push_str(&format!(
                    "   <ignorable><source>{}</source></ignorable>\n",
                    inline(&part.content, &unit.codes)
                ));
                continue;
            }
            let translation = targets.get(segment_number).and_then(Option::as_ref);
            segment_number += 1;
            let state = match translation {
                Some(t) => {
                    let sub = t
                        .sub_state
                        .as_ref()
                        .map(|s| format!(" subState=\"sb:{}\"", escape_attr(s)))
                        .unwrap_or_default();
                    format!(" state=\"{}\"{sub}", t.state.as_str())
                }
                None => " state=\"initial\"".to_string(),
            };
            out.push_str(&format!(
                "   <segment id=\"s{segment_number}\"{state}><source>{}</source>",
                inline(&part.content, &unit.codes)
            ));
            if let Some(t) = translation {
                out.push_str(&format!(
                    "<target>{}</target>",
                    inline(&t.content, &unit.codes)
                ));
            }
            out.push_str("</segment>\n");
        }
        out.push_str("  </unit>\n");
    }
}

fn write_original_data(codes: &[Code], out: &mut String) {
    if codes.is_empty() {
        return;
    }
    out.push_str("   <originalData>");
    for code in codes {
        out.push_str(&format!(
            "<data id=\"d{}\">{}</data>",
            code.id,
            escape_content(&code.open_data)
        ));
        if code.kind == CodeKind::Pair {
            out.push_str(&format!(
                "<data id=\"d{}e\">{}</data>",
                code.id,
                escape_content(&code.close_data)
            ));
        }
    }
    out.push_str("</originalData>\n");
}

/// This project's `<sb:original>` element: the original document in base64, with its
/// format, name and the filter options a merge must use again.
pub fn original_element(original: &EmbeddedOriginal) -> String {
    let tracked = match original.options.tracked_changes {
        TrackedChanges::Accept => "accept",
        TrackedChanges::Keep => "keep",
    };
    format!(
        "<sb:original format=\"{}\" name=\"{}\" tracked-changes=\"{tracked}\" comments=\"{}\">{}</sb:original>",
        original.format.name(),
        escape_attr(&original.name),
        if original.options.comments {
            "yes"
        } else {
            "no"
        },
        STANDARD.encode(&original.bytes)
    )
}

/// Content as XLIFF 2 inline markup: pairs as `<pc>`, placeholders as `<ph>`.
fn inline(content: &[Item], codes: &[Code]) -> String {
    let mut out = String::new();
    for item in content {
        match item {
            Item::Text(text) => out.push_str(&escape_content(text)),
            Item::Open(id) => {
                let label = codes
                    .iter()
                    .find(|c| c.id == *id)
                    .map(|c| c.label.as_str())
                    .unwrap_or("");
                out.push_str(&format!(
                    "<pc id=\"{id}\" dataRefStart=\"d{id}\" dataRefEnd=\"d{id}e\" disp=\"{}\">",
                    escape_attr(label)
                ));
            }
            Item::Close(_) => out.push_str("</pc>"),
            Item::Ph(id) => {
                let label = codes
                    .iter()
                    .find(|c| c.id == *id)
                    .map(|c| c.label.as_str())
                    .unwrap_or("");
                out.push_str(&format!(
                    "<ph id=\"{id}\" dataRef=\"d{id}\" disp=\"{}\"/>",
                    escape_attr(label)
                ));
            }
        }
    }
    out
}

/// The original document embedded by [`XliffWriter`], if this file has one.
pub fn embedded_original(
    doc: &XmlDoc<'_>,
    name: &str,
) -> Result<Option<EmbeddedOriginal>, FilterError> {
    let Some(at) = (0..doc.toks.len())
        .find(|&i| doc.toks[i].kind == TokKind::Start && doc.name(i) == "sb:original")
    else {
        return Ok(None);
    };
    let line = doc.line(doc.toks[at].span.start);
    let format = doc
        .attr(at, "format")
        .and_then(|f| Format::from_name(&f))
        .ok_or_else(|| FilterError::xml(name, line, "the embedded original has no known format"))?;
    let original_name = doc
        .attr(at, "name")
        .unwrap_or_else(|| "original".to_string());
    let text: String = (at + 1..doc.last(at))
        .filter(|&i| doc.toks[i].kind == TokKind::Text)
        .map(|i| doc.raw(i))
        .collect();
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = STANDARD.decode(compact.as_bytes()).map_err(|error| {
        FilterError::xml(
            name,
            line,
            format!("the embedded original is not base64: {error}"),
        )
    })?;
    let options = FilterOptions {
        tracked_changes: if doc.attr(at, "tracked-changes").as_deref() == Some("accept") {
            TrackedChanges::Accept
        } else {
            TrackedChanges::Keep
        },
        comments: doc.attr(at, "comments").as_deref() == Some("yes"),
        ..FilterOptions::default()
    };
    Ok(Some(EmbeddedOriginal {
        format,
        name: original_name,
        bytes,
        options,
    }))
}
