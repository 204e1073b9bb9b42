//! The HTTP engines against local servers on loopback that speak each documented wire
//! format: translations with codes and required terms, retries on 429, timeouts and
//! malformed answers reported clearly.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use stdbridge_content::Item;
use stdbridge_content::model::{marked, plain_text};
use stdbridge_mt::engines::{DeepL, LibreTranslate, OpenAiChat};
use stdbridge_mt::http::HttpOptions;
use stdbridge_mt::{EngineError, EngineRequest, EngineSegment, TermConstraint, TranslationEngine};

/// 集装箱{1}应{/1}符合本标准。 with the terms 集装箱 → freight container and 应 → shall.
fn segment() -> EngineSegment {
    EngineSegment {
        content: vec![
            Item::Text("集装箱".into()),
            Item::Open(1),
            Item::Text("应".into()),
            Item::Close(1),
            Item::Text("符合本标准。".into()),
        ],
        terms: vec![
            TermConstraint {
                source: "集装箱".into(),
                target: "freight container".into(),
                forbidden: vec!["box".into()],
            },
            TermConstraint {
                source: "应".into(),
                target: "shall".into(),
                forbidden: Vec::new(),
            },
        ],
    }
}

/// What a fake engine answers for tagged text: its tags in order, with English words.
fn fake_translation(tagged: &str) -> String {
    let mut out = String::from("The");
    let mut rest = tagged;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + end + 1];
        // An HTML-minded engine writes empty elements out in full.
        out.push(' ');
        out.push_str(
            &tag.replace("/>", "></x>")
                .replace("<t id=\"0\"></x>", "<t id=\"0\"></t>")
                .replace("<t id=\"1\"></x>", "<t id=\"1\"></t>"),
        );
        rest = &rest[start + end + 1..];
    }
    out.push_str(" comply with this standard.");
    out
}

fn fast() -> HttpOptions {
    HttpOptions {
        timeout: Duration::from_millis(500),
        attempts: 3,
        backoff: Duration::from_millis(10),
        max_wait: Duration::from_millis(50),
    }
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await.ok() });
    format!("http://{addr}")
}

fn request(segments: &[EngineSegment]) -> EngineRequest<'_> {
    EngineRequest {
        source_lang: "zh-CN",
        target_lang: "en",
        segments,
    }
}

#[tokio::test]
async fn libretranslate_keeps_codes_and_terms_and_retries_on_429() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let router = Router::new().route(
        "/translate",
        post(move |Json(body): Json<Value>| {
            let seen = seen.clone();
            async move {
                if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                    return (
                        StatusCode::TOO_MANY_REQUESTS,
                        [("retry-after", "0")],
                        "slow down",
                    )
                        .into_response();
                }
                assert_eq!(
                    (
                        body["source"].as_str(),
                        body["target"].as_str(),
                        body["format"].as_str()
                    ),
                    (Some("zh"), Some("en"), Some("html"))
                );
                let texts: Vec<String> = body["q"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|q| q.as_str())
                    .map(fake_translation)
                    .collect();
                Json(json!({"translatedText": texts})).into_response()
            }
        }),
    );
    let url = serve(router).await;
    let engine = LibreTranslate::new(&url, None, fast()).expect("engine");
    let segments = vec![segment()];
    let out = engine
        .translate(request(&segments))
        .await
        .expect("translates")
        .into_iter()
        .map(|t| t.expect("every segment translated"))
        .collect::<Vec<_>>();
    assert_eq!(calls.load(Ordering::SeqCst), 2, "retried once after 429");
    assert_eq!(
        marked(&out[0]),
        "The freight container {1} shall {/1} comply with this standard."
    );
}

#[tokio::test]
async fn deepl_sends_its_key_and_tag_handling() {
    let router = Router::new().route(
        "/v2/translate",
        post(|headers: HeaderMap, Json(body): Json<Value>| async move {
            if headers.get("authorization").and_then(|v| v.to_str().ok())
                != Some("DeepL-Auth-Key secret:fx")
            {
                return (StatusCode::FORBIDDEN, "bad key").into_response();
            }
            assert_eq!(
                (
                    body["tag_handling"].as_str(),
                    body["target_lang"].as_str(),
                    body["source_lang"].as_str()
                ),
                (Some("xml"), Some("EN-US"), Some("ZH"))
            );
            let texts: Vec<Value> = body["text"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str())
                .map(|t| json!({"text": fake_translation(t)}))
                .collect();
            Json(json!({"translations": texts})).into_response()
        }),
    );
    let url = serve(router).await;
    let engine = DeepL::new(Some(&url), "secret:fx".into(), fast()).expect("engine");
    let segments = vec![segment()];
    let out = engine
        .translate(request(&segments))
        .await
        .expect("translates")
        .into_iter()
        .map(|t| t.expect("every segment translated"))
        .collect::<Vec<_>>();
    let text = plain_text(&out[0]);
    assert!(
        text.contains("freight container") && text.contains("shall"),
        "{text}"
    );
    let wrong = DeepL::new(Some(&url), "wrong".into(), fast()).expect("engine");
    let error = wrong
        .translate(request(&segments))
        .await
        .expect_err("refused")
        .to_string();
    assert!(
        error.contains("deepl") && error.contains("HTTP 403") && !error.contains("wrong"),
        "the key is never shown: {error}"
    );
}

#[tokio::test]
async fn an_llm_gets_the_terms_and_is_asked_again_with_placeholders_when_it_drifts() {
    let prompts = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = prompts.clone();
    let router = Router::new().route(
        "/v1/chat/completions",
        post(move |Json(body): Json<Value>| {
            let seen = seen.clone();
            async move {
                let system = body["messages"][0]["content"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let user = body["messages"][1]["content"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                seen.lock().map(|mut p| p.push(system)).ok();
                // The model ignores the terms unless they are placeholders.
                let content = if user.contains("<t id=") {
                    fake_translation(&user)
                } else {
                    "The box <g id=\"1\">must</g> comply.".to_string()
                };
                Json(json!({"choices": [{"message": {"role": "assistant", "content": content}}]}))
            }
        }),
    );
    let url = serve(router).await;
    let engine = OpenAiChat::new(&url, "local-model", None, fast()).expect("engine");
    let segments = vec![segment()];
    let out = engine
        .translate(request(&segments))
        .await
        .expect("translates")
        .into_iter()
        .map(|t| t.expect("every segment translated"))
        .collect::<Vec<_>>();
    assert_eq!(
        marked(&out[0]),
        "The freight container {1} shall {/1} comply with this standard."
    );
    let prompts = prompts.lock().map(|p| p.clone()).unwrap_or_default();
    assert_eq!(prompts.len(), 2);
    assert!(
        prompts[0].contains("集装箱 → freight container;") && prompts[0].contains("应 → shall;"),
        "{}",
        prompts[0]
    );
}

#[tokio::test]
async fn timeouts_and_malformed_answers_are_reported_clearly() {
    let router = Router::new()
        .route(
            "/slow/translate",
            post(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                Json(json!({"translatedText": ["late"]}))
            }),
        )
        .route(
            "/broken/translate",
            post(|| async { Response::new(axum::body::Body::from("<html>oops</html>")) }),
        )
        .route(
            "/short/translate",
            post(|| async { Json(json!({"translatedText": []})) }),
        );
    let url = serve(router).await;
    let segments = vec![segment()];
    let slow = LibreTranslate::new(&format!("{url}/slow"), None, fast()).expect("engine");
    match slow.translate(request(&segments)).await {
        Err(EngineError::Unreachable {
            message, attempts, ..
        }) => assert!(
            message.contains("no answer within") && attempts == 3,
            "{message}"
        ),
        other => panic!("expected a timeout, got {:?}", other.map(|o| o.len())),
    }
    let broken = LibreTranslate::new(&format!("{url}/broken"), None, fast()).expect("engine");
    let error = broken
        .translate(request(&segments))
        .await
        .expect_err("malformed")
        .to_string();
    assert!(
        error.contains("not its API's JSON") && error.contains("<html>oops"),
        "{error}"
    );
    let short = LibreTranslate::new(&format!("{url}/short"), None, fast()).expect("engine");
    let error = short
        .translate(request(&segments))
        .await
        .expect_err("malformed")
        .to_string();
    assert!(error.contains("0 translations for 1 segments"), "{error}");
}

/// The built-in engine on the fixture model, in float32 and in int8: a random model's
/// words, but the codes come back balanced and in order and both required terms are in
/// the translation.
#[tokio::test(flavor = "multi_thread")]
async fn the_built_in_engine_keeps_codes_and_required_terms() {
    use stdbridge_mt::marian::Compute;
    for compute in [Compute::Float32, Compute::Int8] {
        built_in_engine_keeps_codes_and_required_terms(compute).await;
    }
}

async fn built_in_engine_keeps_codes_and_required_terms(compute: stdbridge_mt::marian::Compute) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tiny-zh-en");
    let engine = stdbridge_mt::builtin::Marian::open(&dir, compute).expect("loads");
    assert_eq!(engine.name(), "marian");
    let model = engine.model();
    assert!(
        model.contains("tiny-zh-en") && model.contains(&compute.to_string()),
        "{model}"
    );
    let long = "集装箱应符合本标准的规定。".repeat(30);
    let segments = vec![
        segment(),
        EngineSegment {
            content: vec![Item::Text(long.clone())],
            terms: Vec::new(),
        },
        EngineSegment {
            content: vec![Item::Ph(1), Item::Text("试验方法见附录A。".into())],
            terms: Vec::new(),
        },
    ];
    let out = engine
        .translate(EngineRequest {
            source_lang: "zh-CN",
            target_lang: "en",
            segments: &segments,
        })
        .await
        .expect("translates")
        .into_iter()
        .map(|t| t.expect("every segment translated"))
        .collect::<Vec<_>>();
    assert_eq!(out.len(), 3);
    let text = plain_text(&out[0]).to_lowercase();
    assert!(text.contains("shall"), "{text}");
    assert!(text.contains("freight container"), "{text}");
    let codes: Vec<&Item> = out[0]
        .iter()
        .filter(|i| !matches!(i, Item::Text(_)))
        .collect();
    assert_eq!(codes, vec![&Item::Open(1), &Item::Close(1)], "{:?}", out[0]);
    assert_eq!(
        out[2].first(),
        Some(&Item::Ph(1)),
        "a leading code stays first"
    );
    // The long segment was cut into its 30 sentences, each translated.
    let long_out = plain_text(&out[1]);
    assert!(
        long_out.split_whitespace().count() >= 30,
        "30 sentences translated: {long_out}"
    );
}
