//! Inline content of XLIFF `<source>`/`<target>`: text and codes (1.2 `g`, `x`, `bx`,
//! `ex`, `bpt`, `ept`, `ph`, `it`, `mrk`; 2.x `pc`, `ph`, `sc`, `ec`, `mrk`, `sm`, `em`,
//! `cp`). Paired elements become pairs; the others placeholders whose data is their markup.

use std::collections::{HashMap, HashSet};

use super::local;
use crate::model::{Code, CodeKind, Content, Item, push_text, render_with_codes};
use crate::xmltok::{TokKind, XmlDoc, escape_text};

/// Maps XLIFF code ids to this project's numeric ids, the same for source and target: the
/// n-th code with a given XLIFF id in a target is the n-th in the source (XLIFF 1.2 files
/// repeat ids, as `<x id="1"/><x id="1"/>` for two line breaks).
#[derive(Debug, Default)]
pub struct IdMap {
    by_key: HashMap<String, Vec<u32>>,
    used: HashSet<u32>,
    occurrences: HashMap<String, usize>,
}

impl IdMap {
    fn id(&mut self, key: String, wanted: Option<u32>) -> u32 {
        let occurrence = self.occurrences.entry(key.clone()).or_insert(0);
        let n = *occurrence;
        *occurrence += 1;
        if let Some(&id) = self.by_key.get(&key).and_then(|ids| ids.get(n)) {
            return id;
        }
        let id = match wanted {
            Some(id) if id > 0 && !self.used.contains(&id) => id,
            _ => (1..).find(|id| !self.used.contains(id)).unwrap_or(u32::MAX),
        };
        self.used.insert(id);
        self.by_key.entry(key).or_default().push(id);
        id
    }

    /// Starts reading another element (a target after its source).
    fn restart(&mut self) {
        self.occurrences.clear();
    }
}

/// The content of element `at` (a `<source>` or `<target>`) and its codes.
pub fn read(doc: &XmlDoc<'_>, at: usize, ids: &mut IdMap) -> (Content, Vec<Code>) {
    let mut content = Vec::new();
    let mut codes = Vec::new();
    ids.restart();
    if doc.toks[at].kind == TokKind::Start {
        read_range(doc, at + 1, doc.last(at), ids, &mut content, &mut codes);
    }
    (content, codes)
}

fn read_range(
    doc: &XmlDoc<'_>,
    from: usize,
    to: usize,
    ids: &mut IdMap,
    content: &mut Content,
    codes: &mut Vec<Code>,
) {
    let mut i = from;
    while i < to {
        let tok = &doc.toks[i];
        match tok.kind {
            TokKind::Text => push_text(content, &doc.text(i)),
            TokKind::Start | TokKind::Empty => {
                let name = local(doc.name(i));
                let last = doc.last(i);
                let id_attr = doc
                    .attr(i, "id")
                    .or_else(|| doc.attr(i, "startRef"))
                    .or_else(|| doc.attr(i, "rid"));
                let wanted = id_attr.as_deref().and_then(|id| id.parse().ok());
                match name {
                    "cp" => {
                        let ch = doc
                            .attr(i, "hex")
                            .and_then(|hex| u32::from_str_radix(&hex, 16).ok())
                            .and_then(char::from_u32);
                        if let Some(ch) = ch {
                            push_text(content, ch.encode_utf8(&mut [0; 4]));
                        }
                    }
                    "pc" | "g" | "mrk" => {
                        let key = format!("{name}#{}", id_attr.unwrap_or_else(|| i.to_string()));
                        let id = ids.id(key, wanted);
                        let open_data = doc.raw(i).to_string();
                        let close_data = if tok.kind == TokKind::Start {
                            doc.raw(last).to_string()
                        } else {
                            String::new()
                        };
                        codes.push(Code {
                            id,
                            kind: CodeKind::Pair,
                            label: name.to_string(),
                            open_data,
                            close_data,
                        });
                        content.push(Item::Open(id));
                        if tok.kind == TokKind::Start {
                            read_range(doc, i + 1, last, ids, content, codes);
                        }
                        content.push(Item::Close(id));
                    }
                    _ => {
                        let key = format!("{name}#{}", id_attr.unwrap_or_else(|| i.to_string()));
                        let id = ids.id(key, wanted);
                        codes.push(Code {
                            id,
                            kind: CodeKind::Placeholder,
                            label: name.to_string(),
                            open_data: doc.raw_range(i, last).to_string(),
                            close_data: String::new(),
                        });
                        content.push(Item::Ph(id));
                    }
                }
                i = last;
            }
            _ => {}
        }
        i += 1;
    }
}

/// Content written as XLIFF inline markup, each code as its original markup.
pub fn render(content: &[Item], codes: &[Code]) -> String {
    let mut out = String::new();
    render_with_codes(content, codes, escape_content, &mut out);
    out
}

/// Text escaped for XML, characters XML 1.0 cannot hold written as `<cp hex="…"/>`.
pub fn escape_content(text: &str) -> String {
    if !text.chars().any(not_xml_char) {
        return escape_text(text);
    }
    let mut out = String::new();
    let mut plain = String::new();
    for c in text.chars() {
        if not_xml_char(c) {
            out.push_str(&escape_text(&plain));
            plain.clear();
            out.push_str(&format!("<cp hex=\"{:04X}\"/>", c as u32));
        } else {
            plain.push(c);
        }
    }
    out.push_str(&escape_text(&plain));
    out
}

fn not_xml_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}
