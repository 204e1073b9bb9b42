//! `stdbridge gen-catalog`: a synthetic catalogue as generic JSON Lines.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::catalog_gen::write_jsonl;
use anyhow::Context;

use crate::thousands;

/// `stdbridge gen-catalog`: writes `records` generated records (JSON Lines, gzip when
/// the file ends in .gz) to `output` or standard output.
pub fn run(records: usize, seed: u64, output: Option<&Path>) -> anyhow::Result<ExitCode> {
    let summary = match output {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let summary = write_jsonl(records, seed, &mut out)?;
            out.flush()?;
            summary
        }
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let summary = if path.extension().is_some_and(|e| e == "gz") {
                let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
                let summary = write_jsonl(records, seed, &mut gz)?;
                out = gz.finish()?;
                summary
            } else {
                write_jsonl(records, seed, &mut out)?
            };
            out.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
            summary
        }
    };
    eprintln!(
        "generated {} records (seed {seed}): {} publishers, {} adoptions, {} relations",
        thousands(summary.records as u64),
        summary.by_body.len(),
        thousands(summary.adoptions as u64),
        thousands(summary.relations as u64),
    );
    Ok(ExitCode::SUCCESS)
}
