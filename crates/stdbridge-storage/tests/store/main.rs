//! The store's tests: the catalogue's merge rules on SQLite, and one story through every
//! repository that any backend must tell the same way, on SQLite and (when a test server
//! is named) on PostgreSQL.

mod catalog;
mod postgres;
mod story;
