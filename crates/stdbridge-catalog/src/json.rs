//! Accessors for JSON values whose shape varies (used by the ISO Open Data and reference
//! data readers, whose records are small).

use serde_json::Value;

/// A repeated element: absent → empty, one object → one item, a list → its items.
pub(crate) fn list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => vec![other],
    }
}

/// A text element: a string, a number, or an object with `content`, `value`, `id`…
pub(crate) fn text(value: Option<&Value>) -> Option<String> {
    let found = match value? {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(map) => ["content", "value", "id", "at", "from"]
            .iter()
            .find_map(|field| map.get(*field).and_then(|v| text(Some(v)))),
        Value::Array(items) => items.first().and_then(|v| text(Some(v))),
        _ => None,
    };
    found.filter(|s| !s.is_empty())
}

/// A JSON error of one line of a file, said once: `JSON syntax error at column 680:
/// expected `,` or `}`` (the line is the file's, given with the file; serde's own "at line
/// 1 column 680" is left out).
pub(crate) fn line_error(error: &serde_json::Error) -> String {
    let message = without_position(error);
    match error.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("JSON syntax error at column {}: {message}", error.column())
        }
        _ => message,
    }
}

/// serde's message without its " at line L column C".
pub(crate) fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}
