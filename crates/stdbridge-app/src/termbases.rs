//! Termbases: list, import TBX or CSV/TSV glossaries, export TBX, recognise terms in a
//! text, list concepts.

use std::io::Write;
use std::path::Path;

use stdbridge_storage::Collection;
use stdbridge_tm::termbase::{Concept, GlossaryLanguages, TermHit, TermImportReport};

use stdbridge_storage::Visibility;

use crate::access::{self, Kind, Named};
use crate::authz::{Action, authorize};
use crate::{App, AppError, Principal};

/// Every termbase the caller may read, with its number of concepts.
pub async fn list(app: &App, who: &Principal) -> Result<Vec<Collection>, AppError> {
    access::list_readable(app, who, Kind::Termbase).await
}

/// The termbase of this name or id, if the caller may read it.
pub async fn get(app: &App, who: &Principal, termbase: Named<'_>) -> Result<Collection, AppError> {
    access::readable(app, who, Kind::Termbase, termbase).await
}

/// A new, empty termbase owned by the caller (a name that is taken is a conflict).
pub async fn create(
    app: &App,
    who: &Principal,
    name: &str,
    visibility: Visibility,
    description: Option<&str>,
) -> Result<Collection, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    authorize(app.config(), who, Action::CreateCollection(visibility))?;
    access::check_name(name)?;
    let owner = who.account().map(|account| account.name.as_str());
    let db = app.db().await?;
    let created_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    db.create_termbase(name, owner, visibility, description, &created_at)
        .await
        .map_err(|error| match error {
            stdbridge_storage::StorageError::Database(ref e)
                if e.as_database_error()
                    .is_some_and(|d| d.is_unique_violation()) =>
            {
                AppError::conflict(format!("a termbase named {name:?} exists already"))
            }
            other => other.into(),
        })
}

/// A termbase to write into: one the caller may write, or, when there is none of this
/// name, a new private one of theirs (the operator's are made by the import itself).
async fn writable_or_new(app: &App, who: &Principal, termbase: &str) -> Result<(), AppError> {
    let exists = app.db().await?.termbase(termbase).await?.is_some();
    if exists {
        access::writable(app, who, Kind::Termbase, Named::Name(termbase)).await?;
    } else if who.account().is_some() {
        create(app, who, termbase, Visibility::Private, None).await?;
    } else {
        authorize(
            app.config(),
            who,
            Action::CreateCollection(Visibility::Private),
        )?;
    }
    Ok(())
}

/// Imports a TBX file or a glossary into a termbase (made if missing), in one
/// transaction; concepts with a stored id replace the stored ones.
pub async fn import(
    app: &App,
    who: &Principal,
    termbase: &str,
    path: &Path,
    languages: &GlossaryLanguages,
) -> Result<TermImportReport, AppError> {
    writable_or_new(app, who, termbase).await?;
    Ok(app
        .termbases()
        .await?
        .import(termbase, path, languages)
        .await?)
}

/// Writes a termbase as TBX v3 (TBX-Basic); returns the concepts written.
pub async fn export_tbx<W: Write>(
    app: &App,
    who: &Principal,
    termbase: &str,
    out: W,
) -> Result<u64, AppError> {
    access::readable(app, who, Kind::Termbase, Named::Name(termbase)).await?;
    Ok(app.termbases().await?.export_tbx(termbase, out).await?)
}

/// The terms of `termbases` in `text` (language `lang`), with their `target` equivalents;
/// `start` and `end` count characters (what a user or an editor counts), not bytes.
pub async fn find(
    app: &App,
    who: &Principal,
    termbases: &[String],
    lang: &str,
    target: &str,
    text: &str,
) -> Result<Vec<TermHit>, AppError> {
    let termbases = access::readable_names(app, who, Kind::Termbase, termbases).await?;
    let matcher = app
        .termbases()
        .await?
        .matcher(&termbases, lang, target)
        .await?;
    Ok(matcher
        .find(text)
        .into_iter()
        .map(|hit| in_characters(text, hit))
        .collect())
}

/// A hit's byte offsets in `text` as character offsets.
fn in_characters(text: &str, mut hit: TermHit) -> TermHit {
    let characters_before = |byte: usize| text.get(..byte).map_or(0, |head| head.chars().count());
    hit.start = characters_before(hit.start);
    hit.end = characters_before(hit.end);
    hit
}

/// The concepts of a termbase.
pub async fn concepts(
    app: &App,
    who: &Principal,
    termbase: &str,
) -> Result<Vec<Concept>, AppError> {
    access::readable(app, who, Kind::Termbase, Named::Name(termbase)).await?;
    Ok(app.termbases().await?.concepts(termbase).await?)
}
