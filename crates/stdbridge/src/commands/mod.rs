//! One module per area of commands; each calls the use cases of `stdbridge-app` and
//! prints their results.

mod bench;
mod catalog;
mod demo;
mod documents;
mod jobs;
mod mt;
mod qa;
mod segment;
mod serve;
mod store;
mod term;
mod tm;
mod user;

use std::process::ExitCode;

use stdbridge_app::App;

use crate::cli::{Cli, Command};

/// Runs the command the user asked for.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let database_url = cli.database_url.clone();
    let command = match cli.command {
        Command::GenCatalog {
            records,
            seed,
            output,
        } => return stdbridge_bench::gen_catalog::run(records, seed, output.as_deref()),
        Command::GenTm {
            units,
            seed,
            output,
        } => return stdbridge_bench::gen_tm::run(units, seed, output.as_deref()),
        Command::Bench { what } => return bench::run(what, database_url).await,
        other => other,
    };
    let config = crate::config::resolve(&Cli {
        command: Command::Demo,
        ..cli
    })?;
    let app = App::new(config);
    let code = dispatch(&app, command).await;
    app.close().await;
    code
}

async fn dispatch(app: &App, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Demo => demo::run(app).await,
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
            segment::run(app, options).await
        }
        Command::Models { action } => mt::models(app, action),
        Command::Merge {
            input,
            output,
            repair,
        } => documents::merge(app, &input, &output, repair),
        Command::Tm { action } => tm::run(app, action).await,
        Command::Term { action } => term::run(app, action).await,
        Command::Jobs { action } => jobs::run(app, action).await,
        Command::Store { action } => store::run(app, action).await,
        Command::Import {
            paths,
            format,
            json,
            strict,
        } => catalog::import(app, paths, format, json, strict).await,
        Command::Reindex { json } => catalog::reindex(app, json).await,
        Command::Show { designation, json } => catalog::show(app, &designation, json).await,
        Command::Search {
            query,
            limit,
            offset,
            json,
        } => catalog::search(app, &query, limit, offset, json).await,
        Command::Stats { json } => catalog::stats(app, json).await,
        Command::Serve { addr, demo } => serve::run(app, addr, demo).await,
        Command::Changes { since, limit, json } => catalog::changes(app, since, limit, json).await,
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
            documents::translate(app, job).await
        }
        Command::Extract {
            input,
            output,
            pipeline,
        } => documents::extract(app, &input, &output, &pipeline).await,
        Command::Mt {
            text,
            engine,
            from,
            to,
            termbase,
        } => {
            let request = stdbridge_app::mt::LineRequest {
                engine,
                from,
                to,
                termbases: termbase,
                text,
            };
            mt::run(app, request).await
        }
        Command::Analyze {
            inputs,
            pipeline,
            json,
        } => documents::analyze(app, &inputs, &pipeline, json).await,
        Command::User { action } => user::run(app, action).await,
        Command::Group { action } => user::run_group(app, action).await,
        Command::Qa {
            files,
            from,
            to,
            termbase,
            rules,
            checks,
            source,
            json,
        } => {
            let args = qa::QaArgs {
                files,
                from,
                to,
                termbases: termbase,
                rules,
                checks,
                source,
                json,
            };
            qa::run(app, args).await
        }
        // Handled before the application is built.
        Command::GenCatalog { .. } | Command::GenTm { .. } | Command::Bench { .. } => {
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints a value as pretty JSON on stdout.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// `12345` → `12,345`.
pub(crate) fn thousands(value: u64) -> String {
    stdbridge_bench::thousands(value)
}
