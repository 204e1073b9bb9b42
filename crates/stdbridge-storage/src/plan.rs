//! How a batch of prepared records merges into the catalogue, worked out without SQL:
//! which standards are new, which changed, which are unchanged, the rows to write and the
//! change-log entries — the same on every backend. A backend only reads what the plan
//! needs (ids by key, stored sources) and writes the rows it returns, inside its import
//! transaction.

use std::collections::{HashMap, HashSet};

use stdbridge_core::Standard;
use stdbridge_core::designation::lenient_keys;
use stdbridge_core::merge::{SourceRecord, merge};

use crate::catalog::{BatchOutcome, Columns, Merge, Prepared, relation_keys};

/// What a source said of a standard, as stored (its record only when read).
pub(crate) struct StoredSource {
    pub(crate) priority: u8,
    pub(crate) hash: String,
    pub(crate) designation: String,
    pub(crate) record: Option<Standard>,
}

/// Stored sources by standard id, then by source name.
pub(crate) type StoredSources = HashMap<i64, HashMap<String, StoredSource>>;

/// A standard the batch touches: its key, id, and whether the batch creates it.
pub(crate) struct Touched {
    pub(crate) key: String,
    pub(crate) id: i64,
    pub(crate) is_new: bool,
}

/// The batch worked out: counts, the standards it touches and each one's new records.
pub(crate) struct BatchPlan<'a> {
    pub(crate) outcome: BatchOutcome,
    pub(crate) touched: Vec<Touched>,
    pending: HashMap<i64, Vec<&'a Prepared>>,
}

/// One `standards` row: the derived columns, and the merged record when it differs from
/// the only source's (`None` means "as the only source says").
pub(crate) struct StandardWrite {
    pub(crate) id: i64,
    pub(crate) key: String,
    pub(crate) columns: Columns,
    pub(crate) record: Option<String>,
    pub(crate) seq: i64,
}

/// One `relations` row: the standard, the kind, the target's key and the relation.
pub(crate) struct RelationWrite {
    pub(crate) standard_id: i64,
    pub(crate) kind: &'static str,
    pub(crate) target_key: String,
    pub(crate) target: String,
    pub(crate) degree: Option<&'static str>,
    pub(crate) catalogue: Option<String>,
}

/// One change-log entry.
pub(crate) struct ChangeWrite {
    pub(crate) seq: i64,
    pub(crate) standard_id: i64,
    pub(crate) key: String,
    pub(crate) op: &'static str,
}

/// Every row a batch writes.
pub(crate) struct BatchRows<'a> {
    pub(crate) standards: Vec<StandardWrite>,
    /// The last record of each (standard, source) in the batch.
    pub(crate) sources: Vec<(i64, &'a Prepared)>,
    /// Standards that existed before: their relations are replaced.
    pub(crate) replaced_relations: Vec<i64>,
    pub(crate) relations: Vec<RelationWrite>,
    pub(crate) changes: Vec<ChangeWrite>,
}

/// The distinct keys of a batch, in first-seen order.
pub(crate) fn batch_keys(prepared: &[Prepared]) -> Vec<&str> {
    let mut seen = HashSet::new();
    prepared
        .iter()
        .map(|p| p.key.as_str())
        .filter(|key| seen.insert(*key))
        .collect()
}

/// Works out a batch against what is stored: `existing` maps stored keys to ids, `stored`
/// holds their sources (updated here with the batch's), and new standards take ids from
/// `next_id` on.
pub(crate) fn plan_batch<'a>(
    prepared: &'a [Prepared],
    existing: &HashMap<String, i64>,
    stored: &mut StoredSources,
    next_id: &mut i64,
) -> BatchPlan<'a> {
    let mut outcome = BatchOutcome::default();
    let mut touched: Vec<Touched> = Vec::new();
    let mut by_key: HashMap<&str, i64> = HashMap::new();
    let mut pending: HashMap<i64, Vec<&Prepared>> = HashMap::new();
    for item in prepared {
        let (id, is_new) = match by_key.get(item.key.as_str()) {
            Some(&id) => (id, false),
            None => {
                let (id, is_new) = match existing.get(&item.key) {
                    Some(&id) => (id, false),
                    None => {
                        let id = *next_id;
                        *next_id += 1;
                        (id, true)
                    }
                };
                by_key.insert(&item.key, id);
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
        let first_in_batch = !pending.contains_key(&id);
        if is_new && first_in_batch {
            outcome.inserted += 1;
        } else {
            outcome.updated += 1;
        }
        if first_in_batch {
            touched.push(Touched {
                key: item.key.clone(),
                id,
                is_new,
            });
        }
        pending.entry(id).or_default().push(item);
    }
    BatchPlan {
        outcome,
        touched,
        pending,
    }
}

impl<'a> BatchPlan<'a> {
    /// Touched standards with other stored sources whose records were not read: they are
    /// merged again, so those records must be loaded first.
    pub(crate) fn needing_records(&self, stored: &StoredSources) -> Vec<i64> {
        self.touched
            .iter()
            .filter(|t| {
                stored
                    .get(&t.id)
                    .is_some_and(|s| s.values().any(|src| src.record.is_none()))
            })
            .map(|t| t.id)
            .collect()
    }

    /// The rows to write, with change-log sequence numbers from `next_seq` on.
    pub(crate) fn rows(&self, stored: &StoredSources, next_seq: &mut i64) -> BatchRows<'a> {
        let mut rows = BatchRows {
            standards: Vec::with_capacity(self.touched.len()),
            sources: self.source_rows(),
            replaced_relations: self
                .touched
                .iter()
                .filter(|t| !t.is_new)
                .map(|t| t.id)
                .collect(),
            relations: Vec::new(),
            changes: Vec::with_capacity(self.touched.len()),
        };
        for touched in &self.touched {
            let Some(sources) = stored.get(&touched.id) else {
                continue;
            };
            let seq = *next_seq;
            *next_seq += 1;
            let only = match (
                sources.len(),
                self.pending.get(&touched.id).and_then(|items| items.last()),
            ) {
                (1, Some(item)) => Some(*item),
                _ => None,
            };
            let row = match only {
                // One source: the merged record is that record; the store keeps one copy.
                Some(item) => {
                    push_relations(
                        &mut rows.relations,
                        touched.id,
                        &item.record,
                        &item.relation_keys,
                    );
                    StandardWrite {
                        id: touched.id,
                        key: touched.key.clone(),
                        columns: item.columns.clone(),
                        record: None,
                        seq,
                    }
                }
                None => {
                    let merged = merge_sources(sources);
                    push_relations(
                        &mut rows.relations,
                        touched.id,
                        &merged,
                        &relation_keys(&merged),
                    );
                    let undated_key = lenient_keys(&merged.designation).1;
                    StandardWrite {
                        id: touched.id,
                        key: touched.key.clone(),
                        columns: Columns::of(&merged, undated_key),
                        record: Some(serde_json::to_string(&merged).unwrap_or_default()),
                        seq,
                    }
                }
            };
            rows.standards.push(row);
            rows.changes.push(ChangeWrite {
                seq,
                standard_id: touched.id,
                key: touched.key.clone(),
                op: if touched.is_new { "insert" } else { "update" },
            });
        }
        rows
    }

    /// The last record of each source of each touched standard.
    fn source_rows(&self) -> Vec<(i64, &'a Prepared)> {
        let mut rows = Vec::new();
        let mut seen: HashSet<(i64, &str)> = HashSet::new();
        for touched in &self.touched {
            for item in self.pending.get(&touched.id).into_iter().flatten().rev() {
                if seen.insert((touched.id, item.source.as_str())) {
                    rows.push((touched.id, *item));
                }
            }
        }
        rows
    }
}

/// Fills in records read later (for [`BatchPlan::needing_records`]) where none was read.
pub(crate) fn add_records(stored: &mut StoredSources, loaded: StoredSources) {
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
}

/// A source row as read: its record parsed when it was read.
pub(crate) fn stored_source(
    priority: i64,
    hash: String,
    designation: String,
    json: Option<String>,
) -> Result<StoredSource, crate::StorageError> {
    let record =
        match json {
            Some(json) => Some(serde_json::from_str(&json).map_err(|source| {
                crate::StorageError::Corrupt {
                    key: designation.clone(),
                    source,
                }
            })?),
            None => None,
        };
    Ok(StoredSource {
        priority: u8::try_from(priority).unwrap_or(u8::MAX),
        hash,
        designation,
        record,
    })
}

fn merge_sources(sources: &HashMap<String, StoredSource>) -> Standard {
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
    merge(&views)
}

fn push_relations(relations: &mut Vec<RelationWrite>, id: i64, record: &Standard, keys: &[String]) {
    for (relation, key) in record.relations.iter().zip(keys) {
        relations.push(RelationWrite {
            standard_id: id,
            kind: relation.kind.as_str(),
            target_key: key.clone(),
            target: relation.target.clone(),
            degree: relation.degree.map(degree_name),
            catalogue: relation.catalogue.clone(),
        });
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

/// A count as a signed column value.
pub(crate) fn saturating_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
