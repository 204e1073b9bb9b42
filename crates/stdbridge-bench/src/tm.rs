//! `stdbridge bench tm`: translation-memory lookups at scale, against brute force.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::brute_force::BruteForce;
use anyhow::Context;
use stdbridge_storage::Database;

use crate::rounds::{RoundRatios, paired_p50_ratios};
use crate::search::percentile_ms;
use crate::tm_gen::MemoryGenerator;
use stdbridge_tm::{LookupRequest, Memories, Segment};

/// What to run.
pub struct TmBenchOptions {
    /// Units to generate.
    pub units: u64,
    /// Generator seed.
    pub seed: u64,
    /// Lookups through the index.
    pub queries: usize,
    /// Lookups also done by brute force (and pg_trgm).
    pub brute_force: usize,
    /// PostgreSQL for the pg_trgm baseline.
    pub postgres: Option<String>,
    /// Working directory.
    pub work_dir: Option<PathBuf>,
    /// Reuse the memory a previous run left.
    pub reuse: bool,
    /// Print JSON.
    pub json: bool,
}

#[derive(serde::Serialize, Default)]
struct Report {
    units: u64,
    stored_units: i64,
    tmx_bytes: u64,
    generate_seconds: f64,
    import_seconds: f64,
    import_units_per_second: f64,
    index_bytes: u64,
    store_bytes: u64,
    queries: usize,
    index_p50_ms: f64,
    index_p95_ms: f64,
    index_p99_ms: f64,
    brute_force_queries: usize,
    brute_force_p50_ms: f64,
    brute_force_p95_ms: f64,
    speedup_p50: f64,
    /// Brute force over the index, per round of queries run on both one after the other.
    speedup_p50_rounds: RoundRatios,
    recall_at_1: f64,
    mean_top_score: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pg_trgm: Option<PgReport>,
    misses: Vec<Miss>,
}

#[derive(serde::Serialize, Default)]
struct PgReport {
    load_seconds: f64,
    queries: usize,
    p50_ms: f64,
    p95_ms: f64,
    recall_at_1: f64,
    no_answer: usize,
    /// pg_trgm over the index, per round of queries run on both one after the other.
    ratio_p50_rounds: RoundRatios,
}

#[derive(serde::Serialize, Clone)]
struct Miss {
    query: String,
    index_score: Option<u8>,
    best_score: u8,
}

const MEMORY: &str = "bench";

/// `stdbridge bench tm`.
pub async fn run(options: TmBenchOptions) -> anyhow::Result<ExitCode> {
    let work_dir = options
        .work_dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("stdbridge-bench-tm"));
    let tmx = work_dir.join("bench.tmx");
    let data_dir = work_dir.join("data");
    let mut report = Report {
        units: options.units,
        queries: options.queries,
        ..Report::default()
    };
    if !options.reuse {
        if work_dir.exists() {
            std::fs::remove_dir_all(&work_dir)
                .with_context(|| format!("emptying {}", work_dir.display()))?;
        }
        std::fs::create_dir_all(&work_dir)?;
        eprintln!("generating {} units …", crate::thousands(options.units));
        let started = Instant::now();
        let file = std::fs::File::create(&tmx)?;
        crate::gen_tm::write(options.units, options.seed, std::io::BufWriter::new(file))?;
        report.generate_seconds = started.elapsed().as_secs_f64();
    }
    report.tmx_bytes = std::fs::metadata(&tmx).map(|m| m.len()).unwrap_or(0);
    let store = std::sync::Arc::new(crate::open_store(&data_dir).await?);
    let memories = Memories::open(store.clone(), &data_dir).await?;
    if !options.reuse {
        eprintln!("importing {} …", tmx.display());
        let started = Instant::now();
        let imported = memories.import_tmx(MEMORY, &tmx, |_| {}).await?;
        report.import_seconds = started.elapsed().as_secs_f64();
        report.import_units_per_second = imported.read as f64 / report.import_seconds.max(1e-9);
    }
    report.stored_units = memories
        .list()
        .await?
        .iter()
        .find(|m| m.name == MEMORY)
        .and_then(|m| m.entries)
        .unwrap_or(0);
    report.index_bytes = memories.index().size_bytes();

    eprintln!("building the brute-force baseline …");
    let mut generator = MemoryGenerator::new(options.seed);
    let mut baseline = BruteForce::new();
    let mut sources = Vec::with_capacity(options.units as usize);
    for number in 0..options.units {
        let unit = generator.unit(number);
        let source = unit
            .variant("zh-CN")
            .map(|v| v.seg.plain())
            .unwrap_or_default();
        if options.brute_force > 0 {
            baseline.add(number as i64, &source);
        }
        sources.push(source);
    }
    let mut editor = MemoryGenerator::new(options.seed.wrapping_add(1_000_003));
    let queries: Vec<String> = (0..options.queries)
        .map(|_| {
            let source = &sources[editor.draw(options.units) as usize];
            let fraction = (1 + editor.draw(30)) as f64 / 100.0;
            editor.near_duplicate(source, fraction)
        })
        .collect();
    let pg_rows: Option<Vec<(i64, String)>> = options.postgres.as_ref().map(|_| {
        sources
            .iter()
            .enumerate()
            .map(|(at, source)| (at as i64, source.clone()))
            .collect()
    });
    drop(sources);

    eprintln!("{} lookups through the index …", queries.len());
    let mut index_ms = Vec::with_capacity(queries.len());
    let mut top_scores = Vec::with_capacity(queries.len());
    for query in &queries {
        let (elapsed, score) = timed_lookup(&memories, query).await?;
        index_ms.push(elapsed);
        top_scores.push(score);
    }
    report.mean_top_score = top_scores
        .iter()
        .map(|s| f64::from(s.unwrap_or(0)))
        .sum::<f64>()
        / top_scores.len().max(1) as f64;

    let sample = options.brute_force.min(queries.len());
    eprintln!("{sample} of them by brute force …");
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut brute_ms = Vec::with_capacity(sample);
    let mut pairs = Vec::with_capacity(sample);
    let mut best_scores = Vec::with_capacity(sample);
    let mut hits = 0;
    for (query, index_score) in queries.iter().zip(&top_scores).take(sample) {
        // The index again, right before the baseline, on the same query.
        let (index_elapsed, _) = timed_lookup(&memories, query).await?;
        let started = Instant::now();
        let best = baseline.best(query, threads);
        brute_ms.push(started.elapsed());
        pairs.push((index_elapsed, started.elapsed()));
        let best_score = best.map_or(0, |b| b.score);
        best_scores.push(best_score);
        if index_score.unwrap_or(0) >= best_score {
            hits += 1;
        } else if report.misses.len() < 10 {
            report.misses.push(Miss {
                query: query.clone(),
                index_score: *index_score,
                best_score,
            });
        }
    }
    report.brute_force_queries = sample;
    report.recall_at_1 = hits as f64 / sample.max(1) as f64;
    index_ms.sort();
    brute_ms.sort();
    let (index_sorted, brute_sorted) = (&index_ms, &brute_ms);
    report.index_p50_ms = percentile_ms(index_sorted, 0.50);
    report.index_p95_ms = percentile_ms(index_sorted, 0.95);
    report.index_p99_ms = percentile_ms(index_sorted, 0.99);
    report.brute_force_p50_ms = percentile_ms(brute_sorted, 0.50);
    report.brute_force_p95_ms = percentile_ms(brute_sorted, 0.95);
    report.speedup_p50 = report.brute_force_p50_ms / report.index_p50_ms.max(1e-9);
    report.speedup_p50_rounds = paired_p50_ratios(&pairs, ROUNDS);
    if let (Some(url), Some(rows)) = (&options.postgres, pg_rows) {
        report.pg_trgm =
            Some(pg_trgm(url, rows, &memories, &queries[..sample], &best_scores).await?);
    }
    let store_file = store.path().to_owned();
    // Closing checkpoints the write-ahead log: the file then holds everything.
    store.close().await;
    report.store_bytes = std::fs::metadata(&store_file).map_or(0, |meta| meta.len());

    if options.json {
        crate::print_json(&report)?;
    } else {
        print_table(&report, threads);
    }
    Ok(ExitCode::SUCCESS)
}

/// The same lookups through pg_trgm: its top five re-scored with our score, so that
/// recall compares like with like.
async fn pg_trgm(
    url: &str,
    rows: Vec<(i64, String)>,
    memories: &Memories,
    queries: &[String],
    best_scores: &[u8],
) -> anyhow::Result<PgReport> {
    eprintln!("loading PostgreSQL (pg_trgm) …");
    let baseline = crate::pg_trgm::PgTrgmBaseline::connect(url)
        .await
        .with_context(|| format!("connecting to {url}"))?;
    let started = Instant::now();
    baseline.load(rows).await?;
    let mut report = PgReport {
        load_seconds: started.elapsed().as_secs_f64(),
        queries: queries.len(),
        ..PgReport::default()
    };
    let mut times = Vec::with_capacity(queries.len());
    let mut pairs = Vec::with_capacity(queries.len());
    let mut hits = 0;
    for (query, best) in queries.iter().zip(best_scores) {
        let (index_elapsed, _) = timed_lookup(memories, query).await?;
        let started = Instant::now();
        let found = baseline.similar(query, 5).await?;
        times.push(started.elapsed());
        pairs.push((index_elapsed, started.elapsed()));
        let analyzed = stdbridge_tm::fuzzy::Analyzed::text(query);
        let top = found
            .iter()
            .map(|m| {
                stdbridge_tm::fuzzy::score(
                    &analyzed,
                    &stdbridge_tm::fuzzy::Analyzed::text(&m.source),
                )
            })
            .max();
        if top.is_none() {
            report.no_answer += 1;
        }
        if top.unwrap_or(0) >= *best {
            hits += 1;
        }
    }
    baseline.drop_table().await?;
    report.ratio_p50_rounds = paired_p50_ratios(&pairs, ROUNDS);
    times.sort();
    report.p50_ms = percentile_ms(&times, 0.50);
    report.p95_ms = percentile_ms(&times, 0.95);
    report.recall_at_1 = hits as f64 / queries.len().max(1) as f64;
    Ok(report)
}

/// Rounds the paired lookups are split into (each gives one ratio).
const ROUNDS: usize = 5;

/// One lookup of `query` through the index: its time and its best score.
async fn timed_lookup(
    memories: &Memories,
    query: &str,
) -> anyhow::Result<(std::time::Duration, Option<u8>)> {
    let request = LookupRequest {
        memories: vec![MEMORY.into()],
        source_lang: "zh-CN".into(),
        target_lang: "en".into(),
        query: Segment::text(query.to_owned()),
        limit: 1,
        min_score: 0,
    };
    let started = Instant::now();
    let found = memories.lookup(&request).await?;
    Ok((started.elapsed(), found.first().map(|m| m.score)))
}

fn print_table(report: &Report, threads: usize) {
    println!(
        "units generated: {}   stored (duplicates merged): {}   TMX: {:.0} MB",
        crate::thousands(report.units),
        crate::thousands(report.stored_units as u64),
        report.tmx_bytes as f64 / 1e6
    );
    if report.import_seconds > 0.0 {
        println!(
            "import: {:.1} s ({:.0} units/s); generation {:.1} s",
            report.import_seconds, report.import_units_per_second, report.generate_seconds
        );
    }
    println!(
        "index: {:.0} MB   store: {:.0} MB",
        report.index_bytes as f64 / 1e6,
        report.store_bytes as f64 / 1e6
    );
    println!();
    println!("| lookups | p50 ms | p95 ms | p99 ms |");
    println!("|---|---:|---:|---:|");
    println!(
        "| index + exact re-scoring, {} queries | {:.2} | {:.2} | {:.2} |",
        report.queries, report.index_p50_ms, report.index_p95_ms, report.index_p99_ms
    );
    println!(
        "| brute force ({threads} threads), {} queries | {:.1} | {:.1} | – |",
        report.brute_force_queries, report.brute_force_p50_ms, report.brute_force_p95_ms
    );
    if let Some(pg) = &report.pg_trgm {
        println!(
            "| PostgreSQL pg_trgm (GIN, `%` then similarity), {} queries | {:.1} | {:.1} | – |",
            pg.queries, pg.p50_ms, pg.p95_ms
        );
    }
    println!();
    if let Some(pg) = &report.pg_trgm {
        println!(
            "pg_trgm: recall@1 {:.1} %, no answer above its 0.3 threshold for {} queries; load and index {:.0} s; pg_trgm p50 / index p50 by round (each query on both, one after the other): {}",
            pg.recall_at_1 * 100.0,
            pg.no_answer,
            pg.load_seconds,
            pg.ratio_p50_rounds.describe()
        );
    }
    println!(
        "recall@1 against brute force: {:.1} % ({} queries); index is {:.0}× faster at p50 (by round, each query on both one after the other: {}); mean top score {:.1}",
        report.recall_at_1 * 100.0,
        report.brute_force_queries,
        report.speedup_p50,
        report.speedup_p50_rounds.describe(),
        report.mean_top_score
    );
    for miss in &report.misses {
        println!(
            "  miss: index {:?} < best {}: {}",
            miss.index_score, miss.best_score, miss.query
        );
    }
}
