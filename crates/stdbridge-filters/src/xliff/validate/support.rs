//! What the areas of validation share: the ids of a file, a unit's context, inherited
//! `xml:lang`/`xml:space`, and small helpers.

use std::collections::HashSet;

use crate::xliff::dom::El;

#[derive(Default)]
pub(super) struct FileIds {
    pub(super) units: HashSet<String>,
    pub(super) groups: HashSet<String>,
    pub(super) units_all: HashSet<String>,
}

pub(super) struct UnitContext<'c> {
    pub(super) data_ids: Option<&'c HashSet<String>>,
    pub(super) note_ids: &'c HashSet<String>,
    pub(super) unit_ids: &'c HashSet<String>,
}

/// `xml:lang` and `xml:space` as inherited from the elements above.
#[derive(Debug, Clone, Default)]
pub(super) struct Inherited {
    pub(super) lang: Option<String>,
    pub(super) space: Option<String>,
}

impl Inherited {
    pub(super) fn under(&self, el: &El) -> Inherited {
        Inherited {
            lang: el
                .xml_attr("lang")
                .map(str::to_string)
                .or_else(|| self.lang.clone()),
            space: el
                .xml_attr("space")
                .map(str::to_string)
                .or_else(|| self.space.clone()),
        }
    }
}

pub(super) fn collect_unit_ids(el: &El, core: &str, out: &mut HashSet<String>) {
    for child in el.elements().filter(|c| c.ns == core) {
        match child.local.as_str() {
            "unit" => {
                if let Some(id) = child.attr("id") {
                    out.insert(id.to_string());
                }
            }
            "group" => collect_unit_ids(child, core, out),
            _ => {}
        }
    }
}

/// The note id of a fragment that points at a note of the current unit: `n=ID` or
/// `/f=…/u=…/n=ID`.
pub(super) fn note_of_unit(fragment: &str) -> Option<&str> {
    let body = fragment.strip_prefix('/').unwrap_or(fragment);
    let parts: Vec<&str> = body.split('/').collect();
    let last = parts.last()?.strip_prefix("n=")?;
    let outer_ok = parts[..parts.len() - 1].iter().any(|p| p.starts_with("u=")) || parts.len() == 1;
    outer_ok.then_some(last)
}

/// A code's identity for matching source and target: kind and id.
pub(super) fn code_key(code: &El) -> Option<(&str, &str)> {
    let kind = code.local.as_str();
    code.attr("id")
        .or_else(|| code.attr("startRef"))
        .map(|id| (kind, id))
}

/// The codes of inline content as events (`ph:1`, `pc:1`, `/pc:1`) with their
/// canReorder value; a closing `pc` counts as `no`.
pub(super) fn code_events(el: &El) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for child in el.elements() {
        let id = child
            .attr("id")
            .or_else(|| child.attr("startRef"))
            .unwrap_or("");
        let reorder = child.attr("canReorder").unwrap_or("yes").to_string();
        match child.local.as_str() {
            "pc" => {
                out.push((format!("pc:{id}"), reorder.clone()));
                out.extend(code_events(child));
                let end = if reorder == "yes" { "yes" } else { "no" };
                out.push((format!("/pc:{id}"), end.to_string()));
            }
            "mrk" => out.extend(code_events(child)),
            "ph" | "sc" | "ec" => out.push((format!("{}:{id}", child.local), reorder)),
            _ => {}
        }
    }
    out
}

pub(super) fn is_nmtoken(value: &str) -> bool {
    !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '\u{b7}'))
}

/// Element names the Format Style module's `fs:fs` accepts (HTML 4/5).
pub(super) const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "command",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "keygen",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "menu",
    "meta",
    "meter",
    "nav",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];
