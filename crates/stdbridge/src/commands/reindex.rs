//! `stdbridge reindex`: rebuilds the search index from the store.

use std::path::Path;
use std::process::ExitCode;

use stdbridge_catalog::index::CatalogIndex;
use stdbridge_storage::Store;

use super::{print_json, thousands};

pub async fn run(store: &Store, data_dir: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let index = CatalogIndex::open(data_dir)?;
    let report = index.rebuild(store).await?;
    if json {
        print_json(&report)?;
    } else {
        println!(
            "indexed {} standards in {:.1} s (change log #{})",
            thousands(report.indexed),
            report.seconds,
            report.seq
        );
    }
    Ok(ExitCode::SUCCESS)
}
