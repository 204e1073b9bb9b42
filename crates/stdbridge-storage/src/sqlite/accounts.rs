//! Accounts on SQLite (the SQL is shared with PostgreSQL: [`crate::accounts`]).

use super::SqliteStore;

crate::accounts::account_repository!(SqliteStore, sqlx::sqlite::SqliteRow);
