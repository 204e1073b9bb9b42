//! Translation memories and termbases on PostgreSQL. A write to a memory bumps the write
//! generation (a row lock on `tm_state`, so writers of memories take turns at commit) and
//! notifies followers, whose TM indexes then catch up.

use async_trait::async_trait;
use sqlx::{Postgres, Row, Transaction};

use super::{PgStore, notify_changes};
use crate::StorageError;
use crate::memory::*;

const UNIT_COLUMNS: &str = "id, memory_id, usage_count, body";

#[async_trait]
impl MemoryRepository for PgStore {
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
            Kind::Memories,
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

    async fn memory(&self, name: &str) -> Result<Option<Collection>, StorageError> {
        collection(self, Kind::Memories, false, Pick::Name(name))
            .await
            .map(|mut found| found.pop())
    }

    async fn memory_by_id(&self, id: i64) -> Result<Option<Collection>, StorageError> {
        collection(self, Kind::Memories, false, Pick::Id(id))
            .await
            .map(|mut found| found.pop())
    }

    async fn memories(&self) -> Result<Vec<Collection>, StorageError> {
        collection(self, Kind::Memories, true, Pick::All).await
    }

    async fn delete_memory(&self, name: &str) -> Result<bool, StorageError> {
        let mut tx = self.pool.begin().await?;
        let deleted = sqlx::query("DELETE FROM tm_memories WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok(deleted > 0)
    }

    async fn units(&self, ids: &[i64]) -> Result<Vec<StoredUnit>, StorageError> {
        let sql = format!("SELECT {UNIT_COLUMNS} FROM tm_units WHERE id = ANY($1)");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ids)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(stored_unit).collect()
    }

    async fn units_after(
        &self,
        memory_id: Option<i64>,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<StoredUnit>, StorageError> {
        let sql = format!(
            "SELECT {UNIT_COLUMNS} FROM tm_units WHERE ($1::bigint IS NULL OR memory_id = $1) \
             AND id > $2 ORDER BY id LIMIT $3"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(memory_id)
            .bind(after_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(stored_unit).collect()
    }

    async fn memory_generation(&self) -> Result<i64, StorageError> {
        Ok(
            sqlx::query_scalar("SELECT generation FROM tm_state WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn count_unit_use(&self, ids: &[i64]) -> Result<(), StorageError> {
        // Several uses of one unit in a call count once each, as on SQLite.
        sqlx::query(
            "UPDATE tm_units u SET usage_count = u.usage_count + t.uses \
             FROM (SELECT id, COUNT(*) AS uses FROM UNNEST($1::bigint[]) AS x (id) GROUP BY id) t \
             WHERE u.id = t.id",
        )
        .bind(ids)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

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
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
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
        Ok((collection, Box::new(PgMemoryWriter { tx, memory_id: id })))
    }

    async fn memory_writer(
        &self,
        memory_id: i64,
    ) -> Result<Box<dyn MemoryTransaction>, StorageError> {
        Ok(Box::new(PgMemoryWriter {
            tx: self.pool.begin().await?,
            memory_id,
        }))
    }
}

#[async_trait]
impl TermbaseRepository for PgStore {
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
            Kind::Termbases,
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

    async fn termbase(&self, name: &str) -> Result<Option<Collection>, StorageError> {
        collection(self, Kind::Termbases, false, Pick::Name(name))
            .await
            .map(|mut found| found.pop())
    }

    async fn termbase_by_id(&self, id: i64) -> Result<Option<Collection>, StorageError> {
        collection(self, Kind::Termbases, false, Pick::Id(id))
            .await
            .map(|mut found| found.pop())
    }

    async fn termbases(&self) -> Result<Vec<Collection>, StorageError> {
        collection(self, Kind::Termbases, true, Pick::All).await
    }

    async fn concepts(&self, termbase_id: i64) -> Result<Vec<(String, String)>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT concept_key, body FROM tb_concepts WHERE termbase_id = $1 ORDER BY id",
        )
        .bind(termbase_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn termbase_writer(
        &self,
        termbase_id: i64,
    ) -> Result<Box<dyn TermbaseTransaction>, StorageError> {
        Ok(Box::new(PgTermbaseWriter {
            tx: self.pool.begin().await?,
            termbase_id,
        }))
    }
}

/// Writes to one memory inside a transaction; dropped without commit, nothing is stored.
pub struct PgMemoryWriter {
    tx: Transaction<'static, Postgres>,
    memory_id: i64,
}

#[async_trait]
impl MemoryTransaction for PgMemoryWriter {
    async fn insert(&mut self, unit: &NewUnit) -> Result<UnitWrite, StorageError> {
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO tm_units (memory_id, unit_key, tuid, creator, created_at, changed_at, \
             usage_count, origin_document, origin_standard, domain, body) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
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
        let sql =
            format!("SELECT {UNIT_COLUMNS} FROM tm_units WHERE memory_id = $1 AND unit_key = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(self.memory_id)
            .bind(&unit.key)
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(UnitWrite::Existing(stored_unit(&row)?))
    }

    async fn update(&mut self, id: i64, unit: &NewUnit) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE tm_units SET tuid = $1, creator = $2, created_at = $3, changed_at = $4, \
             usage_count = $5, origin_document = $6, origin_standard = $7, domain = $8, body = $9 \
             WHERE id = $10",
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

    async fn set_header(&mut self, header: &str) -> Result<(), StorageError> {
        sqlx::query("UPDATE tm_memories SET header = $1 WHERE id = $2")
            .bind(header)
            .bind(self.memory_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn commit(mut self: Box<Self>) -> Result<i64, StorageError> {
        let generation = bump_generation(&mut self.tx).await?;
        self.tx.commit().await?;
        Ok(generation)
    }
}

/// Writes to one termbase inside a transaction.
pub struct PgTermbaseWriter {
    tx: Transaction<'static, Postgres>,
    termbase_id: i64,
}

#[async_trait]
impl TermbaseTransaction for PgTermbaseWriter {
    async fn upsert(
        &mut self,
        key: &str,
        body: &str,
        changed_at: &str,
    ) -> Result<ConceptWrite, StorageError> {
        let stored: Option<String> = sqlx::query_scalar(
            "SELECT body FROM tb_concepts WHERE termbase_id = $1 AND concept_key = $2",
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
            "INSERT INTO tb_concepts (termbase_id, concept_key, changed_at, body) VALUES ($1, $2, $3, $4) \
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

    async fn set_header(&mut self, header: &str) -> Result<(), StorageError> {
        sqlx::query("UPDATE termbases SET header = $1 WHERE id = $2")
            .bind(header)
            .bind(self.termbase_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn commit(self: Box<Self>) -> Result<(), StorageError> {
        self.tx.commit().await?;
        Ok(())
    }
}

async fn bump_generation(tx: &mut Transaction<'static, Postgres>) -> Result<i64, StorageError> {
    let generation = sqlx::query_scalar(
        "UPDATE tm_state SET generation = generation + 1 WHERE id = 1 RETURNING generation",
    )
    .fetch_one(&mut **tx)
    .await?;
    notify_changes(tx).await?;
    Ok(generation)
}

fn stored_unit(row: &sqlx::postgres::PgRow) -> Result<StoredUnit, StorageError> {
    Ok(StoredUnit {
        id: row.try_get(0)?,
        memory_id: row.try_get(1)?,
        usage_count: row.try_get(2)?,
        body: row.try_get(3)?,
    })
}

/// Memories or termbases: the two kinds of collection, each with its entries' table.
#[derive(Clone, Copy)]
enum Kind {
    Memories,
    Termbases,
}

impl Kind {
    /// The collections' table, the entries' table and the entries' parent column.
    fn tables(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Kind::Memories => ("tm_memories", "tm_units", "memory_id"),
            Kind::Termbases => ("termbases", "tb_concepts", "termbase_id"),
        }
    }
}

async fn create_collection(
    store: &PgStore,
    kind: Kind,
    name: &str,
    owner: Option<&str>,
    visibility: Visibility,
    description: Option<&str>,
    created_at: &str,
) -> Result<(), StorageError> {
    let (table, _, _) = kind.tables();
    let sql = format!(
        "INSERT INTO {table} (name, owner, visibility, description, created_at) VALUES ($1, $2, $3, $4, $5)"
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
    store: &PgStore,
    kind: Kind,
    with_count: bool,
    pick: Pick<'_>,
) -> Result<Vec<Collection>, StorageError> {
    let (table, entries, parent) = kind.tables();
    let (name, id) = match pick {
        Pick::All => (None, None),
        Pick::Name(name) => (Some(name), None),
        Pick::Id(id) => (None, Some(id)),
    };
    let count = if with_count {
        format!("(SELECT count(*) FROM {entries} e WHERE e.{parent} = c.id)")
    } else {
        "NULL::bigint".to_owned()
    };
    let sql = format!(
        "SELECT c.id, c.name, c.owner, c.visibility, c.description, c.created_at, c.header, \
         {count} FROM {table} c WHERE ($1::text IS NULL OR c.name = $1) \
         AND ($2::bigint IS NULL OR c.id = $2) ORDER BY c.name"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(name)
        .bind(id)
        .fetch_all(&store.pool)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Collection {
                id: row.try_get(0)?,
                name: row.try_get(1)?,
                owner: row.try_get(2)?,
                visibility: Visibility::parse(&row.try_get::<String, _>(3)?),
                description: row.try_get(4)?,
                created_at: row.try_get(5)?,
                header: row.try_get(6)?,
                entries: row.try_get(7)?,
            })
        })
        .collect()
}
