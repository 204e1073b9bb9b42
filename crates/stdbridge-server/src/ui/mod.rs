//! The web UI: server-rendered pages in English and Chinese (templates and assets are
//! compiled into the binary, nothing comes from a CDN) over the same library calls as
//! the API — search with facets, a standard's page, countries by region, a country's
//! overview, and analytics with charts drawn on the server.

/// The value of a result whose error is the answer to give (a redirect to sign in, a
/// refused form, a missing page): returns that answer from the handler.
macro_rules! or_return {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(answer) => return *answer,
        }
    };
}

mod account;
mod charts;
mod forms;
mod i18n;
mod pages;
mod resources;
mod tools;

use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use minijinja::Environment;
use rust_embed::Embed;

pub use i18n::{Catalogues, Lang};

use crate::AppState;

/// Templates, message catalogues and assets, embedded at build time.
#[derive(Embed)]
#[folder = "ui/"]
struct Files;

/// The compiled templates and the message catalogues.
pub struct Ui {
    templates: Environment<'static>,
    catalogues: Catalogues,
}

impl Ui {
    /// Loads the embedded templates and catalogues.
    pub fn load() -> Result<Ui, String> {
        let mut templates = Environment::new();
        templates.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        for name in Files::iter().filter(|name| name.starts_with("templates/")) {
            let Some(file) = Files::get(&name) else {
                continue;
            };
            let text = String::from_utf8(file.data.into_owned())
                .map_err(|_| format!("{name}: not UTF-8"))?;
            let short = name.trim_start_matches("templates/").to_owned();
            templates
                .add_template_owned(short, text)
                .map_err(|e| format!("{name}: {e}"))?;
        }
        let catalogues = Catalogues::load(|name| Files::get(name).map(|f| f.data.into_owned()))?;
        Ok(Ui {
            templates,
            catalogues,
        })
    }

    /// The catalogues.
    pub fn catalogues(&self) -> &Catalogues {
        &self.catalogues
    }
}

/// The routes of the UI.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(pages::search))
        .route("/standards/{*designation}", get(pages::standard))
        .route("/countries", get(pages::countries))
        .route("/countries/{code}", get(pages::country))
        .route("/analytics", get(pages::analytics))
        .route("/analytics/{dataset}", get(pages::analytics_csv))
        .route("/assets/{file}", get(asset))
        .route(
            "/sign-in",
            get(account::sign_in_page).post(account::sign_in),
        )
        .route("/sign-out", post(account::sign_out))
        .route("/account", get(account::account))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route(
            "/memories",
            get(resources::memory_list).post(resources::memory_create),
        )
        .route("/memories/{id}", get(resources::memory_page))
        .route("/memories/{id}/sharing", post(resources::memory_share))
        .route("/memories/{id}/delete", post(resources::memory_delete))
        .route(
            "/termbases",
            get(resources::termbase_list).post(resources::termbase_create),
        )
        .route("/termbases/{id}", get(resources::termbase_page))
        .route("/termbases/{id}/sharing", post(resources::termbase_share))
        .route("/termbases/{id}/concepts", post(resources::concept_add))
        .route(
            "/termbases/{id}/concepts/{key}",
            get(resources::concept_edit).post(resources::concept_save),
        )
        .route(
            "/termbases/{id}/concepts/{key}/status",
            post(resources::term_status),
        )
        .route("/segment", get(tools::segment_page).post(tools::segment))
        .route(
            "/translate",
            get(tools::translate_page).post(tools::translate),
        )
}

/// An embedded asset (style sheet, script).
async fn asset(crate::extract::PathText(file): crate::extract::PathText) -> Response {
    let Some(found) = Files::get(&format!("assets/{file}")) else {
        return crate::ApiError::not_found(&format!("no asset {file:?}")).into_response();
    };
    let media_type = match file.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    (
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        found.data.into_owned(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(lang: Lang) -> Vec<String> {
        let ui = Ui::load().expect("the embedded UI loads");
        let mut keys: Vec<String> = ui
            .catalogues()
            .of(lang)
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    #[test]
    fn both_catalogues_have_the_same_messages() {
        assert_eq!(keys(Lang::En), keys(Lang::Zh));
    }

    /// Every `m.key` a template uses is in the catalogues.
    #[test]
    fn every_label_a_template_uses_is_translated() {
        let known = keys(Lang::En);
        for name in Files::iter().filter(|n| n.starts_with("templates/")) {
            let file = Files::get(&name).expect("embedded");
            let text = String::from_utf8_lossy(&file.data).into_owned();
            for (at, _) in text.match_indices("m.") {
                let before = text[..at].chars().last();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let key: String = text[at + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                assert!(known.contains(&key), "{name}: m.{key} is in no catalogue");
            }
        }
    }

    /// Values shown through a prefixed key (`status_…`, `type_…`) have their message.
    #[test]
    fn every_status_type_scope_and_relation_has_a_label() {
        use stdbridge_app::model::{DocType, RelationKind, Scope, Status};
        let known = keys(Lang::Zh);
        let name = |value: serde_json::Value| value.as_str().unwrap_or_default().to_owned();
        let mut wanted = Vec::new();
        for status in [
            Status::Published,
            Status::Confirmed,
            Status::UnderDevelopment,
            Status::Replaced,
            Status::Withdrawn,
            Status::Upcoming,
        ] {
            wanted.push(format!("status_{}", status.as_str()));
        }
        for scope in [
            Scope::International,
            Scope::Regional,
            Scope::National,
            Scope::Sector,
            Scope::Group,
            Scope::Local,
        ] {
            wanted.push(format!("scope_{}", name(serde_json::json!(scope))));
        }
        for doc_type in [
            DocType::Standard,
            DocType::TechnicalSpecification,
            DocType::TechnicalReport,
            DocType::PubliclyAvailableSpecification,
            DocType::Guide,
            DocType::Amendment,
            DocType::Corrigendum,
            DocType::Supplement,
            DocType::Recommendation,
            DocType::WorkshopAgreement,
            DocType::Directive,
            DocType::GuidanceDocument,
            DocType::Rules,
            DocType::Other,
        ] {
            wanted.push(format!("type_{}", name(serde_json::json!(doc_type))));
        }
        for text in [
            "replaces",
            "replaced-by",
            "amends",
            "amended-by",
            "corrects",
            "corrected-by",
            "part-of",
            "adopts",
            "adopted-by",
            "equivalent",
            "normative-reference",
            "mutual-recognition",
            "has-edition",
        ] {
            let kind = RelationKind::parse(text).expect("a relation kind");
            wanted.push(format!("relation_{}", kind.as_str()));
        }
        for key in wanted {
            assert!(known.contains(&key), "no message {key}");
        }
    }
}
