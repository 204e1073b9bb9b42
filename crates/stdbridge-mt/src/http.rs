//! JSON over HTTP with timeouts, retries with exponential backoff (honouring
//! `Retry-After` on 429 and 503), and errors that name the engine and endpoint. Keys go in
//! headers and are never logged or shown.

use std::time::Duration;

use serde_json::Value;

use crate::engine::EngineError;

/// How to call an HTTP engine.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Time for one request, connection included.
    pub timeout: Duration,
    /// Tries in all (1 = no retry).
    pub attempts: u32,
    /// Wait before the first retry; doubled each time.
    pub backoff: Duration,
    /// Longest wait a `Retry-After` may ask for.
    pub max_wait: Duration,
}

impl Default for HttpOptions {
    fn default() -> HttpOptions {
        HttpOptions {
            timeout: Duration::from_secs(60),
            attempts: 4,
            backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(30),
        }
    }
}

/// A JSON client for one engine.
#[derive(Clone)]
pub struct JsonClient {
    engine: String,
    client: reqwest::Client,
    options: HttpOptions,
}

impl std::fmt::Debug for JsonClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonClient")
            .field("engine", &self.engine)
            .field("options", &self.options)
            .finish()
    }
}

impl JsonClient {
    /// A client for engine `engine`.
    pub fn new(engine: &str, options: HttpOptions) -> Result<JsonClient, EngineError> {
        let client = reqwest::Client::builder()
            .timeout(options.timeout)
            .build()
            .map_err(|e| {
                EngineError::Config(format!("{engine}: cannot make an HTTP client: {e}"))
            })?;
        Ok(JsonClient {
            engine: engine.to_string(),
            client,
            options,
        })
    }

    /// POSTs `body` as JSON to `url` with `headers`, and returns the JSON answer.
    pub async fn post(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &Value,
    ) -> Result<Value, EngineError> {
        let mut wait = self.options.backoff;
        let mut last = String::new();
        for attempt in 1..=self.options.attempts.max(1) {
            let mut request = self.client.post(url).json(body);
            for (name, value) in headers {
                request = request.header(*name, value);
            }
            match request.send().await {
                Err(error) => {
                    last = if error.is_timeout() {
                        format!("no answer within {:?}", self.options.timeout)
                    } else {
                        format!("cannot connect ({})", without_url(&error))
                    };
                }
                Ok(response) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let text = match response.text().await {
                        Ok(text) => text,
                        Err(error) => {
                            last = format!("the answer was cut off ({})", without_url(&error));
                            self.pause(attempt, &mut wait, None).await;
                            continue;
                        }
                    };
                    if status.is_success() {
                        return serde_json::from_str(&text).map_err(|error| {
                            EngineError::Malformed {
                                engine: self.engine.clone(),
                                url: url.to_string(),
                                message: error.to_string(),
                                body: snippet(&text),
                            }
                        });
                    }
                    if status.as_u16() == 429 || status.is_server_error() {
                        last = format!(
                            "HTTP {}{}",
                            status.as_u16(),
                            if status.as_u16() == 429 {
                                " (rate limited)"
                            } else {
                                ""
                            }
                        );
                        tracing::warn!(engine = %self.engine, %url, attempt, status = status.as_u16(), "retrying");
                        self.pause(attempt, &mut wait, retry_after).await;
                        continue;
                    }
                    return Err(EngineError::Refused {
                        engine: self.engine.clone(),
                        url: url.to_string(),
                        status: status.as_u16(),
                        body: snippet(&text),
                    });
                }
            }
            tracing::warn!(engine = %self.engine, %url, attempt, problem = %last, "retrying");
            self.pause(attempt, &mut wait, None).await;
        }
        Err(EngineError::Unreachable {
            engine: self.engine.clone(),
            url: url.to_string(),
            message: last,
            attempts: self.options.attempts.max(1),
        })
    }

    async fn pause(&self, attempt: u32, wait: &mut Duration, asked: Option<Duration>) {
        if attempt >= self.options.attempts {
            return;
        }
        let delay = asked.unwrap_or(*wait).min(self.options.max_wait);
        tokio::time::sleep(delay).await;
        *wait = (*wait * 2).min(self.options.max_wait);
    }
}

/// An error's text without the URL (which may carry a key in its query).
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "the endpoint");
    }
    text
}

/// The start of an answer, for error messages.
fn snippet(text: &str) -> String {
    text.chars().take(200).collect()
}
