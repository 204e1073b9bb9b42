//! `stdbridge term …`: termbases.

use std::process::ExitCode;

use anyhow::Context;
use stdbridge_app::documents::DocumentSource;
use stdbridge_app::model::GlossaryLanguages;
use stdbridge_app::{App, Principal, qa, termbases};

use crate::cli::TermCommand;

const WHO: &Principal = &Principal::Operator;

pub async fn run(app: &App, action: TermCommand) -> anyhow::Result<ExitCode> {
    match action {
        TermCommand::List { json } => {
            let list = termbases::list(app, WHO).await?;
            if json {
                super::print_json(&list)?;
            } else if list.is_empty() {
                outln!("no termbases");
            } else {
                for termbase in list {
                    outln!(
                        "{:24} {:>8} concepts  {}",
                        termbase.name,
                        super::thousands(termbase.entries.unwrap_or(0) as u64),
                        termbase.visibility.as_str()
                    );
                }
            }
        }
        TermCommand::Import {
            termbase,
            src,
            tgt,
            json,
            files,
        } => {
            let languages = GlossaryLanguages {
                source: src,
                target: tgt,
            };
            let mut reports = Vec::new();
            let mut failed: Option<u8> = None;
            for file in &files {
                match termbases::import(app, WHO, &termbase, file, &languages).await {
                    Ok(report) => {
                        if !json {
                            let langs: Vec<String> = report
                                .languages
                                .iter()
                                .map(|(lang, count)| format!("{lang} {count}"))
                                .collect();
                            eprintln!(
                                "{}: {} concepts read, {} new, {} updated, {} unchanged, {} rejected; terms: {}",
                                file.display(),
                                report.read,
                                report.inserted,
                                report.updated,
                                report.unchanged,
                                report.rejected.len(),
                                langs.join(", ")
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
            if let Some(code) = failed {
                return Ok(ExitCode::from(code));
            }
        }
        TermCommand::Export { termbase, output } => {
            let count = match &output {
                Some(path) => {
                    let file = std::fs::File::create(path)
                        .with_context(|| format!("creating {}", path.display()))?;
                    termbases::export_tbx(app, WHO, &termbase, std::io::BufWriter::new(file))
                        .await?
                }
                None => {
                    termbases::export_tbx(app, WHO, &termbase, std::io::stdout().lock()).await?
                }
            };
            if let Some(path) = output {
                eprintln!("{count} concepts written to {}", path.display());
            }
        }
        TermCommand::Find {
            termbase,
            lang,
            tgt,
            json,
            text,
        } => {
            let hits = termbases::find(app, WHO, &termbase, &lang, &tgt, &text).await?;
            print_hits(&hits, json)?;
        }
        TermCommand::Extract {
            files,
            from,
            to,
            standard,
            output,
            json,
        } => return extract(app, files, from, to, standard, output, json).await,
    }
    Ok(ExitCode::SUCCESS)
}

async fn extract(
    app: &App,
    files: Vec<std::path::PathBuf>,
    from: Option<String>,
    to: Option<String>,
    standard: Option<String>,
    output: Option<std::path::PathBuf>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let files = files
        .iter()
        .map(|path| DocumentSource::read(path))
        .collect::<Result<Vec<_>, _>>()?;
    let request = qa::TermExtractRequest {
        files,
        from,
        to,
        standard,
    };
    let concepts = qa::extract_terms(app, WHO, request).await?;
    if json {
        super::print_json(&concepts)?;
    } else {
        for concept in &concepts {
            let terms: Vec<String> = concept
                .languages
                .iter()
                .map(|section| {
                    let names: Vec<&str> = section.terms.iter().map(|t| t.text.as_str()).collect();
                    format!("[{}] {}", section.lang, names.join("; "))
                })
                .collect();
            let definition = concept
                .languages
                .iter()
                .find_map(|section| section.definition.as_deref())
                .unwrap_or("(no definition)");
            outln!(
                "{}  {}\n    {definition}",
                concept.id.as_deref().unwrap_or_default(),
                terms.join("  ")
            );
        }
    }
    if let Some(path) = &output {
        let file =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        qa::write_tbx(
            std::io::BufWriter::new(file),
            "terms and definitions",
            &concepts,
        )?;
        eprintln!(
            "{} entries written to {}; review them, then: stdbridge term import --termbase NAME {}",
            concepts.len(),
            path.display(),
            path.display()
        );
    } else {
        eprintln!("{} entries", concepts.len());
    }
    Ok(ExitCode::SUCCESS)
}

fn print_hits(hits: &[stdbridge_app::model::TermHit], json: bool) -> anyhow::Result<()> {
    if json {
        super::print_json(&hits)?;
    } else if hits.is_empty() {
        outln!("no terms found");
    } else {
        for hit in hits {
            let warning = hit
                .warning
                .as_deref()
                .map(|w| format!("  ({w} term)"))
                .unwrap_or_default();
            outln!(
                "{:>4}–{:<4} {} → {}{}",
                hit.start,
                hit.end,
                hit.text,
                hit.preferred.as_deref().unwrap_or("(no equivalent)"),
                warning
            );
        }
    }
    Ok(())
}
