//! Folding text for matching: full-width letters and digits become ASCII (NFKC), letters
//! become lower case, and traditional Chinese characters become simplified ones (OpenCC's
//! t2s tables, through ferrous-opencc). Applied to indexed text and to queries alike, so
//! "資訊安全" finds "资讯安全" and "ＩＳＯ" finds "iso".

use std::sync::LazyLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use unicode_normalization::UnicodeNormalization;

/// The traditional-to-simplified converter, built once; none if its tables fail to load
/// (then Chinese text is matched as written).
static TO_SIMPLIFIED: LazyLock<Option<OpenCC>> = LazyLock::new(|| {
    OpenCC::from_config(BuiltinConfig::T2s)
        .inspect_err(|error| tracing::warn!("traditional Chinese folding is off: {error}"))
        .ok()
});

/// Folds text for search: NFKC, lower case, traditional → simplified Chinese.
pub fn fold_for_search(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let folded = text.nfkc().collect::<String>().to_lowercase();
    match TO_SIMPLIFIED.as_ref() {
        Some(converter) if folded.chars().any(is_han) => converter.convert(&folded),
        _ => folded,
    }
}

/// Whether a character is a Han (Chinese) character: CJK Unified Ideographs, extension A
/// and the compatibility block.
pub fn is_han(ch: char) -> bool {
    matches!(ch, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Whether a character is written without spaces between words: Han, hiragana or
/// katakana.
pub fn is_cjk(ch: char) -> bool {
    is_han(ch) || matches!(ch, '\u{3040}'..='\u{30FF}')
}

#[cfg(test)]
mod tests {
    use super::fold_for_search;

    #[test]
    fn full_width_and_case_fold() {
        assert_eq!(
            fold_for_search("ＱＵＡＬＩＴＹ Management"),
            "quality management"
        );
        assert_eq!(fold_for_search("房间空气调节器"), "房间空气调节器");
    }

    #[test]
    fn traditional_chinese_folds_to_simplified() {
        assert_eq!(fold_for_search("資訊安全技術"), "资讯安全技术");
        assert_eq!(fold_for_search("標準化工作導則"), "标准化工作导则");
    }
}
