//! Pseudo-translation: every translatable character made visibly different, codes kept,
//! text about a third longer, so that untranslated text, broken encodings, cut-off fields
//! and layouts that cannot grow show up before a real translation is paid for.

use crate::model::{Content, Item};

/// The pseudo-translation of a segment: Latin letters accented, CJK text in full-width
/// brackets, each text piece marked at both ends and padded by a third.
pub fn pseudo_translate(content: &[Item]) -> Content {
    let text_items = content
        .iter()
        .filter(|item| matches!(item, Item::Text(t) if !t.trim().is_empty()))
        .count();
    let letters: usize = content
        .iter()
        .map(|item| match item {
            Item::Text(text) => text.chars().filter(|c| c.is_alphanumeric()).count(),
            _ => 0,
        })
        .sum();
    let padding = letters.div_ceil(3);
    let mut seen = 0;
    content
        .iter()
        .map(|item| match item {
            Item::Text(text) if !text.trim().is_empty() => {
                seen += 1;
                Item::Text(pseudo_text(
                    text,
                    seen == 1,
                    (seen == text_items).then_some(padding),
                ))
            }
            other => other.clone(),
        })
        .collect()
}

fn pseudo_text(text: &str, first: bool, padding: Option<usize>) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    if first {
        out.push('⟦');
    }
    out.extend(text.chars().map(accent));
    if let Some(padding) = padding {
        out.extend(std::iter::repeat_n('·', padding));
        out.push('⟧');
    }
    out
}

/// A look-alike of a Latin letter; CJK ideographs to their compatibility look-alike where
/// one exists is not safe, so they are kept and the brackets show them.
fn accent(c: char) -> char {
    const FROM: &str = "aceinosuyzACEINOSUYZ";
    const TO: &str = "åçéîñøšûýžÅÇÉÎÑØŠÛÝŽ";
    match FROM.chars().position(|f| f == c) {
        Some(index) => TO.chars().nth(index).unwrap_or(c),
        None => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;
    use crate::model::{marked, plain_text};

    #[test]
    fn every_text_changes_and_codes_stay() {
        let source = vec![
            Item::Text("This standard ".into()),
            Item::Open(1),
            Item::Text("shall".into()),
            Item::Close(1),
            Item::Text(" apply".into()),
        ];
        let pseudo = pseudo_translate(&source);
        assert!(codes::check(&source, &pseudo).is_empty());
        assert_eq!(
            marked(&pseudo),
            "⟦Ŧhîš štåñdård {1}šhåll{/1} åpplý········⟧".replace('Ŧ', "T")
        );
        let chinese = pseudo_translate(&[Item::Text("本标准适用于集装箱。".into())]);
        assert_eq!(plain_text(&chinese), "⟦本标准适用于集装箱。···⟧");
    }
}
