//! Translation memories: list, create, delete, import TMX (as a job), export TMX,
//! look up matches, search concordance, rebuild the candidate index.

use std::io::Write;
use std::path::PathBuf;

use stdbridge_storage::{Collection, Visibility};
use stdbridge_tm::{ConcordanceHit, ImportReport, LookupRequest, Match};

use crate::authz::{Action, authorize};
use crate::jobs::{JobOutput, RunningJob};
use crate::{App, AppError, Principal};

fn allowed(app: &App, who: &Principal) -> Result<(), AppError> {
    authorize(app.config(), who, Action::UseTranslation)
}

/// Every memory, with its number of units.
pub async fn list(app: &App, who: &Principal) -> Result<Vec<Collection>, AppError> {
    allowed(app, who)?;
    Ok(app.memories().await?.list().await?)
}

/// A new memory (a name that is taken is a conflict).
pub async fn create(
    app: &App,
    who: &Principal,
    name: &str,
    owner: Option<&str>,
    visibility: Visibility,
    description: Option<&str>,
) -> Result<Collection, AppError> {
    allowed(app, who)?;
    Ok(app
        .memories()
        .await?
        .create(name, owner, visibility, description)
        .await?)
}

/// Deletes a memory, its units and their index entries.
pub async fn delete(app: &App, who: &Principal, name: &str) -> Result<(), AppError> {
    allowed(app, who)?;
    Ok(app.memories().await?.delete(name).await?)
}

impl JobOutput for ImportReport {
    fn summary(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// Imports a TMX file into a memory (made if missing) as a job, in one transaction:
/// units read so far are the job's progress.
pub async fn import_tmx(
    app: &App,
    who: &Principal,
    memory: &str,
    path: PathBuf,
) -> Result<RunningJob<ImportReport>, AppError> {
    allowed(app, who)?;
    let memories = app.memories().await?;
    let memory = memory.to_owned();
    let title = format!("{} → {memory}", path.display());
    app.jobs()
        .await?
        .start("tm-import", title, who, move |handle| async move {
            let phase = path.display().to_string();
            let report = memories
                .import_tmx(&memory, &path, |read| {
                    handle.progress(Some(&phase), read, 0)
                })
                .await?;
            Ok(report)
        })
        .await
}

/// Writes a memory as TMX 1.4b; returns the units written.
pub async fn export_tmx<W: Write>(
    app: &App,
    who: &Principal,
    memory: &str,
    out: W,
) -> Result<u64, AppError> {
    allowed(app, who)?;
    Ok(app.memories().await?.export_tmx(memory, out).await?)
}

/// Exact and fuzzy matches of a segment, best first.
pub async fn lookup(
    app: &App,
    who: &Principal,
    request: &LookupRequest,
) -> Result<Vec<Match>, AppError> {
    allowed(app, who)?;
    Ok(app.memories().await?.lookup(request).await?)
}

/// Units whose source or target holds `text`.
pub async fn concordance(
    app: &App,
    who: &Principal,
    memories: &[String],
    text: &str,
    limit: usize,
) -> Result<Vec<ConcordanceHit>, AppError> {
    allowed(app, who)?;
    Ok(app
        .memories()
        .await?
        .concordance(memories, text, limit)
        .await?)
}

/// Rebuilds the memories' candidate index from the store; returns the units indexed.
pub async fn reindex(app: &App, who: &Principal) -> Result<u64, AppError> {
    allowed(app, who)?;
    Ok(app.memories().await?.rebuild().await?)
}
