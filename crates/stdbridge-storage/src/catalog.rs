//! The catalogue's repository: standards merged from their sources, relations in both
//! directions, the change log, statistics, and import transactions — what every backend
//! provides, and the records it hands out.

use async_trait::async_trait;
use serde::Serialize;
use sha2::{Digest, Sha256};
use stdbridge_core::Standard;
use stdbridge_core::designation::lenient_keys;

use crate::StorageError;

/// The catalogue as a backend keeps it.
#[async_trait]
pub trait CatalogRepository: Send + Sync {
    /// Starts an import of `path` in `format`: one transaction, visible all at once when
    /// committed, gone when rolled back or dropped.
    async fn begin_import(
        &self,
        path: &str,
        format: &str,
    ) -> Result<Box<dyn CatalogImport>, StorageError>;

    /// The standard stored under `key`, if any.
    async fn by_key(&self, key: &str) -> Result<Option<StoredStandard>, StorageError>;

    /// Every standard whose undated key is `undated_key` (all editions and drafts of a
    /// work), in id order.
    async fn by_undated_key(&self, undated_key: &str) -> Result<Vec<StoredStandard>, StorageError>;

    /// Standards that state an adoption of, or an equivalence with, the document whose key
    /// is `target_key` — the national editions of an international standard.
    async fn adopters_of(&self, target_key: &str) -> Result<Vec<Adopter>, StorageError>;

    /// Relations of a standard in both directions: those it states, and those other
    /// standards state about it (shown inverted: "ISO 9001:2015 replaces ISO 9001:2008"
    /// is "replaced-by ISO 9001:2015" on ISO 9001:2008).
    async fn relations_of(
        &self,
        standard: &StoredStandard,
    ) -> Result<Vec<RelatedStandard>, StorageError>;

    /// Standards with id above `after`, in id order, at most `limit`: for rebuilding an
    /// index from the store in chunks. Sources are not read.
    async fn records_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, Standard)>, StorageError>;

    /// The standards with these ids (those still stored), without their sources.
    async fn records_by_ids(
        &self,
        ids: &[i64],
    ) -> Result<Vec<(i64, String, Standard)>, StorageError>;

    /// Counts of what the store holds.
    async fn stats(&self) -> Result<Stats, StorageError>;

    /// The change log's last sequence number (0 when empty): cheap at any size.
    async fn last_change(&self) -> Result<i64, StorageError>;

    /// Changes after sequence number `after`, oldest first, at most `limit`.
    async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<Change>, StorageError>;
}

/// A running import: one transaction.
#[async_trait]
pub trait CatalogImport: Send {
    /// The id of this import in the imports table.
    fn id(&self) -> i64;

    /// Merges a batch of records into the store (within the import's transaction).
    async fn apply(&mut self, prepared: Vec<Prepared>) -> Result<BatchOutcome, StorageError>;

    /// Records the totals and commits: the import becomes visible all at once.
    async fn commit(
        self: Box<Self>,
        inserted: u64,
        updated: u64,
        unchanged: u64,
        rejected: u64,
    ) -> Result<(), StorageError>;

    /// Abandons the import: the store is left as it was before it began.
    async fn rollback(self: Box<Self>) -> Result<(), StorageError>;
}

/// A standard as stored, with its store identity.
#[derive(Debug, Clone, Serialize)]
pub struct StoredStandard {
    /// Row id.
    pub id: i64,
    /// Lookup key.
    pub key: String,
    /// The merged record.
    pub record: Standard,
    /// Names of the sources that contributed.
    pub sources: Vec<String>,
    /// Change-log sequence number of the last change.
    pub updated_seq: i64,
}

/// A relation seen from a standard, resolved to the other standard when it is stored.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RelatedStandard {
    /// The relation, seen from the standard asked about (`replaces`, `replaced-by`…).
    pub kind: String,
    /// The other document's designation.
    pub designation: String,
    /// Adoption degree, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub degree: Option<String>,
    /// Mutual-recognition catalogue, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<String>,
    /// Whether the other document is in the store.
    pub in_catalogue: bool,
}

/// A standard that adopts (or is equivalent to) another.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Adopter {
    /// Its designation.
    pub designation: String,
    /// Its country, for a national standard.
    pub country: Option<String>,
    /// Its status (`published`, `withdrawn`…), when known.
    pub status: Option<String>,
    /// `adopts` or `equivalent`.
    pub kind: String,
    /// IDT, MOD, NEQ or EQV, when known.
    pub degree: Option<String>,
}

/// One entry of the change log.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Change {
    /// Sequence number (only grows).
    pub seq: i64,
    /// The standard's row id.
    pub standard_id: i64,
    /// Its key.
    pub key: String,
    /// `insert`, `update` or `delete`.
    pub op: String,
}

/// Counts by a field's value.
pub type Counts = Vec<(String, i64)>;

/// What the store holds.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Number of standards.
    pub standards: i64,
    /// Number of source records behind them.
    pub source_records: i64,
    /// Number of relations.
    pub relations: i64,
    /// Standards by first publisher.
    pub by_publisher: Counts,
    /// Standards by status.
    pub by_status: Counts,
    /// Standards by document type.
    pub by_doc_type: Counts,
    /// Standards by country (national standards).
    pub by_country: Counts,
    /// Reference data: ICS codes, CCS codes, countries, bodies.
    pub reference: Counts,
    /// Last change-log sequence number.
    pub last_change: i64,
    /// Number of imports run.
    pub imports: i64,
    /// Number of translation memories.
    pub memories: i64,
    /// Number of translation units in them.
    pub units: i64,
    /// Number of termbases.
    pub termbases: i64,
    /// Number of concepts in them.
    pub concepts: i64,
}

/// A record of one standard, as one source gives it.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// The record.
    pub record: Standard,
    /// Which source says it (file name and, for collections, the record's path).
    pub source: String,
    /// 0 when the source is the document's publisher; the merge prefers lower numbers.
    pub priority: u8,
}

/// Two spellings of one designation that normalization joined into one standard.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Merge {
    /// The key they share.
    pub key: String,
    /// The designation already stored.
    pub stored: String,
    /// The other spelling, now merged into it.
    pub merged: String,
}

/// What a batch did.
#[derive(Debug, Clone, Default)]
pub struct BatchOutcome {
    /// Records that created a standard.
    pub inserted: u64,
    /// Records that changed a standard (a new source, or a source that changed).
    pub updated: u64,
    /// Records identical to what the store had.
    pub unchanged: u64,
    /// Spellings joined by normalization.
    pub merges: Vec<Merge>,
}

/// An incoming record made ready for the store: keys, JSON, hash and the derived columns.
/// Preparing is pure work that any thread can do (the importers do it on their reader
/// thread, so that the store's side only merges and writes).
pub struct Prepared {
    pub(crate) key: String,
    pub(crate) source: String,
    pub(crate) priority: u8,
    pub(crate) hash: String,
    pub(crate) json: String,
    pub(crate) columns: Columns,
    pub(crate) relation_keys: Vec<String>,
    pub(crate) record: Standard,
}

impl Incoming {
    /// Computes everything the store needs from the record alone.
    pub fn prepare(self) -> Prepared {
        let (key, undated_key) = lenient_keys(&self.record.designation);
        let json = serde_json::to_string(&self.record).unwrap_or_default();
        let hash = hex(&Sha256::digest(json.as_bytes()));
        let columns = Columns::of(&self.record, undated_key);
        let relation_keys = relation_keys(&self.record);
        Prepared {
            key,
            source: self.source,
            priority: self.priority,
            hash,
            json,
            columns,
            relation_keys,
            record: self.record,
        }
    }
}

/// Columns derived from a record, for filtering and listing without reading its JSON.
#[derive(Clone)]
pub(crate) struct Columns {
    pub(crate) undated_key: String,
    pub(crate) designation: String,
    pub(crate) status: Option<&'static str>,
    pub(crate) doc_type: Option<String>,
    pub(crate) scope: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) publisher: Option<String>,
    pub(crate) year: Option<i64>,
}

impl Columns {
    pub(crate) fn of(record: &Standard, undated_key: String) -> Columns {
        Columns {
            undated_key,
            designation: record.designation.clone(),
            status: record.status.map(|s| s.as_str()),
            doc_type: record.doc_type.and_then(|d| enum_name(&d)),
            scope: record.scope.and_then(|s| enum_name(&s)),
            country: record.country.clone(),
            publisher: record.publishers.first().cloned(),
            year: record.year().map(i64::from),
        }
    }
}

/// The lookup key of each relation's target, in the order of the relations.
pub(crate) fn relation_keys(record: &Standard) -> Vec<String> {
    record
        .relations
        .iter()
        .map(|relation| lenient_keys(&relation.target).0)
        .collect()
}

pub(crate) fn enum_name<T: serde::Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => Some(name),
        _ => None,
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Adds a relation unless the same one (kind, other document, catalogue) is there: a
/// relation stored on both sides is shown once, and a standard in two mutual-recognition
/// catalogues shows both.
pub(crate) fn push_unique(related: &mut Vec<RelatedStandard>, item: RelatedStandard) {
    if !related.iter().any(|r| {
        r.kind == item.kind && r.designation == item.designation && r.catalogue == item.catalogue
    }) {
        related.push(item);
    }
}
