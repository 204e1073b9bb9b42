//! One module per command; each opens the store it needs and prints its result.

mod bench;
mod bench_docs;
mod bench_http;
mod bench_mt;
mod bench_tm;
mod changes;
mod demo;
mod documents;
mod gen_catalog;
mod gen_tm;
mod import;
mod mt;
mod reindex;
mod search;
mod segment;
mod serve;
mod show;
mod stats;
mod term;
mod tm;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stdbridge_storage::Store;

use crate::cli::{BenchCommand, Cli, Command};

/// Runs the command the user asked for.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let data_dir = data_dir(cli.data_dir)?;
    // Commands that open the store themselves, or need none.
    let command = match cli.command {
        Command::Demo => return demo::run(&data_dir).await,
        Command::GenCatalog {
            records,
            seed,
            output,
        } => return gen_catalog::run(records, seed, output.as_deref()),
        Command::GenTm {
            units,
            seed,
            output,
        } => return gen_tm::run(units, seed, output.as_deref()),
        Command::Segment {
            text,
            lang,
            words,
            srx,
            dict,
            termbase,
            file,
            json,
        } => {
            let options = segment::SegmentOptions {
                text,
                lang,
                words,
                srx,
                dict,
                termbase,
                file,
                json,
            };
            return segment::run(&data_dir, options).await;
        }
        Command::Bench { what } => return run_bench(what).await,
        Command::Models { action } => return mt::models(&data_dir, action),
        Command::Merge {
            input,
            output,
            repair,
        } => return documents::merge(&input, &output, repair),
        other => other,
    };
    let store = open(&data_dir).await?;
    let code = match command {
        Command::Tm { action } => tm::run(&store, &data_dir, action).await,
        Command::Term { action } => term::run(&store, action).await,
        Command::Import {
            paths,
            format,
            json,
            strict,
        } => import::run(&store, &data_dir, &paths, format, json, strict).await,
        Command::Reindex { json } => reindex::run(&store, &data_dir, json).await,
        Command::Show { designation, json } => show::run(&store, &designation, json).await,
        Command::Search {
            query,
            limit,
            offset,
            json,
        } => search::run(&store, &data_dir, &query, limit, offset, json).await,
        Command::Stats { json } => stats::run(&store, json).await,
        Command::Serve { addr, demo } => serve::run(store.clone(), &data_dir, addr, demo).await,
        Command::Changes { since, limit, json } => changes::run(&store, since, limit, json).await,
        Command::Translate {
            input,
            output,
            pipeline,
            xliff,
            report,
            repair,
        } => {
            let job = documents::TranslateJob {
                input,
                output,
                pipeline,
                xliff,
                report,
                repair,
            };
            documents::translate(&store, &data_dir, job).await
        }
        Command::Extract {
            input,
            output,
            pipeline,
        } => documents::extract(&store, &data_dir, &input, &output, &pipeline).await,
        Command::Mt {
            text,
            engine,
            from,
            to,
            termbase,
        } => mt::run(&store, &data_dir, &engine, &from, &to, &termbase, &text).await,
        Command::Analyze {
            inputs,
            pipeline,
            json,
        } => documents::analyze(&store, &data_dir, &inputs, &pipeline, json).await,
        // Handled above, before the store is opened.
        Command::Demo
        | Command::GenCatalog { .. }
        | Command::GenTm { .. }
        | Command::Segment { .. }
        | Command::Merge { .. }
        | Command::Models { .. }
        | Command::Bench { .. } => Ok(ExitCode::SUCCESS),
    };
    // Closing checkpoints the write-ahead log into the database file.
    store.close().await;
    code
}

/// Runs a benchmark; each works in a directory of its own.
async fn run_bench(what: BenchCommand) -> anyhow::Result<ExitCode> {
    match what {
        BenchCommand::Search {
            records,
            seed,
            queries,
            work_dir,
            json,
        } => {
            bench::run(bench::BenchOptions {
                records,
                seed,
                queries,
                work_dir,
                json,
                reuse: false,
            })
            .await
        }
        BenchCommand::Http {
            records,
            seed,
            queries,
            concurrency,
            seconds,
            no_facets,
            work_dir,
            json,
            reuse,
        } => {
            bench_http::run(bench_http::LoadOptions {
                bench: bench::BenchOptions {
                    records,
                    seed,
                    queries,
                    work_dir,
                    json,
                    reuse,
                },
                concurrency,
                seconds,
                facets: !no_facets,
            })
            .await
        }
        BenchCommand::Mt {
            model,
            batches,
            beams,
            threads,
            length,
            compute,
            seed,
            ct2,
            work_dir,
            json,
            inputs,
        } => bench_mt::run(bench_mt::MtBenchOptions {
            model,
            batches,
            beams,
            threads,
            compute,
            length,
            seed,
            ct2,
            work_dir,
            json,
            inputs,
        }),
        BenchCommand::Docs {
            pages,
            seed,
            runs,
            output,
            json,
        } => bench_docs::run(bench_docs::DocsBenchOptions {
            pages,
            seed,
            runs,
            output,
            json,
        }),
        BenchCommand::Tm {
            units,
            seed,
            queries,
            brute_force,
            postgres,
            work_dir,
            reuse,
            json,
        } => {
            bench_tm::run(bench_tm::TmBenchOptions {
                units,
                seed,
                queries,
                brute_force,
                postgres,
                work_dir,
                reuse,
                json,
            })
            .await
        }
    }
}

/// The data directory: the flag or $STDBRIDGE_DATA, else the per-user data directory.
fn data_dir(flag: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir);
    }
    directories::ProjectDirs::from("org", "stdbridge", "stdbridge")
        .map(|dirs| dirs.data_dir().to_owned())
        .context("no home directory to keep data in: give --data-dir or set STDBRIDGE_DATA")
}

pub(crate) async fn open(data_dir: &std::path::Path) -> anyhow::Result<Store> {
    Store::open(data_dir)
        .await
        .with_context(|| format!("opening the store in {}", data_dir.display()))
}

/// Brings the search index of the data directory up to date with the store; returns how
/// many standards were (re)indexed. Another process updating the index at the same time
/// is not an error: the next search or import catches up.
pub(crate) async fn sync_index(store: &Store, data_dir: &std::path::Path) -> anyhow::Result<u64> {
    let index = stdbridge_catalog::index::CatalogIndex::open(data_dir)?;
    match index.sync(store).await {
        Ok(report) => Ok(report.indexed),
        Err(error) => {
            tracing::warn!(
                "search index not brought up to date now ({error}); the next search will"
            );
            Ok(0)
        }
    }
}

/// Prints a value as pretty JSON on stdout.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// `12345` → `12,345`.
pub(crate) fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, ch) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
