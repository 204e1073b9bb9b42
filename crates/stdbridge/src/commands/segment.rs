//! `stdbridge segment`: sentences by SRX rules, and Chinese words.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stdbridge_app::segmentation::{self, SegmentRequest};
use stdbridge_app::{App, Principal};

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

pub async fn run(app: &App, options: SegmentOptions) -> anyhow::Result<ExitCode> {
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
    let request = SegmentRequest {
        text,
        lang: options.lang,
        words: options.words,
        srx: options.srx,
        dict: options.dict,
        termbases: options.termbase,
    };
    let sentences = segmentation::segment(app, &Principal::Operator, request).await?;
    if options.json {
        super::print_json(&sentences)?;
    } else {
        for sentence in &sentences {
            match &sentence.words {
                Some(words) => outln!("{}", words.join(" ")),
                None => outln!("{}", sentence.text),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
