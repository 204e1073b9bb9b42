//! Inline codes in a translation: checked against the source, repaired on request.

use std::collections::{HashMap, HashSet};

use crate::model::{Content, Item, plain_text};

/// What is wrong with the codes of a translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeProblem {
    /// A code the source does not have.
    Unknown(u32),
    /// A code of the source is not in the translation.
    Missing(u32),
    /// A code appears twice.
    Duplicate(u32),
    /// A code used as the wrong kind (a placeholder opened, a pair used as a placeholder).
    WrongKind(u32),
    /// A closing code with no opening code before it, or pairs that cross.
    Unbalanced(u32),
    /// An opening code never closed.
    Unclosed(u32),
}

impl std::fmt::Display for CodeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodeProblem::Unknown(id) => write!(f, "code {id} is not in the source"),
            CodeProblem::Missing(id) => write!(f, "code {id} of the source is missing"),
            CodeProblem::Duplicate(id) => write!(f, "code {id} appears twice"),
            CodeProblem::WrongKind(id) => write!(f, "code {id} is used as the wrong kind"),
            CodeProblem::Unbalanced(id) => {
                write!(
                    f,
                    "code {id} is closed before it is opened or crosses another pair"
                )
            }
            CodeProblem::Unclosed(id) => write!(f, "code {id} is opened and never closed"),
        }
    }
}

/// How each code id is used in a piece of content.
fn code_kinds(source: &[Item]) -> HashMap<u32, bool> {
    let mut kinds = HashMap::new();
    for item in source {
        match item {
            Item::Open(id) | Item::Close(id) => {
                kinds.insert(*id, true);
            }
            Item::Ph(id) => {
                kinds.insert(*id, false);
            }
            Item::Text(_) => {}
        }
    }
    kinds
}

/// Checks that `target` has every code of `source`, once, paired and nested.
pub fn check(source: &[Item], target: &[Item]) -> Vec<CodeProblem> {
    let kinds = code_kinds(source);
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut open = Vec::new();
    for item in target {
        match item {
            Item::Text(_) => {}
            Item::Ph(id) | Item::Open(id) => {
                let is_pair = matches!(item, Item::Open(_));
                match kinds.get(id) {
                    None => problems.push(CodeProblem::Unknown(*id)),
                    Some(&pair) if pair != is_pair => problems.push(CodeProblem::WrongKind(*id)),
                    Some(_) if !seen.insert(*id) => problems.push(CodeProblem::Duplicate(*id)),
                    Some(_) if is_pair => open.push(*id),
                    Some(_) => {}
                }
            }
            Item::Close(id) => match kinds.get(id) {
                None => problems.push(CodeProblem::Unknown(*id)),
                Some(false) => problems.push(CodeProblem::WrongKind(*id)),
                Some(true) => {
                    if open.last() == Some(id) {
                        open.pop();
                    } else {
                        problems.push(CodeProblem::Unbalanced(*id));
                    }
                }
            },
        }
    }
    problems.extend(open.into_iter().map(CodeProblem::Unclosed));
    let mut missing: Vec<u32> = kinds
        .keys()
        .filter(|id| !seen.contains(*id))
        .copied()
        .collect();
    missing.sort_unstable();
    problems.extend(missing.into_iter().map(CodeProblem::Missing));
    problems
}

/// Makes `target`'s codes valid for `source`: unknown and repeated codes dropped, stray
/// closing codes dropped, open pairs closed at the end, missing codes added at the end.
pub fn repair(source: &[Item], target: &[Item]) -> Content {
    let kinds = code_kinds(source);
    let mut out = Vec::with_capacity(target.len() + 4);
    let mut seen = HashSet::new();
    let mut open: Vec<u32> = Vec::new();
    for item in target {
        match item {
            Item::Text(_) => out.push(item.clone()),
            Item::Ph(id) => {
                if kinds.get(id) == Some(&false) && seen.insert(*id) {
                    out.push(item.clone());
                }
            }
            Item::Open(id) => {
                if kinds.get(id) == Some(&true) && seen.insert(*id) {
                    open.push(*id);
                    out.push(item.clone());
                }
            }
            Item::Close(id) => {
                if let Some(position) = open.iter().rposition(|o| o == id) {
                    // Close the pairs opened inside this one first, so nesting holds.
                    for inner in open.drain(position..).rev() {
                        out.push(Item::Close(inner));
                    }
                }
            }
        }
    }
    for id in open.into_iter().rev() {
        out.push(Item::Close(id));
    }
    for item in source {
        match item {
            Item::Ph(id) if !seen.contains(id) => {
                seen.insert(*id);
                out.push(Item::Ph(*id));
            }
            Item::Open(id) if !seen.contains(id) => {
                seen.insert(*id);
                out.push(Item::Open(*id));
                out.push(Item::Close(*id));
            }
            _ => {}
        }
    }
    out
}

/// The source itself, when `target` is its text with every code stripped: tools that
/// only handle plain text (translate-toolkit's `unit.target = unit.source`, spreadsheets)
/// give a segment confirmed as it is back without its codes, and the codes belong where
/// the source has them. White space runs count as one space; anything else — a real
/// translation — is left to [`check`] and [`repair`].
pub fn restore_stripped(source: &[Item], target: &[Item]) -> Option<Content> {
    let has_codes = |content: &[Item]| content.iter().any(|i| !matches!(i, Item::Text(_)));
    if has_codes(target) || !has_codes(source) {
        return None;
    }
    let squeeze = |content: &[Item]| {
        plain_text(content)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    (squeeze(source) == squeeze(target)).then(|| source.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Content {
        vec![
            Item::Text("This standard ".into()),
            Item::Open(1),
            Item::Text("shall".into()),
            Item::Close(1),
            Item::Text(" apply".into()),
            Item::Ph(2),
        ]
    }

    #[test]
    fn a_target_stripped_of_its_codes_gets_them_back() {
        let source = vec![
            Item::Open(1),
            Item::Text("I am".into()),
            Item::Ph(2),
            Item::Ph(3),
            Item::Text(" a textfield".into()),
            Item::Close(1),
        ];
        let stripped = vec![Item::Text("I am  a textfield".into())];
        assert_eq!(restore_stripped(&source, &stripped), Some(source.clone()));
        let translated = vec![Item::Text("Je suis un champ".into())];
        assert_eq!(
            restore_stripped(&source, &translated),
            None,
            "a translation is not restored"
        );
        let plain = vec![Item::Text("I am".into())];
        assert_eq!(restore_stripped(&plain, &plain), None, "nothing to restore");
    }

    #[test]
    fn reordered_codes_are_fine() {
        let target = vec![
            Item::Ph(2),
            Item::Text("本标准".into()),
            Item::Open(1),
            Item::Text("应".into()),
            Item::Close(1),
            Item::Text("适用".into()),
        ];
        assert!(check(&source(), &target).is_empty());
    }

    #[test]
    fn lost_and_unbalanced_codes_are_named() {
        let target = vec![
            Item::Text("本标准".into()),
            Item::Open(1),
            Item::Text("应".into()),
        ];
        let problems = check(&source(), &target);
        assert!(problems.contains(&CodeProblem::Unclosed(1)));
        assert!(problems.contains(&CodeProblem::Missing(2)));
        let crossed = vec![
            Item::Close(1),
            Item::Open(1),
            Item::Ph(2),
            Item::Ph(3),
            Item::Ph(2),
        ];
        let problems = check(&source(), &crossed);
        assert!(problems.contains(&CodeProblem::Unbalanced(1)));
        assert!(problems.contains(&CodeProblem::Unknown(3)));
        assert!(problems.contains(&CodeProblem::Duplicate(2)));
    }

    #[test]
    fn repair_gives_valid_codes() {
        let broken = vec![
            Item::Close(1),
            Item::Text("本标准".into()),
            Item::Open(1),
            Item::Ph(9),
            Item::Text("应".into()),
        ];
        let repaired = repair(&source(), &broken);
        assert!(check(&source(), &repaired).is_empty(), "{repaired:?}");
        assert_eq!(crate::model::plain_text(&repaired), "本标准应");
    }
}
