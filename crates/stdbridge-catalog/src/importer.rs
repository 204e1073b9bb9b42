//! Running an import: a reader thread turns the file into batches of records while the
//! store merges the previous batch, all in one transaction per file.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use serde_json::Value;
use stdbridge_core::Standard;
use stdbridge_core::designation::Designation;
use stdbridge_storage::{Incoming, Merge, Prepared, Store};
use tokio::sync::mpsc;

use crate::format::{Format, detect};
use crate::input::{Lines, ReadCounter, open, read_to_string};
use crate::iso_open_data::{References, id_and_reference, standard_from_deliverable};
use crate::reference_data::{
    body_from_json, ccs_from_csv, countries_from_csv, ics_from_csv, ics_from_json,
};
use crate::relaton::ItemError;
use crate::{CatalogError, generic};
use serde::Deserialize;

/// Records per batch handed to the store.
const BATCH_SIZE: usize = 2_000;

/// A record that was not imported, and why. The rest of the file is imported.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Rejection {
    /// The file.
    pub path: String,
    /// The line (JSON Lines, CSV) or, for whole documents, the record's position.
    pub line: u64,
    /// Why it was rejected.
    pub reason: String,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.reason)
    }
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// The file.
    pub path: String,
    /// Its format.
    pub format: Format,
    /// Records read (good and bad).
    pub records: u64,
    /// Records that created a standard (or reference rows that were new or changed).
    pub inserted: u64,
    /// Records that changed a standard.
    pub updated: u64,
    /// Records the store already had.
    pub unchanged: u64,
    /// Records rejected, each with its line and reason.
    pub rejected: Vec<Rejection>,
    /// Spellings of one designation that normalization joined.
    pub merges: Vec<Merge>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl ImportReport {
    /// Records read per second.
    pub fn records_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.records as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// Receives progress as an import runs (the CLI draws a bar with it).
pub trait Progress: Send + Sync {
    /// A file of `total_bytes` starts.
    fn start(&self, path: &Path, total_bytes: u64);
    /// `bytes` of the file have been read and `records` records stored.
    fn advance(&self, bytes: u64, records: u64);
    /// The file is done.
    fn finish(&self);
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &Path, _: u64) {}
    fn advance(&self, _: u64, _: u64) {}
    fn finish(&self) {}
}

/// Imports one file into the store. Bad records are rejected and reported, the rest is
/// stored; a file that cannot be read to its end is not stored at all.
pub async fn import_file(
    store: &Store,
    path: &Path,
    format: Option<Format>,
    progress: &dyn Progress,
) -> Result<ImportReport, CatalogError> {
    let unit = ImportUnit {
        name: path.display().to_string(),
        paths: vec![path.to_owned()],
        format,
    };
    import_unit(store, &unit, progress).await
}

/// What one import transaction reads: one file, or a directory's Relaton YAML files (one
/// record per file, as Relaton data repositories keep them).
#[derive(Debug, Clone)]
pub struct ImportUnit {
    /// The file, or the directory of the files.
    pub name: String,
    /// The files, in order.
    pub paths: Vec<PathBuf>,
    /// The format, when given; else told from the first file.
    pub format: Option<Format>,
}

/// Plans the imports of `paths`: directories are walked; the YAML files of one directory
/// become one unit, every other file a unit of its own.
pub fn plan_units(
    paths: &[PathBuf],
    format: Option<Format>,
) -> Result<Vec<ImportUnit>, CatalogError> {
    let mut units: Vec<ImportUnit> = Vec::new();
    for path in expand_paths(paths)? {
        let directory = path
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        if is_yaml(&path)
            && let Some(last) = units.last_mut()
            && last
                .paths
                .last()
                .is_some_and(|p| is_yaml(p) && p.parent() == path.parent())
        {
            if last.paths.len() == 1 {
                last.name = format!("{directory} (YAML files)");
            }
            last.paths.push(path);
            continue;
        }
        units.push(ImportUnit {
            name: path.display().to_string(),
            paths: vec![path],
            format,
        });
    }
    Ok(units)
}

/// Imports one unit in one transaction.
pub async fn import_unit(
    store: &Store,
    unit: &ImportUnit,
    progress: &dyn Progress,
) -> Result<ImportReport, CatalogError> {
    let Some(first) = unit.paths.first() else {
        return Err(CatalogError::UnknownFormat {
            path: PathBuf::from(&unit.name),
            reason: "no file".to_owned(),
        });
    };
    let format = match unit.format {
        Some(format) => format,
        None => detect(first)?,
    };
    let started = Instant::now();
    let total = unit
        .paths
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    progress.start(Path::new(&unit.name), total);
    let mut report = if format.is_reference() {
        import_reference(store, first, format).await?
    } else {
        import_records(store, unit, format, progress).await?
    };
    progress.finish();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Every importable file under `paths` (directories are walked, files sorted by name).
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CatalogError> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|source| CatalogError::Io {
                    path: path.clone(),
                    source,
                })?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            let nested: Vec<PathBuf> = entries
                .into_iter()
                .filter(|p| p.is_dir() || crate::format::is_importable(p))
                .collect();
            found.extend(expand_paths(&nested)?);
        } else {
            found.push(path.clone());
        }
    }
    Ok(found)
}

enum Message {
    Batch {
        records: Vec<Prepared>,
        rejected: Vec<Rejection>,
        read: u64,
    },
    Fatal(CatalogError),
}

async fn import_records(
    store: &Store,
    unit: &ImportUnit,
    format: Format,
    progress: &dyn Progress,
) -> Result<ImportReport, CatalogError> {
    let counter = ReadCounter::default();
    let (tx, mut rx) = mpsc::channel::<Message>(4);
    let paths = unit.paths.clone();
    let reader_counter = counter.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let mut sender = BatchSender::new(&tx);
        let read = paths.iter().try_for_each(|path| {
            sender.start_file(path);
            read_records(path, format, &reader_counter, &mut sender)
        });
        if let Err(error) = read.and_then(|()| sender.flush()) {
            let _ = tx.blocking_send(Message::Fatal(error));
        }
    });
    let mut report = ImportReport {
        path: unit.name.clone(),
        format,
        records: 0,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        rejected: Vec::new(),
        merges: Vec::new(),
        seconds: 0.0,
    };
    let mut session = store.begin_import(&report.path, format.name()).await?;
    while let Some(message) = rx.recv().await {
        match message {
            Message::Batch {
                records,
                rejected,
                read,
            } => {
                report.records += read;
                report.rejected.extend(rejected);
                let outcome = match session.apply(records).await {
                    Ok(outcome) => outcome,
                    Err(error) => {
                        drop(rx);
                        let _ = reader.await;
                        session.rollback().await?;
                        return Err(error.into());
                    }
                };
                report.inserted += outcome.inserted;
                report.updated += outcome.updated;
                report.unchanged += outcome.unchanged;
                report.merges.extend(outcome.merges);
                progress.advance(counter.get(), report.records);
            }
            Message::Fatal(error) => {
                drop(rx);
                let _ = reader.await;
                session.rollback().await?;
                return Err(error);
            }
        }
    }
    let _ = reader.await;
    session
        .commit(
            report.inserted,
            report.updated,
            report.unchanged,
            report.rejected.len() as u64,
        )
        .await?;
    Ok(report)
}

/// Collects records into batches and sends them to the store's side.
struct BatchSender<'a> {
    tx: &'a mpsc::Sender<Message>,
    file: String,
    source_prefix: String,
    records: Vec<Prepared>,
    rejected: Vec<Rejection>,
    read: u64,
    /// The line (or position) where each source record was first seen in this file.
    seen: std::collections::HashMap<String, u64>,
}

impl<'a> BatchSender<'a> {
    fn new(tx: &'a mpsc::Sender<Message>) -> Self {
        BatchSender {
            tx,
            file: String::new(),
            source_prefix: String::new(),
            records: Vec::with_capacity(BATCH_SIZE),
            rejected: Vec::new(),
            read: 0,
            seen: std::collections::HashMap::new(),
        }
    }

    /// The next line that holds text; a line that is not UTF-8 is rejected on the way.
    fn next_text_line(
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
    fn generic_source(&self, record: &Standard) -> String {
        format!("{}#{}", self.source_prefix, record.designation)
    }

    /// The records that follow come from `path`.
    fn start_file(&mut self, path: &Path) {
        self.file = path.display().to_string();
        self.source_prefix = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("input")
            .to_owned();
    }

    /// Queues a record. A second record from the same source in one file is rejected: it
    /// would make the file's meaning depend on the order of its lines.
    fn accept(&mut self, line: u64, record: Standard, source: String) -> Result<(), CatalogError> {
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

    fn reject(&mut self, line: u64, reason: String) -> Result<(), CatalogError> {
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

    fn flush(&mut self) -> Result<(), CatalogError> {
        let message = Message::Batch {
            records: std::mem::replace(&mut self.records, Vec::with_capacity(BATCH_SIZE)),
            rejected: std::mem::take(&mut self.rejected),
            read: std::mem::take(&mut self.read),
        };
        // The receiver is gone only when the import failed on the store's side.
        let _ = self.tx.blocking_send(message);
        Ok(())
    }
}

/// 0 when the record's first publisher is the designation's own publisher, so that the
/// publisher's own catalogue wins a merge.
fn priority_of(record: &Standard) -> u8 {
    let own = Designation::parse(&record.designation)
        .ok()
        .and_then(|d| d.publishers().first().map(|p| (*p).to_owned()));
    match (own, record.publishers.first()) {
        (Some(own), Some(publisher)) if own.eq_ignore_ascii_case(publisher) => 0,
        _ => 1,
    }
}

fn read_records(
    path: &Path,
    format: Format,
    counter: &ReadCounter,
    sender: &mut BatchSender<'_>,
) -> Result<(), CatalogError> {
    match format {
        Format::Relaton if is_yaml(path) => read_relaton_yaml(path, counter, sender)?,
        Format::Relaton => read_relaton_lines(path, counter, sender)?,
        Format::IsoOpenData => {
            let references = iso_references(path)?;
            read_json_items(path, counter, sender, |item, _| {
                let record = standard_from_deliverable(item, &references)?;
                let id = item.get("id").and_then(Value::as_i64).unwrap_or_default();
                Ok((record, format!("iso-open-data:{id}")))
            })?;
        }
        Format::GenericJsonl => read_generic_jsonl(path, counter, sender)?,
        Format::GenericCsv => read_generic_csv(path, counter, sender)?,
        Format::Ics | Format::Ccs | Format::Countries | Format::Bodies => {}
    }
    Ok(())
}

fn is_yaml(path: &Path) -> bool {
    let name = path.to_string_lossy().to_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.ends_with(".yaml") || name.ends_with(".yml")
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

/// JSON Lines, or one JSON document holding an item or a list of items.
fn read_json_items(
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
            Err(error) => sender.reject(
                number,
                format!("JSON syntax error at column {}: {error}", error.column()),
            )?,
        }
    }
    if first_line_is_item == Some(false) {
        let value: Value =
            serde_json::from_str(&document).map_err(|error| CatalogError::Syntax {
                path: path.to_owned(),
                line: Some(error.line() as u64),
                reason: format!("JSON syntax error: {error}"),
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

async fn import_reference(
    store: &Store,
    path: &Path,
    format: Format,
) -> Result<ImportReport, CatalogError> {
    let counter = ReadCounter::default();
    let file = path.display().to_string();
    let reject = |errors: Vec<(u64, String)>| -> Vec<Rejection> {
        errors
            .into_iter()
            .map(|(line, reason)| Rejection {
                path: file.clone(),
                line,
                reason,
            })
            .collect()
    };
    let (records, changed, rejected) = match format {
        Format::Ics if is_json_lines(path) => {
            let (codes, errors) = json_lines(path, &counter, ics_from_json)?;
            (codes.len(), store.upsert_ics(&codes).await?, reject(errors))
        }
        Format::Ics => {
            let (codes, errors) = ics_from_csv(&read_to_string(path, &counter)?);
            (codes.len(), store.upsert_ics(&codes).await?, reject(errors))
        }
        Format::Ccs => {
            let (codes, errors) = ccs_from_csv(&read_to_string(path, &counter)?);
            (codes.len(), store.upsert_ccs(&codes).await?, reject(errors))
        }
        Format::Countries => {
            let (countries, errors) = countries_from_csv(&read_to_string(path, &counter)?);
            (
                countries.len(),
                store.upsert_countries(&countries).await?,
                reject(errors),
            )
        }
        Format::Bodies => {
            let (bodies, errors) = json_lines(path, &counter, body_from_json)?;
            (
                bodies.len(),
                store.upsert_bodies(&bodies).await?,
                reject(errors),
            )
        }
        _ => (0, 0, Vec::new()),
    };
    let records = records as u64;
    Ok(ImportReport {
        path: file.clone(),
        format,
        records: records + rejected.len() as u64,
        inserted: changed,
        updated: 0,
        unchanged: records.saturating_sub(changed),
        rejected,
        merges: Vec::new(),
        seconds: 0.0,
    })
}

fn is_json_lines(path: &Path) -> bool {
    let name = path.to_string_lossy().to_lowercase();
    name.ends_with(".jsonl") || name.ends_with(".jsonl.gz") || name.ends_with(".json")
}

type JsonLines<T> = (Vec<T>, Vec<(u64, String)>);

fn json_lines<T>(
    path: &Path,
    counter: &ReadCounter,
    read: impl Fn(&Value) -> Result<T, String>,
) -> Result<JsonLines<T>, CatalogError> {
    let mut lines = Lines::new(open(path, counter)?, path);
    let mut found = Vec::new();
    let mut errors = Vec::new();
    while let Some((number, line)) = lines.next_line()? {
        let line = match line {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => line,
            Err(reason) => {
                errors.push((number, reason));
                continue;
            }
        };
        match serde_json::from_str::<Value>(&line) {
            Ok(item) => match read(&item) {
                Ok(value) => found.push(value),
                Err(reason) => errors.push((number, reason)),
            },
            Err(error) => errors.push((
                number,
                format!("JSON syntax error at column {}: {error}", error.column()),
            )),
        }
    }
    Ok((found, errors))
}
