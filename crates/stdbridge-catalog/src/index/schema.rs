//! The index schema: one document per standard.

use stdbridge_text::Analyzer;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Keyword fields for filters and facet counts.
pub const TAG_FIELDS: [&str; 10] = [
    "status",
    "nature",
    "body",
    "country",
    "scope",
    "type",
    "lang",
    "ccs",
    "ics",
    "ics_field",
];

/// The position of a keyword field in [`TAG_FIELDS`].
pub fn tag_index(name: &str) -> Option<usize> {
    TAG_FIELDS.iter().position(|field| *field == name)
}

/// Title languages with a field of their own; other languages go to `title_other`.
pub const TITLE_LANGUAGES: [&str; 6] = ["en", "fr", "ru", "es", "zh", "ja"];

/// The languages whose title keywords are counted (`keyword_en`, `keyword_zh`).
pub const KEYWORD_LANGUAGES: [&str; 2] = ["en", "zh"];

/// The fields of the schema.
#[derive(Clone)]
pub struct Fields {
    /// The standard's row id in the store.
    pub id: Field,
    /// Its designation key.
    pub key: Field,
    /// Its undated key.
    pub undated: Field,
    /// Its key with numbers zero-padded, for sorting by designation.
    pub sort_key: Field,
    /// Its designation folded and without spaces (`UNIISO1288-2:2025`): finds
    /// designations of every family typed without spaces.
    pub compact: Field,
    /// Its designation, as words and numbers.
    pub designation: Field,
    /// Titles by language, in the order of [`TITLE_LANGUAGES`].
    pub titles: Vec<Field>,
    /// Titles in other languages.
    pub title_other: Field,
    /// Chinese titles as character bigrams: finds words jieba segments otherwise and
    /// words still being typed.
    pub title_zh_bigrams: Field,
    /// Titles of Latin-script languages as plain words, unstemmed: where typos are
    /// looked up (a typo changes the stem: "securty" and "security" stem apart).
    pub title_words: Field,
    /// Attributes to filter and count by, one keyword field each, in the order of
    /// [`TAG_FIELDS`]: status, nature, body, country, scope, type, lang, ccs, ics (every level of
    /// every code: `13`, `13.020`, `13.020.10`) and ics_field (the two-digit fields).
    pub tags: Vec<Field>,
    /// Title keywords for analytics, English and Chinese (each once per standard).
    pub keywords: [Field; 2],
    /// Publication year.
    pub year: Field,
    /// Currency rank (0 in force … 3 draft), to put current standards first on ties.
    pub rank: Field,
}

fn text(analyzer: Analyzer) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer.name())
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Builds the schema.
pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let id = builder.add_u64_field("id", INDEXED | STORED | FAST);
    let key = builder.add_text_field("key", STRING | STORED);
    let undated = builder.add_text_field("undated", STRING);
    let sort_key = builder.add_text_field("sort_key", STRING | FAST);
    let compact = builder.add_text_field("compact", STRING);
    let designation = builder.add_text_field("designation", text(Analyzer::Code));
    let titles = TITLE_LANGUAGES
        .iter()
        .map(|lang| {
            builder.add_text_field(&format!("title_{lang}"), text(Analyzer::for_language(lang)))
        })
        .collect();
    let title_other = builder.add_text_field("title_other", text(Analyzer::Plain));
    let title_zh_bigrams = builder.add_text_field("title_zh_bigrams", text(Analyzer::Bigram));
    let title_words = builder.add_text_field("title_words", text(Analyzer::Plain));
    let tags = TAG_FIELDS
        .iter()
        .map(|name| builder.add_text_field(name, STRING | FAST))
        .collect();
    let keywords = KEYWORD_LANGUAGES
        .map(|lang| builder.add_text_field(&format!("keyword_{lang}"), STRING | FAST));
    let year = builder.add_u64_field("year", INDEXED | FAST);
    let rank = builder.add_u64_field("rank", FAST);
    let fields = Fields {
        id,
        key,
        undated,
        sort_key,
        compact,
        designation,
        titles,
        title_other,
        title_zh_bigrams,
        title_words,
        tags,
        keywords,
        year,
        rank,
    };
    (builder.build(), fields)
}
