//! `stdbridge bench store`: the same generated catalogue imported into SQLite and into
//! PostgreSQL in one run (in files of a few thousand records, each its own transaction),
//! with a second PostgreSQL node's search index following the change log meanwhile; then
//! `show` (a standard, its sources and relations) and search latencies on both. Prints
//! each figure for both backends and PostgreSQL's ratio to SQLite's, and the follower's
//! lag (a file's commit to the follower's index holding it).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;
use sqlx::Connection;
use stdbridge_catalog::NoProgress;
use stdbridge_catalog::index::{CatalogIndex, parse_query};
use stdbridge_storage::{CatalogRepository, Database, PgStore, SqliteStore};
use tokio::sync::Mutex;

use crate::rounds::{RoundRatios, paired_p50_ratios};
use crate::search::{Latency, percentile_ms};
use crate::{catalog_gen, print_json, thousands};

/// What to measure and where.
pub struct StoreBenchOptions {
    /// Records to generate.
    pub records: usize,
    /// Generator seed.
    pub seed: u64,
    /// The PostgreSQL server (a URL of any database on it): a scratch database is made
    /// there for the run and dropped after it.
    pub database_url: String,
    /// Records per imported file (each file is one transaction).
    pub file_records: usize,
    /// Standards shown and searched on each backend.
    pub probes: usize,
    /// Working directory, emptied first.
    pub work_dir: Option<PathBuf>,
    /// Print JSON.
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Side {
    standards: i64,
    import_s: f64,
    records_per_s: f64,
    show: Latency,
    search: Latency,
}

#[derive(Debug, Serialize)]
struct Report {
    records: usize,
    files: usize,
    sqlite: Side,
    postgres: Side,
    /// PostgreSQL's import rate over SQLite's (1 = as fast; 0.5 = half as fast).
    import_rate_ratio: f64,
    /// PostgreSQL's show p50 over SQLite's, per round of interleaved lookups.
    show_p50_ratio: RoundRatios,
    /// The same for search (both searches are index-local).
    search_p50_ratio: RoundRatios,
    /// On PostgreSQL, from a file's commit to the follower's index holding it: p50 and
    /// max, seconds.
    follower_lag_p50_s: f64,
    follower_lag_max_s: f64,
    /// The same on SQLite (a second process's index polling the file).
    sqlite_follower_lag_p50_s: f64,
    sqlite_follower_lag_max_s: f64,
}

/// `stdbridge bench store`.
pub async fn run(options: StoreBenchOptions) -> anyhow::Result<ExitCode> {
    let work_dir = options.work_dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("stdbridge-bench-store-{}", options.records))
    });
    if work_dir.exists() {
        std::fs::remove_dir_all(&work_dir)
            .with_context(|| format!("cannot empty {}", work_dir.display()))?;
    }
    std::fs::create_dir_all(&work_dir)?;
    eprintln!("generating {} records", thousands(options.records as u64));
    let files = generate_files(&work_dir, &options)?;
    let scratch = ScratchDatabase::create(&options.database_url).await?;
    let outcome = measure(&work_dir, &files, &scratch.url, &options).await;
    scratch.drop_database().await;
    let report = outcome?;
    if options.json {
        print_json(&report)?;
    } else {
        print_report(&report);
    }
    Ok(ExitCode::SUCCESS)
}

async fn measure(
    work_dir: &Path,
    files: &[PathBuf],
    pg_url: &str,
    options: &StoreBenchOptions,
) -> anyhow::Result<Report> {
    let sqlite = SqliteStore::open(&work_dir.join("sqlite").join("stdbridge.sqlite")).await?;
    let pg = PgStore::open(pg_url).await?;

    // Each import runs with a second node's index following it, on either backend, so
    // that both share the processors with the same indexing work.
    eprintln!(
        "importing into SQLite ({} files), a second node following",
        files.len()
    );
    let sqlite_path = work_dir.join("sqlite").join("stdbridge.sqlite");
    let follower = Follower::start(
        Box::new(SqliteStore::open(&sqlite_path).await?),
        &work_dir.join("sqlite-follower"),
    )?;
    let (sqlite_import, commits) = import_all(&sqlite, files).await?;
    let seen = follower
        .stop_at(sqlite.last_change().await?, Duration::from_secs(600))
        .await?;
    let sqlite_lags = lags(&commits, &seen);
    eprintln!("importing into PostgreSQL, a second node following");
    let follower = Follower::start(
        Box::new(PgStore::open(pg_url).await?),
        &work_dir.join("follower"),
    )?;
    let (pg_import, commits) = import_all(&pg, files).await?;
    let last = pg.last_change().await?;
    let seen = follower.stop_at(last, Duration::from_secs(600)).await?;
    let lags = lags(&commits, &seen);

    let (sqlite_stats, pg_stats) = (sqlite.stats().await?, pg.stats().await?);
    anyhow::ensure!(
        sqlite_stats.standards == pg_stats.standards,
        "the backends disagree: {} standards on SQLite, {} on PostgreSQL",
        sqlite_stats.standards,
        pg_stats.standards
    );
    let keys = sample_keys(&sqlite, sqlite_stats.standards, options.probes).await?;
    eprintln!("show and search: {} standards on each", keys.len());
    let show = show_pairs(&sqlite, &pg, &keys).await?;
    // Both indexes built the same way (rebuilt from their store): search is index-local.
    let sqlite_index = CatalogIndex::open_in(&work_dir.join("sqlite-index"))?;
    sqlite_index.rebuild(&sqlite).await?;
    let pg_index = CatalogIndex::open_in(&work_dir.join("pg-index"))?;
    pg_index.rebuild(&pg).await?;
    let search = search_pairs(&sqlite_index, &pg_index, &keys)?;
    sqlite.close().await;
    pg.close().await;

    let side = |standards, import_s: f64, show: Vec<Duration>, search: Vec<Duration>| Side {
        standards,
        import_s,
        records_per_s: options.records as f64 / import_s.max(1e-9),
        show: Latency::of(show),
        search: Latency::of(search),
    };
    let (sqlite_show, pg_show): (Vec<_>, Vec<_>) = show.iter().copied().unzip();
    let (sqlite_search, pg_search): (Vec<_>, Vec<_>) = search.iter().copied().unzip();
    let mut sorted_lags = lags;
    sorted_lags.sort();
    let mut sqlite_lags = sqlite_lags;
    sqlite_lags.sort();
    Ok(Report {
        records: options.records,
        files: files.len(),
        import_rate_ratio: sqlite_import / pg_import.max(1e-9),
        show_p50_ratio: paired_p50_ratios(&show, 5),
        search_p50_ratio: paired_p50_ratios(&search, 5),
        follower_lag_p50_s: percentile_ms(&sorted_lags, 0.5) / 1000.0,
        follower_lag_max_s: percentile_ms(&sorted_lags, 1.0) / 1000.0,
        sqlite_follower_lag_p50_s: percentile_ms(&sqlite_lags, 0.5) / 1000.0,
        sqlite_follower_lag_max_s: percentile_ms(&sqlite_lags, 1.0) / 1000.0,
        sqlite: side(
            sqlite_stats.standards,
            sqlite_import,
            sqlite_show,
            sqlite_search,
        ),
        postgres: side(pg_stats.standards, pg_import, pg_show, pg_search),
    })
}

/// Writes the generated catalogue as files of `file_records` records.
fn generate_files(work_dir: &Path, options: &StoreBenchOptions) -> anyhow::Result<Vec<PathBuf>> {
    let mut all = Vec::new();
    catalog_gen::write_jsonl(options.records, options.seed, &mut all)?;
    let text = String::from_utf8(all)?;
    let lines: Vec<&str> = text.lines().collect();
    let mut files = Vec::new();
    for (index, chunk) in lines.chunks(options.file_records.max(1)).enumerate() {
        let path = work_dir.join(format!("part-{:05}.jsonl", index + 1));
        std::fs::write(&path, chunk.join("\n") + "\n")?;
        files.push(path);
    }
    Ok(files)
}

/// Imports every file in order; returns the seconds it took and, per file, the change
/// log's end after its commit and when that was.
async fn import_all(
    db: &dyn Database,
    files: &[PathBuf],
) -> anyhow::Result<(f64, Vec<(i64, Instant)>)> {
    let started = Instant::now();
    let mut commits = Vec::with_capacity(files.len());
    for file in files {
        let report = stdbridge_catalog::import_file(db, file, None, &NoProgress).await?;
        anyhow::ensure!(
            report.rejected.is_empty(),
            "generated records were rejected"
        );
        commits.push((db.last_change().await?, Instant::now()));
    }
    Ok((started.elapsed().as_secs_f64(), commits))
}

/// A second node: its own connection to the store and its own index, following the
/// change log as a server does (woken by NOTIFY on PostgreSQL, polling at 250 ms).
struct Follower {
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<(i64, Instant)>>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Follower {
    fn start(store: Box<dyn Database>, index_dir: &Path) -> anyhow::Result<Follower> {
        let index = CatalogIndex::open_in(index_dir)?;
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (stopping, recording) = (Arc::clone(&stop), Arc::clone(&seen));
        let task = tokio::spawn(async move {
            while !stopping.load(Ordering::Acquire) {
                let report = index.sync(store.as_ref()).await?;
                recording.lock().await.push((report.seq, Instant::now()));
                store.wait_for_change(Duration::from_millis(250)).await;
            }
            store.close().await;
            Ok(())
        });
        Ok(Follower { stop, seen, task })
    }

    /// Waits until the follower has reached `seq`, then stops it; returns what it saw.
    async fn stop_at(self, seq: i64, limit: Duration) -> anyhow::Result<Vec<(i64, Instant)>> {
        let started = Instant::now();
        loop {
            let reached = self
                .seen
                .lock()
                .await
                .last()
                .is_some_and(|(s, _)| *s >= seq);
            if reached || started.elapsed() > limit || self.task.is_finished() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.stop.store(true, Ordering::Release);
        self.task.await??;
        let seen = self.seen.lock().await.clone();
        anyhow::ensure!(
            seen.last().is_some_and(|(s, _)| *s >= seq),
            "the follower did not catch up within {limit:?}"
        );
        Ok(seen)
    }
}

/// For each commit, how long until the follower's index held it.
fn lags(commits: &[(i64, Instant)], seen: &[(i64, Instant)]) -> Vec<Duration> {
    commits
        .iter()
        .filter_map(|(seq, at)| {
            seen.iter()
                .find(|(synced, when)| synced >= seq && when >= at)
                .map(|(_, when)| when.duration_since(*at))
        })
        .collect()
}

async fn sample_keys(
    db: &SqliteStore,
    standards: i64,
    probes: usize,
) -> anyhow::Result<Vec<String>> {
    let step = (standards / probes.max(1) as i64).max(1);
    let mut keys = Vec::with_capacity(probes);
    let mut after = 0;
    while keys.len() < probes {
        let page = db.records_after(after, 1).await?;
        let Some((id, key, _)) = page.into_iter().next() else {
            break;
        };
        keys.push(key);
        after = id + step - 1;
    }
    Ok(keys)
}

/// A standard as `show` reads it: the record with its sources, then its relations.
async fn show_once(db: &dyn Database, key: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let standard = db.by_key(key).await?.context("a sampled key is stored")?;
    db.relations_of(&standard).await?;
    db.by_undated_key(&stdbridge_core::designation::lenient_keys(&standard.record.designation).1)
        .await?;
    Ok(started.elapsed())
}

async fn show_pairs(
    sqlite: &SqliteStore,
    pg: &PgStore,
    keys: &[String],
) -> anyhow::Result<Vec<(Duration, Duration)>> {
    let mut pairs = Vec::with_capacity(keys.len());
    for key in keys {
        pairs.push((show_once(sqlite, key).await?, show_once(pg, key).await?));
    }
    Ok(pairs)
}

fn search_pairs(
    sqlite: &CatalogIndex,
    pg: &CatalogIndex,
    keys: &[String],
) -> anyhow::Result<Vec<(Duration, Duration)>> {
    let time = |index: &CatalogIndex, key: &str| -> anyhow::Result<Duration> {
        let started = Instant::now();
        index.search(&parse_query(key, 10)?)?;
        Ok(started.elapsed())
    };
    keys.iter()
        .map(|key| Ok((time(sqlite, key)?, time(pg, key)?)))
        .collect()
}

fn print_report(report: &Report) {
    println!(
        "{} records in {} files (one transaction each)\n",
        thousands(report.records as u64),
        report.files
    );
    println!(
        "{:<28} {:>12} {:>12} {:>10}",
        "", "SQLite", "PostgreSQL", "PG ÷ SQLite"
    );
    let (s, p) = (&report.sqlite, &report.postgres);
    println!(
        "{:<28} {:>12.0} {:>12.0} {:>10.2}",
        "import (records/s)",
        s.records_per_s,
        p.records_per_s,
        p.records_per_s / s.records_per_s.max(1e-9)
    );
    println!(
        "{:<28} {:>12.3} {:>12.3} {:>10.2}",
        "show p50 (ms)", s.show.p50_ms, p.show.p50_ms, report.show_p50_ratio.median
    );
    println!(
        "{:<28} {:>12.3} {:>12.3} {:>10.2}",
        "search p50 (ms)", s.search.p50_ms, p.search.p50_ms, report.search_p50_ratio.median
    );
    println!(
        "{:<28} {:>12} {:>12}",
        "follower lag p50 / max (s)",
        format!(
            "{:.2} / {:.2}",
            report.sqlite_follower_lag_p50_s, report.sqlite_follower_lag_max_s
        ),
        format!(
            "{:.2} / {:.2}",
            report.follower_lag_p50_s, report.follower_lag_max_s
        )
    );
    println!("\n(follower lag: a file's commit → searchable in a second node's index)");
}

/// A database made for the run on the server the URL names.
struct ScratchDatabase {
    admin: String,
    name: String,
    url: String,
}

impl ScratchDatabase {
    async fn create(admin: &str) -> anyhow::Result<ScratchDatabase> {
        let name = format!("stdbridge_bench_{}", std::process::id());
        let mut connection = sqlx::PgConnection::connect(admin).await.with_context(|| {
            format!(
                "cannot connect to {}",
                stdbridge_storage::StoreUrl::parse(admin)
                    .map(|u| u.to_string())
                    .unwrap_or_default()
            )
        })?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name}"
        )))
        .execute(&mut connection)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut connection)
            .await
            .context("cannot make a scratch database (the user needs CREATEDB)")?;
        let base = admin.split('?').next().unwrap_or(admin);
        let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
        Ok(ScratchDatabase {
            admin: admin.to_owned(),
            url: format!("{server}/{name}"),
            name,
        })
    }

    async fn drop_database(self) {
        if let Ok(mut connection) = sqlx::PgConnection::connect(&self.admin).await {
            let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
            let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut connection)
                .await;
        }
    }
}
