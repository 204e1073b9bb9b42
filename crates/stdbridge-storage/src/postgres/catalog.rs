//! The catalogue on PostgreSQL: lookups, relations, statistics, the change log, and
//! imports (batches merged inside one transaction that holds the catalogue's write lock;
//! rows written a column array at a time with `UNNEST`).

use std::collections::HashMap;

use async_trait::async_trait;
use sqlx::{Postgres, Transaction};
use stdbridge_core::Standard;

use super::{CATALOG_WRITE_LOCK, PgStore, notify_changes};
use crate::StorageError;
use crate::catalog::*;
use crate::plan::{
    ChangeWrite, RelationWrite, StandardWrite, StoredSources, add_records, batch_keys, plan_batch,
    saturating_i64, stored_source,
};

/// A running import: one transaction holding the catalogue's write lock. Dropped
/// without being committed, it rolls everything back (and the lock goes with it).
pub struct PgImport {
    tx: Transaction<'static, Postgres>,
    /// For the statistics refreshed after a large import.
    pool: sqlx::PgPool,
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
            "WHERE ss.standard_id = standards.id LIMIT 1)), updated_seq FROM standards ",
            $tail
        )
    };
}

impl PgStore {
    async fn hydrate(
        &self,
        (id, key, json, updated_seq): StandardRow,
    ) -> Result<StoredStandard, StorageError> {
        let (_, key, record) = parse_row((id, key, json, updated_seq))?;
        let sources: Vec<String> = sqlx::query_scalar(
            "SELECT source FROM standard_sources WHERE standard_id = $1 ORDER BY priority, source",
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
impl CatalogRepository for PgStore {
    /// Starts an import in a transaction of its own, waiting for the catalogue's write
    /// lock: imports through any node run one after the other, each seeing the last.
    async fn begin_import(
        &self,
        path: &str,
        format: &str,
    ) -> Result<Box<dyn CatalogImport>, StorageError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(CATALOG_WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
        let import_id: i64 =
            sqlx::query_scalar("INSERT INTO imports (path, format) VALUES ($1, $2) RETURNING id")
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
        Ok(Box::new(PgImport {
            tx,
            pool: self.pool.clone(),
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

    async fn by_key(&self, key: &str) -> Result<Option<StoredStandard>, StorageError> {
        let row: Option<StandardRow> = sqlx::query_as(select_standard!("WHERE key = $1"))
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Ok(Some(self.hydrate(row).await?)),
            None => Ok(None),
        }
    }

    async fn by_undated_key(&self, undated_key: &str) -> Result<Vec<StoredStandard>, StorageError> {
        let rows: Vec<StandardRow> =
            sqlx::query_as(select_standard!("WHERE undated_key = $1 ORDER BY id"))
                .bind(undated_key)
                .fetch_all(&self.pool)
                .await?;
        let mut found = Vec::with_capacity(rows.len());
        for row in rows {
            found.push(self.hydrate(row).await?);
        }
        Ok(found)
    }

    async fn adopters_of(&self, target_key: &str) -> Result<Vec<Adopter>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT s.designation, s.country, s.status, r.kind, r.degree FROM relations r \
             JOIN standards s ON s.id = r.standard_id \
             WHERE r.target_key = $1 AND r.kind IN ('adopts', 'equivalent') \
             ORDER BY s.country NULLS FIRST, s.designation",
        )
        .bind(target_key)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn relations_of(
        &self,
        standard: &StoredStandard,
    ) -> Result<Vec<RelatedStandard>, StorageError> {
        let outgoing: Vec<OutgoingRow> = sqlx::query_as(
            "SELECT r.kind, r.target, r.degree, r.catalogue, s.id FROM relations r \
             LEFT JOIN standards s ON s.key = r.target_key WHERE r.standard_id = $1 \
             ORDER BY r.ctid",
        )
        .bind(standard.id)
        .fetch_all(&self.pool)
        .await?;
        let incoming: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT r.kind, s.designation, r.degree, r.catalogue FROM relations r \
             JOIN standards s ON s.id = r.standard_id \
             WHERE r.target_key = $1 AND r.standard_id != $2 ORDER BY r.standard_id, r.ctid",
        )
        .bind(&standard.key)
        .bind(standard.id)
        .fetch_all(&self.pool)
        .await?;
        Ok(related(outgoing, incoming))
    }

    async fn records_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, Standard)>, StorageError> {
        let rows: Vec<StandardRow> =
            sqlx::query_as(select_standard!("WHERE id > $1 ORDER BY id LIMIT $2"))
                .bind(after)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(parse_row).collect()
    }

    async fn records_by_ids(
        &self,
        ids: &[i64],
    ) -> Result<Vec<(i64, String, Standard)>, StorageError> {
        let rows: Vec<StandardRow> =
            sqlx::query_as(select_standard!("WHERE id = ANY($1) ORDER BY id"))
                .bind(ids)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(parse_row).collect()
    }

    async fn stats(&self) -> Result<Stats, StorageError> {
        let scalar = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.pool);
        let counts =
            |sql: &'static str| sqlx::query_as::<_, (String, i64)>(sql).fetch_all(&self.pool);
        Ok(Stats {
            standards: scalar("SELECT COUNT(*) FROM standards").await?,
            source_records: scalar("SELECT COUNT(*) FROM standard_sources").await?,
            relations: scalar("SELECT COUNT(*) FROM relations").await?,
            by_publisher: counts("SELECT COALESCE(publisher, 'unknown') COLLATE \"C\", COUNT(*) FROM standards GROUP BY 1 ORDER BY 2 DESC, 1").await?,
            by_status: counts("SELECT COALESCE(status, 'unknown') COLLATE \"C\", COUNT(*) FROM standards GROUP BY 1 ORDER BY 2 DESC, 1").await?,
            by_doc_type: counts("SELECT COALESCE(doc_type, 'unknown') COLLATE \"C\", COUNT(*) FROM standards GROUP BY 1 ORDER BY 2 DESC, 1").await?,
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

    async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<Change>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT seq, standard_id, key, op FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}

/// The relations of a standard: those it states, then those stated about it, inverted.
fn related(
    outgoing: Vec<OutgoingRow>,
    incoming: Vec<(String, String, Option<String>, Option<String>)>,
) -> Vec<RelatedStandard> {
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
    related
}

fn parse_row((id, key, json, _): StandardRow) -> Result<(i64, String, Standard), StorageError> {
    let record = serde_json::from_str(&json).map_err(|source| StorageError::Corrupt {
        key: key.clone(),
        source,
    })?;
    Ok((id, key, record))
}

impl PgImport {
    /// Merges a batch of records into the store (within the import's transaction).
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
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT key, id FROM standards WHERE key = ANY($1)")
                .bind(keys)
                .fetch_all(&mut *self.tx)
                .await?;
        Ok(rows.into_iter().collect())
    }

    async fn stored_sources(
        &mut self,
        ids: &[i64],
        with_records: bool,
    ) -> Result<StoredSources, StorageError> {
        let sql = if with_records {
            "SELECT standard_id, source, priority, hash, designation, record \
             FROM standard_sources WHERE standard_id = ANY($1)"
        } else {
            "SELECT standard_id, source, priority, hash, designation, NULL::text \
             FROM standard_sources WHERE standard_id = ANY($1)"
        };
        let rows: Vec<(i64, String, i64, String, String, Option<String>)> = sqlx::query_as(sql)
            .bind(ids)
            .fetch_all(&mut *self.tx)
            .await?;
        let mut found = StoredSources::new();
        for (id, source, priority, hash, designation, json) in rows {
            found
                .entry(id)
                .or_default()
                .insert(source, stored_source(priority, hash, designation, json)?);
        }
        Ok(found)
    }

    async fn upsert_standards(&mut self, rows: &[StandardWrite]) -> Result<(), StorageError> {
        let column = |f: fn(&StandardWrite) -> Option<String>| rows.iter().map(f).collect();
        let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
        let keys: Vec<String> = rows.iter().map(|s| s.key.clone()).collect();
        let undated: Vec<String> = rows.iter().map(|s| s.columns.undated_key.clone()).collect();
        let designations: Vec<String> =
            rows.iter().map(|s| s.columns.designation.clone()).collect();
        let statuses: Vec<Option<String>> = column(|s| s.columns.status.map(str::to_owned));
        let doc_types: Vec<Option<String>> = column(|s| s.columns.doc_type.clone());
        let scopes: Vec<Option<String>> = column(|s| s.columns.scope.clone());
        let countries: Vec<Option<String>> = column(|s| s.columns.country.clone());
        let publishers: Vec<Option<String>> = column(|s| s.columns.publisher.clone());
        let years: Vec<Option<i64>> = rows.iter().map(|s| s.columns.year).collect();
        let records: Vec<Option<String>> = column(|s| s.record.clone());
        let seqs: Vec<i64> = rows.iter().map(|s| s.seq).collect();
        sqlx::query(
            "INSERT INTO standards (id, key, undated_key, designation, status, doc_type, scope, country, \
             publisher, year, record, created_seq, updated_seq) \
             SELECT id, key, undated_key, designation, status, doc_type, scope, country, publisher, year, \
             record, seq, seq FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], \
             $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[], $12::bigint[]) \
             AS t (id, key, undated_key, designation, status, doc_type, scope, country, publisher, year, record, seq) \
             ON CONFLICT (id) DO UPDATE SET undated_key = excluded.undated_key, designation = excluded.designation, \
             status = excluded.status, doc_type = excluded.doc_type, scope = excluded.scope, \
             country = excluded.country, publisher = excluded.publisher, year = excluded.year, \
             record = excluded.record, updated_seq = excluded.updated_seq",
        )
        .bind(ids)
        .bind(keys)
        .bind(undated)
        .bind(designations)
        .bind(statuses)
        .bind(doc_types)
        .bind(scopes)
        .bind(countries)
        .bind(publishers)
        .bind(years)
        .bind(records)
        .bind(seqs)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn upsert_sources(&mut self, rows: &[(i64, &Prepared)]) -> Result<(), StorageError> {
        let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
        let sources: Vec<&str> = rows.iter().map(|(_, p)| p.source.as_str()).collect();
        let priorities: Vec<i64> = rows.iter().map(|(_, p)| i64::from(p.priority)).collect();
        let hashes: Vec<&str> = rows.iter().map(|(_, p)| p.hash.as_str()).collect();
        let designations: Vec<&str> = rows
            .iter()
            .map(|(_, p)| p.record.designation.as_str())
            .collect();
        let records: Vec<&str> = rows.iter().map(|(_, p)| p.json.as_str()).collect();
        sqlx::query(
            "INSERT INTO standard_sources (standard_id, source, priority, hash, designation, record, import_id) \
             SELECT standard_id, source, priority, hash, designation, record, $7 FROM UNNEST($1::bigint[], \
             $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[]) \
             AS t (standard_id, source, priority, hash, designation, record) \
             ON CONFLICT (standard_id, source) DO UPDATE SET priority = excluded.priority, hash = excluded.hash, \
             designation = excluded.designation, record = excluded.record, import_id = excluded.import_id",
        )
        .bind(ids)
        .bind(sources)
        .bind(priorities)
        .bind(hashes)
        .bind(designations)
        .bind(records)
        .bind(self.import_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn replace_relations(
        &mut self,
        updated: &[i64],
        relations: &[RelationWrite],
    ) -> Result<(), StorageError> {
        if !updated.is_empty() {
            sqlx::query("DELETE FROM relations WHERE standard_id = ANY($1)")
                .bind(updated)
                .execute(&mut *self.tx)
                .await?;
        }
        if relations.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = relations.iter().map(|r| r.standard_id).collect();
        let kinds: Vec<&str> = relations.iter().map(|r| r.kind).collect();
        let keys: Vec<&str> = relations.iter().map(|r| r.target_key.as_str()).collect();
        let targets: Vec<&str> = relations.iter().map(|r| r.target.as_str()).collect();
        let degrees: Vec<Option<&str>> = relations.iter().map(|r| r.degree).collect();
        let catalogues: Vec<Option<&str>> =
            relations.iter().map(|r| r.catalogue.as_deref()).collect();
        sqlx::query(
            "INSERT INTO relations (standard_id, kind, target_key, target, degree, catalogue) \
             SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])",
        )
        .bind(ids)
        .bind(kinds)
        .bind(keys)
        .bind(targets)
        .bind(degrees)
        .bind(catalogues)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn append_changes(&mut self, changes: &[ChangeWrite]) -> Result<(), StorageError> {
        let seqs: Vec<i64> = changes.iter().map(|c| c.seq).collect();
        let ids: Vec<i64> = changes.iter().map(|c| c.standard_id).collect();
        let keys: Vec<&str> = changes.iter().map(|c| c.key.as_str()).collect();
        let ops: Vec<&str> = changes.iter().map(|c| c.op).collect();
        sqlx::query(
            "INSERT INTO changes (seq, standard_id, key, op, import_id) \
             SELECT seq, standard_id, key, op, $5 FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[]) \
             AS t (seq, standard_id, key, op)",
        )
        .bind(seqs)
        .bind(ids)
        .bind(keys)
        .bind(ops)
        .bind(self.import_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

#[async_trait]
impl CatalogImport for PgImport {
    fn id(&self) -> i64 {
        self.import_id
    }

    async fn apply(&mut self, prepared: Vec<Prepared>) -> Result<BatchOutcome, StorageError> {
        self.apply_batch(prepared).await
    }

    /// Records the totals, notifies followers and commits (releasing the write lock).
    async fn commit(
        mut self: Box<Self>,
        inserted: u64,
        updated: u64,
        unchanged: u64,
        rejected: u64,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE imports SET finished_at = to_char(clock_timestamp() AT TIME ZONE 'UTC', \
             'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), inserted = $1, updated = $2, unchanged = $3, \
             rejected = $4 WHERE id = $5",
        )
        .bind(saturating_i64(inserted))
        .bind(saturating_i64(updated))
        .bind(saturating_i64(unchanged))
        .bind(saturating_i64(rejected))
        .bind(self.import_id)
        .execute(&mut *self.tx)
        .await?;
        if inserted + updated > 0 {
            notify_changes(&mut self.tx).await?;
        }
        self.tx.commit().await?;
        refresh_statistics(&self.pool, inserted + updated).await;
        Ok(())
    }

    async fn rollback(self: Box<Self>) -> Result<(), StorageError> {
        self.tx.rollback().await?;
        Ok(())
    }
}

/// After an import that changed a tenth of the catalogue or more, the planner's row
/// estimates are refreshed at once (ANALYZE) rather than at autovacuum's next round: on
/// statistics of a much smaller table it plans lookups as parallel scans (measured after
/// a 1.32 M-record import: 11.5 ms for a standard's relations, 0.14 ms after ANALYZE).
/// The import has committed; a failure here is only logged.
async fn refresh_statistics(pool: &sqlx::PgPool, changed: u64) {
    let estimated: Result<f32, sqlx::Error> =
        sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE oid = 'standards'::regclass")
            .fetch_one(pool)
            .await;
    let Ok(estimated) = estimated else {
        return;
    };
    // reltuples is -1 for a table never analysed.
    if (changed as f64) * 10.0 < f64::from(estimated.max(0.0)) {
        return;
    }
    let analyzed = sqlx::query("ANALYZE standards, standard_sources, relations, changes")
        .execute(pool)
        .await;
    if let Err(error) = analyzed {
        tracing::warn!(%error, "ANALYZE after an import failed");
    }
}
