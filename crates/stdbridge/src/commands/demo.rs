//! `stdbridge demo`: loads the embedded demo data and shows what the catalogue holds.

use std::process::ExitCode;

use stdbridge_app::demo::{DEMO_MEMORY, DEMO_TERMBASE};
use stdbridge_app::{App, AppError, ErrorKind, Principal, catalog, demo};

use super::thousands;

const WHO: &Principal = &Principal::Operator;

/// Designations the demo looks up, each in an unusual spelling.
const EXAMPLES: &[&str] = &[
    "GB 21455—2019",
    "gbt 17766-2020",
    "ISO 9001",
    "ＩＳＯ ９００１：２００８",
    "GB/T 19001",
];

/// Loads the demo data; false when a file failed (its error is printed).
pub(crate) async fn load(app: &App) -> anyhow::Result<bool> {
    let loaded = demo::load(app, WHO).await?;
    for failure in &loaded.failed {
        eprintln!("error: {}: {}", failure.path, failure.error);
    }
    Ok(loaded.failed.is_empty())
}

pub async fn run(app: &App) -> anyhow::Result<ExitCode> {
    let loaded = load(app).await?;
    let stats = catalog::stats(app, WHO).await?;
    let data_dir = app.config().data_dir.display().to_string();
    outln!("stdbridge demo — data directory {data_dir}");
    outln!(
        "catalogue: {} standards, {} relations; reference data: {}",
        thousands(u64::try_from(stats.standards).unwrap_or(0)),
        thousands(u64::try_from(stats.relations).unwrap_or(0)),
        stats
            .reference
            .iter()
            .map(|(name, count)| format!("{name} {count}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let by_country: Vec<String> = stats
        .by_country
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect();
    let by_status: Vec<String> = stats
        .by_status
        .iter()
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    outln!(
        "by country: {}; international: {}",
        by_country.join(", "),
        stats.standards - stats.by_country.iter().map(|(_, n)| n).sum::<i64>()
    );
    outln!("by status: {}", by_status.join(", "));
    outln!();
    for example in EXAMPLES {
        show_example(app, example).await?;
    }
    outln!();
    outln!("Try: stdbridge --data-dir {data_dir} show \"iso 9001\"");
    outln!("     stdbridge --data-dir {data_dir} search 房间空气调节器");
    outln!(
        "     stdbridge --data-dir {data_dir} tm lookup --tm {DEMO_MEMORY} 这些症状已持续多久？"
    );
    outln!(
        "     stdbridge --data-dir {data_dir} term find --termbase {DEMO_TERMBASE} 集装箱应符合本标准的要求。"
    );
    Ok(if loaded {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn show_example(app: &App, query: &str) -> anyhow::Result<()> {
    let view = match catalog::show(app, WHO, query).await {
        Ok(view) => view,
        Err(AppError {
            kind: ErrorKind::NotFound,
            ..
        }) => {
            outln!("{query:>22}  →  not found");
            return Ok(());
        }
        Err(error) => return Err(error.into()),
    };
    let record = &view.record;
    let title = record
        .title("zh")
        .or_else(|| record.title("en"))
        .unwrap_or_default();
    let status = record
        .status
        .map(|s| s.as_str())
        .unwrap_or("status unknown");
    outln!(
        "{query:>22}  →  {}  {title}  [{status}]",
        record.designation
    );
    if !view.replaces_chain.is_empty() {
        let names: Vec<&str> = view
            .replaces_chain
            .iter()
            .map(|l| l.designation.as_str())
            .collect();
        outln!("{:>22}     replaces {}", "", names.join(" → "));
    }
    for relation in view.relations.iter().filter(|r| r.kind == "adopts") {
        outln!(
            "{:>22}     adopts {} {}",
            "",
            relation.designation,
            relation.degree.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
