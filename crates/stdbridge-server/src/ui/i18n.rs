//! The UI's languages: message catalogues (one JSON file per language, the same keys in
//! each), the language of a request (`?lang=`, else `Accept-Language`, else English) and
//! the link that switches to the other language.

use std::collections::BTreeMap;

use axum::http::{HeaderMap, Uri, header};
use serde_json::Value;

/// A language of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Every language of the UI.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The language's code (`en`, `zh`), as in URLs and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language a code names (`zh`, `zh-CN`, `en-GB`…), if the UI has it.
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    /// The language of a request: the `lang` parameter, else the best of
    /// `Accept-Language` the UI has, else English.
    pub fn of_request(param: Option<&str>, headers: &HeaderMap) -> Lang {
        if let Some(lang) = param.and_then(Lang::parse) {
            return lang;
        }
        let accepted = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        accept_language::parse(accepted)
            .iter()
            .find_map(|tag| Lang::parse(tag))
            .unwrap_or(Lang::En)
    }
}

/// The message catalogues, by language.
pub struct Catalogues {
    messages: BTreeMap<&'static str, Value>,
}

impl Catalogues {
    /// Reads the embedded catalogues; fails naming the file that is not a JSON object of
    /// texts.
    pub fn load(read: impl Fn(&str) -> Option<Vec<u8>>) -> Result<Catalogues, String> {
        let mut messages = BTreeMap::new();
        for lang in Lang::ALL {
            let name = format!("messages/{}.json", lang.code());
            let bytes = read(&name).ok_or_else(|| format!("{name}: missing"))?;
            let value: Value =
                serde_json::from_slice(&bytes).map_err(|e| format!("{name}: {e}"))?;
            let all_text = value
                .as_object()
                .is_some_and(|map| map.values().all(Value::is_string));
            if !all_text {
                return Err(format!("{name}: not an object of texts"));
            }
            messages.insert(lang.code(), value);
        }
        Ok(Catalogues { messages })
    }

    /// The messages of one language.
    pub fn of(&self, lang: Lang) -> &Value {
        &self.messages[lang.code()]
    }

    /// One message (the key itself if it is missing, which a test rules out).
    pub fn text(&self, lang: Lang, key: &str) -> String {
        self.of(lang)
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or(key)
            .to_owned()
    }
}

/// The same URL with `lang` set to `lang`.
pub fn with_lang(uri: &Uri, lang: Lang) -> String {
    let mut pairs: Vec<(String, String)> = uri
        .query()
        .map(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .filter(|(name, _)| name != "lang")
                .collect()
        })
        .unwrap_or_default();
    pairs.push(("lang".to_owned(), lang.code().to_owned()));
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{}?{query}", uri.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parameter_wins_then_accept_language_then_english() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            "fr-CH, zh-CN;q=0.8, en;q=0.5".parse().expect("header"),
        );
        assert_eq!(Lang::of_request(None, &headers), Lang::Zh);
        assert_eq!(Lang::of_request(Some("en"), &headers), Lang::En);
        assert_eq!(Lang::of_request(Some("xx"), &headers), Lang::Zh);
        assert_eq!(Lang::of_request(None, &HeaderMap::new()), Lang::En);
    }

    #[test]
    fn the_switch_keeps_every_other_parameter() {
        let uri: Uri = "/?q=quality%20body%3AISO&page=2&lang=en"
            .parse()
            .expect("uri");
        assert_eq!(
            with_lang(&uri, Lang::Zh),
            "/?q=quality+body%3AISO&page=2&lang=zh"
        );
    }
}
