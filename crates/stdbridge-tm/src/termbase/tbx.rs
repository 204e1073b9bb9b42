//! TBX reading (v3 TBX-Basic in DCA and DCT style, v2 `martif` from vendors) and writing
//! (v3 TBX-Basic, DCA style).

use std::io::{self, Write};
use std::path::Path;

use quick_xml::escape::escape;
use stdbridge_text::xml::{XmlError, XmlEvent, XmlReader};

use super::{Concept, LangSection, Term, TermStatus};

/// Elements whose `type` attribute names the data category (DCA style and TBX v2).
const TYPED: [&str; 6] = ["descrip", "termNote", "admin", "xref", "ref", "transacNote"];

/// Reads every concept of a TBX file.
pub fn read(path: &Path) -> Result<Vec<Concept>, XmlError> {
    let mut xml = XmlReader::open(path)?;
    let root = loop {
        match xml.next_event()? {
            XmlEvent::Start(element) => break element,
            XmlEvent::Eof => return Err(xml.error("empty document")),
            _ => {}
        }
    };
    if !matches!(root.local_name(), "tbx" | "martif") {
        return Err(xml.error(format!(
            "not a TBX file: the root element is <{}>, not <tbx> or <martif>",
            root.name
        )));
    }
    let mut concepts = Vec::new();
    let mut concept: Option<Concept> = None;
    let mut section: Option<LangSection> = None;
    let mut term: Option<Term> = None;
    loop {
        match xml.next_event()? {
            XmlEvent::Eof => break,
            XmlEvent::Text(_) => {}
            XmlEvent::End(name) => match name.as_str() {
                "tig" | "ntig" | "termSec" => {
                    if let (Some(mut done), Some(section)) = (term.take(), section.as_mut()) {
                        // Our own export marks forbidden terms with a note.
                        if let Some(at) = done.notes.iter().position(|note| note == "forbidden") {
                            done.notes.remove(at);
                            done.status = TermStatus::Forbidden;
                        }
                        if !done.text.trim().is_empty() {
                            section.terms.push(done);
                        }
                    }
                }
                "langSet" | "langSec" => {
                    if let (Some(done), Some(concept)) = (section.take(), concept.as_mut()) {
                        concept.languages.push(done);
                    }
                }
                "termEntry" | "conceptEntry" => {
                    if let Some(done) = concept.take() {
                        concepts.push(done);
                    }
                }
                _ => {}
            },
            XmlEvent::Start(element) => {
                let local = element.local_name().to_owned();
                match local.as_str() {
                    "termEntry" | "conceptEntry" => {
                        concept = Some(Concept {
                            id: element.attr("id").map(str::to_owned),
                            ..Concept::default()
                        });
                    }
                    "langSet" | "langSec" => {
                        let lang = element
                            .attr("xml:lang")
                            .or_else(|| element.attr("lang"))
                            .unwrap_or("")
                            .to_owned();
                        if lang.is_empty() {
                            return Err(xml.error(format!("<{}> without xml:lang", element.name)));
                        }
                        section = Some(LangSection {
                            lang,
                            ..LangSection::default()
                        });
                    }
                    "tig" | "ntig" | "termSec" => term = Some(Term::default()),
                    "term" => {
                        let text = xml.text_until_end()?;
                        match term.as_mut() {
                            Some(term) => term.text = text.trim().to_owned(),
                            // A bare <term> in a langSet (some vendor files).
                            None => {
                                if let Some(section) = section.as_mut() {
                                    section.terms.push(Term {
                                        text: text.trim().to_owned(),
                                        ..Term::default()
                                    });
                                }
                            }
                        }
                    }
                    "martifHeader" | "tbxHeader" | "transacGrp" | "back" => xml.skip_element()?,
                    "note" => {
                        let text = xml.text_until_end()?;
                        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        if let Some(term) = term.as_mut() {
                            term.notes.push(text);
                        } else if let Some(section) = section.as_mut() {
                            section.notes.push(text);
                        } else if let Some(concept) = concept.as_mut() {
                            concept.notes.push(text);
                        }
                    }
                    _ if concept.is_some() && is_data_category(&element.name, &local) => {
                        let category = if TYPED.contains(&local.as_str()) {
                            element.attr("type").unwrap_or(&local).to_owned()
                        } else {
                            local.clone()
                        };
                        let value = xml.text_until_end()?;
                        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
                        assign(
                            &category,
                            value,
                            concept.as_mut(),
                            section.as_mut(),
                            term.as_mut(),
                        );
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(concepts)
}

/// Whether an element carries a data category: a typed DCA element, or a DCT element
/// (a namespace prefix such as `basic:` or `min:`).
fn is_data_category(name: &str, local: &str) -> bool {
    TYPED.contains(&local) || name.contains(':') && !name.starts_with("xml:")
}

fn assign(
    category: &str,
    value: String,
    concept: Option<&mut Concept>,
    section: Option<&mut LangSection>,
    term: Option<&mut Term>,
) {
    if let Some(term) = term {
        match category {
            "partOfSpeech" => term.part_of_speech = Some(value),
            "administrativeStatus" | "normativeAuthorization" => {
                term.status = TermStatus::parse(&value);
            }
            "termType" => term.term_type = Some(value),
            "context" => term.context = Some(value),
            "source" => term.source = Some(value),
            _ => term.extra.push((category.to_owned(), value)),
        }
        return;
    }
    if let Some(section) = section {
        match category {
            "definition" => section.definition = Some(value),
            "source" => section.source = Some(value),
            _ => section.extra.push((category.to_owned(), value)),
        }
        return;
    }
    if let Some(concept) = concept {
        match category {
            "subjectField" => concept.subject_field = Some(value),
            "definition" => concept.definition = Some(value),
            _ => concept.extra.push((category.to_owned(), value)),
        }
    }
}

/// Writes concepts as a TBX v3 TBX-Basic document in DCA style.
pub fn write<W: Write>(mut out: W, title: &str, concepts: &[Concept]) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">"#
    )?;
    writeln!(
        out,
        "  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n        <p>{}</p>\n      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>",
        escape(format!("stdbridge termbase {title}").as_str())
    )?;
    writeln!(out, "  <text>\n    <body>")?;
    for (number, concept) in concepts.iter().enumerate() {
        let id = concept
            .id
            .clone()
            .unwrap_or_else(|| format!("c{}", number + 1));
        writeln!(out, "      <conceptEntry id=\"{}\">", escape(id.as_str()))?;
        let pad = "        ";
        if let Some(subject) = &concept.subject_field {
            typed(&mut out, pad, "descrip", "subjectField", subject)?;
        }
        if let Some(definition) = &concept.definition {
            typed(&mut out, pad, "descrip", "definition", definition)?;
        }
        extra(&mut out, pad, &concept.extra)?;
        notes(&mut out, pad, &concept.notes)?;
        for section in &concept.languages {
            writeln!(
                out,
                "        <langSec xml:lang=\"{}\">",
                escape(section.lang.as_str())
            )?;
            let pad = "          ";
            if let Some(definition) = &section.definition {
                if let Some(source) = &section.source {
                    writeln!(out, "{pad}<descripGrp>")?;
                    typed(
                        &mut out,
                        "            ",
                        "descrip",
                        "definition",
                        definition,
                    )?;
                    typed(&mut out, "            ", "admin", "source", source)?;
                    writeln!(out, "{pad}</descripGrp>")?;
                } else {
                    typed(&mut out, pad, "descrip", "definition", definition)?;
                }
            }
            extra(&mut out, pad, &section.extra)?;
            notes(&mut out, pad, &section.notes)?;
            for term in &section.terms {
                writeln!(out, "          <termSec>")?;
                let pad = "            ";
                writeln!(out, "{pad}<term>{}</term>", escape(term.text.as_str()))?;
                if let Some(pos) = &term.part_of_speech {
                    typed(&mut out, pad, "termNote", "partOfSpeech", pos)?;
                }
                typed(
                    &mut out,
                    pad,
                    "termNote",
                    "administrativeStatus",
                    term.status.tbx_value(),
                )?;
                if term.status == TermStatus::Forbidden {
                    writeln!(out, "{pad}<note>forbidden</note>")?;
                }
                if let Some(kind) = &term.term_type {
                    typed(&mut out, pad, "termNote", "termType", kind)?;
                }
                if let Some(context) = &term.context {
                    typed(&mut out, pad, "descrip", "context", context)?;
                }
                if let Some(source) = &term.source {
                    typed(&mut out, pad, "admin", "source", source)?;
                }
                extra(&mut out, pad, &term.extra)?;
                notes(&mut out, pad, &term.notes)?;
                writeln!(out, "          </termSec>")?;
            }
            writeln!(out, "        </langSec>")?;
        }
        writeln!(out, "      </conceptEntry>")?;
    }
    writeln!(out, "    </body>\n  </text>\n</tbx>")?;
    out.flush()
}

fn typed<W: Write>(
    out: &mut W,
    pad: &str,
    element: &str,
    kind: &str,
    value: &str,
) -> io::Result<()> {
    writeln!(
        out,
        "{pad}<{element} type=\"{}\">{}</{element}>",
        escape(kind),
        escape(value)
    )
}

fn extra<W: Write>(out: &mut W, pad: &str, fields: &[(String, String)]) -> io::Result<()> {
    for (kind, value) in fields {
        typed(out, pad, "admin", kind, value)?;
    }
    Ok(())
}

fn notes<W: Write>(out: &mut W, pad: &str, notes: &[String]) -> io::Result<()> {
    for note in notes {
        if note == "forbidden" {
            continue;
        }
        writeln!(out, "{pad}<note>{}</note>", escape(note.as_str()))?;
    }
    Ok(())
}
