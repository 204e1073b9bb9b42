//! TMX 1.4b (Translation Memory eXchange), levels 1 and 2: a streaming reader that yields
//! one unit at a time (constant memory whatever the file's size) and a writer. Inline
//! elements (`bpt`, `ept`, `ph`, `it`, `hi`, `ut`, `sub`), attributes, properties and notes
//! are kept as written, so a file read and written again says the same.

mod read;
mod write;

pub use read::{TmxItem, TmxReader};
pub use write::TmxWriter;

use serde::{Deserialize, Serialize};

use crate::unit::{Note, Prop};

/// The TMX header: attributes (srclang, creationtool, segtype…), properties and notes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Attributes as written.
    #[serde(default)]
    pub attributes: Vec<(String, String)>,
    /// Properties.
    #[serde(default)]
    pub props: Vec<Prop>,
    /// Notes.
    #[serde(default)]
    pub notes: Vec<Note>,
}

impl Header {
    /// The value of an attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        crate::unit::attribute(&self.attributes, name)
    }
}
