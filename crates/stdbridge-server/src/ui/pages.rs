//! The pages: each handler gathers what the library answers, shapes it for its template
//! (labels from the request's language), and renders.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;
use serde_json::{Value, json};
use stdbridge_app::catalog::{self, CountryAnalytics, CountrySummary, SearchRequest, Selection};
use stdbridge_app::model::{Analytics, Bucket, Country, ExportFormat};
use stdbridge_app::{ErrorKind, Principal};

use super::charts;
use super::i18n::{Lang, with_lang};
use crate::analytics::selection;
use crate::extract::{PathText, QueryParams};
use crate::params::Params;
use crate::{ApiError, AppState};

/// Hits per page of results.
const PAGE_SIZE: usize = 20;
/// Facet groups shown, in order.
const FACET_GROUPS: [&str; 8] = [
    "status", "nature", "body", "country", "scope", "type", "lang", "ics",
];
/// Values shown per facet group.
const FACET_VALUES: usize = 12;
/// Keywords and bars shown per chart.
const CHART_BARS: usize = 15;

/// The last page of results one can turn to: as deep as the API's largest offset.
const LAST_PAGE: usize = crate::search::MAX_OFFSET / PAGE_SIZE + 1;

/// What every page's template receives besides its own values.
pub(super) struct Page<'a> {
    pub(super) state: &'a AppState,
    pub(super) who: Principal,
    pub(super) lang: Lang,
    switch_url: String,
}

impl<'a> Page<'a> {
    pub(super) fn new(
        state: &'a AppState,
        who: Principal,
        lang_param: Option<&str>,
        headers: &HeaderMap,
        uri: &Uri,
    ) -> Self {
        let lang = Lang::of_request(lang_param, headers);
        Page {
            state,
            who,
            lang,
            switch_url: with_lang(uri, lang.other()),
        }
    }

    pub(super) fn text(&self, key: &str) -> String {
        self.state.ui.catalogues().text(self.lang, key)
    }

    /// Renders `template` with the common values and `values`.
    pub(super) fn render(&self, template: &str, section: &str, values: Value) -> Response {
        let account = self.who.account();
        let csrf = account.and_then(|account| match &account.via {
            stdbridge_app::Via::Session { csrf } => Some(csrf.clone()),
            stdbridge_app::Via::Token(_) => None,
        });
        let mut context = json!({
            "m": self.state.ui.catalogues().of(self.lang),
            "lang": self.lang.code(),
            "other_lang": self.lang.other().code(),
            "switch_url": self.switch_url,
            "section": section,
            "user": account.map(|a| json!({"name": a.name, "role": a.role.as_str()})),
            "csrf": csrf,
        });
        if let (Some(context), Value::Object(values)) = (context.as_object_mut(), values) {
            context.extend(values);
        }
        let rendered = self
            .state
            .ui
            .templates
            .get_template(template)
            .and_then(|t| t.render(minijinja::value::Serde(&context)));
        match rendered {
            Ok(html) => {
                ([(header::CONTENT_LANGUAGE, self.lang.code())], Html(html)).into_response()
            }
            Err(error) => {
                tracing::error!("template {template}: {error:#}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("template {template}: {error}"),
                )
                    .into_response()
            }
        }
    }

    /// A page that only says something went wrong, or was not found.
    pub(super) fn message(&self, status: StatusCode, heading_key: &str, message: &str) -> Response {
        let mut response = self.render(
            "message.html",
            "",
            json!({"heading": self.text(heading_key), "message": message}),
        );
        *response.status_mut() = status;
        response
    }

    pub(super) fn failed(&self, error: impl std::fmt::Display) -> Response {
        tracing::error!("page failed: {error}");
        self.message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "error_title",
            &error.to_string(),
        )
    }

    /// Countries by alpha-2 code with their names in the page's language.
    async fn country_names(&self) -> Result<BTreeMap<String, String>, ApiError> {
        let countries = catalog::country_list(&self.state.app, &self.who).await?;
        Ok(countries
            .iter()
            .map(|c| (c.alpha2.clone(), country_name(c, self.lang)))
            .collect())
    }

    /// The ICS fields by code, each named in the page's language ("03 服务…"), else in
    /// English.
    async fn ics_field_names(&self) -> Result<BTreeMap<String, String>, ApiError> {
        let fields = catalog::ics_fields(&self.state.app, &self.who).await?;
        Ok(fields
            .into_iter()
            .map(|field| {
                let name = self
                    .in_own_language(&field.titles)
                    .map_or_else(|| field.code.clone(), |t| format!("{} {t}", field.code));
                (field.code, name)
            })
            .collect())
    }

    /// Of names by language, the one in the page's language, else the English one.
    fn in_own_language<'n>(&self, names: &'n BTreeMap<String, String>) -> Option<&'n String> {
        names.get(self.lang.code()).or_else(|| names.get("en"))
    }

    /// A facet or chart value as people read it: statuses, types, scopes and languages
    /// translated, countries named.
    fn label(&self, group: &str, key: &str, countries: &BTreeMap<String, String>) -> String {
        let translated = |prefix: &str| {
            let name = format!("{prefix}_{key}");
            let text = self.text(&name);
            if text == name { key.to_owned() } else { text }
        };
        match group {
            "status" => translated("status"),
            "type" => translated("type"),
            "scope" => translated("scope"),
            "sort" => translated("sort"),
            "nature" => translated("nature"),
            "lang" => translated("lang"),
            "country" => countries
                .get(key)
                .cloned()
                .unwrap_or_else(|| key.to_owned()),
            _ => key.to_owned(),
        }
    }
}

/// A country's name in `lang`, else in English, else its code.
fn country_name(country: &Country, lang: Lang) -> String {
    country_name_in(country, lang).0
}

/// A country's name in `lang`, else in English, else its code; with the language of the
/// name, so that a fallback can be marked.
fn country_name_in(country: &Country, lang: Lang) -> (String, &'static str) {
    if let Some(name) = country.names.get(lang.code()) {
        return (name.clone(), lang.code());
    }
    match country.names.get("en") {
        Some(name) => (name.clone(), "en"),
        None => (country.alpha2.clone(), "en"),
    }
}

/// A URL of the search page.
fn search_url(q: &str, lang: Lang, page: usize) -> String {
    let mut pairs = vec![("q", q.trim().to_owned())];
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    pairs.push(("lang", lang.code().to_owned()));
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("/?{query}")
}

/// The filter words of a query (`body:ISO`), which the page shows as removable chips.
fn filter_words(q: &str) -> Vec<&str> {
    const FILTERS: [&str; 10] = [
        "body", "country", "scope", "status", "type", "lang", "ccs", "ics", "year", "sort",
    ];
    q.split_whitespace()
        .filter(|word| {
            word.split_once(':')
                .is_some_and(|(name, _)| FILTERS.contains(&name.to_lowercase().as_str()))
        })
        .collect()
}

fn without_word(q: &str, removed: &str) -> String {
    q.split_whitespace()
        .filter(|word| *word != removed)
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Serialize)]
struct FacetValue {
    key: String,
    label: String,
    count: u64,
    url: String,
}

#[derive(Serialize)]
struct FacetGroup {
    name: &'static str,
    values: Vec<FacetValue>,
}

/// The value of a result, or, on error, the error page returned from the handler.
macro_rules! or_fail {
    ($page:expr, $result:expr) => {
        match $result {
            Ok(value) => value,
            Err(error) => return $page.failed(error),
        }
    };
}

/// The search page: one box, facets, results, pagination, exports.
pub async fn search(
    State(state): State<Arc<AppState>>,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    crate::Who(who): crate::Who,
    uri: Uri,
) -> Response {
    let page = Page::new(
        &state,
        who,
        values.get("lang").map(String::as_str),
        &headers,
        &uri,
    );
    let q = values
        .get("q")
        .map(String::as_str)
        .unwrap_or_default()
        .trim();
    let page_number = values
        .get("page")
        .and_then(|p| p.parse::<usize>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
        .min(LAST_PAGE);
    let offset = (page_number - 1) * PAGE_SIZE;
    let request = SearchRequest {
        q: q.to_owned(),
        limit: PAGE_SIZE,
        offset,
        facets: true,
    };
    let found = match catalog::search(&state.app, &page.who, request).await {
        Ok(found) => found,
        Err(error) if error.kind == ErrorKind::Invalid => {
            return page.render(
                "search.html",
                "search",
                json!({"q": q, "error": error.to_string()}),
            );
        }
        Err(error) => return page.failed(error),
    };
    let countries = or_fail!(page, page.country_names().await);
    let active = filter_words(q);
    let facets: Vec<FacetGroup> = FACET_GROUPS
        .iter()
        .filter_map(|group| {
            let counts = found.facets.get(*group)?;
            let mut values: Vec<(&String, &u64)> = counts.iter().collect();
            values.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let values: Vec<FacetValue> = values
                .into_iter()
                .filter(|(key, _)| !active.contains(&format!("{group}:{key}").as_str()))
                .take(FACET_VALUES)
                .map(|(key, count)| FacetValue {
                    label: page.label(group, key, &countries),
                    url: search_url(&format!("{q} {group}:{key}"), page.lang, 1),
                    key: key.clone(),
                    count: *count,
                })
                .collect();
            (!values.is_empty()).then_some(FacetGroup {
                name: group,
                values,
            })
        })
        .collect();
    let chips: Vec<Value> = active
        .iter()
        .map(|word| {
            let (group, value) = word.split_once(':').unwrap_or((word, ""));
            let label = format!(
                "{}: {}",
                page.text(&format!("facet_{}", group.to_lowercase())),
                page.label(&group.to_lowercase(), value, &countries)
            );
            json!({"label": label, "url": search_url(&without_word(q, word), page.lang, 1)})
        })
        .collect();
    let exports: Vec<Value> = ExportFormat::ALL
        .iter()
        .map(|format| {
            let query: String = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("q", q)
                .append_pair("format", format.name())
                .append_pair("lang", page.lang.code())
                .finish();
            // Excel on Chinese Windows reads a CSV as UTF-8 only after a byte-order mark.
            let query = if *format == ExportFormat::Csv {
                format!("{query}&bom=true")
            } else {
                query
            };
            let label = match format {
                ExportFormat::Csv => "CSV",
                ExportFormat::Jsonl => "JSON Lines",
                ExportFormat::Bibtex => "BibTeX",
                ExportFormat::Ris => "RIS",
                ExportFormat::RelatonYaml => "Relaton YAML",
            };
            json!({"label": label, "url": format!("/api/v1/export?{query}")})
        })
        .collect();
    let page_count = found.total.div_ceil(PAGE_SIZE).clamp(1, LAST_PAGE);
    if page_number > page_count {
        // A page past the end (an old link, a hand-made URL): the last page there is.
        return Redirect::to(&search_url(q, page.lang, page_count)).into_response();
    }
    let previous_url = (page_number > 1).then(|| search_url(q, page.lang, page_number - 1));
    let next_url = (page_number < page_count).then(|| search_url(q, page.lang, page_number + 1));
    page.render(
        "search.html",
        "search",
        json!({
            "q": q,
            "page": found,
            "facets": facets,
            "active": chips,
            "exports": exports,
            "first": offset + 1,
            "page_number": page_number,
            "page_count": page_count,
            "previous_url": previous_url,
            "next_url": next_url,
        }),
    )
}

/// A standard's page.
pub async fn standard(
    State(state): State<Arc<AppState>>,
    PathText(designation): PathText,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    crate::Who(who): crate::Who,
    uri: Uri,
) -> Response {
    let page = Page::new(
        &state,
        who,
        values.get("lang").map(String::as_str),
        &headers,
        &uri,
    );
    let view = match catalog::show(&state.app, &page.who, &designation).await {
        Ok(view) => view,
        Err(error) if error.kind == ErrorKind::NotFound => {
            let message = format!("{} ({designation})", page.text("not_found_standard"));
            return page.message(StatusCode::NOT_FOUND, "not_found_title", &message);
        }
        Err(error) => return page.failed(error),
    };
    let countries = or_fail!(page, page.country_names().await);
    let titles: BTreeMap<&str, &str> = view
        .record
        .titles
        .iter()
        .map(|t| (t.lang.as_str(), t.full.as_str()))
        .collect();
    let dates = &view.record.dates;
    let mut dated: Vec<Value> = [
        ("published", &dates.published),
        ("implemented", &dates.implemented),
        ("confirmed", &dates.confirmed),
        ("withdrawn", &dates.withdrawn),
        ("updated", &dates.updated),
        ("stable_until", &dates.stable_until),
    ]
    .into_iter()
    .filter_map(|(kind, value)| value.as_ref().map(|v| json!({"kind": kind, "value": v})))
    .collect();
    dated.sort_by(|a, b| a["value"].as_str().cmp(&b["value"].as_str()));
    // Oldest edition first, this one, then those that replaced it.
    let mut timeline: Vec<Value> = view
        .replaces_chain
        .iter()
        .rev()
        .map(|step| json!({"designation": step.designation, "in_catalogue": step.in_catalogue}))
        .collect();
    timeline.push(json!({"designation": view.record.designation, "current": true}));
    timeline.extend(
        view.replaced_by_chain
            .iter()
            .map(|s| json!({"designation": s.designation, "in_catalogue": s.in_catalogue})),
    );
    let country_name = view.record.country.as_ref().and_then(|c| countries.get(c));
    let links = web_links(&view.record.links);
    let adopted_title = if titles.contains_key(page.lang.code()) {
        None
    } else {
        identical_adoption_title(&state, &page, &view.equivalents).await
    };
    page.render(
        "standard.html",
        "search",
        json!({
            "s": view,
            "titles": titles,
            "dates": dated,
            "timeline": timeline,
            "country_name": country_name,
            "country_names": countries,
            "links": links,
            "adopted_title": adopted_title,
        }),
    )
}

/// The title in the page's language of a standard that adopts this one identically (IDT),
/// with that standard's designation: what a reader of that language is shown before a
/// title in another language.
async fn identical_adoption_title(
    state: &AppState,
    page: &Page<'_>,
    equivalents: &[stdbridge_app::model::Equivalent],
) -> Option<Value> {
    for equivalent in equivalents.iter().filter(|e| e.degree == "IDT") {
        let Ok(view) = catalog::show(&state.app, &page.who, &equivalent.designation).await else {
            continue;
        };
        if let Some(title) = view
            .record
            .titles
            .iter()
            .find(|t| t.lang == page.lang.code())
        {
            return Some(json!({"designation": view.record.designation, "title": title.full}));
        }
    }
    None
}

/// A record's links that a page may show: http and https addresses only (a source could
/// bring `javascript:`), as `{kind, url}`.
fn web_links(links: &[stdbridge_app::model::Link]) -> Vec<Value> {
    links
        .iter()
        .filter(|link| {
            url::Url::parse(&link.url).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
        })
        .map(|link| json!({"kind": link.kind, "url": link.url}))
        .collect()
}

/// Every country, grouped by UN M49 region.
pub async fn countries(
    State(state): State<Arc<AppState>>,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    crate::Who(who): crate::Who,
    uri: Uri,
) -> Response {
    let page = Page::new(
        &state,
        who,
        values.get("lang").map(String::as_str),
        &headers,
        &uri,
    );
    let all = or_fail!(page, catalog::countries(&state.app, &page.who).await);
    let mut regions: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for CountrySummary { country, standards } in &all {
        let region = match &country.region {
            Some(region) => page.text(&format!("region_{region}")),
            None => page.text("region_other"),
        };
        let (name, name_lang) = country_name_in(country, page.lang);
        regions.entry(region).or_default().push(json!({
            "alpha2": country.alpha2,
            "name": name,
            "name_lang": name_lang,
            "standards": standards,
        }));
    }
    let other = page.text("region_other");
    let mut grouped: Vec<Value> = regions
        .into_iter()
        .map(|(name, mut countries)| {
            countries.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
            json!({"name": name, "countries": countries})
        })
        .collect();
    // "Other" last.
    grouped.sort_by_key(|region| region["name"] == other.as_str());
    // What has data comes first: the countries with national standards, most first.
    let mut with_data: Vec<Value> = grouped
        .iter()
        .flat_map(|region| region["countries"].as_array().cloned().unwrap_or_default())
        .filter(|country| country["standards"].as_u64().is_some_and(|n| n > 0))
        .collect();
    with_data.sort_by(|a, b| {
        b["standards"]
            .as_u64()
            .cmp(&a["standards"].as_u64())
            .then_with(|| a["name"].as_str().cmp(&b["name"].as_str()))
    });
    page.render(
        "countries.html",
        "countries",
        json!({"with_data": with_data, "regions": grouped}),
    )
}

/// How a chart is drawn.
enum Drawing {
    /// An SVG (counts by year), with the names of its series for the page's legend.
    Lines(String, Vec<String>),
    /// Bars in the page's markup, one per row of the data table.
    Bars,
}

/// One chart with its data table and CSV link.
fn chart(
    id: &str,
    heading: String,
    drawing: Drawing,
    headers: [String; 2],
    buckets: &[(String, u64)],
    csv_url: String,
) -> Value {
    let rows: Vec<[String; 2]> = buckets
        .iter()
        .map(|(label, count)| [label.clone(), count.to_string()])
        .collect();
    let mut chart =
        json!({"id": id, "heading": heading, "headers": headers, "rows": rows, "csv_url": csv_url});
    match drawing {
        Drawing::Lines(svg, names) => {
            let legend: Vec<Value> = names
                .iter()
                .zip(charts::SERIES_COLOURS.iter().cycle())
                .map(|(name, colour)| json!({"name": name, "colour": colour}))
                .collect();
            chart["svg"] = json!(svg);
            if legend.len() > 1 {
                chart["legend"] = json!(legend);
            }
        }
        Drawing::Bars => chart["bars"] = json!(charts::bars(buckets)),
    }
    chart
}

/// Lines by year for each named series (`years` the labels the counts go with).
fn year_lines(years: &[String], series: &[(String, Vec<u64>)]) -> Drawing {
    let values: Vec<Vec<u64>> = series.iter().map(|(_, v)| v.clone()).collect();
    let (labels, filled) = charts::every_year(years, &values);
    let names: Vec<String> = series.iter().map(|(n, _)| n.clone()).collect();
    let named: Vec<(String, Vec<u64>)> = names.iter().cloned().zip(filled).collect();
    Drawing::Lines(charts::lines(&named, &labels), names)
}

/// The charts of an analysis: years, ICS fields, bodies, statuses, keywords.
fn analysis_charts(
    page: &Page,
    analytics: &Analytics,
    csv_query: &str,
    countries: &BTreeMap<String, String>,
    ics_fields: &BTreeMap<String, String>,
) -> Vec<Value> {
    let labelled = |group: &str, buckets: &[Bucket]| -> Vec<(String, u64)> {
        buckets
            .iter()
            .take(CHART_BARS)
            .map(|b| {
                let label = match ics_fields.get(&b.key) {
                    Some(name) if group == "ics" => name.clone(),
                    _ => page.label(group, &b.key, countries),
                };
                (label, b.count)
            })
            .collect()
    };
    let csv = |dataset: &str| format!("/analytics/{dataset}.csv?{csv_query}&bom=true");
    let count = page.text("count");
    let mut out = Vec::new();
    let years: Vec<(String, u64)> = analytics
        .years
        .iter()
        .map(|b| (b.key.clone(), b.count))
        .collect();
    let year_labels: Vec<String> = years.iter().map(|(y, _)| y.clone()).collect();
    let year_counts: Vec<u64> = years.iter().map(|(_, c)| *c).collect();
    out.push(chart(
        "years",
        page.text("by_year"),
        year_lines(&year_labels, &[(page.text("standards"), year_counts)]),
        [page.text("year"), count.clone()],
        &years,
        csv("years"),
    ));
    for (id, group, heading, buckets) in [
        ("ics", "ics", "by_ics", &analytics.ics_fields),
        ("bodies", "body", "by_body", &analytics.bodies),
        ("statuses", "status", "by_status", &analytics.statuses),
        ("keywords", "keyword", "keywords", &analytics.keywords),
    ] {
        let rows = labelled(group, buckets);
        let first_header = match id {
            "ics" => page.text("field"),
            "keywords" => page.text("keyword"),
            "bodies" => page.text("publishers"),
            _ => page.text("status"),
        };
        out.push(chart(
            id,
            page.text(heading),
            Drawing::Bars,
            [first_header, count.clone()],
            &rows,
            csv(id),
        ));
    }
    out
}

/// One country's overview.
pub async fn country(
    State(state): State<Arc<AppState>>,
    PathText(code): PathText,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    crate::Who(who): crate::Who,
    uri: Uri,
) -> Response {
    let page = Page::new(
        &state,
        who,
        values.get("lang").map(String::as_str),
        &headers,
        &uri,
    );
    let overview = match catalog::country(&state.app, &page.who, &code, page.lang.code(), 30).await
    {
        Ok(overview) => overview,
        Err(error) if error.kind == ErrorKind::NotFound => {
            return page.message(StatusCode::NOT_FOUND, "not_found_title", &code);
        }
        Err(error) => return page.failed(error),
    };
    let (country, analytics) = (overview.country, overview.analytics);
    let bodies: Vec<Value> = overview
        .national_bodies
        .into_iter()
        .map(|b| {
            let name = page.in_own_language(&b.names).cloned();
            json!({"abbreviation": b.abbreviation, "name": name, "url": b.url})
        })
        .collect();
    let countries = or_fail!(page, page.country_names().await);
    let csv_query = format!("country={}&lang={}", country.alpha2, page.lang.code());
    let ics_fields = or_fail!(page, page.ics_field_names().await);
    let charts = analysis_charts(&page, &analytics, &csv_query, &countries, &ics_fields);
    let (name, name_lang) = country_name_in(&country, page.lang);
    let region = country
        .region
        .as_ref()
        .map(|r| page.text(&format!("region_{r}")));
    page.render(
        "country.html",
        "countries",
        json!({
            "name": name,
            "name_lang": name_lang,
            "country": country,
            "region": region,
            "bodies": bodies,
            "a": analytics,
            "charts": charts,
        }),
    )
}

/// The analytics query of a page: the filter parameters; unknown ones are ignored.
fn analytics_params(values: &HashMap<String, String>) -> Params {
    let kept: HashMap<String, String> = values
        .iter()
        .filter(|(name, value)| {
            ["country", "body", "ics", "years"].contains(&name.as_str()) && !value.trim().is_empty()
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    Params::lenient(kept)
}

/// The countries to compare (`compare=CN,JP`).
fn compared(values: &HashMap<String, String>) -> Vec<String> {
    values
        .get("compare")
        .map(|list| {
            list.split(',')
                .map(|c| c.trim().to_ascii_uppercase())
                .filter(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()))
                .take(catalog::MAX_COMPARED)
                .collect()
        })
        .unwrap_or_default()
}

/// A country's code and its counts per year of a comparison.
type CountrySeries = (String, Vec<u64>);

/// Years by country for a comparison: the union of years, and each country's counts.
async fn comparison(
    state: &AppState,
    who: &Principal,
    selection: &Selection,
    countries: &[String],
    lang: Lang,
) -> Result<(Vec<String>, Vec<CountrySeries>), ApiError> {
    let compared = catalog::compare(&state.app, who, selection, countries, lang.code(), 0).await?;
    let mut by_country = Vec::new();
    let mut years = std::collections::BTreeSet::new();
    for CountryAnalytics { country, analytics } in compared {
        years.extend(analytics.years.iter().map(|b| b.key.clone()));
        by_country.push((country, analytics.years));
    }
    let years: Vec<String> = years.into_iter().collect();
    let series = by_country
        .into_iter()
        .map(|(country, buckets)| {
            let counts: HashMap<&str, u64> =
                buckets.iter().map(|b| (b.key.as_str(), b.count)).collect();
            let values = years
                .iter()
                .map(|y| counts.get(y.as_str()).copied().unwrap_or(0))
                .collect();
            (country, values)
        })
        .collect();
    Ok((years, series))
}

/// The analytics page.
pub async fn analytics(
    State(state): State<Arc<AppState>>,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    crate::Who(who): crate::Who,
    uri: Uri,
) -> Response {
    let page = Page::new(
        &state,
        who,
        values.get("lang").map(String::as_str),
        &headers,
        &uri,
    );
    let form: BTreeMap<&str, &str> = ["country", "body", "ics", "years", "compare"]
        .into_iter()
        .map(|name| {
            (
                name,
                values.get(name).map(String::as_str).unwrap_or_default(),
            )
        })
        .collect();
    let selection = selection(&analytics_params(&values));
    let analytics =
        match catalog::analytics(&state.app, &page.who, &selection, page.lang.code(), 30).await {
            Ok(analytics) => analytics,
            Err(error) if error.kind == ErrorKind::Invalid => {
                return page.render(
                    "analytics.html",
                    "analytics",
                    json!({"form": form, "error": error.to_string()}),
                );
            }
            Err(error) => return page.failed(error),
        };
    let countries = or_fail!(page, page.country_names().await);
    let csv_query: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form.iter().filter(|(_, v)| !v.is_empty()))
        .append_pair("lang", page.lang.code())
        .finish();
    let mut charts = Vec::new();
    let compare = compared(&values);
    if compare.len() >= 2 {
        match comparison(&state, &page.who, &selection, &compare, page.lang).await {
            Ok((years, series)) => {
                let named: Vec<(String, Vec<u64>)> = series
                    .iter()
                    .map(|(code, values)| {
                        (
                            countries.get(code).cloned().unwrap_or_else(|| code.clone()),
                            values.clone(),
                        )
                    })
                    .collect();
                let totals: Vec<(String, u64)> = named
                    .iter()
                    .map(|(name, values)| (name.clone(), values.iter().sum()))
                    .collect();
                charts.push(chart(
                    "comparison",
                    page.text("comparison"),
                    year_lines(&years, &named),
                    [page.text("country"), page.text("count")],
                    &totals,
                    format!("/analytics/comparison.csv?{csv_query}&bom=true"),
                ));
            }
            Err(error) => return page.failed(error),
        }
    }
    let ics_fields = or_fail!(page, page.ics_field_names().await);
    charts.extend(analysis_charts(
        &page,
        &analytics,
        &csv_query,
        &countries,
        &ics_fields,
    ));
    page.render(
        "analytics.html",
        "analytics",
        json!({"form": form, "a": analytics, "charts": charts}),
    )
}

/// The data of one chart as CSV: `years`, `ics`, `bodies`, `statuses`, `keywords` or
/// `comparison` (a column per country), each with `.csv`.
pub async fn analytics_csv(
    State(state): State<Arc<AppState>>,
    crate::Who(who): crate::Who,
    PathText(dataset): PathText,
    QueryParams(values): QueryParams,
) -> Result<Response, ApiError> {
    let Some(dataset) = dataset.strip_suffix(".csv") else {
        return Err(ApiError::not_found(&format!(
            "no data set {dataset:?} (the name ends in .csv)"
        )));
    };
    let lang = values
        .get("lang")
        .and_then(|l| Lang::parse(l))
        .unwrap_or(Lang::En);
    let selection = selection(&analytics_params(&values));
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write_error = |e: csv::Error| ApiError::internal(e);
    if dataset == "comparison" {
        let countries = compared(&values);
        let (years, series) = comparison(&state, &who, &selection, &countries, lang).await?;
        let mut header = vec!["year".to_owned()];
        header.extend(series.iter().map(|(country, _)| country.clone()));
        writer.write_record(&header).map_err(write_error)?;
        for (row, year) in years.iter().enumerate() {
            let mut record = vec![year.clone()];
            record.extend(series.iter().map(|(_, values)| values[row].to_string()));
            writer.write_record(&record).map_err(write_error)?;
        }
    } else {
        let analytics = catalog::analytics(&state.app, &who, &selection, lang.code(), 200).await?;
        let (name, buckets) = match dataset {
            "years" => ("year", &analytics.years),
            "ics" => ("ics_field", &analytics.ics_fields),
            "bodies" => ("body", &analytics.bodies),
            "statuses" => ("status", &analytics.statuses),
            "keywords" => ("keyword", &analytics.keywords),
            other => {
                return Err(ApiError::not_found(&format!(
                    "no data set {other:?} (years, ics, bodies, statuses, keywords, comparison)"
                )));
            }
        };
        writer.write_record([name, "count"]).map_err(write_error)?;
        for bucket in buckets {
            writer
                .write_record([bucket.key.as_str(), &bucket.count.to_string()])
                .map_err(write_error)?;
        }
    }
    let body = writer
        .into_inner()
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let body = crate::search::with_bom(body, values.get("bom").is_some_and(|b| b == "true"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{dataset}.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}
