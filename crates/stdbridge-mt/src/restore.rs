//! Inline codes back into a translation made from the text alone (the built-in engine
//! translates text; the codes wait outside). A pair whose text comes out unchanged (a
//! designation such as "GB/T 1413", a number) wraps that text again; every other code goes
//! to the place in the translation that corresponds, by length, to its place in the
//! source, moved to the nearest word boundary when the target separates words with
//! spaces. Codes keep their source order, so pairs stay nested.

use stdbridge_content::model::push_text;
use stdbridge_content::{Content, Item};

/// A code with its offset (in characters) in the source's text.
struct Placed {
    item: Item,
    offset: usize,
}

/// The source's text and its codes with their offsets.
fn codes_of(source: &[Item]) -> (String, Vec<Placed>) {
    let mut text = String::new();
    let mut chars = 0;
    let mut codes = Vec::new();
    for item in source {
        match item {
            Item::Text(t) => {
                text.push_str(t);
                chars += t.chars().count();
            }
            code => codes.push(Placed {
                item: code.clone(),
                offset: chars,
            }),
        }
    }
    (text, codes)
}

/// For the open code at `open`: the index of its close code.
fn close_of(codes: &[Placed], open: usize) -> Option<usize> {
    let Item::Open(id) = codes[open].item else {
        return None;
    };
    codes[open..]
        .iter()
        .position(|c| c.item == Item::Close(id))
        .map(|p| p + open)
}

/// `translation` with the codes of `source` put back.
pub fn restore_codes(source: &[Item], translation: &str, spaced: bool) -> Content {
    let (text, codes) = codes_of(source);
    if codes.is_empty() {
        let mut out = Vec::new();
        push_text(&mut out, translation);
        return out;
    }
    let target: Vec<char> = translation.chars().collect();
    let source_len = text.chars().count();
    let mut positions: Vec<Option<usize>> = vec![None; codes.len()];
    // Pairs around text that is found unchanged in the translation.
    for open in 0..codes.len() {
        let Some(close) = close_of(&codes, open) else {
            continue;
        };
        let (from, to) = (codes[open].offset, codes[close].offset);
        let inner: String = text.chars().skip(from).take(to - from).collect();
        if inner.trim().is_empty() {
            continue;
        }
        if let Some(at) = translation.find(inner.as_str()) {
            let start = translation[..at].chars().count();
            positions[open] = Some(start);
            positions[close] = Some(start + inner.chars().count());
        }
    }
    // Everything else by proportion, never before the code before it.
    let mut last = 0;
    for (i, code) in codes.iter().enumerate() {
        let wanted = match positions[i] {
            Some(at) if at >= last => at,
            _ => proportional(code.offset, source_len, &target, spaced),
        };
        let at = wanted.max(last).min(target.len());
        positions[i] = Some(at);
        last = at;
    }
    let mut out = Vec::new();
    let mut cursor = 0;
    for (code, at) in codes.iter().zip(positions) {
        let at = at.unwrap_or(target.len());
        if at > cursor {
            push_text(&mut out, &target[cursor..at].iter().collect::<String>());
            cursor = at;
        }
        out.push(code.item.clone());
    }
    if cursor < target.len() {
        push_text(&mut out, &target[cursor..].iter().collect::<String>());
    }
    out
}

/// The place in the target corresponding to `offset` in a source of `source_len`
/// characters; on a word boundary when the target is spaced.
fn proportional(offset: usize, source_len: usize, target: &[char], spaced: bool) -> usize {
    if offset == 0 || source_len == 0 {
        return 0;
    }
    if offset >= source_len {
        return target.len();
    }
    let guess = (offset * target.len() + source_len / 2) / source_len;
    if !spaced {
        return guess;
    }
    let boundaries = (0..=target.len())
        .filter(|&i| i == 0 || i == target.len() || target[i - 1] == ' ' || target[i] == ' ');
    boundaries
        .min_by_key(|&i| i.abs_diff(guess))
        .unwrap_or(guess)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Item {
        Item::Text(s.to_string())
    }

    #[test]
    fn a_designation_is_wrapped_again_and_edges_stay_at_the_edges() {
        let source = vec![
            Item::Ph(1),
            text("本标准代替"),
            Item::Open(2),
            text("GB/T 1413"),
            Item::Close(2),
            text("。"),
            Item::Ph(3),
        ];
        let out = restore_codes(&source, "This standard replaces GB/T 1413.", true);
        assert_eq!(
            out,
            vec![
                Item::Ph(1),
                text("This standard replaces "),
                Item::Open(2),
                text("GB/T 1413"),
                Item::Close(2),
                text("."),
                Item::Ph(3),
            ]
        );
    }

    #[test]
    fn other_codes_land_on_word_boundaries_in_order() {
        let source = vec![
            text("集装箱"),
            Item::Open(1),
            text("应"),
            Item::Close(1),
            text("符合规定。"),
        ];
        let out = restore_codes(&source, "Freight containers shall comply.", true);
        let positions: Vec<usize> = out
            .iter()
            .enumerate()
            .filter(|(_, i)| !matches!(i, Item::Text(_)))
            .map(|(n, _)| n)
            .collect();
        assert_eq!(positions.len(), 2);
        assert!(positions[0] < positions[1]);
        for item in &out {
            if let Item::Text(t) = item {
                assert!(!t.is_empty());
            }
        }
        let joined: String = out
            .iter()
            .filter_map(|i| match i {
                Item::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(joined, "Freight containers shall comply.");
        let first_text = match &out[0] {
            Item::Text(t) => t.clone(),
            other => panic!("{other:?}"),
        };
        assert!(
            first_text.ends_with(' ') || first_text.ends_with('s'),
            "{first_text:?}"
        );
    }
}
