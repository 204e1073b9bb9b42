//! Keeping the index up to date: following the store's change log from the sequence
//! number saved with the last commit, or rebuilding it from scratch.

use std::time::Instant;

use serde::Serialize;
use stdbridge_core::designation::lenient_keys;
use stdbridge_core::{Standard, designation::fold};
use stdbridge_storage::CatalogRepository;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::schema::{Fields, KEYWORD_LANGUAGES, TITLE_LANGUAGES, tag_index};
use super::{CatalogIndex, IndexError};

/// Standards read from the store per step.
const CHUNK: i64 = 20_000;
/// Memory for the index writer.
const WRITER_MEMORY: usize = 200_000_000;

/// What a sync or rebuild did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Documents written.
    pub indexed: u64,
    /// Documents removed (standards no longer in the store).
    pub removed: u64,
    /// The change-log sequence number the index now reflects.
    pub seq: i64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl CatalogIndex {
    /// The change-log sequence number the index reflects.
    pub fn synced_seq(&self) -> i64 {
        self.index
            .load_metas()
            .ok()
            .and_then(|metas| metas.payload)
            .and_then(|payload| payload.parse().ok())
            .unwrap_or(0)
    }

    /// Brings the index up to date with the store by replaying the change log since the
    /// last sync, in one commit: an index behind by several transactions catches up on
    /// them together (a commit per chunk was tried: under a 1.32 M-record import on two
    /// cores, the extra commits and merges left the follower ever further behind).
    /// Returns at once when nothing changed.
    pub async fn sync<S: CatalogRepository + ?Sized>(
        &self,
        store: &S,
    ) -> Result<SyncReport, IndexError> {
        let started = Instant::now();
        let mut report = SyncReport {
            seq: self.synced_seq(),
            ..SyncReport::default()
        };
        let mut writer: Option<IndexWriter> = None;
        loop {
            let changes = store.changes_since(report.seq, CHUNK).await?;
            let Some(last) = changes.last().map(|c| c.seq) else {
                break;
            };
            let mut ids: Vec<i64> = changes.iter().map(|c| c.standard_id).collect();
            ids.sort_unstable();
            ids.dedup();
            let records = store.records_by_ids(&ids).await?;
            let writer = match &mut writer {
                Some(writer) => writer,
                None => writer.insert(
                    self.index
                        .writer(WRITER_MEMORY)
                        .map_err(|e| self.error(e))?,
                ),
            };
            for id in &ids {
                writer.delete_term(Term::from_field_u64(self.fields.id, *id as u64));
            }
            report.removed += (ids.len() - records.len()) as u64;
            for (id, key, record) in records {
                writer
                    .add_document(document(&self.fields, id, &key, &record))
                    .map_err(|e| self.error(e))?;
                report.indexed += 1;
            }
            report.seq = last;
        }
        if let Some(mut writer) = writer {
            self.commit(&mut writer, report.seq)?;
        }
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Rebuilds the index from the store: every standard, in id order.
    pub async fn rebuild<S: CatalogRepository + ?Sized>(
        &self,
        store: &S,
    ) -> Result<SyncReport, IndexError> {
        let started = Instant::now();
        // The change log's end before reading: changes made meanwhile are replayed later.
        let seq = store.last_change().await?;
        let mut writer: IndexWriter = self
            .index
            .writer(WRITER_MEMORY)
            .map_err(|e| self.error(e))?;
        writer.delete_all_documents().map_err(|e| self.error(e))?;
        let mut report = SyncReport {
            seq,
            ..SyncReport::default()
        };
        let mut after = 0;
        loop {
            let records = store.records_after(after, CHUNK).await?;
            let Some(last) = records.last().map(|(id, _, _)| *id) else {
                break;
            };
            for (id, key, record) in records {
                writer
                    .add_document(document(&self.fields, id, &key, &record))
                    .map_err(|e| self.error(e))?;
                report.indexed += 1;
            }
            after = last;
        }
        self.commit(&mut writer, seq)?;
        self.merge_all(writer)?;
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Merges every segment into one and waits for it: after a rebuild, searches and
    /// facet counts visit one segment instead of several (the merge policy leaves the
    /// last few hundred thousand documents in segments of their own).
    fn merge_all(&self, mut writer: IndexWriter) -> Result<(), IndexError> {
        let segments = self
            .index
            .searchable_segment_ids()
            .map_err(|e| self.error(e))?;
        if segments.len() > 1 {
            writer.merge(&segments).wait().map_err(|e| self.error(e))?;
        }
        writer.wait_merging_threads().map_err(|e| self.error(e))?;
        self.reload()?;
        Ok(())
    }

    fn commit(&self, writer: &mut IndexWriter, seq: i64) -> Result<(), IndexError> {
        let mut prepared = writer.prepare_commit().map_err(|e| self.error(e))?;
        prepared.set_payload(&seq.to_string());
        prepared.commit().map_err(|e| self.error(e))?;
        self.reload()?;
        Ok(())
    }
}

/// A designation folded (case, width, dashes) and without white space: the key that
/// finds it however it was spaced.
pub(crate) fn compact_key(designation: &str) -> String {
    fold(designation)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A key whose numbers sort in numeric order: every run of digits is zero-padded to
/// ten places (`ISO 9001-2:2015` → `ISO 0000009001-0000000002:0000002015`).
pub(crate) fn sort_key(key: &str) -> String {
    let mut padded = String::with_capacity(key.len() + 32);
    let mut digits = String::new();
    for ch in key.chars().chain(std::iter::once('\0')) {
        if ch.is_ascii_digit() {
            digits.push(ch);
            continue;
        }
        if !digits.is_empty() {
            padded.push_str(&format!("{digits:0>10}"));
            digits.clear();
        }
        if ch != '\0' {
            padded.push(ch);
        }
    }
    padded
}

/// The index document of a standard.
fn document(fields: &Fields, id: i64, key: &str, record: &Standard) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.id, id as u64);
    doc.add_text(fields.key, key);
    doc.add_text(fields.undated, lenient_keys(&record.designation).1);
    doc.add_text(fields.sort_key, sort_key(key));
    doc.add_text(fields.compact, compact_key(&record.designation));
    doc.add_text(fields.designation, fold(&record.designation));
    let mut tag = |name: &str, value: &str| {
        if let Some(index) = tag_index(name)
            && !value.is_empty()
        {
            doc.add_text(fields.tags[index], value);
        }
    };
    for title in &record.titles {
        tag("lang", &title.lang);
    }
    if let Some(status) = record.status {
        tag("status", status.as_str());
    }
    if let Some(nature) = stdbridge_core::Designation::parse(&record.designation)
        .ok()
        .and_then(|designation| designation.nature())
    {
        tag("nature", nature.as_str());
    }
    for publisher in &record.publishers {
        tag("body", publisher);
    }
    if let Some(country) = &record.country {
        tag("country", country);
    }
    if let Some(scope) = record.scope.and_then(|s| serde_json::to_value(s).ok()) {
        tag("scope", scope.as_str().unwrap_or_default());
    }
    if let Some(doc_type) = record.doc_type.and_then(|d| serde_json::to_value(d).ok()) {
        tag("type", doc_type.as_str().unwrap_or_default());
    }
    for code in &record.ccs {
        tag("ccs", code);
    }
    for code in &record.ics {
        if !stdbridge_core::reference::IcsCode::is_well_formed(code) {
            continue;
        }
        // Every level, so that `ics:13` and `ics:13.020` both find 13.020.10.
        let parts: Vec<&str> = code.split('.').collect();
        for depth in 1..=parts.len() {
            tag("ics", &parts[..depth].join("."));
        }
        tag("ics_field", parts[0]);
    }
    for title in &record.titles {
        let text = stdbridge_text::fold_for_search(&title.full);
        match TITLE_LANGUAGES.iter().position(|lang| *lang == title.lang) {
            Some(index) => doc.add_text(fields.titles[index], &text),
            None => doc.add_text(fields.title_other, &text),
        }
        if title.lang == "zh" {
            doc.add_text(fields.title_zh_bigrams, &text);
        }
        if !matches!(title.lang.as_str(), "zh" | "ja" | "ko" | "ru") {
            doc.add_text(fields.title_words, &text);
        }
    }
    for (field, lang) in fields.keywords.iter().zip(KEYWORD_LANGUAGES) {
        let mut words: Vec<String> = record
            .titles
            .iter()
            .filter(|title| title.lang == lang)
            .flat_map(|title| stdbridge_text::title_keywords(lang, &title.full))
            .collect();
        words.sort_unstable();
        words.dedup();
        for word in words {
            doc.add_text(*field, word);
        }
    }
    if let Some(year) = record.year() {
        doc.add_u64(fields.year, u64::from(year));
    }
    let draft = stdbridge_core::Designation::parse(&record.designation).is_ok_and(|d| d.is_draft());
    let rank = if draft {
        3
    } else {
        record.status.map_or(2, |s| u64::from(s.currency_rank()))
    };
    doc.add_u64(fields.rank, rank);
    doc
}

#[cfg(test)]
mod tests {
    use super::{compact_key, sort_key};

    #[test]
    fn sort_keys_order_numbers_numerically() {
        let mut keys = [
            "ISO 10:2000",
            "ISO 9001-10:2015",
            "ISO 9001-2:2015",
            "ISO 9:1990",
        ];
        keys.sort_by_key(|k| sort_key(k));
        assert_eq!(
            keys,
            [
                "ISO 9:1990",
                "ISO 10:2000",
                "ISO 9001-2:2015",
                "ISO 9001-10:2015"
            ]
        );
    }

    #[test]
    fn compact_keys_ignore_spacing_case_and_width() {
        assert_eq!(compact_key("UNI ISO 1288-2:2025"), "UNIISO1288-2:2025");
        assert_eq!(compact_key("uni iso1288-2:2025"), "UNIISO1288-2:2025");
        assert_eq!(
            compact_key("ＧＢ／Ｔ １７７６６—２０２０"),
            compact_key("GB/T 17766-2020")
        );
    }
}
