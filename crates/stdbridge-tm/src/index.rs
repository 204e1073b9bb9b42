//! The candidate index of translation memories: a tantivy index in DATA_DIR/index/tm.
//!
//! Each language version of a unit is one document whose terms are its content grams —
//! character bigrams for Chinese and Japanese text (a character at the end pairs with
//! `$`), words elsewhere — each prefixed with the memory's id, so that a lookup reads
//! only the postings of the memories asked for. A lookup takes the best candidates by
//! BM25 and the caller re-scores them exactly; concordance requires every gram of the
//! phrase and the caller checks the text itself. The store is the system of record: the
//! index's commit records the store's write generation, and an index that does not
//! match it is rebuilt.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::error::TmError;
use crate::fuzzy::{Analyzed, is_cjk_char};
use crate::unit::{Unit, primary_language};

/// Bumped when the documents change shape; an index of another version is rebuilt.
const SCHEMA_VERSION: &str = "tm-2";

/// The TM candidate index.
pub struct TmIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    path: PathBuf,
    /// The opstamp of the commit the reader reads (to notice other processes' commits).
    seen_opstamp: AtomicU64,
}

#[derive(Clone, Copy)]
struct Fields {
    unit: Field,
    memory: Field,
    lang: Field,
    grams: Field,
}

/// A candidate from the index.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// The unit's id in the store.
    pub unit: i64,
    /// The BM25 score of its grams.
    pub score: f32,
}

impl TmIndex {
    /// Opens (or creates) the index of a data directory.
    pub fn open(data_dir: &Path) -> Result<TmIndex, TmError> {
        TmIndex::open_in(&data_dir.join("index").join("tm"))
    }

    /// Opens (or creates) the index in the directory `path` itself.
    pub fn open_in(path: &Path) -> Result<TmIndex, TmError> {
        let path = path.to_owned();
        let version_file = path.join("stdbridge-version");
        let current = std::fs::read_to_string(&version_file).unwrap_or_default();
        if current.trim() != SCHEMA_VERSION && path.exists() {
            std::fs::remove_dir_all(&path).map_err(|e| TmError::io(&path, e))?;
        }
        std::fs::create_dir_all(&path).map_err(|e| TmError::io(&path, e))?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(&path)
            .map_err(|e| TmError::Index(format!("{}: {e}", path.display())))?;
        let index = Index::open_or_create(directory, schema)
            .map_err(|e| TmError::Index(format!("{}: {e}", path.display())))?;
        std::fs::write(&version_file, SCHEMA_VERSION).map_err(|e| TmError::io(&version_file, e))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| TmError::Index(format!("{}: {e}", path.display())))?;
        let seen_opstamp = AtomicU64::new(index.load_metas().map(|m| m.opstamp).unwrap_or(0));
        Ok(TmIndex {
            index,
            reader,
            fields,
            path,
            seen_opstamp,
        })
    }

    /// The store generation the index reflects (0 when never committed).
    pub fn generation(&self) -> i64 {
        self.index
            .load_metas()
            .ok()
            .and_then(|metas| metas.payload)
            .and_then(|payload| payload.parse().ok())
            .unwrap_or(0)
    }

    /// Where the index lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes on disk.
    pub fn size_bytes(&self) -> u64 {
        std::fs::read_dir(&self.path)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|entry| entry.metadata().ok())
                    .map(|meta| meta.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    /// A writer (one per process at a time).
    pub fn writer(&self) -> Result<IndexWriter, TmError> {
        self.index
            .writer(256 * 1024 * 1024)
            .map_err(|e| self.error(e))
    }

    /// Adds the documents of one unit.
    pub fn add_unit(
        &self,
        writer: &IndexWriter,
        memory: i64,
        unit_id: i64,
        unit: &Unit,
    ) -> Result<(), TmError> {
        for variant in &unit.variants {
            let analyzed = Analyzed::segment(&variant.seg);
            let document = self.document(memory, unit_id, &variant.lang, &analyzed);
            writer.add_document(document).map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    fn document(
        &self,
        memory: i64,
        unit_id: i64,
        lang: &str,
        analyzed: &Analyzed,
    ) -> TantivyDocument {
        let mut document = TantivyDocument::default();
        document.add_u64(self.fields.unit, unit_id as u64);
        document.add_u64(self.fields.memory, memory as u64);
        document.add_u64(self.fields.lang, lang_code(lang));
        document.add_text(self.fields.grams, grams(memory, analyzed).join(" "));
        document
    }

    /// Removes every document of a unit.
    pub fn delete_unit(&self, writer: &IndexWriter, unit_id: i64) {
        writer.delete_term(Term::from_field_u64(self.fields.unit, unit_id as u64));
    }

    /// Removes every document of a memory.
    pub fn delete_memory(&self, writer: &IndexWriter, memory: i64) {
        writer.delete_term(Term::from_field_u64(self.fields.memory, memory as u64));
    }

    /// Commits, recording the store generation, and makes the changes visible.
    pub fn commit(&self, writer: &mut IndexWriter, generation: i64) -> Result<(), TmError> {
        let mut prepared = writer.prepare_commit().map_err(|e| self.error(e))?;
        prepared.set_payload(&generation.to_string());
        prepared.commit().map_err(|e| self.error(e))?;
        self.reload()
    }

    /// Sees what another process committed since this one last looked; returns whether
    /// there was anything new.
    pub fn reload_if_changed(&self) -> Result<bool, TmError> {
        let on_disk = self.index.load_metas().map_err(|e| self.error(e))?.opstamp;
        if on_disk == self.seen_opstamp.load(Ordering::Acquire) {
            return Ok(false);
        }
        self.reload()?;
        Ok(true)
    }

    fn reload(&self) -> Result<(), TmError> {
        let on_disk = self.index.load_metas().map_err(|e| self.error(e))?.opstamp;
        self.reader.reload().map_err(|e| self.error(e))?;
        self.seen_opstamp.store(on_disk, Ordering::Release);
        Ok(())
    }

    /// Merges all segments into one (after a large import or a rebuild).
    pub fn merge_all(&self, mut writer: IndexWriter) -> Result<(), TmError> {
        let segments = self
            .index
            .searchable_segment_ids()
            .map_err(|e| self.error(e))?;
        if segments.len() > 1 {
            writer.merge(&segments).wait().map_err(|e| self.error(e))?;
        }
        writer.wait_merging_threads().map_err(|e| self.error(e))?;
        self.reload()
    }

    /// Removes every document (before a rebuild).
    pub fn clear(&self, writer: &mut IndexWriter) -> Result<(), TmError> {
        writer.delete_all_documents().map_err(|e| self.error(e))?;
        Ok(())
    }

    /// The best `limit` candidates for a query in the given memories and source language.
    pub fn candidates(
        &self,
        memories: &[i64],
        lang: &str,
        query: &Analyzed,
        limit: usize,
    ) -> Result<Vec<Candidate>, TmError> {
        let mut terms: Vec<String> = Vec::new();
        for memory in memories {
            terms.extend(grams(*memory, query));
        }
        terms.sort_unstable();
        terms.dedup();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|gram| (Occur::Should, self.term_query(gram)))
            .collect();
        let wanted = lang_code(lang);
        let searcher = self.reader.searcher();
        let mut out = Vec::with_capacity(limit);
        let mut fetch = limit.max(1);
        loop {
            let hits = searcher
                .search(
                    &BooleanQuery::new(clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect()),
                    &TopDocs::with_limit(fetch).order_by_score(),
                )
                .map_err(|e| self.error(e))?;
            out.clear();
            for (score, address) in &hits {
                let reader = searcher.segment_reader(address.segment_ord);
                let fast = reader.fast_fields();
                let lang_of = fast.u64("lang").map_err(|e| self.error(e))?;
                if lang_of.first(address.doc_id) != Some(wanted) {
                    continue;
                }
                let unit = fast.u64("unit").map_err(|e| self.error(e))?;
                if let Some(id) = unit.first(address.doc_id) {
                    out.push(Candidate {
                        unit: id as i64,
                        score: *score,
                    });
                }
            }
            // Documents of other languages may have taken places: ask for more.
            if out.len() >= limit || hits.len() < fetch || fetch >= limit * 16 {
                break;
            }
            fetch *= 4;
        }
        out.truncate(limit);
        Ok(out)
    }

    /// Units in the memories whose text (any language) has every gram of `phrase`; the
    /// caller checks the phrase itself.
    pub fn containing(
        &self,
        memories: &[i64],
        phrase: &Analyzed,
        limit: usize,
    ) -> Result<Vec<i64>, TmError> {
        let mut per_memory: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for memory in memories {
            let mut terms = grams(*memory, phrase);
            terms.sort_unstable();
            terms.dedup();
            let mut all: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(terms.len());
            for gram in &terms {
                match gram.strip_suffix('$') {
                    // A phrase's last CJK character pairs with whatever follows it in the
                    // text (or with the end): any gram that starts with it.
                    Some(first) => all.push((Occur::Must, self.prefix_query(first)?)),
                    None => all.push((Occur::Must, self.term_query(gram))),
                }
            }
            if !all.is_empty() {
                per_memory.push((Occur::Should, Box::new(BooleanQuery::new(all))));
            }
        }
        if per_memory.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let hits = searcher
            .search(
                &BooleanQuery::new(per_memory),
                &TopDocs::with_limit(limit).order_by_score(),
            )
            .map_err(|e| self.error(e))?;
        let mut out = Vec::with_capacity(hits.len());
        for (_, address) in hits {
            let reader = searcher.segment_reader(address.segment_ord);
            let unit = reader
                .fast_fields()
                .u64("unit")
                .map_err(|e| self.error(e))?;
            if let Some(id) = unit.first(address.doc_id) {
                out.push(id as i64);
            }
        }
        out.dedup();
        Ok(out)
    }

    /// Any gram of two characters that starts with `first` (`{memory}|X`).
    fn prefix_query(&self, first: &str) -> Result<Box<dyn Query>, TmError> {
        let pattern = format!("{}.", regex_syntax::escape(first));
        let query = tantivy::query::RegexQuery::from_pattern(&pattern, self.fields.grams)
            .map_err(|e| self.error(e))?;
        Ok(Box::new(query))
    }

    fn term_query(&self, gram: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(self.fields.grams, gram),
            IndexRecordOption::WithFreqs,
        ))
    }

    fn error(&self, error: tantivy::TantivyError) -> TmError {
        TmError::Index(format!("{}: {error}", self.path.display()))
    }
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let unit = builder.add_u64_field("unit", INDEXED | FAST | STORED);
    let memory = builder.add_u64_field("memory", INDEXED);
    let lang = builder.add_u64_field("lang", FAST);
    let grams = builder.add_text_field(
        "grams",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("whitespace")
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    (
        builder.build(),
        Fields {
            unit,
            memory,
            lang,
            grams,
        },
    )
}

/// The index terms of a text in a memory: `{memory}|{gram}`.
pub fn grams(memory: i64, analyzed: &Analyzed) -> Vec<String> {
    let keys: Vec<&str> = analyzed
        .content_keys()
        .map(|token| token.key.as_str())
        .collect();
    let mut out = Vec::with_capacity(keys.len());
    for (at, key) in keys.iter().enumerate() {
        let cjk = key.chars().next().is_some_and(is_cjk_char);
        if !cjk {
            out.push(format!("{memory}|{key}"));
            continue;
        }
        match keys.get(at + 1) {
            Some(next) if next.chars().next().is_some_and(is_cjk_char) => {
                out.push(format!("{memory}|{key}{next}"));
            }
            _ => out.push(format!("{memory}|{key}$")),
        }
    }
    out
}

/// A language's primary subtag packed into a number (for a fast field).
pub fn lang_code(tag: &str) -> u64 {
    let primary = primary_language(tag);
    let mut code = 0u64;
    for byte in primary.bytes().take(8) {
        code = (code << 8) | u64::from(byte);
    }
    code
}
