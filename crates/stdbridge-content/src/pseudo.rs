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
    pseudo_translate_with_terms(content, &[])
}

/// A term the pseudo-translation must write as the termbase says: `source` in the text
/// becomes `target`, unaccented.
#[derive(Debug, Clone, Copy)]
pub struct PseudoTerm<'a> {
    /// The term as the source writes it.
    pub source: &'a str,
    /// The translation the termbase requires.
    pub target: &'a str,
}

/// [`pseudo_translate`], with each term of `terms` found in the text replaced by its
/// required translation (the longest term first where two overlap), so that a demo of
/// term enforcement shows the termbase's terms in place.
pub fn pseudo_translate_with_terms(content: &[Item], terms: &[PseudoTerm<'_>]) -> Content {
    let mut terms: Vec<PseudoTerm<'_>> = terms
        .iter()
        .filter(|t| !t.source.is_empty() && !t.target.is_empty())
        .copied()
        .collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.source.len()));
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
                    &terms,
                    seen == 1,
                    (seen == text_items).then_some(padding),
                ))
            }
            other => other.clone(),
        })
        .collect()
}

fn pseudo_text(
    text: &str,
    terms: &[PseudoTerm<'_>],
    first: bool,
    padding: Option<usize>,
) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    if first {
        out.push('⟦');
    }
    let marked = !first && padding.is_none() && !text.chars().any(|c| c.is_ascii_alphabetic());
    if marked {
        out.push('‹');
    }
    for piece in pieces(text, terms) {
        match piece {
            Piece::Change(text) => out.extend(text.chars().map(accent)),
            Piece::Keep(text) => out.push_str(text),
            Piece::Term(target) => {
                // Two Latin words that meet (应能 → shall can) keep a space between them.
                let glued = out
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                    && target.starts_with(|c: char| c.is_ascii_alphanumeric());
                if glued {
                    out.push(' ');
                }
                out.push_str(target);
            }
        }
    }
    if marked {
        out.push('›');
    }
    if let Some(padding) = padding {
        out.extend(std::iter::repeat_n('·', padding));
        out.push('⟧');
    }
    out
}

/// A piece of a text: changed by the pseudo-translation, written as it is, or a term's
/// required translation.
enum Piece<'a> {
    Change(&'a str),
    Keep(&'a str),
    Term(&'a str),
}

/// The text cut into what changes and what is kept: a term (as its required translation),
/// a designation, a quantity with its unit.
fn pieces<'a>(text: &'a str, terms: &[PseudoTerm<'a>]) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let next_term = terms
            .iter()
            .filter_map(|t| rest.find(t.source).map(|at| (at, *t)))
            .min_by_key(|(at, _)| *at);
        let (before, term) = match next_term {
            Some((at, term)) => (&rest[..at], Some((at, term))),
            None => (rest, None),
        };
        kept_or_changed(before, &mut out);
        match term {
            Some((at, term)) => {
                out.push(Piece::Term(term.target));
                rest = &rest[at + term.source.len()..];
            }
            None => rest = "",
        }
    }
    out
}

/// Cuts `text` (no term in it) at designations and quantities.
fn kept_or_changed<'a>(text: &'a str, out: &mut Vec<Piece<'a>>) {
    let mut at = 0;
    for kept in KEPT.find_iter(text) {
        out.push(Piece::Change(&text[at..kept.start()]));
        out.push(Piece::Keep(kept.as_str()));
        at = kept.end();
    }
    out.push(Piece::Change(&text[at..]));
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

    #[test]
    fn terms_are_written_as_the_termbase_requires_longest_first() {
        let terms = [
            PseudoTerm {
                source: "集装箱",
                target: "freight container",
            },
            PseudoTerm {
                source: "通用集装箱",
                target: "general purpose container",
            },
            PseudoTerm {
                source: "箱",
                target: "box",
            },
        ];
        let out = pseudo_translate_with_terms(
            &[Item::Text("通用集装箱和集装箱的箱门，40 mm。".into())],
            &terms,
        );
        assert_eq!(
            plain_text(&out),
            "⟦general purpose container和freight container的box门，40 mm。······⟧"
        );
        let english = pseudo_translate_with_terms(
            &[Item::Text("The container shall be closed.".into())],
            &[PseudoTerm {
                source: "container",
                target: "集装箱",
            }],
        );
        assert_eq!(
            plain_text(&english),
            "⟦Ţĥé 集装箱 šĥåļļ ƀé çļøšéď.·········⟧"
        );
    }
}
