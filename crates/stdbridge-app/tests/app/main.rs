//! The use cases called directly, as the CLI and the server call them: each with its
//! acting principal, over a real SQLite store and real indexes in a temporary data
//! directory.

mod catalog;
mod jobs;
mod translation;

use stdbridge_app::{App, Config};

/// An application over a fresh data directory.
pub async fn app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let app = App::open(Config::for_data_dir(dir.path()))
        .await
        .expect("the store opens");
    (dir, app)
}

/// A small generic CSV catalogue.
pub const CATALOGUE: &str = "designation,title_zh,title_en,country,scope,status,published,replaces,adopts,adoption_degree
ISO 9001:2015,,Quality management systems — Requirements,,international,published,2015-09-15,ISO 9001:2008,,
ISO 9001:2008,,Quality management systems — Requirements,,international,replaced,2008-11-14,,,
GB/T 19001-2016,质量管理体系 要求,Quality management systems—Requirements,CN,national,published,2016-12-30,,ISO 9001:2015,IDT
";
