//! Raw table access on PostgreSQL, for copying a store and checking it.

use async_trait::async_trait;
use sqlx::{Postgres, QueryBuilder, Row, Transaction};

use super::PgStore;
use crate::StorageError;
use crate::tables::{Cell, CellKind, CopyTarget, Table, TableAccess};

/// Bound values per statement (PostgreSQL allows 65,535).
const MAX_BINDS: usize = 30_000;

#[async_trait]
impl TableAccess for PgStore {
    async fn count_rows(&self, table: &Table) -> Result<i64, StorageError> {
        let sql = format!("SELECT COUNT(*) FROM {}", table.name);
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(&self.pool)
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
                    "SELECT {columns} FROM {name} WHERE {key} > $1 AND {key} <= \
                     (SELECT MAX({key}) FROM (SELECT {key} FROM {name} WHERE {key} > $1 ORDER BY {key} LIMIT $2) page) \
                     ORDER BY {key}"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(after.unwrap_or(i64::MIN))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!("SELECT {columns} FROM {name} ORDER BY 1");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(|row| cells(table, row)).collect()
    }

    async fn begin_copy(&self) -> Result<Box<dyn CopyTarget>, StorageError> {
        Ok(Box::new(PgCopy {
            tx: self.pool.begin().await?,
        }))
    }

    async fn count_violations(&self, sql: &str) -> Result<i64, StorageError> {
        // A count of the checks' dialect: whatever integer type the query yields.
        let sql = format!("SELECT CAST(({sql}) AS BIGINT)");
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(&self.pool)
            .await?)
    }

    /// Indexes PostgreSQL marks invalid (a failed concurrent build) in this schema.
    async fn engine_check(&self) -> Result<Vec<String>, StorageError> {
        let invalid: Vec<String> = sqlx::query_scalar(
            "SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND NOT i.indisvalid ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(invalid
            .into_iter()
            .map(|index| format!("index {index} is invalid (REINDEX it)"))
            .collect())
    }
}

fn cells(table: &Table, row: &sqlx::postgres::PgRow) -> Result<Vec<Cell>, StorageError> {
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

/// A copy into a PostgreSQL store: one transaction.
struct PgCopy {
    tx: Transaction<'static, Postgres>,
}

#[async_trait]
impl CopyTarget for PgCopy {
    async fn write_rows(&mut self, table: &Table, rows: &[Vec<Cell>]) -> Result<(), StorageError> {
        let tx = &mut self.tx;
        if table.seeded {
            let sql = format!("DELETE FROM {}", table.name);
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut **tx)
                .await?;
        }
        let per_statement = (MAX_BINDS / table.columns.len()).max(1);
        for chunk in rows.chunks(per_statement) {
            let mut query = QueryBuilder::<Postgres>::new(format!(
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

    /// Moves each identity generator past the largest copied id, then commits.
    async fn commit(mut self: Box<Self>) -> Result<(), StorageError> {
        for table in crate::tables::TABLES {
            let Some(column) = table.identity else {
                continue;
            };
            let name = table.name;
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{name}', '{column}'), \
                 COALESCE((SELECT MAX({column}) FROM {name}), 1), \
                 (SELECT MAX({column}) FROM {name}) IS NOT NULL)"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *self.tx)
                .await?;
        }
        self.tx.commit().await?;
        Ok(())
    }
}
