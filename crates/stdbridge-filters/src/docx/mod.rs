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
//!
//! The stages, one module each: `walk` reads a part's XML and cuts each paragraph into
//! atoms (runs of text with their formatting, placeholders, field pieces, wrappers);
//! `tree` nests the atoms into groups (hyperlinks, field results); `shape` turns the tree
//! into content with codes and decides the base formatting; `render` writes translated
//! content back as runs. `model` holds the types they pass along.

use std::collections::HashMap;

mod model;
mod render;
mod shape;
mod tree;
mod walk;

pub use walk::format_key;

use crate::api::{DocumentFilter, Format, TrackedChanges, Visitor};
use crate::error::FilterError;
use crate::package::{Limits, Package};
use crate::xmltok::XmlDoc;
use walk::PartWalker;

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
