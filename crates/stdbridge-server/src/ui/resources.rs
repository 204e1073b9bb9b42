//! The pages of a user's translation resources: their memories (made, imported with
//! progress, exported, searched by concordance, shared) and termbases (made, browsed,
//! terms added, edited and deprecated). Each page names its resource by id and shows
//! nothing of one the user may not read.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};
use stdbridge_app::access::{self, Kind, Named};
use stdbridge_app::model::{Collection, Concept, LangSection, Term, TermStatus, Visibility};
use stdbridge_app::{AppError, memories, termbases};

use super::account::{signed_in, signed_in_form};
use super::forms::PageForm;
use super::pages::Page;
use crate::extract::{PathPair, PathText, QueryParams};
use crate::{AppState, Who};

/// Most concordance hits a page shows.
const CONCORDANCE_HITS: usize = 50;
/// Most concepts a termbase page shows.
const CONCEPTS_SHOWN: usize = 200;
/// Empty rows an edit form offers for new terms.
const NEW_TERM_ROWS: usize = 2;

impl Page<'_> {
    /// A collection as its listing and page show it.
    fn collection(&self, c: &Collection) -> Value {
        json!({
            "id": c.id,
            "name": c.name,
            "owner": c.owner,
            "visibility": c.visibility.as_str(),
            "visibility_label": self.text(&format!("visibility_{}", c.visibility.as_str())),
            "description": c.description,
            "created_at": c.created_at.get(..10).unwrap_or(&c.created_at),
            "entries": c.entries,
        })
    }

    /// The visibilities this user may choose for a new collection (public: admins).
    fn visibility_choices(&self) -> Vec<Value> {
        let admin = self
            .who
            .account()
            .is_some_and(|a| a.role == stdbridge_app::model::Role::Admin);
        [Visibility::Private, Visibility::Shared, Visibility::Public]
            .into_iter()
            .filter(|v| admin || *v != Visibility::Public)
            .map(|v| json!({"value": v.as_str(), "label": self.text(&format!("visibility_{}", v.as_str()))}))
            .collect()
    }

    /// Who may read a collection the user may write (None for one they only read).
    async fn sharing(&self, kind: Kind, id: i64) -> Option<Value> {
        let shared = access::shared_to(&self.state.app, &self.who, kind, Named::Id(id))
            .await
            .ok()?;
        let groups: Vec<String> = stdbridge_app::groups::list(&self.state.app, &self.who)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|group| group.name)
            .filter(|name| !shared.groups.contains(name))
            .collect();
        Some(json!({
            "users": shared.users,
            "groups": shared.groups,
            "group_choices": groups,
            "choices": self.visibility_choices(),
        }))
    }
}

/// A collection with its number of entries, as the listing counts them.
fn with_count(mut one: Collection, listed: Result<Vec<Collection>, AppError>) -> Collection {
    if let Some(counted) = listed
        .ok()
        .and_then(|all| all.into_iter().find(|c| c.id == one.id))
    {
        one.entries = counted.entries;
    }
    one
}

/// The id of a path, or the not-found page.
fn id_or_missing(page: &Page<'_>, text: &str) -> Result<i64, Box<Response>> {
    text.parse::<i64>()
        .map_err(|_| Box::new(page.message(StatusCode::NOT_FOUND, "not_found_title", text)))
}

/// A text cut into pieces at byte `spans`, each marked as found or not (for `<mark>`).
fn highlighted(text: &str, spans: &[(usize, usize)]) -> Vec<Value> {
    let mut pieces = Vec::new();
    let mut at = 0;
    let mut spans = spans.to_vec();
    spans.sort_unstable();
    for (start, end) in spans {
        let (Some(before), Some(found)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        if !before.is_empty() {
            pieces.push(json!({"text": before, "found": false}));
        }
        pieces.push(json!({"text": found, "found": true}));
        at = end;
    }
    if let Some(rest) = text.get(at..).filter(|rest| !rest.is_empty()) {
        pieces.push(json!({"text": rest, "found": false}));
    }
    pieces
}

/// The page's note after a redirect (`?note=shared`), as a message.
fn note_of(page: &Page<'_>, values: &std::collections::HashMap<String, String>) -> Option<String> {
    let key = values.get("note")?;
    let known = [
        "created",
        "deleted",
        "shared",
        "unshared",
        "visibility",
        "term_added",
        "term_saved",
        "term_status",
    ];
    known
        .contains(&key.as_str())
        .then(|| page.text(&format!("note_{key}")))
}

fn redirect(path: String, note: &str, page: &Page<'_>) -> Response {
    Redirect::to(&format!("{path}?note={note}&lang={}", page.lang.code())).into_response()
}

// ---------------------------------------------------------------- memories

/// The memories the user may read, and the form that makes one.
pub async fn memory_list(
    State(state): State<Arc<AppState>>,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
) -> Response {
    let page = or_return!(signed_in(&state, who, &values, &headers, &uri));
    let note = note_of(&page, &values);
    collection_list(&page, Kind::Memory, None, &json!({}), note).await
}

/// A listing page of memories or termbases, with the creation form (and its error).
async fn collection_list(
    page: &Page<'_>,
    kind: Kind,
    error: Option<String>,
    typed: &Value,
    note: Option<String>,
) -> Response {
    let listed = match kind {
        Kind::Memory => memories::list(&page.state.app, &page.who).await,
        Kind::Termbase => termbases::list(&page.state.app, &page.who).await,
    };
    let all = match listed {
        Ok(all) => all,
        Err(error) => return page.refused(error),
    };
    let section = kind_path(kind);
    let writer = page
        .who
        .account()
        .is_some_and(|a| a.role <= stdbridge_app::model::Role::Translator);
    // A refused creation is shown with 400.
    let refused = error.is_some();
    let mut response = page.render(
        "collections.html",
        section,
        json!({
            "kind": section,
            "collections": all.iter().map(|c| page.collection(c)).collect::<Vec<_>>(),
            "choices": page.visibility_choices(),
            "may_create": writer,
            "error": error,
            "typed": typed,
            "note": note,
        }),
    );
    if refused && response.status().is_success() {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    response
}

/// Makes a memory from the form, then shows it.
pub async fn memory_create(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
    form: PageForm,
) -> Response {
    create_collection(&state, who, &headers, &uri, &form, Kind::Memory).await
}

/// Makes a termbase from the form, then shows it.
pub async fn termbase_create(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
    form: PageForm,
) -> Response {
    create_collection(&state, who, &headers, &uri, &form, Kind::Termbase).await
}

async fn create_collection(
    state: &AppState,
    who: stdbridge_app::Principal,
    headers: &HeaderMap,
    uri: &Uri,
    form: &PageForm,
    kind: Kind,
) -> Response {
    let page = or_return!(signed_in_form(state, who, form, headers, uri));
    let name = form.field("name");
    let description = Some(form.field("description")).filter(|d| !d.is_empty());
    let visibility = Visibility::parse(form.field("visibility"));
    let made = match kind {
        Kind::Memory => {
            memories::create(&state.app, &page.who, name, None, visibility, description).await
        }
        Kind::Termbase => {
            termbases::create(&state.app, &page.who, name, visibility, description).await
        }
    };
    match made {
        Ok(made) => redirect(
            format!("/{}/{}", kind_path(kind), made.id),
            "created",
            &page,
        ),
        Err(error) if error.kind != stdbridge_app::ErrorKind::Internal => {
            let typed = json!({"name": name, "description": description});
            collection_list(&page, kind, Some(error.to_string()), &typed, None).await
        }
        Err(error) => page.refused(error),
    }
}

fn kind_path(kind: Kind) -> &'static str {
    match kind {
        Kind::Memory => "memories",
        Kind::Termbase => "termbases",
    }
}

/// One memory: what it holds, its export, its import with progress, concordance with the
/// words found highlighted, and who may read it.
pub async fn memory_page(
    State(state): State<Arc<AppState>>,
    PathText(id): PathText,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
) -> Response {
    let page = or_return!(signed_in(&state, who, &values, &headers, &uri));
    let id = or_return!(id_or_missing(&page, &id));
    let memory = match memories::get(&state.app, &page.who, Named::Id(id)).await {
        Ok(memory) => with_count(memory, memories::list(&state.app, &page.who).await),
        Err(error) => return page.refused(error),
    };
    let q = values.get("q").map(|q| q.trim()).unwrap_or_default();
    let mut hits = Vec::new();
    let mut search_error = None;
    if !q.is_empty() {
        match concordance(&page, &memory, q).await {
            Ok(found) => hits = found,
            Err(error) => search_error = Some(error.to_string()),
        }
    }
    let sharing = page.sharing(Kind::Memory, id).await;
    page.render(
        "memory.html",
        "memories",
        json!({
            "c": page.collection(&memory),
            "q": q,
            "searched": !q.is_empty(),
            "hits": hits,
            "search_error": search_error,
            "sharing": sharing,
            // Who may change sharing may write: one check for both.
            "may_write": sharing.is_some(),
            "note": note_of(&page, &values),
        }),
    )
}

/// The concordance hits of `q` in a memory, each language version cut at the words found.
async fn concordance(
    page: &Page<'_>,
    memory: &Collection,
    q: &str,
) -> Result<Vec<Value>, AppError> {
    let hits = memories::concordance(
        &page.state.app,
        &page.who,
        std::slice::from_ref(&memory.name),
        q,
        CONCORDANCE_HITS,
    )
    .await?;
    Ok(hits
        .iter()
        .map(|hit| {
            let variants: Vec<Value> = hit
                .variants
                .iter()
                .map(|(lang, text)| {
                    let spans = if *lang == hit.found_in {
                        hit.spans.as_slice()
                    } else {
                        &[]
                    };
                    json!({"lang": lang, "pieces": highlighted(text, spans)})
                })
                .collect();
            json!({"unit_id": hit.unit_id, "variants": variants})
        })
        .collect())
}

/// Shares a memory with a user, or stops, from its page.
pub async fn memory_share(
    State(state): State<Arc<AppState>>,
    PathText(id): PathText,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
    form: PageForm,
) -> Response {
    change_sharing(&state, who, &id, &headers, &uri, &form, Kind::Memory).await
}

/// Deletes a memory from its page: the form must carry the memory's name, typed again, so
/// that no slip of a click loses a memory.
pub async fn memory_delete(
    State(state): State<Arc<AppState>>,
    PathText(id): PathText,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
    form: PageForm,
) -> Response {
    let page = or_return!(signed_in_form(&state, who, &form, &headers, &uri));
    let id = or_return!(id_or_missing(&page, &id));
    let memory = match access::writable(&state.app, &page.who, Kind::Memory, Named::Id(id)).await {
        Ok(memory) => memory,
        Err(error) => return page.refused(error),
    };
    if form.field("confirm").trim() != memory.name {
        return page.refused(AppError::bad_field(
            "confirm",
            page.text("delete_confirm_mismatch"),
        ));
    }
    match memories::delete(&state.app, &page.who, &memory.name).await {
        Ok(()) => redirect("/memories".to_owned(), "deleted", &page),
        Err(error) => page.refused(error),
    }
}

/// Shares a termbase with a user, or stops, from its page.
pub async fn termbase_share(
    State(state): State<Arc<AppState>>,
    PathText(id): PathText,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
    form: PageForm,
) -> Response {
    change_sharing(&state, who, &id, &headers, &uri, &form, Kind::Termbase).await
}

/// The sharing form: `user` with `action` add or remove, `group` with add-group or
/// remove-group, or a new `visibility`.
async fn change_sharing(
    state: &AppState,
    who: stdbridge_app::Principal,
    id: &str,
    headers: &HeaderMap,
    uri: &Uri,
    form: &PageForm,
    kind: Kind,
) -> Response {
    let page = or_return!(signed_in_form(state, who, form, headers, uri));
    let id = or_return!(id_or_missing(&page, id));
    let named = Named::Id(id);
    let (done, note) = match form.field("action") {
        "visibility" => (
            access::set_visibility(
                &state.app,
                &page.who,
                kind,
                named,
                Visibility::parse(form.field("visibility")),
            )
            .await
            .map(|_| ()),
            "visibility",
        ),
        action @ ("add-group" | "remove-group") => (
            access::share_with_group(
                &state.app,
                &page.who,
                kind,
                named,
                form.field("group"),
                action == "add-group",
            )
            .await
            .map(|_| ()),
            if action == "add-group" {
                "shared"
            } else {
                "unshared"
            },
        ),
        "remove" => (
            access::share(
                &state.app,
                &page.who,
                kind,
                named,
                form.field("user"),
                false,
            )
            .await
            .map(|_| ()),
            "unshared",
        ),
        _ => (
            access::share(&state.app, &page.who, kind, named, form.field("user"), true)
                .await
                .map(|_| ()),
            "shared",
        ),
    };
    match done {
        Ok(()) => redirect(format!("/{}/{id}", kind_path(kind)), note, &page),
        Err(error) => page.refused(error),
    }
}

// ---------------------------------------------------------------- termbases

/// The termbases the user may read, and the form that makes one.
pub async fn termbase_list(
    State(state): State<Arc<AppState>>,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
) -> Response {
    let page = or_return!(signed_in(&state, who, &values, &headers, &uri));
    let note = note_of(&page, &values);
    collection_list(&page, Kind::Termbase, None, &json!({}), note).await
}

/// A concept as the termbase page shows it: its terms by language with their statuses.
fn concept_view(page: &Page<'_>, termbase: i64, key: &str, concept: &Concept) -> Value {
    let key_path = utf8_percent_encode(key, NON_ALPHANUMERIC).to_string();
    let sections: Vec<Value> = concept
        .languages
        .iter()
        .map(|section| {
            let terms: Vec<Value> = section
                .terms
                .iter()
                .map(|term| {
                    let status = status_word(term.status);
                    json!({
                        "text": term.text,
                        "status": status,
                        "status_label": page.text(&format!("term_status_{status}")),
                        "unwanted": term.status.is_unwanted(),
                    })
                })
                .collect();
            json!({"lang": section.lang, "terms": terms, "definition": section.definition})
        })
        .collect();
    json!({
        "key": key,
        "url": format!("/termbases/{termbase}/concepts/{key_path}"),
        "definition": concept.definition,
        "subject": concept.subject_field,
        "sections": sections,
    })
}

fn status_word(status: TermStatus) -> &'static str {
    match status {
        TermStatus::Preferred => "preferred",
        TermStatus::Admitted => "admitted",
        TermStatus::Deprecated => "deprecated",
        TermStatus::Forbidden => "forbidden",
    }
}

fn status_of(word: &str) -> TermStatus {
    match word {
        "preferred" => TermStatus::Preferred,
        "deprecated" => TermStatus::Deprecated,
        "forbidden" => TermStatus::Forbidden,
        _ => TermStatus::Admitted,
    }
}

/// The statuses a form offers, labelled.
fn status_choices(page: &Page<'_>) -> Vec<Value> {
    ["preferred", "admitted", "deprecated", "forbidden"]
        .into_iter()
        .map(|s| json!({"value": s, "label": page.text(&format!("term_status_{s}"))}))
        .collect()
}

/// One termbase: its concepts (filtered by `q`), the form that adds a term pair, and
/// who may read it.
pub async fn termbase_page(
    State(state): State<Arc<AppState>>,
    PathText(id): PathText,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
) -> Response {
    let page = or_return!(signed_in(&state, who, &values, &headers, &uri));
    let id = or_return!(id_or_missing(&page, &id));
    let note = note_of(&page, &values);
    termbase_view(
        &page,
        id,
        values.get("q").map(String::as_str),
        note,
        None,
        &json!({}),
    )
    .await
}

async fn termbase_view(
    page: &Page<'_>,
    id: i64,
    q: Option<&str>,
    note: Option<String>,
    error: Option<String>,
    typed: &Value,
) -> Response {
    let app = &page.state.app;
    let termbase = match termbases::get(app, &page.who, Named::Id(id)).await {
        Ok(termbase) => with_count(termbase, termbases::list(app, &page.who).await),
        Err(error) => return page.refused(error),
    };
    let entries = match termbases::entries(app, &page.who, Named::Id(id), q).await {
        Ok(entries) => entries,
        Err(error) => return page.refused(error),
    };
    let total = entries.len();
    let concepts: Vec<Value> = entries
        .iter()
        .take(CONCEPTS_SHOWN)
        .map(|entry| concept_view(page, id, &entry.key, &entry.concept))
        .collect();
    // Who may change sharing may write: one check for both.
    let sharing = page.sharing(Kind::Termbase, id).await;
    let refused = error.is_some();
    let mut response = page.render(
        "termbase.html",
        "termbases",
        json!({
            "c": page.collection(&termbase),
            "q": q.unwrap_or_default().trim(),
            "concepts": concepts,
            "total": total,
            "more": total > CONCEPTS_SHOWN,
            "statuses": status_choices(page),
            "may_write": sharing.is_some(),
            "sharing": sharing,
            "note": note,
            "error": error,
            "typed": typed,
            "note": note,
        }),
    );
    if refused && response.status().is_success() {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    response
}

/// Adds a concept of two terms (source and target language) with an optional
/// definition, from the termbase page.
pub async fn concept_add(
    State(state): State<Arc<AppState>>,
    PathText(id): PathText,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
    form: PageForm,
) -> Response {
    let page = or_return!(signed_in_form(&state, who, &form, &headers, &uri));
    let id = or_return!(id_or_missing(&page, &id));
    let status = status_of(form.field("status"));
    let definition = Some(form.field("definition").to_owned()).filter(|d| !d.is_empty());
    let mut languages = Vec::new();
    for (lang, term) in [
        ("source_lang", "source_term"),
        ("target_lang", "target_term"),
    ] {
        let text = form.field(term);
        if text.is_empty() {
            continue;
        }
        languages.push(LangSection {
            lang: form.field(lang).to_owned(),
            terms: vec![Term {
                text: text.to_owned(),
                status,
                ..Term::default()
            }],
            ..LangSection::default()
        });
    }
    let concept = Concept {
        definition,
        languages,
        ..Concept::default()
    };
    match termbases::add_concept(&state.app, &page.who, Named::Id(id), concept).await {
        Ok(_) => redirect(format!("/termbases/{id}"), "term_added", &page),
        Err(error) if error.kind == stdbridge_app::ErrorKind::Invalid => {
            let typed = json!({
                "source_term": form.field("source_term"),
                "target_term": form.field("target_term"),
                "definition": form.field("definition"),
            });
            termbase_view(&page, id, None, None, Some(error.to_string()), &typed).await
        }
        Err(error) => page.refused(error),
    }
}

/// Sets one term's status from the termbase page (deprecate, forbid, prefer).
pub async fn term_status(
    State(state): State<Arc<AppState>>,
    PathPair(id, key): PathPair,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
    form: PageForm,
) -> Response {
    let page = or_return!(signed_in_form(&state, who, &form, &headers, &uri));
    let id = or_return!(id_or_missing(&page, &id));
    let status = status_of(form.field("status"));
    match termbases::set_term_status(
        &state.app,
        &page.who,
        Named::Id(id),
        &key,
        form.raw("term"),
        status,
    )
    .await
    {
        Ok(_) => redirect(format!("/termbases/{id}"), "term_status", &page),
        Err(error) => page.refused(error),
    }
}

/// The form that edits one concept: each term's language, text and status, room for new
/// terms, and the definition.
pub async fn concept_edit(
    State(state): State<Arc<AppState>>,
    PathPair(id, key): PathPair,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
) -> Response {
    let page = or_return!(signed_in(&state, who, &values, &headers, &uri));
    let id = or_return!(id_or_missing(&page, &id));
    let termbase =
        match access::writable(&state.app, &page.who, Kind::Termbase, Named::Id(id)).await {
            Ok(termbase) => termbase,
            Err(error) => return page.refused(error),
        };
    let entries = match termbases::entries(&state.app, &page.who, Named::Id(id), None).await {
        Ok(entries) => entries,
        Err(error) => return page.refused(error),
    };
    let Some(entry) = entries.into_iter().find(|e| e.key == key) else {
        return page.message(StatusCode::NOT_FOUND, "not_found_title", &key);
    };
    let mut rows: Vec<Value> = entry
        .concept
        .languages
        .iter()
        .flat_map(|section| {
            section.terms.iter().map(|term| {
                json!({"lang": section.lang, "text": term.text, "status": status_word(term.status)})
            })
        })
        .collect();
    let last_lang = rows
        .last()
        .and_then(|r| r["lang"].as_str())
        .unwrap_or("en")
        .to_owned();
    for _ in 0..NEW_TERM_ROWS {
        rows.push(json!({"lang": last_lang, "text": "", "status": "admitted"}));
    }
    page.render(
        "concept.html",
        "termbases",
        json!({
            "c": page.collection(&termbase),
            "concept": concept_view(&page, id, &entry.key, &entry.concept),
            "rows": rows,
            "definition": entry.concept.definition,
            "statuses": status_choices(&page),
        }),
    )
}

/// Saves the concept edit form: rows `lang_N`, `text_N`, `status_N` (a row without text
/// drops that term), and `definition`.
pub async fn concept_save(
    State(state): State<Arc<AppState>>,
    PathPair(id, key): PathPair,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
    form: PageForm,
) -> Response {
    let page = or_return!(signed_in_form(&state, who, &form, &headers, &uri));
    let id = or_return!(id_or_missing(&page, &id));
    let entries = match termbases::entries(&state.app, &page.who, Named::Id(id), None).await {
        Ok(entries) => entries,
        Err(error) => return page.refused(error),
    };
    let Some(mut concept) = entries
        .into_iter()
        .find(|e| e.key == key)
        .map(|e| e.concept)
    else {
        return page.message(StatusCode::NOT_FOUND, "not_found_title", &key);
    };
    concept.definition = Some(form.field("definition").to_owned()).filter(|d| !d.is_empty());
    concept.languages = edited_sections(&concept, &form);
    match termbases::update_concept(&state.app, &page.who, Named::Id(id), &key, concept).await {
        Ok(_) => redirect(format!("/termbases/{id}"), "term_saved", &page),
        Err(error) => page.refused(error),
    }
}

/// The language sections of an edited concept: the form's rows grouped by language, each
/// term keeping what the form does not show (context, source, notes) when its text is
/// unchanged.
fn edited_sections(stored: &Concept, form: &PageForm) -> Vec<LangSection> {
    let mut sections: Vec<LangSection> = Vec::new();
    for row in 0.. {
        let Some(text) = form.0.get(&format!("text_{row}")) else {
            break;
        };
        let text = text.trim();
        let lang = form.field(&format!("lang_{row}"));
        if text.is_empty() || lang.is_empty() {
            continue;
        }
        let kept = stored
            .section(lang)
            .and_then(|s| s.terms.iter().find(|t| t.text == text))
            .cloned();
        let term = Term {
            text: text.to_owned(),
            status: status_of(form.field(&format!("status_{row}"))),
            ..kept.unwrap_or_default()
        };
        match sections.iter_mut().find(|s| s.lang == lang) {
            Some(section) => section.terms.push(term),
            None => {
                let mut section = stored
                    .languages
                    .iter()
                    .find(|s| s.lang == lang)
                    .cloned()
                    .unwrap_or_else(|| LangSection {
                        lang: lang.to_owned(),
                        ..LangSection::default()
                    });
                section.terms = vec![term];
                sections.push(section);
            }
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_words_are_cut_out_at_character_boundaries() {
        let text = "质量管理体系 要求";
        let start = text.find("管理").expect("there");
        let pieces = highlighted(text, &[(start, start + "管理".len())]);
        let found: Vec<(&str, bool)> = pieces
            .iter()
            .map(|p| (p["text"].as_str().unwrap_or_default(), p["found"] == true))
            .collect();
        assert_eq!(
            found,
            [("质量", false), ("管理", true), ("体系 要求", false)]
        );
        // A span that does not fall on character boundaries is left out, not a panic.
        assert_eq!(highlighted(text, &[(1, 2)]).len(), 1);
    }

    #[test]
    fn an_edit_keeps_what_the_form_does_not_show() {
        let stored = Concept {
            languages: vec![LangSection {
                lang: "en".into(),
                terms: vec![Term {
                    text: "quality".into(),
                    context: Some("quality of a product".into()),
                    ..Term::default()
                }],
                ..LangSection::default()
            }],
            ..Concept::default()
        };
        let mut fields = std::collections::HashMap::new();
        for (name, value) in [
            ("lang_0", "en"),
            ("text_0", "quality"),
            ("status_0", "deprecated"),
            ("lang_1", "zh"),
            ("text_1", "质量"),
            ("status_1", "preferred"),
            ("lang_2", "en"),
            ("text_2", ""),
        ] {
            fields.insert(name.to_owned(), value.to_owned());
        }
        let sections = edited_sections(&stored, &PageForm(fields));
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].terms[0].status, TermStatus::Deprecated);
        assert_eq!(
            sections[0].terms[0].context.as_deref(),
            Some("quality of a product")
        );
        assert_eq!(sections[1].terms[0].text, "质量");
    }
}
