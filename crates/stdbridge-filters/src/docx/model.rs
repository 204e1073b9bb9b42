//! The types the stages of the DOCX filter pass along: atoms, the tree, run formattings,
//! how each code is written back, and a paragraph's model.

use std::collections::HashMap;

use crate::model::{Code, Content};

/// A piece of a paragraph in reading order, before it is shaped into content.
#[derive(Debug)]
pub(super) enum Atom {
    Text {
        fmt: usize,
        text: String,
        raw: String,
    },
    Ph {
        raw: String,
        label: &'static str,
    },
    Open {
        raw: String,
        label: &'static str,
    },
    Close {
        raw: String,
    },
    FieldBegin(String),
    FieldCode(String),
    FieldSep(String),
    FieldEnd(String),
}

impl Atom {
    pub(super) fn raw(&self) -> &str {
        match self {
            Atom::Text { raw, .. }
            | Atom::Ph { raw, .. }
            | Atom::Open { raw, .. }
            | Atom::Close { raw } => raw,
            Atom::FieldBegin(raw)
            | Atom::FieldCode(raw)
            | Atom::FieldSep(raw)
            | Atom::FieldEnd(raw) => raw,
        }
    }
}

/// A paragraph as a tree: text, placeholders, and groups (hyperlinks, field results…).
#[derive(Debug)]
pub(super) enum Node {
    Text {
        fmt: usize,
        text: String,
    },
    Ph {
        raw: String,
        label: &'static str,
    },
    Group {
        open: String,
        close: String,
        label: &'static str,
        children: Vec<Node>,
    },
}

/// A distinct run formatting of a paragraph.
#[derive(Debug)]
pub(super) struct Format_ {
    pub(super) key: String,
    pub(super) run_open: String,
    pub(super) rpr: String,
}

/// How to write a code back.
#[derive(Debug)]
pub(super) enum Render {
    /// Text inside takes this formatting.
    Format(usize),
    /// Markup around; text inside takes the group's base formatting.
    Group {
        open: String,
        close: String,
        base: Option<usize>,
    },
    /// Markup.
    Ph(String),
}

/// Everything known about a paragraph once read.
pub(super) struct ParagraphModel {
    pub(super) prefix: String,
    pub(super) suffix: String,
    pub(super) content: Content,
    pub(super) codes: Vec<Code>,
    pub(super) renders: HashMap<u32, Render>,
    pub(super) formats: Vec<Format_>,
    pub(super) base: Option<usize>,
    pub(super) style: Option<String>,
}

pub(super) const NO_FORMAT: usize = usize::MAX;
