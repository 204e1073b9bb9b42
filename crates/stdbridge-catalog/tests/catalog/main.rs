//! Integration tests of the catalogue crate (one test binary): imports of small fixtures,
//! and of the real Relaton data under ../shared when it is there.

mod fixtures;
mod index;
mod real_data;

use stdbridge_storage::SqliteStore as Store;

/// A store in a fresh temporary data directory (kept alive by the returned guard).
pub async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open_in(dir.path()).await.expect("store opens");
    (dir, store)
}
