//! The translation unit as stdbridge keeps it: lossless for TMX 1.4b (attributes,
//! properties, notes and inline codes are kept as written) and cheap to store as JSON.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A piece of segment content: text, or an inline element (TMX `bpt`, `ept`, `ph`, `it`,
/// `hi`, `ut`, `sub`; XLIFF codes map onto them) with its attributes and content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Inline {
    /// Text.
    Text(String),
    /// An inline element.
    Tag(InlineTag),
}

/// An inline element of a segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineTag {
    /// Element name: bpt, ept, ph, it, hi, ut or sub.
    #[serde(rename = "k")]
    pub kind: String,
    /// Attributes in document order (i, x, type, pos, assoc…).
    #[serde(rename = "a", default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
    /// Content: the native code of bpt/ept/ph/it/ut, the text of hi, the subflow of sub.
    #[serde(rename = "c", default, skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<Inline>,
}

impl InlineTag {
    /// The value of an attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        attribute(&self.attributes, name)
    }

    /// Whether the element's content is translatable text (hi, sub) rather than native
    /// code (bpt, ept, ph, it, ut).
    pub fn holds_text(&self) -> bool {
        matches!(self.kind.as_str(), "hi" | "sub" | "g" | "mrk" | "pc")
    }
}

/// The content of one segment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Segment(pub Vec<Inline>);

impl Segment {
    /// A segment of plain text.
    pub fn text(text: impl Into<String>) -> Segment {
        Segment(vec![Inline::Text(text.into())])
    }

    /// The translatable text, without inline codes (the text of `hi` is included).
    pub fn plain(&self) -> String {
        let mut out = String::new();
        push_plain(&self.0, &mut out);
        out
    }

    /// The inline elements in order, flattened (an element and then those inside it).
    pub fn tags(&self) -> Vec<&InlineTag> {
        let mut out = Vec::new();
        push_tags(&self.0, &mut out);
        out
    }

    /// Whether the segment has inline codes.
    pub fn has_tags(&self) -> bool {
        self.0.iter().any(|piece| matches!(piece, Inline::Tag(_)))
    }

    /// The text with inline codes shown as `{kind}` markers, for display and for telling
    /// apart segments that differ only in their codes.
    pub fn marked(&self) -> String {
        let mut out = String::new();
        push_marked(&self.0, &mut out);
        out
    }
}

fn push_plain(pieces: &[Inline], out: &mut String) {
    for piece in pieces {
        match piece {
            Inline::Text(text) => out.push_str(text),
            Inline::Tag(tag) if tag.kind == "hi" => push_plain(&tag.content, out),
            Inline::Tag(_) => {}
        }
    }
}

fn push_tags<'u>(pieces: &'u [Inline], out: &mut Vec<&'u InlineTag>) {
    for piece in pieces {
        if let Inline::Tag(tag) = piece {
            out.push(tag);
            if tag.kind == "hi" {
                push_tags(&tag.content, out);
            }
        }
    }
}

fn push_marked(pieces: &[Inline], out: &mut String) {
    for piece in pieces {
        match piece {
            Inline::Text(text) => out.push_str(text),
            Inline::Tag(tag) if tag.kind == "hi" => {
                out.push_str("{hi}");
                push_marked(&tag.content, out);
                out.push_str("{/hi}");
            }
            Inline::Tag(tag) => {
                out.push('{');
                out.push_str(&tag.kind);
                if let Some(id) = tag.attr("i").or_else(|| tag.attr("x")) {
                    out.push_str(id);
                }
                out.push('}');
            }
        }
    }
}

/// A TMX `prop`: a typed property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prop {
    /// The `type` attribute (`x-domain`, `x-origin`…).
    #[serde(rename = "t")]
    pub kind: String,
    /// Other attributes (xml:lang, o-encoding).
    #[serde(rename = "a", default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
    /// The value.
    #[serde(rename = "v")]
    pub value: String,
}

/// A TMX `note`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Attributes (xml:lang, o-encoding).
    #[serde(rename = "a", default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
    /// The text.
    #[serde(rename = "v")]
    pub text: String,
}

/// One language's version of a unit (TMX `tuv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// Language tag as written (`zh-CN`, `en-US`).
    pub lang: String,
    /// Attributes other than the language (creationdate, changeid…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// The segment.
    pub seg: Segment,
}

/// A translation unit (TMX `tu`): one segment in several languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Attributes as written (tuid, creationdate, creationid, changedate, usagecount,
    /// srclang, datatype…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
    /// Properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// The language versions.
    pub variants: Vec<Variant>,
}

/// Most characters of a segment of a unit.
pub const MAX_SEGMENT: usize = 100_000;

impl Unit {
    /// The first segment over [`MAX_SEGMENT`] characters, named by its language.
    pub fn oversized(&self) -> Option<String> {
        self.variants.iter().find_map(|variant| {
            let chars = variant.seg.plain().chars().count();
            (chars > MAX_SEGMENT).then(|| {
                format!(
                    "the {} segment has {chars} characters; at most {MAX_SEGMENT} are allowed",
                    variant.lang
                )
            })
        })
    }
}

/// Property types stdbridge gives meaning to.
pub mod props {
    /// The document a unit was translated in.
    pub const ORIGIN_DOCUMENT: &str = "x-origin-document";
    /// The standard (designation) a unit comes from.
    pub const ORIGIN_STANDARD: &str = "x-standard";
    /// The subject field.
    pub const DOMAIN: &str = "x-domain";
}

impl Unit {
    /// A plain two-language unit.
    pub fn pair(source_lang: &str, source: &str, target_lang: &str, target: &str) -> Unit {
        Unit {
            attributes: Vec::new(),
            props: Vec::new(),
            notes: Vec::new(),
            variants: vec![
                Variant::plain(source_lang, source),
                Variant::plain(target_lang, target),
            ],
        }
    }

    /// The value of an attribute of the unit.
    pub fn attr(&self, name: &str) -> Option<&str> {
        attribute(&self.attributes, name)
    }

    /// Sets an attribute, replacing its value if present.
    pub fn set_attr(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.attributes.iter_mut().find(|(key, _)| key == name) {
            Some(slot) => slot.1 = value,
            None => self.attributes.push((name.to_owned(), value)),
        }
    }

    /// The value of the first property of this type.
    pub fn prop(&self, kind: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|prop| prop.kind == kind)
            .map(|prop| prop.value.as_str())
    }

    /// The first variant in a language: an exact tag first, else the same primary
    /// language (`en` finds `en-US`, `zh-CN` finds `zh`).
    pub fn variant(&self, lang: &str) -> Option<&Variant> {
        self.variants
            .iter()
            .find(|variant| variant.lang.eq_ignore_ascii_case(lang))
            .or_else(|| {
                let primary = primary_language(lang);
                self.variants
                    .iter()
                    .find(|variant| primary_language(&variant.lang) == primary)
            })
    }

    /// Identity of the unit's content: its variants' languages and segments (inline codes
    /// included), whatever their order. Two units with the same key are duplicates.
    pub fn content_key(&self) -> Vec<u8> {
        let mut parts: Vec<String> = self
            .variants
            .iter()
            .map(|variant| {
                let seg = serde_json::to_string(&variant.seg).unwrap_or_default();
                format!("{}\u{1}{}", variant.lang.to_ascii_lowercase(), seg)
            })
            .collect();
        parts.sort();
        let digest = Sha256::digest(parts.join("\u{2}").as_bytes());
        digest[..16].to_vec()
    }

    /// Folds a duplicate into this unit: properties and notes not yet present are added,
    /// the earliest creation and the latest change are kept, usage counts the larger.
    pub fn merge_duplicate(&mut self, other: &Unit) {
        for prop in &other.props {
            if !self.props.contains(prop) {
                self.props.push(prop.clone());
            }
        }
        for note in &other.notes {
            if !self.notes.contains(note) {
                self.notes.push(note.clone());
            }
        }
        for (name, keep_later) in [("creationdate", false), ("changedate", true)] {
            if let Some(theirs) = other.attr(name) {
                let replace = match self.attr(name) {
                    None => true,
                    Some(ours) => (theirs > ours) == keep_later && theirs != ours,
                };
                if replace {
                    self.set_attr(name, theirs.to_owned());
                }
            }
        }
        let theirs: i64 = other
            .attr("usagecount")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let ours: i64 = self
            .attr("usagecount")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if theirs > ours {
            self.set_attr("usagecount", theirs.to_string());
        }
        for (variant, other_variant) in self.variants.iter_mut().zip(&other.variants) {
            for prop in &other_variant.props {
                if !variant.props.contains(prop) {
                    variant.props.push(prop.clone());
                }
            }
            for note in &other_variant.notes {
                if !variant.notes.contains(note) {
                    variant.notes.push(note.clone());
                }
            }
        }
    }

    /// The store's columns for this unit.
    pub fn to_new_unit(&self) -> stdbridge_storage::NewUnit {
        stdbridge_storage::NewUnit {
            key: self.content_key(),
            tuid: self.attr("tuid").map(str::to_owned),
            creator: self.attr("creationid").map(str::to_owned),
            created_at: self.attr("creationdate").map(str::to_owned),
            changed_at: self.attr("changedate").map(str::to_owned),
            usage_count: self
                .attr("usagecount")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            origin_document: self.prop(props::ORIGIN_DOCUMENT).map(str::to_owned),
            origin_standard: self.prop(props::ORIGIN_STANDARD).map(str::to_owned),
            domain: self.prop(props::DOMAIN).map(str::to_owned),
            body: serde_json::to_string(self).unwrap_or_default(),
        }
    }
}

impl Variant {
    /// A variant of plain text.
    pub fn plain(lang: &str, text: &str) -> Variant {
        Variant {
            lang: lang.to_owned(),
            attributes: Vec::new(),
            props: Vec::new(),
            notes: Vec::new(),
            seg: Segment::text(text),
        }
    }
}

/// The value of the attribute `name` in a list of (name, value) pairs.
pub(crate) fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The primary language subtag, lower case: `zh-Hans-CN` → `zh`.
pub fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_ignores_variant_order_but_not_codes() {
        let a = Unit::pair("en", "Scope", "zh-CN", "范围");
        let mut b = a.clone();
        b.variants.reverse();
        assert_eq!(a.content_key(), b.content_key());
        let mut c = a.clone();
        c.variants[0].seg = Segment(vec![
            Inline::Tag(InlineTag {
                kind: "ph".into(),
                attributes: vec![("x".into(), "1".into())],
                content: vec![],
            }),
            Inline::Text("Scope".into()),
        ]);
        assert_ne!(a.content_key(), c.content_key());
        assert_eq!(c.variants[0].seg.plain(), "Scope");
        assert_eq!(c.variants[0].seg.marked(), "{ph1}Scope");
    }

    #[test]
    fn variants_are_found_by_primary_language() {
        let unit = Unit::pair("en-US", "Scope", "zh-CN", "范围");
        assert_eq!(unit.variant("en").map(|v| v.lang.as_str()), Some("en-US"));
        assert_eq!(
            unit.variant("ZH-cn").map(|v| v.lang.as_str()),
            Some("zh-CN")
        );
        assert!(unit.variant("fr").is_none());
    }

    #[test]
    fn merging_keeps_the_earliest_creation_and_latest_change() {
        let mut a = Unit::pair("en", "Scope", "zh", "范围");
        a.set_attr("creationdate", "20200101T000000Z");
        a.set_attr("changedate", "20200101T000000Z");
        let mut b = a.clone();
        b.set_attr("creationdate", "20190101T000000Z");
        b.set_attr("changedate", "20210101T000000Z");
        b.props.push(Prop {
            kind: "x-domain".into(),
            attributes: vec![],
            value: "containers".into(),
        });
        a.merge_duplicate(&b);
        assert_eq!(a.attr("creationdate"), Some("20190101T000000Z"));
        assert_eq!(a.attr("changedate"), Some("20210101T000000Z"));
        assert_eq!(a.prop("x-domain"), Some("containers"));
    }
}
