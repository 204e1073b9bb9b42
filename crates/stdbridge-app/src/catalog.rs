//! The catalogue's use cases: import, search, suggestions, exports, a standard's record,
//! countries, bodies, the ICS tree, analytics, statistics, the change log and reindexing.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use stdbridge_catalog::export::{ExportFormat, export as write_export};
use stdbridge_catalog::index::{
    Analytics, Bucket, CatalogIndex, SearchPage, SearchQuery, Span, Suggestion, SyncReport,
    is_pattern_space, parse_query,
};
use stdbridge_catalog::lookup::{StandardView, standard_view};
use stdbridge_catalog::{Format, ImportReport, Progress, import_unit, plan_units};
use stdbridge_core::reference::{Body, Country};
use stdbridge_storage::{Change, Stats};

use crate::authz::{Action, authorize};
use crate::jobs::{JobHandle, JobOutput, RunningJob};
use crate::{App, AppError, Principal};

/// Languages a title may be asked in.
pub const LANGUAGES: [&str; 6] = ["en", "zh", "fr", "ru", "es", "ja"];
/// Languages with title keywords.
pub const KEYWORD_LANGUAGES: [&str; 2] = ["en", "zh"];
/// Most countries one comparison may hold.
pub const MAX_COMPARED: usize = 12;

fn read(app: &App, who: &Principal) -> Result<(), AppError> {
    authorize(app.config(), who, Action::ReadCatalogue)
}

/// Parses the query syntax; a bad filter is a bad `q`.
pub fn parse(text: &str, limit: usize) -> Result<SearchQuery, AppError> {
    Ok(parse_query(text, limit)?)
}

/// A search and the page of it to show.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Designations, words and filters.
    pub q: String,
    /// Hits per page.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Whether facet counts are wanted.
    pub facets: bool,
}

/// Runs the query over the index (on the bounded pool) and reads the page of hits from
/// the store.
async fn page(app: &App, query: SearchQuery) -> Result<SearchPage, AppError> {
    let index = app.catalog_index().await?;
    let db = app.db().await?;
    let results = {
        let (index, query) = (Arc::clone(&index), query.clone());
        app.cpu(move || index.search(&query)).await??
    };
    Ok(index.page_of(db.as_ref(), &query, results).await?)
}

/// One page of a search, with facet counts when asked.
pub async fn search(
    app: &App,
    who: &Principal,
    request: SearchRequest,
) -> Result<SearchPage, AppError> {
    read(app, who)?;
    let mut query = parse(&request.q, request.limit)?;
    query.offset = request.offset;
    query.facets = request.facets;
    page(app, query).await
}

/// Facet counts of a search, without its hits.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCounts {
    /// Matching standards in all.
    pub total: usize,
    /// Counts per facet group (`status`, `nature`, `body`, `country`, `scope`, `type`, `lang`,
    /// `ccs`, `ics`) and value.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
}

/// How many standards a query matches per facet value.
pub async fn facets(app: &App, who: &Principal, q: &str) -> Result<FacetCounts, AppError> {
    read(app, who)?;
    let query = parse(q, 1)?;
    let index = app.catalog_index().await?;
    let results = app.cpu(move || index.search(&query)).await??;
    Ok(FacetCounts {
        total: results.total,
        facets: results
            .facets
            .into_iter()
            .map(|(group, counts)| (group, counts.into_iter().collect()))
            .collect(),
    })
}

/// Suggestions for a search box: designations by prefix in any spelling, else titles
/// whose words start as typed; titles in `lang` where there is one.
pub async fn suggest(
    app: &App,
    who: &Principal,
    typed: &str,
    lang: &str,
    limit: usize,
) -> Result<Vec<Suggestion>, AppError> {
    read(app, who)?;
    let index = app.catalog_index().await?;
    let typed = typed.to_owned();
    let ids = app.cpu(move || index.suggest(&typed, limit)).await??;
    let db = app.db().await?;
    Ok(CatalogIndex::suggestions_of(db.as_ref(), &ids, lang).await?)
}

/// A search as a file.
pub struct Export {
    /// The file.
    pub bytes: Vec<u8>,
    /// Its format.
    pub format: ExportFormat,
}

/// The standards a search finds, in its order, as a file of `format` with titles in
/// `lang` (others fall back to English).
pub async fn export(
    app: &App,
    who: &Principal,
    q: &str,
    format: ExportFormat,
    lang: &str,
    limit: usize,
) -> Result<Export, AppError> {
    read(app, who)?;
    let mut query = parse(q, limit)?;
    query.facets = false;
    let found = page(app, query).await?;
    let records: Vec<_> = found.hits.into_iter().map(|hit| hit.record).collect();
    let mut bytes = Vec::new();
    write_export(&records, format, lang, &mut bytes).map_err(AppError::internal)?;
    Ok(Export { bytes, format })
}

/// Everything known of one standard, found by any spelling of its designation (undated:
/// the current edition).
pub async fn show(app: &App, who: &Principal, designation: &str) -> Result<StandardView, AppError> {
    read(app, who)?;
    let db = app.db().await?;
    standard_view(db.as_ref(), designation)
        .await?
        .ok_or_else(|| AppError::not_found(format!("no standard found for {designation:?}")))
}

/// The spans of a title that a query matched, analysed as the index analyses it.
pub struct Highlighter {
    index: Arc<CatalogIndex>,
}

impl Highlighter {
    /// The character spans of `title` (in `lang`) that `query_text` matches.
    pub fn spans(&self, query_text: &str, lang: &str, title: &str) -> Vec<Span> {
        self.index.highlight(query_text, lang, title)
    }
}

/// A highlighter over the catalogue's index.
pub async fn highlighter(app: &App, who: &Principal) -> Result<Highlighter, AppError> {
    read(app, who)?;
    Ok(Highlighter {
        index: app.catalog_index().await?,
    })
}

/// What the store holds.
pub async fn stats(app: &App, who: &Principal) -> Result<Stats, AppError> {
    read(app, who)?;
    Ok(app.db().await?.stats().await?)
}

/// The change log after sequence number `since`, at most `limit` entries.
pub async fn changes(
    app: &App,
    who: &Principal,
    since: i64,
    limit: i64,
) -> Result<Vec<Change>, AppError> {
    read(app, who)?;
    Ok(app.db().await?.changes_since(since, limit).await?)
}

/// Standards in the search index (instant at any size, for health checks).
pub async fn indexed(app: &App) -> Result<u64, AppError> {
    Ok(app.catalog_index().await?.len())
}

/// The index's size on disk, in bytes.
pub async fn index_bytes(app: &App) -> Result<u64, AppError> {
    Ok(app.catalog_index().await?.disk_bytes())
}

/// Rebuilds the search index from the store, as a job.
pub async fn reindex(app: &App, who: &Principal) -> Result<RunningJob<SyncReport>, AppError> {
    authorize(app.config(), who, Action::WriteCatalogue)?;
    let jobs = app.jobs().await?;
    let app = app.clone();
    jobs.start(
        "reindex",
        "search index".to_owned(),
        who,
        move |handle| async move {
            handle.progress(Some("indexing"), 0, 0);
            let index = app.catalog_index().await?;
            let db = app.db().await?;
            Ok(index.rebuild(db.as_ref()).await?)
        },
    )
    .await
}

/// What an import does.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// Files and directories (walked).
    pub paths: Vec<PathBuf>,
    /// The format, when given; else told from each file.
    pub format: Option<Format>,
}

/// What an import did (the `import --json` shape).
#[derive(Debug, Clone, Serialize)]
pub struct ImportSummary {
    /// One report per file (or directory of YAML files).
    pub files: Vec<ImportReport>,
    /// Files that failed as a whole.
    pub failed: Vec<ImportFailure>,
    /// Standards in the store afterwards.
    pub standards_in_store: i64,
    /// Standards the search index took in afterwards.
    pub indexed: u64,
}

impl JobOutput for ImportSummary {
    fn summary(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl JobOutput for SyncReport {
    fn summary(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// A file that failed as a whole.
#[derive(Debug, Clone, Serialize)]
pub struct ImportFailure {
    /// The file.
    pub path: String,
    /// Why.
    pub error: String,
}

/// Imports files into the catalogue as a job: each file in one transaction, going on
/// after one that fails (its error is in the summary); the search index is brought up to
/// date at the end, so what was imported is searchable when the job ends.
pub async fn import(
    app: &App,
    who: &Principal,
    request: ImportRequest,
) -> Result<RunningJob<ImportSummary>, AppError> {
    authorize(app.config(), who, Action::WriteCatalogue)?;
    let units = plan_units(&request.paths, request.format)?;
    let title = match request.paths.as_slice() {
        [one] => one.display().to_string(),
        many => format!("{} files", many.len()),
    };
    let jobs = app.jobs().await?;
    let app = app.clone();
    jobs.start("import", title, who, move |handle| async move {
        let db = app.db().await?;
        let progress = JobProgress { handle };
        let mut summary = ImportSummary {
            files: Vec::new(),
            failed: Vec::new(),
            standards_in_store: 0,
            indexed: 0,
        };
        for unit in &units {
            match import_unit(db.as_ref(), unit, &progress).await {
                Ok(report) => summary.files.push(report),
                Err(error) => summary.failed.push(ImportFailure {
                    path: unit.name.clone(),
                    error: error.to_string(),
                }),
            }
        }
        progress.handle.progress(Some("indexing"), 0, 0);
        let index = app.catalog_index_unsynced().await?;
        summary.indexed = match index.sync(db.as_ref()).await {
            Ok(report) => report.indexed,
            Err(error) => {
                tracing::warn!(
                    "search index not brought up to date now ({error}); the next search will"
                );
                0
            }
        };
        summary.standards_in_store = db.stats().await?.standards;
        Ok(summary)
    })
    .await
}

/// An import's progress as a job's: bytes of the current file.
struct JobProgress {
    handle: JobHandle,
}

impl Progress for JobProgress {
    fn start(&self, path: &std::path::Path, total_bytes: u64) {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        self.handle.progress(Some(&name), 0, total_bytes);
    }

    fn advance(&self, bytes: u64, _records: u64) {
        let (phase, total) = {
            let view = self.handle.snapshot();
            (view.phase, view.total)
        };
        self.handle.progress(phase.as_deref(), bytes, total);
    }

    fn finish(&self) {}
}

/// A country with the number of its national standards.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountrySummary {
    /// The country.
    #[serde(flatten)]
    pub country: Country,
    /// National standards of the country in the catalogue.
    pub standards: u64,
}

/// Counts per value of a keyword field of the index.
async fn counts(app: &App, field: &'static str) -> Result<HashMap<String, u64>, AppError> {
    let index = app.catalog_index().await?;
    let buckets = app.cpu(move || index.counts_by(field, 10_000)).await??;
    Ok(buckets
        .into_iter()
        .map(|Bucket { key, count }| (key, count))
        .collect())
}

/// Every country of the reference data (ISO 3166-1, UN M49 regions) with its number of
/// national standards, in alpha-2 order.
pub async fn countries(app: &App, who: &Principal) -> Result<Vec<CountrySummary>, AppError> {
    read(app, who)?;
    let counted = counts(app, "country").await?;
    let countries = app.db().await?.all_countries().await?;
    Ok(countries
        .into_iter()
        .map(|country| CountrySummary {
            standards: counted.get(&country.alpha2).copied().unwrap_or(0),
            country,
        })
        .collect())
}

/// Every country of the reference data, without counts (names for labels).
pub async fn country_list(app: &App, who: &Principal) -> Result<Vec<Country>, AppError> {
    read(app, who)?;
    Ok(app.db().await?.all_countries().await?)
}

/// One country's overview.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryOverview {
    /// The country.
    pub country: Country,
    /// Its national standards bodies.
    pub national_bodies: Vec<Body>,
    /// Counts over its national standards: by body, status, ICS field, year, keyword.
    pub analytics: Analytics,
}

/// A country's standards bodies and counts of its standards (title keywords in `lang`).
pub async fn country(
    app: &App,
    who: &Principal,
    code: &str,
    lang: &str,
    keywords: usize,
) -> Result<CountryOverview, AppError> {
    read(app, who)?;
    let db = app.db().await?;
    let Some(country) = db.country(code).await? else {
        return Err(AppError::not_found(format!("no country {code:?}")));
    };
    let national_bodies = db
        .all_bodies()
        .await?
        .into_iter()
        .filter(|body| body.country.as_deref() == Some(country.alpha2.as_str()))
        .collect();
    let query = parse(&format!("country:{}", country.alpha2), 1)?;
    let analytics = analyse(app, query, lang, keywords).await?;
    Ok(CountryOverview {
        country,
        national_bodies,
        analytics,
    })
}

/// A standards body with the number of its standards.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BodySummary {
    /// The body.
    #[serde(flatten)]
    pub body: Body,
    /// Standards it published in the catalogue.
    pub standards: u64,
}

/// Every standards body of the reference data, with counts.
pub async fn bodies(app: &App, who: &Principal) -> Result<Vec<BodySummary>, AppError> {
    read(app, who)?;
    let counted = counts(app, "body").await?;
    let bodies = app.db().await?.all_bodies().await?;
    Ok(bodies
        .into_iter()
        .map(|body| BodySummary {
            standards: counted.get(&body.abbreviation).copied().unwrap_or(0),
            body,
        })
        .collect())
}

/// One node of the ICS tree.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IcsNode {
    /// `13`, `13.020`, `13.020.10`.
    pub code: String,
    /// Titles by language (`en`, `fr`).
    pub titles: BTreeMap<String, String>,
    /// Standards classified here or below (among those the query selects).
    pub standards: u64,
    /// The codes one level down.
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub children: Vec<IcsNode>,
}

/// The ICS fields (the first level of the classification) with their titles, in code
/// order.
pub async fn ics_fields(
    app: &App,
    who: &Principal,
) -> Result<Vec<stdbridge_core::reference::IcsCode>, AppError> {
    read(app, who)?;
    let codes = app.db().await?.all_ics().await?;
    Ok(codes
        .into_iter()
        .filter(|code| stdbridge_core::reference::IcsCode::level(&code.code) == 1)
        .collect())
}

/// The International Classification for Standards as a tree `depth` levels deep (1
/// fields, 2 groups, 3 sub-groups), with the number of standards `selection` selects under
/// each code.
pub async fn ics_tree(
    app: &App,
    who: &Principal,
    selection: &Selection,
    depth: usize,
) -> Result<Vec<IcsNode>, AppError> {
    read(app, who)?;
    let query = selection.query()?;
    let index = app.catalog_index().await?;
    let counted: HashMap<String, u64> = app
        .cpu(move || index.counts_in(&query, "ics", 20_000))
        .await??
        .into_iter()
        .map(|Bucket { key, count }| (key, count))
        .collect();
    let codes = app.db().await?.all_ics().await?;
    let mut by_parent: BTreeMap<Option<String>, Vec<IcsNode>> = BTreeMap::new();
    for code in codes.into_iter().rev() {
        let level = stdbridge_core::reference::IcsCode::level(&code.code);
        if level > depth {
            continue;
        }
        let children = by_parent
            .remove(&Some(code.code.clone()))
            .unwrap_or_default();
        let node = IcsNode {
            standards: counted.get(&code.code).copied().unwrap_or(0),
            code: code.code,
            titles: code.titles,
            children,
        };
        let parent = if level == 1 { None } else { code.parent };
        by_parent.entry(parent).or_default().insert(0, node);
    }
    Ok(by_parent.remove(&None).unwrap_or_default())
}

/// A part of the catalogue: words and filters in `q`, narrowed by filters given one by
/// one (as the API's parameters and the analytics form give them).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Words and filters, as for search.
    pub q: String,
    /// ISO 3166 alpha-2 codes, comma-separated.
    pub country: Option<String>,
    /// Bodies, comma-separated.
    pub body: Option<String>,
    /// ICS codes, comma-separated.
    pub ics: Option<String>,
    /// A year or a range.
    pub years: Option<String>,
}

impl Selection {
    /// The query: `q` with each filter added; a bad value is refused with the name of the
    /// field that holds it. The values are checked as the API's document describes them
    /// ([`SELECTION_PATTERNS`]).
    pub fn query(&self) -> Result<SearchQuery, AppError> {
        let mut query = parse(&self.q, 1).map_err(|error| error.with_field("q"))?;
        for (name, filter, value) in [
            ("country", "country", &self.country),
            ("body", "body", &self.body),
            ("ics", "ics", &self.ics),
            ("years", "year", &self.years),
        ] {
            let Some(value) = value else { continue };
            check_selection_value(name, value)?;
            if value.is_empty() {
                continue;
            }
            query.apply_filter(filter, value).map_err(|error| {
                let reason = error.to_string();
                let reason = reason
                    .strip_prefix("query: ")
                    .unwrap_or(&reason)
                    .split_once(": ")
                    .map_or(reason.as_str(), |(_, r)| r)
                    .to_owned();
                AppError::bad_field(name, reason)
            })?;
        }
        Ok(query)
    }
}

/// The pattern each selection field's value must match (ECMA 262 regular expressions, as
/// the OpenAPI document gives them): alpha-2 codes, bodies, ICS codes, a year or range.
pub const SELECTION_PATTERNS: [(&str, &str); 4] = [
    ("country", "^[A-Za-z]{2}(,[A-Za-z]{2})*$"),
    ("body", "^[^,\\s]+(,[^,\\s]+)*$"),
    (
        "ics",
        "^[0-9]{2}(\\.[0-9]{3}(\\.[0-9]{2})?)?(,[0-9]{2}(\\.[0-9]{3}(\\.[0-9]{2})?)?)*$",
    ),
    (
        "years",
        "^((18|19|20|21)[0-9]{2}|2200)?(\\.\\.((18|19|20|21)[0-9]{2}|2200)?)?$",
    ),
];

/// The pattern of a query's size limits, as the OpenAPI document gives it.
pub use stdbridge_catalog::index::QUERY_PATTERN;

/// The pattern of the countries of a comparison: two to twelve alpha-2 codes.
pub const COMPARED_PATTERN: &str = "^[A-Za-z]{2}(,[A-Za-z]{2}){1,11}$";

/// Checks a selection field's value as its pattern says.
fn check_selection_value(name: &str, value: &str) -> Result<(), AppError> {
    let items: Vec<&str> = value.split(',').collect();
    let valid = match name {
        "country" => items.iter().all(|code| is_alpha2(code)),
        "body" => items
            .iter()
            .all(|body| !body.is_empty() && !body.chars().any(is_pattern_space)),
        "ics" => items
            .iter()
            .all(|code| stdbridge_core::reference::IcsCode::is_well_formed(code)),
        _ => is_year_range(value),
    };
    if valid {
        return Ok(());
    }
    let expected = match name {
        "country" => "ISO 3166 alpha-2 codes, comma-separated (CN,JP)",
        "body" => "body abbreviations, comma-separated (ISO,IEC)",
        "ics" => "ICS codes, comma-separated (13, 13.020, 13.020.10)",
        _ => "a year or range between 1800 and 2200 (2015, 2010..2020, 2010.., ..2000)",
    };
    Err(AppError::bad_field(
        name,
        format!("{value:?} is not {expected}"),
    ))
}

fn is_alpha2(code: &str) -> bool {
    code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic())
}

/// `2015`, `2010..2020`, `2010..`, `..2000`, `..` or nothing: years of four ASCII digits
/// from 1800 to 2200.
fn is_year_range(value: &str) -> bool {
    let year = |text: &str| {
        text.is_empty()
            || (text.len() == 4
                && text.chars().all(|c| c.is_ascii_digit())
                && text
                    .parse::<u16>()
                    .is_ok_and(|y| (1800..=2200).contains(&y)))
    };
    match value.split_once("..") {
        Some((from, to)) => year(from) && year(to),
        None => year(value),
    }
}

async fn analyse(
    app: &App,
    query: SearchQuery,
    lang: &str,
    keywords: usize,
) -> Result<Analytics, AppError> {
    let index = app.catalog_index().await?;
    let lang = lang.to_owned();
    Ok(app
        .cpu(move || index.analytics(&query, &lang, keywords))
        .await??)
}

/// Counts over the standards `selection` selects: by year, ICS field, body, status,
/// country, and `keywords` title keywords in `lang`.
pub async fn analytics(
    app: &App,
    who: &Principal,
    selection: &Selection,
    lang: &str,
    keywords: usize,
) -> Result<Analytics, AppError> {
    read(app, who)?;
    analyse(app, selection.query()?, lang, keywords).await
}

/// One country's column of a comparison.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryAnalytics {
    /// ISO 3166 alpha-2 code.
    pub country: String,
    /// Counts over its national standards.
    pub analytics: Analytics,
}

/// The country codes of a comparison, checked: two to [`MAX_COMPARED`] alpha-2 codes,
/// comma-separated ([`COMPARED_PATTERN`]).
pub fn compared_countries(list: &str) -> Result<Vec<String>, AppError> {
    let countries: Vec<&str> = list.split(',').collect();
    if let Some(bad) = countries.iter().find(|code| !is_alpha2(code)) {
        return Err(AppError::bad_field(
            "countries",
            format!("{bad:?} is not an ISO 3166 alpha-2 code"),
        ));
    }
    if !(2..=MAX_COMPARED).contains(&countries.len()) {
        return Err(AppError::bad_field(
            "countries",
            format!("needs two to {MAX_COMPARED} country codes, comma-separated"),
        ));
    }
    Ok(countries.iter().map(|c| c.to_ascii_uppercase()).collect())
}

/// The same counts for several countries side by side, in the order given.
pub async fn compare(
    app: &App,
    who: &Principal,
    selection: &Selection,
    countries: &[String],
    lang: &str,
    keywords: usize,
) -> Result<Vec<CountryAnalytics>, AppError> {
    read(app, who)?;
    let base = selection.query()?;
    let mut compared = Vec::with_capacity(countries.len());
    for country in countries {
        let mut query = base.clone();
        query
            .tags
            .push(("country".to_owned(), vec![country.clone()]));
        let analytics = analyse(app, query, lang, keywords).await?;
        compared.push(CountryAnalytics {
            country: country.clone(),
            analytics,
        });
    }
    Ok(compared)
}
