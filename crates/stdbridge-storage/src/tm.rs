//! Translation memories and termbases in the store. The units and concepts themselves are
//! JSON bodies written and read by `stdbridge-tm`; this module keeps them, with the
//! columns that queries and listings use, inside transactions.

use sqlx::{QueryBuilder, Row, Sqlite, Transaction};

use crate::{StorageError, Store};

/// Whether a memory or termbase is its owner's alone or shared with everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Only its owner uses it.
    Personal,
    /// Everyone may use it.
    Shared,
}

impl Visibility {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Personal => "personal",
            Visibility::Shared => "shared",
        }
    }

    fn parse(text: &str) -> Visibility {
        if text == "shared" {
            Visibility::Shared
        } else {
            Visibility::Personal
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
    /// Personal or shared.
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

impl Store {
    /// Makes a translation memory; an error if the name is taken.
    pub async fn create_memory(
        &self,
        name: &str,
        owner: Option<&str>,
        visibility: Visibility,
        description: Option<&str>,
        created_at: &str,
    ) -> Result<Collection, StorageError> {
        create_collection(
            self,
            "tm_memories",
            name,
            owner,
            visibility,
            description,
            created_at,
        )
        .await?;
        self.memory(name)
            .await?
            .ok_or(StorageError::Database(sqlx::Error::RowNotFound))
    }

    /// The translation memory of this name.
    pub async fn memory(&self, name: &str) -> Result<Option<Collection>, StorageError> {
        collection(self, "tm_memories", None, Some(name))
            .await
            .map(|mut found| found.pop())
    }

    /// All translation memories.
    pub async fn memories(&self) -> Result<Vec<Collection>, StorageError> {
        collection(self, "tm_memories", Some(("tm_units", "memory_id")), None).await
    }

    /// Deletes a memory and its units; false if there was none.
    pub async fn delete_memory(&self, name: &str) -> Result<bool, StorageError> {
        let mut tx = self.pool.begin().await?;
        let deleted = sqlx::query("DELETE FROM tm_memories WHERE name = ?")
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok(deleted > 0)
    }

    /// The units with these ids (in no particular order; missing ids are left out).
    pub async fn units(&self, ids: &[i64]) -> Result<Vec<StoredUnit>, StorageError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(900) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "SELECT id, memory_id, usage_count, body FROM tm_units WHERE id IN (",
            );
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(")");
            let rows = query.build().fetch_all(&self.pool).await?;
            out.extend(rows.iter().map(stored_unit));
        }
        Ok(out)
    }

    /// A page of a memory's units in id order, after `after_id` (export, index rebuild).
    pub async fn units_after(
        &self,
        memory_id: Option<i64>,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<StoredUnit>, StorageError> {
        let rows = match memory_id {
            Some(memory) => {
                sqlx::query(
                    "SELECT id, memory_id, usage_count, body FROM tm_units \
                     WHERE memory_id = ? AND id > ? ORDER BY id LIMIT ?",
                )
                .bind(memory)
                .bind(after_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(
                    "SELECT id, memory_id, usage_count, body FROM tm_units \
                     WHERE id > ? ORDER BY id LIMIT ?",
                )
                .bind(after_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
        };
        Ok(rows.iter().map(stored_unit).collect())
    }

    /// The memories' write generation (bumped by every write).
    pub async fn memory_generation(&self) -> Result<i64, StorageError> {
        Ok(
            sqlx::query_scalar("SELECT generation FROM tm_state WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Counts a use of each of these units (a match was taken).
    pub async fn count_unit_use(&self, ids: &[i64]) -> Result<(), StorageError> {
        let mut tx = self.pool.begin().await?;
        for id in ids {
            sqlx::query("UPDATE tm_units SET usage_count = usage_count + 1 WHERE id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Starts writing to a memory: one transaction.
    pub async fn memory_writer(&self, memory_id: i64) -> Result<MemoryWriter, StorageError> {
        Ok(MemoryWriter {
            tx: self.pool.begin().await?,
            memory_id,
        })
    }

    /// Makes a termbase; an error if the name is taken.
    pub async fn create_termbase(
        &self,
        name: &str,
        owner: Option<&str>,
        visibility: Visibility,
        description: Option<&str>,
        created_at: &str,
    ) -> Result<Collection, StorageError> {
        create_collection(
            self,
            "termbases",
            name,
            owner,
            visibility,
            description,
            created_at,
        )
        .await?;
        self.termbase(name)
            .await?
            .ok_or(StorageError::Database(sqlx::Error::RowNotFound))
    }

    /// The termbase of this name.
    pub async fn termbase(&self, name: &str) -> Result<Option<Collection>, StorageError> {
        collection(self, "termbases", None, Some(name))
            .await
            .map(|mut found| found.pop())
    }

    /// All termbases.
    pub async fn termbases(&self) -> Result<Vec<Collection>, StorageError> {
        collection(
            self,
            "termbases",
            Some(("tb_concepts", "termbase_id")),
            None,
        )
        .await
    }

    /// The concepts of a termbase as (key, JSON body), in the order they were added.
    pub async fn concepts(&self, termbase_id: i64) -> Result<Vec<(String, String)>, StorageError> {
        let rows = sqlx::query(
            "SELECT concept_key, body FROM tb_concepts WHERE termbase_id = ? ORDER BY id",
        )
        .bind(termbase_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| (row.get::<String, _>(0), row.get::<String, _>(1)))
            .collect())
    }

    /// Starts writing to a termbase: one transaction.
    pub async fn termbase_writer(&self, termbase_id: i64) -> Result<TermbaseWriter, StorageError> {
        Ok(TermbaseWriter {
            tx: self.pool.begin().await?,
            termbase_id,
        })
    }
}

/// Writes to one memory inside a transaction; dropped without [`MemoryWriter::commit`],
/// nothing is stored.
pub struct MemoryWriter {
    tx: Transaction<'static, Sqlite>,
    memory_id: i64,
}

impl MemoryWriter {
    /// Adds a unit, unless the memory holds one with the same key: then that one is
    /// returned for the caller to merge into.
    pub async fn insert(&mut self, unit: &NewUnit) -> Result<UnitWrite, StorageError> {
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO tm_units (memory_id, unit_key, tuid, creator, created_at, changed_at, \
             usage_count, origin_document, origin_standard, domain, body) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (memory_id, unit_key) DO NOTHING RETURNING id",
        )
        .bind(self.memory_id)
        .bind(&unit.key)
        .bind(&unit.tuid)
        .bind(&unit.creator)
        .bind(&unit.created_at)
        .bind(&unit.changed_at)
        .bind(unit.usage_count)
        .bind(&unit.origin_document)
        .bind(&unit.origin_standard)
        .bind(&unit.domain)
        .bind(&unit.body)
        .fetch_optional(&mut *self.tx)
        .await?;
        if let Some(id) = inserted {
            return Ok(UnitWrite::Inserted(id));
        }
        let row = sqlx::query(
            "SELECT id, memory_id, usage_count, body FROM tm_units WHERE memory_id = ? AND unit_key = ?",
        )
        .bind(self.memory_id)
        .bind(&unit.key)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(UnitWrite::Existing(stored_unit(&row)))
    }

    /// Replaces a stored unit's body and columns (after a merge).
    pub async fn update(&mut self, id: i64, unit: &NewUnit) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE tm_units SET tuid = ?, creator = ?, created_at = ?, changed_at = ?, \
             usage_count = ?, origin_document = ?, origin_standard = ?, domain = ?, body = ? \
             WHERE id = ?",
        )
        .bind(&unit.tuid)
        .bind(&unit.creator)
        .bind(&unit.created_at)
        .bind(&unit.changed_at)
        .bind(unit.usage_count)
        .bind(&unit.origin_document)
        .bind(&unit.origin_standard)
        .bind(&unit.domain)
        .bind(&unit.body)
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Sets the memory's header (JSON).
    pub async fn set_header(&mut self, header: &str) -> Result<(), StorageError> {
        sqlx::query("UPDATE tm_memories SET header = ? WHERE id = ?")
            .bind(header)
            .bind(self.memory_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Stores everything written; returns the new write generation.
    pub async fn commit(mut self) -> Result<i64, StorageError> {
        let generation = bump_generation(&mut self.tx).await?;
        self.tx.commit().await?;
        Ok(generation)
    }
}

/// Writes to one termbase inside a transaction.
pub struct TermbaseWriter {
    tx: Transaction<'static, Sqlite>,
    termbase_id: i64,
}

impl TermbaseWriter {
    /// Adds a concept, or replaces the one with the same key.
    pub async fn upsert(
        &mut self,
        key: &str,
        body: &str,
        changed_at: &str,
    ) -> Result<ConceptWrite, StorageError> {
        let stored: Option<String> = sqlx::query_scalar(
            "SELECT body FROM tb_concepts WHERE termbase_id = ? AND concept_key = ?",
        )
        .bind(self.termbase_id)
        .bind(key)
        .fetch_optional(&mut *self.tx)
        .await?;
        let outcome = match stored {
            Some(existing) if existing == body => return Ok(ConceptWrite::Unchanged),
            Some(_) => ConceptWrite::Updated,
            None => ConceptWrite::Inserted,
        };
        sqlx::query(
            "INSERT INTO tb_concepts (termbase_id, concept_key, changed_at, body) VALUES (?, ?, ?, ?) \
             ON CONFLICT (termbase_id, concept_key) DO UPDATE SET body = excluded.body, \
             changed_at = excluded.changed_at",
        )
        .bind(self.termbase_id)
        .bind(key)
        .bind(changed_at)
        .bind(body)
        .execute(&mut *self.tx)
        .await?;
        Ok(outcome)
    }

    /// Sets the termbase's header (JSON).
    pub async fn set_header(&mut self, header: &str) -> Result<(), StorageError> {
        sqlx::query("UPDATE termbases SET header = ? WHERE id = ?")
            .bind(header)
            .bind(self.termbase_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Stores everything written.
    pub async fn commit(self) -> Result<(), StorageError> {
        self.tx.commit().await?;
        Ok(())
    }
}

async fn bump_generation(tx: &mut Transaction<'static, Sqlite>) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar(
        "UPDATE tm_state SET generation = generation + 1 WHERE id = 1 RETURNING generation",
    )
    .fetch_one(&mut **tx)
    .await?)
}

fn stored_unit(row: &sqlx::sqlite::SqliteRow) -> StoredUnit {
    StoredUnit {
        id: row.get(0),
        memory_id: row.get(1),
        usage_count: row.get(2),
        body: row.get(3),
    }
}

async fn create_collection(
    store: &Store,
    table: &str,
    name: &str,
    owner: Option<&str>,
    visibility: Visibility,
    description: Option<&str>,
    created_at: &str,
) -> Result<(), StorageError> {
    let sql = format!(
        "INSERT INTO {table} (name, owner, visibility, description, created_at) VALUES (?, ?, ?, ?, ?)"
    );
    // Table names are this module's constants; values are bound.
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(name)
        .bind(owner)
        .bind(visibility.as_str())
        .bind(description)
        .bind(created_at)
        .execute(&store.pool)
        .await?;
    Ok(())
}

async fn collection(
    store: &Store,
    table: &str,
    count_in: Option<(&str, &str)>,
    name: Option<&str>,
) -> Result<Vec<Collection>, StorageError> {
    let filter = if name.is_some() {
        "WHERE c.name = ?"
    } else {
        ""
    };
    let count = match count_in {
        Some((entries, parent)) => {
            format!("(SELECT count(*) FROM {entries} e WHERE e.{parent} = c.id)")
        }
        None => "NULL".to_owned(),
    };
    let sql = format!(
        "SELECT c.id, c.name, c.owner, c.visibility, c.description, c.created_at, c.header, \
         {count} FROM {table} c {filter} ORDER BY c.name"
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    if let Some(name) = name {
        query = query.bind(name);
    }
    let rows = query.fetch_all(&store.pool).await?;
    Ok(rows
        .iter()
        .map(|row| Collection {
            id: row.get(0),
            name: row.get(1),
            owner: row.get(2),
            visibility: Visibility::parse(&row.get::<String, _>(3)),
            description: row.get(4),
            created_at: row.get(5),
            header: row.get(6),
            entries: row.get(7),
        })
        .collect())
}
