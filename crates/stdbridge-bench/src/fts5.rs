//! The baseline that `stdbridge bench search` measures the search index against: SQLite
//! FTS5 over the same standards, the way one would search them with SQLite alone —
//! `porter unicode61` for designations and Latin-script titles, `trigram` for Chinese and
//! Japanese titles, BM25 ranking, filters as SQL conditions. It lives in a database file
//! of its own, so the store is never touched.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};

use stdbridge_storage::{CatalogRepository, StorageError};

/// The FTS5 baseline's database.
pub struct Fts5Baseline {
    pool: SqlitePool,
}

/// Filters the baseline understands: country and status, as SQL conditions.
#[derive(Debug, Clone, Default)]
pub struct BaselineFilters {
    /// ISO 3166 alpha-2 code.
    pub country: Option<String>,
    /// Status name (`published`…).
    pub status: Option<String>,
}

fn is_cjk(ch: char) -> bool {
    matches!(ch, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

impl Fts5Baseline {
    /// Builds the baseline in the SQLite file `path` (replacing it) from every standard
    /// in the store.
    pub async fn build(
        store: &dyn CatalogRepository,
        path: &Path,
    ) -> Result<Fts5Baseline, StorageError> {
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{}{suffix}", path.display());
            let _ = std::fs::remove_file(file);
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .pragma("cache_size", "-65536");
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|source| StorageError::Open {
                path: path.to_owned(),
                source,
            })?;
        for statement in [
            "CREATE VIRTUAL TABLE latin USING fts5(designation, titles, country UNINDEXED, \
             status UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2')",
            "CREATE VIRTUAL TABLE cjk USING fts5(titles, country UNINDEXED, status UNINDEXED, \
             tokenize = 'trigram')",
        ] {
            sqlx::query(statement).execute(&pool).await?;
        }
        let mut after = 0;
        loop {
            let records = store.records_after(after, 20_000).await?;
            let Some(last) = records.last().map(|(id, _, _)| *id) else {
                break;
            };
            let mut tx = pool.begin().await?;
            for (id, _, record) in &records {
                let (cjk, latin): (Vec<_>, Vec<_>) = record
                    .titles
                    .iter()
                    .partition(|t| t.full.chars().any(is_cjk));
                let join = |titles: &[&stdbridge_core::Title]| {
                    titles
                        .iter()
                        .map(|t| t.full.as_str())
                        .collect::<Vec<_>>()
                        .join(" \n ")
                };
                let status = record.status.map(|s| s.as_str());
                sqlx::query(
                    "INSERT INTO latin (rowid, designation, titles, country, status) \
                     VALUES (?, ?, ?, ?, ?)",
                )
                .bind(id)
                .bind(&record.designation)
                .bind(join(&latin))
                .bind(&record.country)
                .bind(status)
                .execute(&mut *tx)
                .await?;
                if !cjk.is_empty() {
                    sqlx::query(
                        "INSERT INTO cjk (rowid, titles, country, status) VALUES (?, ?, ?, ?)",
                    )
                    .bind(id)
                    .bind(join(&cjk))
                    .bind(&record.country)
                    .bind(status)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            after = last;
        }
        sqlx::query("INSERT INTO latin (latin) VALUES ('optimize')")
            .execute(&pool)
            .await?;
        sqlx::query("INSERT INTO cjk (cjk) VALUES ('optimize')")
            .execute(&pool)
            .await?;
        Ok(Fts5Baseline { pool })
    }

    /// The ids of the best `limit` matches of every word of `text`, by BM25.
    pub async fn search(
        &self,
        text: &str,
        filters: &BaselineFilters,
        limit: i64,
    ) -> Result<Vec<i64>, StorageError> {
        let cjk = text.chars().any(is_cjk);
        let terms: Vec<String> = text
            .split(|c: char| !(c.is_alphanumeric() || is_cjk(c)))
            .filter(|word| !word.is_empty())
            // The trigram tokenizer matches nothing shorter than three characters.
            .filter(|word| !cjk || word.chars().count() >= 3)
            .map(|word| format!("\"{}\"", word.replace('"', "\"\"")))
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let table = if cjk { "cjk" } else { "latin" };
        let mut sql = format!("SELECT rowid FROM {table} WHERE {table} MATCH ?");
        if filters.country.is_some() {
            sql.push_str(" AND country = ?");
        }
        if filters.status.is_some() {
            sql.push_str(" AND status = ?");
        }
        sql.push_str(" ORDER BY rank LIMIT ?");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(terms.join(" AND "));
        if let Some(country) = &filters.country {
            query = query.bind(country);
        }
        if let Some(status) = &filters.status {
            query = query.bind(status);
        }
        let rows = query.bind(limit).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| row.try_get::<i64, _>(0).map_err(StorageError::from))
            .collect()
    }

    /// Closes the database.
    pub async fn close(self) {
        self.pool.close().await;
    }
}
