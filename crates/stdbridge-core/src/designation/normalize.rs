//! Folding of designation text before parsing: width, dashes, Cyrillic, case, spacing.

use unicode_normalization::UnicodeNormalization;

/// Cyrillic words of designation prefixes whose Latin form is not a letter-by-letter
/// transliteration (ИСО is ISO, МЭК is IEC, ЕН is EN).
const CYRILLIC_WORDS: &[(&str, &str)] = &[("ИСО", "ISO"), ("МЭК", "IEC"), ("ЕН", "EN")];

/// Folds a designation as typed or printed into one spelling: NFKC (full-width letters,
/// digits and punctuation become ASCII), every dash becomes `-`, Cyrillic prefixes become
/// Latin, letters are upper case, runs of spaces become one, and spaces around the
/// punctuation of designations (`/ : - . + ( )`) are dropped.
pub fn fold(input: &str) -> String {
    if input.is_ascii() {
        // Nothing for NFKC or transliteration to do.
        return collapse_dashes(&tighten_spaces(&input.to_ascii_uppercase()));
    }
    let nfkc: String = input
        .chars()
        .filter(|ch| !is_invisible_format(*ch))
        .nfkc()
        .map(ascii_dash)
        .collect();
    let latin = transliterate_cyrillic(&nfkc);
    let upper = latin.to_uppercase();
    collapse_dashes(&tighten_spaces(&upper))
}

/// Invisible format characters that a copy from a web page or PDF brings into a
/// designation (zero-width space and joiners, soft hyphen, byte-order mark, direction
/// marks and isolates, word joiner): they are not part of it.
fn is_invisible_format(ch: char) -> bool {
    matches!(
        ch,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
    )
}

/// Every dash (hyphen, en dash, em dash, minus…) becomes `-`.
fn ascii_dash(ch: char) -> char {
    match ch {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        other => other,
    }
}

/// "——" (a doubled em dash, as Chinese typesetting uses) is one separator.
fn collapse_dashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch == '-' && out.ends_with('-') {
            continue;
        }
        out.push(ch);
    }
    out
}

fn transliterate_cyrillic(text: &str) -> String {
    if !text.chars().any(is_cyrillic) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for ch in text.chars() {
        if is_cyrillic(ch) {
            word.push(ch);
        } else {
            flush_cyrillic_word(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush_cyrillic_word(&mut word, &mut out);
    out
}

fn is_cyrillic(ch: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&ch)
}

fn flush_cyrillic_word(word: &mut String, out: &mut String) {
    if word.is_empty() {
        return;
    }
    let upper = word.to_uppercase();
    match CYRILLIC_WORDS
        .iter()
        .find(|(cyrillic, _)| *cyrillic == upper)
    {
        Some((_, latin)) => out.push_str(latin),
        None => upper.chars().for_each(|ch| out.push_str(latin_letter(ch))),
    }
    word.clear();
}

/// Letter-by-letter transliteration (GOST 7.79 system B, simplified to what designations use).
fn latin_letter(ch: char) -> &'static str {
    match ch {
        'А' => "A",
        'Б' => "B",
        'В' => "V",
        'Г' => "G",
        'Д' => "D",
        'Е' | 'Ё' | 'Э' => "E",
        'Ж' => "ZH",
        'З' => "Z",
        'И' | 'Й' => "I",
        'К' => "K",
        'Л' => "L",
        'М' => "M",
        'Н' => "N",
        'О' => "O",
        'П' => "P",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'У' => "U",
        'Ф' => "F",
        'Х' => "KH",
        'Ц' => "TS",
        'Ч' => "CH",
        'Ш' => "SH",
        'Щ' => "SHCH",
        'Ы' => "Y",
        'Ю' => "YU",
        'Я' => "YA",
        _ => "",
    }
}

fn tighten_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') && !ends_with_tight_punct(&out) {
                out.push(' ');
            }
        } else {
            if is_tight_punct(ch) && out.ends_with(' ') {
                out.pop();
            }
            out.push(ch);
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn is_tight_punct(ch: char) -> bool {
    matches!(ch, '/' | ':' | '-' | '.' | '+' | '(' | ')' | ',')
}

fn ends_with_tight_punct(text: &str) -> bool {
    text.chars()
        .last()
        .is_some_and(|ch| is_tight_punct(ch) && ch != '.' && ch != ')')
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn full_width_letters_and_slash_become_ascii() {
        assert_eq!(fold("ＧＢ／Ｔ １７７６６—２０２０"), "GB/T 17766-2020");
    }

    #[test]
    fn zero_width_and_other_format_characters_are_ignored_inside_designations() {
        assert_eq!(fold("GB/T\u{200B} 191\u{00AD}-2008"), "GB/T 191-2008");
        assert_eq!(
            fold("\u{FEFF}ISO\u{2060} 9001:\u{200D}2015\u{200E}"),
            "ISO 9001:2015"
        );
    }

    #[test]
    fn cyrillic_prefixes_become_latin() {
        assert_eq!(fold("ГОСТ Р ИСО 9001-2015"), "GOST R ISO 9001-2015");
        assert_eq!(fold("ГОСТ ИСО/МЭК 17025-2019"), "GOST ISO/IEC 17025-2019");
    }

    #[test]
    fn spaces_around_punctuation_are_dropped() {
        assert_eq!(fold("  iso  9001 : 2015 "), "ISO 9001:2015");
        assert_eq!(fold("GB / T 17766 -- 2020"), "GB/T 17766-2020");
    }

    #[test]
    fn folding_is_idempotent_on_examples() {
        for text in [
            "ITU-T X.509 (10/2019)",
            "ISO/IEC 27001:2022/Amd 1:2024",
            "gbt 17766",
        ] {
            let once = fold(text);
            assert_eq!(fold(&once), once);
        }
    }
}
