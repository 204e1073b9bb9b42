//! The store as a whole: copying it to another backend and checking it. Both are the
//! operator's (an administrator's) work.

use stdbridge_storage::{CheckReport, CopyReport, StoreUrl};

use crate::authz::{Action, authorize};
use crate::{App, AppError, Principal};

/// Copies the whole store at `from` into the empty store at `to` (SQLite ↔ PostgreSQL,
/// or between two of a kind), then compares the row counts of every table; `progress`
/// hears each page copied (table, rows).
pub async fn copy(
    app: &App,
    who: &Principal,
    from: &str,
    to: &str,
    progress: impl FnMut(&str, i64) + Send,
) -> Result<CopyReport, AppError> {
    authorize(app.config(), who, Action::AdministerStore)?;
    let from_url = StoreUrl::parse(from).map_err(|e| AppError::from(e).with_field("from"))?;
    let to_url = StoreUrl::parse(to).map_err(|e| AppError::from(e).with_field("to"))?;
    if from_url == to_url {
        return Err(AppError::bad_field("to", "the target is the source itself"));
    }
    must_exist(&from_url, "from")?;
    let source = stdbridge_storage::open(&from_url).await?;
    let target = stdbridge_storage::open(&to_url).await?;
    let copied = stdbridge_storage::copy_store(source.as_ref(), target.as_ref(), progress).await;
    source.close().await;
    target.close().await;
    Ok(copied?)
}

/// Checks the store at `url` (the configured store when `None`): the rules every store
/// keeps, every record, and the engine's own integrity checks.
pub async fn check(app: &App, who: &Principal, url: Option<&str>) -> Result<CheckReport, AppError> {
    authorize(app.config(), who, Action::AdministerStore)?;
    let report = match url {
        Some(url) => {
            let url = StoreUrl::parse(url).map_err(|e| AppError::from(e).with_field("url"))?;
            must_exist(&url, "url")?;
            let db = stdbridge_storage::open(&url).await?;
            let report = stdbridge_storage::check_store(db.as_ref()).await;
            db.close().await;
            report?
        }
        None => stdbridge_storage::check_store(app.db().await?.as_ref()).await?,
    };
    Ok(report)
}

/// An SQLite store to read must be there: opening one that is not would make it empty.
fn must_exist(url: &StoreUrl, field: &str) -> Result<(), AppError> {
    match url {
        StoreUrl::Sqlite(path) if !path.is_file() => Err(AppError::bad_field(
            field,
            format!("no SQLite store at {}", path.display()),
        )),
        _ => Ok(()),
    }
}
