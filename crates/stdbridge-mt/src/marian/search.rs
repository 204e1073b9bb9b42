//! Greedy and beam search over the network, batched, as Hugging Face's `generate` decides:
//! the decoder starts from its start token, `<pad>` is never produced, `</s>` is forced at
//! the maximum length; beam search keeps the best `2 × beams` continuations, finishes
//! hypotheses only from the top `beams`, scores them by log-probability over length to
//! the power of the length penalty, and stops a sentence when no running hypothesis can
//! beat its finished ones. Each sentence stops on its own, so a translation does not
//! depend on the sentences batched with it.
//!
//! Required terms are met by forcing: once a term's first token is chosen (or the model
//! would end the sentence, or the length left is just enough), the term's tokens are
//! forced one after another, and `</s>` is not allowed while a term is missing.

use rayon::prelude::*;

use super::network::{DecoderState, Network, Result, log_softmax};

/// How `generate` stops (`early_stopping` of generation_config.json).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EarlyStopping {
    /// `false`: stop when no running hypothesis can beat the finished ones at its length.
    #[default]
    Heuristic,
    /// `true`: stop as soon as `beams` hypotheses are finished.
    Immediate,
    /// `"never"`: stop when none could beat them even at the maximum length.
    Never,
}

/// Search settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// 1 = greedy.
    pub beams: usize,
    /// Longest output, the start token included.
    pub max_length: usize,
    /// Exponent of the length in a finished hypothesis's score.
    pub length_penalty: f32,
    /// When beam search stops.
    pub early_stopping: EarlyStopping,
    /// Log-probabilities normalized again after `<pad>` is ruled out.
    pub renormalize: bool,
    /// For benchmarks: exactly this many tokens are generated, `</s>` never.
    pub fixed_steps: Option<usize>,
}

impl Default for Search {
    fn default() -> Search {
        Search {
            beams: 1,
            max_length: 512,
            length_penalty: 1.0,
            early_stopping: EarlyStopping::Heuristic,
            renormalize: false,
            fixed_steps: None,
        }
    }
}

/// The special tokens decoding needs.
#[derive(Debug, Clone, Copy)]
pub struct Specials {
    /// The decoder's first input.
    pub start: u32,
    /// End of sentence.
    pub eos: u32,
    /// Padding, never produced.
    pub pad: u32,
}

/// Progress through the required terms of one hypothesis.
#[derive(Debug, Clone, Default)]
struct TermState {
    /// Terms not produced yet (indexes into the sentence's terms).
    pending: Vec<usize>,
    /// A term being produced: its index and how many of its tokens are out.
    progress: Option<(usize, usize)>,
}

/// What the terms demand of the next token.
enum Demand {
    Free,
    NoEos,
    Force(u32),
}

impl TermState {
    fn new(terms: &[Vec<u32>]) -> TermState {
        TermState {
            pending: (0..terms.len()).filter(|&k| !terms[k].is_empty()).collect(),
            progress: None,
        }
    }

    /// `best` is the model's choice; `room` how many tokens may still come before `</s>`.
    fn demand(&self, terms: &[Vec<u32>], best: u32, eos: u32, room: usize) -> Demand {
        if let Some((k, done)) = self.progress {
            return Demand::Force(terms[k][done]);
        }
        let Some(&first) = self.pending.first() else {
            return Demand::Free;
        };
        let needed: usize = self.pending.iter().map(|&k| terms[k].len()).sum();
        if best == eos || needed >= room {
            Demand::Force(terms[first][0])
        } else {
            Demand::NoEos
        }
    }

    fn advance(&mut self, terms: &[Vec<u32>], token: u32) {
        let (k, done) = match self.progress.take() {
            Some((k, done)) if terms[k].get(done) == Some(&token) => (k, done + 1),
            Some(_) => return,
            None => match self.pending.iter().find(|&&k| terms[k][0] == token) {
                Some(&k) => (k, 1),
                None => return,
            },
        };
        if done == terms[k].len() {
            self.pending.retain(|&p| p != k);
        } else {
            self.progress = Some((k, done));
        }
    }
}

fn argmax(row: &[f32]) -> u32 {
    let mut best = (0usize, f32::NEG_INFINITY);
    for (id, &score) in row.iter().enumerate() {
        if score > best.1 {
            best = (id, score);
        }
    }
    best.0 as u32
}

fn force(row: &mut [f32], token: u32) {
    let keep = row.get(token as usize).copied().unwrap_or(0.0);
    row.fill(f32::NEG_INFINITY);
    if let Some(slot) = row.get_mut(token as usize) {
        *slot = keep;
    }
}

/// The decoding loop shared by both searches.
struct Decoding<'a> {
    network: &'a Network,
    search: &'a Search,
    specials: Specials,
    vocab: usize,
    buffer: Vec<f32>,
}

impl Decoding<'_> {
    /// The limit on the output's length and whether this step must end it.
    fn must_end(&self, cur_len: usize) -> bool {
        match self.search.fixed_steps {
            Some(_) => false,
            None => cur_len + 1 >= self.search.max_length,
        }
    }

    /// Tokens that may still come before `</s>`.
    fn room(&self, cur_len: usize) -> usize {
        self.search.max_length.saturating_sub(cur_len + 1)
    }

    /// The logits processors: `<pad>` ruled out, `</s>` forced at the maximum length or
    /// ruled out in fixed-length runs.
    fn process(&self, row: &mut [f32], cur_len: usize) {
        let Specials { eos, pad, .. } = self.specials;
        if let Some(slot) = row.get_mut(pad as usize) {
            *slot = f32::NEG_INFINITY;
        }
        if self.must_end(cur_len) {
            force(row, eos);
            if let Some(slot) = row.get_mut(eos as usize) {
                *slot = 0.0;
            }
        } else if self.search.fixed_steps.is_some()
            && let Some(slot) = row.get_mut(eos as usize)
        {
            *slot = f32::NEG_INFINITY;
        }
    }

    fn finished_steps(&self, steps: usize) -> bool {
        self.search.fixed_steps.is_some_and(|n| steps >= n)
    }

    /// The processed logits of each row (rows `vocab` wide; all rows have `cur_len`
    /// tokens), as log-probabilities for beam search; rows in parallel, into the buffer
    /// the previous step gave back ([`Decoding::recycle`]).
    fn logits(
        &mut self,
        state: &mut DecoderState,
        tokens: &[u32],
        cur_len: usize,
        log_probs: bool,
    ) -> Result<Vec<f32>> {
        let mut data = std::mem::take(&mut self.buffer);
        let width = self.network.step(state, tokens, &mut data)?;
        self.vocab = width;
        let this = &*self;
        data.par_chunks_mut(width).for_each(|row| {
            if !log_probs {
                this.process(row, cur_len);
            } else if this.search.renormalize {
                this.process(row, cur_len);
                log_softmax(row);
            } else {
                log_softmax(row);
                this.process(row, cur_len);
            }
        });
        Ok(data)
    }

    /// Takes a step's logits back for the next step to fill.
    fn recycle(&mut self, buffer: Vec<f32>) {
        self.buffer = buffer;
    }
}

/// Translates token ids (each input ending in `</s>`); `terms[i]` are the token sequences
/// output `i` must contain. Each output starts with the start token and ends with `</s>`
/// (in fixed-length runs, after exactly that many tokens, without `</s>`).
///
/// Decoding runs on a thread of rayon's pool, so that the parallel parts of each step
/// (products, attention rows, logits) are shared with the other threads directly rather
/// than handed over from outside the pool and waited for.
pub fn generate(
    network: &Network,
    specials: Specials,
    search: &Search,
    inputs: &[Vec<u32>],
    terms: &[Vec<Vec<u32>>],
) -> Result<Vec<Vec<u32>>> {
    rayon::scope(|_| generate_in_pool(network, specials, search, inputs, terms))
}

fn generate_in_pool(
    network: &Network,
    specials: Specials,
    search: &Search,
    inputs: &[Vec<u32>],
    terms: &[Vec<Vec<u32>>],
) -> Result<Vec<Vec<u32>>> {
    if inputs.is_empty() {
        return Ok(Vec::new());
    }
    let mut decoding = Decoding {
        network,
        search,
        specials,
        vocab: network.config().target_vocab_size(),
        buffer: Vec::new(),
    };
    let no_terms = Vec::new();
    let terms: Vec<&Vec<Vec<u32>>> = (0..inputs.len())
        .map(|i| terms.get(i).unwrap_or(&no_terms))
        .collect();
    if search.beams <= 1 {
        greedy(&mut decoding, inputs, &terms)
    } else {
        beam(&mut decoding, inputs, &terms)
    }
}

fn greedy(
    decoding: &mut Decoding,
    inputs: &[Vec<u32>],
    terms: &[&Vec<Vec<u32>>],
) -> Result<Vec<Vec<u32>>> {
    let Specials { start, eos, .. } = decoding.specials;
    let encoded = decoding.network.encode(inputs)?;
    let all: Vec<u32> = (0..inputs.len() as u32).collect();
    let mut state = decoding.network.start(&encoded, &all)?;
    let mut outputs: Vec<Vec<u32>> = vec![vec![start]; inputs.len()];
    let mut term_states: Vec<TermState> = terms.iter().map(|t| TermState::new(t)).collect();
    let mut rows: Vec<usize> = (0..inputs.len()).collect();
    let mut steps = 0;
    while !rows.is_empty() && !decoding.finished_steps(steps) {
        let last: Vec<u32> = rows
            .iter()
            .map(|&s| outputs[s].last().copied().unwrap_or(start))
            .collect();
        let cur_len = steps + 1;
        let mut logits = decoding.logits(&mut state, &last, cur_len, false)?;
        let bests: Vec<u32> = logits.par_chunks(decoding.vocab).map(argmax).collect();
        let mut keep = Vec::with_capacity(rows.len());
        for (r, &s) in rows.iter().enumerate() {
            let row = &mut logits[r * decoding.vocab..(r + 1) * decoding.vocab];
            let best = bests[r];
            let next = match term_states[s].demand(terms[s], best, eos, decoding.room(cur_len)) {
                Demand::Force(token) if !decoding.must_end(cur_len) => token,
                Demand::NoEos if best == eos => {
                    row[eos as usize] = f32::NEG_INFINITY;
                    argmax(row)
                }
                _ => best,
            };
            term_states[s].advance(terms[s], next);
            outputs[s].push(next);
            if next != eos {
                keep.push(r as u32);
            }
        }
        decoding.recycle(logits);
        steps += 1;
        if keep.len() < rows.len() && !keep.is_empty() {
            decoding.network.reorder(&mut state, &keep, true)?;
        }
        rows = keep.iter().map(|&r| rows[r as usize]).collect();
    }
    Ok(outputs)
}

/// A running hypothesis.
#[derive(Clone)]
struct Hypothesis {
    tokens: Vec<u32>,
    score: f32,
    terms: TermState,
}

/// One sentence's beams.
struct Beams {
    running: Vec<Hypothesis>,
    /// Finished hypotheses, best first, at most `beams`.
    finished: Vec<(f32, Vec<u32>)>,
    done: bool,
}

/// A continuation: score, parent beam, token.
#[derive(Clone, Copy)]
struct Candidate {
    score: f32,
    beam: usize,
    token: u32,
}

/// The best `k` continuations over all beams of a sentence, best first (the lower beam and
/// token first on a tie).
fn top_candidates(rows: &[&[f32]], scores: &[f32], k: usize) -> Vec<Candidate> {
    let mut top: Vec<Candidate> = Vec::with_capacity(k + 1);
    for (beam, (row, &base)) in rows.iter().zip(scores).enumerate() {
        for (token, &lp) in row.iter().enumerate() {
            if lp == f32::NEG_INFINITY {
                continue;
            }
            let score = base + lp;
            if top.len() == k && top.last().is_some_and(|c| c.score >= score) {
                continue;
            }
            let at = top.partition_point(|c| c.score >= score);
            top.insert(
                at,
                Candidate {
                    score,
                    beam,
                    token: token as u32,
                },
            );
            top.truncate(k);
        }
    }
    top
}

impl Beams {
    /// One step for this sentence: `rows` are its beams' processed log-probabilities.
    fn advance(
        &mut self,
        decoding: &Decoding,
        rows: &mut [&mut [f32]],
        terms: &[Vec<u32>],
    ) -> Vec<usize> {
        let search = decoding.search;
        let k = search.beams;
        let eos = decoding.specials.eos;
        let cur_len = self.running[0].tokens.len();
        for (row, hypothesis) in rows.iter_mut().zip(&self.running) {
            let best = argmax(row);
            match hypothesis
                .terms
                .demand(terms, best, eos, decoding.room(cur_len))
            {
                Demand::Force(token) if !decoding.must_end(cur_len) => force(row, token),
                Demand::NoEos => row[eos as usize] = f32::NEG_INFINITY,
                _ => {}
            }
        }
        let scores: Vec<f32> = self.running.iter().map(|h| h.score).collect();
        let views: Vec<&[f32]> = rows.iter().map(|r| &**r).collect();
        let candidates = top_candidates(&views, &scores, 2 * k);
        let hits = |c: &Candidate| {
            (c.token == eos && search.fixed_steps.is_none()) || decoding.must_end(cur_len)
        };
        // Finished: only from the top `k`.
        let full = self.finished.len() == k;
        if !(full && search.early_stopping == EarlyStopping::Immediate) {
            let length = (cur_len as f32).powf(search.length_penalty);
            for c in candidates.iter().take(k).filter(|c| hits(c)) {
                let mut tokens = self.running[c.beam].tokens.clone();
                tokens.push(c.token);
                self.finished.push((c.score / length, tokens));
            }
            self.finished.sort_by(|a, b| b.0.total_cmp(&a.0));
            self.finished.truncate(k);
        }
        // Running: the best `k` that go on.
        let mut next: Vec<(f32, Candidate)> = candidates
            .iter()
            .map(|c| (c.score + if hits(c) { -1.0e9 } else { 0.0 }, *c))
            .collect();
        next.sort_by(|a, b| b.0.total_cmp(&a.0));
        next.truncate(k);
        let mut parents = Vec::with_capacity(k);
        self.running = next
            .iter()
            .map(|(score, c)| {
                let parent = &self.running[c.beam];
                let mut tokens = parent.tokens.clone();
                tokens.push(c.token);
                let mut term_state = parent.terms.clone();
                term_state.advance(terms, c.token);
                parents.push(c.beam);
                Hypothesis {
                    tokens,
                    score: *score,
                    terms: term_state,
                }
            })
            .collect();
        while self.running.len() < k {
            // Fewer continuations than beams (a tiny vocabulary): repeat the last one, out
            // of the race.
            let mut filler = self.running.last().cloned().unwrap_or_else(|| Hypothesis {
                tokens: vec![decoding.specials.start],
                score: -1.0e9,
                terms: TermState::default(),
            });
            filler.score = -2.0e9;
            parents.push(parents.last().copied().unwrap_or(0));
            self.running.push(filler);
        }
        self.done = self.stops(decoding, cur_len + 1, candidates.iter().all(hits));
        parents
    }

    /// Whether the sentence is done once `cur_len` tokens are out.
    fn stops(&self, decoding: &Decoding, cur_len: usize, all_hit: bool) -> bool {
        let search = decoding.search;
        if decoding.finished_steps(cur_len - 1) {
            return true;
        }
        let k = search.beams;
        let full = self.finished.len() == k;
        let length = if search.early_stopping == EarlyStopping::Never && search.length_penalty > 0.0
        {
            search.max_length - 1
        } else {
            cur_len - 1
        };
        let best_possible = self.running[0].score / (length as f32).powf(search.length_penalty);
        let worst_finished = self.finished.last().map_or(f32::NEG_INFINITY, |f| f.0);
        let improvement_possible = !full || best_possible > worst_finished;
        let open = !(full && search.early_stopping == EarlyStopping::Immediate);
        !(improvement_possible && open && !all_hit)
    }

    fn best(&self) -> Vec<u32> {
        match self.finished.first() {
            Some((_, tokens)) => tokens.clone(),
            None => self.running[0].tokens.clone(),
        }
    }
}

fn beam(
    decoding: &mut Decoding,
    inputs: &[Vec<u32>],
    terms: &[&Vec<Vec<u32>>],
) -> Result<Vec<Vec<u32>>> {
    let k = decoding.search.beams;
    let Specials { start, .. } = decoding.specials;
    let encoded = decoding.network.encode(inputs)?;
    let rows: Vec<u32> = (0..inputs.len() as u32)
        .flat_map(|s| std::iter::repeat_n(s, k))
        .collect();
    let mut state = decoding.network.start(&encoded, &rows)?;
    let mut sentences: Vec<Beams> = terms
        .iter()
        .map(|t| Beams {
            running: (0..k)
                .map(|b| Hypothesis {
                    tokens: vec![start],
                    score: if b == 0 { 0.0 } else { -1.0e9 },
                    terms: TermState::new(t),
                })
                .collect(),
            finished: Vec::new(),
            done: false,
        })
        .collect();
    let mut active: Vec<usize> = (0..inputs.len()).collect();
    while !active.is_empty() {
        let last: Vec<u32> = active
            .iter()
            .flat_map(|&s| sentences[s].running.iter())
            .map(|h| h.tokens.last().copied().unwrap_or(start))
            .collect();
        let cur_len = sentences[active[0]].running[0].tokens.len();
        let mut logits = decoding.logits(&mut state, &last, cur_len, true)?;
        let vocab = decoding.vocab;
        let shared = &*decoding;
        let mut chunks: Vec<(&mut Beams, &mut [f32])> = sentences
            .iter_mut()
            .enumerate()
            .filter(|(s, _)| active.binary_search(s).is_ok())
            .map(|(_, beams)| beams)
            .zip(logits.chunks_mut(vocab * k))
            .collect();
        let parents: Vec<Vec<usize>> = chunks
            .par_iter_mut()
            .zip(&active)
            .map(|((beams, chunk), &s)| {
                let mut rows: Vec<&mut [f32]> = chunk.chunks_mut(vocab).collect();
                beams.advance(shared, &mut rows, terms[s])
            })
            .collect();
        drop(chunks);
        decoding.recycle(logits);
        let mut keep = Vec::with_capacity(last.len());
        let mut still = Vec::with_capacity(active.len());
        for (position, (&s, parents)) in active.iter().zip(&parents).enumerate() {
            if !sentences[s].done {
                keep.extend(parents.iter().map(|&p| (position * k + p) as u32));
                still.push(s);
            }
        }
        if still.is_empty() {
            break;
        }
        decoding
            .network
            .reorder(&mut state, &keep, still.len() < active.len())?;
        active = still;
    }
    Ok(sentences.iter().map(Beams::best).collect())
}
