//! Converts Relaton JSON Lines (stdin) to stdbridge's generic JSON Lines (stdout), keeping
//! facts only (no abstracts), for the records whose undated designation is named in the
//! arguments. Used to make the demo subset of ISO records: see demo/SOURCES.md.

use std::io::{BufRead, Write};

use stdbridge_catalog::relaton::standard_from_item;
use stdbridge_core::Designation;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter_map(|arg| Designation::parse(&arg).ok().map(|d| d.undated_key()))
        .collect();
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut written = std::collections::HashSet::new();
    for line in stdin.lock().lines() {
        let line = line?;
        let item: serde_json::Value = serde_json::from_str(&line)?;
        let Ok(mut record) = standard_from_item(&item) else {
            continue;
        };
        let Ok(parsed) = Designation::parse(&record.designation) else {
            continue;
        };
        let base_key = parsed
            .base()
            .unwrap_or_else(|| parsed.clone())
            .undated_key();
        // The upstream data sometimes holds one record in two files: keep the first.
        if !wanted.contains(&base_key) || parsed.is_draft() || !written.insert(parsed.key()) {
            continue;
        }
        record.abstracts.clear();
        record.identifiers.retain(|id| id.kind != "URN");
        record.links.retain(|link| link.kind == "src");
        writeln!(out, "{}", serde_json::to_string(&record)?)?;
    }
    Ok(())
}
