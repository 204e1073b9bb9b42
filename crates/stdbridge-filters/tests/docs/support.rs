//! Builds DOCX packages for the tests and compares their XML parts.

use std::io::{Cursor, Read};

use stdbridge_filters::docx::format_key;
use stdbridge_filters::xmltok::{TokKind, XmlDoc};
use stdbridge_filters::{Content, FilterOptions, Format, TextUnit, extract, filter_for, merge};
use stdbridge_text::Segmenter;

/// A DOCX whose body is `body`, with footnotes when given.
pub fn docx(body: &str, footnotes: Option<&str>) -> Vec<u8> {
    stdbridge_filters::docx_build::package(body, footnotes).expect("builds a package")
}

/// The text of a part of a package.
pub fn part(package: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(package)).expect("zip");
    let mut entry = archive.by_name(name).expect("part");
    let mut text = String::new();
    entry.read_to_string(&mut text).expect("utf-8");
    text
}

/// The names of the entries of a package.
pub fn entries(package: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(Cursor::new(package)).expect("zip");
    archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect()
}

/// The units of a document.
pub fn units(format: Format, bytes: &[u8], lang: &str) -> Vec<TextUnit> {
    let filter = filter_for(format, FilterOptions::default());
    extract(
        filter.as_ref(),
        bytes,
        "test",
        &Segmenter::for_language(lang),
    )
    .expect("extracts")
}

/// The document merged with `translate` applied to every segment.
pub fn merged(
    format: Format,
    bytes: &[u8],
    lang: &str,
    translate: &dyn Fn(&Content) -> Content,
) -> Vec<u8> {
    let filter = filter_for(format, FilterOptions::default());
    let mut targets = |unit: &TextUnit| unit.segments().map(|s| Some(translate(s))).collect();
    merge(
        filter.as_ref(),
        bytes,
        "test",
        &Segmenter::for_language(lang),
        "en",
        false,
        &mut targets,
    )
    .expect("merges")
}

/// A WordprocessingML part reduced to what a reader sees: elements with their attributes
/// (runs and their properties left out), and text as `[formatting]text` with adjacent text
/// of the same formatting joined. Language tags, proofing marks, revision ids on runs and
/// rendered page breaks are left out, as the filter leaves them out.
pub fn canonical(xml: &str) -> String {
    canonical_with(xml, &|text| text.to_string())
}

/// [`canonical`] with each text piece passed through `text`.
pub fn canonical_with(xml: &str, text: &dyn Fn(&str) -> String) -> String {
    let doc = XmlDoc::parse(xml, "part").expect("well formed");
    let mut out = String::new();
    let mut pending = String::new();
    let mut pending_format = String::new();
    let mut format = String::new();
    let mut i = 0;
    let flush = |out: &mut String, pending: &mut String, pending_format: &str| {
        if !pending.is_empty() {
            out.push_str(&format!("[{pending_format}]{}\n", text(pending)));
            pending.clear();
        }
    };
    while i < doc.toks.len() {
        let tok = &doc.toks[i];
        match tok.kind {
            TokKind::Start | TokKind::Empty => match doc.name(i) {
                "w:rPr" => {
                    format = format_key(doc.raw_range(i, doc.last(i)));
                    i = doc.last(i);
                }
                "w:r" => format.clear(),
                "w:proofErr" | "w:lastRenderedPageBreak" => {}
                "w:t" => {
                    let t: String = (i + 1..doc.last(i))
                        .filter(|&k| doc.toks[k].kind == TokKind::Text)
                        .map(|k| doc.text(k))
                        .collect();
                    if pending_format != format {
                        flush(&mut out, &mut pending, &pending_format);
                        pending_format = format.clone();
                    }
                    pending.push_str(&t);
                    i = doc.last(i);
                }
                _ => {
                    flush(&mut out, &mut pending, &pending_format);
                    out.push_str(&format!(
                        "<{}>\n",
                        doc.raw(i)
                            .trim_start_matches('<')
                            .trim_end_matches('>')
                            .trim_end_matches('/')
                    ));
                }
            },
            TokKind::End => {
                let name = doc.name(i);
                if !matches!(name, "w:r" | "w:t") {
                    flush(&mut out, &mut pending, &pending_format);
                    out.push_str(&format!("</{name}>\n"));
                }
            }
            _ => {}
        }
        i += 1;
    }
    flush(&mut out, &mut pending, &pending_format);
    out
}
