//! Sentences by SRX rules and Chinese words by jieba, with a user's dictionary and a
//! termbase's terms kept whole.

use std::path::PathBuf;

use serde::Serialize;
use stdbridge_text::{SrxRules, WordSegmenter};

use crate::authz::{Action, authorize};
use crate::{App, AppError, Principal};

/// What to segment and how.
#[derive(Debug, Clone, Default)]
pub struct SegmentRequest {
    /// The text.
    pub text: String,
    /// Its language.
    pub lang: String,
    /// Whether to cut sentences into words too.
    pub words: bool,
    /// SRX rules to use instead of the built-in ones.
    pub srx: Option<PathBuf>,
    /// A jieba user dictionary.
    pub dict: Option<PathBuf>,
    /// Termbases whose terms in `lang` stay whole words.
    pub termbases: Vec<String>,
}

/// One sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    /// Its text.
    pub text: String,
    /// Where it starts in the input (bytes).
    pub start: usize,
    /// Where it ends (bytes, excluded).
    pub end: usize,
    /// Its words, when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<String>>,
}

/// The sentences of a text (and their words); line breaks always end a sentence.
pub async fn segment(
    app: &App,
    who: &Principal,
    request: SegmentRequest,
) -> Result<Vec<Sentence>, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    let loaded;
    let rules = match &request.srx {
        Some(path) => {
            loaded = SrxRules::load(path)?;
            &loaded
        }
        None => SrxRules::builtin(),
    };
    let segmenter = rules.segmenter(&request.lang);
    let mut words = match &request.dict {
        Some(path) => {
            WordSegmenter::with_dictionary(path).map_err(|e| AppError::bad_field("dict", e))?
        }
        None => WordSegmenter::default(),
    };
    if !request.termbases.is_empty() {
        crate::access::readable_names(app, who, crate::access::Kind::Termbase, &request.termbases)
            .await?;
        let termbases = app.termbases().await?;
        let mut terms = Vec::new();
        for name in &request.termbases {
            for concept in termbases.concepts(name).await? {
                if let Some(section) = concept.section(&request.lang) {
                    terms.extend(section.terms.iter().map(|term| term.text.clone()));
                }
            }
        }
        words = words.with_more_words(terms.iter().map(String::as_str));
    }
    let mut sentences = Vec::new();
    let mut offset = 0;
    for line in request.text.split_inclusive('\n') {
        for range in segmenter.split(line) {
            let sentence = &line[range.clone()];
            sentences.push(Sentence {
                text: sentence.to_owned(),
                start: offset + range.start,
                end: offset + range.end,
                words: request
                    .words
                    .then(|| words_keeping_designations(&words, sentence)),
            });
        }
        offset += line.len();
    }
    Ok(sentences)
}

/// The words of a sentence, each designation of a standard it cites (GB/T 1.1—2020,
/// ISO 1496-3:2019) one word: jieba would cut them at every dot and dash.
fn words_keeping_designations(words: &WordSegmenter, sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    for found in stdbridge_qa::designations_in(sentence) {
        out.extend(
            words
                .words(&sentence[at..found.range.start])
                .into_iter()
                .map(str::to_owned),
        );
        out.push(sentence[found.range.clone()].to_owned());
        at = found.range.end;
    }
    out.extend(words.words(&sentence[at..]).into_iter().map(str::to_owned));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn designations_stay_one_word_among_chinese_words() {
        let words = words_keeping_designations(
            &WordSegmenter::default(),
            "本标准按照GB/T 1.1—2020的规则起草，参考ISO 1496-3:2019。",
        );
        assert!(words.contains(&"GB/T 1.1—2020".to_owned()), "{words:?}");
        assert!(words.contains(&"ISO 1496-3:2019".to_owned()), "{words:?}");
        assert!(words.contains(&"本标准".to_owned()), "{words:?}");
        assert_eq!(
            words.concat().replace(' ', ""),
            "本标准按照GB/T1.1—2020的规则起草，参考ISO1496-3:2019。"
        );
    }
}
