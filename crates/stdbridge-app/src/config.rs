//! The configuration of the composition root, in layers: defaults < a TOML file <
//! environment variables < command-line flags. Each layer only says what it sets; the
//! binary reads the file, the environment and the flags and hands them over, so that
//! nothing below it reads configuration itself. Secrets (engine keys) never show in
//! `Debug` or in messages.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use stdbridge_storage::StoreUrl;

use crate::AppError;

/// A secret value: shown as `***`.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// Keys of the machine translation engines.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct EngineKeys {
    /// LibreTranslate's API key.
    pub libretranslate: Option<Secret>,
    /// The OpenAI-compatible server's key.
    pub openai: Option<Secret>,
    /// DeepL's key.
    pub deepl: Option<Secret>,
}

impl EngineKeys {
    fn over(self, lower: EngineKeys) -> EngineKeys {
        EngineKeys {
            libretranslate: self.libretranslate.or(lower.libretranslate),
            openai: self.openai.or(lower.openai),
            deepl: self.deepl.or(lower.deepl),
        }
    }
}

/// One layer of configuration: what a file, the environment or the flags set.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ConfigLayer {
    /// The data directory (store, indexes, models, demo files).
    pub data_dir: Option<PathBuf>,
    /// The store's URL (`sqlite://PATH`); the data directory's SQLite file when unset.
    pub database_url: Option<String>,
    /// Where the search indexes live (default: `DATA_DIR/index`).
    pub index_dir: Option<PathBuf>,
    /// Where local MT models are kept (default: `DATA_DIR/models`).
    pub models_dir: Option<PathBuf>,
    /// Whether the catalogue may be read without an account (default: true).
    pub catalogue_public: Option<bool>,
    /// Threads for processor-bound work of requests (default: the cores).
    pub cpu_workers: Option<usize>,
    /// Requests that may wait for such a thread before new ones are refused (default 64).
    pub cpu_queue: Option<usize>,
    /// How often a server looks at the store's change log, in milliseconds (default 250).
    pub follow_interval_ms: Option<u64>,
    /// A server's limits and who may read its metrics (the `[http]` table).
    #[serde(default)]
    pub http: HttpLayer,
    /// Engine keys.
    #[serde(default)]
    pub keys: EngineKeys,
}

/// A server's settings as a layer sets them.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HttpLayer {
    /// Time a request may take before it is answered 503, in milliseconds (default 30 s).
    pub request_timeout_ms: Option<u64>,
    /// Time a client has to send a request's headers (and a connection may stay idle), in
    /// milliseconds (default 10 s).
    pub header_timeout_ms: Option<u64>,
    /// Connections served at once (default 512).
    pub max_connections: Option<usize>,
    /// When set, `/metrics` wants `Authorization: Bearer TOKEN`.
    pub metrics_token: Option<Secret>,
    /// When set, only these addresses or networks (`127.0.0.1`, `10.0.0.0/8`) may read
    /// `/metrics`.
    pub metrics_allow: Option<Vec<String>>,
}

impl HttpLayer {
    fn over(self, lower: HttpLayer) -> HttpLayer {
        HttpLayer {
            request_timeout_ms: self.request_timeout_ms.or(lower.request_timeout_ms),
            header_timeout_ms: self.header_timeout_ms.or(lower.header_timeout_ms),
            max_connections: self.max_connections.or(lower.max_connections),
            metrics_token: self.metrics_token.or(lower.metrics_token),
            metrics_allow: self.metrics_allow.or(lower.metrics_allow),
        }
    }
}

/// A server's settings, every value decided.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Time a request may take.
    pub request_timeout: Duration,
    /// Time for a request's headers, and for idling between requests.
    pub header_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// The bearer token `/metrics` wants, if any.
    pub metrics_token: Option<Secret>,
    /// Who may read `/metrics` (empty: anyone).
    pub metrics_allow: Vec<String>,
}

impl HttpSettings {
    fn of(layer: HttpLayer) -> HttpSettings {
        HttpSettings {
            request_timeout: Duration::from_millis(
                layer.request_timeout_ms.unwrap_or(30_000).max(100),
            ),
            header_timeout: Duration::from_millis(
                layer.header_timeout_ms.unwrap_or(10_000).max(100),
            ),
            max_connections: layer.max_connections.unwrap_or(512).max(1),
            metrics_token: layer.metrics_token,
            metrics_allow: layer.metrics_allow.unwrap_or_default(),
        }
    }
}

impl ConfigLayer {
    /// A layer from a TOML file's text; an error names the file, the line and the key.
    pub fn from_toml(text: &str, origin: &Path) -> Result<ConfigLayer, AppError> {
        toml::from_str(text).map_err(|error| {
            let line = error
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            let at = line.map(|l| format!(":{l}")).unwrap_or_default();
            AppError::invalid(format!(
                "{}{at}: {}",
                origin.display(),
                error.message().trim()
            ))
        })
    }

    /// The layer the environment sets: `STDBRIDGE_DATA`, `STDBRIDGE_DATABASE_URL`,
    /// `STDBRIDGE_INDEX_DIR`, `STDBRIDGE_MODELS_DIR`, `STDBRIDGE_CATALOGUE_PUBLIC`,
    /// `STDBRIDGE_CPU_WORKERS`, `STDBRIDGE_CPU_QUEUE`, `STDBRIDGE_LIBRETRANSLATE_KEY`,
    /// `STDBRIDGE_OPENAI_KEY`, `STDBRIDGE_DEEPL_KEY`. Empty values count as unset.
    pub fn from_env(
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<ConfigLayer, AppError> {
        let mut layer = ConfigLayer::default();
        for (name, value) in vars {
            if value.is_empty() {
                continue;
            }
            let number = |value: &str| {
                value.parse::<usize>().map_err(|_| {
                    AppError::bad_field(&name, format!("{value:?} is not a whole number"))
                })
            };
            match name.as_str() {
                "STDBRIDGE_DATA" => layer.data_dir = Some(PathBuf::from(value)),
                "STDBRIDGE_DATABASE_URL" => layer.database_url = Some(value),
                "STDBRIDGE_INDEX_DIR" => layer.index_dir = Some(PathBuf::from(value)),
                "STDBRIDGE_MODELS_DIR" => layer.models_dir = Some(PathBuf::from(value)),
                "STDBRIDGE_CATALOGUE_PUBLIC" => {
                    layer.catalogue_public = Some(match value.as_str() {
                        "1" | "true" | "yes" => true,
                        "0" | "false" | "no" => false,
                        other => {
                            return Err(AppError::bad_field(
                                &name,
                                format!("{other:?} is not true or false"),
                            ));
                        }
                    });
                }
                "STDBRIDGE_CPU_WORKERS" => layer.cpu_workers = Some(number(&value)?),
                "STDBRIDGE_CPU_QUEUE" => layer.cpu_queue = Some(number(&value)?),
                "STDBRIDGE_METRICS_TOKEN" => layer.http.metrics_token = Some(Secret(value)),
                "STDBRIDGE_LIBRETRANSLATE_KEY" => layer.keys.libretranslate = Some(Secret(value)),
                "STDBRIDGE_OPENAI_KEY" => layer.keys.openai = Some(Secret(value)),
                "STDBRIDGE_DEEPL_KEY" => layer.keys.deepl = Some(Secret(value)),
                _ => {}
            }
        }
        Ok(layer)
    }

    /// This layer over `lower`: what this one sets wins.
    pub fn over(self, lower: ConfigLayer) -> ConfigLayer {
        ConfigLayer {
            data_dir: self.data_dir.or(lower.data_dir),
            database_url: self.database_url.or(lower.database_url),
            index_dir: self.index_dir.or(lower.index_dir),
            models_dir: self.models_dir.or(lower.models_dir),
            catalogue_public: self.catalogue_public.or(lower.catalogue_public),
            cpu_workers: self.cpu_workers.or(lower.cpu_workers),
            cpu_queue: self.cpu_queue.or(lower.cpu_queue),
            follow_interval_ms: self.follow_interval_ms.or(lower.follow_interval_ms),
            http: self.http.over(lower.http),
            keys: self.keys.over(lower.keys),
        }
    }
}

/// The configuration, every value decided.
#[derive(Debug, Clone)]
pub struct Config {
    /// The data directory.
    pub data_dir: PathBuf,
    /// The store.
    pub store: StoreUrl,
    /// Where the search indexes live.
    pub index_dir: PathBuf,
    /// Where local MT models are kept.
    pub models_dir: PathBuf,
    /// Whether the catalogue may be read without an account.
    pub catalogue_public: bool,
    /// Threads for processor-bound work of requests.
    pub cpu_workers: usize,
    /// Requests that may wait for such a thread.
    pub cpu_queue: usize,
    /// How often a server follows the change log.
    pub follow_interval: Duration,
    /// A server's limits.
    pub http: HttpSettings,
    /// Engine keys.
    pub keys: EngineKeys,
}

impl Config {
    /// Decides every value from `layers`, lowest first (file, environment, flags); the data
    /// directory falls back to `default_data_dir`.
    pub fn resolve(
        layers: impl IntoIterator<Item = ConfigLayer>,
        default_data_dir: impl FnOnce() -> Option<PathBuf>,
    ) -> Result<Config, AppError> {
        let merged = layers
            .into_iter()
            .fold(ConfigLayer::default(), |lower, upper| upper.over(lower));
        let data_dir = match merged.data_dir.clone() {
            Some(dir) => dir,
            None => default_data_dir().ok_or_else(|| {
                AppError::bad_field(
                    "data_dir",
                    "there is no home directory to keep data in: give --data-dir or set STDBRIDGE_DATA",
                )
            })?,
        };
        let store = match &merged.database_url {
            Some(url) => StoreUrl::parse(url)?,
            None => StoreUrl::in_data_dir(&data_dir),
        };
        Ok(Config::decided(merged, data_dir, store))
    }

    /// Every value of `merged` decided, defaults where it sets nothing.
    fn decided(merged: ConfigLayer, data_dir: PathBuf, store: StoreUrl) -> Config {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Config {
            index_dir: merged.index_dir.unwrap_or_else(|| data_dir.join("index")),
            models_dir: merged.models_dir.unwrap_or_else(|| data_dir.join("models")),
            catalogue_public: merged.catalogue_public.unwrap_or(true),
            cpu_workers: merged.cpu_workers.unwrap_or(cores).max(1),
            cpu_queue: merged.cpu_queue.unwrap_or(64),
            follow_interval: Duration::from_millis(
                merged.follow_interval_ms.unwrap_or(250).max(10),
            ),
            http: HttpSettings::of(merged.http),
            keys: merged.keys,
            store,
            data_dir,
        }
    }

    /// The defaults for a data directory (tests, benchmarks).
    pub fn for_data_dir(data_dir: &Path) -> Config {
        Config::decided(
            ConfigLayer::default(),
            data_dir.to_owned(),
            StoreUrl::in_data_dir(data_dir),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> ConfigLayer {
        ConfigLayer::from_env(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        )
        .expect("a valid environment")
    }

    #[test]
    fn flags_beat_the_environment_which_beats_the_file() {
        let file = ConfigLayer::from_toml(
            "data_dir = \"/from/file\"\ncpu_queue = 8\n[keys]\ndeepl = \"file-key\"\n",
            Path::new("stdbridge.toml"),
        )
        .expect("valid TOML");
        let environment = env(&[("STDBRIDGE_DATA", "/from/env"), ("STDBRIDGE_CPU_QUEUE", "")]);
        let flags = ConfigLayer {
            database_url: Some("sqlite:///tmp/flag.sqlite".into()),
            ..ConfigLayer::default()
        };
        let config = Config::resolve([file, environment, flags], || None).expect("resolves");
        assert_eq!(config.data_dir, PathBuf::from("/from/env"));
        assert_eq!(
            config.store,
            StoreUrl::Sqlite(PathBuf::from("/tmp/flag.sqlite"))
        );
        assert_eq!(
            config.cpu_queue, 8,
            "an empty variable leaves the file's value"
        );
        assert_eq!(config.index_dir, PathBuf::from("/from/env/index"));
        assert_eq!(
            config.keys.deepl.as_ref().map(Secret::expose),
            Some("file-key")
        );
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let layer = env(&[("STDBRIDGE_DEEPL_KEY", "s3cret-key")]);
        let config = Config::resolve([layer], || Some(PathBuf::from("/data"))).expect("resolves");
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret-key"), "{shown}");
        assert!(shown.contains("***"), "{shown}");
    }

    #[test]
    fn bad_layers_are_named() {
        let error = ConfigLayer::from_toml("data_dir = 3\n", Path::new("/etc/stdbridge.toml"))
            .expect_err("a number is not a path");
        assert!(
            error.to_string().starts_with("/etc/stdbridge.toml:1:"),
            "{error}"
        );
        let unknown = ConfigLayer::from_toml("colour = \"red\"\n", Path::new("a.toml"))
            .expect_err("unknown key");
        assert!(unknown.to_string().contains("colour"), "{unknown}");
        let error =
            ConfigLayer::from_env([("STDBRIDGE_CPU_WORKERS".to_owned(), "many".to_owned())])
                .expect_err("not a number");
        assert_eq!(error.field.as_deref(), Some("STDBRIDGE_CPU_WORKERS"));
        assert!(Config::resolve([ConfigLayer::default()], || None).is_err());
    }
}
