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

/// A stored concept with the key an edit names it by.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConceptEntry {
    /// The key it is stored under (its id).
    pub key: String,
    /// The concept.
    pub concept: Concept,
}

/// The concepts of a termbase, with their keys; with `query`, only those with a term or
/// definition that holds it (ignoring case).
pub async fn entries(
    app: &App,
    who: &Principal,
    termbase: Named<'_>,
    query: Option<&str>,
) -> Result<Vec<ConceptEntry>, AppError> {
    let collection = access::readable(app, who, Kind::Termbase, termbase).await?;
    let wanted = query
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    Ok(app
        .termbases()
        .await?
        .entries(&collection.name)
        .await?
        .into_iter()
        .filter(|(_, concept)| wanted.as_deref().is_none_or(|q| mentions(concept, q)))
        .map(|(key, concept)| ConceptEntry { key, concept })
        .collect())
}

/// Whether a term or a definition of `concept` holds `lowercase_query`.
fn mentions(concept: &Concept, lowercase_query: &str) -> bool {
    let holds = |text: &str| text.to_lowercase().contains(lowercase_query);
    concept.definition.as_deref().is_some_and(holds)
        || concept.languages.iter().any(|section| {
            section.definition.as_deref().is_some_and(holds)
                || section.terms.iter().any(|term| holds(&term.text))
        })
}

/// Adds a concept to a termbase the caller may write; returns it with its key.
pub async fn add_concept(
    app: &App,
    who: &Principal,
    termbase: Named<'_>,
    mut concept: Concept,
) -> Result<ConceptEntry, AppError> {
    let collection = access::writable(app, who, Kind::Termbase, termbase).await?;
    concept.id = None;
    let (key, _) = app
        .termbases()
        .await?
        .put_concept(&collection.name, None, concept)
        .await
        .map_err(|e| AppError::from(e).with_field("concept"))?;
    stored_entry(app, &collection.name, &key).await
}

/// Replaces the concept stored under `key` (its terms, statuses, definitions) in a
/// termbase the caller may write.
pub async fn update_concept(
    app: &App,
    who: &Principal,
    termbase: Named<'_>,
    key: &str,
    concept: Concept,
) -> Result<ConceptEntry, AppError> {
    let collection = access::writable(app, who, Kind::Termbase, termbase).await?;
    stored_entry(app, &collection.name, key).await?;
    app.termbases()
        .await?
        .put_concept(&collection.name, Some(key), concept)
        .await
        .map_err(|e| AppError::from(e).with_field("concept"))?;
    stored_entry(app, &collection.name, key).await
}

/// Sets the status of one term of a stored concept (deprecating it, forbidding it or
/// making it preferred).
pub async fn set_term_status(
    app: &App,
    who: &Principal,
    termbase: Named<'_>,
    key: &str,
    term: &str,
    status: stdbridge_tm::termbase::TermStatus,
) -> Result<ConceptEntry, AppError> {
    let collection = access::writable(app, who, Kind::Termbase, termbase).await?;
    let mut entry = stored_entry(app, &collection.name, key).await?;
    let mut found = false;
    for section in &mut entry.concept.languages {
        for stored in section.terms.iter_mut().filter(|t| t.text == term) {
            stored.status = status;
            found = true;
        }
    }
    if !found {
        return Err(AppError::bad_field(
            "term",
            format!("concept {key} has no term {term:?}"),
        ));
    }
    app.termbases()
        .await?
        .put_concept(&collection.name, Some(key), entry.concept)
        .await?;
    stored_entry(app, &collection.name, key).await
}

/// The concept stored under `key`, or not found.
async fn stored_entry(app: &App, termbase: &str, key: &str) -> Result<ConceptEntry, AppError> {
    app.termbases()
        .await?
        .entries(termbase)
        .await?
        .into_iter()
        .find(|(stored, _)| stored == key)
        .map(|(key, concept)| ConceptEntry { key, concept })
        .ok_or_else(|| AppError::not_found(format!("termbase {termbase:?} has no concept {key:?}")))
}
