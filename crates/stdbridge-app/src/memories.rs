//! Translation memories: list, create, delete, import TMX (as a job), export TMX,
//! look up matches, search concordance, rebuild the candidate index.

use std::io::Write;
use std::path::PathBuf;

use stdbridge_storage::{Collection, Visibility};
use stdbridge_tm::{ConcordanceHit, ImportReport, LookupRequest, Match};

use crate::access::{self, Kind, Named};
use crate::authz::{Action, authorize};
use crate::jobs::{JobOutput, RunningJob};
use crate::{App, AppError, Principal};

/// Every memory the caller may read, with its number of units.
pub async fn list(app: &App, who: &Principal) -> Result<Vec<Collection>, AppError> {
    access::list_readable(app, who, Kind::Memory).await
}

/// The memory of this name or id, if the caller may read it.
pub async fn get(app: &App, who: &Principal, memory: Named<'_>) -> Result<Collection, AppError> {
    access::readable(app, who, Kind::Memory, memory).await
}

/// A new memory (a name that is taken is a conflict). A signed-in user owns what they
/// make; the operator names any owner.
pub async fn create(
    app: &App,
    who: &Principal,
    name: &str,
    owner: Option<&str>,
    visibility: Visibility,
    description: Option<&str>,
) -> Result<Collection, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    authorize(app.config(), who, Action::CreateCollection(visibility))?;
    let owner = match who.account() {
        Some(account) => Some(account.name.as_str()),
        None => owner,
    };
    access::check_name(name)?;
    Ok(app
        .memories()
        .await?
        .create(name, owner, visibility, description)
        .await?)
}

/// Deletes a memory, its units and their index entries.
pub async fn delete(app: &App, who: &Principal, name: &str) -> Result<(), AppError> {
    access::writable(app, who, Kind::Memory, Named::Name(name)).await?;
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
    writable_or_new(app, who, memory).await?;
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

/// A memory to write into: one the caller may write, or, when there is none of this name,
/// a new private one of theirs (the operator's are made by the import itself).
async fn writable_or_new(app: &App, who: &Principal, memory: &str) -> Result<(), AppError> {
    let exists = app.db().await?.memory(memory).await?.is_some();
    if exists {
        access::writable(app, who, Kind::Memory, Named::Name(memory)).await?;
    } else if who.account().is_some() {
        create(app, who, memory, None, Visibility::Private, None).await?;
    } else {
        authorize(
            app.config(),
            who,
            Action::CreateCollection(Visibility::Private),
        )?;
    }
    Ok(())
}

/// Writes a memory as TMX 1.4b; returns the units written.
pub async fn export_tmx<W: Write>(
    app: &App,
    who: &Principal,
    memory: &str,
    out: W,
) -> Result<u64, AppError> {
    access::readable(app, who, Kind::Memory, Named::Name(memory)).await?;
    Ok(app.memories().await?.export_tmx(memory, out).await?)
}

/// Exact and fuzzy matches of a segment, best first.
pub async fn lookup(
    app: &App,
    who: &Principal,
    request: &LookupRequest,
) -> Result<Vec<Match>, AppError> {
    let mut request = request.clone();
    request.memories = access::readable_names(app, who, Kind::Memory, &request.memories).await?;
    if request.memories.is_empty() {
        return Ok(Vec::new());
    }
    Ok(app.memories().await?.lookup(&request).await?)
}

/// Units whose source or target holds `text`.
pub async fn concordance(
    app: &App,
    who: &Principal,
    memories: &[String],
    text: &str,
    limit: usize,
) -> Result<Vec<ConcordanceHit>, AppError> {
    let memories = access::readable_names(app, who, Kind::Memory, memories).await?;
    if memories.is_empty() {
        return Ok(Vec::new());
    }
    Ok(app
        .memories()
        .await?
        .concordance(&memories, text, limit)
        .await?)
}

/// Rebuilds the memories' candidate index from the store; returns the units indexed.
pub async fn reindex(app: &App, who: &Principal) -> Result<u64, AppError> {
    authorize(app.config(), who, Action::AdministerStore)?;
    Ok(app.memories().await?.rebuild().await?)
}
