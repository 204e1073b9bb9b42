//! `stdbridge tm …`: translation memories.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use stdbridge_app::model::{DiffOp, DiffPart, LookupRequest, Segment, Visibility};
use stdbridge_app::{App, Principal, memories};

use crate::cli::TmCommand;
use crate::progress::with_bar;

const WHO: &Principal = &Principal::Operator;

pub async fn run(app: &App, action: TmCommand) -> anyhow::Result<ExitCode> {
    match action {
        TmCommand::List { json } => {
            let list = memories::list(app, WHO).await?;
            if json {
                super::print_json(&list)?;
            } else if list.is_empty() {
                outln!("no translation memories");
            } else {
                for memory in list {
                    outln!(
                        "{:24} {:>10} units  {:8}  owner {}",
                        memory.name,
                        super::thousands(memory.entries.unwrap_or(0) as u64),
                        memory.visibility.as_str(),
                        memory.owner.as_deref().unwrap_or("-")
                    );
                }
            }
        }
        TmCommand::Create {
            name,
            owner,
            visibility,
            description,
        } => {
            let visibility = Visibility::from(visibility);
            memories::create(
                app,
                WHO,
                &name,
                owner.as_deref(),
                visibility,
                description.as_deref(),
            )
            .await?;
            outln!(
                "created translation memory {name} ({})",
                visibility.as_str()
            );
        }
        TmCommand::Delete { name } => {
            memories::delete(app, WHO, &name).await?;
            outln!("deleted translation memory {name}");
        }
        TmCommand::Import { tm, files, json } => return import(app, &tm, &files, json).await,
        TmCommand::Export { tm, output } => {
            let count = match &output {
                Some(path) => {
                    let file = std::fs::File::create(path)
                        .with_context(|| format!("creating {}", path.display()))?;
                    memories::export_tmx(app, WHO, &tm, std::io::BufWriter::new(file)).await?
                }
                None => memories::export_tmx(app, WHO, &tm, std::io::stdout().lock()).await?,
            };
            if let Some(path) = output {
                eprintln!(
                    "{} units written to {}",
                    super::thousands(count),
                    path.display()
                );
            }
        }
        TmCommand::Lookup {
            tm,
            src,
            tgt,
            limit,
            min_score,
            json,
            text,
        } => {
            let request = LookupRequest {
                memories: tm,
                source_lang: src,
                target_lang: tgt,
                query: Segment::text(text),
                limit,
                min_score,
            };
            let matches = memories::lookup(app, WHO, &request).await?;
            if json {
                super::print_json(&matches)?;
            } else if matches.is_empty() {
                outln!("no match of {min_score} or more");
            } else {
                for found in &matches {
                    outln!(
                        "{:>3}%  {}  [{}]",
                        found.score,
                        marked_diff(&found.diff),
                        found.memory
                    );
                    outln!("      {}", found.target);
                }
            }
        }
        TmCommand::Concordance {
            tm,
            limit,
            json,
            text,
        } => {
            let hits = memories::concordance(app, WHO, &tm, &text, limit).await?;
            if json {
                super::print_json(&hits)?;
            } else if hits.is_empty() {
                outln!("{text:?} is in no unit");
            } else {
                for hit in &hits {
                    for (lang, variant) in &hit.variants {
                        outln!("{lang:6} {variant}");
                    }
                    outln!();
                }
            }
        }
        TmCommand::Reindex => {
            let count = memories::reindex(app, WHO).await?;
            outln!("TM index rebuilt: {} units", super::thousands(count));
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn import(
    app: &App,
    tm: &str,
    files: &[std::path::PathBuf],
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut reports = Vec::new();
    let mut failed: Option<u8> = None;
    for file in files {
        let imported = match memories::import_tmx(app, WHO, tm, file.clone()).await {
            Ok(job) => with_bar(job, false).await,
            Err(error) => Err(error),
        };
        match imported {
            Ok(report) => {
                if !json {
                    eprintln!(
                        "{}: {} units read, {} new, {} merged into stored units, {} rejected ({:.1} s)",
                        file.display(),
                        super::thousands(report.read),
                        super::thousands(report.inserted),
                        super::thousands(report.merged),
                        report.rejected.len(),
                        report.seconds
                    );
                    for rejected in report.rejected.iter().take(20) {
                        eprintln!("  rejected {rejected}");
                    }
                    if report.rejected.len() > 20 {
                        eprintln!("  … and {} more", report.rejected.len() - 20);
                    }
                }
                reports.push(report);
            }
            Err(error) => {
                eprintln!("error: {error}; nothing from this file was stored");
                failed.get_or_insert(error.kind.exit_code());
            }
        }
    }
    if json {
        super::print_json(&reports)?;
    }
    std::io::stdout().flush().ok();
    Ok(if let Some(code) = failed {
        ExitCode::from(code)
    } else {
        ExitCode::SUCCESS
    })
}

/// The stored source with deletions in [-…-] and insertions in {+…+}, or in colour on
/// a terminal.
fn marked_diff(parts: &[DiffPart]) -> String {
    use std::io::IsTerminal;
    let colour = std::io::stdout().is_terminal();
    let mut out = String::new();
    for part in parts {
        match (part.op, colour) {
            (DiffOp::Equal, _) => out.push_str(&part.text),
            (DiffOp::Delete, true) => out.push_str(&format!("\x1b[31;9m{}\x1b[0m", part.text)),
            (DiffOp::Insert, true) => out.push_str(&format!("\x1b[32;4m{}\x1b[0m", part.text)),
            (DiffOp::Delete, false) => out.push_str(&format!("[-{}-]", part.text)),
            (DiffOp::Insert, false) => out.push_str(&format!("{{+{}+}}", part.text)),
        }
    }
    out
}
