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

/// The sentences of a text (and their words, with the caller's own words and the
/// termbases' terms kept whole); line breaks always end a sentence.
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
    let mut extra = match who.account() {
        Some(account) => app.db().await?.words(account.id).await?,
        None => Vec::new(),
    };
    if !request.termbases.is_empty() {
        crate::access::readable_names(app, who, crate::access::Kind::Termbase, &request.termbases)
            .await?;
        let termbases = app.termbases().await?;
        for name in &request.termbases {
            for concept in termbases.concepts(name).await? {
                if let Some(section) = concept.section(&request.lang) {
                    extra.extend(section.terms.iter().map(|term| term.text.clone()));
                }
            }
        }
    }
    if !extra.is_empty() {
        words = words.with_more_words(extra.iter().map(String::as_str));
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

/// The longest word a user's dictionary takes, in characters.
const WORD_LIMIT: usize = 40;

/// The signed-in user's account, for their own dictionary: the command line has none
/// (it passes `--dict FILE`).
fn dictionary_owner(who: &Principal) -> Result<i64, AppError> {
    who.account().map(|account| account.id).ok_or_else(|| {
        AppError::bad_field(
            "user",
            "only a signed-in user has a dictionary of their own; the command line takes --dict FILE",
        )
    })
}

/// The words the caller added to their segmentation dictionary, sorted.
pub async fn my_words(app: &App, who: &Principal) -> Result<Vec<String>, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    let id = dictionary_owner(who)?;
    Ok(app.db().await?.words(id).await?)
}

/// Adds a word to the caller's dictionary: segmentation keeps it whole from now on. A
/// word is one run of text without spaces, up to 40 characters.
pub async fn add_word(app: &App, who: &Principal, word: &str) -> Result<Vec<String>, AppError> {
    authorize(app.config(), who, Action::WriteOwnData)?;
    let id = dictionary_owner(who)?;
    let word = word.trim();
    let valid = !word.is_empty()
        && word.chars().count() <= WORD_LIMIT
        && !word.chars().any(|c| c.is_whitespace() || c.is_control());
    if !valid {
        return Err(AppError::bad_field(
            "word",
            format!("a word has 1 to {WORD_LIMIT} characters and no spaces"),
        ));
    }
    let db = app.db().await?;
    db.add_word(id, word, &crate::accounts::now_rfc3339())
        .await?;
    Ok(db.words(id).await?)
}

/// Takes a word out of the caller's dictionary; not found if it was not in it.
pub async fn remove_word(app: &App, who: &Principal, word: &str) -> Result<Vec<String>, AppError> {
    authorize(app.config(), who, Action::WriteOwnData)?;
    let id = dictionary_owner(who)?;
    let db = app.db().await?;
    if !db.remove_word(id, word).await? {
        return Err(AppError::not_found(format!(
            "{word:?} is not in your dictionary"
        )));
    }
    Ok(db.words(id).await?)
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
