//! DOCX (Office Open XML WordprocessingML): paragraphs of the body, tables, headers,
//! footers, footnotes, endnotes, text boxes and (optionally) comments, with run formatting,
//! hyperlinks, fields and tracked changes as inline codes.
//!
//! Each paragraph becomes one piece of content. Runs whose formatting differs only in
//! language tags, proofing marks or font hints count as one; the formatting used by most
//! characters of a paragraph (or of a hyperlink, field result…) is its base, and only text
//! in another formatting gets a pair of codes. A paragraph that is not translated is
//! copied byte for byte; a translated one keeps its properties, and its runs are written
//! again with the formatting of the codes around each piece of text.

use std::collections::HashMap;

use crate::error::FilterError;
use crate::filter::{DocumentFilter, Format, Visitor};
use crate::model::{Code, CodeKind, Content, Item, Paragraph, has_translatable_text, push_text};
use crate::package::{Limits, Package};
use crate::xmltok::{TokKind, XmlDoc, escape_text};

/// What to do with tracked changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrackedChanges {
    /// Keep them: insertions become codes around their text, deletions placeholders.
    #[default]
    Keep,
    /// Accept them: insertions become ordinary text, deletions disappear.
    Accept,
}

/// The DOCX filter.
#[derive(Debug, Clone, Default)]
pub struct DocxFilter {
    /// Tracked changes kept or accepted.
    pub tracked_changes: TrackedChanges,
    /// Whether comments are translated too.
    pub comments: bool,
    /// Package limits.
    pub limits: Limits,
}

impl DocumentFilter for DocxFilter {
    fn format(&self) -> Format {
        Format::Docx
    }

    fn process(
        &self,
        input: &[u8],
        name: &str,
        visit: &mut Visitor<'_>,
        rewrite: bool,
    ) -> Result<Vec<u8>, FilterError> {
        let mut package = Package::open(input, name, self.limits)?;
        let parts = self.text_parts(&mut package, name)?;
        let mut replaced = HashMap::new();
        for part in parts {
            let Some(text) = package.read_text(&part)? else {
                continue;
            };
            let label = format!("{name}!{part}");
            let doc = XmlDoc::parse(&text, &label)?;
            let mut walker = PartWalker {
                doc: &doc,
                part: &part,
                filter: self,
                visit,
                rewrite,
            };
            let mut out = String::with_capacity(if rewrite {
                text.len() + text.len() / 4
            } else {
                0
            });
            let changed = walker.walk(0, doc.toks.len(), &mut out)?;
            if rewrite && changed {
                replaced.insert(part, out);
            }
        }
        if !rewrite {
            return Ok(Vec::new());
        }
        package.rewrite(&replaced)
    }
}

impl DocxFilter {
    /// The parts with text to translate, in the order a reader meets them, from
    /// `[Content_Types].xml`.
    fn text_parts(
        &self,
        package: &mut Package<'_>,
        name: &str,
    ) -> Result<Vec<String>, FilterError> {
        let Some(types) = package.read_text("[Content_Types].xml")? else {
            return Err(FilterError::invalid(
                name,
                "no [Content_Types].xml: not an Office Open XML package",
            ));
        };
        let label = format!("{name}![Content_Types].xml");
        let doc = XmlDoc::parse(&types, &label)?;
        let mut by_kind: Vec<(usize, String)> = Vec::new();
        for i in 0..doc.toks.len() {
            if !doc.is_open(i, "Override") {
                continue;
            }
            let (Some(part), Some(content_type)) =
                (doc.attr(i, "PartName"), doc.attr(i, "ContentType"))
            else {
                continue;
            };
            let order = match content_type.rsplit('.').next().unwrap_or("") {
                "main+xml" if content_type.contains("wordprocessingml.document") => 0,
                "main+xml" if content_type.contains("wordprocessingml.template") => 0,
                "header+xml" => 1,
                "footnotes+xml" => 2,
                "endnotes+xml" => 3,
                "footer+xml" => 4,
                "comments+xml" if self.comments => 5,
                _ => continue,
            };
            by_kind.push((order, part.trim_start_matches('/').to_string()));
        }
        if !by_kind.iter().any(|(order, _)| *order == 0) {
            return Err(FilterError::invalid(
                name,
                "no main document part: not a Word document",
            ));
        }
        by_kind.sort();
        Ok(by_kind.into_iter().map(|(_, part)| part).collect())
    }
}

/// Walks one XML part, handing each paragraph to the visitor.
struct PartWalker<'w, 's, 'v> {
    doc: &'w XmlDoc<'s>,
    part: &'w str,
    filter: &'w DocxFilter,
    visit: &'w mut Visitor<'v>,
    rewrite: bool,
}

/// A piece of a paragraph in reading order, before it is shaped into content.
#[derive(Debug)]
enum Atom {
    Text {
        fmt: usize,
        text: String,
        raw: String,
    },
    Ph {
        raw: String,
        label: &'static str,
    },
    Open {
        raw: String,
        label: &'static str,
    },
    Close {
        raw: String,
    },
    FieldBegin(String),
    FieldCode(String),
    FieldSep(String),
    FieldEnd(String),
}

impl Atom {
    fn raw(&self) -> &str {
        match self {
            Atom::Text { raw, .. }
            | Atom::Ph { raw, .. }
            | Atom::Open { raw, .. }
            | Atom::Close { raw } => raw,
            Atom::FieldBegin(raw)
            | Atom::FieldCode(raw)
            | Atom::FieldSep(raw)
            | Atom::FieldEnd(raw) => raw,
        }
    }
}

/// A paragraph as a tree: text, placeholders, and groups (hyperlinks, field results…).
#[derive(Debug)]
enum Node {
    Text {
        fmt: usize,
        text: String,
    },
    Ph {
        raw: String,
        label: &'static str,
    },
    Group {
        open: String,
        close: String,
        label: &'static str,
        children: Vec<Node>,
    },
}

/// A distinct run formatting of a paragraph.
#[derive(Debug)]
struct Format_ {
    key: String,
    run_open: String,
    rpr: String,
}

/// How to write a code back.
#[derive(Debug)]
enum Render {
    /// Text inside takes this formatting.
    Format(usize),
    /// Markup around; text inside takes the group's base formatting.
    Group {
        open: String,
        close: String,
        base: Option<usize>,
    },
    /// Markup.
    Ph(String),
}

/// Everything known about a paragraph once read.
struct ParagraphModel {
    prefix: String,
    suffix: String,
    content: Content,
    codes: Vec<Code>,
    renders: HashMap<u32, Render>,
    formats: Vec<Format_>,
    base: Option<usize>,
    style: Option<String>,
}

const NO_FORMAT: usize = usize::MAX;

impl PartWalker<'_, '_, '_> {
    /// Walks tokens `from..to`, writing the part (with translated paragraphs) to `out` when
    /// rewriting. Returns whether anything changed.
    fn walk(&mut self, from: usize, to: usize, out: &mut String) -> Result<bool, FilterError> {
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
fn next_element(doc: &XmlDoc<'_>, from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&t| matches!(doc.toks[t].kind, TokKind::Start | TokKind::Empty))
}

/// The index of a run formatting, added when new. Formats compare by their properties
/// without language tags, proofing switches and font hints.
fn format_index(formats: &mut Vec<Format_>, run_open: &str, rpr: &str) -> usize {
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
fn element_label(name: &str) -> &'static str {
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

/// Shapes atoms into a tree. With `fields_as_groups`, a field's result is a group between
/// its code and its end; when fields and elements do not nest, call again without, and
/// each field's code and end become placeholders.
fn build_tree(atoms: &[Atom], fields_as_groups: bool) -> Option<Vec<Node>> {
    let mut stack: Vec<Frame> = vec![Frame {
        open: String::new(),
        label: "",
        field: false,
        children: Vec::new(),
    }];
    let mut code: Option<(String, usize)> = None;
    let push = |stack: &mut Vec<Frame>, node: Node| {
        if let Some(top) = stack.last_mut() {
            top.children.push(node);
        }
    };
    for atom in atoms {
        if let Some((collected, depth)) = code.as_mut() {
            match atom {
                Atom::FieldBegin(raw) => {
                    *depth += 1;
                    collected.push_str(raw);
                }
                Atom::FieldEnd(raw) => {
                    *depth -= 1;
                    collected.push_str(raw);
                    if *depth == 0 {
                        let raw = std::mem::take(collected);
                        code = None;
                        push(
                            &mut stack,
                            Node::Ph {
                                raw,
                                label: "field",
                            },
                        );
                    }
                }
                Atom::FieldSep(raw) if *depth == 1 => {
                    collected.push_str(raw);
                    let open = std::mem::take(collected);
                    code = None;
                    if fields_as_groups {
                        stack.push(Frame {
                            open,
                            label: "field",
                            field: true,
                            children: Vec::new(),
                        });
                    } else {
                        push(
                            &mut stack,
                            Node::Ph {
                                raw: open,
                                label: "field",
                            },
                        );
                    }
                }
                Atom::Open { .. } | Atom::Close { .. } => {
                    if fields_as_groups {
                        return None;
                    }
                    let raw = std::mem::take(collected);
                    code = None;
                    push(
                        &mut stack,
                        Node::Ph {
                            raw,
                            label: "field",
                        },
                    );
                    shape_atom(&mut stack, atom, fields_as_groups)?;
                }
                other => collected.push_str(other.raw()),
            }
            continue;
        }
        match atom {
            Atom::FieldBegin(raw) => code = Some((raw.clone(), 1)),
            Atom::FieldEnd(raw) if fields_as_groups => {
                let frame = stack.pop()?;
                if !frame.field || stack.is_empty() {
                    return None;
                }
                push(
                    &mut stack,
                    Node::Group {
                        open: frame.open,
                        close: raw.clone(),
                        label: frame.label,
                        children: frame.children,
                    },
                );
            }
            Atom::FieldEnd(raw) | Atom::FieldSep(raw) | Atom::FieldCode(raw) => {
                if fields_as_groups {
                    return None;
                }
                push(
                    &mut stack,
                    Node::Ph {
                        raw: raw.clone(),
                        label: "field",
                    },
                );
            }
            other => shape_atom(&mut stack, other, fields_as_groups)?,
        }
    }
    if let Some((raw, _)) = code {
        if fields_as_groups {
            return None;
        }
        push(
            &mut stack,
            Node::Ph {
                raw,
                label: "field",
            },
        );
    }
    if stack.len() != 1 {
        return None;
    }
    stack.pop().map(|frame| frame.children)
}

/// A group being built.
struct Frame {
    open: String,
    label: &'static str,
    field: bool,
    children: Vec<Node>,
}

fn shape_atom(stack: &mut Vec<Frame>, atom: &Atom, _fields: bool) -> Option<()> {
    match atom {
        Atom::Text { fmt, text, .. } => stack.last_mut()?.children.push(Node::Text {
            fmt: *fmt,
            text: text.clone(),
        }),
        Atom::Ph { raw, label } => stack.last_mut()?.children.push(Node::Ph {
            raw: raw.clone(),
            label,
        }),
        Atom::Open { raw, label } => stack.push(Frame {
            open: raw.clone(),
            label,
            field: false,
            children: Vec::new(),
        }),
        Atom::Close { raw } => {
            let frame = stack.pop()?;
            if frame.field || stack.is_empty() {
                return None;
            }
            let group = Node::Group {
                open: frame.open,
                close: raw.clone(),
                label: frame.label,
                children: frame.children,
            };
            stack.last_mut()?.children.push(group);
        }
        _ => return None,
    }
    Some(())
}

/// Shapes the tree into content, codes and how to write each code back.
fn shape(
    mut nodes: Vec<Node>,
    formats: Vec<Format_>,
    mut prefix: String,
    style: Option<String>,
) -> ParagraphModel {
    // Placeholders before the first text and after the last (bookmarks, anchors…) stay
    // outside the content.
    let mut suffix_nodes = Vec::new();
    while matches!(nodes.last(), Some(Node::Ph { .. })) {
        suffix_nodes.extend(nodes.pop());
    }
    let mut suffix = String::new();
    for node in suffix_nodes.into_iter().rev() {
        if let Node::Ph { raw, .. } = node {
            suffix.push_str(&raw);
        }
    }
    let leading = nodes
        .iter()
        .take_while(|node| matches!(node, Node::Ph { .. }))
        .count();
    for node in nodes.drain(..leading) {
        if let Node::Ph { raw, .. } = node {
            prefix.push_str(&raw);
        }
    }
    let mut model = ParagraphModel {
        prefix,
        suffix,
        content: Vec::new(),
        codes: Vec::new(),
        renders: HashMap::new(),
        formats,
        base: None,
        style,
    };
    let base = base_format(&nodes);
    model.base = base;
    let mut content = Vec::new();
    emit(&nodes, base, &mut model, &mut content);
    model.content = content;
    model
}

/// The formatting most of the direct text of `nodes` has.
fn base_format(nodes: &[Node]) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for node in nodes {
        if let Node::Text { fmt, text } = node {
            match counts.iter_mut().find(|(f, _)| f == fmt) {
                Some((_, count)) => *count += text.chars().count(),
                None => counts.push((*fmt, text.chars().count())),
            }
        }
    }
    let mut best: Option<(usize, usize)> = None;
    for (fmt, count) in counts {
        if best.is_none_or(|(_, top)| count > top) {
            best = Some((fmt, count));
        }
    }
    best.map(|(fmt, _)| fmt)
}

fn emit(nodes: &[Node], base: Option<usize>, model: &mut ParagraphModel, content: &mut Content) {
    let mut i = 0;
    while i < nodes.len() {
        match &nodes[i] {
            Node::Text { fmt, .. } => {
                let mut text = String::new();
                while let Some(Node::Text {
                    fmt: next,
                    text: more,
                }) = nodes.get(i)
                    && next == fmt
                {
                    text.push_str(more);
                    i += 1;
                }
                if Some(*fmt) == base {
                    push_text(content, &text);
                } else {
                    let id = next_id(model);
                    let format = &model.formats[*fmt];
                    model.codes.push(Code {
                        id,
                        kind: CodeKind::Pair,
                        label: format_label(&format.rpr).to_string(),
                        open_data: format!("{}{}", format.run_open, format.rpr),
                        close_data: "</w:r>".to_string(),
                    });
                    model.renders.insert(id, Render::Format(*fmt));
                    content.push(Item::Open(id));
                    push_text(content, &text);
                    content.push(Item::Close(id));
                }
                continue;
            }
            Node::Ph { raw, label } => {
                let id = next_id(model);
                model.codes.push(Code {
                    id,
                    kind: CodeKind::Placeholder,
                    label: label.to_string(),
                    open_data: raw.clone(),
                    close_data: String::new(),
                });
                model.renders.insert(id, Render::Ph(raw.clone()));
                content.push(Item::Ph(id));
            }
            Node::Group {
                open,
                close,
                label,
                children,
            } => {
                let id = next_id(model);
                let inner_base = base_format(children).or(base);
                model.codes.push(Code {
                    id,
                    kind: CodeKind::Pair,
                    label: label.to_string(),
                    open_data: open.clone(),
                    close_data: close.clone(),
                });
                model.renders.insert(
                    id,
                    Render::Group {
                        open: open.clone(),
                        close: close.clone(),
                        base: inner_base,
                    },
                );
                content.push(Item::Open(id));
                emit(children, inner_base, model, content);
                content.push(Item::Close(id));
            }
        }
        i += 1;
    }
}

fn next_id(model: &ParagraphModel) -> u32 {
    model.codes.len() as u32 + 1
}

/// A short label for a run formatting: `b`, `i`, `u`, `sup`, `sub` or `fmt`.
fn format_label(rpr: &str) -> &'static str {
    let on = |tag: &str| {
        rpr.contains(&format!("<{tag}/>"))
            || rpr.contains(&format!("<{tag} w:val=\"1\"/>"))
            || rpr.contains(&format!("<{tag} w:val=\"true\"/>"))
    };
    if rpr.contains("w:val=\"superscript\"") {
        "sup"
    } else if rpr.contains("w:val=\"subscript\"") {
        "sub"
    } else if on("w:b") {
        "b"
    } else if on("w:i") {
        "i"
    } else if rpr.contains("<w:u ") {
        "u"
    } else {
        "fmt"
    }
}

/// Writes content as runs: text takes the formatting of the innermost code around it.
fn render(model: &ParagraphModel, content: &[Item], out: &mut String) {
    let mut stack: Vec<Option<usize>> = vec![model.base];
    for item in content {
        match item {
            Item::Text(text) => {
                let fmt = stack.last().copied().flatten().unwrap_or(NO_FORMAT);
                write_run(model, fmt, text, out);
            }
            Item::Open(id) => match model.renders.get(id) {
                Some(Render::Format(fmt)) => stack.push(Some(*fmt)),
                Some(Render::Group { open, base, .. }) => {
                    out.push_str(open);
                    let inherited = stack.last().copied().flatten();
                    stack.push(base.or(inherited));
                }
                Some(Render::Ph(raw)) => out.push_str(raw),
                None => {}
            },
            Item::Close(id) => match model.renders.get(id) {
                Some(Render::Format(_)) => {
                    stack.pop();
                }
                Some(Render::Group { close, .. }) => {
                    stack.pop();
                    out.push_str(close);
                }
                _ => {}
            },
            Item::Ph(id) => {
                if let Some(Render::Ph(raw)) = model.renders.get(id) {
                    out.push_str(raw);
                }
            }
        }
        if stack.is_empty() {
            stack.push(model.base);
        }
    }
}

fn write_run(model: &ParagraphModel, fmt: usize, text: &str, out: &mut String) {
    match model.formats.get(fmt) {
        Some(format) => {
            out.push_str(&format.run_open);
            out.push_str(&format.rpr);
        }
        None => out.push_str("<w:r>"),
    }
    out.push_str("<w:t xml:space=\"preserve\">");
    out.push_str(&escape_text(text));
    out.push_str("</w:t></w:r>");
}
