//! Stage 3: the tree shaped into content with codes: the formatting most characters
//! have is the base, other formatting and groups get pairs, the rest placeholders.

use std::collections::HashMap;

use super::model::*;
use crate::model::{Code, CodeKind, Content, Item, push_text};

/// Shapes the tree into content, codes and how to write each code back.
pub(super) fn shape(
    mut nodes: Vec<Node>,
    formats: Vec<Format_>,
    mut prefix: String,
    style: Option<String>,
) -> ParagraphModel {
    // Placeholders before the first text and after the last (bookmarks, anchors…) stay
    // outside the content.
    let mut suffix_nodes = Vec::new();
    while matches!(nodes.last(), Some(Node::Ph { .. })) {
        suffix_nodes.extend(nodes.pop());
    }
    let mut suffix = String::new();
    for node in suffix_nodes.into_iter().rev() {
        if let Node::Ph { raw, .. } = node {
            suffix.push_str(&raw);
        }
    }
    let leading = nodes
        .iter()
        .take_while(|node| matches!(node, Node::Ph { .. }))
        .count();
    for node in nodes.drain(..leading) {
        if let Node::Ph { raw, .. } = node {
            prefix.push_str(&raw);
        }
    }
    let mut model = ParagraphModel {
        prefix,
        suffix,
        content: Vec::new(),
        codes: Vec::new(),
        renders: HashMap::new(),
        formats,
        base: None,
        style,
    };
    let base = base_format(&nodes);
    model.base = base;
    let mut content = Vec::new();
    emit(&nodes, base, &mut model, &mut content);
    model.content = content;
    model
}

/// The formatting most of the direct text of `nodes` has.
pub(super) fn base_format(nodes: &[Node]) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for node in nodes {
        if let Node::Text { fmt, text } = node {
            match counts.iter_mut().find(|(f, _)| f == fmt) {
                Some((_, count)) => *count += text.chars().count(),
                None => counts.push((*fmt, text.chars().count())),
            }
        }
    }
    let mut best: Option<(usize, usize)> = None;
    for (fmt, count) in counts {
        if best.is_none_or(|(_, top)| count > top) {
            best = Some((fmt, count));
        }
    }
    best.map(|(fmt, _)| fmt)
}

pub(super) fn emit(
    nodes: &[Node],
    base: Option<usize>,
    model: &mut ParagraphModel,
    content: &mut Content,
) {
    let mut i = 0;
    while i < nodes.len() {
        match &nodes[i] {
            Node::Text { fmt, .. } => {
                let mut text = String::new();
                while let Some(Node::Text {
                    fmt: next,
                    text: more,
                }) = nodes.get(i)
                    && next == fmt
                {
                    text.push_str(more);
                    i += 1;
                }
                if Some(*fmt) == base {
                    push_text(content, &text);
                } else {
                    let id = next_id(model);
                    let format = &model.formats[*fmt];
                    model.codes.push(Code {
                        id,
                        kind: CodeKind::Pair,
                        label: format_label(&format.rpr).to_string(),
                        open_data: format!("{}{}", format.run_open, format.rpr),
                        close_data: "</w:r>".to_string(),
                    });
                    model.renders.insert(id, Render::Format(*fmt));
                    content.push(Item::Open(id));
                    push_text(content, &text);
                    content.push(Item::Close(id));
                }
                continue;
            }
            Node::Ph { raw, label } => {
                let id = next_id(model);
                model.codes.push(Code {
                    id,
                    kind: CodeKind::Placeholder,
                    label: label.to_string(),
                    open_data: raw.clone(),
                    close_data: String::new(),
                });
                model.renders.insert(id, Render::Ph(raw.clone()));
                content.push(Item::Ph(id));
            }
            Node::Group {
                open,
                close,
                label,
                children,
            } => {
                let id = next_id(model);
                let inner_base = base_format(children).or(base);
                model.codes.push(Code {
                    id,
                    kind: CodeKind::Pair,
                    label: label.to_string(),
                    open_data: open.clone(),
                    close_data: close.clone(),
                });
                model.renders.insert(
                    id,
                    Render::Group {
                        open: open.clone(),
                        close: close.clone(),
                        base: inner_base,
                    },
                );
                content.push(Item::Open(id));
                emit(children, inner_base, model, content);
                content.push(Item::Close(id));
            }
        }
        i += 1;
    }
}

pub(super) fn next_id(model: &ParagraphModel) -> u32 {
    model.codes.len() as u32 + 1
}

/// A short label for a run formatting: `b`, `i`, `u`, `sup`, `sub` or `fmt`.
pub(super) fn format_label(rpr: &str) -> &'static str {
    let on = |tag: &str| {
        rpr.contains(&format!("<{tag}/>"))
            || rpr.contains(&format!("<{tag} w:val=\"1\"/>"))
            || rpr.contains(&format!("<{tag} w:val=\"true\"/>"))
    };
    if rpr.contains("w:val=\"superscript\"") {
        "sup"
    } else if rpr.contains("w:val=\"subscript\"") {
        "sub"
    } else if on("w:b") {
        "b"
    } else if on("w:i") {
        "i"
    } else if rpr.contains("<w:u ") {
        "u"
    } else {
        "fmt"
    }
}
