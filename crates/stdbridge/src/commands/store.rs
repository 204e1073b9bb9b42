//! `stdbridge store copy|check`.

use std::process::ExitCode;

use stdbridge_app::model::{CheckReport, CopyReport};
use stdbridge_app::{App, Principal, store};

use crate::cli::StoreCommand;

const WHO: &Principal = &Principal::Operator;

pub async fn run(app: &App, action: StoreCommand) -> anyhow::Result<ExitCode> {
    match action {
        StoreCommand::Copy { from, to, json } => {
            let bar = crate::progress::counter(!json);
            let report = store::copy(app, WHO, &from, &to, |table, rows| {
                bar.set_message(format!("copying {table}"));
                bar.inc(rows.unsigned_abs());
            })
            .await;
            bar.finish_and_clear();
            let report = report?;
            if json {
                super::print_json(&report)?;
            } else {
                print_copy(&report);
            }
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Check { url, json } => {
            let report = store::check(app, WHO, url.as_deref()).await?;
            if json {
                super::print_json(&report)?;
            } else {
                print_check(&report);
            }
            Ok(if report.is_sound() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

fn print_copy(report: &CopyReport) {
    outln!("{:<18} {:>12} {:>12}", "table", "source", "target");
    for table in &report.tables {
        outln!(
            "{:<18} {:>12} {:>12}",
            table.table,
            table.source,
            table.target
        );
    }
    outln!(
        "copied {} rows; every table has the same count on both sides",
        report.rows
    );
}

fn print_check(report: &CheckReport) {
    for rule in &report.rules {
        let mark = if rule.violations == 0 { "ok " } else { "BAD" };
        if rule.violations == 0 {
            outln!("{mark} {}", rule.rule);
        } else {
            outln!("{mark} {} ({} rows break it)", rule.rule, rule.violations);
        }
    }
    if report.unreadable_records.is_empty() {
        outln!("ok  every record reads ({} standards)", report.records_read);
    } else {
        outln!(
            "BAD records that do not read: {}",
            report.unreadable_records.join(", ")
        );
    }
    for problem in &report.engine {
        outln!("BAD {}: {problem}", report.backend);
    }
    if report.engine.is_empty() {
        outln!("ok  {} reports no problem", report.backend);
    }
}
