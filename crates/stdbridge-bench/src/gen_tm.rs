//! `stdbridge gen-tm`: a synthetic zh–en memory as TMX.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::tm_gen::MemoryGenerator;
use anyhow::Context;
use stdbridge_tm::tmx::{Header, TmxWriter};

/// Writes `units` generated units as TMX to `output` (standard output when absent).
pub fn run(units: u64, seed: u64, output: Option<&Path>) -> anyhow::Result<ExitCode> {
    match output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            write(units, seed, std::io::BufWriter::new(file))?;
        }
        None => write(units, seed, std::io::stdout().lock())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the memory to any output.
pub fn write<W: Write>(units: u64, seed: u64, out: W) -> anyhow::Result<()> {
    let header = Header {
        attributes: vec![
            ("srclang".into(), "zh-CN".into()),
            ("segtype".into(), "sentence".into()),
            ("creationtool".into(), "stdbridge gen-tm".into()),
        ],
        ..Header::default()
    };
    let mut generator = MemoryGenerator::new(seed);
    let mut writer = TmxWriter::start(out, &header).context("writing TMX")?;
    for number in 0..units {
        writer
            .unit(&generator.unit(number))
            .context("writing TMX")?;
    }
    writer.finish().context("writing TMX")?;
    Ok(())
}
