//! `stdbridge bench search`: generates a catalogue, imports it, builds the search index
//! and the SQLite FTS5 baseline, then runs the same queries of each class through both
//! and reports latencies (p50, p99), their ratio and how often each finds the standard
//! the query was made from.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use stdbridge_catalog::NoProgress;
use stdbridge_catalog::index::{CatalogIndex, parse_query};

use crate::catalog_gen as generate;
use stdbridge_core::Standard;
use stdbridge_core::designation::lenient_keys;
use stdbridge_storage::{CatalogRepository, Database, SqliteStore as Store};

use crate::fts5::{BaselineFilters, Fts5Baseline};
use crate::rounds::{RoundRatios, paired_p50_ratios};
use crate::{open_store, print_json, thousands};

/// Rounds the queries of a class are split into (each query runs on both engines, one
/// after the other; each round gives one ratio).
const ROUNDS: usize = 5;

/// What to benchmark and where.
pub struct BenchOptions {
    /// Records to generate.
    pub records: usize,
    /// Generator seed (the queries are drawn from it too).
    pub seed: u64,
    /// Queries per class.
    pub queries: usize,
    /// Working directory (a fresh data directory is made inside).
    pub work_dir: Option<PathBuf>,
    /// Print JSON.
    pub json: bool,
    /// Use the catalogue a previous run left in the working directory.
    pub reuse: bool,
}

#[derive(Debug, Default, Serialize)]
pub(crate) struct Build {
    pub(crate) records: usize,
    pub(crate) standards: i64,
    generate_s: f64,
    import_s: f64,
    pub(crate) index_s: f64,
    pub(crate) index_mb: f64,
    fts5_s: f64,
    fts5_mb: f64,
}

#[derive(Debug, Serialize)]
struct ClassResult {
    class: &'static str,
    what: &'static str,
    queries: usize,
    stdbridge: Latency,
    /// With facet counts (which FTS5 does not give).
    stdbridge_with_facets: Latency,
    fts5: Latency,
    /// FTS5 p50 over stdbridge p50.
    speedup_p50: f64,
    /// The same, per round of interleaved queries: median and range.
    speedup_p50_rounds: RoundRatios,
    /// FTS5 p99 over stdbridge p99.
    speedup_p99: f64,
    stdbridge_found: f64,
    fts5_found: f64,
    /// Up to five queries stdbridge did not find the standard for.
    stdbridge_missed: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
pub(crate) struct Latency {
    pub(crate) p50_ms: f64,
    pub(crate) p99_ms: f64,
    pub(crate) mean_ms: f64,
}

impl Latency {
    pub(crate) fn of(mut times: Vec<Duration>) -> Latency {
        if times.is_empty() {
            return Latency::default();
        }
        times.sort();
        let mean = times.iter().map(Duration::as_secs_f64).sum::<f64>() / times.len() as f64;
        Latency {
            p50_ms: percentile_ms(&times, 0.5),
            p99_ms: percentile_ms(&times, 0.99),
            mean_ms: mean * 1000.0,
        }
    }
}

/// The `q` quantile (0–1) of sorted durations, in milliseconds; 0 when there are none.
pub(crate) fn percentile_ms(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[index.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// One query made from a standard, and how to tell that an engine found it.
pub(crate) struct Probe {
    pub(crate) text: String,
    /// The words for FTS5 (the text without the filter syntax).
    fts_text: String,
    filters: BaselineFilters,
    target: i64,
    /// The undated key the first hit must have (undated queries), else the target must
    /// be in the top ten (or first, for designations).
    work: Option<String>,
    first: bool,
    /// For words of a title: the title (language, text). Standards that adopt one
    /// another share titles, so a hit with the same title is as good as the target.
    title: Option<(String, String)>,
}

/// The classes of queries.
const CLASSES: [(&str, &str); 6] = [
    (
        "designation",
        "a dated designation, as written, lower case without spaces, or full width",
    ),
    (
        "undated",
        "an undated designation: the work's current edition must come first",
    ),
    ("title-en", "two or three words of an English title"),
    (
        "title-zh",
        "the first words of a Chinese title, unsegmented",
    ),
    (
        "typo",
        "an English title word with a wrong letter, and another word",
    ),
    ("filtered", "country: and status: filters with a title word"),
];

/// A generated catalogue, imported and indexed in a fresh working directory.
pub(crate) struct Generated {
    pub work_dir: PathBuf,
    pub data_dir: PathBuf,
    pub catalogue: PathBuf,
    pub store: Store,
    pub index: CatalogIndex,
}

/// Generates `options.records` records, imports them into a fresh data directory and
/// builds the search index; the timings go into `build`.
pub(crate) async fn generate_catalogue(
    options: &BenchOptions,
    build: &mut Build,
) -> anyhow::Result<Generated> {
    let work_dir = options.work_dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!(
            "stdbridge-bench-{}-{}",
            options.records, options.seed
        ))
    });
    let data_dir = work_dir.join("data");
    let catalogue = work_dir.join("catalogue.jsonl");
    if options.reuse && data_dir.join(stdbridge_catalog::index::INDEX_DIR).exists() {
        eprintln!("reusing the catalogue in {}", work_dir.display());
        let store = open_store(&data_dir).await?;
        let index = CatalogIndex::open(&data_dir)?;
        index.sync(&store).await?;
        build.records = options.records;
        build.standards = i64::try_from(index.len()).unwrap_or(i64::MAX);
        build.index_mb = size_mb(&data_dir.join(stdbridge_catalog::index::INDEX_DIR));
        return Ok(Generated {
            work_dir,
            data_dir,
            catalogue,
            store,
            index,
        });
    }
    if work_dir.exists() {
        std::fs::remove_dir_all(&work_dir)
            .with_context(|| format!("cannot empty {}", work_dir.display()))?;
    }
    std::fs::create_dir_all(&work_dir)
        .with_context(|| format!("cannot create {}", work_dir.display()))?;
    build.records = options.records;
    eprintln!(
        "generating {} records (seed {}) in {}",
        thousands(options.records as u64),
        options.seed,
        work_dir.display()
    );
    let catalogue = work_dir.join("catalogue.jsonl");
    let started = Instant::now();
    {
        let file = std::fs::File::create(&catalogue)?;
        let mut out = std::io::BufWriter::new(file);
        generate::write_jsonl(options.records, options.seed, &mut out)?;
        std::io::Write::flush(&mut out)?;
    }
    build.generate_s = started.elapsed().as_secs_f64();
    let store = open_store(&data_dir).await?;
    eprintln!("importing");
    let started = Instant::now();
    let report = stdbridge_catalog::import_file(&store, &catalogue, None, &NoProgress).await?;
    build.import_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        report.rejected.is_empty(),
        "generated records were rejected: {:?}",
        report.rejected.first()
    );
    build.standards = store.stats().await?.standards;
    eprintln!("building the search index");
    let index = CatalogIndex::open(&data_dir)?;
    let started = Instant::now();
    index.rebuild(&store).await?;
    build.index_s = started.elapsed().as_secs_f64();
    build.index_mb = size_mb(&data_dir.join(stdbridge_catalog::index::INDEX_DIR));
    Ok(Generated {
        work_dir,
        data_dir,
        catalogue,
        store,
        index,
    })
}

/// `stdbridge bench search`.
pub async fn run(options: BenchOptions) -> anyhow::Result<ExitCode> {
    let mut build = Build::default();
    let Generated {
        work_dir,
        data_dir,
        catalogue,
        store,
        index,
    } = generate_catalogue(&options, &mut build).await?;
    eprintln!("building the FTS5 baseline");
    let fts_path = work_dir.join("fts5.sqlite");
    let started = Instant::now();
    let baseline = Fts5Baseline::build(&store, &fts_path).await?;
    build.fts5_s = started.elapsed().as_secs_f64();
    build.fts5_mb = size_mb(&work_dir) - size_mb(&data_dir) - size_mb(&catalogue);

    let probes = draw_probes(&store, &options, build.standards).await?;
    let mut results = Vec::new();
    for ((class, what), probes) in CLASSES.iter().zip(&probes) {
        eprintln!("querying: {class} ({} queries)", probes.len());
        results.push(measure(class, what, probes, &index, &store, &baseline).await?);
    }
    baseline.close().await;
    store.close().await;
    if options.json {
        print_json(&serde_json::json!({"build": build, "classes": results}))?;
    } else {
        print_report(&build, &results);
    }
    Ok(ExitCode::SUCCESS)
}

fn size_mb(path: &Path) -> f64 {
    fn walk(path: &Path) -> u64 {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => std::fs::read_dir(path)
                .map(|entries| entries.flatten().map(|e| walk(&e.path())).sum())
                .unwrap_or(0),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        }
    }
    walk(path) as f64 / 1_048_576.0
}

async fn measure(
    class: &'static str,
    what: &'static str,
    probes: &[Probe],
    index: &CatalogIndex,
    store: &Store,
    baseline: &Fts5Baseline,
) -> anyhow::Result<ClassResult> {
    let mut ours = Vec::with_capacity(probes.len());
    let mut faceted = Vec::with_capacity(probes.len());
    let mut theirs = Vec::with_capacity(probes.len());
    let (mut ours_found, mut theirs_found) = (0usize, 0usize);
    let mut missed = Vec::new();
    for probe in probes {
        let started = Instant::now();
        let mut query = parse_query(&probe.text, 10)?;
        query.facets = false;
        let hits: Vec<i64> = index.search(&query)?.hits.iter().map(|h| h.id).collect();
        ours.push(started.elapsed());
        let started = Instant::now();
        query.facets = true;
        index.search(&query)?;
        faceted.push(started.elapsed());
        let started = Instant::now();
        let baseline_hits = baseline.search(&probe.fts_text, &probe.filters, 10).await?;
        theirs.push(started.elapsed());
        if found(probe, &hits, store).await? {
            ours_found += 1;
        } else if missed.len() < 5 {
            missed.push(probe.text.clone());
        }
        theirs_found += usize::from(found(probe, &baseline_hits, store).await?);
    }
    let pairs: Vec<(Duration, Duration)> =
        ours.iter().copied().zip(theirs.iter().copied()).collect();
    let (ours, theirs) = (Latency::of(ours), Latency::of(theirs));
    let share = |n: usize| n as f64 / probes.len().max(1) as f64;
    Ok(ClassResult {
        class,
        what,
        queries: probes.len(),
        speedup_p50: theirs.p50_ms / ours.p50_ms.max(1e-6),
        speedup_p50_rounds: paired_p50_ratios(&pairs, ROUNDS),
        speedup_p99: theirs.p99_ms / ours.p99_ms.max(1e-6),
        stdbridge: ours,
        stdbridge_with_facets: Latency::of(faceted),
        fts5: theirs,
        stdbridge_found: share(ours_found),
        fts5_found: share(theirs_found),
        stdbridge_missed: missed,
    })
}

async fn found(probe: &Probe, hits: &[i64], store: &Store) -> anyhow::Result<bool> {
    if let Some(work) = &probe.work {
        let Some(first) = hits.first() else {
            return Ok(false);
        };
        let records = store.records_by_ids(&[*first]).await?;
        return Ok(records
            .first()
            .is_some_and(|(_, _, r)| &lenient_keys(&r.designation).1 == work));
    }
    if probe.first {
        return Ok(hits.first() == Some(&probe.target));
    }
    if hits.contains(&probe.target) {
        return Ok(true);
    }
    let Some((lang, title)) = &probe.title else {
        return Ok(false);
    };
    let records = store.records_by_ids(hits).await?;
    Ok(records
        .iter()
        .any(|(_, _, r)| r.title(lang) == Some(title.as_str())))
}

const SKIPPED_WORDS: &[&str] = &[
    "and", "of", "for", "the", "in", "to", "with", "on", "by", "from", "part", "an", "or",
];

fn english_words(record: &Standard) -> Vec<String> {
    record
        .title("en")
        .unwrap_or_default()
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() >= 4 && !SKIPPED_WORDS.contains(&w.to_lowercase().as_str()))
        .map(str::to_lowercase)
        .collect()
}

fn english_title(record: &Standard) -> Option<(String, String)> {
    record.title("en").map(|t| ("en".to_owned(), t.to_owned()))
}

pub(crate) async fn draw_probes(
    store: &Store,
    options: &BenchOptions,
    standards: i64,
) -> anyhow::Result<Vec<Vec<Probe>>> {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0x5EED_BE4C);
    let ids: Vec<i64> = (0..options.queries * 40)
        .map(|_| rng.random_range(1..=standards.max(1)))
        .collect();
    let records = store.records_by_ids(&ids).await?;
    let mut classes: Vec<Vec<Probe>> = CLASSES.iter().map(|_| Vec::new()).collect();
    for (id, _, record) in &records {
        let probe = |text: String| Probe {
            fts_text: text.clone(),
            text,
            filters: BaselineFilters::default(),
            target: *id,
            work: None,
            first: false,
            title: None,
        };
        let parsed = stdbridge_core::Designation::parse(&record.designation).ok();
        if classes[0].len() < options.queries {
            let text = match classes[0].len() % 3 {
                0 => record.designation.clone(),
                1 => record.designation.to_lowercase().replace(' ', ""),
                _ => full_width(&record.designation),
            };
            classes[0].push(Probe {
                first: true,
                ..probe(text)
            });
        }
        if classes[1].len() < options.queries
            && let Some(parsed) = &parsed
            && parsed.supplements.is_empty()
            && parsed.is_dated()
        {
            classes[1].push(Probe {
                work: Some(lenient_keys(&record.designation).1),
                ..probe(parsed.undated_key())
            });
        }
        let words = english_words(record);
        if classes[2].len() < options.queries && words.len() >= 3 {
            let count = rng.random_range(2..=3);
            let chosen: Vec<String> = words.choose_multiple(&mut rng, count).cloned().collect();
            classes[2].push(Probe {
                title: english_title(record),
                ..probe(chosen.join(" "))
            });
        }
        if classes[3].len() < options.queries
            && let Some(title) = record.titles.iter().find(|t| t.lang == "zh")
        {
            let text: String = title.full.chars().take(rng.random_range(4..=8)).collect();
            classes[3].push(Probe {
                title: Some(("zh".to_owned(), title.full.clone())),
                ..probe(text.trim().to_owned())
            });
        }
        if classes[4].len() < options.queries
            && let Some(long) = words.iter().find(|w| w.len() >= 6 && w.is_ascii())
            && let Some(other) = words.iter().find(|w| *w != long)
        {
            classes[4].push(Probe {
                title: english_title(record),
                ..probe(format!("{} {other}", with_typo(long, &mut rng)))
            });
        }
        if classes[5].len() < options.queries
            && let (Some(country), Some(status), Some(word)) =
                (&record.country, record.status, words.first())
        {
            let mut filtered = probe(format!(
                "country:{country} status:{} {word}",
                status.as_str()
            ));
            filtered.fts_text = word.clone();
            filtered.title = english_title(record);
            filtered.filters = BaselineFilters {
                country: Some(country.clone()),
                status: Some(status.as_str().to_owned()),
            };
            classes[5].push(filtered);
        }
    }
    Ok(classes)
}

/// The word with one letter in its middle replaced by the next letter of the alphabet.
fn with_typo(word: &str, rng: &mut ChaCha8Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let at = rng.random_range(1..chars.len() - 1);
    chars[at] = match chars[at] {
        'z' => 'a',
        c if c.is_ascii_lowercase() => ((c as u8) + 1) as char,
        c => c,
    };
    chars.into_iter().collect()
}

fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            ' ' => '\u{3000}',
            c => c,
        })
        .collect()
}

fn print_report(build: &Build, results: &[ClassResult]) {
    println!(
        "catalogue: {} records → {} standards; generated in {:.1} s, imported in {:.1} s",
        thousands(build.records as u64),
        thousands(u64::try_from(build.standards).unwrap_or(0)),
        build.generate_s,
        build.import_s
    );
    println!(
        "search index: built in {:.1} s, {:.0} MB; FTS5 baseline: built in {:.1} s, {:.0} MB",
        build.index_s, build.index_mb, build.fts5_s, build.fts5_mb
    );
    println!();
    println!(
        "| class | queries | stdbridge p50 / p99 (ms) | with facets p50 / p99 | FTS5 p50 / p99 (ms) | speed-up p50 / p99 | speed-up p50 by round | found: stdbridge / FTS5 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in results {
        println!(
            "| {} | {} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {:.1}× / {:.1}× | {} | {:.0} % / {:.0} % |",
            r.class,
            r.queries,
            r.stdbridge.p50_ms,
            r.stdbridge.p99_ms,
            r.stdbridge_with_facets.p50_ms,
            r.stdbridge_with_facets.p99_ms,
            r.fts5.p50_ms,
            r.fts5.p99_ms,
            r.speedup_p50,
            r.speedup_p99,
            r.speedup_p50_rounds.describe(),
            r.stdbridge_found * 100.0,
            r.fts5_found * 100.0
        );
    }
    println!();
    for r in results {
        println!("{}: {}", r.class, r.what);
    }
    println!(
        "Found: the standard the query was made from is first (designation), the first hit is the work's current edition (undated), or it is in the top 10 (the others). Speed-ups compare stdbridge without facet counts to FTS5, which has none; each query runs on both, one after the other, and \"by round\" is the median (range) of the ratio over {ROUNDS} interleaved rounds of the queries."
    );
}
