//! The machine-translation cache: translations by key.

use std::collections::HashMap;

use async_trait::async_trait;

use crate::StorageError;

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

/// The machine-translation cache as a backend keeps it.
#[async_trait]
pub trait MtCacheRepository: Send + Sync {
    /// The cached translations of these keys; each one found counts a hit.
    async fn mt_cache_get(&self, keys: &[String]) -> Result<HashMap<String, String>, StorageError>;

    /// Stores translations (one transaction); a key already there is kept.
    async fn mt_cache_put(&self, entries: &[MtCacheEntry]) -> Result<(), StorageError>;

    /// How many translations the cache holds.
    async fn mt_cache_len(&self) -> Result<i64, StorageError>;
}
