//! Stage 1: a part's XML walked paragraph by paragraph; each paragraph's runs cut into
//! atoms, shaped (stages 2 and 3) and, when rewriting, written back (stage 4).

use super::DocxFilter;
use super::model::*;
use super::render::render;
use super::shape::shape;
use super::tree::build_tree;
use crate::api::{TrackedChanges, Visitor};
use crate::error::FilterError;
use crate::model::{Paragraph, has_translatable_text};
use crate::xmltok::{TokKind, XmlDoc};

/// Walks one XML part, handing each paragraph to the visitor.
pub(super) struct PartWalker<'w, 's, 'v> {
    pub(super) doc: &'w XmlDoc<'s>,
    pub(super) part: &'w str,
    pub(super) filter: &'w DocxFilter,
    pub(super) visit: &'w mut Visitor<'v>,
    pub(super) rewrite: bool,
}

impl PartWalker<'_, '_, '_> {
    /// Walks tokens `from..to`, writing the part (with translated paragraphs) to `out` when
    /// rewriting. Returns whether anything changed.
    pub(super) fn walk(
        &mut self,
        from: usize,
        to: usize,
        out: &mut String,
    ) -> Result<bool, FilterError> {
        let doc = self.doc;
        if from >= to {
            return Ok(false);
        }
        let mut copied = doc.toks[from].span.start;
        let mut changed = false;
        let mut i = from;
        while i < to {
            if doc.toks[i].kind == TokKind::Start && doc.name(i) == "w:p" {
                let last = doc.last(i);
                if self.rewrite {
                    out.push_str(&doc.src[copied..doc.toks[i].span.start]);
                }
                changed |= self.paragraph(i, out)?;
                copied = doc.toks[last].span.end;
                i = last + 1;
            } else {
                i += 1;
            }
        }
        if self.rewrite {
            out.push_str(&doc.src[copied..doc.toks[to - 1].span.end]);
        }
        Ok(changed)
    }

    /// One `<w:p>`: read, visited, written. Returns whether its output differs.
    fn paragraph(&mut self, p: usize, out: &mut String) -> Result<bool, FilterError> {
        let doc = self.doc;
        let last = doc.last(p);
        let mut formats = Vec::new();
        let mut prefix = String::new();
        let mut atoms = Vec::new();
        let mut nested_changed = false;
        self.collect(
            p + 1,
            last,
            &mut formats,
            &mut prefix,
            &mut atoms,
            &mut nested_changed,
        )?;
        let nodes = build_tree(&atoms, true)
            .unwrap_or_else(|| build_tree(&atoms, false).unwrap_or_default());
        let model = shape(nodes, formats, prefix, self.style(p, last));
        let original = doc.raw_range(p, last);
        let mut target = None;
        if has_translatable_text(&model.content) {
            let context = match &model.style {
                Some(style) => format!("{}#{style}", self.part),
                None => self.part.to_string(),
            };
            let paragraph = Paragraph {
                context,
                content: model.content.clone(),
                codes: model.codes.clone(),
                whole: false,
            };
            target = (self.visit)(paragraph)?;
        }
        if !self.rewrite {
            return Ok(false);
        }
        match target {
            None if !nested_changed => {
                out.push_str(original);
                Ok(false)
            }
            _ => {
                let content = target.as_ref().unwrap_or(&model.content);
                out.push_str(doc.raw(p));
                out.push_str(&model.prefix);
                render(&model, content, out);
                out.push_str(&model.suffix);
                out.push_str(doc.raw(last));
                Ok(true)
            }
        }
    }

    fn style(&self, p: usize, last: usize) -> Option<String> {
        let doc = self.doc;
        (p + 1..last)
            .take_while(|&i| !(doc.toks[i].kind == TokKind::Start && doc.name(i) == "w:r"))
            .find(|&i| doc.is_open(i, "w:pStyle"))
            .and_then(|i| doc.attr(i, "w:val"))
    }

    /// Reads the children of a paragraph (or of a group inside one) into atoms.
    fn collect(
        &mut self,
        from: usize,
        to: usize,
        formats: &mut Vec<Format_>,
        prefix: &mut String,
        atoms: &mut Vec<Atom>,
        nested_changed: &mut bool,
    ) -> Result<(), FilterError> {
        let doc = self.doc;
        let mut i = from;
        while i < to {
            let tok = &doc.toks[i];
            let last = doc.last(i);
            match tok.kind {
                TokKind::Text => {
                    let raw = doc.raw(i);
                    if !raw.trim().is_empty() {
                        atoms.push(Atom::Ph {
                            raw: raw.to_string(),
                            label: "x",
                        });
                    }
                }
                TokKind::Other | TokKind::End => {}
                TokKind::Start | TokKind::Empty => {
                    let name = doc.name(i);
                    let empty = tok.kind == TokKind::Empty;
                    match name {
                        "w:pPr" => prefix.push_str(doc.raw_range(i, last)),
                        "w:r" if !empty => self.run(i, formats, atoms, nested_changed)?,
                        // An empty run holds nothing a reader sees.
                        "w:r" => {}
                        "w:proofErr" | "w:lastRenderedPageBreak" => {}
                        "w:ins" | "w:moveTo" if !empty => {
                            if self.filter.tracked_changes == TrackedChanges::Accept {
                                self.collect(i + 1, last, formats, prefix, atoms, nested_changed)?;
                            } else {
                                self.group(
                                    i,
                                    last,
                                    i,
                                    "ins",
                                    formats,
                                    prefix,
                                    atoms,
                                    nested_changed,
                                )?;
                            }
                        }
                        "w:del" | "w:moveFrom" => {
                            if self.filter.tracked_changes == TrackedChanges::Keep {
                                atoms.push(Atom::Ph {
                                    raw: doc.raw_range(i, last).to_string(),
                                    label: "del",
                                });
                            }
                        }
                        "w:hyperlink" | "w:fldSimple" | "w:smartTag" | "w:customXml" | "w:dir"
                        | "w:bdo"
                            if !empty =>
                        {
                            let label = match name {
                                "w:hyperlink" => "link",
                                "w:fldSimple" => "field",
                                _ => "tag",
                            };
                            // Properties of the wrapper belong to its opening code.
                            let mut head = i;
                            if let Some(first) = next_element(doc, i + 1, last)
                                && matches!(doc.name(first), "w:smartTagPr" | "w:customXmlPr")
                            {
                                head = doc.last(first);
                            }
                            self.group(
                                i,
                                last,
                                head,
                                label,
                                formats,
                                prefix,
                                atoms,
                                nested_changed,
                            )?;
                        }
                        "w:sdt" if !empty => {
                            let content = (i + 1..last).find(|&c| doc.is_open(c, "w:sdtContent"));
                            match content {
                                Some(c) if doc.toks[c].kind == TokKind::Start => {
                                    let inner_last = doc.last(c);
                                    let open = doc.src
                                        [doc.toks[i].span.start..doc.toks[c].span.end]
                                        .to_string();
                                    let close = doc.src
                                        [doc.toks[inner_last].span.start..doc.toks[last].span.end]
                                        .to_string();
                                    atoms.push(Atom::Open {
                                        raw: open,
                                        label: "sdt",
                                    });
                                    self.collect(
                                        c + 1,
                                        inner_last,
                                        formats,
                                        prefix,
                                        atoms,
                                        nested_changed,
                                    )?;
                                    atoms.push(Atom::Close { raw: close });
                                }
                                _ => atoms.push(Atom::Ph {
                                    raw: doc.raw_range(i, last).to_string(),
                                    label: "sdt",
                                }),
                            }
                        }
                        _ => {
                            let raw = self.opaque(i, last, nested_changed)?;
                            atoms.push(Atom::Ph {
                                raw,
                                label: element_label(name),
                            });
                        }
                    }
                }
            }
            i = last + 1;
        }
        Ok(())
    }

    /// A wrapper element as a group: `head` is the last token of its opening code.
    #[allow(clippy::too_many_arguments)]
    fn group(
        &mut self,
        i: usize,
        last: usize,
        head: usize,
        label: &'static str,
        formats: &mut Vec<Format_>,
        prefix: &mut String,
        atoms: &mut Vec<Atom>,
        nested_changed: &mut bool,
    ) -> Result<(), FilterError> {
        let doc = self.doc;
        atoms.push(Atom::Open {
            raw: doc.raw_range(i, head).to_string(),
            label,
        });
        self.collect(head + 1, last, formats, prefix, atoms, nested_changed)?;
        atoms.push(Atom::Close {
            raw: doc.raw(last).to_string(),
        });
        Ok(())
    }

    /// Markup kept as it is, except the paragraphs of text boxes inside it, which are
    /// translated like any other.
    fn opaque(
        &mut self,
        i: usize,
        last: usize,
        nested_changed: &mut bool,
    ) -> Result<String, FilterError> {
        let doc = self.doc;
        let has_paragraphs =
            (i + 1..last).any(|t| doc.toks[t].kind == TokKind::Start && doc.name(t) == "w:p");
        if !has_paragraphs {
            return Ok(doc.raw_range(i, last).to_string());
        }
        let mut out = String::new();
        let changed = self.walk(i, last + 1, &mut out)?;
        *nested_changed |= changed;
        if self.rewrite {
            Ok(out)
        } else {
            Ok(doc.raw_range(i, last).to_string())
        }
    }

    /// One `<w:r>`: its formatting and its children as atoms.
    fn run(
        &mut self,
        r: usize,
        formats: &mut Vec<Format_>,
        atoms: &mut Vec<Atom>,
        nested_changed: &mut bool,
    ) -> Result<(), FilterError> {
        let doc = self.doc;
        let last = doc.last(r);
        let run_open = doc.raw(r);
        let run_close = doc.raw(last);
        let mut rpr = "";
        let mut i = r + 1;
        if let Some(first) = next_element(doc, i, last)
            && doc.name(first) == "w:rPr"
        {
            rpr = doc.raw_range(first, doc.last(first));
            i = doc.last(first) + 1;
        }
        let fmt = format_index(formats, run_open, rpr);
        let wrap = |inner: &str| format!("{run_open}{rpr}{inner}{run_close}");
        while i < last {
            let tok = &doc.toks[i];
            let child_last = doc.last(i);
            if matches!(tok.kind, TokKind::Start | TokKind::Empty) {
                let inner = doc.raw_range(i, child_last);
                match doc.name(i) {
                    "w:t" => {
                        let text: String = (i + 1..child_last)
                            .filter(|&t| doc.toks[t].kind == TokKind::Text)
                            .map(|t| doc.text(t))
                            .collect();
                        if !text.is_empty() {
                            atoms.push(Atom::Text {
                                fmt,
                                text,
                                raw: wrap(inner),
                            });
                        }
                    }
                    "w:lastRenderedPageBreak" => {}
                    "w:fldChar" => {
                        let raw = wrap(inner);
                        match doc.attr(i, "w:fldCharType").as_deref() {
                            Some("begin") => atoms.push(Atom::FieldBegin(raw)),
                            Some("separate") => atoms.push(Atom::FieldSep(raw)),
                            Some("end") => atoms.push(Atom::FieldEnd(raw)),
                            _ => atoms.push(Atom::Ph {
                                raw,
                                label: "field",
                            }),
                        }
                    }
                    "w:instrText" | "w:delInstrText" => atoms.push(Atom::FieldCode(wrap(inner))),
                    name => {
                        let markup = self.opaque(i, child_last, nested_changed)?;
                        atoms.push(Atom::Ph {
                            raw: wrap(&markup),
                            label: element_label(name),
                        });
                    }
                }
            }
            i = child_last + 1;
        }
        Ok(())
    }
}

/// The first element token in `from..to`.
pub(super) fn next_element(doc: &XmlDoc<'_>, from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&t| matches!(doc.toks[t].kind, TokKind::Start | TokKind::Empty))
}

/// The index of a run formatting, added when new. Formats compare by their properties
/// without language tags, proofing switches and font hints.
pub(super) fn format_index(formats: &mut Vec<Format_>, run_open: &str, rpr: &str) -> usize {
    let key = format_key(rpr);
    if let Some(found) = formats.iter().position(|format| format.key == key) {
        return found;
    }
    formats.push(Format_ {
        key,
        run_open: run_open.to_string(),
        rpr: rpr.to_string(),
    });
    formats.len() - 1
}

/// The key two run formattings compare by: `rpr` without language tags, proofing switches
/// and font hints, empty for no formatting.
pub fn format_key(rpr: &str) -> String {
    let mut key = rpr.to_string();
    for element in ["<w:lang ", "<w:lang/", "<w:noProof", "<w:spellingErr"] {
        while let Some(start) = key.find(element) {
            let Some(end) = key[start..].find("/>") else {
                break;
            };
            key.replace_range(start..start + end + 2, "");
        }
    }
    while let Some(start) = key.find(" w:hint=\"") {
        let Some(end) = key[start + 9..].find('"') else {
            break;
        };
        key.replace_range(start..start + 9 + end + 1, "");
    }
    key = key.replace("<w:rFonts/>", "");
    if key == "<w:rPr></w:rPr>" || key == "<w:rPr/>" {
        key.clear();
    }
    key
}

/// A translator's name for an element kept as a placeholder.
pub(super) fn element_label(name: &str) -> &'static str {
    match name {
        "w:tab" | "w:ptab" => "tab",
        "w:br" | "w:cr" => "br",
        "w:footnoteReference" => "fn",
        "w:endnoteReference" => "en",
        "w:commentReference" | "w:commentRangeStart" | "w:commentRangeEnd" => "comment",
        "w:drawing" | "w:pict" | "w:object" | "mc:AlternateContent" => "image",
        "w:bookmarkStart" | "w:bookmarkEnd" => "bookmark",
        "m:oMath" | "m:oMathPara" => "math",
        "w:sym" => "sym",
        "w:noBreakHyphen" | "w:softHyphen" => "hyphen",
        _ => "x",
    }
}
