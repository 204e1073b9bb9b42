//! `stdbridge bench …`, `gen-catalog`, `gen-tm`: the benchmarks and generators of
//! `stdbridge-bench`, each working in a directory of its own.

use std::process::ExitCode;

use crate::cli::BenchCommand;

/// Runs a benchmark; each works in a directory of its own.
pub async fn run(what: BenchCommand, database_url: Option<String>) -> anyhow::Result<ExitCode> {
    match what {
        BenchCommand::Store {
            records,
            seed,
            file_records,
            probes,
            work_dir,
            json,
        } => {
            let Some(database_url) = database_url else {
                anyhow::bail!(
                    "bench store needs a PostgreSQL server: --database-url postgres://USER@HOST/DATABASE"
                );
            };
            stdbridge_bench::store::run(stdbridge_bench::store::StoreBenchOptions {
                records,
                seed,
                database_url,
                file_records,
                probes,
                work_dir,
                json,
            })
            .await
        }
        BenchCommand::Qa {
            segments,
            seed,
            rounds,
            json,
        } => {
            stdbridge_bench::qa::run(stdbridge_bench::qa::QaBenchOptions {
                segments,
                seed,
                rounds,
                json,
            })
            .await
        }
        BenchCommand::Search {
            records,
            seed,
            queries,
            work_dir,
            json,
        } => {
            stdbridge_bench::search::run(stdbridge_bench::search::BenchOptions {
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
            stdbridge_bench::http::run(stdbridge_bench::http::LoadOptions {
                bench: stdbridge_bench::search::BenchOptions {
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
            rounds,
            json,
            inputs,
        } => stdbridge_bench::mt::run(stdbridge_bench::mt::MtBenchOptions {
            model,
            batches,
            beams,
            threads,
            compute,
            length,
            seed,
            ct2,
            work_dir,
            rounds,
            json,
            inputs,
        }),
        BenchCommand::Docs {
            pages,
            seed,
            runs,
            output,
            json,
        } => stdbridge_bench::docs::run(stdbridge_bench::docs::DocsBenchOptions {
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
            stdbridge_bench::tm::run(stdbridge_bench::tm::TmBenchOptions {
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
