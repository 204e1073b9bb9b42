//! The PostgreSQL baseline that `stdbridge bench tm --postgres URL` measures translation
//! memory lookups against: trigram similarity search with the `pg_trgm` extension and a
//! GIN index, the design Weblate uses for its translation memory. It works in a table of
//! its own (`stdbridge_bench_tm`), dropped and made again by each load.

use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};

use stdbridge_storage::StorageError;

/// The table the baseline fills.
const TABLE: &str = "stdbridge_bench_tm";

/// A connection to the PostgreSQL baseline.
pub struct PgTrgmBaseline {
    pool: PgPool,
}

/// A unit pg_trgm finds.
#[derive(Debug, Clone)]
pub struct TrigramMatch {
    /// The id given at load time.
    pub id: i64,
    /// The stored source.
    pub source: String,
    /// pg_trgm's similarity, 0–1.
    pub similarity: f32,
}

impl PgTrgmBaseline {
    /// Connects, and makes sure the extension is there.
    pub async fn connect(url: &str) -> Result<PgTrgmBaseline, StorageError> {
        let pool = PgPoolOptions::new().max_connections(2).connect(url).await?;
        sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            .execute(&pool)
            .await?;
        Ok(PgTrgmBaseline { pool })
    }

    /// Replaces the table's rows with `rows` (id, source) and builds the trigram index.
    pub async fn load(
        &self,
        rows: impl IntoIterator<Item = (i64, String)>,
    ) -> Result<(), StorageError> {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE IF EXISTS {TABLE}")))
            .execute(&self.pool)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE UNLOGGED TABLE {TABLE} (id bigint PRIMARY KEY, source text NOT NULL)"
        )))
        .execute(&self.pool)
        .await?;
        let mut ids: Vec<i64> = Vec::with_capacity(10_000);
        let mut sources: Vec<String> = Vec::with_capacity(10_000);
        let insert = format!(
            "INSERT INTO {TABLE} (id, source) SELECT * FROM UNNEST($1::bigint[], $2::text[])"
        );
        for (id, source) in rows {
            ids.push(id);
            sources.push(source);
            if ids.len() == 10_000 {
                sqlx::query(sqlx::AssertSqlSafe(insert.clone()))
                    .bind(&ids)
                    .bind(&sources)
                    .execute(&self.pool)
                    .await?;
                ids.clear();
                sources.clear();
            }
        }
        if !ids.is_empty() {
            sqlx::query(sqlx::AssertSqlSafe(insert))
                .bind(&ids)
                .bind(&sources)
                .execute(&self.pool)
                .await?;
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE INDEX {TABLE}_trgm ON {TABLE} USING gin (source gin_trgm_ops)"
        )))
        .execute(&self.pool)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {TABLE}")))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The `limit` most similar sources above pg_trgm's default threshold (0.3), most
    /// similar first.
    pub async fn similar(
        &self,
        query: &str,
        limit: i64,
    ) -> Result<Vec<TrigramMatch>, StorageError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, source, similarity(source, $1) AS s FROM {TABLE} \
             WHERE source % $1 ORDER BY s DESC, id LIMIT $2"
        )))
        .bind(query)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| TrigramMatch {
                id: row.get(0),
                source: row.get(1),
                similarity: row.get(2),
            })
            .collect())
    }

    /// Drops the table.
    pub async fn drop_table(&self) -> Result<(), StorageError> {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE IF EXISTS {TABLE}")))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
