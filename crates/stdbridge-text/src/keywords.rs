//! Title keywords for analytics: the content words of a title, without function words
//! and without the words every standard's title carries ("part", "第", "部分"), so that
//! counting them across a catalogue shows what its standards are about.

use crate::chinese::JIEBA;
use crate::fold::{fold_for_search, is_han};

/// English function words and words of a title's structure rather than its subject.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "between",
    "both",
    "but",
    "by",
    "can",
    "each",
    "for",
    "from",
    "has",
    "have",
    "in",
    "into",
    "is",
    "it",
    "its",
    "more",
    "not",
    "of",
    "on",
    "or",
    "other",
    "over",
    "per",
    "so",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "these",
    "this",
    "those",
    "through",
    "to",
    "under",
    "up",
    "upon",
    "use",
    "used",
    "using",
    "via",
    "when",
    "where",
    "which",
    "with",
    "within",
    "without",
    // The structure of a title, not its subject.
    "part",
    "parts",
    "amendment",
    "corrigendum",
    "section",
    "annex",
    "edition",
    "volume",
];

/// Chinese function words and words of a title's structure.
const CHINESE_STOP_WORDS: &[&str] = &[
    "部分",
    "第",
    "和",
    "与",
    "及",
    "的",
    "及其",
    "以及",
    "或",
    "用",
    "在",
    "对",
    "中",
    "等",
    "其",
    "修改单",
    "号",
];

/// The keywords of a title in `lang` (`en`, `zh`; other languages give none): folded,
/// function words dropped; English words of three letters or more that are not numbers,
/// Chinese words of two characters or more.
pub fn title_keywords(lang: &str, title: &str) -> Vec<String> {
    let folded = fold_for_search(title);
    match lang {
        "en" => english_keywords(&folded),
        "zh" => chinese_keywords(&folded),
        _ => Vec::new(),
    }
}

fn english_keywords(folded: &str) -> Vec<String> {
    folded
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|word| word.trim_matches('-'))
        .filter(|word| word.chars().count() >= 3)
        .filter(|word| word.chars().any(char::is_alphabetic))
        .filter(|word| !ENGLISH_STOP_WORDS.contains(word))
        .map(str::to_owned)
        .collect()
}

fn chinese_keywords(folded: &str) -> Vec<String> {
    JIEBA
        .cut(folded, true)
        .into_iter()
        .map(|token| token.word)
        .filter(|word| word.chars().count() >= 2 && word.chars().all(is_han))
        .filter(|word| !CHINESE_STOP_WORDS.contains(word))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::title_keywords;

    #[test]
    fn english_titles_keep_their_content_words() {
        assert_eq!(
            title_keywords(
                "en",
                "Information security — Part 2: Guidelines for the use of cryptography"
            ),
            ["information", "security", "guidelines", "cryptography"]
        );
    }

    #[test]
    fn chinese_titles_keep_domain_words_and_drop_structure() {
        let words = title_keywords("zh", "信息安全技术 第2部分：密码应用指南");
        assert!(words.contains(&"信息安全技术".to_owned()), "{words:?}");
        assert!(!words.iter().any(|w| w == "部分" || w == "第"), "{words:?}");
    }

    #[test]
    fn other_languages_give_no_keywords() {
        assert!(title_keywords("fr", "Sécurité de l'information").is_empty());
    }
}
