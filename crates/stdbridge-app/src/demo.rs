//! The demo data shipped in the binary: reference data, ISO and Chinese standards, a
//! translation memory (`tico19`) and a termbase of standards' wording (`standards`).
//! Loading it again changes nothing.

use std::path::{Path, PathBuf};

use crate::catalog::{ImportFailure, ImportRequest};
use crate::demo_files::{DemoFile, FILES, MEMORY_TMX, TERMBASE_CSV};
use crate::{App, AppError, Principal};
use stdbridge_storage::{Role, Visibility};

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
    // The demo's memory and termbase are the shared corpus: public, read by every user.
    let db = app.db().await?;
    if db.memory(DEMO_MEMORY).await?.is_none() {
        crate::memories::create(app, who, DEMO_MEMORY, None, Visibility::Public, None).await?;
    }
    if db.termbase(DEMO_TERMBASE).await?.is_none() {
        crate::termbases::create(app, who, DEMO_TERMBASE, Visibility::Public, None).await?;
    }
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

/// A demo account made at start-up, with its password (shown once).
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// The user name.
    pub name: &'static str,
    /// Its role.
    pub role: Role,
    /// Its password, random.
    pub password: String,
}

/// The demo's users: an admin and a translator, each made with a random password when
/// missing, both in the group `demo-team`. Returns those made now (an account made by an
/// earlier start keeps its password, which was shown then).
pub async fn accounts(app: &App, who: &Principal) -> Result<Vec<DemoAccount>, AppError> {
    let db = app.db().await?;
    let mut made = Vec::new();
    for (name, role) in [
        ("demo-admin", Role::Admin),
        ("demo-translator", Role::Translator),
    ] {
        if db.user_by_name(name).await?.is_some() {
            continue;
        }
        let password = random_password()?;
        crate::accounts::add_user(app, who, name, None, role, Some(&password)).await?;
        made.push(DemoAccount {
            name,
            role,
            password,
        });
    }
    if db.group_by_name(DEMO_GROUP).await?.is_none() {
        crate::groups::create(app, who, DEMO_GROUP).await?;
        for name in ["demo-admin", "demo-translator"] {
            crate::groups::set_member(app, who, DEMO_GROUP, name, true).await?;
        }
    }
    Ok(made)
}

/// The demo's group of users.
pub const DEMO_GROUP: &str = "demo-team";

/// Sixteen random URL-safe characters (96 bits).
fn random_password() -> Result<String, AppError> {
    use base64::Engine as _;
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
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
