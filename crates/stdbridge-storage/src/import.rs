//! Import sessions: batches of source records merged into standards inside one
//! transaction, with the change log written alongside.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Sqlite, Transaction};
use stdbridge_core::Standard;
use stdbridge_core::designation::lenient_keys;
use stdbridge_core::merge::{SourceRecord, merge};

use crate::{StorageError, Store};

/// SQLite allows 32,766 bound values per statement; rows are written in chunks below that.
const MAX_BINDS: usize = 30_000;

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

/// A running import: one transaction. Dropping it without [`ImportSession::commit`]
/// rolls everything back.
pub struct ImportSession {
    tx: Transaction<'static, Sqlite>,
    import_id: i64,
    next_id: i64,
    next_seq: i64,
}

/// An incoming record made ready for the store: keys, JSON, hash and the derived columns.
/// Preparing is pure work that any thread can do (the importers do it on their reader
/// thread, so that the store's side only merges and writes).
pub struct Prepared {
    key: String,
    source: String,
    priority: u8,
    hash: String,
    json: String,
    columns: Columns,
    relation_keys: Vec<String>,
    record: Standard,
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

/// A source row as stored.
struct StoredSource {
    priority: u8,
    hash: String,
    designation: String,
    record: Option<Standard>,
}

impl Store {
    /// Starts an import of `path` in `format`, in a transaction of its own.
    pub async fn begin_import(
        &self,
        path: &str,
        format: &str,
    ) -> Result<ImportSession, StorageError> {
        let mut tx = self.pool.begin().await?;
        // Take the write lock now, so that the ids and sequence numbers read below stay ours.
        let import_id: i64 =
            sqlx::query_scalar("INSERT INTO imports (path, format) VALUES (?, ?) RETURNING id")
                .bind(path)
                .bind(format)
                .fetch_one(&mut *tx)
                .await?;
        let next_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM standards")
            .fetch_one(&mut *tx)
            .await?;
        let next_seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM changes")
            .fetch_one(&mut *tx)
            .await?;
        Ok(ImportSession {
            tx,
            import_id,
            next_id,
            next_seq,
        })
    }
}

impl ImportSession {
    /// The id of this import in the `imports` table.
    pub fn id(&self) -> i64 {
        self.import_id
    }

    /// Merges a batch of records into the store (within the session's transaction).
    pub async fn apply(&mut self, prepared: Vec<Prepared>) -> Result<BatchOutcome, StorageError> {
        let keys: Vec<&str> = dedup(prepared.iter().map(|p| p.key.as_str()));
        let existing = self.existing_ids(&keys).await?;
        let ids: Vec<i64> = existing.values().copied().collect();
        let mut stored = self.stored_sources(&ids, false).await?;

        let mut outcome = BatchOutcome::default();
        let mut touched: Vec<(String, i64, bool)> = Vec::new(); // key, id, new
        let mut by_key: HashMap<String, (i64, bool)> = HashMap::new();
        let mut pending: HashMap<i64, Vec<&Prepared>> = HashMap::new();
        for item in &prepared {
            let (id, is_new) = match by_key.get(&item.key) {
                Some(&(id, _)) => (id, false),
                None => {
                    let (id, is_new) = match existing.get(&item.key) {
                        Some(&id) => (id, false),
                        None => {
                            let id = self.next_id;
                            self.next_id += 1;
                            (id, true)
                        }
                    };
                    by_key.insert(item.key.clone(), (id, is_new));
                    (id, is_new)
                }
            };
            let sources = stored.entry(id).or_default();
            let same = sources
                .get(&item.source)
                .is_some_and(|s| s.hash == item.hash && s.priority == item.priority);
            if same {
                outcome.unchanged += 1;
                continue;
            }
            if let Some(other) = sources
                .values()
                .find(|s| s.designation != item.record.designation)
            {
                outcome.merges.push(Merge {
                    key: item.key.clone(),
                    stored: other.designation.clone(),
                    merged: item.record.designation.clone(),
                });
            }
            sources.insert(
                item.source.clone(),
                StoredSource {
                    priority: item.priority,
                    hash: item.hash.clone(),
                    designation: item.record.designation.clone(),
                    record: Some(item.record.clone()),
                },
            );
            if is_new && !pending.contains_key(&id) {
                outcome.inserted += 1;
                touched.push((item.key.clone(), id, true));
            } else {
                outcome.updated += 1;
                if !pending.contains_key(&id) {
                    touched.push((item.key.clone(), id, false));
                }
            }
            pending.entry(id).or_default().push(item);
        }
        if touched.is_empty() {
            return Ok(outcome);
        }
        self.load_missing_records(&mut stored, &touched).await?;
        self.write(&touched, &pending, &stored).await?;
        Ok(outcome)
    }

    async fn existing_ids(&mut self, keys: &[&str]) -> Result<HashMap<String, i64>, StorageError> {
        let mut found = HashMap::with_capacity(keys.len());
        for chunk in keys.chunks(MAX_BINDS) {
            let mut query =
                QueryBuilder::<Sqlite>::new("SELECT key, id FROM standards WHERE key IN (");
            let mut list = query.separated(", ");
            for key in chunk {
                list.push_bind(*key);
            }
            query.push(")");
            let rows: Vec<(String, i64)> = query.build_query_as().fetch_all(&mut *self.tx).await?;
            found.extend(rows);
        }
        Ok(found)
    }

    async fn stored_sources(
        &mut self,
        ids: &[i64],
        with_records: bool,
    ) -> Result<HashMap<i64, HashMap<String, StoredSource>>, StorageError> {
        let mut found: HashMap<i64, HashMap<String, StoredSource>> = HashMap::new();
        let columns = if with_records { "record" } else { "NULL" };
        for chunk in ids.chunks(MAX_BINDS) {
            let mut query = QueryBuilder::<Sqlite>::new(format!(
                "SELECT standard_id, source, priority, hash, designation, {columns} FROM standard_sources WHERE standard_id IN ("
            ));
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(")");
            let rows: Vec<(i64, String, i64, String, String, Option<String>)> =
                query.build_query_as().fetch_all(&mut *self.tx).await?;
            for (id, source, priority, hash, designation, json) in rows {
                let record = match json {
                    Some(json) => Some(serde_json::from_str(&json).map_err(|source| {
                        StorageError::Corrupt {
                            key: designation.clone(),
                            source,
                        }
                    })?),
                    None => None,
                };
                let priority = u8::try_from(priority).unwrap_or(u8::MAX);
                found.entry(id).or_default().insert(
                    source,
                    StoredSource {
                        priority,
                        hash,
                        designation,
                        record,
                    },
                );
            }
        }
        Ok(found)
    }

    /// Standards that changed and have other stored sources need those sources' records
    /// to be merged again.
    async fn load_missing_records(
        &mut self,
        stored: &mut HashMap<i64, HashMap<String, StoredSource>>,
        touched: &[(String, i64, bool)],
    ) -> Result<(), StorageError> {
        let need: Vec<i64> = touched
            .iter()
            .filter(|(_, id, _)| {
                stored
                    .get(id)
                    .is_some_and(|s| s.values().any(|src| src.record.is_none()))
            })
            .map(|(_, id, _)| *id)
            .collect();
        if need.is_empty() {
            return Ok(());
        }
        let loaded = self.stored_sources(&need, true).await?;
        for (id, sources) in loaded {
            let entry = stored.entry(id).or_default();
            for (name, source) in sources {
                if let Some(current) = entry.get_mut(&name)
                    && current.record.is_none()
                {
                    current.record = source.record;
                }
            }
        }
        Ok(())
    }

    async fn write(
        &mut self,
        touched: &[(String, i64, bool)],
        pending: &HashMap<i64, Vec<&Prepared>>,
        stored: &HashMap<i64, HashMap<String, StoredSource>>,
    ) -> Result<(), StorageError> {
        let mut standards = Vec::with_capacity(touched.len());
        let mut relations = Vec::new();
        let mut changes = Vec::with_capacity(touched.len());
        for (key, id, is_new) in touched {
            let Some(sources) = stored.get(id) else {
                continue;
            };
            let seq = self.next_seq;
            self.next_seq += 1;
            let only = match (
                sources.len(),
                pending.get(id).and_then(|items| items.last()),
            ) {
                (1, Some(item)) => Some(*item),
                _ => None,
            };
            let row = match only {
                // One source: the merged record is that record; the store keeps one copy.
                Some(item) => {
                    push_relations(&mut relations, *id, &item.record, &item.relation_keys);
                    StandardRow {
                        id: *id,
                        key: key.clone(),
                        columns: item.columns.clone(),
                        record: None,
                        seq,
                    }
                }
                None => {
                    let views: Vec<SourceRecord<'_>> = sources
                        .iter()
                        .filter_map(|(name, s)| {
                            s.record.as_ref().map(|record| SourceRecord {
                                priority: s.priority,
                                source: name,
                                record,
                            })
                        })
                        .collect();
                    let merged = merge(&views);
                    push_relations(&mut relations, *id, &merged, &relation_keys(&merged));
                    let undated_key = lenient_keys(&merged.designation).1;
                    let json = serde_json::to_string(&merged).unwrap_or_default();
                    StandardRow {
                        id: *id,
                        key: key.clone(),
                        columns: Columns::of(&merged, undated_key),
                        record: Some(json),
                        seq,
                    }
                }
            };
            standards.push(row);
            changes.push((
                seq,
                *id,
                key.clone(),
                if *is_new { "insert" } else { "update" },
            ));
        }
        self.upsert_standards(&standards).await?;
        self.upsert_sources(touched, pending).await?;
        self.replace_relations(touched, &relations).await?;
        self.append_changes(&changes).await?;
        Ok(())
    }

    async fn upsert_standards(&mut self, rows: &[StandardRow]) -> Result<(), StorageError> {
        for chunk in rows.chunks(MAX_BINDS / 14) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT INTO standards (id, key, undated_key, designation, status, doc_type, scope, country, \
                 publisher, year, record, created_seq, updated_seq) ",
            );
            query.push_values(chunk, |mut row, s| {
                let c = &s.columns;
                row.push_bind(s.id)
                    .push_bind(&s.key)
                    .push_bind(&c.undated_key)
                    .push_bind(&c.designation)
                    .push_bind(c.status)
                    .push_bind(&c.doc_type)
                    .push_bind(&c.scope)
                    .push_bind(&c.country)
                    .push_bind(&c.publisher)
                    .push_bind(c.year)
                    .push_bind(&s.record)
                    .push_bind(s.seq)
                    .push_bind(s.seq);
            });
            query.push(
                " ON CONFLICT (id) DO UPDATE SET undated_key = excluded.undated_key, designation = excluded.designation, \
                 status = excluded.status, doc_type = excluded.doc_type, scope = excluded.scope, \
                 country = excluded.country, publisher = excluded.publisher, year = excluded.year, \
                 record = excluded.record, updated_seq = excluded.updated_seq",
            );
            query.build().execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    async fn upsert_sources(
        &mut self,
        touched: &[(String, i64, bool)],
        pending: &HashMap<i64, Vec<&Prepared>>,
    ) -> Result<(), StorageError> {
        // The last record of a source in the batch wins.
        let mut rows: Vec<(i64, &Prepared)> = Vec::new();
        let mut seen: HashSet<(i64, &str)> = HashSet::new();
        for (_, id, _) in touched {
            for item in pending.get(id).into_iter().flatten().rev() {
                if seen.insert((*id, item.source.as_str())) {
                    rows.push((*id, item));
                }
            }
        }
        for chunk in rows.chunks(MAX_BINDS / 7) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT INTO standard_sources (standard_id, source, priority, hash, designation, record, import_id) ",
            );
            let import_id = self.import_id;
            query.push_values(chunk, |mut row, (id, item)| {
                row.push_bind(*id)
                    .push_bind(&item.source)
                    .push_bind(i64::from(item.priority))
                    .push_bind(&item.hash)
                    .push_bind(&item.record.designation)
                    .push_bind(&item.json)
                    .push_bind(import_id);
            });
            query.push(
                " ON CONFLICT (standard_id, source) DO UPDATE SET priority = excluded.priority, hash = excluded.hash, \
                 designation = excluded.designation, record = excluded.record, import_id = excluded.import_id",
            );
            query.build().execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    async fn replace_relations(
        &mut self,
        touched: &[(String, i64, bool)],
        relations: &[(i64, &'static str, String, stdbridge_core::Relation)],
    ) -> Result<(), StorageError> {
        let updated: Vec<i64> = touched
            .iter()
            .filter(|(_, _, new)| !new)
            .map(|(_, id, _)| *id)
            .collect();
        for chunk in updated.chunks(MAX_BINDS) {
            let mut query =
                QueryBuilder::<Sqlite>::new("DELETE FROM relations WHERE standard_id IN (");
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(")");
            query.build().execute(&mut *self.tx).await?;
        }
        for chunk in relations.chunks(MAX_BINDS / 6) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT INTO relations (standard_id, kind, target_key, target, degree, catalogue) ",
            );
            query.push_values(chunk, |mut row, (id, kind, target_key, relation)| {
                row.push_bind(*id)
                    .push_bind(*kind)
                    .push_bind(target_key)
                    .push_bind(&relation.target)
                    .push_bind(relation.degree.map(degree_name))
                    .push_bind(&relation.catalogue);
            });
            query.build().execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    async fn append_changes(
        &mut self,
        changes: &[(i64, i64, String, &str)],
    ) -> Result<(), StorageError> {
        for chunk in changes.chunks(MAX_BINDS / 5) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT INTO changes (seq, standard_id, key, op, import_id) ",
            );
            let import_id = self.import_id;
            query.push_values(chunk, |mut row, (seq, id, key, op)| {
                row.push_bind(*seq)
                    .push_bind(*id)
                    .push_bind(key)
                    .push_bind(*op)
                    .push_bind(import_id);
            });
            query.build().execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Records the totals and commits: the import becomes visible all at once.
    pub async fn commit(
        mut self,
        inserted: u64,
        updated: u64,
        unchanged: u64,
        rejected: u64,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE imports SET finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), inserted = ?, updated = ?, \
             unchanged = ?, rejected = ? WHERE id = ?",
        )
        .bind(saturating_i64(inserted))
        .bind(saturating_i64(updated))
        .bind(saturating_i64(unchanged))
        .bind(saturating_i64(rejected))
        .bind(self.import_id)
        .execute(&mut *self.tx)
        .await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// Abandons the import: the store is left as it was before it began.
    pub async fn rollback(self) -> Result<(), StorageError> {
        self.tx.rollback().await?;
        Ok(())
    }
}

/// One `standards` row: the derived columns, and the merged record when it differs from
/// the only source's (`None` means "as the only source says").
struct StandardRow {
    id: i64,
    key: String,
    columns: Columns,
    record: Option<String>,
    seq: i64,
}

/// Columns derived from a record, for filtering and listing without reading its JSON.
#[derive(Clone)]
struct Columns {
    undated_key: String,
    designation: String,
    status: Option<&'static str>,
    doc_type: Option<String>,
    scope: Option<String>,
    country: Option<String>,
    publisher: Option<String>,
    year: Option<i64>,
}

impl Columns {
    fn of(record: &Standard, undated_key: String) -> Columns {
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
fn relation_keys(record: &Standard) -> Vec<String> {
    record
        .relations
        .iter()
        .map(|relation| lenient_keys(&relation.target).0)
        .collect()
}

fn push_relations(
    relations: &mut Vec<(i64, &'static str, String, stdbridge_core::Relation)>,
    id: i64,
    record: &Standard,
    keys: &[String],
) {
    for (relation, key) in record.relations.iter().zip(keys) {
        relations.push((id, relation.kind.as_str(), key.clone(), relation.clone()));
    }
}

fn enum_name<T: serde::Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => Some(name),
        _ => None,
    }
}

fn degree_name(degree: stdbridge_core::Degree) -> &'static str {
    match degree {
        stdbridge_core::Degree::Identical => "IDT",
        stdbridge_core::Degree::Modified => "MOD",
        stdbridge_core::Degree::NotEquivalent => "NEQ",
        stdbridge_core::Degree::Equivalent => "EQV",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn dedup<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    keys.filter(|key| seen.insert(*key)).collect()
}

fn saturating_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
