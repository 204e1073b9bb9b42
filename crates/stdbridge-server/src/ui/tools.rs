//! The translation tools: segmentation (sentences by SRX, Chinese words, the user's own
//! dictionary and termbase terms kept whole) and quick translation (memories first, then the engine with the terms
//! enforced, and the term check). Both work as plain forms; the translation page's script
//! streams long texts sentence by sentence from the API instead.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde_json::{Value, json};
use stdbridge_app::mt::{self, TextRequest};
use stdbridge_app::segmentation::{self, SegmentRequest};
use stdbridge_app::{memories, termbases};

use super::account::{signed_in, signed_in_form};
use super::forms::PageForm;
use super::pages::Page;
use crate::extract::QueryParams;
use crate::translate::MAX_TRANSLATE_TEXT;
use crate::{AppState, Who};

/// The languages the tools offer, as (tag, message key).
const LANGUAGES: [(&str, &str); 2] = [("zh-CN", "lang_zh"), ("en", "lang_en")];

impl Page<'_> {
    fn language_choices(&self) -> Vec<Value> {
        LANGUAGES
            .iter()
            .map(|(tag, key)| json!({"value": tag, "label": self.text(key)}))
            .collect()
    }

    /// The names of the memories or termbases the user may read, marked when `chosen`.
    async fn collection_choices(&self, termbase: bool, chosen: &[String]) -> Vec<Value> {
        let listed = if termbase {
            termbases::list(&self.state.app, &self.who).await
        } else {
            memories::list(&self.state.app, &self.who).await
        };
        listed
            .unwrap_or_default()
            .into_iter()
            .map(|c| json!({"name": c.name, "chosen": chosen.contains(&c.name), "entries": c.entries}))
            .collect()
    }
}

/// The names of the checked boxes named `PREFIX` + name (`tm:tico19=on`), sorted.
fn chosen(form: &PageForm, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = form
        .0
        .iter()
        .filter(|(name, value)| name.starts_with(prefix) && value.as_str() == "on")
        .map(|(name, _)| name[prefix.len()..].to_owned())
        .collect();
    names.sort();
    names
}

/// The segmentation form.
pub async fn segment_page(
    State(state): State<Arc<AppState>>,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
) -> Response {
    let page = or_return!(signed_in(&state, who, &values, &headers, &uri));
    segment_view(&page, &PageForm::default(), None, None).await
}

async fn segment_view(
    page: &Page<'_>,
    form: &PageForm,
    result: Option<Value>,
    dictionary_note: Option<Value>,
) -> Response {
    let termbases = chosen(form, "tb:");
    let text_lang = Some(form.field("text_lang"))
        .filter(|l| !l.is_empty())
        .unwrap_or("zh-CN");
    let my_words = segmentation::my_words(&page.state.app, &page.who)
        .await
        .unwrap_or_default();
    page.render(
        "segment.html",
        "segment",
        json!({
            "text": form.raw("text"),
            "text_lang": text_lang,
            "words": form.field("words") == "on" || form.0.is_empty(),
            "languages": page.language_choices(),
            "termbases": page.collection_choices(true, &termbases).await,
            "result": result,
            "my_words": my_words,
            "dictionary_note": dictionary_note,
        }),
    )
}

/// What the dictionary part of the form asked: a word added (`action=add-word`, or a word
/// in its field) or taken out (`remove-word=WORD`); the note to show, an error in it if
/// it failed.
async fn change_dictionary(page: &Page<'_>, form: &PageForm) -> Option<Value> {
    let app = &page.state.app;
    // A word typed in the field is added whichever button sent the form (Enter in the
    // field sends it with the first one, Segment).
    let adding = form.field("action") == "add-word" || !form.field("word").trim().is_empty();
    let (done, key, word) = if adding {
        let word = form.field("word");
        (
            segmentation::add_word(app, &page.who, word).await,
            "note_word_added",
            word,
        )
    } else if !form.field("remove-word").is_empty() {
        let word = form.field("remove-word");
        (
            segmentation::remove_word(app, &page.who, word).await,
            "note_word_removed",
            word,
        )
    } else {
        return None;
    };
    Some(match done {
        Ok(_) => json!({"text": page.text(key).replace("{word}", word.trim())}),
        Err(error) => json!({"error": error.to_string()}),
    })
}

/// Segments the form's text and shows its sentences and words, after adding a word to
/// the user's dictionary or taking one out when a dictionary button sent the form.
pub async fn segment(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
    form: PageForm,
) -> Response {
    let page = or_return!(signed_in_form(&state, who, &form, &headers, &uri));
    let dictionary_note = change_dictionary(&page, &form).await;
    let request = SegmentRequest {
        text: form.raw("text").to_owned(),
        lang: Some(form.field("text_lang"))
            .filter(|l| !l.is_empty())
            .unwrap_or("zh-CN")
            .to_owned(),
        words: form.field("words") == "on",
        termbases: chosen(&form, "tb:"),
        ..SegmentRequest::default()
    };
    let result = if request.text.trim().is_empty() {
        None
    } else if request.text.chars().count() > MAX_TRANSLATE_TEXT {
        Some(json!({"error": format!("{} ({MAX_TRANSLATE_TEXT})", page.text("text_too_long"))}))
    } else {
        Some(
            match segmentation::segment(&state.app, &page.who, request).await {
                Ok(sentences) => json!({"sentences": sentences}),
                Err(error) => json!({"error": error.to_string()}),
            },
        )
    };
    segment_view(&page, &form, result, dictionary_note).await
}

/// The quick translation form.
pub async fn translate_page(
    State(state): State<Arc<AppState>>,
    QueryParams(values): QueryParams,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
) -> Response {
    let page = or_return!(signed_in(&state, who, &values, &headers, &uri));
    translate_view(&page, &PageForm::default(), None).await
}

async fn translate_view(page: &Page<'_>, form: &PageForm, result: Option<Value>) -> Response {
    let fresh = form.0.is_empty();
    let memories_chosen = chosen(form, "tm:");
    let termbases_chosen = chosen(form, "tb:");
    let mut memory_choices = page.collection_choices(false, &memories_chosen).await;
    let mut termbase_choices = page.collection_choices(true, &termbases_chosen).await;
    if fresh {
        // A first visit uses everything the user may read.
        for choice in memory_choices.iter_mut().chain(termbase_choices.iter_mut()) {
            choice["chosen"] = json!(true);
        }
    }
    let engines: Vec<Value> = mt::engines(&page.state.app, &page.who)
        .unwrap_or_default()
        .into_iter()
        .map(|e| {
            let label = page.text(&format!("engine_{}", e.kind));
            json!({"value": e.engine, "label": format!("{label} ({})", e.engine)})
        })
        .collect();
    let engine = Some(form.field("engine"))
        .filter(|e| !e.is_empty())
        .unwrap_or("pseudo");
    page.render(
        "translate.html",
        "translate",
        json!({
            "text": form.raw("text"),
            "from": Some(form.field("from")).filter(|l| !l.is_empty()).unwrap_or("zh-CN"),
            "to": Some(form.field("to")).filter(|l| !l.is_empty()).unwrap_or("en"),
            "engine": engine,
            "min_score": Some(form.field("min_score")).filter(|s| !s.is_empty()).unwrap_or("75"),
            "languages": page.language_choices(),
            "memories": memory_choices,
            "termbases": termbase_choices,
            "engines": engines,
            "result": result,
        }),
    )
}

/// Translates the form's text and shows each sentence with where its translation came
/// from, the terms it holds and the term check.
pub async fn translate(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Who(who): Who,
    uri: Uri,
    form: PageForm,
) -> Response {
    let page = or_return!(signed_in_form(&state, who, &form, &headers, &uri));
    let text = form.raw("text");
    let result = if text.chars().count() > MAX_TRANSLATE_TEXT {
        json!({"error": format!("{} ({MAX_TRANSLATE_TEXT})", page.text("text_too_long"))})
    } else {
        let request = TextRequest {
            text: text.to_owned(),
            from: Some(form.field("from"))
                .filter(|l| !l.is_empty())
                .unwrap_or("zh-CN")
                .to_owned(),
            to: Some(form.field("to"))
                .filter(|l| !l.is_empty())
                .unwrap_or("en")
                .to_owned(),
            memories: chosen(&form, "tm:"),
            termbases: chosen(&form, "tb:"),
            engine: Some(form.field("engine"))
                .filter(|e| !e.is_empty())
                .unwrap_or("pseudo")
                .to_owned(),
            min_score: form.field("min_score").parse::<u8>().unwrap_or(75).min(100),
        };
        match mt::translate_text(&state.app, &page.who, request).await {
            Ok(sentences) => json!({"sentences": sentences}),
            Err(error) => json!({"error": error.to_string()}),
        }
    };
    translate_view(&page, &form, Some(result)).await
}
