//! The demo data shipped in the binary: reference data, ISO and Chinese standards, a
//! translation memory (`tico19`) and a termbase of standards' wording (`standards`).
//! Loading it again changes nothing.

use std::path::{Path, PathBuf};

use crate::catalog::{ImportFailure, ImportRequest};
use crate::demo_files::{DemoFile, FILES, MEMORY_TMX, TERMBASE_CSV};
use crate::{App, AppError, Principal};

/// The demo translation memory's name.
pub const DEMO_MEMORY: &str = "tico19";
/// The demo termbase's name.
pub const DEMO_TERMBASE: &str = "standards";

/// What loading the demo did.
#[derive(Debug, Clone)]
pub struct DemoLoad {
    /// Demo files that could not be imported.
    pub failed: Vec<ImportFailure>,
}

/// Writes the embedded demo files under `DATA_DIR/demo-data` (so that messages name real
/// files) and imports them: the catalogue first, then the memory and the termbase.
pub async fn load(app: &App, who: &Principal) -> Result<DemoLoad, AppError> {
    let root = app.config().data_dir.join("demo-data");
    let mut paths = Vec::new();
    for file in FILES {
        let path = write(&root, file)?;
        if stdbridge_catalog::format::is_importable(&path) {
            paths.push(path);
        }
    }
    let summary = crate::catalog::import(
        app,
        who,
        ImportRequest {
            paths,
            format: None,
        },
    )
    .await?
    .wait()
    .await?;
    let tmx = write(&root, &MEMORY_TMX)?;
    crate::memories::import_tmx(app, who, DEMO_MEMORY, tmx)
        .await?
        .wait()
        .await?;
    let terms = write(&root, &TERMBASE_CSV)?;
    crate::termbases::import(app, who, DEMO_TERMBASE, &terms, &Default::default()).await?;
    Ok(DemoLoad {
        failed: summary.failed,
    })
}

fn write(root: &Path, file: &DemoFile) -> Result<PathBuf, AppError> {
    let path = root.join(file.name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| AppError::internal(format!("creating {}: {e}", parent.display())))?;
    }
    std::fs::write(&path, file.bytes)
        .map_err(|e| AppError::internal(format!("writing {}: {e}", path.display())))?;
    Ok(path)
}
