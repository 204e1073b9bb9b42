//! Integration tests of the document filters, through real files and packages.

mod docx;
mod formats;
mod roundtrip;
mod shared_data;
mod support;
mod xliff;
