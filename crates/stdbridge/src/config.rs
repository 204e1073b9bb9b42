//! The configuration the commands run with: a TOML file (`--config`, `STDBRIDGE_CONFIG`,
//! else `stdbridge.toml` in the per-user configuration directory when there is one) <
//! the environment < the flags. Only this module reads the environment.

use std::path::PathBuf;

use anyhow::Context;
use stdbridge_app::{Config, ConfigLayer};

use crate::cli::Cli;

/// The per-user directories of stdbridge.
fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("org", "stdbridge", "stdbridge")
}

/// The configuration of this run.
pub fn resolve(cli: &Cli) -> anyhow::Result<Config> {
    let file = config_file(cli)?;
    let environment = ConfigLayer::from_env(std::env::vars())?;
    let flags = ConfigLayer {
        data_dir: cli.data_dir.clone(),
        database_url: cli.database_url.clone(),
        ..ConfigLayer::default()
    };
    Ok(Config::resolve([file, environment, flags], || {
        project_dirs().map(|dirs| dirs.data_dir().to_owned())
    })?)
}

/// The layer of the configuration file, if there is one.
fn config_file(cli: &Cli) -> anyhow::Result<ConfigLayer> {
    let path: Option<PathBuf> = match &cli.config {
        Some(path) => Some(path.clone()),
        None => project_dirs()
            .map(|dirs| dirs.config_dir().join("stdbridge.toml"))
            .filter(|path| path.is_file()),
    };
    let Some(path) = path else {
        return Ok(ConfigLayer::default());
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading the configuration file {}", path.display()))?;
    Ok(ConfigLayer::from_toml(&text, &path)?)
}
