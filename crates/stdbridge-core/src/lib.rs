//! Domain types of stdbridge: designations of standards, the standard record, its
//! classifications and relations. No I/O lives here.

pub mod designation;
pub mod limits;
pub mod merge;
pub mod record;
pub mod reference;
pub mod relation;

#[cfg(test)]
mod tidy;

pub use designation::{Designation, DesignationError, Edition, Family, Nature, Supplement};
pub use record::{
    Committee, Dates, DocType, Identifier, Link, LocalizedText, Scope, Standard, Status, Title,
};
pub use relation::{Degree, Relation, RelationKind};
