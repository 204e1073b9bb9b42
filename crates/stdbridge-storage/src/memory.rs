//! Translation memories and termbases: what every backend keeps of them. The units and
//! concepts themselves are JSON bodies written and read by `stdbridge-tm`; the store keeps
//! them with the columns that queries and listings use, inside transactions.

use async_trait::async_trait;

use crate::StorageError;

/// Who may read a memory or termbase besides its owner: nobody, named users, everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Only its owner reads it.
    Private,
    /// Its owner and the users it is shared with read it.
    Shared,
    /// Every signed-in user reads it: the shared corpus.
    Public,
}

impl Visibility {
    /// The stored word (and the API's).
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::Shared => "shared",
            Visibility::Public => "public",
        }
    }

    /// The visibility a stored word names (anything unknown is private).
    pub fn parse(text: &str) -> Visibility {
        match text {
            "public" => Visibility::Public,
            "shared" => Visibility::Shared,
            _ => Visibility::Private,
        }
    }
}

/// What a translation memory or termbase is: its name, owner and visibility.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Collection {
    /// Row id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Who owns it.
    pub owner: Option<String>,
    /// Private, shared with named users, or public.
    pub visibility: Visibility,
    /// Free text.
    pub description: Option<String>,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Header data as JSON (TMX header, TBX header).
    #[serde(skip)]
    pub header: String,
    /// How many units or concepts it holds (counted in listings only: counting a large
    /// memory takes a while).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<i64>,
}

/// A new translation unit with the columns derived from it.
#[derive(Debug, Clone)]
pub struct NewUnit {
    /// Identity of the unit's content within its memory (a hash of its variants).
    pub key: Vec<u8>,
    /// The TMX tuid.
    pub tuid: Option<String>,
    /// Who created it.
    pub creator: Option<String>,
    /// When (as in TMX: 20250101T120000Z).
    pub created_at: Option<String>,
    /// Last change.
    pub changed_at: Option<String>,
    /// How often it was used.
    pub usage_count: i64,
    /// The document it came from.
    pub origin_document: Option<String>,
    /// The standard it came from (a designation).
    pub origin_standard: Option<String>,
    /// Subject field.
    pub domain: Option<String>,
    /// The unit as JSON.
    pub body: String,
}

/// A stored translation unit.
#[derive(Debug, Clone)]
pub struct StoredUnit {
    /// Row id.
    pub id: i64,
    /// Its memory.
    pub memory_id: i64,
    /// Usage count.
    pub usage_count: i64,
    /// The unit as JSON.
    pub body: String,
}

/// What writing one unit did.
#[derive(Debug, Clone)]
pub enum UnitWrite {
    /// A new unit with this id.
    Inserted(i64),
    /// The memory already holds a unit with the same content.
    Existing(StoredUnit),
}

/// What writing one concept did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConceptWrite {
    /// A new concept.
    Inserted,
    /// A concept with the same key, now replaced.
    Updated,
    /// The same concept as stored.
    Unchanged,
}

/// Translation memories as a backend keeps them.
#[async_trait]
pub trait MemoryRepository: Send + Sync {
    /// Makes a translation memory; an error if the name is taken.
    async fn create_memory(
        &self,
        name: &str,
        owner: Option<&str>,
        visibility: Visibility,
        description: Option<&str>,
        created_at: &str,
    ) -> Result<Collection, StorageError>;

    /// The translation memory of this name.
    async fn memory(&self, name: &str) -> Result<Option<Collection>, StorageError>;

    /// The translation memory of this id.
    async fn memory_by_id(&self, id: i64) -> Result<Option<Collection>, StorageError>;

    /// All translation memories.
    async fn memories(&self) -> Result<Vec<Collection>, StorageError>;

    /// Deletes a memory and its units; false if there was none.
    async fn delete_memory(&self, name: &str) -> Result<bool, StorageError>;

    /// The units with these ids (in no particular order; missing ids are left out).
    async fn units(&self, ids: &[i64]) -> Result<Vec<StoredUnit>, StorageError>;

    /// A page of a memory's units in id order, after `after_id` (export, index rebuild).
    async fn units_after(
        &self,
        memory_id: Option<i64>,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<StoredUnit>, StorageError>;

    /// The memories' write generation (bumped by every write).
    async fn memory_generation(&self) -> Result<i64, StorageError>;

    /// Counts a use of each of these units (a match was taken).
    async fn count_unit_use(&self, ids: &[i64]) -> Result<(), StorageError>;

    /// Makes a memory inside a new write transaction: it exists for others only once
    /// the writer commits (an import that fails or is killed leaves nothing).
    async fn create_memory_writer(
        &self,
        name: &str,
        owner: Option<&str>,
        visibility: Visibility,
        description: Option<&str>,
        created_at: &str,
    ) -> Result<(Collection, Box<dyn MemoryTransaction>), StorageError>;

    /// Starts writing to a memory: one transaction.
    async fn memory_writer(
        &self,
        memory_id: i64,
    ) -> Result<Box<dyn MemoryTransaction>, StorageError>;
}

/// Writes to one memory inside a transaction; dropped without being committed, nothing
/// is stored.
#[async_trait]
pub trait MemoryTransaction: Send {
    /// Adds a unit, unless the memory holds one with the same key: then that one is
    /// returned for the caller to merge into.
    async fn insert(&mut self, unit: &NewUnit) -> Result<UnitWrite, StorageError>;

    /// Replaces a stored unit's body and columns (after a merge).
    async fn update(&mut self, id: i64, unit: &NewUnit) -> Result<(), StorageError>;

    /// Sets the memory's header (JSON).
    async fn set_header(&mut self, header: &str) -> Result<(), StorageError>;

    /// Stores everything written; returns the new write generation.
    async fn commit(self: Box<Self>) -> Result<i64, StorageError>;
}

/// Termbases as a backend keeps them.
#[async_trait]
pub trait TermbaseRepository: Send + Sync {
    /// Makes a termbase; an error if the name is taken.
    async fn create_termbase(
        &self,
        name: &str,
        owner: Option<&str>,
        visibility: Visibility,
        description: Option<&str>,
        created_at: &str,
    ) -> Result<Collection, StorageError>;

    /// The termbase of this name.
    async fn termbase(&self, name: &str) -> Result<Option<Collection>, StorageError>;

    /// The termbase of this id.
    async fn termbase_by_id(&self, id: i64) -> Result<Option<Collection>, StorageError>;

    /// All termbases.
    async fn termbases(&self) -> Result<Vec<Collection>, StorageError>;

    /// The concepts of a termbase as (key, JSON body), in the order they were added.
    async fn concepts(&self, termbase_id: i64) -> Result<Vec<(String, String)>, StorageError>;

    /// Starts writing to a termbase: one transaction.
    async fn termbase_writer(
        &self,
        termbase_id: i64,
    ) -> Result<Box<dyn TermbaseTransaction>, StorageError>;
}

/// Writes to one termbase inside a transaction; dropped without being committed, nothing
/// is stored.
#[async_trait]
pub trait TermbaseTransaction: Send {
    /// Adds a concept, or replaces the one with the same key.
    async fn upsert(
        &mut self,
        key: &str,
        body: &str,
        changed_at: &str,
    ) -> Result<ConceptWrite, StorageError>;

    /// Sets the termbase's header (JSON).
    async fn set_header(&mut self, header: &str) -> Result<(), StorageError>;

    /// Stores everything written.
    async fn commit(self: Box<Self>) -> Result<(), StorageError>;
}

/// Which collections a query picks.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pick<'a> {
    /// All of them.
    All,
    /// The one of this name.
    Name(&'a str),
    /// The one of this id.
    Id(i64),
}
