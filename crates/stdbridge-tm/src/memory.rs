//! Translation memories: named collections of units in the store, with the candidate
//! index beside them. Import and export TMX, look up exact and fuzzy matches, search
//! concordance.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use serde::Serialize;
use stdbridge_storage::{Collection, Store, StoredUnit, UnitWrite, Visibility};

use crate::error::TmError;
use crate::fuzzy::{self, Analyzed, DiffPart};
use crate::index::TmIndex;
use crate::tmx::{Header, TmxItem, TmxReader, TmxWriter};
use crate::unit::{Segment, Unit, props};

/// Units written per index commit check and progress report.
const BATCH: usize = 2_000;

/// The translation memories of a data directory.
pub struct Memories {
    store: Store,
    index: TmIndex,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// The memory imported into.
    pub memory: String,
    /// Units read from the file.
    pub read: u64,
    /// New units stored.
    pub inserted: u64,
    /// Units that duplicated one already stored (merged into it).
    pub merged: u64,
    /// Units not stored: `FILE:LINE: reason`.
    pub rejected: Vec<String>,
    /// How many language versions per language.
    pub languages: BTreeMap<String, u64>,
    /// Seconds taken.
    pub seconds: f64,
}

/// A lookup.
#[derive(Debug, Clone)]
pub struct LookupRequest {
    /// Memories to look in (names).
    pub memories: Vec<String>,
    /// Source language of the query.
    pub source_lang: String,
    /// Language of the translations wanted.
    pub target_lang: String,
    /// The segment to translate.
    pub query: Segment,
    /// Most matches to return.
    pub limit: usize,
    /// Lowest score to return.
    pub min_score: u8,
}

/// A match from a memory.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    /// 0–100; 100 is an exact match.
    pub score: u8,
    /// `exact` (100) or `fuzzy`.
    pub kind: &'static str,
    /// The stored source text (inline codes left out).
    pub source: String,
    /// The stored translation (inline codes left out).
    pub target: String,
    /// The stored source with inline codes as `{kind}` markers.
    pub source_marked: String,
    /// The stored translation with inline codes as `{kind}` markers.
    pub target_marked: String,
    /// Source language as stored.
    pub source_lang: String,
    /// Target language as stored.
    pub target_lang: String,
    /// How the stored source differs from the query.
    pub diff: Vec<DiffPart>,
    /// Where the unit comes from.
    pub origin: Origin,
    /// The memory.
    pub memory: String,
    /// The unit's id in the store.
    pub unit_id: i64,
    /// The unit's TMX tuid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tuid: Option<String>,
    /// Who made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    /// When it was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// When it last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<String>,
    /// How often it was used.
    pub usage_count: i64,
    /// The unit itself (for callers that need its codes).
    #[serde(skip)]
    pub unit: Unit,
}

/// Where a unit comes from.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Origin {
    /// The document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The standard (designation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    /// Subject field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// A concordance hit: a unit whose source or target holds the phrase.
#[derive(Debug, Clone, Serialize)]
pub struct ConcordanceHit {
    /// The memory.
    pub memory: String,
    /// Unit id.
    pub unit_id: i64,
    /// The language in which the phrase was found.
    pub found_in: String,
    /// Each language version: (language, text).
    pub variants: Vec<(String, String)>,
    /// Byte ranges of the phrase in the text where it was found.
    pub spans: Vec<(usize, usize)>,
}

impl Memories {
    /// Opens the memories of a data directory; the index is rebuilt if it does not
    /// reflect the store.
    pub async fn open(store: Store, data_dir: &Path) -> Result<Memories, TmError> {
        let index = TmIndex::open(data_dir)?;
        let memories = Memories { store, index };
        memories.sync().await?;
        Ok(memories)
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The candidate index.
    pub fn index(&self) -> &TmIndex {
        &self.index
    }

    /// Rebuilds the index when it does not reflect the store; returns whether it did.
    pub async fn sync(&self) -> Result<bool, TmError> {
        let generation = self.store.memory_generation().await?;
        if self.index.generation() == generation {
            return Ok(false);
        }
        self.rebuild().await?;
        Ok(true)
    }

    /// Rebuilds the index from the store; returns the units indexed.
    pub async fn rebuild(&self) -> Result<u64, TmError> {
        let generation = self.store.memory_generation().await?;
        let mut writer = self.index.writer()?;
        self.index.clear(&mut writer)?;
        let mut after = 0;
        let mut count = 0;
        loop {
            let page = self.store.units_after(None, after, 10_000).await?;
            let Some(last) = page.last().map(|unit| unit.id) else {
                break;
            };
            for stored in &page {
                let unit = decode(stored)?;
                self.index
                    .add_unit(&writer, stored.memory_id, stored.id, &unit)?;
                count += 1;
            }
            after = last;
        }
        self.index.commit(&mut writer, generation)?;
        self.index.merge_all(writer)?;
        Ok(count)
    }

    /// All memories.
    pub async fn list(&self) -> Result<Vec<Collection>, TmError> {
        Ok(self.store.memories().await?)
    }

    /// Makes a memory.
    pub async fn create(
        &self,
        name: &str,
        owner: Option<&str>,
        visibility: Visibility,
        description: Option<&str>,
    ) -> Result<Collection, TmError> {
        if self.store.memory(name).await?.is_some() {
            return Err(TmError::Invalid(format!(
                "a translation memory named {name:?} exists"
            )));
        }
        Ok(self
            .store
            .create_memory(name, owner, visibility, description, &now_rfc3339())
            .await?)
    }

    /// The memory of this name, made (personal, no owner) if missing.
    pub async fn get_or_create(&self, name: &str) -> Result<Collection, TmError> {
        match self.store.memory(name).await? {
            Some(memory) => Ok(memory),
            None => self.create(name, None, Visibility::Personal, None).await,
        }
    }

    async fn named(&self, name: &str) -> Result<Collection, TmError> {
        self.store
            .memory(name)
            .await?
            .ok_or_else(|| TmError::NotFound {
                kind: "translation memory",
                name: name.to_owned(),
            })
    }

    /// Deletes a memory.
    pub async fn delete(&self, name: &str) -> Result<(), TmError> {
        let memory = self.named(name).await?;
        let mut writer = self.index.writer()?;
        self.store.delete_memory(&memory.name).await?;
        self.index.delete_memory(&writer, memory.id);
        let generation = self.store.memory_generation().await?;
        self.index.commit(&mut writer, generation)?;
        Ok(())
    }

    /// Imports a TMX file into a memory (made if missing), in one transaction: a file
    /// that is not well-formed stores nothing, and what the memory held stays. Units
    /// that duplicate stored ones are merged into them; units that cannot be used (no
    /// language, no segment) are reported and left out.
    pub async fn import_tmx(
        &self,
        memory: &str,
        path: &Path,
        mut progress: impl FnMut(u64),
    ) -> Result<ImportReport, TmError> {
        let started = std::time::Instant::now();
        let existed = self.store.memory(memory).await?.is_some();
        let collection = self.get_or_create(memory).await?;
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<Vec<TmxItem>, TmError>>(8);
        let (header_sender, header_receiver) = tokio::sync::oneshot::channel::<Header>();
        let file = path.to_owned();
        let reader_thread = std::thread::spawn(move || read_tmx(&file, sender, header_sender));
        let mut report = ImportReport {
            memory: collection.name.clone(),
            ..ImportReport::default()
        };
        let mut writer = self.store.memory_writer(collection.id).await?;
        let mut index_writer = self.index.writer()?;
        let mut failure: Option<TmError> = None;
        let display = path.display().to_string();
        while let Some(batch) = receiver.recv().await {
            let items = match batch {
                Ok(items) => items,
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            };
            for item in items {
                match item {
                    TmxItem::Rejected(line, reason) => {
                        report.rejected.push(format!("{display}:{line}: {reason}"));
                    }
                    TmxItem::Unit(unit, _) => {
                        report.read += 1;
                        for variant in &unit.variants {
                            *report.languages.entry(variant.lang.clone()).or_default() += 1;
                        }
                        if let Err(error) = self
                            .write_unit(
                                &mut writer,
                                &index_writer,
                                collection.id,
                                unit,
                                &mut report,
                            )
                            .await
                        {
                            failure = Some(error);
                            break;
                        }
                    }
                }
            }
            if failure.is_some() {
                break;
            }
            progress(report.read);
        }
        drop(receiver);
        let header = header_receiver.await.ok();
        if reader_thread.join().is_err() {
            failure.get_or_insert(TmError::Invalid(format!(
                "{display}: the TMX reader failed"
            )));
        }
        if let Some(error) = failure {
            // Nothing of this file is kept: the transaction and the index writer roll back.
            drop(writer);
            index_writer
                .rollback()
                .map_err(|e| TmError::Index(e.to_string()))?;
            // A memory made for this import goes too (the index has nothing of it).
            if !existed {
                self.store.delete_memory(&collection.name).await?;
                let generation = self.store.memory_generation().await?;
                self.index.commit(&mut index_writer, generation)?;
            }
            return Err(error);
        }
        if let Some(header) = header
            && (collection.header == "{}" || collection.header.is_empty())
        {
            let json = serde_json::to_string(&header).unwrap_or_else(|_| "{}".into());
            writer.set_header(&json).await?;
        }
        let generation = writer.commit().await?;
        self.index.commit(&mut index_writer, generation)?;
        if report.inserted > 50_000 {
            self.index.merge_all(index_writer)?;
        }
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Adds units (from a generator, an editor or a finished translation) to a memory,
    /// in one transaction, merging duplicates.
    pub async fn add_units(
        &self,
        memory: &str,
        units: impl IntoIterator<Item = Unit>,
        mut progress: impl FnMut(u64),
    ) -> Result<ImportReport, TmError> {
        let started = std::time::Instant::now();
        let collection = self.get_or_create(memory).await?;
        let mut report = ImportReport {
            memory: collection.name.clone(),
            ..ImportReport::default()
        };
        let mut writer = self.store.memory_writer(collection.id).await?;
        let mut index_writer = self.index.writer()?;
        for unit in units {
            report.read += 1;
            for variant in &unit.variants {
                *report.languages.entry(variant.lang.clone()).or_default() += 1;
            }
            self.write_unit(&mut writer, &index_writer, collection.id, unit, &mut report)
                .await?;
            if report.read.is_multiple_of(BATCH as u64) {
                progress(report.read);
            }
        }
        let generation = writer.commit().await?;
        self.index.commit(&mut index_writer, generation)?;
        if report.inserted > 50_000 {
            self.index.merge_all(index_writer)?;
        }
        progress(report.read);
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    async fn write_unit(
        &self,
        writer: &mut stdbridge_storage::MemoryWriter,
        index_writer: &tantivy::IndexWriter,
        memory_id: i64,
        unit: Unit,
        report: &mut ImportReport,
    ) -> Result<(), TmError> {
        let new = unit.to_new_unit();
        match writer.insert(&new).await? {
            UnitWrite::Inserted(id) => {
                self.index.add_unit(index_writer, memory_id, id, &unit)?;
                report.inserted += 1;
            }
            UnitWrite::Existing(stored) => {
                let mut merged = decode(&stored)?;
                merged.merge_duplicate(&unit);
                writer.update(stored.id, &merged.to_new_unit()).await?;
                report.merged += 1;
            }
        }
        Ok(())
    }

    /// Writes a memory as TMX 1.4b; returns the units written.
    pub async fn export_tmx<W: Write>(&self, memory: &str, out: W) -> Result<u64, TmError> {
        let collection = self.named(memory).await?;
        let header: Header = serde_json::from_str(&collection.header).unwrap_or_default();
        let io_error = |e: std::io::Error| TmError::Invalid(format!("writing TMX: {e}"));
        let mut writer = TmxWriter::start(out, &header).map_err(io_error)?;
        let mut after = 0;
        let mut count = 0;
        loop {
            let page = self
                .store
                .units_after(Some(collection.id), after, 5_000)
                .await?;
            let Some(last) = page.last().map(|unit| unit.id) else {
                break;
            };
            for stored in &page {
                writer.unit(&decode(stored)?).map_err(io_error)?;
                count += 1;
            }
            after = last;
        }
        writer.finish().map_err(io_error)?;
        Ok(count)
    }

    /// Exact and fuzzy matches for a segment, best first.
    pub async fn lookup(&self, request: &LookupRequest) -> Result<Vec<Match>, TmError> {
        let memories = self.resolve(&request.memories).await?;
        let ids: Vec<i64> = memories.keys().copied().collect();
        let query = Analyzed::segment(&request.query);
        let wanted = request.limit.max(1);
        let started = std::time::Instant::now();
        let candidates =
            self.index
                .candidates(&ids, &request.source_lang, &query, (wanted * 4).max(40))?;
        let unit_ids: Vec<i64> = candidates.iter().map(|c| c.unit).collect();
        let searched = started.elapsed();
        let stored = self.store.units(&unit_ids).await?;
        let fetched = started.elapsed();
        let mut matches = Vec::new();
        for stored in &stored {
            let unit = decode(stored)?;
            let (Some(source), Some(target)) = (
                unit.variant(&request.source_lang),
                unit.variant(&request.target_lang),
            ) else {
                continue;
            };
            if std::ptr::eq(source, target) {
                continue;
            }
            let analyzed = Analyzed::segment(&source.seg);
            let score = fuzzy::score(&query, &analyzed);
            if score < request.min_score {
                continue;
            }
            let memory = memories.get(&stored.memory_id).cloned().unwrap_or_default();
            matches.push(Match {
                score,
                kind: if score == 100 { "exact" } else { "fuzzy" },
                source: source.seg.plain(),
                target: target.seg.plain(),
                source_marked: source.seg.marked(),
                target_marked: target.seg.marked(),
                source_lang: source.lang.clone(),
                target_lang: target.lang.clone(),
                diff: fuzzy::diff(&analyzed, &query),
                origin: Origin {
                    document: unit.prop(props::ORIGIN_DOCUMENT).map(str::to_owned),
                    standard: unit.prop(props::ORIGIN_STANDARD).map(str::to_owned),
                    domain: unit.prop(props::DOMAIN).map(str::to_owned),
                },
                memory,
                unit_id: stored.id,
                tuid: unit.attr("tuid").map(str::to_owned),
                creator: unit.attr("creationid").map(str::to_owned),
                created: unit.attr("creationdate").map(str::to_owned),
                changed: unit.attr("changedate").map(str::to_owned),
                usage_count: stored.usage_count,
                unit: unit.clone(),
            });
        }
        // Best score first; among equals the most recently changed, then the most used.
        matches.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| b.changed.cmp(&a.changed))
                .then_with(|| b.usage_count.cmp(&a.usage_count))
                .then_with(|| a.unit_id.cmp(&b.unit_id))
        });
        matches.truncate(request.limit);
        tracing::debug!(
            candidates = unit_ids.len(),
            search_ms = searched.as_secs_f64() * 1000.0,
            fetch_ms = (fetched - searched).as_secs_f64() * 1000.0,
            score_ms = (started.elapsed() - fetched).as_secs_f64() * 1000.0,
            "lookup"
        );
        Ok(matches)
    }

    /// Units whose text holds `phrase` (case and width folded; for Chinese and Japanese
    /// any substring), in source or target.
    pub async fn concordance(
        &self,
        memory_names: &[String],
        phrase: &str,
        limit: usize,
    ) -> Result<Vec<ConcordanceHit>, TmError> {
        let needle = fold(phrase.trim());
        if needle.is_empty() {
            return Err(TmError::Invalid("the concordance phrase is empty".into()));
        }
        let memories = self.resolve(memory_names).await?;
        let ids: Vec<i64> = memories.keys().copied().collect();
        let analyzed = Analyzed::text(phrase);
        let unit_ids = if analyzed.content.is_empty() {
            Vec::new()
        } else {
            self.index
                .containing(&ids, &analyzed, limit.saturating_mul(20).max(200))?
        };
        let mut hits = Vec::new();
        for stored in self.store.units(&unit_ids).await? {
            let unit = decode(&stored)?;
            let found = unit.variants.iter().find_map(|variant| {
                let text = variant.seg.plain();
                let spans = find_all(&text, &needle);
                (!spans.is_empty()).then(|| (variant.lang.clone(), spans))
            });
            let Some((found_in, spans)) = found else {
                continue;
            };
            hits.push(ConcordanceHit {
                memory: memories.get(&stored.memory_id).cloned().unwrap_or_default(),
                unit_id: stored.id,
                found_in,
                variants: unit
                    .variants
                    .iter()
                    .map(|v| (v.lang.clone(), v.seg.plain()))
                    .collect(),
                spans,
            });
        }
        hits.sort_by_key(|hit| hit.unit_id);
        hits.truncate(limit);
        Ok(hits)
    }

    /// Memory ids and names for a list of names (all memories when empty).
    async fn resolve(&self, names: &[String]) -> Result<HashMap<i64, String>, TmError> {
        let mut out = HashMap::new();
        if names.is_empty() {
            for memory in self.store.memories().await? {
                out.insert(memory.id, memory.name);
            }
            return Ok(out);
        }
        for name in names {
            let memory = self.named(name).await?;
            out.insert(memory.id, memory.name);
        }
        Ok(out)
    }
}

/// Decodes a stored unit.
pub fn decode(stored: &StoredUnit) -> Result<Unit, TmError> {
    serde_json::from_str(&stored.body).map_err(|source| TmError::Corrupt {
        what: format!("translation unit {}", stored.id),
        source,
    })
}

fn read_tmx(
    path: &Path,
    sender: tokio::sync::mpsc::Sender<Result<Vec<TmxItem>, TmError>>,
    header_sender: tokio::sync::oneshot::Sender<Header>,
) {
    let mut reader = match TmxReader::open(path) {
        Ok(reader) => reader,
        Err(error) => {
            let _ = sender.blocking_send(Err(error.into()));
            return;
        }
    };
    let _ = header_sender.send(reader.header().clone());
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        match reader.next_item() {
            Ok(Some(item)) => {
                batch.push(item);
                if batch.len() == BATCH
                    && sender
                        .blocking_send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))))
                        .is_err()
                {
                    return;
                }
            }
            Ok(None) => {
                let _ = sender.blocking_send(Ok(batch));
                return;
            }
            Err(error) => {
                let _ = sender.blocking_send(Err(error.into()));
                return;
            }
        }
    }
}

/// Case and width folding for concordance.
fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc().collect::<String>().to_lowercase()
}

/// Byte ranges in `text` of every occurrence of the folded `needle`.
fn find_all(text: &str, needle: &str) -> Vec<(usize, usize)> {
    // Fold char by char, keeping where each folded char came from.
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<usize> = Vec::with_capacity(text.len() + 1);
    for (at, ch) in text.char_indices() {
        let piece = fold(ch.encode_utf8(&mut [0; 4]));
        for _ in 0..piece.len() {
            origin.push(at);
        }
        folded.push_str(&piece);
    }
    origin.push(text.len());
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(found) = folded[from..].find(needle) {
        let start = from + found;
        let end = start + needle.len();
        let original_end = origin[end.min(origin.len() - 1)];
        let original_end = if end >= folded.len() {
            text.len()
        } else {
            original_end
        };
        spans.push((origin[start], original_end));
        from = end;
    }
    spans
}

/// Now, as RFC 3339 in UTC.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

/// Now, as TMX writes dates (20250101T120000Z).
pub fn now_tmx() -> String {
    now_rfc3339().replace(['-', ':'], "")
}
