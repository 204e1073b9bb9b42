//! Pseudo-translation: every translatable piece of text made visibly different, codes
//! kept, text about a third longer, so that untranslated text, broken encodings, cut-off
//! fields and layouts that cannot grow show up before a real translation is paid for.
//! Digits stay as they are: numbers must survive translation.

use crate::model::{Content, Item};

/// The pseudo-translation of a segment: Latin letters replaced by accented look-alikes,
/// the segment between ⟦ and ⟧ and padded by a third, and a piece of text inside it that
/// has no Latin letter (Chinese, a number) between ‹ and ›, so every piece changes.
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
    let marked = !first && padding.is_none() && !text.chars().any(|c| c.is_ascii_alphabetic());
    if marked {
        out.push('‹');
    }
    out.extend(text.chars().map(accent));
    if marked {
        out.push('›');
    }
    if let Some(padding) = padding {
        out.extend(std::iter::repeat_n('·', padding));
        out.push('⟧');
    }
    out
}

/// An accented look-alike of a Latin letter; anything else as it is.
fn accent(c: char) -> char {
    const LOWER: [char; 26] = [
        'å', 'ƀ', 'ç', 'ď', 'é', 'ƒ', 'ĝ', 'ĥ', 'î', 'ĵ', 'ķ', 'ļ', 'ɱ', 'ñ', 'ø', 'þ', 'ǫ', 'ŕ',
        'š', 'ţ', 'û', 'ṽ', 'ŵ', 'ẋ', 'ý', 'ž',
    ];
    const UPPER: [char; 26] = [
        'Å', 'Ɓ', 'Ç', 'Ď', 'É', 'Ƒ', 'Ĝ', 'Ĥ', 'Î', 'Ĵ', 'Ķ', 'Ļ', 'Ṁ', 'Ñ', 'Ø', 'Þ', 'Ǫ', 'Ŕ',
        'Š', 'Ţ', 'Û', 'Ṽ', 'Ŵ', 'Ẋ', 'Ý', 'Ž',
    ];
    match c {
        'a'..='z' => LOWER[c as usize - 'a' as usize],
        'A'..='Z' => UPPER[c as usize - 'A' as usize],
        other => other,
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
            "⟦Ţĥîš šţåñďåŕď {1}šĥåļļ{/1} åþþļý········⟧"
        );
        let numbers = pseudo_translate(&[
            Item::Text("见".into()),
            Item::Open(1),
            Item::Text("2020".into()),
            Item::Close(1),
            Item::Text("年".into()),
        ]);
        assert_eq!(marked(&numbers), "⟦见{1}‹2020›{/1}年··⟧");
        let chinese = pseudo_translate(&[Item::Text("本标准适用于集装箱。".into())]);
        assert_eq!(plain_text(&chinese), "⟦本标准适用于集装箱。···⟧");
    }
}
