//! `stdbridge translate | extract | merge | analyze`: documents through the pipeline of
//! `stdbridge-app`; outputs are written whole or not at all.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use stdbridge_app::documents::{self, DocumentSource, Pipeline, Pretranslated};
use stdbridge_app::{App, Principal};

use crate::cli::PipelineArgs;
use crate::progress::with_bar;

const WHO: &Principal = &Principal::Operator;

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

fn pipeline(args: &PipelineArgs) -> Pipeline {
    Pipeline {
        from: args.from.clone(),
        to: args.to.clone(),
        memories: args.tm.clone(),
        termbases: args.termbase.clone(),
        engine: args.engine.clone(),
        min_score: args.min_score,
        accept_changes: args.accept_changes,
        comments: args.comments,
        xliff_version: args.xliff_version.clone(),
    }
}

/// Reads and pre-translates a document as a job, with a progress bar.
async fn prepare(app: &App, input: &Path, args: &PipelineArgs) -> anyhow::Result<Pretranslated> {
    let source = DocumentSource::read(input)?;
    let job = documents::pretranslate_document(app, WHO, source, pipeline(args)).await?;
    Ok(with_bar(job, false).await?)
}

/// `stdbridge translate`.
pub async fn translate(app: &App, job: TranslateJob) -> anyhow::Result<ExitCode> {
    refuse_overwriting_input(&job.input, &job.output)?;
    let prepared = prepare(app, &job.input, &job.pipeline).await?;
    let merged = prepared.merged(job.repair)?;
    write_atomically(&job.output, &merged)?;
    if let Some(path) = &job.xliff {
        write_atomically(path, prepared.xliff().as_bytes())?;
    }
    if let Some(path) = &job.report {
        let output = job.output.display().to_string();
        let text = serde_json::to_string_pretty(&prepared.report(Some(&output)))?;
        write_atomically(path, text.as_bytes())?;
    }
    print_summary(&job.input, &prepared);
    eprintln!("written to {}", job.output.display());
    Ok(ExitCode::SUCCESS)
}

/// `stdbridge extract`.
pub async fn extract(
    app: &App,
    input: &Path,
    output: &Path,
    args: &PipelineArgs,
) -> anyhow::Result<ExitCode> {
    refuse_overwriting_input(input, output)?;
    let prepared = prepare(app, input, args).await?;
    write_atomically(output, prepared.xliff().as_bytes())?;
    eprintln!(
        "{}: {} units, {} segments written to {}",
        input.display(),
        prepared.units(),
        prepared.segments(),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `stdbridge analyze`.
pub async fn analyze(
    app: &App,
    inputs: &[PathBuf],
    args: &PipelineArgs,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut reports = Vec::new();
    for input in inputs {
        let prepared = prepare(app, input, args).await?;
        if json {
            reports.push(prepared.report(None));
        } else {
            outln!("{}", input.display());
            out!("{}", prepared.table());
            outln!();
        }
    }
    if json {
        super::print_json(&reports)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `stdbridge merge`.
pub fn merge(app: &App, input: &Path, output: &Path, repair: bool) -> anyhow::Result<ExitCode> {
    refuse_overwriting_input(input, output)?;
    let xliff = DocumentSource::read(input)?;
    let merged = documents::merge(app, WHO, &xliff, repair)?;
    write_atomically(output, &merged.document)?;
    eprintln!(
        "{} of {} segments merged into {} ({})",
        merged.translated,
        merged.segments,
        output.display(),
        merged.original_name
    );
    Ok(ExitCode::SUCCESS)
}

fn print_summary(input: &Path, prepared: &Pretranslated) {
    outln!("{}", input.display());
    out!("{}", prepared.table());
    outln!(
        "translated: {} exact, {} fuzzy, {} repetitions, {} by the engine; {} left in the source language",
        prepared.count("exact"),
        prepared.count("fuzzy"),
        prepared.count("repetition"),
        prepared.count("engine"),
        prepared.count("untranslated")
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
    let mut file = output_file_builder()
        .tempfile_in(&dir)
        .with_context(|| format!("writing into {}", dir.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Temporary files are private (0600) by default; an output file is made as any other
/// file would be: 0666 less the umask (0644 under the usual 022).
fn output_file_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}
