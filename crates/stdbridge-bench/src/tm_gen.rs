//! A deterministic generator of Chinese–English translation memories of any size, for
//! benchmarks and load tests.
//!
//! It learns from the real parallel text shipped with the crate (TICO-19, 3,071 units):
//! word bigram chains for each language (Chinese cut into words by jieba) and the joint
//! distribution of sentence lengths. Each generated unit walks the Chinese chain to about
//! the length of a real sentence, and the English chain to the length of that sentence's
//! translation. The text is not a translation of itself — it only has the vocabulary,
//! lengths and repetitiveness of real memories, which is what matching speed and recall
//! depend on. The same seed gives the same units.

use std::collections::HashMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use stdbridge_text::WordSegmenter;

use stdbridge_tm::tmx::{TmxItem, TmxReader};
use stdbridge_tm::unit::Unit;

/// The real memory the generator learns from (TICO-19, CC0).
pub const SEED_TMX: &str = include_str!("../../../demo/translation/tico19-en-zh.tmx");

/// The real zh–en pairs of the seed memory: (Chinese, English).
pub fn seed_pairs() -> Vec<(String, String)> {
    let Ok(mut reader) = TmxReader::from_str(SEED_TMX, "tico19-en-zh.tmx") else {
        return Vec::new();
    };
    let mut pairs = Vec::new();
    while let Ok(Some(item)) = reader.next_item() {
        if let TmxItem::Unit(unit, _) = item
            && let (Some(zh), Some(en)) = (unit.variant("zh"), unit.variant("en"))
        {
            pairs.push((
                zh.seg.plain().trim().to_owned(),
                en.seg.plain().trim().to_owned(),
            ));
        }
    }
    pairs
}

/// Word bigram chain: word id → ids that followed it (0 is the sentence boundary).
struct Chain {
    words: Vec<String>,
    next: Vec<Vec<u32>>,
}

impl Chain {
    fn learn<'s>(sentences: impl Iterator<Item = Vec<&'s str>>) -> Chain {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut chain = Chain {
            words: vec![String::new()],
            next: vec![Vec::new()],
        };
        for words in sentences {
            let mut previous = 0u32;
            for word in words {
                let id = *ids.entry(word).or_insert_with(|| {
                    chain.words.push(word.to_owned());
                    chain.next.push(Vec::new());
                    (chain.words.len() - 1) as u32
                });
                chain.next[previous as usize].push(id);
                previous = id;
            }
            chain.next[previous as usize].push(0);
        }
        chain
    }

    /// Walks the chain for about `target` words.
    fn walk(&self, rng: &mut ChaCha8Rng, target: usize) -> Vec<&str> {
        let mut out = Vec::with_capacity(target + 4);
        let mut at = 0usize;
        loop {
            let choices = &self.next[at];
            if choices.is_empty() {
                break;
            }
            let mut pick = choices[rng.random_range(0..choices.len())];
            // Near the target length, prefer to end; before it, avoid ending early.
            if pick == 0 && out.len() < target / 2 {
                pick = choices[rng.random_range(0..choices.len())];
            }
            if pick == 0 || out.len() >= target * 2 {
                break;
            }
            out.push(self.words[pick as usize].as_str());
            at = pick as usize;
            if out.len() >= target && self.next[at].contains(&0) {
                break;
            }
        }
        out
    }
}

/// Generates units.
pub struct MemoryGenerator {
    zh: Chain,
    en: Chain,
    lengths: Vec<(usize, usize)>,
    alphabet: Vec<char>,
    rng: ChaCha8Rng,
}

impl MemoryGenerator {
    /// A generator with this seed.
    pub fn new(seed: u64) -> MemoryGenerator {
        let pairs = seed_pairs();
        let segmenter = WordSegmenter::default();
        let zh_words: Vec<Vec<&str>> = pairs.iter().map(|(zh, _)| segmenter.words(zh)).collect();
        let en_words: Vec<Vec<&str>> = pairs
            .iter()
            .map(|(_, en)| en.split_whitespace().collect())
            .collect();
        let lengths = zh_words
            .iter()
            .zip(&en_words)
            .map(|(zh, en)| (zh.len().max(1), en.len().max(1)))
            .collect();
        let mut alphabet: Vec<char> = pairs
            .iter()
            .flat_map(|(zh, _)| zh.chars())
            .filter(|c| stdbridge_tm::fuzzy::is_cjk_char(*c))
            .collect();
        alphabet.sort_unstable();
        alphabet.dedup();
        MemoryGenerator {
            zh: Chain::learn(zh_words.into_iter()),
            en: Chain::learn(en_words.into_iter()),
            lengths,
            alphabet,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The next unit (Chinese source `zh-CN`, English target `en`).
    pub fn unit(&mut self, number: u64) -> Unit {
        loop {
            let (zh_len, en_len) = self.lengths[self.rng.random_range(0..self.lengths.len())];
            let zh: String = self.zh.walk(&mut self.rng, zh_len).concat();
            if zh.chars().count() < 4 {
                continue;
            }
            let en = sentence_case(&self.en.walk(&mut self.rng, en_len).join(" "));
            let mut unit = Unit::pair("zh-CN", &zh, "en", &en);
            unit.set_attr("tuid", format!("gen-{number}"));
            unit.set_attr("creationid", "stdbridge-generator");
            return unit;
        }
    }

    /// A copy of `text` with about `fraction` of its characters edited (replaced,
    /// deleted or inserted; at least one edit).
    pub fn near_duplicate(&mut self, text: &str, fraction: f64) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        let edits = ((chars.len() as f64 * fraction).round() as usize).max(1);
        for _ in 0..edits {
            let replacement = self.alphabet[self.rng.random_range(0..self.alphabet.len())];
            let at = self.rng.random_range(0..chars.len().max(1));
            match self.rng.random_range(0..4) {
                0 if chars.len() > 4 => {
                    chars.remove(at.min(chars.len() - 1));
                }
                1 => chars.insert(at.min(chars.len()), replacement),
                _ => {
                    if let Some(slot) = chars.get_mut(at) {
                        *slot = replacement;
                    }
                }
            }
        }
        chars.into_iter().collect()
    }

    /// A random number in a range (for callers that draw with the same seed).
    pub fn draw(&mut self, below: u64) -> u64 {
        self.rng.random_range(0..below.max(1))
    }
}

fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_memory_is_the_real_one() {
        let pairs = seed_pairs();
        assert_eq!(pairs.len(), 3071);
        assert!(
            pairs
                .iter()
                .all(|(zh, en)| !zh.is_empty() && !en.is_empty())
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_units() {
        let mut a = MemoryGenerator::new(7);
        let mut b = MemoryGenerator::new(7);
        for number in 0..50 {
            assert_eq!(a.unit(number), b.unit(number));
        }
        let unit = a.unit(99);
        let zh = unit
            .variant("zh-CN")
            .map(|v| v.seg.plain())
            .unwrap_or_default();
        assert!(zh.chars().count() >= 4, "{zh}");
        let edited = a.near_duplicate(&zh, 0.1);
        assert_ne!(edited, zh);
    }
}
