//! Integration tests of stdbridge-tm, one binary: memories through their real path (TMX
//! files, the SQLite store, the tantivy index) and every TMX/TBX/SRX file in ../shared.

mod memory;
mod roundtrip;
mod shared_data;
mod termbase;
