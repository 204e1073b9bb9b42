//! Stage 2: atoms nested into a tree — hyperlinks, field results and other wrappers
//! become groups when they nest properly.

use super::model::*;

/// Shapes atoms into a tree. With `fields_as_groups`, a field's result is a group between
/// its code and its end; when fields and elements do not nest, call again without, and
/// each field's code and end become placeholders.
pub(super) fn build_tree(atoms: &[Atom], fields_as_groups: bool) -> Option<Vec<Node>> {
    let mut stack: Vec<Frame> = vec![Frame {
        open: String::new(),
        label: "",
        field: false,
        children: Vec::new(),
    }];
    let mut code: Option<(String, usize)> = None;
    let push = |stack: &mut Vec<Frame>, node: Node| {
        if let Some(top) = stack.last_mut() {
            top.children.push(node);
        }
    };
    for atom in atoms {
        if let Some((collected, depth)) = code.as_mut() {
            match atom {
                Atom::FieldBegin(raw) => {
                    *depth += 1;
                    collected.push_str(raw);
                }
                Atom::FieldEnd(raw) => {
                    *depth -= 1;
                    collected.push_str(raw);
                    if *depth == 0 {
                        let raw = std::mem::take(collected);
                        code = None;
                        push(
                            &mut stack,
                            Node::Ph {
                                raw,
                                label: "field",
                            },
                        );
                    }
                }
                Atom::FieldSep(raw) if *depth == 1 => {
                    collected.push_str(raw);
                    let open = std::mem::take(collected);
                    code = None;
                    if fields_as_groups {
                        stack.push(Frame {
                            open,
                            label: "field",
                            field: true,
                            children: Vec::new(),
                        });
                    } else {
                        push(
                            &mut stack,
                            Node::Ph {
                                raw: open,
                                label: "field",
                            },
                        );
                    }
                }
                Atom::Open { .. } | Atom::Close { .. } => {
                    if fields_as_groups {
                        return None;
                    }
                    let raw = std::mem::take(collected);
                    code = None;
                    push(
                        &mut stack,
                        Node::Ph {
                            raw,
                            label: "field",
                        },
                    );
                    shape_atom(&mut stack, atom, fields_as_groups)?;
                }
                other => collected.push_str(other.raw()),
            }
            continue;
        }
        match atom {
            Atom::FieldBegin(raw) => code = Some((raw.clone(), 1)),
            Atom::FieldEnd(raw) if fields_as_groups => {
                let frame = stack.pop()?;
                if !frame.field || stack.is_empty() {
                    return None;
                }
                push(
                    &mut stack,
                    Node::Group {
                        open: frame.open,
                        close: raw.clone(),
                        label: frame.label,
                        children: frame.children,
                    },
                );
            }
            Atom::FieldEnd(raw) | Atom::FieldSep(raw) | Atom::FieldCode(raw) => {
                if fields_as_groups {
                    return None;
                }
                push(
                    &mut stack,
                    Node::Ph {
                        raw: raw.clone(),
                        label: "field",
                    },
                );
            }
            other => shape_atom(&mut stack, other, fields_as_groups)?,
        }
    }
    if let Some((raw, _)) = code {
        if fields_as_groups {
            return None;
        }
        push(
            &mut stack,
            Node::Ph {
                raw,
                label: "field",
            },
        );
    }
    if stack.len() != 1 {
        return None;
    }
    stack.pop().map(|frame| frame.children)
}

/// A group being built.
pub(super) struct Frame {
    open: String,
    label: &'static str,
    field: bool,
    children: Vec<Node>,
}

pub(super) fn shape_atom(stack: &mut Vec<Frame>, atom: &Atom, _fields: bool) -> Option<()> {
    match atom {
        Atom::Text { fmt, text, .. } => stack.last_mut()?.children.push(Node::Text {
            fmt: *fmt,
            text: text.clone(),
        }),
        Atom::Ph { raw, label } => stack.last_mut()?.children.push(Node::Ph {
            raw: raw.clone(),
            label,
        }),
        Atom::Open { raw, label } => stack.push(Frame {
            open: raw.clone(),
            label,
            field: false,
            children: Vec::new(),
        }),
        Atom::Close { raw } => {
            let frame = stack.pop()?;
            if frame.field || stack.is_empty() {
                return None;
            }
            let group = Node::Group {
                open: frame.open,
                close: raw.clone(),
                label: frame.label,
                children: frame.children,
            };
            stack.last_mut()?.children.push(group);
        }
        _ => return None,
    }
    Some(())
}
