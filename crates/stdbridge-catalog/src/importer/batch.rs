//! Batches: records collected on the reader thread, prepared for the store there, and
//! sent to the store's side a batch at a time.

use std::path::Path;

use stdbridge_core::Standard;
use stdbridge_storage::{Incoming, Prepared};
use tokio::sync::mpsc;

use super::{BATCH_SIZE, Rejection, priority_of};
use crate::CatalogError;
use crate::input::{Lines, ReadCounter};

pub(super) enum Message {
    Batch {
        records: Vec<Prepared>,
        rejected: Vec<Rejection>,
        read: u64,
        /// Bytes of the input read when the batch was made: the progress of the import
        /// once the store has taken the batch.
        bytes: u64,
    },
    Fatal(CatalogError),
}

/// Collects records into batches and sends them to the store's side.
pub(super) struct BatchSender<'a> {
    tx: &'a mpsc::Sender<Message>,
    counter: ReadCounter,
    file: String,
    source_prefix: String,
    records: Vec<Prepared>,
    rejected: Vec<Rejection>,
    read: u64,
    /// The line (or position) where each source record was first seen in this file.
    seen: std::collections::HashMap<String, u64>,
}

impl<'a> BatchSender<'a> {
    pub(super) fn new(tx: &'a mpsc::Sender<Message>, counter: ReadCounter) -> Self {
        BatchSender {
            tx,
            counter,
            file: String::new(),
            source_prefix: String::new(),
            records: Vec::with_capacity(BATCH_SIZE),
            rejected: Vec::new(),
            read: 0,
            seen: std::collections::HashMap::new(),
        }
    }

    /// The next line that holds text; a line that is not UTF-8 is rejected on the way.
    pub(super) fn next_text_line(
        &mut self,
        lines: &mut Lines<'_>,
    ) -> Result<Option<(u64, String)>, CatalogError> {
        while let Some((number, line)) = lines.next_line()? {
            match line {
                Ok(line) if line.trim().is_empty() => {}
                Ok(line) => return Ok(Some((number, line))),
                Err(reason) => self.reject(number, reason)?,
            }
        }
        Ok(None)
    }

    /// The source of a record in a generic file: the file's name and the designation, so
    /// that a corrected file updates its records in place.
    pub(super) fn generic_source(&self, record: &Standard) -> String {
        format!("{}#{}", self.source_prefix, record.designation)
    }

    /// The records that follow come from `path`.
    pub(super) fn start_file(&mut self, path: &Path) {
        self.file = path.display().to_string();
        self.source_prefix = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("input")
            .to_owned();
    }

    /// Queues a record. A second record from the same source in one file is rejected: it
    /// would make the file's meaning depend on the order of its lines.
    pub(super) fn accept(
        &mut self,
        line: u64,
        record: Standard,
        source: String,
    ) -> Result<(), CatalogError> {
        if let Some(reason) = stdbridge_core::limits::oversized(&record) {
            return self.reject(line, reason);
        }
        if let Some(first) = self.seen.get(&source) {
            let reason = format!(
                "duplicate of line {first}: {} is already in this file",
                record.designation
            );
            return self.reject(line, reason);
        }
        self.seen.insert(source.clone(), line);
        self.read += 1;
        let priority = priority_of(&record);
        // Prepared here, on the reader thread, so the store's side only merges and writes.
        self.records.push(
            Incoming {
                record,
                source,
                priority,
            }
            .prepare(),
        );
        self.flush_if_full()
    }

    pub(super) fn reject(&mut self, line: u64, reason: String) -> Result<(), CatalogError> {
        self.read += 1;
        self.rejected.push(Rejection {
            path: self.file.clone(),
            line,
            reason,
        });
        self.flush_if_full()
    }

    fn flush_if_full(&mut self) -> Result<(), CatalogError> {
        if self.records.len() + self.rejected.len() >= BATCH_SIZE {
            self.flush()?;
        }
        Ok(())
    }

    pub(super) fn flush(&mut self) -> Result<(), CatalogError> {
        let message = Message::Batch {
            records: std::mem::replace(&mut self.records, Vec::with_capacity(BATCH_SIZE)),
            rejected: std::mem::take(&mut self.rejected),
            read: std::mem::take(&mut self.read),
            bytes: self.counter.get(),
        };
        // The receiver is gone only when the import failed on the store's side.
        let _ = self.tx.blocking_send(message);
        Ok(())
    }
}
