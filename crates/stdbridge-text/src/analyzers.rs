//! The tantivy analyzers, by name, and the language each serves.

use tantivy::tokenizer::{
    Language, LowerCaser, NgramTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    TokenizerManager,
};

/// An analyzer stdbridge registers with tantivy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analyzer {
    /// English words, stemmed.
    English,
    /// French words, stemmed.
    French,
    /// Russian words, stemmed.
    Russian,
    /// Spanish words, stemmed.
    Spanish,
    /// Chinese, segmented by jieba in search mode (long words also yield their parts).
    Chinese,
    /// Japanese (and any text without spaces we have no segmenter for): character bigrams.
    Bigram,
    /// Designations and other codes: alphanumeric runs, lower case.
    Code,
    /// Other languages: words, lower case.
    Plain,
}

impl Analyzer {
    /// Every analyzer.
    pub const ALL: [Analyzer; 8] = [
        Analyzer::English,
        Analyzer::French,
        Analyzer::Russian,
        Analyzer::Spanish,
        Analyzer::Chinese,
        Analyzer::Bigram,
        Analyzer::Code,
        Analyzer::Plain,
    ];

    /// The name under which it is registered.
    pub fn name(self) -> &'static str {
        match self {
            Analyzer::English => "sb_en",
            Analyzer::French => "sb_fr",
            Analyzer::Russian => "sb_ru",
            Analyzer::Spanish => "sb_es",
            Analyzer::Chinese => "sb_zh",
            Analyzer::Bigram => "sb_bigram",
            Analyzer::Code => "sb_code",
            Analyzer::Plain => "sb_plain",
        }
    }

    /// The analyzer for titles in a language (ISO 639-1).
    pub fn for_language(lang: &str) -> Analyzer {
        match lang {
            "en" => Analyzer::English,
            "fr" => Analyzer::French,
            "ru" => Analyzer::Russian,
            "es" => Analyzer::Spanish,
            "zh" => Analyzer::Chinese,
            "ja" | "ko" => Analyzer::Bigram,
            _ => Analyzer::Plain,
        }
    }

    fn build(self) -> TextAnalyzer {
        let words = || {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
        };
        match self {
            Analyzer::English => words().filter(Stemmer::new(Language::English)).build(),
            Analyzer::French => words().filter(Stemmer::new(Language::French)).build(),
            Analyzer::Russian => words().filter(Stemmer::new(Language::Russian)).build(),
            Analyzer::Spanish => words().filter(Stemmer::new(Language::Spanish)).build(),
            Analyzer::Chinese => TextAnalyzer::builder(crate::chinese::ChineseTokenizer::default())
                .filter(LowerCaser)
                .build(),
            Analyzer::Bigram => match NgramTokenizer::new(2, 2, false) {
                Ok(tokenizer) => TextAnalyzer::builder(tokenizer).filter(LowerCaser).build(),
                Err(_) => words().build(),
            },
            Analyzer::Code | Analyzer::Plain => words().build(),
        }
    }
}

/// Registers every analyzer with an index's tokenizer manager.
pub fn register_analyzers(manager: &TokenizerManager) {
    for analyzer in Analyzer::ALL {
        manager.register(analyzer.name(), analyzer.build());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(analyzer: Analyzer, text: &str) -> Vec<String> {
        let mut built = analyzer.build();
        let mut stream = built.token_stream(text);
        let mut found = Vec::new();
        while stream.advance() {
            found.push(stream.token().text.clone());
        }
        found
    }

    #[test]
    fn english_titles_are_stemmed() {
        assert_eq!(
            tokens(Analyzer::English, "Quality management systems"),
            ["qualiti", "manag", "system"]
        );
    }

    #[test]
    fn chinese_titles_are_segmented_into_words() {
        let found = tokens(Analyzer::Chinese, "房间空气调节器能效限定值及能效等级");
        assert!(found.contains(&"能效".to_owned()), "{found:?}");
        assert!(
            found.iter().any(|t| t == "空气" || t == "空气调节器"),
            "{found:?}"
        );
    }

    #[test]
    fn japanese_titles_become_bigrams() {
        assert_eq!(
            tokens(Analyzer::Bigram, "試験方法"),
            ["試験", "験方", "方法"]
        );
    }
}
