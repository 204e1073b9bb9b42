//! Translation memories and termbases on SQLite.

use async_trait::async_trait;
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};

use super::SqliteStore;
use crate::StorageError;
use crate::memory::*;

#[async_trait]
impl MemoryRepository for SqliteStore {
    /// Makes a translation memory; an error if the name is taken.
    async fn create_memory(
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
    async fn memory(&self, name: &str) -> Result<Option<Collection>, StorageError> {
        collection(self, "tm_memories", None, Pick::Name(name))
            .await
            .map(|mut found| found.pop())
    }

    async fn memory_by_id(&self, id: i64) -> Result<Option<Collection>, StorageError> {
        collection(self, "tm_memories", None, Pick::Id(id))
            .await
            .map(|mut found| found.pop())
    }

    /// All translation memories.
    async fn memories(&self) -> Result<Vec<Collection>, StorageError> {
        collection(
            self,
            "tm_memories",
            Some(("tm_units", "memory_id")),
            Pick::All,
        )
        .await
    }

    /// Deletes a memory and its units; false if there was none.
    async fn delete_memory(&self, name: &str) -> Result<bool, StorageError> {
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
    async fn units(&self, ids: &[i64]) -> Result<Vec<StoredUnit>, StorageError> {
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
    async fn units_after(
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
    async fn memory_generation(&self) -> Result<i64, StorageError> {
        Ok(
            sqlx::query_scalar("SELECT generation FROM tm_state WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Counts a use of each of these units (a match was taken).
    async fn count_unit_use(&self, ids: &[i64]) -> Result<(), StorageError> {
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
    async fn create_memory_writer(
        &self,
        name: &str,
        owner: Option<&str>,
        visibility: Visibility,
        description: Option<&str>,
        created_at: &str,
    ) -> Result<(Collection, Box<dyn MemoryTransaction>), StorageError> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tm_memories (name, owner, visibility, description, created_at) \
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(name)
        .bind(owner)
        .bind(visibility.as_str())
        .bind(description)
        .bind(created_at)
        .fetch_one(&mut *tx)
        .await?;
        let collection = Collection {
            id,
            name: name.to_owned(),
            owner: owner.map(str::to_owned),
            visibility,
            description: description.map(str::to_owned),
            created_at: created_at.to_owned(),
            header: "{}".to_owned(),
            entries: None,
        };
        Ok((
            collection,
            Box::new(SqliteMemoryWriter { tx, memory_id: id }),
        ))
    }

    async fn memory_writer(
        &self,
        memory_id: i64,
    ) -> Result<Box<dyn MemoryTransaction>, StorageError> {
        Ok(Box::new(SqliteMemoryWriter {
            tx: self.pool.begin().await?,
            memory_id,
        }))
    }
}

#[async_trait]
impl TermbaseRepository for SqliteStore {
    /// Makes a termbase; an error if the name is taken.
    async fn create_termbase(
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
    async fn termbase(&self, name: &str) -> Result<Option<Collection>, StorageError> {
        collection(self, "termbases", None, Pick::Name(name))
            .await
            .map(|mut found| found.pop())
    }

    /// All termbases.
    async fn termbase_by_id(&self, id: i64) -> Result<Option<Collection>, StorageError> {
        collection(self, "termbases", None, Pick::Id(id))
            .await
            .map(|mut found| found.pop())
    }

    async fn termbases(&self) -> Result<Vec<Collection>, StorageError> {
        collection(
            self,
            "termbases",
            Some(("tb_concepts", "termbase_id")),
            Pick::All,
        )
        .await
    }

    /// The concepts of a termbase as (key, JSON body), in the order they were added.
    async fn concepts(&self, termbase_id: i64) -> Result<Vec<(String, String)>, StorageError> {
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
    async fn termbase_writer(
        &self,
        termbase_id: i64,
    ) -> Result<Box<dyn TermbaseTransaction>, StorageError> {
        Ok(Box::new(SqliteTermbaseWriter {
            tx: self.pool.begin().await?,
            termbase_id,
        }))
    }
}

/// Writes to one memory inside a transaction; dropped without commit,
/// nothing is stored.
pub struct SqliteMemoryWriter {
    tx: Transaction<'static, Sqlite>,
    memory_id: i64,
}

#[async_trait]
impl MemoryTransaction for SqliteMemoryWriter {
    /// Adds a unit, unless the memory holds one with the same key: then that one is
    /// returned for the caller to merge into.
    async fn insert(&mut self, unit: &NewUnit) -> Result<UnitWrite, StorageError> {
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
    async fn update(&mut self, id: i64, unit: &NewUnit) -> Result<(), StorageError> {
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
    async fn set_header(&mut self, header: &str) -> Result<(), StorageError> {
        sqlx::query("UPDATE tm_memories SET header = ? WHERE id = ?")
            .bind(header)
            .bind(self.memory_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Stores everything written; returns the new write generation.
    async fn commit(mut self: Box<Self>) -> Result<i64, StorageError> {
        let generation = bump_generation(&mut self.tx).await?;
        self.tx.commit().await?;
        Ok(generation)
    }
}

/// Writes to one termbase inside a transaction.
pub struct SqliteTermbaseWriter {
    tx: Transaction<'static, Sqlite>,
    termbase_id: i64,
}

#[async_trait]
impl TermbaseTransaction for SqliteTermbaseWriter {
    /// Adds a concept, or replaces the one with the same key.
    async fn upsert(
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
    async fn set_header(&mut self, header: &str) -> Result<(), StorageError> {
        sqlx::query("UPDATE termbases SET header = ? WHERE id = ?")
            .bind(header)
            .bind(self.termbase_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Stores everything written.
    async fn commit(self: Box<Self>) -> Result<(), StorageError> {
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
    store: &SqliteStore,
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
    store: &SqliteStore,
    table: &str,
    count_in: Option<(&str, &str)>,
    pick: Pick<'_>,
) -> Result<Vec<Collection>, StorageError> {
    let filter = match pick {
        Pick::All => "",
        Pick::Name(_) => "WHERE c.name = ?",
        Pick::Id(_) => "WHERE c.id = ?",
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
    match pick {
        Pick::All => {}
        Pick::Name(name) => query = query.bind(name),
        Pick::Id(id) => query = query.bind(id),
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
