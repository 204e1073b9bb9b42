//! Chinese word segmentation for search: jieba in search mode (long words also yield
//! their parts), with a user dictionary of the domain's words — the names of China's
//! Classification for Standards and the subject elements of Chinese standard titles
//! ("信息安全技术", "标准化工作导则") — so that they come out as words, not as single
//! characters or wrong splits.
//!
//! One segmenter is built per process and shared: jieba's dictionary is large, and the
//! tokenizer tantivy asks for per field and per query must not copy it.

use std::sync::{Arc, LazyLock};

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The domain words added to jieba's dictionary, one per line (see `dictionary.txt`).
const DOMAIN_WORDS: &str = include_str!("dictionary.txt");

/// Bumped whenever segmentation changes, so that indexes made before are rebuilt.
pub const SEGMENTATION_VERSION: u32 = 1;

pub(crate) static JIEBA: LazyLock<Arc<Jieba>> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for word in domain_words() {
        jieba.add_word(word, None, None);
    }
    Arc::new(jieba)
});

/// The words of the built-in domain dictionary.
pub fn domain_words() -> impl Iterator<Item = &'static str> {
    DOMAIN_WORDS
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// Splits Chinese text into words, search mode.
pub fn segment(text: &str) -> Vec<&str> {
    JIEBA
        .tokenize(text, TokenizeMode::Search, true)
        .into_iter()
        .map(|token| token.word)
        .collect()
}

/// A Chinese word segmenter for translation work: jieba's dictionary, the domain words,
/// words of standards' prose, and extra words — a user dictionary, or the terms of a termbase, so that a term comes
/// out as one word.
#[derive(Clone)]
pub struct WordSegmenter {
    jieba: Arc<Jieba>,
}

/// Words of standards' prose that jieba's dictionary lacks, so that translation
/// segmentation keeps them whole (本标准 "this standard", 适用于 "applies to"). Words that
/// contain a verbal form of requirement (应, 宜, 可, 能) are left out on purpose: those
/// must stay separate words for term recognition.
const PROSE_WORDS: [&str; 9] = [
    "本标准",
    "本文件",
    "本部分",
    "适用于",
    "不适用于",
    "规范性引用文件",
    "术语和定义",
    "规范性附录",
    "资料性附录",
];

static PROSE_JIEBA: LazyLock<Arc<Jieba>> = LazyLock::new(|| {
    let mut jieba = Jieba::clone(&JIEBA);
    for word in PROSE_WORDS {
        jieba.add_word(word, None, None);
    }
    Arc::new(jieba)
});

impl Default for WordSegmenter {
    fn default() -> Self {
        WordSegmenter {
            jieba: Arc::clone(&PROSE_JIEBA),
        }
    }
}

impl WordSegmenter {
    /// The shared segmenter plus `words`.
    pub fn with_words<'w>(words: impl IntoIterator<Item = &'w str>) -> WordSegmenter {
        let mut words = words.into_iter().peekable();
        if words.peek().is_none() {
            return WordSegmenter::default();
        }
        WordSegmenter::default().with_more_words(words)
    }

    /// This segmenter plus `words`.
    pub fn with_more_words<'w>(self, words: impl IntoIterator<Item = &'w str>) -> WordSegmenter {
        let mut jieba = Jieba::clone(&self.jieba);
        for word in words {
            let word = word.trim();
            if !word.is_empty() && !word.contains(char::is_whitespace) {
                jieba.add_word(word, None, None);
            }
        }
        WordSegmenter {
            jieba: Arc::new(jieba),
        }
    }

    /// The shared segmenter plus a user dictionary in jieba's format (`word [frequency]
    /// [tag]` per line); errors name the file.
    pub fn with_dictionary(path: &std::path::Path) -> Result<WordSegmenter, String> {
        let file = std::fs::File::open(path)
            .map_err(|error| format!("{}: cannot open: {error}", path.display()))?;
        let mut jieba = Jieba::clone(&PROSE_JIEBA);
        jieba
            .load_dict(&mut std::io::BufReader::new(file))
            .map_err(|error| format!("{}: not a jieba dictionary: {error}", path.display()))?;
        Ok(WordSegmenter {
            jieba: Arc::new(jieba),
        })
    }

    /// The words of `text`, as byte ranges (precise mode; white space is left out).
    pub fn word_spans(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        let base = text.as_ptr() as usize;
        self.jieba
            .cut(text, true)
            .into_iter()
            .map(|token| token.word)
            .filter(|word| !word.trim().is_empty())
            .map(|word| {
                let start = word.as_ptr() as usize - base;
                start..start + word.len()
            })
            .collect()
    }

    /// The words of `text` (precise mode; white space is left out).
    pub fn words<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.word_spans(text)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }
}

/// A tantivy tokenizer over the shared segmenter.
#[derive(Clone)]
pub struct ChineseTokenizer {
    jieba: Arc<Jieba>,
}

impl Default for ChineseTokenizer {
    fn default() -> Self {
        ChineseTokenizer {
            jieba: Arc::clone(&JIEBA),
        }
    }
}

/// The tokens of one text.
pub struct ChineseTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for ChineseTokenizer {
    type TokenStream<'a> = ChineseTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ChineseTokenStream {
        // jieba counts characters; tantivy wants byte offsets.
        let mut byte_at: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        byte_at.push(text.len());
        let tokens = self
            .jieba
            .tokenize(text, TokenizeMode::Search, true)
            .into_iter()
            .filter(|token| token.word.chars().any(char::is_alphanumeric))
            .enumerate()
            .map(|(position, token)| Token {
                offset_from: byte_at.get(token.start).copied().unwrap_or(text.len()),
                offset_to: byte_at.get(token.end).copied().unwrap_or(text.len()),
                position,
                text: token.word.to_owned(),
                position_length: 1,
            })
            .collect();
        ChineseTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for ChineseTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_words_stay_whole_and_yield_their_parts() {
        let words = segment("信息安全技术 网络安全等级保护基本要求");
        assert!(words.contains(&"信息安全技术"), "{words:?}");
        assert!(words.contains(&"信息"), "{words:?}");
        assert!(words.contains(&"安全"), "{words:?}");
    }

    #[test]
    fn translation_segmentation_keeps_prose_words_and_added_terms_whole() {
        let words = WordSegmenter::default();
        assert_eq!(
            words.words("本标准不适用于罐式集装箱。"),
            vec!["本标准", "不适用于", "罐式", "集装箱", "。"]
        );
        let with_term = WordSegmenter::with_words(["罐式集装箱"]);
        assert!(
            with_term
                .words("本标准不适用于罐式集装箱。")
                .contains(&"罐式集装箱")
        );
    }

    #[test]
    fn offsets_are_bytes_of_the_text() {
        let mut tokenizer = ChineseTokenizer::default();
        let text = "标准化工作导则";
        let mut stream = tokenizer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            assert_eq!(&text[token.offset_from..token.offset_to], token.text);
        }
    }
}
