//! `stdbridge search`: the query syntax over the search index, records read from the store.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use serde_json::json;
use stdbridge_catalog::index::parse_query;
use stdbridge_storage::Store;

use super::print_json;

/// The title with the matched spans in bold (ANSI), for a terminal.
fn marked(title: &str, spans: &[stdbridge_catalog::index::Span]) -> String {
    let mut out = String::with_capacity(title.len() + spans.len() * 8);
    for (n, ch) in title.chars().enumerate() {
        if spans.iter().any(|(from, _)| *from == n) {
            out.push_str("\x1b[1m");
        }
        out.push(ch);
        if spans.iter().any(|(_, to)| *to == n + 1) {
            out.push_str("\x1b[0m");
        }
    }
    out
}

pub async fn run(
    store: &Store,
    data_dir: &Path,
    text: &str,
    limit: usize,
    offset: usize,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let mut query = parse_query(text, limit)?;
    query.offset = offset;
    let index = stdbridge_catalog::index::CatalogIndex::open(data_dir)?;
    // Another process (an import) may be updating the index: search what it has then.
    if let Err(error) = index.sync(store).await {
        tracing::warn!("search index not brought up to date ({error}); searching it as it is");
    }
    let results = index.search(&query)?;
    let ids: Vec<i64> = results.hits.iter().map(|hit| hit.id).collect();
    let mut records: BTreeMap<i64, stdbridge_core::Standard> = store
        .records_by_ids(&ids)
        .await?
        .into_iter()
        .map(|(id, _, record)| (id, record))
        .collect();
    let hits: Vec<(f32, stdbridge_core::Standard)> = results
        .hits
        .iter()
        .filter_map(|hit| records.remove(&hit.id).map(|record| (hit.score, record)))
        .collect();
    if as_json {
        let hits: Vec<_> = hits
            .iter()
            .map(|(score, record)| {
                let titles: BTreeMap<&str, &str> = record
                    .titles
                    .iter()
                    .map(|t| (t.lang.as_str(), t.full.as_str()))
                    .collect();
                let highlights: BTreeMap<&str, Vec<[usize; 2]>> = record
                    .titles
                    .iter()
                    .map(|t| {
                        let spans = index.highlight(&query.text, &t.lang, &t.full);
                        (
                            t.lang.as_str(),
                            spans.into_iter().map(|(a, b)| [a, b]).collect(),
                        )
                    })
                    .filter(|(_, spans): &(&str, Vec<[usize; 2]>)| !spans.is_empty())
                    .collect();
                json!({
                    "designation": record.designation,
                    "titles": titles,
                    "highlights": highlights,
                    "status": record.status.map(|s| s.as_str()),
                    "score": score,
                    "year": record.year(),
                    "publishers": record.publishers,
                    "country": record.country,
                })
            })
            .collect();
        let facets: BTreeMap<&String, BTreeMap<&String, u64>> = results
            .facets
            .iter()
            .map(|(group, counts)| {
                (
                    group,
                    counts
                        .iter()
                        .map(|(value, count)| (value, *count))
                        .collect(),
                )
            })
            .collect();
        print_json(&json!({"total": results.total, "hits": hits, "facets": facets}))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} found", results.total);
    let bold = std::io::stdout().is_terminal();
    let marked = |lang: &str, title: &str| {
        if !bold {
            return title.to_owned();
        }
        marked(title, &index.highlight(&query.text, lang, title))
    };
    for (_, record) in &hits {
        let (lang, title) = record
            .titles
            .iter()
            .find(|t| t.lang == "en")
            .or_else(|| record.titles.first())
            .map_or(("", ""), |t| (t.lang.as_str(), t.full.as_str()));
        let status = record.status.map(|s| s.as_str()).unwrap_or("");
        println!(
            "{:32} {:18} {}",
            record.designation,
            status,
            marked(lang, title)
        );
        if lang != "zh"
            && let Some(zh) = record.title("zh")
        {
            println!("{:32} {:18} {}", "", "", marked("zh", zh));
        }
    }
    for (group, counts) in &results.facets {
        if counts.is_empty() {
            continue;
        }
        let shown: Vec<String> = counts
            .iter()
            .take(8)
            .map(|(value, count)| format!("{value} {count}"))
            .collect();
        println!("  {group}: {}", shown.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
