//! The catalogue on SQLite: lookups, relations, statistics, the change log, and imports
//! (batches merged inside one transaction, the change log written alongside).

use std::collections::HashMap;

use async_trait::async_trait;
use sqlx::{QueryBuilder, Sqlite, Transaction};
use stdbridge_core::Standard;

use super::SqliteStore;
use crate::StorageError;
use crate::catalog::*;
use crate::plan::{
    ChangeWrite, RelationWrite, StandardWrite, StoredSources, add_records, batch_keys, plan_batch,
    saturating_i64, stored_source,
};

/// SQLite allows 32,766 bound values per statement; rows are written in chunks below that.
const MAX_BINDS: usize = 30_000;

/// A running import: one transaction. Dropped without being committed, it rolls
/// everything back.
pub struct SqliteImport {
    tx: Transaction<'static, Sqlite>,
    import_id: i64,
    next_id: i64,
    next_seq: i64,
}

type StandardRow = (i64, String, String, i64);

/// kind, target, degree, catalogue, and the target's id when it is stored.
type OutgoingRow = (String, String, Option<String>, Option<String>, Option<i64>);

/// Selects a standard with its record: the merged copy, or the only source's record.
macro_rules! select_standard {
    ($tail:literal) => {
        concat!(
            "SELECT id, key, COALESCE(record, (SELECT ss.record FROM standard_sources ss ",
            "WHERE ss.standard_id = standards.id)), updated_seq FROM standards ",
            $tail
        )
    };
}

impl SqliteStore {
    pub(super) async fn hydrate(
        &self,
        (id, key, json, updated_seq): StandardRow,
    ) -> Result<StoredStandard, StorageError> {
        let record = serde_json::from_str(&json).map_err(|source| StorageError::Corrupt {
            key: key.clone(),
            source,
        })?;
        let sources: Vec<String> = sqlx::query_scalar(
            "SELECT source FROM standard_sources WHERE standard_id = ? ORDER BY priority, source",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(StoredStandard {
            id,
            key,
            record,
            sources,
            updated_seq,
        })
    }
}

#[async_trait]
impl CatalogRepository for SqliteStore {
    /// Starts an import of `path` in `format`, in a transaction of its own.
    async fn begin_import(
        &self,
        path: &str,
        format: &str,
    ) -> Result<Box<dyn CatalogImport>, StorageError> {
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
        Ok(Box::new(SqliteImport {
            tx,
            import_id,
            next_id,
            next_seq,
        }))
    }

    async fn last_change(&self) -> Result<i64, StorageError> {
        Ok(
            sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The standard stored under `key`, if any.
    async fn by_key(&self, key: &str) -> Result<Option<StoredStandard>, StorageError> {
        let row: Option<StandardRow> = sqlx::query_as(select_standard!("WHERE key = ?"))
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Ok(Some(self.hydrate(row).await?)),
            None => Ok(None),
        }
    }

    /// Every standard whose undated key is `undated_key` (all editions and drafts of a work).
    async fn by_undated_key(&self, undated_key: &str) -> Result<Vec<StoredStandard>, StorageError> {
        let rows: Vec<StandardRow> =
            sqlx::query_as(select_standard!("WHERE undated_key = ? ORDER BY id"))
                .bind(undated_key)
                .fetch_all(&self.pool)
                .await?;
        let mut found = Vec::with_capacity(rows.len());
        for row in rows {
            found.push(self.hydrate(row).await?);
        }
        Ok(found)
    }

    /// Standards that state an adoption of, or an equivalence with, the document whose key
    /// is `target_key` — the national editions of an international standard.
    async fn adopters_of(&self, target_key: &str) -> Result<Vec<Adopter>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT s.designation, s.country, s.status, r.kind, r.degree FROM relations r \
             JOIN standards s ON s.id = r.standard_id \
             WHERE r.target_key = ? AND r.kind IN ('adopts', 'equivalent') ORDER BY s.country, s.designation",
        )
        .bind(target_key)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Relations of a standard in both directions: those it states, and those other
    /// standards state about it (shown inverted: "ISO 9001:2015 replaces ISO 9001:2008"
    /// is "replaced-by ISO 9001:2015" on ISO 9001:2008).
    async fn relations_of(
        &self,
        standard: &StoredStandard,
    ) -> Result<Vec<RelatedStandard>, StorageError> {
        let outgoing: Vec<OutgoingRow> = sqlx::query_as(
            "SELECT r.kind, r.target, r.degree, r.catalogue, s.id FROM relations r \
             LEFT JOIN standards s ON s.key = r.target_key WHERE r.standard_id = ?",
        )
        .bind(standard.id)
        .fetch_all(&self.pool)
        .await?;
        let incoming: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT r.kind, s.designation, r.degree, r.catalogue FROM relations r \
             JOIN standards s ON s.id = r.standard_id WHERE r.target_key = ? AND r.standard_id != ?",
        )
        .bind(&standard.key)
        .bind(standard.id)
        .fetch_all(&self.pool)
        .await?;
        let mut related: Vec<RelatedStandard> = Vec::new();
        for (kind, designation, degree, catalogue, target) in outgoing {
            push_unique(
                &mut related,
                RelatedStandard {
                    kind,
                    designation,
                    degree,
                    catalogue,
                    in_catalogue: target.is_some(),
                },
            );
        }
        for (kind, designation, degree, catalogue) in incoming {
            let inverse = stdbridge_core::RelationKind::parse(&kind)
                .map(|k| k.inverse().as_str().to_owned())
                .unwrap_or(kind);
            push_unique(
                &mut related,
                RelatedStandard {
                    kind: inverse,
                    designation,
                    degree,
                    catalogue,
                    in_catalogue: true,
                },
            );
        }
        Ok(related)
    }

    /// Standards with id above `after`, in id order, at most `limit`: for rebuilding an
    /// index from the store in chunks. Sources are not read.
    async fn records_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, Standard)>, StorageError> {
        let rows: Vec<StandardRow> =
            sqlx::query_as(select_standard!("WHERE id > ? ORDER BY id LIMIT ?"))
                .bind(after)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(parse_row).collect()
    }

    /// The standards with these ids (those still stored), without their sources.
    async fn records_by_ids(
        &self,
        ids: &[i64],
    ) -> Result<Vec<(i64, String, Standard)>, StorageError> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(10_000) {
            let mut query = QueryBuilder::<Sqlite>::new(select_standard!("WHERE id IN ("));
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(")");
            let rows: Vec<StandardRow> = query.build_query_as().fetch_all(&self.pool).await?;
            for row in rows {
                found.push(parse_row(row)?);
            }
        }
        Ok(found)
    }

    /// Counts of what the store holds.
    async fn stats(&self) -> Result<Stats, StorageError> {
        let scalar = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.pool);
        let counts =
            |sql: &'static str| sqlx::query_as::<_, (String, i64)>(sql).fetch_all(&self.pool);
        Ok(Stats {
            standards: scalar("SELECT COUNT(*) FROM standards").await?,
            source_records: scalar("SELECT COUNT(*) FROM standard_sources").await?,
            relations: scalar("SELECT COUNT(*) FROM relations").await?,
            by_publisher: counts("SELECT COALESCE(publisher, 'unknown'), COUNT(*) FROM standards GROUP BY 1 ORDER BY 2 DESC, 1").await?,
            by_status: counts("SELECT COALESCE(status, 'unknown'), COUNT(*) FROM standards GROUP BY 1 ORDER BY 2 DESC, 1").await?,
            by_doc_type: counts("SELECT COALESCE(doc_type, 'unknown'), COUNT(*) FROM standards GROUP BY 1 ORDER BY 2 DESC, 1").await?,
            by_country: counts("SELECT country, COUNT(*) FROM standards WHERE country IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1").await?,
            reference: counts(
                "SELECT 'ics', COUNT(*) FROM ics UNION ALL SELECT 'ccs', COUNT(*) FROM ccs \
                 UNION ALL SELECT 'countries', COUNT(*) FROM countries UNION ALL SELECT 'bodies', COUNT(*) FROM bodies",
            )
            .await?,
            last_change: scalar("SELECT COALESCE(MAX(seq), 0) FROM changes").await?,
            imports: scalar("SELECT COUNT(*) FROM imports WHERE finished_at IS NOT NULL").await?,
            memories: scalar("SELECT COUNT(*) FROM tm_memories").await?,
            units: scalar("SELECT COUNT(*) FROM tm_units").await?,
            termbases: scalar("SELECT COUNT(*) FROM termbases").await?,
            concepts: scalar("SELECT COUNT(*) FROM tb_concepts").await?,
        })
    }

    /// Changes after sequence number `after`, oldest first, at most `limit`.
    async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<Change>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT seq, standard_id, key, op FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}

fn parse_row((id, key, json, _): StandardRow) -> Result<(i64, String, Standard), StorageError> {
    let record = serde_json::from_str(&json).map_err(|source| StorageError::Corrupt {
        key: key.clone(),
        source,
    })?;
    Ok((id, key, record))
}

impl SqliteImport {
    /// Merges a batch of records into the store (within the session's transaction).
    async fn apply_batch(&mut self, prepared: Vec<Prepared>) -> Result<BatchOutcome, StorageError> {
        let keys = batch_keys(&prepared);
        let existing = self.existing_ids(&keys).await?;
        let ids: Vec<i64> = existing.values().copied().collect();
        let mut stored = self.stored_sources(&ids, false).await?;
        let plan = plan_batch(&prepared, &existing, &mut stored, &mut self.next_id);
        if plan.touched.is_empty() {
            return Ok(plan.outcome);
        }
        let need = plan.needing_records(&stored);
        if !need.is_empty() {
            let loaded = self.stored_sources(&need, true).await?;
            add_records(&mut stored, loaded);
        }
        let rows = plan.rows(&stored, &mut self.next_seq);
        self.upsert_standards(&rows.standards).await?;
        self.upsert_sources(&rows.sources).await?;
        self.replace_relations(&rows.replaced_relations, &rows.relations)
            .await?;
        self.append_changes(&rows.changes).await?;
        Ok(plan.outcome)
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
    ) -> Result<StoredSources, StorageError> {
        let mut found = StoredSources::new();
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
                found
                    .entry(id)
                    .or_default()
                    .insert(source, stored_source(priority, hash, designation, json)?);
            }
        }
        Ok(found)
    }

    async fn upsert_standards(&mut self, rows: &[StandardWrite]) -> Result<(), StorageError> {
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

    async fn upsert_sources(&mut self, rows: &[(i64, &Prepared)]) -> Result<(), StorageError> {
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
        updated: &[i64],
        relations: &[RelationWrite],
    ) -> Result<(), StorageError> {
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
            query.push_values(chunk, |mut row, relation| {
                row.push_bind(relation.standard_id)
                    .push_bind(relation.kind)
                    .push_bind(&relation.target_key)
                    .push_bind(&relation.target)
                    .push_bind(relation.degree)
                    .push_bind(&relation.catalogue);
            });
            query.build().execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    async fn append_changes(&mut self, changes: &[ChangeWrite]) -> Result<(), StorageError> {
        for chunk in changes.chunks(MAX_BINDS / 5) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT INTO changes (seq, standard_id, key, op, import_id) ",
            );
            let import_id = self.import_id;
            query.push_values(chunk, |mut row, change| {
                row.push_bind(change.seq)
                    .push_bind(change.standard_id)
                    .push_bind(&change.key)
                    .push_bind(change.op)
                    .push_bind(import_id);
            });
            query.build().execute(&mut *self.tx).await?;
        }
        Ok(())
    }
}

#[async_trait]
impl CatalogImport for SqliteImport {
    fn id(&self) -> i64 {
        self.import_id
    }

    async fn apply(&mut self, prepared: Vec<Prepared>) -> Result<BatchOutcome, StorageError> {
        self.apply_batch(prepared).await
    }

    /// Records the totals and commits: the import becomes visible all at once.
    async fn commit(
        mut self: Box<Self>,
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
    async fn rollback(self: Box<Self>) -> Result<(), StorageError> {
        self.tx.rollback().await?;
        Ok(())
    }
}
