//! Segments as tagged text for engines that take text: codes as `<g id="N">…</g>` and
//! `<x id="N"/>`, required terms (when substituted) as `<t id="K"/>`; and back. Engines
//! that keep XML tags (DeepL with `tag_handling=xml`, LibreTranslate with `format=html`,
//! an LLM told to) return them; HTML-minded engines may write `<x id="1"></x>`, which
//! reads the same.

use stdbridge_content::model::push_text;
use stdbridge_content::{Content, Item};

use crate::engine::TermConstraint;

/// A segment as tagged text; with `substitute`, each required term found in its text is
/// replaced by a `<t id="K"/>` placeholder (K indexes `terms`).
pub fn to_tagged(content: &[Item], terms: &[TermConstraint], substitute: bool) -> String {
    let mut out = String::new();
    for item in content {
        match item {
            Item::Text(text) if substitute => out.push_str(&substitute_terms(text, terms)),
            Item::Text(text) => out.push_str(&escape(text)),
            Item::Open(id) => out.push_str(&format!("<g id=\"{id}\">")),
            Item::Close(_) => out.push_str("</g>"),
            Item::Ph(id) => out.push_str(&format!("<x id=\"{id}\"/>")),
        }
    }
    out
}

/// Text with each required term replaced by its placeholder, longest terms first.
fn substitute_terms(text: &str, terms: &[TermConstraint]) -> String {
    let mut order: Vec<usize> = (0..terms.len())
        .filter(|&k| !terms[k].source.is_empty())
        .collect();
    order.sort_by_key(|&k| std::cmp::Reverse(terms[k].source.chars().count()));
    let mut out = String::new();
    let mut rest = text;
    'outer: while !rest.is_empty() {
        for &k in &order {
            if rest.starts_with(terms[k].source.as_str()) {
                out.push_str(&format!("<t id=\"{k}\"/>"));
                rest = &rest[terms[k].source.len()..];
                continue 'outer;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        out.push_str(&escape(c.encode_utf8(&mut [0; 4])));
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Tagged text back into content: codes by id, term placeholders as their target terms,
/// entities decoded. Unknown tags are dropped.
pub fn from_tagged(text: &str, terms: &[TermConstraint]) -> Content {
    let mut content: Content = Vec::new();
    let mut open: Vec<u32> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        push_text(&mut content, &unescape(&rest[..start]));
        let Some(end) = rest[start..].find('>') else {
            push_text(&mut content, &unescape(&rest[start..]));
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or("");
        let id = attribute_id(tag);
        match (name, closing) {
            ("g", false) => {
                if let Some(id) = id.and_then(|i| i.parse().ok()) {
                    open.push(id);
                    content.push(Item::Open(id));
                }
            }
            ("g", true) => {
                if let Some(id) = open.pop() {
                    content.push(Item::Close(id));
                }
            }
            ("x", false) => {
                if let Some(id) = id.and_then(|i| i.parse().ok()) {
                    content.push(Item::Ph(id));
                }
            }
            ("t", false) => {
                if let Some(term) = id
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|k| terms.get(k))
                {
                    push_text(&mut content, &term.target);
                }
            }
            _ => {}
        }
    }
    push_text(&mut content, &unescape(rest));
    for id in open.into_iter().rev() {
        content.push(Item::Close(id));
    }
    content
}

fn attribute_id(tag: &str) -> Option<&str> {
    let at = tag.find("id=")?;
    let value = &tag[at + 3..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        let inner = &value[1..];
        inner.find(quote).map(|end| &inner[..end])
    } else {
        value.split([' ', '/']).next()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use stdbridge_content::model::marked;

    fn terms() -> Vec<TermConstraint> {
        vec![
            TermConstraint {
                source: "集装箱".into(),
                target: "freight container".into(),
                ..Default::default()
            },
            TermConstraint {
                source: "应".into(),
                target: "shall".into(),
                ..Default::default()
            },
        ]
    }

    #[test]
    fn codes_and_terms_go_out_as_tags_and_come_back() {
        let content = vec![
            Item::Text("集装箱".into()),
            Item::Open(1),
            Item::Text("应".into()),
            Item::Close(1),
            Item::Text("符合 A<B。".into()),
            Item::Ph(2),
        ];
        let tagged = to_tagged(&content, &terms(), true);
        assert_eq!(
            tagged,
            "<t id=\"0\"/><g id=\"1\"><t id=\"1\"/></g>符合 A&lt;B。<x id=\"2\"/>"
        );
        let answer = "The <t id=\"0\"></t> <g id=\"1\"><t id=\"1\"/></g> comply with A&lt;B.<x id=\"2\"></x>";
        assert_eq!(
            marked(&from_tagged(answer, &terms())),
            "The freight container {1}shall{/1} comply with A<B.{2/}"
        );
    }
}
