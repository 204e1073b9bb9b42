//! `stdbridge import`.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use stdbridge_catalog::{Format, ImportReport, import_unit, plan_units};
use stdbridge_storage::Store;

use super::{print_json, thousands};
use crate::progress::Bar;

#[derive(Serialize)]
pub(crate) struct Summary {
    pub(crate) files: Vec<ImportReport>,
    pub(crate) failed: Vec<Failure>,
    pub(crate) standards_in_store: i64,
    pub(crate) indexed: u64,
}

#[derive(Serialize)]
pub(crate) struct Failure {
    pub(crate) path: String,
    pub(crate) error: String,
}

pub async fn run(
    store: &Store,
    data_dir: &std::path::Path,
    paths: &[PathBuf],
    format: Option<Format>,
    json: bool,
    strict: bool,
) -> anyhow::Result<ExitCode> {
    let mut summary = import_all(store, paths, format, !json).await?;
    // What was imported is searchable when the command returns.
    summary.indexed = super::sync_index(store, data_dir).await?;
    if json {
        print_json(&summary)?;
    } else {
        print_summary(&summary);
    }
    let rejected = summary.files.iter().any(|f| !f.rejected.is_empty());
    Ok(if !summary.failed.is_empty() {
        ExitCode::from(2)
    } else if strict && rejected {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Imports every file (a directory's Relaton YAML files as one import), going on after
/// one that fails (its error is in the summary).
pub(crate) async fn import_all(
    store: &Store,
    paths: &[PathBuf],
    format: Option<Format>,
    live: bool,
) -> anyhow::Result<Summary> {
    let units = plan_units(paths, format)?;
    let bar = Bar::new();
    let mut summary = Summary {
        files: Vec::new(),
        failed: Vec::new(),
        standards_in_store: 0,
        indexed: 0,
    };
    for unit in &units {
        match import_unit(store, unit, &bar).await {
            Ok(report) => {
                if live {
                    eprintln!("{}", file_line(&report));
                }
                summary.files.push(report);
            }
            Err(error) => {
                if live {
                    eprintln!("error: {error}");
                }
                summary.failed.push(Failure {
                    path: unit.name.clone(),
                    error: error.to_string(),
                });
            }
        }
    }
    summary.standards_in_store = store.stats().await?.standards;
    Ok(summary)
}

fn file_line(report: &ImportReport) -> String {
    format!(
        "{}  [{}]  {} records: {} inserted, {} updated, {} unchanged, {} rejected  in {:.1} s ({} records/s)",
        report.path,
        report.format.name(),
        thousands(report.records),
        thousands(report.inserted),
        thousands(report.updated),
        thousands(report.unchanged),
        thousands(report.rejected.len() as u64),
        report.seconds,
        thousands(report.records_per_second().round() as u64),
    )
}

fn print_summary(summary: &Summary) {
    let total = |f: fn(&ImportReport) -> u64| summary.files.iter().map(f).sum::<u64>();
    let seconds: f64 = summary.files.iter().map(|f| f.seconds).sum();
    let records = total(|f| f.records);
    println!(
        "{} imports: {} records, {} inserted, {} updated, {} unchanged, {} rejected, in {:.1} s ({} records/s)",
        summary.files.len(),
        thousands(records),
        thousands(total(|f| f.inserted)),
        thousands(total(|f| f.updated)),
        thousands(total(|f| f.unchanged)),
        thousands(total(|f| f.rejected.len() as u64)),
        seconds,
        thousands(if seconds > 0.0 {
            (records as f64 / seconds).round() as u64
        } else {
            0
        }),
    );
    println!(
        "search index: {} standards (re)indexed",
        thousands(summary.indexed)
    );
    println!(
        "standards in the store: {}",
        thousands(u64::try_from(summary.standards_in_store).unwrap_or(0))
    );
    for report in &summary.files {
        for rejection in &report.rejected {
            println!("rejected {rejection}");
        }
    }
    let merges: Vec<_> = summary.files.iter().flat_map(|f| &f.merges).collect();
    if !merges.is_empty() {
        println!(
            "{} spellings joined by designation normalization:",
            thousands(merges.len() as u64)
        );
        for merge in merges {
            println!("  {}  =  {}", merge.stored, merge.merged);
        }
    }
    for failure in &summary.failed {
        println!("failed {}: {}", failure.path, failure.error);
    }
}
