//! Raw table access on SQLite, for copying a store and checking it.

use async_trait::async_trait;
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, Transaction};

use super::SqliteStore;
use crate::StorageError;
use crate::tables::{Cell, CellKind, CopyTarget, Table, TableAccess};

/// SQLite's limit on bound values per statement, with room to spare.
const MAX_BINDS: usize = 30_000;

impl SqliteStore {
    /// The pool a table lives in: jobs have their own file.
    fn pool_of(&self, table: &Table) -> &SqlitePool {
        if table.name == "jobs" {
            &self.jobs
        } else {
            &self.pool
        }
    }
}

#[async_trait]
impl TableAccess for SqliteStore {
    async fn count_rows(&self, table: &Table) -> Result<i64, StorageError> {
        let sql = format!("SELECT COUNT(*) FROM {}", table.name);
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(self.pool_of(table))
            .await?)
    }

    async fn read_rows(
        &self,
        table: &Table,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Vec<Cell>>, StorageError> {
        let columns = table.column_list();
        let name = table.name;
        // Table and column names come from `TABLES`; values are bound.
        let rows = match table.page_by {
            Some(key) => {
                let sql = format!(
                    "SELECT {columns} FROM {name} WHERE {key} > ?1 AND {key} <= \
                     (SELECT MAX({key}) FROM (SELECT {key} FROM {name} WHERE {key} > ?1 ORDER BY {key} LIMIT ?2) page) \
                     ORDER BY {key}"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(after.unwrap_or(i64::MIN))
                    .bind(limit)
                    .fetch_all(self.pool_of(table))
                    .await?
            }
            None => {
                let sql = format!("SELECT {columns} FROM {name} ORDER BY 1");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .fetch_all(self.pool_of(table))
                    .await?
            }
        };
        rows.iter().map(|row| cells(table, row)).collect()
    }

    async fn begin_copy(&self) -> Result<Box<dyn CopyTarget>, StorageError> {
        Ok(Box::new(SqliteCopy {
            store: self.pool.begin().await?,
            jobs: self.jobs.begin().await?,
        }))
    }

    async fn count_violations(&self, sql: &str) -> Result<i64, StorageError> {
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&self.pool)
            .await?)
    }

    async fn engine_check(&self) -> Result<Vec<String>, StorageError> {
        let mut problems = Vec::new();
        for (file, pool) in [("store", &self.pool), ("jobs", &self.jobs)] {
            let said: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(pool)
                .await?;
            problems.extend(
                said.into_iter()
                    .filter(|line| line != "ok")
                    .map(|line| format!("{file}: {line}")),
            );
            let broken = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(pool)
                .await?;
            for row in broken {
                let table: String = row.try_get(0)?;
                let parent: String = row.try_get(2)?;
                problems.push(format!(
                    "{file}: a row of {table} refers to a missing row of {parent}"
                ));
            }
        }
        Ok(problems)
    }
}

fn cells(table: &Table, row: &sqlx::sqlite::SqliteRow) -> Result<Vec<Cell>, StorageError> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(index, (_, kind))| {
            Ok(match kind {
                CellKind::Int => row
                    .try_get::<Option<i64>, _>(index)?
                    .map_or(Cell::Null, Cell::Int),
                CellKind::Text => row
                    .try_get::<Option<String>, _>(index)?
                    .map_or(Cell::Null, Cell::Text),
                CellKind::Bytes => row
                    .try_get::<Option<Vec<u8>>, _>(index)?
                    .map_or(Cell::Null, Cell::Bytes),
            })
        })
        .collect()
}

/// A copy into an SQLite store: a transaction on the store's file and one on the jobs'.
struct SqliteCopy {
    store: Transaction<'static, Sqlite>,
    jobs: Transaction<'static, Sqlite>,
}

#[async_trait]
impl CopyTarget for SqliteCopy {
    async fn write_rows(&mut self, table: &Table, rows: &[Vec<Cell>]) -> Result<(), StorageError> {
        let tx = if table.name == "jobs" {
            &mut self.jobs
        } else {
            &mut self.store
        };
        if table.seeded {
            let sql = format!("DELETE FROM {}", table.name);
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut **tx)
                .await?;
        }
        let per_statement = (MAX_BINDS / table.columns.len()).max(1);
        for chunk in rows.chunks(per_statement) {
            let mut query = QueryBuilder::<Sqlite>::new(format!(
                "INSERT INTO {} ({}) ",
                table.name,
                table.column_list()
            ));
            query.push_values(chunk, |mut values, row| {
                for (cell, (_, kind)) in row.iter().zip(table.columns) {
                    match (cell, kind) {
                        (Cell::Int(v), _) => values.push_bind(*v),
                        (Cell::Text(v), _) => values.push_bind(v.clone()),
                        (Cell::Bytes(v), _) => values.push_bind(v.clone()),
                        (Cell::Null, CellKind::Int) => values.push_bind(None::<i64>),
                        (Cell::Null, CellKind::Text) => values.push_bind(None::<String>),
                        (Cell::Null, CellKind::Bytes) => values.push_bind(None::<Vec<u8>>),
                    };
                }
            });
            query.build().execute(&mut **tx).await?;
        }
        Ok(())
    }

    async fn commit(self: Box<Self>) -> Result<(), StorageError> {
        // AUTOINCREMENT tables move their counters past explicit ids by themselves.
        self.jobs.commit().await?;
        self.store.commit().await?;
        Ok(())
    }
}
