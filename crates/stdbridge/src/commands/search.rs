//! `stdbridge search`: the query syntax over the search index, records read from the store.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

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
    let page = index.page(store, &query).await?;
    if as_json {
        print_json(&page)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} found", page.total);
    let bold = std::io::stdout().is_terminal();
    let marked = |lang: &str, title: &str| {
        if !bold {
            return title.to_owned();
        }
        marked(title, &index.highlight(&query.text, lang, title))
    };
    for record in page.hits.iter().map(|hit| &hit.record) {
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
    for (group, counts) in &page.facets {
        if counts.is_empty() {
            continue;
        }
        let mut by_count: Vec<(&String, &u64)> = counts.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let shown: Vec<String> = by_count
            .into_iter()
            .take(8)
            .map(|(value, count)| format!("{value} {count}"))
            .collect();
        println!("  {group}: {}", shown.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
