//! Errors with kinds: what went wrong, said so that a person understands it, and of a
//! kind that callers tell apart — the HTTP layer maps kinds to status codes and stable
//! error codes, the CLI to exit codes.

use stdbridge_catalog::CatalogError;
use stdbridge_catalog::index::IndexError;
use stdbridge_content::EngineError;
use stdbridge_filters::FilterError;
use stdbridge_storage::StorageError;
use stdbridge_tm::TmError;

/// The kinds of failure a caller must tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// What was asked for does not exist (or the caller may not know it exists).
    NotFound,
    /// The input is wrong: a parameter, a file, a field; the message names it.
    Invalid,
    /// The request contradicts what is stored (a name that is taken, a stale version).
    Conflict,
    /// The caller is not known and must say who they are.
    Unauthenticated,
    /// The caller is known and may not do this.
    Forbidden,
    /// Too many attempts (signing in with wrong passwords): refused until the time the
    /// error's `retry_after` says.
    Throttled,
    /// A resource is busy or out of reach now (a full queue, an engine that does not
    /// answer): worth trying again later.
    Unavailable,
    /// Something failed inside: a bug, a broken store. Logged in full.
    Internal,
}

impl ErrorKind {
    /// The stable code of the kind in error answers.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not_found",
            ErrorKind::Invalid => "bad_parameter",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unauthenticated => "unauthenticated",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Throttled => "too_many_attempts",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        }
    }

    /// The exit status of a command that failed this way: 1 for an internal failure,
    /// 2 for bad input, 3 for nothing found, 4 for a conflict, 5 for a refusal, 6 for
    /// "try again later".
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Internal => 1,
            ErrorKind::Invalid => 2,
            ErrorKind::NotFound => 3,
            ErrorKind::Conflict => 4,
            ErrorKind::Unauthenticated | ErrorKind::Forbidden => 5,
            ErrorKind::Unavailable | ErrorKind::Throttled => 6,
        }
    }
}

/// An error of a use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    /// Its kind.
    pub kind: ErrorKind,
    /// The field or parameter at fault, when there is one (`q`, `limit`, a file name).
    pub field: Option<String>,
    /// What went wrong, for a person.
    pub message: String,
    /// For [`ErrorKind::Unavailable`]: seconds after which to try again.
    pub retry_after: Option<u64>,
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for AppError {}

impl AppError {
    fn new(kind: ErrorKind, message: impl Into<String>) -> AppError {
        AppError {
            kind,
            field: None,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Nothing there.
    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::NotFound, message)
    }

    /// Bad input, not tied to one field.
    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Invalid, message)
    }

    /// A bad field or parameter; the message says why.
    pub fn bad_field(field: &str, reason: impl Into<String>) -> AppError {
        AppError {
            field: Some(field.to_owned()),
            ..AppError::new(ErrorKind::Invalid, reason)
        }
    }

    /// A conflict with what is stored.
    pub fn conflict(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Conflict, message)
    }

    /// The caller must authenticate.
    pub fn unauthenticated(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Unauthenticated, message)
    }

    /// The caller may not.
    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Forbidden, message)
    }

    /// Busy or out of reach now; try again after `retry_after` seconds.
    pub fn unavailable(message: impl Into<String>, retry_after: u64) -> AppError {
        AppError {
            retry_after: Some(retry_after),
            ..AppError::new(ErrorKind::Unavailable, message)
        }
    }

    /// Too many attempts; try again after `retry_after` seconds.
    pub fn throttled(message: impl Into<String>, retry_after: u64) -> AppError {
        AppError {
            retry_after: Some(retry_after),
            ..AppError::new(ErrorKind::Throttled, message)
        }
    }

    /// An internal failure; logged here with everything it says.
    pub fn internal(error: impl std::fmt::Display) -> AppError {
        tracing::error!("internal error: {error}");
        AppError::new(ErrorKind::Internal, error.to_string())
    }

    /// The same error with `field` named, unless it names one already.
    pub fn with_field(mut self, field: &str) -> AppError {
        self.field.get_or_insert_with(|| field.to_owned());
        self
    }
}

impl From<StorageError> for AppError {
    fn from(error: StorageError) -> AppError {
        match error {
            StorageError::Url { .. } => AppError::bad_field("database_url", error.to_string()),
            StorageError::NotEmpty { .. } | StorageError::CopyMismatch { .. } => {
                AppError::conflict(error.to_string())
            }
            StorageError::Exists { .. } => AppError::conflict(error.to_string()),
            StorageError::Connect { .. } => AppError::unavailable(error.to_string(), 5),
            other => AppError::internal(other),
        }
    }
}

impl From<IndexError> for AppError {
    fn from(error: IndexError) -> AppError {
        match error {
            IndexError::Query(reason) => AppError::bad_field("q", reason),
            IndexError::Storage(storage) => storage.into(),
            other => AppError::internal(other),
        }
    }
}

impl From<CatalogError> for AppError {
    fn from(error: CatalogError) -> AppError {
        match error {
            CatalogError::Storage(storage) => storage.into(),
            CatalogError::Io { ref source, .. }
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                AppError::not_found(error.to_string())
            }
            CatalogError::Io { .. } => AppError::invalid(error.to_string()),
            other => AppError::invalid(other.to_string()),
        }
    }
}

impl From<TmError> for AppError {
    fn from(error: TmError) -> AppError {
        match error {
            TmError::Store(storage) => storage.into(),
            TmError::NotFound { .. } => AppError::not_found(error.to_string()),
            TmError::Exists { .. } => AppError::conflict(error.to_string()),
            TmError::Engine(engine) => engine.into(),
            TmError::Index(_) | TmError::Corrupt { .. } | TmError::Worker(_) => {
                AppError::internal(error)
            }
            TmError::Write { .. } => AppError::internal(error),
            TmError::Xml(_) | TmError::File { .. } | TmError::Invalid(_) => {
                AppError::invalid(error.to_string())
            }
        }
    }
}

impl From<FilterError> for AppError {
    fn from(error: FilterError) -> AppError {
        match error {
            FilterError::Io { ref source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                AppError::not_found(error.to_string())
            }
            other => AppError::invalid(other.to_string()),
        }
    }
}

impl From<EngineError> for AppError {
    fn from(error: EngineError) -> AppError {
        match error {
            EngineError::Unreachable { .. }
            | EngineError::Refused { .. }
            | EngineError::Malformed { .. } => AppError::unavailable(error.to_string(), 30),
            EngineError::Config(_) => AppError::bad_field("engine", error.to_string()),
            EngineError::Failed { .. } | EngineError::Cache(_) => AppError::internal(error),
        }
    }
}

impl From<stdbridge_text::SrxError> for AppError {
    fn from(error: stdbridge_text::SrxError) -> AppError {
        AppError::bad_field("srx", error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_stable_codes_and_exit_statuses() {
        let error = AppError::bad_field("limit", "\"abc\" is not a whole number");
        assert_eq!(error.kind.code(), "bad_parameter");
        assert_eq!(error.kind.exit_code(), 2);
        assert_eq!(error.to_string(), "limit: \"abc\" is not a whole number");
        assert_eq!(AppError::not_found("no standard").kind.exit_code(), 3);
        let busy = AppError::unavailable("the search queue is full", 1);
        assert_eq!(busy.retry_after, Some(1));
        assert_eq!(busy.kind.code(), "unavailable");
    }

    #[test]
    fn library_errors_keep_their_kind() {
        let query: AppError = IndexError::Query("status: \"alive\" is not one of …".into()).into();
        assert_eq!(query.kind, ErrorKind::Invalid);
        assert_eq!(query.field.as_deref(), Some("q"));
        let missing: AppError = TmError::NotFound {
            kind: "translation memory",
            name: "mine".into(),
        }
        .into();
        assert_eq!(missing.kind, ErrorKind::NotFound);
        let taken: AppError = TmError::Exists {
            kind: "translation memory",
            name: "mine".into(),
        }
        .into();
        assert_eq!(taken.kind, ErrorKind::Conflict);
        let unreachable: AppError = EngineError::Unreachable {
            engine: "deepl".into(),
            url: "http://127.0.0.1:9".into(),
            message: "connection refused".into(),
            attempts: 4,
        }
        .into();
        assert_eq!(unreachable.kind, ErrorKind::Unavailable);
    }
}
