//! Which store: a URL (`sqlite://PATH`, `sqlite:PATH`, `postgres://…`), or, with none,
//! the SQLite file in the data directory.

use std::path::{Path, PathBuf};

use crate::{DATABASE_FILE, StorageError};

/// A store's address.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL database (`postgres://user:password@host:port/database`).
    Postgres(String),
}

impl StoreUrl {
    /// The embedded default: the SQLite file of a data directory.
    pub fn in_data_dir(data_dir: &Path) -> StoreUrl {
        StoreUrl::Sqlite(data_dir.join(DATABASE_FILE))
    }

    /// Reads a database URL: `sqlite://PATH` (`sqlite:///abs/path`, `sqlite://rel/path`),
    /// `sqlite:PATH`, or `postgres://…` / `postgresql://…`. A scheme this build does not
    /// know is refused with its name.
    pub fn parse(text: &str) -> Result<StoreUrl, StorageError> {
        let text = text.trim();
        let invalid = |reason: &str| StorageError::Url {
            url: redact(text),
            reason: reason.to_owned(),
        };
        let Some((scheme, rest)) = text.split_once(':') else {
            return Err(invalid("no scheme (sqlite://PATH)"));
        };
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => {
                let path = rest.strip_prefix("//").unwrap_or(rest);
                let path = path.split('?').next().unwrap_or_default();
                if path.is_empty() {
                    return Err(invalid("no file after sqlite://"));
                }
                Ok(StoreUrl::Sqlite(PathBuf::from(path)))
            }
            "postgres" | "postgresql" => {
                let after = rest
                    .strip_prefix("//")
                    .ok_or_else(|| invalid("write postgres://user@host:port/database"))?;
                if after.is_empty() {
                    return Err(invalid(
                        "nothing after postgres:// (postgres://user@host:port/database)",
                    ));
                }
                Ok(StoreUrl::Postgres(text.to_owned()))
            }
            other => Err(invalid(&format!(
                "unknown scheme {other:?} (sqlite://PATH or postgres://user@host/database)"
            ))),
        }
    }
}

/// A URL with any password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

impl std::fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            StoreUrl::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

impl std::fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_a_file() {
        assert_eq!(
            StoreUrl::parse("sqlite:///var/lib/stdbridge/store.sqlite").ok(),
            Some(StoreUrl::Sqlite(PathBuf::from(
                "/var/lib/stdbridge/store.sqlite"
            )))
        );
        assert_eq!(
            StoreUrl::parse("sqlite://data/store.sqlite").ok(),
            Some(StoreUrl::Sqlite(PathBuf::from("data/store.sqlite")))
        );
        assert_eq!(
            StoreUrl::parse("sqlite:store.sqlite?mode=rwc").ok(),
            Some(StoreUrl::Sqlite(PathBuf::from("store.sqlite")))
        );
    }

    #[test]
    fn postgres_urls_are_kept_whole_and_shown_without_password() {
        let url = StoreUrl::parse("postgresql://app:pa55@db:5432/std").expect("a PostgreSQL URL");
        assert_eq!(
            url,
            StoreUrl::Postgres("postgresql://app:pa55@db:5432/std".to_owned())
        );
        assert_eq!(url.to_string(), "postgresql://app:***@db:5432/std");
        assert!(StoreUrl::parse("postgres://").is_err());
        assert!(StoreUrl::parse("postgres:db").is_err());
    }

    #[test]
    fn other_urls_are_refused_and_passwords_never_shown() {
        let error = StoreUrl::parse("mysql://root:secret@db/test")
            .expect_err("unknown scheme")
            .to_string();
        assert!(error.contains("unknown scheme \"mysql\""), "{error}");
        assert!(!error.contains("secret"), "{error}");
        assert!(StoreUrl::parse("sqlite://").is_err());
        assert!(StoreUrl::parse("no scheme").is_err());
        assert_eq!(
            redact("postgres://app:pa55@db:5432/std"),
            "postgres://app:***@db:5432/std"
        );
    }
}
