//! Query parameters, read as text and checked one by one, so that a bad one is answered
//! with 400 and its name: unknown names, numbers out of range, unknown values.

use std::collections::HashMap;

use crate::ApiError;

/// The query parameters of one request.
pub struct Params {
    values: HashMap<String, String>,
}

impl Params {
    /// The parameters, refused if any is not among `known` (the route's own).
    pub fn checked(
        values: HashMap<String, String>,
        known: &[&str],
        route: &str,
    ) -> Result<Params, ApiError> {
        match values.keys().find(|name| !known.contains(&name.as_str())) {
            Some(name) => Err(ApiError::bad_parameter(
                name,
                &format!("is not a parameter of {route} ({})", known.join(", ")),
            )),
            None => Ok(Params { values }),
        }
    }

    /// The parameters as given, unchecked (for pages, which ignore what they do not know).
    pub fn lenient(values: HashMap<String, String>) -> Params {
        Params { values }
    }

    /// A text parameter.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// A whole number within `range`, or `default` when absent.
    pub fn number(
        &self,
        name: &str,
        default: usize,
        range: std::ops::RangeInclusive<usize>,
    ) -> Result<usize, ApiError> {
        let Some(text) = self.text(name) else {
            return Ok(default);
        };
        let value: usize = text.parse().map_err(|_| {
            ApiError::bad_parameter(name, &format!("{text:?} is not a whole number"))
        })?;
        if !range.contains(&value) {
            return Err(ApiError::bad_parameter(
                name,
                &format!("must be between {} and {}", range.start(), range.end()),
            ));
        }
        Ok(value)
    }

    /// A true/false parameter, `default` when absent.
    pub fn flag(&self, name: &str, default: bool) -> Result<bool, ApiError> {
        match self.text(name) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(other) => Err(ApiError::bad_parameter(
                name,
                &format!("{other:?} is not true or false"),
            )),
        }
    }

    /// A language among `known`, `default` when absent.
    pub fn language(
        &self,
        name: &str,
        known: &[&str],
        default: &'static str,
    ) -> Result<String, ApiError> {
        match self.text(name) {
            None => Ok(default.to_owned()),
            Some(lang) if known.contains(&lang) => Ok(lang.to_owned()),
            Some(other) => Err(ApiError::bad_parameter(
                name,
                &format!("{other:?} is not one of {}", known.join(", ")),
            )),
        }
    }
}
