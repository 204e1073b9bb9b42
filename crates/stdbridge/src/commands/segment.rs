//! `stdbridge segment`: sentences by SRX rules, and Chinese words.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use stdbridge_text::{SrxRules, WordSegmenter};

/// What to segment and how.
pub struct SegmentOptions {
    pub text: Option<String>,
    pub lang: String,
    pub words: bool,
    pub srx: Option<PathBuf>,
    pub dict: Option<PathBuf>,
    pub termbase: Vec<String>,
    pub file: Option<PathBuf>,
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Sentence<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    words: Option<Vec<&'t str>>,
}

pub async fn run(data_dir: &Path, options: SegmentOptions) -> anyhow::Result<ExitCode> {
    let text = match (&options.text, &options.file) {
        (Some(text), _) => text.clone(),
        (None, Some(file)) => {
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
        }
        (None, None) => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("reading standard input")?;
            text
        }
    };
    let loaded;
    let rules = match &options.srx {
        Some(path) => {
            loaded = SrxRules::load(path)?;
            &loaded
        }
        None => SrxRules::builtin(),
    };
    let segmenter = rules.segmenter(&options.lang);
    let mut words = match &options.dict {
        Some(path) => WordSegmenter::with_dictionary(path).map_err(anyhow::Error::msg)?,
        None => WordSegmenter::default(),
    };
    if !options.termbase.is_empty() {
        let store = super::open(data_dir).await?;
        let termbases = stdbridge_tm::termbase::Termbases::new(store.clone());
        let mut terms = Vec::new();
        for name in &options.termbase {
            for concept in termbases.concepts(name).await? {
                if let Some(section) = concept.section(&options.lang) {
                    terms.extend(section.terms.iter().map(|term| term.text.clone()));
                }
            }
        }
        store.close().await;
        words = words.with_more_words(terms.iter().map(String::as_str));
    }
    let mut sentences = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        for range in segmenter.split(line) {
            let sentence = &line[range.clone()];
            sentences.push(Sentence {
                text: sentence,
                start: offset + range.start,
                end: offset + range.end,
                words: options.words.then(|| words.words(sentence)),
            });
        }
        offset += line.len();
    }
    if options.json {
        super::print_json(&sentences)?;
    } else {
        for sentence in &sentences {
            match &sentence.words {
                Some(words) => println!("{}", words.join(" ")),
                None => println!("{}", sentence.text),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
