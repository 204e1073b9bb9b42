//! stdbridge's generic formats for a national body's catalogue: JSON Lines of records
//! and CSV with named columns (streamed a row at a time).

use std::path::Path;

use super::RecordReader;
use super::batch::BatchSender;
use crate::input::{Lines, ReadCounter, open};
use crate::relaton::ItemError;
use crate::{CatalogError, generic};

/// Generic JSON Lines.
pub(super) struct GenericJsonlReader;

impl RecordReader for GenericJsonlReader {
    fn read(
        &self,
        path: &Path,
        counter: &ReadCounter,
        sender: &mut BatchSender<'_>,
    ) -> Result<(), CatalogError> {
        read_generic_jsonl(path, counter, sender)
    }
}

/// Generic CSV.
pub(super) struct GenericCsvReader;

impl RecordReader for GenericCsvReader {
    fn read(
        &self,
        path: &Path,
        counter: &ReadCounter,
        sender: &mut BatchSender<'_>,
    ) -> Result<(), CatalogError> {
        read_generic_csv(path, counter, sender)
    }
}

fn read_generic_jsonl(
    path: &Path,
    counter: &ReadCounter,
    sender: &mut BatchSender<'_>,
) -> Result<(), CatalogError> {
    let mut lines = Lines::new(open(path, counter)?, path);
    while let Some((number, line)) = sender.next_text_line(&mut lines)? {
        match generic::standard_from_json(&line) {
            Ok(record) => {
                let source = sender.generic_source(&record);
                sender.accept(number, record, source)?;
            }
            Err(ItemError(reason)) => sender.reject(number, reason)?,
        }
    }
    Ok(())
}

/// The generic CSV, streamed: one row at a time, whatever the file's size.
fn read_generic_csv(
    path: &Path,
    counter: &ReadCounter,
    sender: &mut BatchSender<'_>,
) -> Result<(), CatalogError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(open(path, counter)?);
    let header: Vec<String> = reader
        .headers()
        .map_err(|error| CatalogError::Syntax {
            path: path.to_owned(),
            line: Some(1),
            reason: error.to_string(),
        })?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
        .collect();
    generic::check_header(&header).map_err(|reason| CatalogError::Syntax {
        path: path.to_owned(),
        line: Some(1),
        reason,
    })?;
    for row in reader.records() {
        match row {
            Ok(row) => {
                let line = row.position().map_or(0, csv::Position::line);
                let fields = header.iter().map(String::as_str).zip(row.iter()).collect();
                match generic::standard_from_row(&fields) {
                    Ok(record) => {
                        let source = sender.generic_source(&record);
                        sender.accept(line, record, source)?;
                    }
                    Err(ItemError(reason)) => sender.reject(line, reason)?,
                }
            }
            Err(error) => {
                let line = error.position().map_or(0, csv::Position::line);
                if let csv::ErrorKind::Io(io) = error.kind() {
                    return Err(CatalogError::Read {
                        path: path.to_owned(),
                        line: Some(line + 1),
                        reason: if io.kind() == std::io::ErrorKind::UnexpectedEof {
                            "the file ends in the middle of compressed data (truncated download?)"
                                .to_owned()
                        } else {
                            io.to_string()
                        },
                    });
                }
                sender.reject(line, error.to_string())?;
            }
        }
    }
    Ok(())
}
