//! ISO Open Data deliverables (JSON Lines or JSON), with the references between them
//! read in a first pass.

use std::path::Path;

use serde_json::Value;

use super::RecordReader;
use super::batch::BatchSender;
use super::items::read_json_items;
use crate::CatalogError;
use crate::input::{Lines, ReadCounter, open};
use crate::iso_open_data::{References, id_and_reference, standard_from_deliverable};

/// ISO Open Data's deliverables.
pub(super) struct IsoOpenDataReader;

impl RecordReader for IsoOpenDataReader {
    fn read(
        &self,
        path: &Path,
        counter: &ReadCounter,
        sender: &mut BatchSender<'_>,
    ) -> Result<(), CatalogError> {
        let references = iso_references(path)?;
        read_json_items(path, counter, sender, |item, _| {
            let record = standard_from_deliverable(item, &references)?;
            let id = item.get("id").and_then(Value::as_i64).unwrap_or_default();
            Ok((record, format!("iso-open-data:{id}")))
        })
    }
}

fn iso_references(path: &Path) -> Result<References, CatalogError> {
    let mut references = References::new();
    let mut lines = Lines::new(open(path, &ReadCounter::default())?, path);
    while let Some((_, line)) = lines.next_line()? {
        if let Ok(line) = line
            && let Ok(item) = serde_json::from_str::<Value>(&line)
        {
            for item in crate::json::list(Some(&item)) {
                if let Some((id, reference)) = id_and_reference(item) {
                    references.insert(id, reference);
                }
            }
        }
    }
    Ok(references)
}
