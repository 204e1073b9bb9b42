//! The machine-translation cache: translations by key.

use std::collections::HashMap;

use crate::{StorageError, Store};

/// A cached translation.
#[derive(Debug, Clone)]
pub struct MtCacheEntry {
    /// The key (a digest of engine, model, languages, terms and source).
    pub key: String,
    /// Engine kind.
    pub engine: String,
    /// Engine endpoint and model.
    pub model: String,
    /// Source language.
    pub source_lang: String,
    /// Target language.
    pub target_lang: String,
    /// The source as sent.
    pub source: String,
    /// The translation as received.
    pub target: String,
    /// When (RFC 3339).
    pub created: String,
}

impl Store {
    /// The cached translations of these keys; each one found counts a hit.
    pub async fn mt_cache_get(
        &self,
        keys: &[String],
    ) -> Result<HashMap<String, String>, StorageError> {
        let mut found = HashMap::new();
        let mut tx = self.pool.begin().await?;
        for key in keys {
            let target: Option<String> =
                sqlx::query_scalar("SELECT target FROM mt_cache WHERE key = ?")
                    .bind(key)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(target) = target {
                sqlx::query("UPDATE mt_cache SET hits = hits + 1 WHERE key = ?")
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
                found.insert(key.clone(), target);
            }
        }
        tx.commit().await?;
        Ok(found)
    }

    /// Stores translations (one transaction); a key already there is kept.
    pub async fn mt_cache_put(&self, entries: &[MtCacheEntry]) -> Result<(), StorageError> {
        let mut tx = self.pool.begin().await?;
        for entry in entries {
            sqlx::query(
                "INSERT OR IGNORE INTO mt_cache (key, engine, model, source_lang, target_lang, source, target, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&entry.key)
            .bind(&entry.engine)
            .bind(&entry.model)
            .bind(&entry.source_lang)
            .bind(&entry.target_lang)
            .bind(&entry.source)
            .bind(&entry.target)
            .bind(&entry.created)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many translations the cache holds.
    pub async fn mt_cache_len(&self) -> Result<i64, StorageError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM mt_cache")
            .fetch_one(&self.pool)
            .await?)
    }
}
