//! HTTP engines: LibreTranslate's `/translate`, an OpenAI-compatible
//! `/v1/chat/completions` (any local LLM server), and DeepL's `/v2/translate`. Codes and
//! required terms travel as tags (`markup`); an LLM gets the terms in its prompt and, when
//! its answer lacks one, is asked again with the terms as placeholders.

use serde_json::{Value, json};
use stdbridge_content::Content;
use stdbridge_content::model::plain_text;

use crate::engine::{EngineError, EngineFuture, EngineRequest, EngineSegment, TranslationEngine};
use crate::http::{HttpOptions, JsonClient};
use crate::markup::{from_tagged, to_tagged};
use crate::terms;

/// The primary language subtag, lower case: `zh-CN` → `zh`.
fn primary(lang: &str) -> String {
    lang.split(['-', '_'])
        .next()
        .unwrap_or(lang)
        .to_ascii_lowercase()
}

fn malformed(engine: &str, url: &str, message: &str, answer: &Value) -> EngineError {
    EngineError::Malformed {
        engine: engine.to_string(),
        url: url.to_string(),
        message: message.to_string(),
        body: answer.to_string().chars().take(200).collect(),
    }
}

/// The engine's list of translated texts as content, checked against the request: one
/// translation per segment, tags back into codes and terms.
fn contents(
    engine: &str,
    url: &str,
    answer: &Value,
    translated: Option<Vec<String>>,
    what: &str,
    request: &EngineRequest<'_>,
) -> Result<Vec<Content>, EngineError> {
    let translated = translated.ok_or_else(|| malformed(engine, url, what, answer))?;
    if translated.len() != request.segments.len() {
        let message = format!(
            "{} translations for {} segments",
            translated.len(),
            request.segments.len()
        );
        return Err(malformed(engine, url, &message, answer));
    }
    Ok(translated
        .iter()
        .zip(request.segments)
        .map(|(t, s)| from_tagged(t, &s.terms))
        .collect())
}

/// LibreTranslate (self-hosted or public): `POST {url}/translate`, HTML format so tags
/// survive, one request per batch.
pub struct LibreTranslate {
    url: String,
    key: Option<String>,
    client: JsonClient,
}

impl LibreTranslate {
    /// An engine at `url` (the server's root), with an API key when the server wants one.
    pub fn new(
        url: &str,
        key: Option<String>,
        options: HttpOptions,
    ) -> Result<LibreTranslate, EngineError> {
        Ok(LibreTranslate {
            url: url.trim_end_matches('/').to_string(),
            key,
            client: JsonClient::new("libretranslate", options)?,
        })
    }

    async fn run(&self, request: EngineRequest<'_>) -> Result<Vec<Content>, EngineError> {
        let texts: Vec<String> = request
            .segments
            .iter()
            .map(|s| to_tagged(&s.content, &s.terms, true))
            .collect();
        let mut body = json!({"q": texts, "source": primary(request.source_lang), "target": primary(request.target_lang), "format": "html"});
        if let Some(key) = &self.key {
            body["api_key"] = json!(key);
        }
        let url = format!("{}/translate", self.url);
        let answer = self.client.post(&url, &[], &body).await?;
        let translated = match &answer["translatedText"] {
            Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>(),
            Value::String(one) if texts.len() == 1 => Some(vec![one.clone()]),
            _ => None,
        };
        contents(
            "libretranslate",
            &url,
            &answer,
            translated,
            "no translatedText list",
            &request,
        )
    }
}

impl TranslationEngine for LibreTranslate {
    fn name(&self) -> &str {
        "libretranslate"
    }

    fn model(&self) -> String {
        self.url.clone()
    }

    fn translate<'a>(&'a self, request: EngineRequest<'a>) -> EngineFuture<'a> {
        Box::pin(async move { Ok(self.run(request).await?.into_iter().map(Some).collect()) })
    }
}

/// DeepL's API: `POST {url}/v2/translate` with `tag_handling=xml`, the key in the
/// `Authorization` header.
pub struct DeepL {
    url: String,
    key: String,
    client: JsonClient,
}

impl DeepL {
    /// An engine with `key`; `url` defaults to the free API for keys ending in `:fx`, else
    /// the paid one.
    pub fn new(url: Option<&str>, key: String, options: HttpOptions) -> Result<DeepL, EngineError> {
        let default = if key.ends_with(":fx") {
            "https://api-free.deepl.com"
        } else {
            "https://api.deepl.com"
        };
        let url = url.unwrap_or(default).trim_end_matches('/').to_string();
        Ok(DeepL {
            url,
            key,
            client: JsonClient::new("deepl", options)?,
        })
    }

    /// DeepL's code for a target language: English and Portuguese need a variant.
    fn target_code(lang: &str) -> String {
        let upper = lang.replace('_', "-").to_ascii_uppercase();
        match upper.as_str() {
            "EN" => "EN-US".to_string(),
            "PT" => "PT-PT".to_string(),
            "ZH-CN" | "ZH-HANS" => "ZH-HANS".to_string(),
            "ZH-TW" | "ZH-HANT" => "ZH-HANT".to_string(),
            other => other.to_string(),
        }
    }

    async fn run(&self, request: EngineRequest<'_>) -> Result<Vec<Content>, EngineError> {
        let texts: Vec<String> = request
            .segments
            .iter()
            .map(|s| to_tagged(&s.content, &s.terms, true))
            .collect();
        let body = json!({
            "text": texts,
            "source_lang": primary(request.source_lang).to_ascii_uppercase(),
            "target_lang": DeepL::target_code(request.target_lang),
            "tag_handling": "xml",
            "ignore_tags": ["x", "t"],
        });
        let url = format!("{}/v2/translate", self.url);
        let headers = [("Authorization", format!("DeepL-Auth-Key {}", self.key))];
        let answer = self.client.post(&url, &headers, &body).await?;
        let translated = answer["translations"].as_array().and_then(|items| {
            items
                .iter()
                .map(|t| t["text"].as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        });
        contents(
            "deepl",
            &url,
            &answer,
            translated,
            "no translations[].text",
            &request,
        )
    }
}

impl TranslationEngine for DeepL {
    fn name(&self) -> &str {
        "deepl"
    }

    fn model(&self) -> String {
        self.url.clone()
    }

    fn translate<'a>(&'a self, request: EngineRequest<'a>) -> EngineFuture<'a> {
        Box::pin(async move { Ok(self.run(request).await?.into_iter().map(Some).collect()) })
    }
}

/// Any server with OpenAI's chat completions API (llama.cpp, vLLM, Ollama, LM Studio…):
/// one request per segment, temperature 0, the termbase's terms in the prompt.
pub struct OpenAiChat {
    url: String,
    model: String,
    key: Option<String>,
    client: JsonClient,
}

impl OpenAiChat {
    /// An engine at `url` (its root or the full `/v1/chat/completions` address) using
    /// `model`.
    pub fn new(
        url: &str,
        model: &str,
        key: Option<String>,
        options: HttpOptions,
    ) -> Result<OpenAiChat, EngineError> {
        let root = url.trim_end_matches('/');
        let url = if root.ends_with("/chat/completions") {
            root.to_string()
        } else if root.ends_with("/v1") {
            format!("{root}/chat/completions")
        } else {
            format!("{root}/v1/chat/completions")
        };
        Ok(OpenAiChat {
            url,
            model: model.to_string(),
            key,
            client: JsonClient::new("openai", options)?,
        })
    }

    /// The instructions: a standards translator, the tags kept, the terms imposed.
    pub fn prompt(
        source_lang: &str,
        target_lang: &str,
        segment: &EngineSegment,
        placeholders: bool,
    ) -> String {
        let mut prompt = format!(
            "You translate standards from {source_lang} to {target_lang}. Keep every tag such as <g id=\"1\">…</g>, <x id=\"2\"/> and <t id=\"0\"/> exactly as it is, around the words it belongs to. Keep numbers and designations. Answer with the translation only."
        );
        if !segment.terms.is_empty() && !placeholders {
            prompt.push_str(" Use these terms:");
            for term in &segment.terms {
                prompt.push_str(&format!(" {} → {};", term.source, term.target));
            }
        }
        prompt
    }

    async fn one(
        &self,
        request: EngineRequest<'_>,
        segment: &EngineSegment,
        placeholders: bool,
    ) -> Result<Content, EngineError> {
        let body = json!({
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": OpenAiChat::prompt(request.source_lang, request.target_lang, segment, placeholders)},
                {"role": "user", "content": to_tagged(&segment.content, &segment.terms, placeholders)},
            ],
        });
        let headers: Vec<(&str, String)> = self
            .key
            .iter()
            .map(|k| ("Authorization", format!("Bearer {k}")))
            .collect();
        let answer = self.client.post(&self.url, &headers, &body).await?;
        let text = answer["choices"][0]["message"]["content"]
            .as_str()
            .ok_or_else(|| {
                malformed(
                    "openai",
                    &self.url,
                    "no choices[0].message.content",
                    &answer,
                )
            })?;
        Ok(from_tagged(text.trim(), &segment.terms))
    }

    async fn run(&self, request: EngineRequest<'_>) -> Result<Vec<Content>, EngineError> {
        let mut out = Vec::with_capacity(request.segments.len());
        for segment in request.segments {
            let mut content = self.one(request, segment, false).await?;
            if !terms::check(&plain_text(&content), &segment.terms).is_empty() {
                content = self.one(request, segment, true).await?;
            }
            out.push(content);
        }
        Ok(out)
    }
}

impl TranslationEngine for OpenAiChat {
    fn name(&self) -> &str {
        "openai"
    }

    fn model(&self) -> String {
        format!("{}#{}", self.url, self.model)
    }

    fn translate<'a>(&'a self, request: EngineRequest<'a>) -> EngineFuture<'a> {
        Box::pin(async move { Ok(self.run(request).await?.into_iter().map(Some).collect()) })
    }
}
