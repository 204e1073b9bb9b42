//! `stdbridge mt` (one line through an engine, with the term check) and `stdbridge
//! models list|add`.

use std::process::ExitCode;

use stdbridge_app::model::ModelInfo;
use stdbridge_app::mt::{self, LineRequest};
use stdbridge_app::{App, Principal};

use crate::cli::ModelsCommand;

const WHO: &Principal = &Principal::Operator;

/// `stdbridge mt`: exit status 3 when a term is wrong.
pub async fn run(app: &App, request: LineRequest) -> anyhow::Result<ExitCode> {
    let text = request.text.clone();
    let spec = request.engine.clone();
    let translated = mt::translate_line(app, WHO, request).await?;
    let Some(target) = translated.target else {
        outln!("{text}");
        eprintln!("the engine {spec:?} gave no translation");
        return Ok(ExitCode::FAILURE);
    };
    outln!("{target}");
    for problem in &translated.problems {
        eprintln!("term: {problem}");
    }
    Ok(if translated.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

/// `stdbridge models list|add`.
pub fn models(app: &App, action: ModelsCommand) -> anyhow::Result<ExitCode> {
    match action {
        ModelsCommand::Add { dir: source, name } => {
            let info = mt::add_model(app, WHO, &source, name.as_deref())?;
            outln!("{}", describe(&info));
        }
        ModelsCommand::List { json } => {
            let found = mt::list_models(app, WHO)?;
            if json {
                let entries: Vec<serde_json::Value> = found
                    .iter()
                    .map(|m| match m {
                        Ok(info) => serde_json::json!(info),
                        Err(error) => serde_json::json!({"error": error.to_string()}),
                    })
                    .collect();
                super::print_json(&entries)?;
            } else if found.is_empty() {
                outln!(
                    "no models in {} (add one with `stdbridge models add DIR`)",
                    app.config().models_dir.display()
                );
            } else {
                for model in found {
                    match model {
                        Ok(info) => outln!("{}", describe(&info)),
                        Err(error) => outln!("broken: {error}"),
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(info: &ModelInfo) -> String {
    let languages = info
        .languages
        .as_ref()
        .map(|(s, t)| format!("{s}→{t} "))
        .unwrap_or_default();
    let parameters = info
        .parameters
        .map(|p| format!(", {} parameters", super::thousands(p)))
        .unwrap_or_default();
    format!(
        "{:24} {languages}{} d_model {}, {}+{} layers, {} heads, FFN {}, vocabulary {}{parameters} ({})",
        info.name,
        info.model_type,
        info.d_model,
        info.layers.0,
        info.layers.1,
        info.heads,
        info.ffn,
        info.vocab_size,
        info.weights
    )
}
