//! The terminology check: a required term missing from a translation, or a forbidden one
//! in it.

use serde::Serialize;

use crate::engine::TermConstraint;

/// A term problem in one translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TermProblem {
    /// The source has `source`, the translation lacks `required`.
    Missing {
        /// The source term.
        source: String,
        /// The translation it needs.
        required: String,
    },
    /// The translation uses a term the termbase forbids.
    Forbidden {
        /// The source term.
        source: String,
        /// The forbidden translation found.
        found: String,
    },
}

impl std::fmt::Display for TermProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TermProblem::Missing { source, required } => write!(
                f,
                "{source} must be translated {required:?}, which is missing"
            ),
            TermProblem::Forbidden { source, found } => write!(
                f,
                "{source} is translated {found:?}, which the termbase forbids"
            ),
        }
    }
}

/// The problems of `translation` against the terms of its source (case does not matter).
pub fn check(translation: &str, terms: &[TermConstraint]) -> Vec<TermProblem> {
    let folded = translation.to_lowercase();
    let mut problems = Vec::new();
    for term in terms {
        if !term.target.is_empty() && !folded.contains(&term.target.to_lowercase()) {
            problems.push(TermProblem::Missing {
                source: term.source.clone(),
                required: term.target.clone(),
            });
        }
        for forbidden in &term.forbidden {
            if !forbidden.is_empty()
                && folded.contains(&forbidden.to_lowercase())
                && !term
                    .target
                    .to_lowercase()
                    .contains(&forbidden.to_lowercase())
            {
                problems.push(TermProblem::Forbidden {
                    source: term.source.clone(),
                    found: forbidden.clone(),
                });
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_forbidden_terms_are_found() {
        let terms = vec![
            TermConstraint {
                source: "应".into(),
                target: "shall".into(),
                forbidden: vec!["must".into()],
            },
            TermConstraint {
                source: "集装箱".into(),
                target: "freight container".into(),
                forbidden: Vec::new(),
            },
        ];
        assert!(check("The Freight Container shall be tested.", &terms).is_empty());
        let problems = check("The container must be tested.", &terms);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().any(|p| {
            p.to_string()
                .contains("\"must\", which the termbase forbids")
        }));
    }
}
