//! Builds DOCX packages for the tests and compares their XML parts.

use std::io::{Cursor, Read, Write};

use stdbridge_filters::xmltok::{TokKind, XmlDoc};
use stdbridge_filters::{Content, FilterOptions, Format, TextUnit, extract, filter_for, merge};
use stdbridge_text::Segmenter;
use zip::write::SimpleFileOptions;

const NAMESPACES: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

/// A DOCX whose body is `body`, with footnotes when given.
pub fn docx(body: &str, footnotes: Option<&str>) -> Vec<u8> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    );
    if footnotes.is_some() {
        types.push_str(r#"<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>"#);
    }
    types.push_str("</Types>");
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let mut doc_rels = String::from(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.iso.org/" TargetMode="External"/>"#);
    if footnotes.is_some() {
        doc_rels.push_str(r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>"#);
    }
    doc_rels.push_str("</Relationships>");
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {NAMESPACES}><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    );
    let mut parts = vec![
        ("[Content_Types].xml", types),
        ("_rels/.rels", rels.to_string()),
        ("word/_rels/document.xml.rels", doc_rels),
        ("word/document.xml", document),
    ];
    if let Some(notes) = footnotes {
        parts.push((
            "word/footnotes.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {NAMESPACES}>{notes}</w:footnotes>"#),
        ));
    }
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        writer.start_file(name, SimpleFileOptions::default()).expect("entry");
        writer.write_all(text.as_bytes()).expect("write");
    }
    writer.finish().expect("zip").into_inner()
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
    archive.file_names().filter_map(|n| n.ok().map(|n| n.to_string())).collect()
}

/// The units of a document.
pub fn units(format: Format, bytes: &[u8], lang: &str) -> Vec<TextUnit> {
    let filter = filter_for(format, FilterOptions::default());
    extract(filter.as_ref(), bytes, "test", &Segmenter::for_language(lang)).expect("extracts")
}

/// The document merged with `translate` applied to every segment.
pub fn merged(format: Format, bytes: &[u8], lang: &str, translate: &dyn Fn(&Content) -> Content) -> Vec<u8> {
    let filter = filter_for(format, FilterOptions::default());
    let mut targets = |unit: &TextUnit| unit.segments().map(|s| Some(translate(s))).collect();
    merge(filter.as_ref(), bytes, "test", &Segmenter::for_language(lang), "en", false, &mut targets).expect("merges")
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
                    let t: String = (i + 1..doc.last(i)).filter(|&k| doc.toks[k].kind == TokKind::Text).map(|k| doc.text(k)).collect();
                    if pending_format != format {
                        flush(&mut out, &mut pending, &pending_format);
                        pending_format = format.clone();
                    }
                    pending.push_str(&t);
                    i = doc.last(i);
                }
                _ => {
                    flush(&mut out, &mut pending, &pending_format);
                    out.push_str(&format!("<{}>\n", doc.raw(i).trim_start_matches('<').trim_end_matches('>').trim_end_matches('/')));
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

fn format_key(rpr: &str) -> String {
    let mut key = rpr.to_string();
    for element in ["<w:lang ", "<w:noProof"] {
        while let Some(start) = key.find(element) {
            let Some(end) = key[start..].find("/>") else { break };
            key.replace_range(start..start + end + 2, "");
        }
    }
    while let Some(start) = key.find(" w:hint=\"") {
        let Some(end) = key[start + 9..].find('"') else { break };
        key.replace_range(start..start + 9 + end + 1, "");
    }
    key = key.replace("<w:rFonts/>", "");
    if key == "<w:rPr></w:rPr>" { String::new() } else { key }
}
