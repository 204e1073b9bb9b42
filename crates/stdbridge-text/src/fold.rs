//! Folding text for matching: full-width letters and digits become ASCII (NFKC), and
//! letters become lower case. Applied to indexed text and to queries alike.

use unicode_normalization::UnicodeNormalization;

/// Folds text for search: NFKC, then lower case.
pub fn fold_for_search(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfkc().collect::<String>().to_lowercase()
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
}
