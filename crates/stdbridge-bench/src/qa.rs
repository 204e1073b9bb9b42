//! `stdbridge bench qa`: the quality checks over a long bilingual XLIFF (generated zh-CN →
//! en standards sentences), against the least any check has to do — reading the file.
//! Rounds alternate reading and checking on the same file; the ratio of each round
//! (check ÷ read) is reported with the absolute times.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use serde_json::json;
use stdbridge_app::documents::DocumentSource;
use stdbridge_app::qa::{QaRequest, check};
use stdbridge_app::{App, Config, Principal};
use stdbridge_filters::xliff::XliffDocument;

use crate::rounds::RoundRatios;
use crate::tm_gen::MemoryGenerator;

/// What `bench qa` does.
pub struct QaBenchOptions {
    /// Segments in the generated XLIFF.
    pub segments: u64,
    /// Generator seed.
    pub seed: u64,
    /// Alternating rounds.
    pub rounds: usize,
    /// Print JSON.
    pub json: bool,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An XLIFF 2.0 file of `segments` generated zh-CN → en units; every tenth target has a
/// number changed, so that the checks have something to report.
pub fn bilingual_xliff(segments: u64, seed: u64) -> String {
    let mut generator = MemoryGenerator::new(seed);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"zh-CN\" trgLang=\"en\">\n<file id=\"f1\">\n",
    );
    for number in 1..=segments {
        let unit = generator.unit(number);
        let source = unit
            .variant("zh-CN")
            .map(|v| v.seg.plain())
            .unwrap_or_default();
        let mut target = unit
            .variant("en")
            .map(|v| v.seg.plain())
            .unwrap_or_default();
        if number % 10 == 0 {
            target.push_str(&format!(" ({} mm)", number % 997));
        }
        out.push_str(&format!(
            "<unit id=\"u{number}\"><segment><source>{}</source><target>{}</target></segment></unit>\n",
            escape(&source),
            escape(&target)
        ));
    }
    out.push_str("</file>\n</xliff>\n");
    out
}

/// Runs the benchmark.
pub async fn run(options: QaBenchOptions) -> anyhow::Result<ExitCode> {
    let dir = tempfile_dir()?;
    let xliff = bilingual_xliff(options.segments, options.seed);
    let bytes = xliff.into_bytes();
    let app = App::open(Config::for_data_dir(dir.path()))
        .await
        .context("opening a store for the benchmark")?;
    let file = DocumentSource {
        name: "bench.xlf".to_owned(),
        bytes,
    };
    let mut ratios = Vec::new();
    let mut read_times = Vec::new();
    let mut check_times = Vec::new();
    let mut findings = 0;
    for _ in 0..options.rounds.max(1) {
        let started = Instant::now();
        let document = XliffDocument::read(&file.bytes, &file.name)?;
        let read = started.elapsed().as_secs_f64();
        drop(document);
        let started = Instant::now();
        let report = check(
            &app,
            &Principal::Operator,
            QaRequest {
                files: vec![file.clone()],
                ..QaRequest::default()
            },
        )
        .await?;
        let checked = started.elapsed().as_secs_f64();
        findings = report.findings.len();
        read_times.push(read);
        check_times.push(checked);
        ratios.push(checked / read);
    }
    app.close().await;
    let summary = RoundRatios::of(&ratios);
    let median = |times: &mut Vec<f64>| {
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    };
    let read = median(&mut read_times);
    let checked = median(&mut check_times);
    if options.json {
        crate::print_json(&json!({
            "segments": options.segments,
            "findings": findings,
            "read_seconds": read,
            "check_seconds": checked,
            "segments_per_second": options.segments as f64 / checked,
            "check_over_read": summary,
        }))?;
    } else {
        println!(
            "qa over {} segments ({} findings): check {checked:.2} s ({:.0} segments/s), reading the XLIFF alone {read:.3} s",
            crate::thousands(options.segments),
            crate::thousands(findings as u64),
            options.segments as f64 / checked
        );
        println!(
            "check ÷ read: median {:.1}× (range {:.1}–{:.1}×, {} rounds)",
            summary.median, summary.min, summary.max, summary.rounds
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn tempfile_dir() -> anyhow::Result<TempDir> {
    let path = std::env::temp_dir().join(format!("stdbridge-bench-qa-{}", std::process::id()));
    std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
    Ok(TempDir { path })
}

/// A working directory removed when dropped.
struct TempDir {
    path: std::path::PathBuf,
}

impl TempDir {
    fn path(&self) -> &std::path::Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
