//! `stdbridge jobs list|show`.

use std::process::ExitCode;

use stdbridge_app::jobs::{self, JobView};
use stdbridge_app::{App, Principal};

use crate::cli::JobsCommand;

const WHO: &Principal = &Principal::Operator;

pub async fn run(app: &App, action: JobsCommand) -> anyhow::Result<ExitCode> {
    match action {
        JobsCommand::List { limit, json } => {
            let list = jobs::list(app, WHO, limit).await?;
            if json {
                super::print_json(&list)?;
            } else if list.is_empty() {
                outln!("no jobs");
            } else {
                for job in &list {
                    outln!("{}", line(job));
                }
            }
        }
        JobsCommand::Show { id, json } => {
            let job = jobs::job(app, WHO, id).await?;
            if json {
                super::print_json(&job)?;
            } else {
                outln!("{}", line(&job));
                if let Some(error) = &job.error {
                    outln!("  error: {error}");
                }
                if let Some(result) = &job.result {
                    outln!("  result: {result}");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn line(job: &JobView) -> String {
    let progress = if job.total > 0 {
        format!("{}/{}", job.done, job.total)
    } else {
        job.done.to_string()
    };
    format!(
        "#{:<5} {:12} {:11} {:>14}  {}  {}  ({})",
        job.id,
        job.kind,
        job.state.as_str(),
        progress,
        job.created,
        job.title,
        job.owner
    )
}
