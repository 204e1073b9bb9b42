//! SentencePiece unigram models (`source.spm`, `target.spm`) read from their protobuf and
//! applied as the C++ library does: the model's normalization (its precompiled NFKC map,
//! white space collapsed, `▁` for spaces and before the text), the best segmentation by
//! piece scores (Viterbi), characters no piece covers as unknown pieces, consecutive
//! unknown pieces merged. `MarianVocab` then gives Marian's ids, as Hugging Face's
//! `MarianTokenizer` does.

use std::collections::HashMap;
use std::path::Path;

use prost::Message;
use unicode_segmentation::UnicodeSegmentation;

use crate::engine::EngineError;

/// `ModelProto` of sentencepiece_model.proto: the fields used here.
#[derive(Clone, PartialEq, Message)]
struct ModelProto {
    #[prost(message, repeated, tag = "1")]
    pieces: Vec<PieceProto>,
    #[prost(message, optional, tag = "3")]
    normalizer_spec: Option<NormalizerSpec>,
}

#[derive(Clone, PartialEq, Message)]
struct PieceProto {
    #[prost(string, optional, tag = "1")]
    piece: Option<String>,
    #[prost(float, optional, tag = "2")]
    score: Option<f32>,
    #[prost(int32, optional, tag = "3")]
    kind: Option<i32>,
}

#[derive(Clone, PartialEq, Message)]
struct NormalizerSpec {
    #[prost(bytes = "vec", optional, tag = "2")]
    precompiled_charsmap: Option<Vec<u8>>,
    #[prost(bool, optional, tag = "3")]
    add_dummy_prefix: Option<bool>,
    #[prost(bool, optional, tag = "4")]
    remove_extra_whitespaces: Option<bool>,
    #[prost(bool, optional, tag = "5")]
    escape_whitespaces: Option<bool>,
}

/// Piece types of sentencepiece_model.proto.
const NORMAL: i32 = 1;
const USER_DEFINED: i32 = 4;
/// What an unknown character costs below the lowest piece score (as in the C++ library).
const UNKNOWN_PENALTY: f32 = 10.0;
/// The space mark.
/// SentencePiece's white space mark.
pub const SPACE: char = '▁';

/// A SentencePiece unigram model.
pub struct SentencePiece {
    pieces: HashMap<String, f32>,
    longest: usize,
    unknown_score: f32,
    charsmap: Option<spm_precompiled::Precompiled>,
    add_dummy_prefix: bool,
    remove_extra_whitespaces: bool,
    escape_whitespaces: bool,
}

impl SentencePiece {
    /// Reads a `.spm` model file.
    pub fn open(path: &Path) -> Result<SentencePiece, EngineError> {
        let bytes = std::fs::read(path)
            .map_err(|e| EngineError::Config(format!("{}: {e}", path.display())))?;
        SentencePiece::from_bytes(&bytes)
            .map_err(|message| EngineError::Config(format!("{}: {message}", path.display())))
    }

    /// Reads a model from its protobuf bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<SentencePiece, String> {
        let model =
            ModelProto::decode(bytes).map_err(|e| format!("not a SentencePiece model: {e}"))?;
        let mut pieces = HashMap::new();
        let mut min_score = f32::MAX;
        for piece in &model.pieces {
            let kind = piece.kind.unwrap_or(NORMAL);
            let score = piece.score.unwrap_or(0.0);
            if kind == NORMAL {
                min_score = min_score.min(score);
            }
            if kind == NORMAL || kind == USER_DEFINED {
                pieces.insert(piece.piece.clone().unwrap_or_default(), score);
            }
        }
        if pieces.is_empty() {
            return Err("no pieces".into());
        }
        let spec = model.normalizer_spec.unwrap_or_default();
        let charsmap = match spec.precompiled_charsmap.as_deref() {
            Some(map) if !map.is_empty() => Some(
                spm_precompiled::Precompiled::from(map)
                    .map_err(|e| format!("normalization map: {e:?}"))?,
            ),
            _ => None,
        };
        Ok(SentencePiece {
            longest: pieces.keys().map(|p| p.chars().count()).max().unwrap_or(1),
            pieces,
            unknown_score: min_score - UNKNOWN_PENALTY,
            charsmap,
            add_dummy_prefix: spec.add_dummy_prefix.unwrap_or(true),
            remove_extra_whitespaces: spec.remove_extra_whitespaces.unwrap_or(true),
            escape_whitespaces: spec.escape_whitespaces.unwrap_or(true),
        })
    }

    /// The text as the model sees it: mapped, white space collapsed, spaces as `▁`.
    pub fn normalize(&self, text: &str) -> String {
        let mut mapped = String::with_capacity(text.len());
        for grapheme in text.graphemes(true) {
            match self.charsmap.as_ref().and_then(|m| m.transform(grapheme)) {
                Some(replacement) => mapped.push_str(replacement),
                None => {
                    for c in grapheme.chars() {
                        let mut buffer = [0u8; 4];
                        let single = c.encode_utf8(&mut buffer);
                        match self.charsmap.as_ref().and_then(|m| m.transform(single)) {
                            Some(replacement) => mapped.push_str(replacement),
                            None => mapped.push(c),
                        }
                    }
                }
            }
        }
        let mut out = String::with_capacity(mapped.len() + 3);
        let words: Vec<&str> = if self.remove_extra_whitespaces {
            mapped.split(' ').filter(|w| !w.is_empty()).collect()
        } else {
            mapped.split(' ').collect()
        };
        let space = if self.escape_whitespaces { SPACE } else { ' ' };
        if self.add_dummy_prefix && !words.is_empty() {
            out.push(space);
        }
        for (index, word) in words.iter().enumerate() {
            if index > 0 {
                out.push(space);
            }
            out.push_str(word);
        }
        out
    }

    /// The pieces of a text, as `EncodeAsPieces` gives them.
    pub fn encode(&self, text: &str) -> Vec<String> {
        let normalized = self.normalize(text);
        let chars: Vec<char> = normalized.chars().collect();
        let n = chars.len();
        // best[i]: best score of a segmentation of chars[..i], the start of its last piece,
        // and whether that piece is unknown.
        let mut best: Vec<(f32, usize, bool)> = vec![(f32::NEG_INFINITY, 0, false); n + 1];
        best[0].0 = 0.0;
        let mut candidate = String::new();
        for start in 0..n {
            if best[start].0 == f32::NEG_INFINITY {
                continue;
            }
            let mut has_single = false;
            candidate.clear();
            for end in start + 1..=(start + self.longest).min(n) {
                candidate.push(chars[end - 1]);
                if let Some(&score) = self.pieces.get(candidate.as_str()) {
                    has_single |= end == start + 1;
                    let total = best[start].0 + score;
                    if total > best[end].0 {
                        best[end] = (total, start, false);
                    }
                }
            }
            if !has_single {
                let total = best[start].0 + self.unknown_score;
                if total > best[start + 1].0 {
                    best[start + 1] = (total, start, true);
                }
            }
        }
        let mut spans = Vec::new();
        let mut end = n;
        while end > 0 {
            let (_, start, unknown) = best[end];
            spans.push((start, end, unknown));
            end = start;
        }
        spans.reverse();
        // Consecutive unknown pieces become one.
        let mut pieces: Vec<String> = Vec::with_capacity(spans.len());
        let mut last_unknown = false;
        for (start, end, unknown) in spans {
            let text: String = chars[start..end].iter().collect();
            if unknown && last_unknown {
                if let Some(last) = pieces.last_mut() {
                    last.push_str(&text);
                }
            } else {
                pieces.push(text);
            }
            last_unknown = unknown;
        }
        pieces
    }
}

/// Marian's shared vocabulary (`vocab.json`): pieces to ids and back.
pub struct MarianVocab {
    ids: HashMap<String, u32>,
    pieces: Vec<String>,
    /// `</s>`.
    pub eos: u32,
    /// `<unk>`.
    pub unk: u32,
    /// `<pad>`.
    pub pad: u32,
}

impl MarianVocab {
    /// Reads `vocab.json`.
    pub fn open(path: &Path) -> Result<MarianVocab, EngineError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| EngineError::Config(format!("{}: {e}", path.display())))?;
        let ids: HashMap<String, u32> = serde_json::from_str(&text).map_err(|e| {
            EngineError::Config(format!("{}: not a vocabulary: {e}", path.display()))
        })?;
        let mut pieces = vec![String::new(); ids.len()];
        for (piece, &id) in &ids {
            if let Some(slot) = pieces.get_mut(id as usize) {
                *slot = piece.clone();
            }
        }
        let special = |name: &str| {
            ids.get(name)
                .copied()
                .ok_or_else(|| EngineError::Config(format!("{}: no {name}", path.display())))
        };
        Ok(MarianVocab {
            eos: special("</s>")?,
            unk: special("<unk>")?,
            pad: special("<pad>")?,
            ids,
            pieces,
        })
    }

    /// Ids of a text's pieces, then `</s>`: what `MarianTokenizer` gives for a source text.
    pub fn encode(&self, model: &SentencePiece, text: &str) -> Vec<u32> {
        let mut ids: Vec<u32> = model
            .encode(text)
            .iter()
            .map(|p| self.ids.get(p).copied().unwrap_or(self.unk))
            .collect();
        ids.push(self.eos);
        ids
    }

    /// The id of a piece.
    pub fn id(&self, piece: &str) -> Option<u32> {
        self.ids.get(piece).copied()
    }

    /// The text of output ids, special tokens skipped.
    pub fn decode(&self, ids: &[u32]) -> String {
        let text: String = ids
            .iter()
            .filter(|&&id| id != self.eos && id != self.pad && id != self.unk)
            .filter_map(|&id| self.pieces.get(id as usize))
            .map(String::as_str)
            .collect();
        text.replace(SPACE, " ").trim_start().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn ids(value: &Value) -> Vec<u32> {
        value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_u64())
            .map(|v| v as u32)
            .collect()
    }

    fn fixture(file: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/tiny-zh-en")
            .join(file)
    }

    #[test]
    fn ids_are_the_reference_tokenizer_s() {
        let source = SentencePiece::open(&fixture("source.spm")).expect("model");
        let target = SentencePiece::open(&fixture("target.spm")).expect("model");
        let vocab = MarianVocab::open(&fixture("vocab.json")).expect("vocab");
        let reference: Value = serde_json::from_str(
            &std::fs::read_to_string(fixture("reference.json")).expect("reads"),
        )
        .expect("json");
        for case in reference["tokenizer"].as_array().expect("cases") {
            let text = case["text"].as_str().expect("text");
            let expected = ids(&case["source_ids"]);
            assert_eq!(
                vocab.encode(&source, text),
                expected,
                "source {text:?}: {:?}",
                source.encode(text)
            );
            let target_text = case["target_text"].as_str().expect("text");
            let expected = ids(&case["target_ids"]);
            assert_eq!(
                vocab.encode(&target, target_text),
                expected,
                "target {target_text:?}"
            );
        }
        for case in reference["greedy"].as_array().expect("cases") {
            let ids = ids(&case["output_ids"]);
            assert_eq!(vocab.decode(&ids), case["output"].as_str().expect("output"));
        }
    }
}
