//! `stdbridge translate | extract | merge | analyze`: documents through the filters, the
//! memories and an engine.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use serde_json::json;
use stdbridge_filters::docx::TrackedChanges;
use stdbridge_filters::model::marked;
use stdbridge_filters::xliff::{EmbeddedOriginal, Xliff12Writer, XliffDocument, XliffWriter};
use stdbridge_filters::{Content, FilterOptions, Format, TextUnit, filter_for, read_input};
use stdbridge_storage::Store;
use stdbridge_text::Segmenter;
use stdbridge_tm::Memories;
use stdbridge_tm::pretranslate::{
    Analysis, PretranslateOptions, Pretranslation, pretranslate, unit_terms,
};
use stdbridge_tm::termbase::{TermMatcher, Termbases};

use crate::cli::PipelineArgs;

/// What `translate` does.
pub struct TranslateJob {
    /// The document.
    pub input: PathBuf,
    /// The translated document.
    pub output: PathBuf,
    /// Languages, memories, engine.
    pub pipeline: PipelineArgs,
    /// The XLIFF to write too.
    pub xliff: Option<PathBuf>,
    /// The JSON report to write.
    pub report: Option<PathBuf>,
    /// Repair codes instead of refusing.
    pub repair: bool,
}

/// A document read and pre-translated.
struct Prepared {
    format: Format,
    bytes: Vec<u8>,
    options: FilterOptions,
    units: Vec<TextUnit>,
    result: Pretranslation,
    matcher: Option<Arc<TermMatcher>>,
}

fn filter_options(pipeline: &PipelineArgs) -> FilterOptions {
    FilterOptions {
        tracked_changes: if pipeline.accept_changes {
            TrackedChanges::Accept
        } else {
            TrackedChanges::Keep
        },
        comments: pipeline.comments,
        ..FilterOptions::default()
    }
}

/// Reads, extracts and pre-translates a document.
async fn prepare(
    store: &Store,
    data_dir: &Path,
    input: &Path,
    pipeline: &PipelineArgs,
) -> anyhow::Result<Prepared> {
    let options = filter_options(pipeline);
    let bytes = read_input(input, &options.limits)?;
    let format = Format::detect(input, &bytes)?;
    let filter = filter_for(format, options);
    let segmenter = Segmenter::for_language(&pipeline.from);
    let name = input.display().to_string();
    let units = stdbridge_filters::extract(filter.as_ref(), &bytes, &name, &segmenter)?;
    let memories = Memories::open(store.clone(), data_dir).await?;
    for tm in &pipeline.tm {
        if !memories.list().await?.iter().any(|m| &m.name == tm) {
            bail!("no translation memory named {tm:?} (see `stdbridge tm list`)");
        }
    }
    let request = PretranslateOptions {
        memories: pipeline.tm.clone(),
        source_lang: pipeline.from.clone(),
        target_lang: pipeline.to.clone(),
        min_score: pipeline.min_score,
    };
    let matcher = if pipeline.termbase.is_empty() {
        None
    } else {
        Some(Arc::new(
            Termbases::new(store.clone())
                .matcher(&pipeline.termbase, &pipeline.from, &pipeline.to)
                .await?,
        ))
    };
    let engine = super::mt::engine(
        &pipeline.engine,
        matcher.clone(),
        Some(store.clone()),
        data_dir,
    )?;
    let result = pretranslate(&memories, &units, &request, engine.as_ref()).await?;
    Ok(Prepared {
        format,
        bytes,
        options,
        units,
        result,
        matcher,
    })
}

/// `stdbridge translate`.
pub async fn translate(
    store: &Store,
    data_dir: &Path,
    job: TranslateJob,
) -> anyhow::Result<ExitCode> {
    refuse_overwriting_input(&job.input, &job.output)?;
    let prepared = prepare(store, data_dir, &job.input, &job.pipeline).await?;
    let filter = filter_for(prepared.format, prepared.options);
    let segmenter = Segmenter::for_language(&job.pipeline.from);
    let name = job.input.display().to_string();
    let mut targets = |unit: &TextUnit| prepared.result.targets(unit);
    let merged = stdbridge_filters::merge(
        filter.as_ref(),
        &prepared.bytes,
        &name,
        &segmenter,
        &job.pipeline.to,
        job.repair,
        &mut targets,
    )?;
    write_atomically(&job.output, &merged)?;
    if let Some(path) = &job.xliff {
        write_xliff(path, &job.input, &prepared, &job.pipeline)?;
    }
    if let Some(path) = &job.report {
        let report = report_json(&job.input, Some(&job.output), &prepared, &job.pipeline);
        let text = serde_json::to_string_pretty(&report)?;
        write_atomically(path, text.as_bytes())?;
    }
    print_summary(&job.input, &prepared);
    eprintln!("written to {}", job.output.display());
    Ok(ExitCode::SUCCESS)
}

/// `stdbridge extract`.
pub async fn extract(
    store: &Store,
    data_dir: &Path,
    input: &Path,
    output: &Path,
    pipeline: &PipelineArgs,
) -> anyhow::Result<ExitCode> {
    refuse_overwriting_input(input, output)?;
    let prepared = prepare(store, data_dir, input, pipeline).await?;
    write_xliff(output, input, &prepared, pipeline)?;
    let segments: usize = prepared.units.iter().map(|u| u.segments().count()).sum();
    eprintln!(
        "{}: {} units, {} segments written to {}",
        input.display(),
        prepared.units.len(),
        segments,
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `stdbridge analyze`.
pub async fn analyze(
    store: &Store,
    data_dir: &Path,
    inputs: &[PathBuf],
    pipeline: &PipelineArgs,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut reports = Vec::new();
    for input in inputs {
        let prepared = prepare(store, data_dir, input, pipeline).await?;
        if json {
            reports.push(report_json(input, None, &prepared, pipeline));
        } else {
            println!("{}", input.display());
            print!("{}", prepared.result.analysis.table());
            println!();
        }
    }
    if json {
        super::print_json(&reports)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `stdbridge merge`.
pub fn merge(input: &Path, output: &Path, repair: bool) -> anyhow::Result<ExitCode> {
    refuse_overwriting_input(input, output)?;
    let limits = FilterOptions::default().limits;
    let bytes = read_input(input, &limits)?;
    let name = input.display().to_string();
    let xliff = XliffDocument::read(&bytes, &name)?;
    let Some(original) = &xliff.original else {
        bail!(
            "{name}: no original document is embedded in this XLIFF (only XLIFF written by `stdbridge extract` or `translate --xliff` can be merged); to translate a foreign XLIFF itself, use `stdbridge translate {name}`"
        );
    };
    let source_lang = xliff
        .source_lang
        .clone()
        .unwrap_or_else(|| "zh-CN".to_string());
    let target_lang = xliff
        .target_lang
        .clone()
        .with_context(|| format!("{name}: the <xliff> element has no trgLang"))?;
    let sources: HashMap<String, Vec<String>> =
        xliff
            .segments
            .iter()
            .fold(HashMap::new(), |mut by_unit, s| {
                by_unit
                    .entry(s.unit_id.clone())
                    .or_insert_with(Vec::new)
                    .push(marked(&s.source.content));
                by_unit
            });
    let targets = xliff.targets_by_unit();
    let filter = filter_for(original.format, original.options);
    let segmenter = Segmenter::for_language(&source_lang);
    let mut mismatch: Option<String> = None;
    let mut translate = |unit: &TextUnit| -> Vec<Option<Content>> {
        let expected: Vec<String> = unit.segments().map(|s| marked(s)).collect();
        match sources.get(&unit.id) {
            Some(found) if *found == expected => targets.get(&unit.id).cloned().unwrap_or_default(),
            Some(found) => {
                mismatch.get_or_insert_with(|| {
                    format!(
                        "unit {}: the XLIFF's source ({:?}) is not the original's ({:?})",
                        unit.id,
                        found.first().cloned().unwrap_or_default(),
                        expected.first().cloned().unwrap_or_default()
                    )
                });
                Vec::new()
            }
            None => Vec::new(),
        }
    };
    let merged = stdbridge_filters::merge(
        filter.as_ref(),
        &original.bytes,
        &original.name,
        &segmenter,
        &target_lang,
        repair,
        &mut translate,
    )?;
    if let Some(problem) = mismatch {
        bail!("{name}: {problem}; nothing written");
    }
    write_atomically(output, &merged)?;
    let translated = xliff.segments.iter().filter(|s| s.target.is_some()).count();
    eprintln!(
        "{translated} of {} segments merged into {} ({})",
        xliff.segments.len(),
        output.display(),
        original.name
    );
    Ok(ExitCode::SUCCESS)
}

fn write_xliff(
    path: &Path,
    input: &Path,
    prepared: &Prepared,
    pipeline: &PipelineArgs,
) -> anyhow::Result<()> {
    let original = EmbeddedOriginal {
        format: prepared.format,
        name: input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: prepared.bytes.clone(),
        options: prepared.options,
    };
    let (source_lang, target_lang) = (pipeline.from.clone(), pipeline.to.clone());
    let target = |unit: &TextUnit, n: usize| {
        prepared
            .result
            .results
            .get(&unit.id)
            .and_then(|r| r.get(n))
            .and_then(|r| r.xliff_target())
    };
    let terms = |unit: &TextUnit| {
        prepared
            .matcher
            .as_ref()
            .map(|m| unit_terms(m, unit))
            .unwrap_or_default()
    };
    let text = if pipeline.xliff_version == "1.2" {
        Xliff12Writer {
            source_lang,
            target_lang,
        }
        .write(&original, &prepared.units, &target)
    } else {
        XliffWriter {
            source_lang,
            target_lang,
        }
        .write(&original, &prepared.units, &target, &terms)
    };
    write_atomically(path, text.as_bytes())
}

fn analysis_json(analysis: &Analysis) -> serde_json::Value {
    let bands: Vec<serde_json::Value> = analysis
        .bands
        .iter()
        .map(|(band, counts)| json!({"band": band, "segments": counts.segments, "words": counts.words, "characters": counts.characters}))
        .collect();
    json!({"bands": bands, "total": analysis.total})
}

fn report_json(
    input: &Path,
    output: Option<&Path>,
    prepared: &Prepared,
    pipeline: &PipelineArgs,
) -> serde_json::Value {
    let segments: Vec<serde_json::Value> = prepared
        .units
        .iter()
        .flat_map(|unit| {
            let results = prepared.result.results.get(&unit.id);
            unit.segments().enumerate().map(move |(n, source)| {
                let result = results.and_then(|r| r.get(n));
                json!({
                    "unit": unit.id,
                    "segment": n + 1,
                    "source": marked(source),
                    "target": result.and_then(|r| r.target.as_ref()).map(|t| marked(t)),
                    "origin": result.map(|r| &r.origin),
                    "band": result.map(|r| r.band),
                    "best_score": result.and_then(|r| r.best_score),
                })
            })
        })
        .collect();
    json!({
        "input": input.display().to_string(),
        "output": output.map(|o| o.display().to_string()),
        "format": prepared.format,
        "source_lang": pipeline.from,
        "target_lang": pipeline.to,
        "memories": pipeline.tm,
        "engine": pipeline.engine,
        "min_score": pipeline.min_score,
        "units": prepared.units.len(),
        "translated": prepared.result.by_origin,
        "analysis": analysis_json(&prepared.result.analysis),
        "segments": segments,
    })
}

fn print_summary(input: &Path, prepared: &Prepared) {
    let count = |kind: &str| prepared.result.by_origin.get(kind).copied().unwrap_or(0);
    println!("{}", input.display());
    print!("{}", prepared.result.analysis.table());
    println!(
        "translated: {} exact, {} fuzzy, {} repetitions, {} by the engine; {} left in the source language",
        count("exact"),
        count("fuzzy"),
        count("repetition"),
        count("engine"),
        count("untranslated")
    );
}

/// Refuses an output that is the input.
fn refuse_overwriting_input(input: &Path, output: &Path) -> anyhow::Result<()> {
    if let (Ok(a), Ok(b)) = (input.canonicalize(), output.canonicalize())
        && a == b
    {
        bail!("{}: the output would overwrite the input", output.display());
    }
    Ok(())
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("writing into {}", dir.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
