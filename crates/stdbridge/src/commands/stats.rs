//! `stdbridge stats`.

use std::process::ExitCode;

use stdbridge_storage::Store;

use super::{print_json, thousands};

pub async fn run(store: &Store, json: bool) -> anyhow::Result<ExitCode> {
    let stats = store.stats().await?;
    if json {
        print_json(&stats)?;
        return Ok(ExitCode::SUCCESS);
    }
    let n = |v: i64| thousands(u64::try_from(v).unwrap_or(0));
    println!("store: {}", store.path().display());
    println!(
        "standards: {}  (from {} source records; {} relations)",
        n(stats.standards),
        n(stats.source_records),
        n(stats.relations)
    );
    for (title, counts) in [
        ("by publisher", &stats.by_publisher),
        ("by status", &stats.by_status),
        ("by document type", &stats.by_doc_type),
        ("by country", &stats.by_country),
        ("reference data", &stats.reference),
    ] {
        let shown: Vec<String> = counts
            .iter()
            .take(12)
            .map(|(name, count)| format!("{name} {}", n(*count)))
            .collect();
        let more = if counts.len() > 12 {
            format!(", … {} more", counts.len() - 12)
        } else {
            String::new()
        };
        println!("{title}: {}{more}", shown.join(", "));
    }
    println!(
        "imports: {}; last change: #{}",
        n(stats.imports),
        stats.last_change
    );
    Ok(ExitCode::SUCCESS)
}
