//! Language processing shared by search and translation memory: sentence segmentation by
//! SRX rules, reading XML from outside safely, text folding
//! for matching (width, case, traditional → simplified Chinese), Chinese word segmentation
//! with a domain dictionary, and the tantivy analyzers for each language stdbridge
//! indexes — English, French, Russian and Spanish stemming, Chinese word segmentation with
//! jieba (search mode), Japanese character bigrams, and designations.

mod analyzers;
mod chinese;
mod fold;
mod keywords;
pub mod srx;
pub mod xml;

pub use analyzers::{Analyzer, register_analyzers};
pub use chinese::{ChineseTokenizer, SEGMENTATION_VERSION, WordSegmenter, domain_words, segment};
pub use fold::{fold_for_search, is_cjk, is_han};
pub use keywords::title_keywords;
pub use srx::{Segmenter, SrxError, SrxRules};
