//! The built-in engine: a local Marian (OPUS-MT) model translating on this machine, so no
//! text leaves it. Segments lose their codes on the way in and get them back on the way
//! out ([`crate::restore`]); a long segment is cut into sentences (and, if one is still too
//! long for the model, into pieces) and joined again; each required term is a token
//! sequence the search must produce. Sentences are sorted by length and decoded in
//! batches, on a blocking thread.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use stdbridge_content::Content;
use stdbridge_content::model::plain_text;
use stdbridge_text::srx::Segmenter;

use crate::engine::{
    EngineError, EngineFuture, EngineRequest, EngineSegment, TermConstraint, TranslationEngine,
};
use crate::marian::{Compute, MarianModel, Search};
use crate::restore::restore_codes;
use crate::spm::SPACE;

/// Inputs longer than this many tokens are cut into sentences first.
const LONG_INPUT: usize = 200;

/// The built-in Marian engine.
pub struct Marian {
    model: Arc<MarianModel>,
    search: Search,
    batch: usize,
    identity: String,
}

/// A piece of a segment to translate: its token ids and required term sequences.
struct Piece {
    segment: usize,
    ids: Vec<u32>,
    terms: Vec<Vec<u32>>,
}

/// Whether a language writes without spaces between words.
fn unspaced(lang: &str) -> bool {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(primary.as_str(), "zh" | "ja" | "th" | "lo" | "km" | "my")
}

impl Marian {
    /// Loads the model in `dir` on the default device, computing in `compute`, with the
    /// search its generation_config.json asks for.
    pub fn open(dir: &Path, compute: Compute) -> Result<Marian, EngineError> {
        let model = MarianModel::load(dir, None, &crate::marian::default_device(), compute)?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| dir.display().to_string());
        Ok(Marian::new(model, &name))
    }

    /// An engine over a loaded model, named `name` in provenance.
    pub fn new(model: MarianModel, name: &str) -> Marian {
        let search = model.search.clone();
        let identity = format!(
            "{name} ({}, {}, {} beams)",
            model.weights,
            model.compute(),
            search.beams
        );
        Marian {
            model: Arc::new(model),
            search,
            batch: 32,
            identity,
        }
    }

    /// Uses `search` instead of the model's (beam size, maximum length…).
    pub fn with_search(mut self, search: Search) -> Marian {
        self.search = search;
        self
    }

    /// The loaded model.
    pub fn loaded(&self) -> &MarianModel {
        &self.model
    }
}

/// The model's token ids for a target term, as it would appear inside a sentence.
fn term_tokens(model: &MarianModel, term: &str, unspaced_target: bool) -> Vec<u32> {
    let pieces = model.target.encode(term);
    let mut ids = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.iter().enumerate() {
        let piece = match piece.strip_prefix(SPACE) {
            // Inside Chinese or Japanese text a term takes no space before it.
            Some(rest) if i == 0 && unspaced_target => {
                if rest.is_empty() {
                    continue;
                }
                if model.vocab.id(rest).is_some() {
                    rest
                } else {
                    piece.as_str()
                }
            }
            _ => piece.as_str(),
        };
        ids.push(model.vocab.id(piece).unwrap_or(model.vocab.unk));
    }
    ids
}

/// The sentences of a segment's text, each short enough for the model.
fn pieces_of(model: &MarianModel, text: &str, source_lang: &str) -> Vec<(String, Vec<u32>)> {
    let ids = model.vocab.encode(&model.source, text);
    if ids.len() <= LONG_INPUT {
        return vec![(text.to_string(), ids)];
    }
    let limit = model.config().max_position_embeddings.min(LONG_INPUT * 2);
    let mut out = Vec::new();
    for sentence in Segmenter::for_language(source_lang).sentences(text) {
        let ids = model.vocab.encode(&model.source, sentence);
        if ids.len() <= limit {
            out.push((sentence.to_string(), ids));
            continue;
        }
        // Still too long: pieces of `limit - 1` tokens, each closed with `</s>`.
        let body = &ids[..ids.len() - 1];
        for chunk in body.chunks(limit - 1) {
            let mut ids = chunk.to_vec();
            ids.push(model.vocab.eos);
            out.push((model.vocab.decode(chunk), ids));
        }
    }
    out
}

/// Cuts the segments into pieces with their terms.
fn prepare(
    model: &MarianModel,
    segments: &[EngineSegment],
    source_lang: &str,
    target_lang: &str,
) -> Vec<Piece> {
    let unspaced_target = unspaced(target_lang);
    let mut pieces = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        let text = plain_text(&segment.content);
        if text.trim().is_empty() {
            continue;
        }
        for (sentence, ids) in pieces_of(model, &text, source_lang) {
            let terms = segment
                .terms
                .iter()
                .filter(|t: &&TermConstraint| !t.target.is_empty() && sentence.contains(&t.source))
                .map(|t| term_tokens(model, &t.target, unspaced_target))
                .filter(|ids| !ids.is_empty())
                .collect();
            pieces.push(Piece {
                segment: index,
                ids,
                terms,
            });
        }
    }
    pieces
}

/// Decodes the pieces, shortest first in batches, and returns each piece's text.
fn decode(
    model: &MarianModel,
    search: &Search,
    batch: usize,
    pieces: &[Piece],
) -> Result<Vec<String>, EngineError> {
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by_key(|&i| pieces[i].ids.len());
    let mut texts = vec![String::new(); pieces.len()];
    for chunk in order.chunks(batch.max(1)) {
        let inputs: Vec<Vec<u32>> = chunk.iter().map(|&i| pieces[i].ids.clone()).collect();
        let terms: Vec<Vec<Vec<u32>>> = chunk.iter().map(|&i| pieces[i].terms.clone()).collect();
        let outputs = model.generate(search, &inputs, &terms)?;
        for (&i, output) in chunk.iter().zip(outputs) {
            texts[i] = model.vocab.decode(&output);
        }
    }
    Ok(texts)
}

/// Joins each segment's pieces and gives it its codes back.
fn assemble(
    segments: &[EngineSegment],
    pieces: &[Piece],
    texts: Vec<String>,
    target_lang: &str,
) -> Vec<Content> {
    let separator = if unspaced(target_lang) { "" } else { " " };
    let mut joined: Vec<Vec<String>> = vec![Vec::new(); segments.len()];
    for (piece, text) in pieces.iter().zip(texts) {
        joined[piece.segment].push(text);
    }
    segments
        .iter()
        .zip(joined)
        .map(|(segment, parts)| {
            let text = parts.join(separator);
            restore_codes(&segment.content, &text, !unspaced(target_lang))
        })
        .collect()
}

impl TranslationEngine for Marian {
    fn name(&self) -> &str {
        "marian"
    }

    fn model(&self) -> String {
        self.identity.clone()
    }

    fn translate<'a>(&'a self, request: EngineRequest<'a>) -> EngineFuture<'a> {
        let model = Arc::clone(&self.model);
        let search = self.search.clone();
        let batch = self.batch;
        let segments = request.segments.to_vec();
        let source_lang = request.source_lang.to_string();
        let target_lang = request.target_lang.to_string();
        Box::pin(async move {
            let work = move || {
                let pieces = prepare(&model, &segments, &source_lang, &target_lang);
                let texts = decode(&model, &search, batch, &pieces)?;
                let translated = assemble(&segments, &pieces, texts, &target_lang);
                Ok(translated.into_iter().map(Some).collect())
            };
            tokio::task::spawn_blocking(work)
                .await
                .map_err(|e| EngineError::Failed {
                    engine: "marian".to_owned(),
                    message: format!("the decoding thread failed: {e}"),
                })?
        })
    }
}

/// A model directory given on the command line or kept under the data directory.
pub fn model_dir(spec: &str, models_dir: Option<&Path>) -> PathBuf {
    let direct = PathBuf::from(spec);
    if direct.is_dir() {
        return direct;
    }
    match models_dir {
        Some(dir) if dir.join(spec).is_dir() => dir.join(spec),
        _ => direct,
    }
}
