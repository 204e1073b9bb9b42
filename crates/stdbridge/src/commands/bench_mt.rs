//! `stdbridge bench mt`: the built-in engine's throughput on a Marian model, as sentences
//! and output tokens per second for each beam size, batch size and thread count, with the
//! output length fixed (end of sentence suppressed until it) so runs compare; and, with
//! `--ct2 PYTHON`, CTranslate2 on the same model and the same source tokens in the same run
//! (float32 and int8), each side in its own process with its thread count.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use stdbridge_mt::marian::{MarianModel, Search, default_device};
use stdbridge_tm::generate::MemoryGenerator;

/// The CTranslate2 side, run by the Python the user names.
const CT2_SCRIPT: &str = include_str!("../../../stdbridge-mt/bench/ct2_bench.py");

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
    /// Output tokens per sentence.
    pub length: usize,
    /// Generator seed for the source sentences.
    pub seed: u64,
    /// A Python with ctranslate2 and transformers, for the comparison.
    pub ct2: Option<PathBuf>,
    /// Where CTranslate2's converted model is kept between runs.
    pub work_dir: Option<PathBuf>,
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
    let model = MarianModel::load(&options.model, None, &default_device())?;
    let work_dir = match &options.work_dir {
        Some(dir) => dir.clone(),
        None => std::env::temp_dir().join("stdbridge-bench-mt"),
    };
    std::fs::create_dir_all(&work_dir)
        .with_context(|| format!("cannot create {}", work_dir.display()))?;
    let inputs_path = work_dir.join("inputs.json");
    let inputs = make_inputs(&model, &options);
    std::fs::write(&inputs_path, serde_json::to_vec(&inputs)?)?;
    drop(model);
    let mut runs = Vec::new();
    for &threads in &options.threads {
        eprintln!("stdbridge, {threads} thread(s)…");
        runs.extend(ours(&options, &inputs_path, threads)?);
        if let Some(python) = &options.ct2 {
            eprintln!("CTranslate2, {threads} thread(s)…");
            runs.extend(ctranslate2(&options, python, &work_dir, &inputs_path, threads)?);
        }
    }
    if options.json {
        super::print_json(&runs)?;
    } else {
        print_table(&runs, &options);
    }
    Ok(ExitCode::SUCCESS)
}

fn make_inputs(model: &MarianModel, options: &MtBenchOptions) -> Inputs {
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
    let ids: Vec<Vec<u32>> = texts
        .iter()
        .map(|t| model.vocab.encode(&model.source, t))
        .collect();
    let pieces = texts
        .iter()
        .map(|t| {
            let mut pieces = model.source.encode(t);
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
    let model = MarianModel::load(&options.model, None, &default_device())?;
    let inputs: Inputs = serde_json::from_slice(&std::fs::read(inputs)?)?;
    let threads = options.threads.first().copied().unwrap_or(1);
    for &beams in &options.beams {
        for &batch in &options.batches {
            let search = Search {
                beams,
                fixed_steps: Some(options.length),
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
            let run = Run {
                engine: format!("stdbridge {}", env!("CARGO_PKG_VERSION")),
                compute: "float32".into(),
                threads,
                beams,
                batch,
                sentences: count,
                tokens,
                seconds: start.elapsed().as_secs_f64(),
            };
            println!("{}", serde_json::to_string(&run)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(runs: &[Run], options: &MtBenchOptions) {
    println!(
        "model {} · {} output tokens per sentence (end of sentence suppressed until then)",
        options.model.display(),
        options.length
    );
    println!(
        "{:<34} {:>7} {:>5} {:>6} {:>11} {:>10} {:>14}",
        "engine", "threads", "beams", "batch", "sentences/s", "tokens/s", "vs stdbridge"
    );
    for run in runs {
        let ours = runs.iter().find(|r| {
            r.engine.starts_with("stdbridge")
                && r.threads == run.threads
                && r.beams == run.beams
                && r.batch == run.batch
        });
        let ratio = match ours {
            Some(ours) if !run.engine.starts_with("stdbridge") => format!(
                "{:.2}×",
                ours.tokens_per_second() / run.tokens_per_second().max(1e-9)
            ),
            _ => String::new(),
        };
        println!(
            "{:<34} {:>7} {:>5} {:>6} {:>11.2} {:>10.1} {:>14}",
            format!("{} {}", run.engine, run.compute),
            run.threads,
            run.beams,
            run.batch,
            run.sentences_per_second(),
            run.tokens_per_second(),
            ratio
        );
    }
    println!("vs stdbridge: stdbridge's tokens/s over that engine's (above 1 = stdbridge faster)");
}
