//! The stdbridge command line: arguments, progress bars and printing over the use cases
//! of `stdbridge-app` (and the benchmarks of `stdbridge-bench`).

#[macro_use]
mod output;
mod cli;
mod commands;
mod config;
mod progress;

use std::process::ExitCode;

use clap::Parser;

/// Imports allocate many small values (JSON trees, strings); mimalloc makes that cheaper
/// than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        // An export streamed into `| head`: the reader has what it wanted.
        Err(error) if output::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            exit_code(&error)
        }
    }
}

/// The exit status of a failed command: by the kind of the application's error (2 bad
/// input, 3 not found, 4 conflict, 5 refused, 6 try again later), else 1.
fn exit_code(error: &anyhow::Error) -> ExitCode {
    error
        .chain()
        .find_map(|cause| cause.downcast_ref::<stdbridge_app::AppError>())
        .map_or(ExitCode::FAILURE, |error| {
            ExitCode::from(error.kind.exit_code())
        })
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    // sqlx warns of every statement slower than a second (an index build, a large
    // import's commit): expected here, so only its errors are shown by default.
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("STDBRIDGE_LOG").unwrap_or_else(|_| {
            tracing_subscriber::EnvFilter::new(format!("{default},sqlx::query=error"))
        });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
