//! Fuzzy match scores the way translators read them, and the difference between a query
//! and a match.
//!
//! A segment is cut into tokens: every Chinese, Japanese or Korean character is a token;
//! in Latin, Cyrillic and other alphabetic scripts a word is a token; numbers and
//! punctuation are tokens of their own kinds; inline codes are counted apart. Text is
//! compared after width folding (NFKC), so full-width and half-width forms are the same.
//!
//! The score (0–100):
//! - 100: the same text (white space and character width aside) with the same codes;
//! - 95–99: the same words, and only numbers, inline codes, punctuation or letter case
//!   differ — 1 point off per difference, at least 1 and at most 5 (memoQ's band);
//! - otherwise the Levenshtein similarity of the word/character sequences (numbers
//!   counted as one kind of token), at most 94, 1 point off when the codes differ too.
//!
//! All penalties are symmetric, so `score(a, b) == score(b, a)`.

use std::hash::{Hash, Hasher};
use std::ops::Range;

use rapidfuzz::distance::levenshtein;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::unit::Segment;

/// The content token standing for any number.
const NUMBER: u64 = 0x6e75_6d62_6572;

/// The kinds of token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A word, or one CJK character.
    Word,
    /// A number (digits, with `.` or `,` inside).
    Number,
    /// Punctuation or a symbol.
    Punct,
}

/// A token of a segment's plain text.
#[derive(Debug, Clone)]
pub struct Token {
    /// Its kind.
    pub kind: TokenKind,
    /// The folded form compared (NFKC, lower case).
    pub key: String,
    /// Where it is in the text (bytes).
    pub range: Range<usize>,
    /// Whether it differs from its key only by case (for the case penalty).
    pub cased: bool,
}

/// A segment made ready for scoring.
#[derive(Debug, Clone)]
pub struct Analyzed {
    /// The plain text.
    pub text: String,
    /// The tokens of the plain text.
    pub tokens: Vec<Token>,
    /// Content tokens as ids (numbers all the same id).
    pub content: Vec<u64>,
    /// The text, folded for identity (width folded, white space collapsed, codes marked).
    identity: String,
    /// The numbers, in order.
    numbers: Vec<u64>,
    /// The punctuation, in order.
    punct: Vec<u64>,
    /// Inline code kinds, in order.
    tags: Vec<u64>,
    /// Content words with their case, in order.
    cased: Vec<u64>,
}

impl Analyzed {
    /// Analyzes a segment (with inline codes).
    pub fn segment(segment: &Segment) -> Analyzed {
        let text = segment.plain();
        let tags = segment.tags().iter().map(|tag| id_of(&tag.kind)).collect();
        let identity = identity_form(&segment.marked());
        Analyzed::build(text, identity, tags)
    }

    /// Analyzes plain text.
    pub fn text(text: &str) -> Analyzed {
        Analyzed::build(text.to_owned(), identity_form(text), Vec::new())
    }

    fn build(text: String, identity: String, tags: Vec<u64>) -> Analyzed {
        let tokens = tokenize(&text);
        let mut content = Vec::with_capacity(tokens.len());
        let mut numbers = Vec::new();
        let mut punct = Vec::new();
        let mut cased = Vec::new();
        for token in &tokens {
            match token.kind {
                TokenKind::Word => {
                    content.push(id_of(&token.key));
                    cased.push(if token.cased {
                        id_of(&text[token.range.clone()])
                    } else {
                        id_of(&token.key)
                    });
                }
                TokenKind::Number => {
                    content.push(NUMBER);
                    numbers.push(id_of(&token.key));
                }
                TokenKind::Punct => punct.push(id_of(&token.key)),
            }
        }
        Analyzed {
            text,
            tokens,
            content,
            identity,
            numbers,
            punct,
            tags,
            cased,
        }
    }

    /// The content tokens (words and CJK characters) as folded strings, for indexing.
    pub fn content_keys(&self) -> impl Iterator<Item = &Token> {
        self.tokens
            .iter()
            .filter(|token| token.kind == TokenKind::Word)
    }
}

/// The fuzzy match score of two analyzed segments, 0–100.
pub fn score(a: &Analyzed, b: &Analyzed) -> u8 {
    if a.identity == b.identity {
        return 100;
    }
    let longest = a.content.len().max(b.content.len());
    let distance = levenshtein::distance(a.content.iter().copied(), b.content.iter().copied());
    if distance == 0 {
        let mut penalty = sequence_distance(&a.numbers, &b.numbers)
            + sequence_distance(&a.tags, &b.tags)
            + sequence_distance(&a.punct, &b.punct)
            + usize::from(a.cased != b.cased);
        penalty = penalty.clamp(1, 5);
        return 100 - penalty as u8;
    }
    let mut value = similarity_percent(distance, longest).min(94);
    if a.tags != b.tags {
        value -= 1;
    }
    value.clamp(0, 94) as u8
}

/// The best score a candidate could reach from its content distance alone: an upper
/// bound of [`score`], used to stop a brute-force scan early.
pub fn upper_bound(query: &Analyzed, content: &[u64], distance: usize) -> u8 {
    if distance == 0 {
        return 100;
    }
    let longest = query.content.len().max(content.len());
    similarity_percent(distance, longest).clamp(0, 94) as u8
}

/// `100 × (1 − distance / longest)`, rounded down, in integers (no floating-point error
/// at the band edges).
fn similarity_percent(distance: usize, longest: usize) -> i64 {
    let longest = longest.max(1) as i64;
    let same = (longest - distance as i64).max(0);
    same * 100 / longest
}

fn sequence_distance(a: &[u64], b: &[u64]) -> usize {
    if a == b {
        0
    } else {
        levenshtein::distance(a.iter().copied(), b.iter().copied())
    }
}

/// A part of the difference between a stored source and the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffPart {
    /// `equal`: in both; `delete`: in the stored source, not in the query; `insert`: in
    /// the query, not in the stored source.
    pub op: DiffOp,
    /// The text.
    pub text: String,
}

/// What a diff part is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffOp {
    /// In both.
    Equal,
    /// Only in the stored source.
    Delete,
    /// Only in the query.
    Insert,
}

/// How the stored source `stored` differs from `query`, token by token.
pub fn diff(stored: &Analyzed, query: &Analyzed) -> Vec<DiffPart> {
    let old: Vec<&str> = stored.tokens.iter().map(|t| t.key.as_str()).collect();
    let new: Vec<&str> = query.tokens.iter().map(|t| t.key.as_str()).collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new);
    let mut parts: Vec<DiffPart> = Vec::new();
    let mut push = |op: DiffOp, text: &str| {
        if text.is_empty() {
            return;
        }
        match parts.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => parts.push(DiffPart {
                op,
                text: text.to_owned(),
            }),
        }
    };
    for op in ops {
        match op {
            similar::DiffOp::Equal { old_index, len, .. } => {
                push(DiffOp::Equal, span(stored, old_index, len));
            }
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => push(DiffOp::Delete, span(stored, old_index, old_len)),
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => push(DiffOp::Insert, span(query, new_index, new_len)),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(DiffOp::Delete, span(stored, old_index, old_len));
                push(DiffOp::Insert, span(query, new_index, new_len));
            }
        }
    }
    parts
}

/// The text of `len` tokens from `first`, with the white space that follows them (and,
/// for the first token, what precedes it).
fn span(analyzed: &Analyzed, first: usize, len: usize) -> &str {
    if len == 0 || first >= analyzed.tokens.len() {
        return "";
    }
    let start = if first == 0 {
        0
    } else {
        analyzed.tokens[first].range.start
    };
    let end = analyzed
        .tokens
        .get(first + len)
        .map_or(analyzed.text.len(), |next| next.range.start);
    &analyzed.text[start..end]
}

/// Cuts plain text into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut current: Option<(TokenKind, usize)> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, ch)) = chars.next() {
        let folded = fold_char(ch);
        let class = classify(folded);
        // A `.` or `,` between digits belongs to the number.
        let continues_number = matches!(current, Some((TokenKind::Number, _)))
            && matches!(folded, '.' | ',')
            && chars
                .peek()
                .is_some_and(|&(_, next)| fold_char(next).is_ascii_digit());
        if continues_number {
            continue;
        }
        match class {
            Class::Space => {
                close(&mut tokens, &mut current, text, at);
            }
            Class::Cjk | Class::Punct => {
                close(&mut tokens, &mut current, text, at);
                let kind = if class == Class::Cjk {
                    TokenKind::Word
                } else {
                    TokenKind::Punct
                };
                push_token(&mut tokens, kind, text, at..at + ch.len_utf8());
            }
            Class::Letter | Class::Digit => {
                let kind = if class == Class::Letter {
                    TokenKind::Word
                } else {
                    TokenKind::Number
                };
                match current {
                    Some((open, _)) if open == kind => {}
                    _ => {
                        close(&mut tokens, &mut current, text, at);
                        current = Some((kind, at));
                    }
                }
            }
        }
    }
    close(&mut tokens, &mut current, text, text.len());
    tokens
}

fn close(
    tokens: &mut Vec<Token>,
    current: &mut Option<(TokenKind, usize)>,
    text: &str,
    end: usize,
) {
    if let Some((kind, start)) = current.take() {
        push_token(tokens, kind, text, start..end);
    }
}

fn push_token(tokens: &mut Vec<Token>, kind: TokenKind, text: &str, range: Range<usize>) {
    let raw = &text[range.clone()];
    let folded: String = raw.nfkc().collect();
    let key = folded.to_lowercase();
    let cased = key != folded;
    tokens.push(Token {
        kind,
        key,
        range,
        cased,
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Cjk,
    Letter,
    Digit,
    Punct,
}

fn classify(ch: char) -> Class {
    if ch.is_whitespace() {
        Class::Space
    } else if is_cjk_char(ch) {
        Class::Cjk
    } else if ch.is_ascii_digit() || ch.is_numeric() && !ch.is_alphabetic() {
        Class::Digit
    } else if ch.is_alphabetic() || is_mark(ch) {
        Class::Letter
    } else {
        Class::Punct
    }
}

fn is_mark(ch: char) -> bool {
    matches!(ch as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF)
}

/// Whether a character is written without spaces between words (Han, kana, Hangul).
pub fn is_cjk_char(ch: char) -> bool {
    stdbridge_text::is_cjk(ch)
}

fn fold_char(ch: char) -> char {
    if ch.is_ascii() {
        return ch;
    }
    let mut folded = std::iter::once(ch).nfkc();
    match (folded.next(), folded.next()) {
        (Some(first), None) => first,
        _ => ch,
    }
}

fn identity_form(text: &str) -> String {
    let folded: String = text.nfkc().collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn id_of(text: &str) -> u64 {
    // `DefaultHasher::new` has fixed keys: equal texts get equal ids (ids are never stored).
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(a: &str, b: &str) -> u8 {
        let (a, b) = (Analyzed::text(a), Analyzed::text(b));
        let forward = score(&a, &b);
        assert_eq!(forward, score(&b, &a), "symmetric");
        forward
    }

    #[test]
    fn identical_text_scores_100_and_only_identical_text() {
        assert_eq!(s("本标准适用于集装箱。", "本标准适用于集装箱。"), 100);
        assert_eq!(s("The  value is 5 kg.", "The value is 5 kg."), 100);
        assert_eq!(s("ＡＢＣ　１２", "ABC 12"), 100);
        assert!(s("The value is 5 kg.", "The value is 5 kg") < 100);
    }

    #[test]
    fn numbers_punctuation_and_case_alone_stay_in_the_95_to_99_band() {
        assert_eq!(s("The mass shall be 5 kg.", "The mass shall be 7 kg."), 99);
        assert_eq!(s("见表 3 和表 4。", "见表 5 和表 6。"), 98);
        assert_eq!(s("The mass shall be 5 kg.", "the mass shall be 5 kg."), 99);
        assert_eq!(s("The mass shall be 5 kg.", "The mass shall be 5 kg!"), 99);
        let many = s("1 2 3 4 5 6 7 a", "8 9 10 11 12 13 14 a");
        assert_eq!(many, 95);
    }

    #[test]
    fn one_changed_character_in_twenty_chinese_scores_about_95() {
        let a = "本标准规定了集装箱的分类尺寸和额定质量要求";
        let b = "本标准规定了集装箱的分类尺寸和最大质量要求";
        assert_eq!(a.chars().count(), 21);
        let value = s(a, b);
        assert!((90..=95).contains(&value), "{value}");
    }

    #[test]
    fn a_changed_word_lowers_the_score_below_the_band() {
        let value = s("The mass shall be measured.", "The mass shall be weighed.");
        assert!((70..=94).contains(&value), "{value}");
    }

    #[test]
    fn unrelated_sentences_score_below_50() {
        assert!(s("本标准规定了集装箱的分类。", "试验方法应符合附录A的规定。") < 50);
        assert!(
            s(
                "The mass shall be measured.",
                "Containers are classified by size."
            ) < 50
        );
    }

    #[test]
    fn the_diff_marks_what_changed() {
        let stored = Analyzed::text("The mass shall be measured.");
        let query = Analyzed::text("The mass shall be weighed.");
        let parts = diff(&stored, &query);
        assert_eq!(
            parts,
            vec![
                DiffPart {
                    op: DiffOp::Equal,
                    text: "The mass shall be ".into()
                },
                DiffPart {
                    op: DiffOp::Delete,
                    text: "measured".into()
                },
                DiffPart {
                    op: DiffOp::Insert,
                    text: "weighed".into()
                },
                DiffPart {
                    op: DiffOp::Equal,
                    text: ".".into()
                },
            ]
        );
    }

    proptest::proptest! {
        /// Scores are symmetric, within 0–100, 100 for a segment against itself, and 100
        /// only for text that is the same once white space and width are folded.
        #[test]
        fn scores_are_symmetric_and_100_only_for_the_same_text(
            a in "[本标准应集装箱 A-Za-z0-9.,。！ ]{0,24}",
            b in "[本标准应集装箱 A-Za-z0-9.,。！ ]{0,24}",
        ) {
            let (x, y) = (Analyzed::text(&a), Analyzed::text(&b));
            let forward = score(&x, &y);
            proptest::prop_assert_eq!(forward, score(&y, &x));
            proptest::prop_assert!(forward <= 100);
            proptest::prop_assert_eq!(score(&x, &x), 100);
            proptest::prop_assert_eq!(forward == 100, identity_form(&a) == identity_form(&b));
            let distance = levenshtein::distance(x.content.iter().copied(), y.content.iter().copied());
            let bound = upper_bound(&x, &y.content, distance);
            proptest::prop_assert!(forward <= bound, "score {} above its bound {}", forward, bound);
        }
    }

    #[test]
    fn numbers_keep_their_decimal_points() {
        let tokens = tokenize("见 4.2.1 条，1,000 kg");
        let keys: Vec<&str> = tokens.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, vec!["见", "4.2.1", "条", ",", "1,000", "kg"]);
    }
}
