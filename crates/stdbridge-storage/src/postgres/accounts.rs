//! Accounts on PostgreSQL (the SQL is shared with SQLite: [`crate::accounts`]).

use super::PgStore;

crate::accounts::account_repository!(PgStore, sqlx::postgres::PgRow);
