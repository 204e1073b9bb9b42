//! Benchmarks of stdbridge and what they need: deterministic generators of catalogues
//! (`catalog_gen`) and translation memories (`tm_gen`), and the baselines the engines are
//! measured against — SQLite FTS5 (`fts5`) and PostgreSQL pg_trgm (`pg_trgm`), the only
//! SQL outside `stdbridge-storage`, never used to answer users — brute-force fuzzy
//! matching (`brute_force`) and CTranslate2 (a Python script run by `mt`).
//!
//! Each benchmark that compares two engines runs them in alternating rounds on the same
//! inputs and reports the median of the per-round ratios with their range ([`rounds`]),
//! so that a noisy machine cannot favour whichever ran first.

pub mod brute_force;
pub mod catalog_gen;
pub mod docs;
pub mod fts5;
pub mod gen_catalog;
pub mod gen_tm;
pub mod http;
pub mod mt;
pub mod pg_trgm;
pub mod qa;
pub mod rounds;
pub mod search;
pub mod store;
pub mod tm;
pub mod tm_gen;

/// Prints a value as pretty JSON on stdout.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// `12345` → `12,345`.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, ch) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Opens (creating) the SQLite store of a benchmark's data directory.
pub(crate) async fn open_store(
    data_dir: &std::path::Path,
) -> anyhow::Result<stdbridge_storage::SqliteStore> {
    Ok(
        stdbridge_storage::SqliteStore::open(&data_dir.join(stdbridge_storage::DATABASE_FILE))
            .await?,
    )
}
