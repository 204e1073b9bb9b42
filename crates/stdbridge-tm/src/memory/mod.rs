//! Translation memories: named collections of units in the store, with the candidate
//! index beside them. Import and export TMX, look up exact and fuzzy matches, search
//! concordance.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use std::sync::Arc;

use stdbridge_storage::{Collection, MemoryRepository, StoredUnit, Visibility};

use crate::error::TmError;
use crate::index::TmIndex;
use crate::tmx::{Header, TmxWriter};
use crate::unit::Unit;

mod import;
mod lookup;

pub use import::ImportReport;
pub use lookup::{ConcordanceHit, LookupRequest, Match, Origin};

/// The translation memories of a data directory.
pub struct Memories {
    store: Arc<dyn MemoryRepository>,
    index: TmIndex,
}

impl Memories {
    /// Opens the memories of a data directory; the index is rebuilt if it does not
    /// reflect the store.
    pub async fn open(
        store: Arc<dyn MemoryRepository>,
        data_dir: &Path,
    ) -> Result<Memories, TmError> {
        Memories::open_with(store, TmIndex::open(data_dir)?).await
    }

    /// The memories of a store with their candidate index, rebuilt if it does not
    /// reflect the store.
    pub async fn open_with(
        store: Arc<dyn MemoryRepository>,
        index: TmIndex,
    ) -> Result<Memories, TmError> {
        let memories = Memories { store, index };
        memories.sync().await?;
        Ok(memories)
    }

    /// The store.
    pub fn store(&self) -> &dyn MemoryRepository {
        self.store.as_ref()
    }

    /// The candidate index.
    pub fn index(&self) -> &TmIndex {
        &self.index
    }

    /// Rebuilds the index when it does not reflect the store; returns whether it did.
    /// When another process brought it up to date, the reader sees that commit.
    pub async fn sync(&self) -> Result<bool, TmError> {
        let generation = self.store.memory_generation().await?;
        if self.index.generation() == generation {
            self.index.reload_if_changed()?;
            return Ok(false);
        }
        self.rebuild().await?;
        Ok(true)
    }

    /// Rebuilds the index from the store; returns the units indexed.
    pub async fn rebuild(&self) -> Result<u64, TmError> {
        let generation = self.store.memory_generation().await?;
        let mut writer = self.index.writer()?;
        self.index.clear(&mut writer)?;
        let mut after = 0;
        let mut count = 0;
        loop {
            let page = self.store.units_after(None, after, 10_000).await?;
            let Some(last) = page.last().map(|unit| unit.id) else {
                break;
            };
            for stored in &page {
                let unit = decode(stored)?;
                self.index
                    .add_unit(&writer, stored.memory_id, stored.id, &unit)?;
                count += 1;
            }
            after = last;
        }
        self.index.commit(&mut writer, generation)?;
        self.index.merge_all(writer)?;
        Ok(count)
    }

    /// All memories.
    pub async fn list(&self) -> Result<Vec<Collection>, TmError> {
        Ok(self.store.memories().await?)
    }

    /// Makes a memory.
    pub async fn create(
        &self,
        name: &str,
        owner: Option<&str>,
        visibility: Visibility,
        description: Option<&str>,
    ) -> Result<Collection, TmError> {
        if self.store.memory(name).await?.is_some() {
            return Err(TmError::Exists {
                kind: "translation memory",
                name: name.to_owned(),
            });
        }
        Ok(self
            .store
            .create_memory(name, owner, visibility, description, &now_rfc3339())
            .await?)
    }

    /// The memory of this name, made (personal, no owner) if missing.
    pub async fn get_or_create(&self, name: &str) -> Result<Collection, TmError> {
        match self.store.memory(name).await? {
            Some(memory) => Ok(memory),
            None => self.create(name, None, Visibility::Private, None).await,
        }
    }

    async fn named(&self, name: &str) -> Result<Collection, TmError> {
        self.store
            .memory(name)
            .await?
            .ok_or_else(|| TmError::NotFound {
                kind: "translation memory",
                name: name.to_owned(),
            })
    }

    /// Deletes a memory.
    pub async fn delete(&self, name: &str) -> Result<(), TmError> {
        let memory = self.named(name).await?;
        let mut writer = self.index.writer()?;
        self.store.delete_memory(&memory.name).await?;
        self.index.delete_memory(&writer, memory.id);
        let generation = self.store.memory_generation().await?;
        self.index.commit(&mut writer, generation)?;
        Ok(())
    }

    /// Writes a memory as TMX 1.4b; returns the units written.
    pub async fn export_tmx<W: Write>(&self, memory: &str, out: W) -> Result<u64, TmError> {
        let collection = self.named(memory).await?;
        let header: Header = serde_json::from_str(&collection.header).unwrap_or_default();
        let io_error = |source: std::io::Error| TmError::Write {
            format: "TMX",
            source,
        };
        let mut writer = TmxWriter::start(out, &header).map_err(io_error)?;
        let mut after = 0;
        let mut count = 0;
        loop {
            let page = self
                .store
                .units_after(Some(collection.id), after, 5_000)
                .await?;
            let Some(last) = page.last().map(|unit| unit.id) else {
                break;
            };
            for stored in &page {
                writer.unit(&decode(stored)?).map_err(io_error)?;
                count += 1;
            }
            after = last;
        }
        writer.finish().map_err(io_error)?;
        Ok(count)
    }

    /// Memory ids and names for a list of names (all memories when empty).
    async fn resolve(&self, names: &[String]) -> Result<HashMap<i64, String>, TmError> {
        let mut out = HashMap::new();
        if names.is_empty() {
            for memory in self.store.memories().await? {
                out.insert(memory.id, memory.name);
            }
            return Ok(out);
        }
        for name in names {
            let memory = self.named(name).await?;
            out.insert(memory.id, memory.name);
        }
        Ok(out)
    }
}

/// Decodes a stored unit.
pub fn decode(stored: &StoredUnit) -> Result<Unit, TmError> {
    serde_json::from_str(&stored.body).map_err(|source| TmError::Corrupt {
        what: format!("translation unit {}", stored.id),
        source,
    })
}

/// Now, as RFC 3339 in UTC.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

/// Now, as TMX writes dates (20250101T120000Z).
pub fn now_tmx() -> String {
    now_rfc3339().replace(['-', ':'], "")
}
