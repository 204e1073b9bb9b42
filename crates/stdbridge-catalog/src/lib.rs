//! The standards catalogue: importers of the formats real catalogue data comes in
//! (Relaton YAML/JSON, ISO Open Data, stdbridge's generic CSV/JSON Lines, and reference
//! data), feeding the store in `stdbridge-storage`.
//!
//! Importers stream (JSON Lines are read a line at a time, `.gz` transparently), reject a
//! bad record with its file, line and reason and go on, and store each file in one
//! transaction: a file that cannot be read to its end changes nothing.

mod error;
pub mod export;
mod flex;
pub mod format;
pub mod generic;
mod importer;
pub mod index;
pub mod input;
pub mod iso_open_data;
mod json;
pub mod lookup;
pub mod reference_data;
pub mod relaton;
mod yaml;

pub use error::CatalogError;
pub use format::Format;
pub use importer::{
    ImportReport, ImportUnit, NoProgress, Progress, Rejection, expand_paths, import_file,
    import_unit, plan_units,
};
