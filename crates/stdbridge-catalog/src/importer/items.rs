//! JSON records in either shape: JSON Lines, or one JSON document holding an item or a
//! list of items (shared by the Relaton and ISO Open Data readers).

use std::path::Path;

use serde_json::Value;
use stdbridge_core::Standard;

use super::batch::BatchSender;
use crate::CatalogError;
use crate::input::{Lines, ReadCounter, open};
use crate::relaton::ItemError;

/// JSON Lines, or one JSON document holding an item or a list of items.
pub(super) fn read_json_items(
    path: &Path,
    counter: &ReadCounter,
    sender: &mut BatchSender<'_>,
    read: impl Fn(&Value, u64) -> Result<(Standard, String), ItemError>,
) -> Result<(), CatalogError> {
    let mut lines = Lines::new(open(path, counter)?, path);
    let mut document = String::new();
    let mut first_line_is_item = None;
    while let Some((number, line)) = sender.next_text_line(&mut lines)? {
        let parsed = serde_json::from_str::<Value>(&line);
        if first_line_is_item.is_none() {
            first_line_is_item = Some(matches!(parsed, Ok(Value::Object(_))));
        }
        if first_line_is_item == Some(false) {
            // A pretty-printed document: gather it and read it whole below.
            document.push_str(&line);
            document.push('\n');
            continue;
        }
        match parsed {
            Ok(item) => match read(&item, number) {
                Ok((record, source)) => sender.accept(number, record, source)?,
                Err(ItemError(reason)) => sender.reject(number, reason)?,
            },
            Err(error) => sender.reject(number, crate::json::line_error(&error))?,
        }
    }
    if first_line_is_item == Some(false) {
        let value: Value =
            serde_json::from_str(&document).map_err(|error| CatalogError::Syntax {
                path: path.to_owned(),
                line: Some(error.line() as u64),
                reason: format!(
                    "JSON syntax error at column {}: {}",
                    error.column(),
                    crate::json::without_position(&error)
                ),
            })?;
        for (index, item) in crate::json::list(Some(&value)).into_iter().enumerate() {
            let position = index as u64 + 1;
            match read(item, position) {
                Ok((record, source)) => sender.accept(position, record, source)?,
                Err(ItemError(reason)) => {
                    sender.reject(position, format!("record {position}: {reason}"))?
                }
            }
        }
    }
    Ok(())
}
