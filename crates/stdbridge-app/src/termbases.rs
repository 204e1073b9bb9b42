//! Termbases: list, import TBX or CSV/TSV glossaries, export TBX, recognise terms in a
//! text, list concepts.

use std::io::Write;
use std::path::Path;

use stdbridge_storage::Collection;
use stdbridge_tm::termbase::{Concept, GlossaryLanguages, TermHit, TermImportReport};

use crate::authz::{Action, authorize};
use crate::{App, AppError, Principal};

fn allowed(app: &App, who: &Principal) -> Result<(), AppError> {
    authorize(app.config(), who, Action::UseTranslation)
}

/// Every termbase, with its number of concepts.
pub async fn list(app: &App, who: &Principal) -> Result<Vec<Collection>, AppError> {
    allowed(app, who)?;
    Ok(app.termbases().await?.list().await?)
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
    allowed(app, who)?;
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
    allowed(app, who)?;
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
    allowed(app, who)?;
    let matcher = app
        .termbases()
        .await?
        .matcher(termbases, lang, target)
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
    allowed(app, who)?;
    Ok(app.termbases().await?.concepts(termbase).await?)
}
