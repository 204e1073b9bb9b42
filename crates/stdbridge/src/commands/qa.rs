//! `stdbridge qa`: quality checks of translations.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use stdbridge_app::documents::DocumentSource;
use stdbridge_app::qa::{self, Check, QaReport, QaRequest, RuleSet, Severity};
use stdbridge_app::{App, AppError, Principal};

const WHO: &Principal = &Principal::Operator;

/// The command's arguments.
pub struct QaArgs {
    pub files: Vec<PathBuf>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub termbases: Vec<String>,
    pub rules: Option<String>,
    pub checks: Vec<String>,
    pub source: Option<PathBuf>,
    pub json: bool,
}

pub async fn run(app: &App, args: QaArgs) -> anyhow::Result<ExitCode> {
    let request = request(&args)?;
    let report = qa::check(app, WHO, request).await?;
    if args.json {
        super::print_json(&report)?;
    } else {
        print_report(&report);
    }
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn request(args: &QaArgs) -> Result<QaRequest, AppError> {
    let rules = args
        .rules
        .as_deref()
        .map(|text| {
            RuleSet::parse(text).ok_or_else(|| {
                AppError::bad_field(
                    "--rules",
                    format!("{text:?}: use standards or construction"),
                )
            })
        })
        .transpose()?;
    let mut checks = BTreeSet::new();
    for name in &args.checks {
        let check = Check::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Check::ALL.iter().map(|c| c.as_str()).collect();
            AppError::bad_field(
                "--check",
                format!("{name:?}: not a check ({})", known.join(", ")),
            )
        })?;
        checks.insert(check);
    }
    let files = args
        .files
        .iter()
        .map(|path| DocumentSource::read(path))
        .collect::<Result<Vec<_>, _>>()?;
    let original = args
        .source
        .as_deref()
        .map(DocumentSource::read)
        .transpose()?;
    Ok(QaRequest {
        files,
        original,
        segments: Vec::new(),
        from: args.from.clone(),
        to: args.to.clone(),
        termbases: args.termbases.clone(),
        rules,
        checks,
    })
}

fn print_report(report: &QaReport) {
    for found in &report.findings {
        let finding = &found.finding;
        let severity = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        outln!(
            "{}: unit {} (segment {}): {severity} [{}] {}",
            found.file,
            finding.unit,
            finding.segment,
            finding.check,
            finding.message
        );
    }
    let (errors, warnings) = report.counts();
    eprintln!(
        "{} segments checked: {errors} errors, {warnings} warnings",
        super::thousands(report.checked as u64)
    );
}
