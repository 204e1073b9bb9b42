//! Which words of a title a query matched, to show them marked. The title is analysed as
//! the index analysed it (stemmed words, jieba's Chinese words), so "systems" in a query
//! marks "System" in a title; a typo marks the word it was taken for; Chinese words
//! typed as a run mark every place the run occurs.

use std::collections::HashSet;

use stdbridge_text::{Analyzer, is_cjk};

use super::CatalogIndex;

/// A matched span of a title: character offsets, end excluded.
pub type Span = (usize, usize);

impl CatalogIndex {
    /// The spans of `title` (in language `lang`) that the words of `query_text` matched,
    /// in order, merged where they touch.
    pub fn highlight(&self, query_text: &str, lang: &str, title: &str) -> Vec<Span> {
        let analyzer = Analyzer::for_language(lang);
        let folded = stdbridge_text::fold_for_search(query_text);
        let words: Vec<&str> = folded.split_whitespace().collect();
        let wanted: HashSet<String> = words
            .iter()
            .flat_map(|word| self.tokens(analyzer, word))
            .collect();
        let mut bytes: Vec<(usize, usize)> = Vec::new();
        if let Some(mut built) = self.index.tokenizers().get(analyzer.name()) {
            let mut stream = built.token_stream(title);
            while stream.advance() {
                let token = stream.token();
                let original = &title[token.offset_from..token.offset_to];
                if wanted.contains(&token.text) || is_typo_of_any(original, &words) {
                    bytes.push((token.offset_from, token.offset_to));
                }
            }
        }
        for word in words.iter().filter(|w| w.chars().any(is_cjk)) {
            for (at, found) in title.match_indices(word) {
                bytes.push((at, at + found.len()));
            }
        }
        merged(title, bytes)
    }
}

/// Whether a title word is within the typo distance search allows of a query word.
fn is_typo_of_any(title_word: &str, query_words: &[&str]) -> bool {
    let title_word = title_word.to_lowercase();
    query_words.iter().any(|query_word| {
        super::query::typo_distance(query_word).is_some_and(|distance| {
            strsim::damerau_levenshtein(&title_word, query_word) <= usize::from(distance)
        })
    })
}

/// Byte ranges to sorted, merged character spans.
fn merged(text: &str, mut bytes: Vec<(usize, usize)>) -> Vec<Span> {
    bytes.sort_unstable();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (from, to) in bytes {
        match spans.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => spans.push((from, to)),
        }
    }
    let char_at = |byte: usize| text.get(..byte).map_or(0, |head| head.chars().count());
    spans
        .into_iter()
        .map(|(from, to)| (char_at(from), char_at(to)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::merged;

    #[test]
    fn spans_are_merged_and_counted_in_characters() {
        let text = "信息安全 技术";
        // "信息" (bytes 0..6) and "安全" (6..12) touch; "技术" starts at byte 13.
        assert_eq!(
            merged(text, vec![(6, 12), (0, 6), (13, 19)]),
            [(0, 4), (5, 7)]
        );
    }
}
