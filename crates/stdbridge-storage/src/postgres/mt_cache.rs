//! The machine-translation cache on PostgreSQL.

use std::collections::HashMap;

use async_trait::async_trait;

use super::PgStore;
use crate::StorageError;
use crate::mt_cache::{MtCacheEntry, MtCacheRepository};

#[async_trait]
impl MtCacheRepository for PgStore {
    /// The cached translations of these keys; each one found counts a hit.
    async fn mt_cache_get(&self, keys: &[String]) -> Result<HashMap<String, String>, StorageError> {
        let mut found = HashMap::new();
        let mut tx = self.pool.begin().await?;
        for key in keys {
            let target: Option<String> =
                sqlx::query_scalar("SELECT target FROM mt_cache WHERE key = $1")
                    .bind(key)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(target) = target {
                sqlx::query("UPDATE mt_cache SET hits = hits + 1 WHERE key = $1")
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
    async fn mt_cache_put(&self, entries: &[MtCacheEntry]) -> Result<(), StorageError> {
        let mut tx = self.pool.begin().await?;
        for entry in entries {
            sqlx::query(
                "INSERT INTO mt_cache (key, engine, model, source_lang, target_lang, source, target, created) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING",
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
    async fn mt_cache_len(&self) -> Result<i64, StorageError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM mt_cache")
            .fetch_one(&self.pool)
            .await?)
    }
}
