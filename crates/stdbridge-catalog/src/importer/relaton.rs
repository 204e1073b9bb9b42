//! Relaton: JSON Lines (or a JSON document) and YAML files, in both schema generations.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;
use stdbridge_core::Standard;

use super::batch::BatchSender;
use super::items::read_json_items;
use super::{RecordReader, is_yaml};
use crate::CatalogError;
use crate::input::{Lines, ReadCounter, open, read_to_string};
use crate::relaton::ItemError;

/// Relaton records: YAML files one way, JSON the other.
pub(super) struct RelatonReader;

impl RecordReader for RelatonReader {
    fn read(
        &self,
        path: &Path,
        counter: &ReadCounter,
        sender: &mut BatchSender<'_>,
    ) -> Result<(), CatalogError> {
        if is_yaml(path) {
            read_relaton_yaml(path, counter, sender)
        } else {
            read_relaton_lines(path, counter, sender)
        }
    }
}

/// The record and its source name (see [`crate::relaton::read_item`]).
fn relaton_record(item: &Value) -> Result<(Standard, String), ItemError> {
    let item =
        crate::relaton::Item::deserialize(item).map_err(|error| ItemError(error.to_string()))?;
    crate::relaton::read_item(item)
}

/// Relaton JSON Lines, read straight into the records (no JSON tree); a file that is one
/// JSON document (an item or a list) is read whole.
fn read_relaton_lines(
    path: &Path,
    counter: &ReadCounter,
    sender: &mut BatchSender<'_>,
) -> Result<(), CatalogError> {
    let mut lines = Lines::new(open(path, counter)?, path);
    while let Some((number, line)) = sender.next_text_line(&mut lines)? {
        if number == 1 && is_document_start(&line) {
            // Not JSON Lines: a pretty-printed document.
            return read_json_items(path, counter, sender, |item, _| relaton_record(item));
        }
        match crate::relaton::read_json_line(&line) {
            Ok((record, source)) => sender.accept(number, record, source)?,
            Err(ItemError(reason)) => sender.reject(number, reason)?,
        }
    }
    Ok(())
}

/// Whether the first line opens a pretty-printed JSON document rather than holding a
/// whole JSON Lines record.
fn is_document_start(line: &str) -> bool {
    let line = line.trim();
    line == "{" || line.starts_with('[')
}

fn read_relaton_yaml(
    path: &Path,
    counter: &ReadCounter,
    sender: &mut BatchSender<'_>,
) -> Result<(), CatalogError> {
    // A YAML file holds one record (or a few): a file that cannot be read as YAML is a
    // rejected record, so that one bad file does not stop a directory of them.
    let text = match read_to_string(path, counter) {
        Ok(text) => text,
        Err(CatalogError::NotUtf8 { offset, .. }) => {
            return sender.reject(1, format!("not UTF-8 (invalid byte at offset {offset})"));
        }
        Err(error) => return Err(error),
    };
    let documents = match yaml_rust2::YamlLoader::load_from_str(&text) {
        Ok(documents) => documents,
        Err(error) => {
            let line = error.marker().line() as u64;
            return sender.reject(line, format!("YAML syntax error: {}", error.info()));
        }
    };
    let mut position = 0;
    for document in &documents {
        let value = crate::yaml::to_json(document);
        for item in crate::json::list(Some(&value)) {
            position += 1;
            match relaton_record(item) {
                Ok((record, source)) => sender.accept(position, record, source)?,
                Err(ItemError(reason)) => {
                    sender.reject(position, format!("record {position}: {reason}"))?
                }
            }
        }
    }
    Ok(())
}
