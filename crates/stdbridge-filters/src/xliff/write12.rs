//! XLIFF 1.2 output, for CAT tools that read 1.2 better than 2.x: one `<trans-unit>` per
//! text unit with the paragraph in `<source>`, its segments marked in `<seg-source>` and
//! `<target>` (`<mrk mtype="seg">`, as Trados and Okapi write them), codes as `<g>`/`<x>`,
//! matches as `<alt-trans>`, and the original document in the header.

use super::EmbeddedOriginal;
use super::inline::escape_content;
use super::write::{SKELETON_NS, SegmentState, SegmentTarget, original_element};
use crate::model::{Code, Item};
use crate::segment::TextUnit;
use crate::xmltok::escape_attr;

/// Writes XLIFF 1.2 for a document.
#[derive(Debug, Clone)]
pub struct Xliff12Writer {
    /// Source language.
    pub source_lang: String,
    /// Target language.
    pub target_lang: String,
}

impl Xliff12Writer {
    /// The XLIFF 1.2 for `units` of `original`; `target` gives each segment's translation.
    pub fn write(
        &self,
        original: &EmbeddedOriginal,
        units: &[TextUnit],
        target: &dyn Fn(&TextUnit, usize) -> Option<SegmentTarget>,
    ) -> String {
        let mut out =
            String::with_capacity(units.len() * 600 + original.bytes.len() * 4 / 3 + 1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&format!(
            "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" xmlns:sb=\"{SKELETON_NS}\">\n"
        ));
        out.push_str(&format!(
            " <file original=\"{}\" datatype=\"x-{}\" source-language=\"{}\" target-language=\"{}\">\n",
            escape_attr(&original.name),
            original.format.name(),
            escape_attr(&self.source_lang),
            escape_attr(&self.target_lang)
        ));
        out.push_str(&format!(
            "  <header>{}</header>\n  <body>\n",
            original_element(original)
        ));
        for unit in units {
            let targets: Vec<Option<SegmentTarget>> = (0..unit.segments().count())
                .map(|n| target(unit, n))
                .collect();
            self.write_unit(unit, &targets, &mut out);
        }
        out.push_str("  </body>\n </file>\n</xliff>\n");
        out
    }

    fn write_unit(&self, unit: &TextUnit, targets: &[Option<SegmentTarget>], out: &mut String) {
        out.push_str(&format!(
            "   <trans-unit id=\"{}\" resname=\"{}\">\n",
            unit.id,
            escape_attr(&unit.context)
        ));
        out.push_str(&format!(
            "    <source>{}</source>\n",
            inline(&unit.source(), &unit.codes)
        ));
        let mut seg_source = String::new();
        let mut target_text = String::new();
        let mut segment = 0;
        for part in &unit.parts {
            let source = inline(&part.content, &unit.codes);
            if !part.segment {
                seg_source.push_str(&source);
                target_text.push_str(&source);
                continue;
            }
            segment += 1;
            seg_source.push_str(&format!(
                "<mrk mtype=\"seg\" mid=\"{segment}\">{source}</mrk>"
            ));
            let translated = targets.get(segment - 1).and_then(Option::as_ref);
            let body = translated.map_or(source, |t| inline(&t.content, &unit.codes));
            target_text.push_str(&format!(
                "<mrk mtype=\"seg\" mid=\"{segment}\">{body}</mrk>"
            ));
        }
        out.push_str(&format!("    <seg-source>{seg_source}</seg-source>\n"));
        if targets.iter().any(Option::is_some) {
            let state = unit_state(targets);
            out.push_str(&format!(
                "    <target xml:lang=\"{}\"{state}>{target_text}</target>\n",
                escape_attr(&self.target_lang)
            ));
        }
        for (n, found) in targets.iter().enumerate() {
            for candidate in found.iter().flat_map(|t| &t.matches) {
                out.push_str(&format!(
                    "    <alt-trans mid=\"{}\" match-quality=\"{}\" origin=\"{}\"><source>{}</source><target xml:lang=\"{}\">{}</target></alt-trans>\n",
                    n + 1,
                    candidate.similarity,
                    escape_attr(&candidate.origin),
                    escape_content(&candidate.source),
                    escape_attr(&self.target_lang),
                    escape_content(&candidate.target)
                ));
            }
        }
        out.push_str("   </trans-unit>\n");
    }
}

/// The target's `state` and `state-qualifier`: translated when every segment is exact or a
/// repetition, else needs review.
fn unit_state(targets: &[Option<SegmentTarget>]) -> String {
    let settled = targets
        .iter()
        .all(|t| t.as_ref().is_some_and(|t| t.state != SegmentState::Initial));
    let qualifier = |sub: &str| -> &'static str {
        if sub.starts_with("fuzzy") {
            "fuzzy-match"
        } else if sub.starts_with("mt") {
            "mt-suggestion"
        } else if sub == "repetition" {
            "leveraged-inherited"
        } else {
            "exact-match"
        }
    };
    let first = targets
        .iter()
        .flatten()
        .find_map(|t| t.sub_state.as_deref())
        .map(qualifier);
    match (settled, first) {
        (true, Some(q)) => format!(" state=\"translated\" state-qualifier=\"{q}\""),
        (true, None) => " state=\"translated\"".to_string(),
        (false, Some(q)) => format!(" state=\"needs-review-translation\" state-qualifier=\"{q}\""),
        (false, None) => " state=\"needs-review-translation\"".to_string(),
    }
}

/// Content as XLIFF 1.2 inline markup: pairs as `<g>`, placeholders as `<x/>`.
fn inline(content: &[Item], codes: &[Code]) -> String {
    let label = |id: &u32| {
        codes
            .iter()
            .find(|c| c.id == *id)
            .map(|c| escape_attr(&c.label))
            .unwrap_or_default()
    };
    let mut out = String::new();
    for item in content {
        match item {
            Item::Text(text) => out.push_str(&escape_content(text)),
            Item::Open(id) => out.push_str(&format!("<g id=\"{id}\" ctype=\"x-{}\">", label(id))),
            Item::Close(_) => out.push_str("</g>"),
            Item::Ph(id) => out.push_str(&format!("<x id=\"{id}\" ctype=\"x-{}\"/>", label(id))),
        }
    }
    out
}
