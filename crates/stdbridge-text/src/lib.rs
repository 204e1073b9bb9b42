//! Language processing shared by search and (later) translation memory: text folding
//! for matching (width, case), and the tantivy analyzers for each language stdbridge
//! indexes — English, French, Russian and Spanish stemming, Chinese word segmentation with
//! jieba (search mode), Japanese character bigrams, and designations.

mod analyzers;
mod fold;

pub use analyzers::{Analyzer, register_analyzers};
pub use fold::fold_for_search;
