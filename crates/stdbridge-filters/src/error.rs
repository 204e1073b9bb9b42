//! Errors of the filters: each names the file (and part, line or unit) and the reason.

use std::path::PathBuf;

use thiserror::Error;

/// Something a filter cannot read, write or merge.
#[derive(Debug, Error)]
pub enum FilterError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// XML that is not well formed or not allowed.
    #[error("{part}:{line}: {message}")]
    Xml {
        /// File or part inside a package.
        part: String,
        /// 1-based line.
        line: u64,
        /// Why.
        message: String,
    },
    /// A package (zip) that is unsafe or broken: bomb, traversal, too big.
    #[error("{file}: {message}")]
    Package {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
    /// The content is not what the format requires.
    #[error("{file}: {message}")]
    Invalid {
        /// The file (and where in it).
        file: String,
        /// Why.
        message: String,
    },
    /// A translation whose inline codes do not fit the source.
    #[error("unit {unit}, {}: {problems} (use --repair to fix the codes)", if *segment == 0 { "its whole target".to_owned() } else { format!("segment {segment}") })]
    Codes {
        /// The unit id.
        unit: String,
        /// 1-based segment number in the unit; 0 for a target of the whole unit.
        segment: usize,
        /// What is wrong.
        problems: String,
    },
    /// A format this build does not read.
    #[error("{0}")]
    Unsupported(String),
}

impl FilterError {
    /// An XML error at a line of a part.
    pub fn xml(part: &str, line: u64, message: impl Into<String>) -> FilterError {
        FilterError::Xml {
            part: part.to_string(),
            line,
            message: message.into(),
        }
    }

    /// Invalid content in a file.
    pub fn invalid(file: impl Into<String>, message: impl Into<String>) -> FilterError {
        FilterError::Invalid {
            file: file.into(),
            message: message.into(),
        }
    }

    /// An unsafe or broken package.
    pub fn package(file: impl Into<String>, message: impl Into<String>) -> FilterError {
        FilterError::Package {
            file: file.into(),
            message: message.into(),
        }
    }
}
