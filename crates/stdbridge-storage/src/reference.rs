//! Reference data: the ICS, China's CCS, countries and standards bodies.

use async_trait::async_trait;
use stdbridge_core::reference::{Body, CcsCode, Country, IcsCode};

use crate::StorageError;

/// Reference data as a backend keeps it.
#[async_trait]
pub trait ReferenceRepository: Send + Sync {
    /// Inserts or replaces ICS codes; returns how many rows changed.
    async fn upsert_ics(&self, codes: &[IcsCode]) -> Result<u64, StorageError>;

    /// Inserts or replaces CCS codes; returns how many rows changed.
    async fn upsert_ccs(&self, codes: &[CcsCode]) -> Result<u64, StorageError>;

    /// Inserts or replaces countries; returns how many rows changed.
    async fn upsert_countries(&self, countries: &[Country]) -> Result<u64, StorageError>;

    /// Inserts or replaces standards bodies; returns how many rows changed.
    async fn upsert_bodies(&self, bodies: &[Body]) -> Result<u64, StorageError>;

    /// The ICS code's titles by language, if the code is known.
    async fn ics_titles(
        &self,
        code: &str,
    ) -> Result<Option<std::collections::BTreeMap<String, String>>, StorageError>;

    /// The CCS code's Chinese and English names, if the code is known.
    async fn ccs_names(&self, code: &str) -> Result<Option<(String, String)>, StorageError>;

    /// Every ICS code, in code order.
    async fn all_ics(&self) -> Result<Vec<IcsCode>, StorageError>;

    /// Every country, in alpha-2 order.
    async fn all_countries(&self) -> Result<Vec<Country>, StorageError>;

    /// The country with this alpha-2 code (any case), if known.
    async fn country(&self, alpha2: &str) -> Result<Option<Country>, StorageError>;

    /// Every standards body, in order of abbreviation.
    async fn all_bodies(&self) -> Result<Vec<Body>, StorageError>;
}
