//! Stage 4: translated content written back as runs, each piece of text with the
//! formatting of the innermost code around it.

use super::model::*;
use crate::model::Item;
use crate::xmltok::escape_text;

/// Writes content as runs: text takes the formatting of the innermost code around it.
pub(super) fn render(model: &ParagraphModel, content: &[Item], out: &mut String) {
    let mut stack: Vec<Option<usize>> = vec![model.base];
    for item in content {
        match item {
            Item::Text(text) => {
                let fmt = stack.last().copied().flatten().unwrap_or(NO_FORMAT);
                write_run(model, fmt, text, out);
            }
            Item::Open(id) => match model.renders.get(id) {
                Some(Render::Format(fmt)) => stack.push(Some(*fmt)),
                Some(Render::Group { open, base, .. }) => {
                    out.push_str(open);
                    let inherited = stack.last().copied().flatten();
                    stack.push(base.or(inherited));
                }
                Some(Render::Ph(raw)) => out.push_str(raw),
                None => {}
            },
            Item::Close(id) => match model.renders.get(id) {
                Some(Render::Format(_)) => {
                    stack.pop();
                }
                Some(Render::Group { close, .. }) => {
                    stack.pop();
                    out.push_str(close);
                }
                _ => {}
            },
            Item::Ph(id) => {
                if let Some(Render::Ph(raw)) = model.renders.get(id) {
                    out.push_str(raw);
                }
            }
        }
        if stack.is_empty() {
            stack.push(model.base);
        }
    }
}

pub(super) fn write_run(model: &ParagraphModel, fmt: usize, text: &str, out: &mut String) {
    match model.formats.get(fmt) {
        Some(format) => {
            out.push_str(&format.run_open);
            out.push_str(&format.rpr);
        }
        None => out.push_str("<w:r>"),
    }
    out.push_str("<w:t xml:space=\"preserve\">");
    out.push_str(&escape_text(text));
    out.push_str("</w:t></w:r>");
}
