//! Content: text and inline codes in reading order, as every filter extracts it and every
//! engine (memories, machine translation, quality checks) sees it.

use serde::Serialize;

/// One piece of translatable content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Item {
    /// Text as the reader sees it.
    Text(String),
    /// Start of a paired code (bold, hyperlink, field result…).
    Open(u32),
    /// End of a paired code.
    Close(u32),
    /// A standalone code (tab, footnote reference, image, bookmark…).
    Ph(u32),
}

/// Content: text and codes in reading order.
pub type Content = Vec<Item>;

/// What kind of code an id stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeKind {
    /// Opens and closes around content.
    Pair,
    /// Stands alone.
    Placeholder,
}

/// An inline code of a unit: what it is and the original markup it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Code {
    /// Id, unique within its unit.
    pub id: u32,
    /// Pair or placeholder.
    pub kind: CodeKind,
    /// Short name a translator understands: `b`, `i`, `link`, `field`, `tab`, `fn`…
    pub label: String,
    /// The original markup of the opening code (or of the placeholder).
    pub open_data: String,
    /// The original markup of the closing code (empty for placeholders).
    pub close_data: String,
}

/// A paragraph-sized piece of a document to translate, as the filter sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Where it is: part and element (`word/document.xml`, `h1`, `line 12`…).
    pub context: String,
    /// The content.
    pub content: Content,
    /// The codes in `content`, by id.
    pub codes: Vec<Code>,
    /// Already one segment (an XLIFF segment): not cut into sentences again.
    pub whole: bool,
}

impl Paragraph {
    /// The code with this id.
    pub fn code(&self, id: u32) -> Option<&Code> {
        self.codes.iter().find(|code| code.id == id)
    }
}

/// Concatenated text of content, codes left out.
pub fn plain_text(content: &[Item]) -> String {
    content
        .iter()
        .filter_map(|item| match item {
            Item::Text(text) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// Whether content has any letter, digit or ideograph worth translating.
pub fn has_translatable_text(content: &[Item]) -> bool {
    content.iter().any(|item| match item {
        Item::Text(text) => text.chars().any(char::is_alphanumeric),
        _ => false,
    })
}

/// Appends text to content, merging with a text item before it.
pub fn push_text(content: &mut Content, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Item::Text(last)) = content.last_mut() {
        last.push_str(text);
    } else {
        content.push(Item::Text(text.to_string()));
    }
}

/// Content with adjacent text items joined and empty ones removed.
pub fn normalize(content: Content) -> Content {
    let mut out = Vec::with_capacity(content.len());
    for item in content {
        match item {
            Item::Text(text) => push_text(&mut out, &text),
            other => out.push(other),
        }
    }
    out
}

/// Content written back: text escaped by `escape`, each code as its original markup.
pub fn render_with_codes(
    content: &[Item],
    codes: &[Code],
    escape: impl Fn(&str) -> String,
    out: &mut String,
) {
    let code = |id: &u32| codes.iter().find(|c| c.id == *id);
    for item in content {
        match item {
            Item::Text(text) => out.push_str(&escape(text)),
            Item::Open(id) | Item::Ph(id) => {
                if let Some(code) = code(id) {
                    out.push_str(&code.open_data);
                }
            }
            Item::Close(id) => {
                if let Some(code) = code(id) {
                    out.push_str(&code.close_data);
                }
            }
        }
    }
}

/// Content as one line with codes as `{1}`, `{/1}`, `{1/}`: for reports and tests.
pub fn marked(content: &[Item]) -> String {
    let mut out = String::new();
    for item in content {
        match item {
            Item::Text(text) => out.push_str(text),
            Item::Open(id) => out.push_str(&format!("{{{id}}}")),
            Item::Close(id) => out.push_str(&format!("{{/{id}}}")),
            Item::Ph(id) => out.push_str(&format!("{{{id}/}}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_joins_text_and_drops_empty() {
        let content = vec![
            Item::Text("a".into()),
            Item::Text(String::new()),
            Item::Text("b".into()),
            Item::Ph(1),
            Item::Text("c".into()),
        ];
        assert_eq!(
            normalize(content),
            vec![Item::Text("ab".into()), Item::Ph(1), Item::Text("c".into())]
        );
    }

    #[test]
    fn marked_shows_codes() {
        let content = vec![
            Item::Text("This standard ".into()),
            Item::Open(1),
            Item::Text("shall".into()),
            Item::Close(1),
            Item::Text(" apply".into()),
            Item::Ph(2),
        ];
        assert_eq!(marked(&content), "This standard {1}shall{/1} apply{2/}");
        assert_eq!(plain_text(&content), "This standard shall apply");
    }
}
