//! `stdbridge search`.

use std::collections::BTreeMap;
use std::process::ExitCode;

use serde_json::json;
use stdbridge_storage::Store;

use super::print_json;

pub async fn run(
    store: &Store,
    query: &str,
    limit: usize,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let results = stdbridge_catalog::search::search(store, query, limit).await?;
    if as_json {
        let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_publisher: BTreeMap<String, u64> = BTreeMap::new();
        let hits: Vec<_> = results
            .hits
            .iter()
            .map(|hit| {
                let record = &hit.standard.record;
                let status = record.status.map(|s| s.as_str());
                *by_status
                    .entry(status.unwrap_or("unknown").to_owned())
                    .or_default() += 1;
                if let Some(publisher) = record.publishers.first() {
                    *by_publisher.entry(publisher.clone()).or_default() += 1;
                }
                let titles: BTreeMap<&str, &str> = record
                    .titles
                    .iter()
                    .map(|t| (t.lang.as_str(), t.full.as_str()))
                    .collect();
                json!({
                    "designation": record.designation,
                    "titles": titles,
                    "status": status,
                    "score": hit.score,
                    "year": record.year(),
                    "publishers": record.publishers,
                    "country": record.country,
                })
            })
            .collect();
        print_json(&json!({
            "total": results.total,
            "hits": hits,
            "facets": {"status": by_status, "publisher": by_publisher},
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} found", results.total);
    for hit in &results.hits {
        let record = &hit.standard.record;
        let title = record
            .title("en")
            .or_else(|| record.titles.first().map(|t| t.full.as_str()))
            .unwrap_or("");
        let status = record.status.map(|s| s.as_str()).unwrap_or("");
        println!("{:32} {:18} {title}", record.designation, status);
        if let Some(zh) = record.title("zh") {
            println!("{:32} {:18} {zh}", "", "");
        }
    }
    Ok(ExitCode::SUCCESS)
}
