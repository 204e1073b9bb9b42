//! Pseudo-translation: every translatable piece of text made visibly different, codes
//! kept, text about a third longer, so that untranslated text, broken encodings, cut-off
//! fields and layouts that cannot grow show up before a real translation is paid for.
//! Designations of standards, numbers and quantities with their units stay as they are:
//! they must survive translation unchanged, and a pseudo-translation that changed them
//! would hide a filter that breaks them.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Content, Item};

/// What a pseudo-translation leaves alone: a designation (`ISO 9001:2015`, `GB/T 1.1—2020`,
/// `IEC 60335-1`) and a quantity with its unit (`23 °C`, `40 mm`, `5 km/h`).
static KEPT: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = r"(?x)
        \b[A-Z]{1,8}(?:/[A-Z]{1,8})*\s?\d[\d.]*(?:[-—–:]\d{2,4})?
      | \d+(?:[.,]\d+)?\s?(?:°\s?[CF]\b|℃|[a-zA-Zµ]{1,3}(?:/[a-zA-Z]{1,2})?\b)
    ";
    Regex::new(pattern).unwrap_or_else(|error| panic!("built-in pattern: {error}"))
});

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
    let mut at = 0;
    for kept in KEPT.find_iter(text) {
        out.extend(text[at..kept.start()].chars().map(accent));
        out.push_str(kept.as_str());
        at = kept.end();
    }
    out.extend(text[at..].chars().map(accent));
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
        let kept = pseudo_translate(&[Item::Text(
            "Tested to GB/T 1.1—2020 and ISO 9001:2015 at 23 °C, 40 mm and 5 km/h.".into(),
        )]);
        assert_eq!(
            plain_text(&kept),
            "⟦Ţéšţéď ţø GB/T 1.1—2020 åñď ISO 9001:2015 åţ 23 °C, 40 mm åñď 5 km/h.\
             ················⟧"
        );
        let chinese = pseudo_translate(&[Item::Text("本标准适用于集装箱。".into())]);
        assert_eq!(plain_text(&chinese), "⟦本标准适用于集装箱。···⟧");
    }
}
