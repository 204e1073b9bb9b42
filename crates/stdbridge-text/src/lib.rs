//! Language processing shared by search and (later) translation memory: text folding
//! for matching (width, case, traditional → simplified Chinese), Chinese word segmentation
//! with a domain dictionary, and the tantivy analyzers for each language stdbridge
//! indexes — English, French, Russian and Spanish stemming, Chinese word segmentation with
//! jieba (search mode), Japanese character bigrams, and designations.

mod analyzers;
mod chinese;
mod fold;
mod keywords;

pub use analyzers::{Analyzer, register_analyzers};
pub use chinese::{ChineseTokenizer, SEGMENTATION_VERSION, domain_words, segment};
pub use fold::{fold_for_search, is_cjk, is_han};
pub use keywords::title_keywords;
