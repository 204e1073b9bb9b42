//! A small element tree with resolved namespaces, for validating XLIFF.

use std::collections::HashMap;

use quick_xml::events::attributes::Attributes;

use crate::error::FilterError;
use crate::xmltok::{TokKind, XmlDoc, decode_text};

/// The XML namespace.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// An attribute with its namespace resolved.
#[derive(Debug, Clone)]
pub struct Attr {
    /// As written (`xml:lang`, `fs:fs`, `id`).
    pub name: String,
    /// Namespace URI; empty for unprefixed attributes.
    pub ns: String,
    /// Local name.
    pub local: String,
    /// Value, unescaped.
    pub value: String,
}

/// An element.
#[derive(Debug, Clone)]
pub struct El {
    /// Namespace URI.
    pub ns: String,
    /// Local name.
    pub local: String,
    /// Attributes other than namespace declarations.
    pub attrs: Vec<Attr>,
    /// Children in order.
    pub children: Vec<Node>,
    /// 1-based line of its start tag.
    pub line: u64,
}

/// A child: element or text.
#[derive(Debug, Clone)]
pub enum Node {
    /// An element.
    El(El),
    /// Text.
    Text(String),
}

impl El {
    /// The unprefixed attribute `local`.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is_empty() && a.local == local)
            .map(|a| a.value.as_str())
    }

    /// The `xml:` attribute `local`.
    pub fn xml_attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns == XML_NS && a.local == local)
            .map(|a| a.value.as_str())
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &El> {
        self.children.iter().filter_map(|c| match c {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Child elements in namespace `ns` named `local`.
    pub fn children_named<'a>(
        &'a self,
        ns: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = &'a El> {
        self.elements()
            .filter(move |e| e.ns == ns && e.local == local)
    }

    /// Whether it has text other than white space.
    pub fn has_text(&self) -> bool {
        self.children
            .iter()
            .any(|c| matches!(c, Node::Text(t) if !t.trim().is_empty()))
    }
}

/// Builds the tree of a tokenized document.
pub fn build(doc: &XmlDoc<'_>, name: &str) -> Result<El, FilterError> {
    let root = (0..doc.toks.len())
        .find(|&i| matches!(doc.toks[i].kind, TokKind::Start | TokKind::Empty))
        .ok_or_else(|| FilterError::invalid(name, "no root element"))?;
    let mut scopes: Vec<HashMap<String, String>> =
        vec![HashMap::from([("xml".to_string(), XML_NS.to_string())])];
    element(doc, root, name, &mut scopes)
}

fn element(
    doc: &XmlDoc<'_>,
    at: usize,
    name: &str,
    scopes: &mut Vec<HashMap<String, String>>,
) -> Result<El, FilterError> {
    let raw = doc.raw(at);
    let line = doc.line(doc.toks[at].span.start);
    let qname = doc.name(at);
    let inner = raw
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let attr_text = &inner[qname.len().min(inner.len())..];
    let mut declared = HashMap::new();
    let mut raw_attrs = Vec::new();
    for attribute in Attributes::new(attr_text, 0) {
        let attribute =
            attribute.map_err(|e| FilterError::xml(name, line, format!("attribute: {e}")))?;
        let key: &str = attribute.key.as_ref();
        let key = key.to_string();
        let raw_value: &str = attribute.value.as_ref();
        let value = decode_text(raw_value);
        if key == "xmlns" {
            declared.insert(String::new(), value);
        } else if let Some(prefix) = key.strip_prefix("xmlns:") {
            declared.insert(prefix.to_string(), value);
        } else {
            raw_attrs.push((key, value));
        }
    }
    scopes.push(declared);
    let resolve = |prefix: &str, scopes: &[HashMap<String, String>]| -> Option<String> {
        scopes.iter().rev().find_map(|s| s.get(prefix).cloned())
    };
    let (prefix, local) = match qname.split_once(':') {
        Some((p, l)) => (p, l),
        None => ("", qname),
    };
    let ns = match resolve(prefix, scopes) {
        Some(ns) => ns,
        None if prefix.is_empty() => String::new(),
        None => {
            return Err(FilterError::xml(
                name,
                line,
                format!("undeclared namespace prefix {prefix:?}"),
            ));
        }
    };
    let mut attrs = Vec::new();
    for (key, value) in raw_attrs {
        let (attr_ns, attr_local) = match key.split_once(':') {
            Some((p, l)) => (
                resolve(p, scopes).ok_or_else(|| {
                    FilterError::xml(name, line, format!("undeclared namespace prefix {p:?}"))
                })?,
                l.to_string(),
            ),
            None => (String::new(), key.clone()),
        };
        attrs.push(Attr {
            name: key,
            ns: attr_ns,
            local: attr_local,
            value,
        });
    }
    let mut children = Vec::new();
    if doc.toks[at].kind == TokKind::Start {
        let last = doc.last(at);
        let mut i = at + 1;
        while i < last {
            match doc.toks[i].kind {
                TokKind::Text => {
                    let text = doc.text(i);
                    match children.last_mut() {
                        Some(Node::Text(t)) => t.push_str(&text),
                        _ => children.push(Node::Text(text)),
                    }
                    i += 1;
                }
                TokKind::Start | TokKind::Empty => {
                    children.push(Node::El(element(doc, i, name, scopes)?));
                    i = doc.last(i) + 1;
                }
                _ => i += 1,
            }
        }
    }
    scopes.pop();
    Ok(El {
        ns,
        local: local.to_string(),
        attrs,
        children,
        line,
    })
}
