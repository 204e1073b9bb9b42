//! Reading the store: lookups by key, relations in both directions, the first search,
//! statistics and the change log.

use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite};
use stdbridge_core::Standard;

use crate::{StorageError, Store};

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

impl Store {
    /// The standard stored under `key`, if any.
    pub async fn by_key(&self, key: &str) -> Result<Option<StoredStandard>, StorageError> {
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
    pub async fn by_undated_key(
        &self,
        undated_key: &str,
    ) -> Result<Vec<StoredStandard>, StorageError> {
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

    async fn hydrate(
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

    /// Standards that state an adoption of, or an equivalence with, the document whose key
    /// is `target_key` — the national editions of an international standard.
    pub async fn adopters_of(&self, target_key: &str) -> Result<Vec<Adopter>, StorageError> {
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
    pub async fn relations_of(
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
    pub async fn records_after(
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
    pub async fn records_by_ids(
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
    pub async fn stats(&self) -> Result<Stats, StorageError> {
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
        })
    }

    /// Changes after sequence number `after`, oldest first, at most `limit`.
    pub async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<Change>, StorageError> {
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

/// Adds a relation unless the same one (kind, other document, catalogue) is there: a
/// relation stored on both sides is shown once, and a standard in two mutual-recognition
/// catalogues shows both.
fn push_unique(related: &mut Vec<RelatedStandard>, item: RelatedStandard) {
    if !related.iter().any(|r| {
        r.kind == item.kind && r.designation == item.designation && r.catalogue == item.catalogue
    }) {
        related.push(item);
    }
}
