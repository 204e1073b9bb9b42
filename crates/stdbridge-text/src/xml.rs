//! Reading XML files that come from outside (TMX, TBX, SRX, XLIFF): the encoding is found
//! from the byte-order mark or the XML declaration and the text is decoded to UTF-8 before
//! parsing; `.gz` files are decompressed on the fly; every error names the file and line.
//!
//! Nothing declared in a document type definition is expanded: an entity other than the
//! five predefined ones and character references is an error, so entity-expansion bombs
//! and external entities do nothing.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use encoding_rs_io::DecodeReaderBytesBuilder;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// An error reading an XML file: the file, the line and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: {message}", path.display())]
pub struct XmlError {
    /// The file.
    pub path: PathBuf,
    /// The line (1-based) where the problem was seen.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

/// A streaming reader of one XML file that knows the current line and the elements open.
pub struct XmlReader {
    reader: quick_xml::Reader<LineCounter<Box<dyn BufRead>>>,
    path: PathBuf,
    buf: Vec<u8>,
    open: Vec<(String, u64)>,
}

/// What [`XmlReader::next_event`] gives: the events a document reader needs, with text already
/// decoded (entity and character references resolved).
#[derive(Debug)]
pub enum XmlEvent {
    /// A start tag (also reported for an empty element, followed by its `End`).
    Start(Element),
    /// An end tag: the local name.
    End(String),
    /// Text (character data, CDATA, or a resolved reference).
    Text(String),
    /// The end of the document.
    Eof,
}

/// A start tag: its name and attributes (names as written, values unescaped).
#[derive(Debug, Clone)]
pub struct Element {
    /// The qualified name as written (`xml:lang`, `basic:subjectField`).
    pub name: String,
    /// The attributes in document order.
    pub attributes: Vec<(String, String)>,
}

impl Element {
    /// The name without its namespace prefix.
    pub fn local_name(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    /// The value of an attribute, by its name as written.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

impl XmlReader {
    /// Opens a file; `.gz` files are decompressed.
    pub fn open(path: &Path) -> Result<XmlReader, XmlError> {
        let file = File::open(path).map_err(|error| XmlError {
            path: path.to_owned(),
            line: 0,
            message: format!("cannot open: {error}"),
        })?;
        let raw: Box<dyn Read> = if path.extension().is_some_and(|ext| ext == "gz") {
            Box::new(flate2::read::MultiGzDecoder::new(file))
        } else {
            Box::new(file)
        };
        Self::from_reader(raw, path)
    }

    /// Reads XML from any source; `path` names it in errors.
    pub fn from_reader(raw: Box<dyn Read>, path: &Path) -> Result<XmlReader, XmlError> {
        let mut sniff = BufReader::with_capacity(64 * 1024, raw);
        let head = sniff.fill_buf().map_err(|error| XmlError {
            path: path.to_owned(),
            line: 0,
            message: format!("cannot read: {error}"),
        })?;
        let encoding = detect_encoding(head).map_err(|message| XmlError {
            path: path.to_owned(),
            line: 1,
            message,
        })?;
        let decoded: Box<dyn BufRead> = if encoding == encoding_rs::UTF_8 {
            Box::new(sniff)
        } else {
            Box::new(BufReader::with_capacity(
                64 * 1024,
                DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding))
                    .bom_override(true)
                    .build(sniff),
            ))
        };
        let mut reader = quick_xml::Reader::from_reader(LineCounter {
            inner: decoded,
            newlines: 0,
        });
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        Ok(XmlReader {
            reader,
            path: path.to_owned(),
            buf: Vec::with_capacity(4096),
            open: Vec::new(),
        })
    }

    /// The line the reader is on (1-based).
    pub fn line(&self) -> u64 {
        self.reader.get_ref().newlines + 1
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An error at the current line.
    pub fn error(&self, message: impl Into<String>) -> XmlError {
        XmlError {
            path: self.path.clone(),
            line: self.line(),
            message: message.into(),
        }
    }

    /// The next event that matters to a reader of documents (comments, processing
    /// instructions, declarations and the document type are skipped).
    pub fn next_event(&mut self) -> Result<XmlEvent, XmlError> {
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(event) => event,
                Err(error) => return Err(self.describe(error)),
            };
            match event {
                Event::Start(start) => {
                    let element = element_of(&start).map_err(|message| XmlError {
                        path: self.path.clone(),
                        line: self.reader.get_ref().newlines + 1,
                        message,
                    })?;
                    let line = self.line();
                    self.open.push((element.name.clone(), line));
                    return Ok(XmlEvent::Start(element));
                }
                Event::End(end) => {
                    let name = end.name().as_ref().to_owned();
                    self.open.pop();
                    let local = name.rsplit(':').next().unwrap_or(&name).to_owned();
                    return Ok(XmlEvent::End(local));
                }
                Event::Text(text) => return Ok(XmlEvent::Text(text.xml10_content().into_owned())),
                Event::CData(data) => {
                    return Ok(XmlEvent::Text(data.xml10_content().into_owned()));
                }
                Event::GeneralRef(reference) => {
                    let resolved = resolve_reference(&reference);
                    return resolved
                        .map(XmlEvent::Text)
                        .map_err(|message| self.error(message));
                }
                Event::Eof => {
                    if let Some((name, line)) = self.open.last() {
                        return Err(XmlError {
                            path: self.path.clone(),
                            line: *line,
                            message: format!(
                                "element <{name}> opened here is never closed (the file ends at line {})",
                                self.line()
                            ),
                        });
                    }
                    return Ok(XmlEvent::Eof);
                }
                Event::Empty(_)
                | Event::Comment(_)
                | Event::Decl(_)
                | Event::PI(_)
                | Event::DocType(_) => continue,
            }
        }
    }

    /// Reads the text content of the element just started, up to its end tag; nested
    /// elements' text is included.
    pub fn text_until_end(&mut self) -> Result<String, XmlError> {
        let mut depth = 0usize;
        let mut text = String::new();
        loop {
            match self.next_event()? {
                XmlEvent::Start(_) => depth += 1,
                XmlEvent::End(_) if depth == 0 => return Ok(text),
                XmlEvent::End(_) => depth -= 1,
                XmlEvent::Text(chunk) => text.push_str(&chunk),
                XmlEvent::Eof => return Err(self.error("the file ends inside an element")),
            }
        }
    }

    /// Skips the rest of the element just started.
    pub fn skip_element(&mut self) -> Result<(), XmlError> {
        self.text_until_end().map(|_| ())
    }

    fn describe(&self, error: quick_xml::Error) -> XmlError {
        let message = match &error {
            quick_xml::Error::Io(io) if io.kind() == io::ErrorKind::InvalidData => {
                format!("the text is not in the file's declared encoding: {io}")
            }
            quick_xml::Error::Encoding(_) => {
                format!("the text is not in the file's declared encoding: {error}")
            }
            quick_xml::Error::IllFormed(_) => match self.open.last() {
                Some((name, line)) => format!(
                    "not well-formed XML: {error} (the <{name}> opened at line {line} is not closed)"
                ),
                None => format!("not well-formed XML: {error}"),
            },
            _ => format!("not well-formed XML: {error}"),
        };
        self.error(message)
    }
}

fn resolve_reference(reference: &BytesRef<'_>) -> Result<String, String> {
    match reference.resolve_char_ref() {
        Ok(Some(ch)) => return Ok(ch.to_string()),
        Ok(None) => {}
        Err(error) => return Err(format!("bad character reference: {error}")),
    }
    let name: &str = reference;
    match name {
        "amp" => Ok("&".into()),
        "lt" => Ok("<".into()),
        "gt" => Ok(">".into()),
        "quot" => Ok("\"".into()),
        "apos" => Ok("'".into()),
        other => Err(format!(
            "unknown entity &{other}; (entities declared in a document type are not expanded)"
        )),
    }
}

fn element_of(start: &BytesStart<'_>) -> Result<Element, String> {
    let name = start.name().as_ref().to_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| format!("bad attribute in <{name}>: {error}"))?;
        let key = attribute.key.as_ref().to_owned();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|error| format!("bad value of {key} in <{name}>: {error}"))?
            .into_owned();
        attributes.push((key, value));
    }
    Ok(Element { name, attributes })
}

/// The encoding of an XML document from its first bytes: a byte-order mark, UTF-16
/// without one, or the declaration's `encoding`; UTF-8 when none says otherwise.
fn detect_encoding(head: &[u8]) -> Result<&'static Encoding, String> {
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return Ok(encoding);
    }
    match head {
        [b'<', 0, b'?', 0, ..] => return Ok(encoding_rs::UTF_16LE),
        [0, b'<', 0, b'?', ..] => return Ok(encoding_rs::UTF_16BE),
        _ => {}
    }
    let Some(declaration) = head
        .strip_prefix(b"<?xml")
        .and_then(|rest| rest.split(|&b| b == b'>').next())
    else {
        return Ok(encoding_rs::UTF_8);
    };
    let declaration = String::from_utf8_lossy(declaration);
    let Some(at) = declaration.find("encoding") else {
        return Ok(encoding_rs::UTF_8);
    };
    let value: String = declaration[at + "encoding".len()..]
        .trim_start_matches([' ', '=', '"', '\''])
        .chars()
        .take_while(|ch| !matches!(ch, '"' | '\'' | ' ' | '?'))
        .collect();
    let encoding = Encoding::for_label(value.as_bytes())
        .ok_or_else(|| format!("unknown encoding {value:?} in the XML declaration"))?;
    // A declaration read as ASCII that says UTF-16 has no UTF-16 bytes behind it.
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        return Ok(encoding_rs::UTF_8);
    }
    Ok(encoding)
}

/// Counts the newlines the XML reader has consumed, for line numbers in errors.
struct LineCounter<R> {
    inner: R,
    newlines: u64,
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.newlines += count_newlines(&out[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(buffer) = self.inner.fill_buf() {
            let end = amount.min(buffer.len());
            self.newlines += count_newlines(&buffer[..end]);
        }
        self.inner.consume(amount);
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(xml: &[u8]) -> Result<Vec<String>, XmlError> {
        let mut reader =
            XmlReader::from_reader(Box::new(io::Cursor::new(xml.to_vec())), Path::new("t.xml"))?;
        let mut out = Vec::new();
        loop {
            match reader.next_event()? {
                XmlEvent::Start(element) => out.push(format!("<{}>", element.name)),
                XmlEvent::End(name) => out.push(format!("</{name}>")),
                XmlEvent::Text(text) => out.push(text),
                XmlEvent::Eof => return Ok(out),
            }
        }
    }

    #[test]
    fn references_are_resolved_and_empty_elements_expanded() {
        let events = read_all(b"<a>x &amp; &#x4E2D;<b/></a>").expect("reads");
        assert_eq!(events.concat(), "<a>x & 中<b></b></a>");
    }

    #[test]
    fn an_unclosed_element_is_reported_at_the_line_it_opened() {
        let error = read_all(b"<a>\n<b>\n<c>text</c>\n").expect_err("unclosed");
        assert_eq!(error.line, 2, "{error}");
        assert!(error.message.contains("<b>"), "{error}");
    }

    #[test]
    fn declared_entities_are_not_expanded() {
        let bomb = b"<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"xxxxxxxx\"><!ENTITY y \"&x;&x;&x;&x;\">]>\n<a>\n&y;</a>";
        let error = read_all(bomb).expect_err("refused");
        assert_eq!(error.line, 4, "{error}");
        assert!(error.message.contains("&y;"), "{error}");
    }

    #[test]
    fn utf16_and_declared_legacy_encodings_are_decoded() {
        let text = "<a>标准</a>";
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(read_all(&utf16).expect("utf-16").concat(), text);
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>";
        assert_eq!(read_all(latin1).expect("latin-1").concat(), "<a>café</a>");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_an_encoding_error_with_the_line() {
        let error = read_all(b"<a>\nok\n\xff\xfe bad</a>").expect_err("bad bytes");
        assert!(error.message.contains("encoding"), "{error}");
        assert!(error.line >= 1);
    }
}
