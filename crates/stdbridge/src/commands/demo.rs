//! `stdbridge demo`: loads the embedded demo data and shows what the catalogue holds.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use stdbridge_catalog::lookup::{find, replacement_chain};
use stdbridge_storage::Store;

use super::import::import_all;
use super::{open, thousands};
use crate::demo_data::FILES;

/// Designations the demo looks up, each in an unusual spelling.
const EXAMPLES: &[&str] = &[
    "GB 21455—2019",
    "gbt 17766-2020",
    "ISO 9001",
    "ＩＳＯ ９００１：２００８",
    "GB/T 19001",
];

/// Writes the embedded demo files into the data directory and imports them; false when
/// a file failed (its error is printed).
pub(crate) async fn load(store: &Store, data_dir: &Path) -> anyhow::Result<bool> {
    let files = write_demo_files(data_dir)?;
    let summary = import_all(store, &files, None, false).await?;
    for failure in &summary.failed {
        eprintln!("error: {}: {}", failure.path, failure.error);
    }
    super::sync_index(store, data_dir).await?;
    load_translation_demo(store, data_dir).await?;
    Ok(summary.failed.is_empty())
}

/// The demo translation memory (TICO-19, `tico19`) and termbase of standards' wording
/// (`standards`); loading them again changes nothing.
async fn load_translation_demo(store: &Store, data_dir: &Path) -> anyhow::Result<()> {
    let root = data_dir.join("demo-data");
    std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
    let tmx = root.join("tico19-en-zh.tmx");
    std::fs::write(&tmx, stdbridge_tm::generate::SEED_TMX)
        .with_context(|| format!("writing {}", tmx.display()))?;
    let terms = root.join("standards-terms.csv");
    std::fs::write(&terms, stdbridge_tm::termbase::STANDARDS_TERMS)
        .with_context(|| format!("writing {}", terms.display()))?;
    let memories = stdbridge_tm::Memories::open(store.clone(), data_dir).await?;
    memories.import_tmx(DEMO_MEMORY, &tmx, |_| {}).await?;
    stdbridge_tm::termbase::Termbases::new(store.clone())
        .import(DEMO_TERMBASE, &terms, &Default::default())
        .await?;
    Ok(())
}

/// The demo translation memory's name.
pub(crate) const DEMO_MEMORY: &str = "tico19";
/// The demo termbase's name.
pub(crate) const DEMO_TERMBASE: &str = "standards";

pub async fn run(data_dir: &Path) -> anyhow::Result<ExitCode> {
    let store = open(data_dir).await?;
    let loaded = load(&store, data_dir).await?;
    let stats = store.stats().await?;
    println!("stdbridge demo — data directory {}", data_dir.display());
    println!(
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
    println!(
        "by country: {}; international: {}",
        by_country.join(", "),
        stats.standards - stats.by_country.iter().map(|(_, n)| n).sum::<i64>()
    );
    println!("by status: {}", by_status.join(", "));
    println!();
    for example in EXAMPLES {
        show_example(&store, example).await?;
    }
    println!();
    store.close().await;
    println!(
        "Try: stdbridge --data-dir {} show \"iso 9001\"",
        data_dir.display()
    );
    println!(
        "     stdbridge --data-dir {} search 房间空气调节器",
        data_dir.display()
    );
    println!(
        "     stdbridge --data-dir {} tm lookup --tm {DEMO_MEMORY} 这些症状已持续多久？",
        data_dir.display()
    );
    println!(
        "     stdbridge --data-dir {} term find --termbase {DEMO_TERMBASE} 集装箱应符合本标准的要求。",
        data_dir.display()
    );
    Ok(if loaded {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Writes the embedded files under `<data dir>/demo-data`, so that import messages name
/// real files; returns the importable ones in load order.
fn write_demo_files(data_dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let root = data_dir.join("demo-data");
    let mut paths = Vec::new();
    for file in FILES {
        let path = root.join(file.name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, file.bytes).with_context(|| format!("writing {}", path.display()))?;
        if stdbridge_catalog::format::is_importable(&path) {
            paths.push(path);
        }
    }
    Ok(paths)
}

async fn show_example(store: &Store, query: &str) -> anyhow::Result<()> {
    let Some(found) = find(store, query).await? else {
        println!("{query:>22}  →  not found");
        return Ok(());
    };
    let record = &found.standard.record;
    let title = record
        .title("zh")
        .or_else(|| record.title("en"))
        .unwrap_or_default();
    let status = record
        .status
        .map(|s| s.as_str())
        .unwrap_or("status unknown");
    println!(
        "{query:>22}  →  {}  {title}  [{status}]",
        record.designation
    );
    let chain = replacement_chain(store, &found.standard, false).await?;
    if !chain.is_empty() {
        let names: Vec<&str> = chain.iter().map(|l| l.designation.as_str()).collect();
        println!("{:>22}     replaces {}", "", names.join(" → "));
    }
    for relation in store
        .relations_of(&found.standard)
        .await?
        .iter()
        .filter(|r| r.kind == "adopts")
    {
        println!(
            "{:>22}     adopts {} {}",
            "",
            relation.designation,
            relation.degree.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
