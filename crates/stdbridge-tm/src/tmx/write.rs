//! The TMX writer.

use std::io::{self, Write};

use quick_xml::escape::escape;

use super::Header;
use crate::unit::{Inline, Note, Prop, Unit};

/// Writes a TMX 1.4b document: the header first, then units one at a time.
pub struct TmxWriter<W: Write> {
    out: W,
}

/// Header attributes TMX 1.4b requires, with the values used when the memory has none.
const REQUIRED_HEADER: [(&str, &str); 7] = [
    ("creationtool", "stdbridge"),
    ("creationtoolversion", env!("CARGO_PKG_VERSION")),
    ("segtype", "sentence"),
    ("o-tmf", "stdbridge"),
    ("adminlang", "en"),
    ("srclang", "*all*"),
    ("datatype", "plaintext"),
];

impl<W: Write> TmxWriter<W> {
    /// Writes the declaration and the header.
    pub fn start(mut out: W, header: &Header) -> io::Result<TmxWriter<W>> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<tmx version="1.4">"#)?;
        let mut attributes = header.attributes.clone();
        for (name, default) in REQUIRED_HEADER {
            if !attributes.iter().any(|(key, _)| key == name) {
                attributes.push((name.to_owned(), default.to_owned()));
            }
        }
        write!(out, "  <header")?;
        write_attributes(&mut out, &attributes)?;
        if header.props.is_empty() && header.notes.is_empty() {
            writeln!(out, "/>")?;
        } else {
            writeln!(out, ">")?;
            write_notes_and_props(&mut out, "    ", &header.notes, &header.props)?;
            writeln!(out, "  </header>")?;
        }
        writeln!(out, "  <body>")?;
        Ok(TmxWriter { out })
    }

    /// Writes one unit.
    pub fn unit(&mut self, unit: &Unit) -> io::Result<()> {
        let out = &mut self.out;
        write!(out, "    <tu")?;
        write_attributes(out, &unit.attributes)?;
        writeln!(out, ">")?;
        write_notes_and_props(out, "      ", &unit.notes, &unit.props)?;
        for variant in &unit.variants {
            write!(
                out,
                "      <tuv xml:lang=\"{}\"",
                escape(variant.lang.as_str())
            )?;
            write_attributes(out, &variant.attributes)?;
            writeln!(out, ">")?;
            write_notes_and_props(out, "        ", &variant.notes, &variant.props)?;
            write!(out, "        <seg>")?;
            write_inline(out, &variant.seg.0)?;
            writeln!(out, "</seg>")?;
            writeln!(out, "      </tuv>")?;
        }
        writeln!(out, "    </tu>")
    }

    /// Closes the document and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        writeln!(self.out, "  </body>")?;
        writeln!(self.out, "</tmx>")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn write_attributes<W: Write>(out: &mut W, attributes: &[(String, String)]) -> io::Result<()> {
    for (name, value) in attributes {
        write!(out, " {}=\"{}\"", name, escape(value.as_str()))?;
    }
    Ok(())
}

fn write_notes_and_props<W: Write>(
    out: &mut W,
    indent: &str,
    notes: &[Note],
    props: &[Prop],
) -> io::Result<()> {
    for note in notes {
        write!(out, "{indent}<note")?;
        write_attributes(out, &note.attributes)?;
        writeln!(out, ">{}</note>", escape(note.text.as_str()))?;
    }
    for prop in props {
        write!(out, "{indent}<prop type=\"{}\"", escape(prop.kind.as_str()))?;
        write_attributes(out, &prop.attributes)?;
        writeln!(out, ">{}</prop>", escape(prop.value.as_str()))?;
    }
    Ok(())
}

fn write_inline<W: Write>(out: &mut W, content: &[Inline]) -> io::Result<()> {
    for piece in content {
        match piece {
            Inline::Text(text) => write!(out, "{}", escape(text.as_str()))?,
            Inline::Tag(tag) => {
                write!(out, "<{}", tag.kind)?;
                write_attributes(out, &tag.attributes)?;
                if tag.content.is_empty() {
                    write!(out, "/>")?;
                } else {
                    write!(out, ">")?;
                    write_inline(out, &tag.content)?;
                    write!(out, "</{}>", tag.kind)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tmx::{TmxItem, TmxReader};

    #[test]
    fn what_is_written_reads_back_the_same() {
        let source = r#"<tmx version="1.4"><header srclang="en" creationtool="x"><note>n &amp; m</note></header><body>
<tu tuid="7" usagecount="2"><prop type="x-a" xml:lang="en">v</prop>
<tuv xml:lang="en" creationid="me"><seg>A <hi type="b">bold <ph x="1">&lt;br/&gt;</ph></hi> "word"</seg></tuv>
<tuv xml:lang="zh-CN"><note>n</note><seg>一个<it pos="begin">&lt;i&gt;<sub>子</sub></it>词</seg></tuv></tu>
</body></tmx>"#;
        let mut reader = TmxReader::from_str(source, "a.tmx").expect("reads");
        let header = reader.header().clone();
        let Ok(Some(TmxItem::Unit(unit, _))) = reader.next_item() else {
            panic!("no unit");
        };
        let mut writer = TmxWriter::start(Vec::new(), &header).expect("header");
        writer.unit(&unit).expect("unit");
        let written = String::from_utf8(writer.finish().expect("finish")).expect("utf-8");
        let mut again = TmxReader::from_str(&written, "b.tmx").expect("reads back");
        let Ok(Some(TmxItem::Unit(unit_again, _))) = again.next_item() else {
            panic!("no unit in {written}");
        };
        assert_eq!(unit, unit_again);
        assert_eq!(again.header().notes, header.notes);
        assert_eq!(again.header().attr("srclang"), Some("en"));
        assert_eq!(again.header().attr("segtype"), Some("sentence"));
    }
}
