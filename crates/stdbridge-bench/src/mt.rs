//! `stdbridge bench mt`: the built-in engine's throughput on a Marian model, as sentences
//! and output tokens per second for each beam size, batch size and thread count, with the
//! output length fixed (end of sentence suppressed until it) so runs compare; and, with
//! `--ct2 PYTHON`, CTranslate2 on the same model and the same source tokens in the same run
//! (float32 and int8), each side in its own process with its thread count.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::rounds::RoundRatios;
use crate::tm_gen::MemoryGenerator;
use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use stdbridge_mt::marian::{Compute, MarianModel, Search, default_device};
use stdbridge_mt::spm::{MarianVocab, SentencePiece};

/// The CTranslate2 side, run by the Python the user names.
const CT2_SCRIPT: &str = include_str!("../scripts/ct2_bench.py");

/// What `bench mt` does.
pub struct MtBenchOptions {
    /// The model directory.
    pub model: PathBuf,
    /// Batch sizes.
    pub batches: Vec<usize>,
    /// Beam sizes.
    pub beams: Vec<usize>,
    /// Thread counts.
    pub threads: Vec<usize>,
    /// Compute types of the built-in engine.
    pub compute: Vec<Compute>,
    /// Output tokens per sentence.
    pub length: usize,
    /// Generator seed for the source sentences.
    pub seed: u64,
    /// A Python with ctranslate2 and transformers, for the comparison.
    pub ct2: Option<PathBuf>,
    /// Where CTranslate2's converted model is kept between runs.
    pub work_dir: Option<PathBuf>,
    /// Rounds: each thread count runs stdbridge then CTranslate2 this many times, and
    /// every cell's ratio is the median of the rounds' ratios.
    pub rounds: usize,
    /// Print JSON.
    pub json: bool,
    /// Internal: run the measurements in this process, reading the inputs from this file.
    pub inputs: Option<PathBuf>,
}

/// The sources every run translates.
#[derive(Serialize, Deserialize)]
struct Inputs {
    texts: Vec<String>,
    /// SentencePiece pieces with `</s>`, as CTranslate2 takes them.
    pieces: Vec<Vec<String>>,
    ids: Vec<Vec<u32>>,
    /// Sentences timed for each batch size (two batches, at least eight).
    sentences_per_batch: BTreeMap<String, usize>,
}

/// One measured run.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Run {
    /// Which round of the alternation it belongs to.
    #[serde(default)]
    round: usize,
    engine: String,
    compute: String,
    threads: usize,
    beams: usize,
    batch: usize,
    sentences: usize,
    tokens: usize,
    seconds: f64,
}

impl Run {
    fn tokens_per_second(&self) -> f64 {
        self.tokens as f64 / self.seconds.max(1e-9)
    }

    fn sentences_per_second(&self) -> f64 {
        self.sentences as f64 / self.seconds.max(1e-9)
    }
}

fn sentences_for(batch: usize) -> usize {
    (2 * batch).max(8)
}

/// Runs the benchmark.
pub fn run(options: MtBenchOptions) -> anyhow::Result<ExitCode> {
    if let Some(inputs) = &options.inputs {
        return measure_here(&options, inputs);
    }
    // The inputs need the tokenizer only; the measuring processes load the weights.
    let source = SentencePiece::open(&options.model.join("source.spm"))?;
    let vocab = MarianVocab::open(&options.model.join("vocab.json"))?;
    let work_dir = match &options.work_dir {
        Some(dir) => dir.clone(),
        None => std::env::temp_dir().join("stdbridge-bench-mt"),
    };
    std::fs::create_dir_all(&work_dir)
        .with_context(|| format!("cannot create {}", work_dir.display()))?;
    let inputs_path = work_dir.join("inputs.json");
    let inputs = make_inputs(&source, &vocab, &options);
    std::fs::write(&inputs_path, serde_json::to_vec(&inputs)?)?;
    let mut runs = Vec::new();
    let rounds = options.rounds.max(1);
    let in_round = |measured: Vec<Run>, round: usize| {
        measured.into_iter().map(move |run| Run { round, ..run })
    };
    for &threads in &options.threads {
        for round in 0..rounds {
            eprintln!(
                "round {}/{rounds}: stdbridge, {threads} thread(s)…",
                round + 1
            );
            runs.extend(in_round(ours(&options, &inputs_path, threads)?, round));
            if let Some(python) = &options.ct2 {
                eprintln!(
                    "round {}/{rounds}: CTranslate2, {threads} thread(s)…",
                    round + 1
                );
                let theirs = ctranslate2(&options, python, &work_dir, &inputs_path, threads)?;
                runs.extend(in_round(theirs, round));
            }
        }
    }
    let ratios = ratios(&runs);
    if options.json {
        crate::print_json(&serde_json::json!({"runs": runs, "ratios": ratios}))?;
    } else {
        print_table(&runs, &options);
        print_ratios(&ratios);
    }
    Ok(ExitCode::SUCCESS)
}

fn make_inputs(source: &SentencePiece, vocab: &MarianVocab, options: &MtBenchOptions) -> Inputs {
    let count = options
        .batches
        .iter()
        .map(|&b| sentences_for(b))
        .max()
        .unwrap_or(8);
    let mut generator = MemoryGenerator::new(options.seed);
    let texts: Vec<String> = (0..count as u64)
        .map(|n| {
            generator
                .unit(n)
                .variant("zh-CN")
                .map(|v| v.seg.plain())
                .unwrap_or_default()
        })
        .collect();
    let ids: Vec<Vec<u32>> = texts.iter().map(|t| vocab.encode(source, t)).collect();
    let pieces = texts
        .iter()
        .map(|t| {
            let mut pieces = source.encode(t);
            pieces.push("</s>".to_string());
            pieces
        })
        .collect();
    Inputs {
        texts,
        pieces,
        ids,
        sentences_per_batch: options
            .batches
            .iter()
            .map(|&b| (b.to_string(), sentences_for(b)))
            .collect(),
    }
}

fn list(values: &[usize]) -> String {
    values
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Our runs, in a child process with RAYON_NUM_THREADS set (candle's matrix products
/// take their thread count from it).
fn ours(options: &MtBenchOptions, inputs: &Path, threads: usize) -> anyhow::Result<Vec<Run>> {
    let exe = std::env::current_exe()?;
    let output = Command::new(exe)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .args(["bench", "mt", "--model"])
        .arg(&options.model)
        .args(["--batches", &list(&options.batches)])
        .args(["--beams", &list(&options.beams)])
        .args(["--threads", &threads.to_string()])
        .args(["--length", &options.length.to_string()])
        .args([
            "--compute",
            &options
                .compute
                .iter()
                .map(Compute::to_string)
                .collect::<Vec<_>>()
                .join(","),
        ])
        .arg("--inputs")
        .arg(inputs)
        .output()?;
    if !output.status.success() {
        bail!(
            "the measuring process failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    parse_runs(&output.stdout)
}

fn ctranslate2(
    options: &MtBenchOptions,
    python: &Path,
    work_dir: &Path,
    inputs: &Path,
    threads: usize,
) -> anyhow::Result<Vec<Run>> {
    let script = work_dir.join("ct2_bench.py");
    std::fs::write(&script, CT2_SCRIPT)?;
    let output = Command::new(python)
        .arg(&script)
        .arg("--model")
        .arg(&options.model)
        .arg("--cache")
        .arg(work_dir.join("ct2-model"))
        .arg("--inputs")
        .arg(inputs)
        .args(["--threads", &threads.to_string()])
        .args(["--batches", &list(&options.batches)])
        .args(["--beams", &list(&options.beams)])
        .args(["--length", &options.length.to_string()])
        .output()
        .with_context(|| format!("cannot run {}", python.display()))?;
    if !output.status.success() {
        bail!(
            "CTranslate2's run failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    parse_runs(&output.stdout)
}

fn parse_runs(stdout: &[u8]) -> anyhow::Result<Vec<Run>> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).with_context(|| format!("not a run: {l}")))
        .collect()
}

/// The measurements, in this process: one warm-up batch, then the timed sentences.
fn measure_here(options: &MtBenchOptions, inputs: &Path) -> anyhow::Result<ExitCode> {
    let inputs: Inputs = serde_json::from_slice(&std::fs::read(inputs)?)?;
    let threads = options.threads.first().copied().unwrap_or(1);
    for &compute in &options.compute {
        let model = MarianModel::load(&options.model, None, &default_device(), compute)?;
        for &beams in &options.beams {
            for &batch in &options.batches {
                let run = measure(&model, &inputs, options.length, beams, batch)?;
                let run = Run {
                    compute: compute.to_string(),
                    threads,
                    ..run
                };
                println!("{}", serde_json::to_string(&run)?);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn measure(
    model: &MarianModel,
    inputs: &Inputs,
    length: usize,
    beams: usize,
    batch: usize,
) -> anyhow::Result<Run> {
    let search = Search {
        beams,
        fixed_steps: Some(length),
        ..model.search.clone()
    };
    let count = sentences_for(batch).min(inputs.ids.len());
    let sentences = &inputs.ids[..count];
    model.generate(&search, &sentences[..batch.min(count)], &[])?;
    let start = Instant::now();
    let mut tokens = 0;
    for chunk in sentences.chunks(batch) {
        let out = model.generate(&search, chunk, &[])?;
        tokens += out.iter().map(|o| o.len() - 1).sum::<usize>();
    }
    Ok(Run {
        round: 0,
        engine: format!("stdbridge {}", env!("CARGO_PKG_VERSION")),
        compute: String::new(),
        threads: 0,
        beams,
        batch,
        sentences: count,
        tokens,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// One cell's comparison: stdbridge's tokens per second over CTranslate2's with the same
/// compute type, threads, beams and batch, round by round.
#[derive(Debug, Serialize)]
struct CellRatio {
    compute: String,
    threads: usize,
    beams: usize,
    batch: usize,
    ours_over_ct2: RoundRatios,
}

/// The per-round ratios of every cell both engines ran.
fn ratios(runs: &[Run]) -> Vec<CellRatio> {
    let ours = |run: &&Run| run.engine.starts_with("stdbridge");
    let mut cells: Vec<(String, usize, usize, usize)> = runs
        .iter()
        .filter(ours)
        .map(|r| (r.compute.clone(), r.threads, r.beams, r.batch))
        .collect();
    cells.sort();
    cells.dedup();
    cells
        .into_iter()
        .filter_map(|(compute, threads, beams, batch)| {
            let same = |r: &&Run| {
                r.compute == compute && (r.threads, r.beams, r.batch) == (threads, beams, batch)
            };
            let per_round: Vec<f64> = runs
                .iter()
                .filter(ours)
                .filter(same)
                .filter_map(|mine| {
                    let theirs = runs
                        .iter()
                        .filter(|r| !r.engine.starts_with("stdbridge"))
                        .filter(same)
                        .find(|r| r.round == mine.round)?;
                    Some(mine.tokens_per_second() / theirs.tokens_per_second().max(1e-9))
                })
                .collect();
            (!per_round.is_empty()).then(|| CellRatio {
                compute,
                threads,
                beams,
                batch,
                ours_over_ct2: RoundRatios::of(&per_round),
            })
        })
        .collect()
}

fn print_ratios(ratios: &[CellRatio]) {
    if ratios.is_empty() {
        return;
    }
    println!();
    println!(
        "stdbridge over CTranslate2 (same compute type), median of the rounds' ratios (range)"
    );
    for cell in ratios {
        println!(
            "{:>7} {:>5} {:>5} {:>8}  {}",
            cell.threads,
            cell.beams,
            cell.batch,
            cell.compute,
            cell.ours_over_ct2.describe()
        );
    }
}

/// The median of a cell's rounds.
fn median_run<'r>(runs: impl Iterator<Item = &'r Run>) -> Option<Run> {
    let mut cell: Vec<&Run> = runs.collect();
    cell.sort_by(|a, b| a.tokens_per_second().total_cmp(&b.tokens_per_second()));
    cell.get(cell.len() / 2).map(|run| (*run).clone())
}

fn print_table(runs: &[Run], options: &MtBenchOptions) {
    println!(
        "model {} · {} output tokens per sentence (end of sentence suppressed until then)",
        options.model.display(),
        options.length
    );
    println!(
        "output tokens per second (sentences per second), median of {} round(s)",
        options.rounds.max(1)
    );
    let mut columns: Vec<String> = Vec::new();
    for run in runs {
        let column = format!("{} {}", run.engine, run.compute);
        if !columns.contains(&column) {
            columns.push(column);
        }
    }
    let mut header = format!("{:>7} {:>5} {:>5}", "threads", "beams", "batch");
    for column in &columns {
        header.push_str(&format!(" {column:>28}"));
    }
    println!("{header}");
    let mut keys: Vec<(usize, usize, usize)> =
        runs.iter().map(|r| (r.threads, r.beams, r.batch)).collect();
    keys.sort_unstable();
    keys.dedup();
    for (threads, beams, batch) in keys {
        let mut line = format!("{threads:>7} {beams:>5} {batch:>5}");
        for column in &columns {
            let cell = median_run(runs.iter().filter(|r| {
                format!("{} {}", r.engine, r.compute) == *column
                    && (r.threads, r.beams, r.batch) == (threads, beams, batch)
            }))
            .map(|r| {
                format!(
                    "{:.1} ({:.2})",
                    r.tokens_per_second(),
                    r.sentences_per_second()
                )
            })
            .unwrap_or_default();
            line.push_str(&format!(" {cell:>28}"));
        }
        println!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(round: usize, engine: &str, compute: &str, seconds: f64) -> Run {
        Run {
            round,
            engine: engine.to_owned(),
            compute: compute.to_owned(),
            threads: 2,
            beams: 1,
            batch: 32,
            sentences: 64,
            tokens: 1_000,
            seconds,
        }
    }

    #[test]
    fn each_cell_compares_the_same_round_and_compute_type() {
        let runs = vec![
            run(0, "stdbridge 0.1.0", "int8", 0.5),
            run(0, "CTranslate2 4.8.5", "int8", 1.0),
            run(0, "CTranslate2 4.8.5", "float32", 0.1),
            run(1, "stdbridge 0.1.0", "int8", 1.0),
            run(1, "CTranslate2 4.8.5", "int8", 1.0),
            run(2, "stdbridge 0.1.0", "int8", 0.25),
            run(2, "CTranslate2 4.8.5", "int8", 1.0),
            run(0, "stdbridge 0.1.0", "float32", 1.0),
        ];
        let cells = ratios(&runs);
        let int8 = cells
            .iter()
            .find(|c| c.compute == "int8")
            .expect("int8 cell");
        assert_eq!(int8.ours_over_ct2.rounds, 3);
        assert_eq!(int8.ours_over_ct2.median, 2.0);
        assert_eq!((int8.ours_over_ct2.min, int8.ours_over_ct2.max), (1.0, 4.0));
        let float = cells
            .iter()
            .find(|c| c.compute == "float32")
            .expect("float32 cell");
        assert_eq!(
            float.ours_over_ct2.median, 0.1,
            "compared with its own compute type"
        );
        let median = median_run(
            runs.iter()
                .filter(|r| r.compute == "int8" && r.engine.starts_with("stdbridge")),
        )
        .expect("a median");
        assert_eq!(median.round, 0);
    }
}
