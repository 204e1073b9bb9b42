//! The store's tests: the catalogue's merge rules on SQLite, and one story through every
//! repository that any backend must tell the same way.

mod catalog;
mod story;
