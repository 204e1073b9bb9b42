//! The streaming TMX reader.

use std::path::Path;

use stdbridge_text::xml::{Element, XmlError, XmlEvent, XmlReader};

use super::Header;
use crate::unit::{Inline, InlineTag, Note, Prop, Segment, Unit, Variant};

/// Elements allowed inside a segment (TMX 1.4b level 2).
const INLINE_ELEMENTS: [&str; 7] = ["bpt", "ept", "ph", "it", "hi", "ut", "sub"];

/// What the reader gives for each `tu`.
#[derive(Debug)]
pub enum TmxItem {
    /// A unit, and the line where it starts.
    Unit(Unit, u64),
    /// A unit that cannot be used, with the line and the reason (the rest of the file is
    /// still read).
    Rejected(u64, String),
}

/// Reads a TMX file one unit at a time.
pub struct TmxReader {
    xml: XmlReader,
    header: Header,
    version: String,
    done: bool,
}

impl TmxReader {
    /// Opens a TMX file (`.gz` is decompressed) and reads up to its body.
    pub fn open(path: &Path) -> Result<TmxReader, XmlError> {
        Self::start(XmlReader::open(path)?)
    }

    /// Reads TMX from a string; `name` names it in errors.
    pub fn from_str(text: &str, name: &str) -> Result<TmxReader, XmlError> {
        let xml = XmlReader::from_reader(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            Path::new(name),
        )?;
        Self::start(xml)
    }

    fn start(mut xml: XmlReader) -> Result<TmxReader, XmlError> {
        let root = loop {
            match xml.next_event()? {
                XmlEvent::Start(element) => break element,
                XmlEvent::Text(_) | XmlEvent::End(_) => {}
                XmlEvent::Eof => return Err(xml.error("empty document: no <tmx> element")),
            }
        };
        if root.local_name() != "tmx" {
            return Err(xml.error(format!(
                "not a TMX file: the root element is <{}>, not <tmx>",
                root.name
            )));
        }
        let version = root.attr("version").unwrap_or("").to_owned();
        let mut reader = TmxReader {
            xml,
            header: Header::default(),
            version,
            done: false,
        };
        reader.read_to_body()?;
        Ok(reader)
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The TMX version the file declares.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The line the reader is on.
    pub fn line(&self) -> u64 {
        self.xml.line()
    }

    fn read_to_body(&mut self) -> Result<(), XmlError> {
        loop {
            match self.xml.next_event()? {
                XmlEvent::Start(element) => match element.local_name() {
                    "header" => self.read_header(&element)?,
                    "body" => return Ok(()),
                    other => {
                        return Err(self.xml.error(format!(
                            "unexpected <{other}> in <tmx> (expected <header> and <body>)"
                        )));
                    }
                },
                XmlEvent::Text(_) => {}
                XmlEvent::End(_) | XmlEvent::Eof => {
                    self.done = true;
                    return Ok(());
                }
            }
        }
    }

    fn read_header(&mut self, element: &Element) -> Result<(), XmlError> {
        self.header.attributes = element.attributes.clone();
        loop {
            match self.xml.next_event()? {
                XmlEvent::Start(child) => match child.local_name() {
                    "prop" => {
                        let prop = read_prop(&mut self.xml, &child)?;
                        self.header.props.push(prop);
                    }
                    "note" => {
                        let note = read_note(&mut self.xml, &child)?;
                        self.header.notes.push(note);
                    }
                    _ => self.xml.skip_element()?,
                },
                XmlEvent::End(_) => return Ok(()),
                XmlEvent::Text(_) => {}
                XmlEvent::Eof => return Err(self.xml.error("the file ends inside <header>")),
            }
        }
    }

    /// The next unit, or `None` at the end of the body.
    pub fn next_item(&mut self) -> Result<Option<TmxItem>, XmlError> {
        if self.done {
            return Ok(None);
        }
        loop {
            match self.xml.next_event()? {
                XmlEvent::Start(element) if element.local_name() == "tu" => {
                    let line = self.xml.line();
                    return self.read_unit(&element, line).map(Some);
                }
                XmlEvent::Start(element) => {
                    return Err(self.xml.error(format!(
                        "unexpected <{}> in <body> (only <tu> belongs there)",
                        element.name
                    )));
                }
                XmlEvent::Text(_) => {}
                XmlEvent::End(_) => {
                    // </body>; what follows is </tmx>, read to the end to check it.
                    self.done = true;
                    while !matches!(self.xml.next_event()?, XmlEvent::Eof) {}
                    return Ok(None);
                }
                XmlEvent::Eof => return Err(self.xml.error("the file ends inside <body>")),
            }
        }
    }

    fn read_unit(&mut self, element: &Element, line: u64) -> Result<TmxItem, XmlError> {
        let mut unit = Unit {
            attributes: element.attributes.clone(),
            ..Unit::default()
        };
        let mut problems: Vec<String> = Vec::new();
        loop {
            match self.xml.next_event()? {
                XmlEvent::Start(child) => match child.local_name() {
                    "prop" => unit.props.push(read_prop(&mut self.xml, &child)?),
                    "note" => unit.notes.push(read_note(&mut self.xml, &child)?),
                    "tuv" => {
                        let tuv_line = self.xml.line();
                        match self.read_variant(&child)? {
                            Ok(variant) => unit.variants.push(variant),
                            Err(problem) => problems.push(format!("line {tuv_line}: {problem}")),
                        }
                    }
                    other => {
                        problems.push(format!("unexpected <{other}> in <tu>"));
                        self.xml.skip_element()?;
                    }
                },
                XmlEvent::Text(_) => {}
                XmlEvent::End(_) => break,
                XmlEvent::Eof => return Err(self.xml.error("the file ends inside <tu>")),
            }
        }
        if !problems.is_empty() {
            return Ok(TmxItem::Rejected(line, problems.join("; ")));
        }
        if unit.variants.is_empty() {
            return Ok(TmxItem::Rejected(line, "a <tu> without any <tuv>".into()));
        }
        Ok(TmxItem::Unit(unit, line))
    }

    fn read_variant(&mut self, element: &Element) -> Result<Result<Variant, String>, XmlError> {
        let lang = element
            .attr("xml:lang")
            .or_else(|| element.attr("lang"))
            .map(str::to_owned);
        let attributes: Vec<(String, String)> = element
            .attributes
            .iter()
            .filter(|(key, _)| key != "xml:lang" && key != "lang")
            .cloned()
            .collect();
        let mut props = Vec::new();
        let mut notes = Vec::new();
        let mut seg: Option<Segment> = None;
        let mut problem: Option<String> = None;
        loop {
            match self.xml.next_event()? {
                XmlEvent::Start(child) => match child.local_name() {
                    "prop" => props.push(read_prop(&mut self.xml, &child)?),
                    "note" => notes.push(read_note(&mut self.xml, &child)?),
                    "seg" => match read_inline(&mut self.xml)? {
                        Ok(content) => seg = Some(Segment(content)),
                        Err(bad) => {
                            problem = Some(bad);
                        }
                    },
                    other => {
                        problem = Some(format!("unexpected <{other}> in <tuv>"));
                        self.xml.skip_element()?;
                    }
                },
                XmlEvent::Text(_) => {}
                XmlEvent::End(_) => break,
                XmlEvent::Eof => return Err(self.xml.error("the file ends inside <tuv>")),
            }
        }
        if let Some(problem) = problem {
            return Ok(Err(problem));
        }
        let Some(lang) = lang.filter(|lang| !lang.trim().is_empty()) else {
            return Ok(Err("a <tuv> without xml:lang".into()));
        };
        let Some(seg) = seg else {
            return Ok(Err(format!("the <tuv> for {lang} has no <seg>")));
        };
        if let Err(problem) = check_pairs(&seg) {
            return Ok(Err(format!("the <seg> for {lang}: {problem}")));
        }
        Ok(Ok(Variant {
            lang,
            attributes,
            props,
            notes,
            seg,
        }))
    }
}

/// Reads mixed content up to the end of the current element. An element that TMX does
/// not allow in a segment makes the unit unusable (the reason is returned), but reading
/// goes on.
fn read_inline(xml: &mut XmlReader) -> Result<Result<Vec<Inline>, String>, XmlError> {
    let mut content: Vec<Inline> = Vec::new();
    let mut problem: Option<String> = None;
    loop {
        match xml.next_event()? {
            XmlEvent::Text(text) => match content.last_mut() {
                Some(Inline::Text(last)) => last.push_str(&text),
                _ => content.push(Inline::Text(text)),
            },
            XmlEvent::Start(element) => {
                let kind = element.local_name().to_owned();
                if !INLINE_ELEMENTS.contains(&kind.as_str()) {
                    problem
                        .get_or_insert(format!("<{}> is not allowed in a segment", element.name));
                }
                match read_inline(xml)? {
                    Ok(inner) => content.push(Inline::Tag(InlineTag {
                        kind,
                        attributes: element.attributes.clone(),
                        content: inner,
                    })),
                    Err(inner_problem) => {
                        problem.get_or_insert(inner_problem);
                    }
                }
            }
            XmlEvent::End(_) => break,
            XmlEvent::Eof => return Err(xml.error("the file ends inside a segment")),
        }
    }
    Ok(match problem {
        Some(problem) => Err(problem),
        None => Ok(content),
    })
}

/// Checks that every `<bpt>` is closed by one `<ept>` with the same `i` after it, and every
/// `<ept>` closes an open `<bpt>` (TMX 1.4b, level 2).
fn check_pairs(segment: &Segment) -> Result<(), String> {
    let mut open: Vec<&str> = Vec::new();
    for tag in segment.tags() {
        let id = tag.attr("i");
        match (tag.kind.as_str(), id) {
            ("bpt" | "ept", None) => {
                return Err(format!(
                    "<{}> without the i attribute that pairs it",
                    tag.kind
                ));
            }
            ("bpt", Some(id)) => {
                if open.contains(&id) {
                    return Err(format!("two <bpt i=\"{id}\"> are open at once"));
                }
                open.push(id);
            }
            ("ept", Some(id)) => match open.iter().position(|o| *o == id) {
                Some(at) => {
                    open.remove(at);
                }
                None => return Err(format!("<ept i=\"{id}\"> closes no <bpt> before it")),
            },
            _ => {}
        }
    }
    match open.first() {
        Some(id) => Err(format!("<bpt i=\"{id}\"> is never closed by an <ept>")),
        None => Ok(()),
    }
}

fn read_prop(xml: &mut XmlReader, element: &Element) -> Result<Prop, XmlError> {
    let kind = element.attr("type").unwrap_or("").to_owned();
    let attributes = element
        .attributes
        .iter()
        .filter(|(key, _)| key != "type")
        .cloned()
        .collect();
    let value = xml.text_until_end()?;
    Ok(Prop {
        kind,
        attributes,
        value,
    })
}

fn read_note(xml: &mut XmlReader, element: &Element) -> Result<Note, XmlError> {
    Ok(Note {
        attributes: element.attributes.clone(),
        text: xml.text_until_end()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext">
  <prop type="x-project">P</prop>
</header>
<body>
  <tu tuid="1" creationdate="20240101T000000Z">
    <prop type="x-domain">containers</prop>
    <tuv xml:lang="en"><seg>The <bpt i="1">&lt;b&gt;</bpt>freight<ept i="1">&lt;/b&gt;</ept> container &amp; more</seg></tuv>
    <tuv xml:lang="zh-CN"><seg><bpt i="1">&lt;b&gt;</bpt>集装箱<ept i="1">&lt;/b&gt;</ept></seg></tuv>
  </tu>
  <tu>
    <tuv><seg>no language</seg></tuv>
  </tu>
</body>
</tmx>"#;

    #[test]
    fn units_come_with_codes_props_and_lines() {
        let mut reader = TmxReader::from_str(SAMPLE, "t.tmx").expect("opens");
        assert_eq!(reader.header().attr("srclang"), Some("en"));
        assert_eq!(reader.header().props.len(), 1);
        let Some(TmxItem::Unit(unit, line)) = reader.next_item().expect("reads") else {
            panic!("expected a unit");
        };
        assert_eq!(line, 7);
        assert_eq!(unit.prop("x-domain"), Some("containers"));
        let en = unit.variant("en").expect("en");
        assert_eq!(en.seg.plain(), "The freight container & more");
        assert_eq!(en.seg.tags().len(), 2);
        assert!(matches!(
            reader.next_item(),
            Ok(Some(TmxItem::Rejected(12, _)))
        ));
        assert!(reader.next_item().expect("end").is_none());
    }

    #[test]
    fn unpaired_codes_make_the_unit_unusable() {
        let text = r#"<tmx version="1.4"><header/><body>
<tu><tuv xml:lang="en"><seg><ept i="1">b</ept>x<bpt i="1">a</bpt></seg></tuv></tu>
<tu><tuv xml:lang="en"><seg><bpt i="2">a</bpt>x</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg><bpt i="3">a</bpt>x<ept i="3">b</ept></seg></tuv></tu>
</body></tmx>"#;
        let mut reader = TmxReader::from_str(text, "p.tmx").expect("opens");
        let mut outcomes = Vec::new();
        while let Some(item) = reader.next_item().expect("reads") {
            outcomes.push(match item {
                TmxItem::Unit(..) => "ok".to_owned(),
                TmxItem::Rejected(_, reason) => reason,
            });
        }
        assert!(outcomes[0].contains("closes no <bpt>"), "{outcomes:?}");
        assert!(outcomes[1].contains("never closed"), "{outcomes:?}");
        assert_eq!(outcomes[2], "ok");
    }

    #[test]
    fn an_unclosed_element_is_an_error_with_its_line() {
        let broken = SAMPLE.replace("</tu>\n  <tu>", "\n  <tu>");
        let mut reader = TmxReader::from_str(&broken, "t.tmx").expect("opens");
        let error = loop {
            match reader.next_item() {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("the broken file was accepted"),
                Err(error) => break error,
            }
        };
        assert!(error.to_string().starts_with("t.tmx:"), "{error}");
    }
}
