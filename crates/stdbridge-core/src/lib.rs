//! Domain types of stdbridge: designations of standards, the standard record, its
//! classifications and relations. No I/O lives here.

pub mod designation;

pub use designation::{Designation, DesignationError, Edition, Family, Supplement};
