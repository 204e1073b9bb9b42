//! Accounts and the security boundary through real HTTP: who may read and write which
//! memory, by token and by session; throttled sign-ins; CSRF on a session's writes.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use stdbridge_app::model::{Role, TokenScope};
use stdbridge_app::{Principal, accounts};

use super::{Server, start};

/// A target only the first user's memory holds: no answer to anyone else may contain it.
const SECRET: &str = "CONFIDENTIAL-TARGET-7731";

fn tmx() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="zh-CN" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="zh-CN"><seg>集装箱的最大总质量应为30480千克。</seg></tuv><tuv xml:lang="en"><seg>The maximum gross mass of the freight container shall be 30 480 kg. {SECRET}</seg></tuv></tu>
<tu><tuv xml:lang="zh-CN"><seg>本标准规定了集装箱的标记。</seg></tuv><tuv xml:lang="en"><seg>This standard specifies the marking of freight containers.</seg></tuv></tu>
</body></tmx>"#
    )
}

async fn user(server: &Server, name: &str, role: Role, password: &str) {
    accounts::add_user(
        &server.app,
        &Principal::Operator,
        name,
        None,
        role,
        Some(password),
    )
    .await
    .expect("user made");
}

async fn token(server: &Server, name: &str, scope: TokenScope) -> String {
    accounts::issue_token(&server.app, &Principal::Operator, name, scope, None)
        .await
        .expect("token issued")
        .secret
}

/// Sends a request with a bearer token (or none); status and body text.
async fn send(
    server: &Server,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> (StatusCode, String) {
    let mut request = server
        .client
        .request(method, format!("{}{path}", server.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        if body.starts_with('{') {
            request = request.header("content-type", "application/json");
        }
        request = request.body(body);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    (status, response.text().await.expect("a body"))
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Every route that reads or writes one memory, with a body where it takes one. A route
/// under /api/v1/memories that is not here fails `every_memory_route_has_a_rule`.
fn memory_routes(id: i64) -> Vec<(Method, String, Option<String>)> {
    vec![
        (Method::GET, format!("/api/v1/memories/{id}"), None),
        (Method::DELETE, format!("/api/v1/memories/{id}"), None),
        (
            Method::POST,
            format!("/api/v1/memories/{id}/import"),
            Some(tmx()),
        ),
        (
            Method::GET,
            format!("/api/v1/memories/{id}/lookup?q=集装箱的最大总质量应为30480千克"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/memories/{id}/concordance?q=集装箱"),
            None,
        ),
        (Method::GET, format!("/api/v1/memories/{id}/export"), None),
        (Method::GET, format!("/api/v1/memories/{id}/shares"), None),
        (
            Method::PUT,
            format!("/api/v1/memories/{id}/shares/{{user}}"),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/memories/{id}/shares/{{user}}"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/memories/{id}/group-shares/{{group}}"),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/memories/{id}/group-shares/{{group}}"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/memories/{id}/visibility"),
            Some(r#"{"visibility": "public"}"#.to_owned()),
        ),
    ]
}

#[tokio::test]
async fn a_private_memory_is_read_by_its_owner_and_by_no_one_else_on_any_route() {
    let server = start().await;
    user(&server, "ana", Role::Translator, "ana's long password").await;
    user(&server, "ben", Role::Translator, "ben's long password").await;
    user(&server, "rita", Role::Reader, "rita's long password").await;
    let ana = token(&server, "ana", TokenScope::Write).await;
    let ana_read = token(&server, "ana", TokenScope::Read).await;
    let ben = token(&server, "ben", TokenScope::Write).await;
    let rita = token(&server, "rita", TokenScope::Write).await;

    let new = json!({"name": "ana-tm", "source_lang": "zh-CN", "target_lang": "en", "visibility": "private"}).to_string();
    let (status, _) = send(
        &server,
        Method::POST,
        "/api/v1/memories",
        None,
        Some(new.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no credentials");
    let post_json = |token: String, body: String| {
        let server = &server;
        async move {
            let response = server
                .client
                .post(format!("{}/api/v1/memories", server.base))
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .expect("answers");
            let status = response.status();
            (status, response.text().await.expect("body"))
        }
    };
    let (status, body) = post_json(ana.clone(), new.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = json_of(&body)["id"].as_i64().expect("an id");
    let (status, body) = post_json(
        rita.clone(),
        json!({"name": "rita-tm", "source_lang": "zh-CN", "target_lang": "en"}).to_string(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a reader makes nothing: {body}"
    );
    let (status, body) = post_json(
        ana_read.clone(),
        json!({"name": "ana-2", "source_lang": "zh-CN", "target_lang": "en"}).to_string(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a read token writes nothing: {body}"
    );

    let import = format!("/api/v1/memories/{id}/import");
    let (status, body) = send(&server, Method::POST, &import, Some(&ana), Some(tmx())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json_of(&body)["inserted"], 2, "{body}");
    let (status, _) = send(&server, Method::POST, &import, Some(&ana_read), Some(tmx())).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a read token imports nothing"
    );

    let lookup = format!("/api/v1/memories/{id}/lookup?q=集装箱的最大总质量应为30480千克。");
    let (status, body) = send(&server, Method::GET, &lookup, Some(&ana_read), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let matches = json_of(&body)["matches"].clone();
    assert_eq!(matches[0]["score"], 100, "{body}");
    assert!(
        matches[0]["target"]
            .as_str()
            .is_some_and(|t| t.contains(SECRET))
    );
    let concordance = format!("/api/v1/memories/{id}/concordance?q=集装箱");
    let (status, body) = send(&server, Method::GET, &concordance, Some(&ana), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        json_of(&body)["hits"].as_array().map(Vec::len),
        Some(2),
        "{body}"
    );
    let (status, body) = send(
        &server,
        Method::GET,
        &format!("/api/v1/memories/{id}/export"),
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<tmx") && body.contains(SECRET), "{body}");

    // Nobody else learns anything: listings, every route, error messages.
    for other in [&ben, &rita] {
        let (status, body) =
            send(&server, Method::GET, "/api/v1/memories", Some(other), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!body.contains("ana-tm"), "{body}");
        for (method, path, request_body) in memory_routes(id) {
            let (status, body) =
                send(&server, method.clone(), &path, Some(other), request_body).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
            assert!(
                !body.contains(SECRET) && !body.contains("ana-tm"),
                "{method} {path}: {body}"
            );
        }
    }
    for (method, path, request_body) in memory_routes(id) {
        let (status, _) = send(&server, method.clone(), &path, None, request_body).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} without credentials"
        );
    }
    let (status, _) = send(
        &server,
        Method::GET,
        "/api/v1/memories",
        Some("sbt_forged"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a forged token");

    // The owner still has it, whole; then deletes it.
    let (status, body) = send(&server, Method::GET, &lookup, Some(&ana), None).await;
    assert!(status == StatusCode::OK && body.contains(SECRET));
    let (status, _) = send(
        &server,
        Method::DELETE,
        &format!("/api/v1/memories/{id}"),
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(
        &server,
        Method::GET,
        &format!("/api/v1/memories/{id}"),
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_memory_route_has_a_rule() {
    let server = start().await;
    let (_, document) = super::get(&server, "/api/openapi.json").await;
    let paths = document["paths"].as_object().expect("paths");
    let covered: Vec<String> = memory_routes(0)
        .into_iter()
        .map(|(method, path, _)| {
            let path = path
                .split('?')
                .next()
                .unwrap_or_default()
                .replace("/0", "/{id}");
            format!("{} {path}", method.as_str().to_lowercase())
        })
        .collect();
    for (path, operations) in paths {
        if !path.starts_with("/api/v1/memories/") {
            continue;
        }
        for method in operations.as_object().expect("operations").keys() {
            let route = format!("{method} {path}");
            assert!(
                covered.contains(&route),
                "{route} has no rule in memory_routes"
            );
        }
    }
}

#[tokio::test]
async fn sign_in_is_throttled_and_a_session_writes_only_with_its_csrf_token() {
    let server = start().await;
    let password = "a fine long password";
    user(&server, "ana", Role::Translator, password).await;
    let sign_in = |name: &str, password: &str| {
        let body = json!({"name": name, "password": password});
        server
            .client
            .post(format!("{}/api/v1/session", server.base))
            .json(&body)
            .send()
    };
    let unknown = sign_in("nobody", "whatever it is").await.expect("answers");
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown_message = unknown.text().await.expect("body");

    let signed = sign_in("ana", password).await.expect("answers");
    assert_eq!(signed.status(), StatusCode::OK);
    let cookie = signed
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let session: Value = signed.json().await.expect("JSON");
    let csrf = session["csrf"].as_str().expect("a CSRF token").to_owned();
    let cookie_pair = cookie.split(';').next().expect("name=value").to_owned();

    let new = json!({"name": "by-session", "source_lang": "zh-CN", "target_lang": "en"});
    let without = server
        .client
        .post(format!("{}/api/v1/memories", server.base))
        .header("cookie", &cookie_pair)
        .json(&new)
        .send()
        .await
        .expect("answers");
    assert_eq!(without.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let with = server
        .client
        .post(format!("{}/api/v1/memories", server.base))
        .header("cookie", &cookie_pair)
        .header("x-csrf-token", &csrf)
        .json(&new)
        .send()
        .await
        .expect("answers");
    assert_eq!(with.status(), StatusCode::CREATED);
    let out = server
        .client
        .delete(format!("{}/api/v1/session", server.base))
        .header("cookie", &cookie_pair)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .expect("answers");
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let after = server
        .client
        .get(format!("{}/api/v1/session", server.base))
        .header("cookie", &cookie_pair)
        .send()
        .await
        .expect("answers");
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED, "signed out");

    for attempt in 0..accounts::ACCOUNT_ATTEMPTS {
        let wrong = sign_in("ana", "not the password").await.expect("answers");
        assert_eq!(
            wrong.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
        assert_eq!(
            wrong.text().await.expect("body"),
            unknown_message,
            "no user enumeration"
        );
    }
    let throttled = sign_in("ana", password).await.expect("answers");
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.headers().contains_key("retry-after"));

    let store =
        std::fs::read(server.app.config().data_dir.join("stdbridge.sqlite")).expect("the store");
    let wal = std::fs::read(server.app.config().data_dir.join("stdbridge.sqlite-wal"))
        .unwrap_or_default();
    for bytes in [&store, &wal] {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(password), "a password in the store");
        let secret = cookie_pair.split_once('=').map_or("", |(_, value)| value);
        assert!(
            !secret.is_empty() && !text.contains(secret),
            "a session cookie in the store"
        );
    }
}

/// Every route that reads or writes one termbase.
fn termbase_routes(id: i64) -> Vec<(Method, String, Option<String>)> {
    vec![
        (Method::GET, format!("/api/v1/termbases/{id}"), None),
        (
            Method::POST,
            format!("/api/v1/termbases/{id}/import"),
            Some(glossary()),
        ),
        (Method::GET, format!("/api/v1/termbases/{id}/export"), None),
        (
            Method::GET,
            format!("/api/v1/termbases/{id}/find?text=集装箱"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/termbases/{id}/concepts"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/termbases/{id}/concepts"),
            Some(concept_body("集装箱", "container")),
        ),
        (
            Method::PUT,
            format!("/api/v1/termbases/{id}/concepts/{{key}}"),
            Some(concept_body("集装箱", "container")),
        ),
        (
            Method::PUT,
            format!("/api/v1/termbases/{id}/concepts/{{key}}/status"),
            Some(r#"{"term": "container", "status": "deprecated"}"#.to_owned()),
        ),
        (Method::GET, format!("/api/v1/termbases/{id}/shares"), None),
        (
            Method::PUT,
            format!("/api/v1/termbases/{id}/shares/{{user}}"),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/termbases/{id}/shares/{{user}}"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/termbases/{id}/group-shares/{{group}}"),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/termbases/{id}/group-shares/{{group}}"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/termbases/{id}/visibility"),
            Some(r#"{"visibility": "public"}"#.to_owned()),
        ),
    ]
}

/// A concept of one Chinese and one English term, as the API takes it.
fn concept_body(zh: &str, en: &str) -> String {
    json!({"languages": [
        {"lang": "zh-CN", "terms": [{"text": zh, "status": "preferred"}]},
        {"lang": "en", "terms": [{"text": en, "status": "preferred"}]},
    ]})
    .to_string()
}

fn glossary() -> String {
    format!("zh-CN,en\n集装箱,freight container {SECRET}\n")
}

#[tokio::test]
async fn a_private_termbase_is_its_owners_and_segmentation_needs_an_account() {
    let server = start().await;
    user(&server, "ana", Role::Translator, "ana's long password").await;
    user(&server, "ben", Role::Translator, "ben's long password").await;
    let ana = token(&server, "ana", TokenScope::Write).await;
    let ben = token(&server, "ben", TokenScope::Write).await;
    let made = server
        .client
        .post(format!("{}/api/v1/termbases", server.base))
        .bearer_auth(&ana)
        .json(&json!({"name": "ana-terms"}))
        .send()
        .await
        .expect("answers");
    assert_eq!(made.status(), StatusCode::CREATED);
    let id = made.json::<Value>().await.expect("JSON")["id"]
        .as_i64()
        .expect("an id");
    let (status, body) = send(
        &server,
        Method::POST,
        &format!("/api/v1/termbases/{id}/import"),
        Some(&ana),
        Some(glossary()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = send(
        &server,
        Method::GET,
        &format!("/api/v1/termbases/{id}/find?text=本标准规定了集装箱的标记"),
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(SECRET), "the owner finds the term: {body}");
    for (method, path, request_body) in termbase_routes(id) {
        let (status, body) = send(
            &server,
            method.clone(),
            &path,
            Some(&ben),
            request_body.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
        assert!(
            !body.contains(SECRET) && !body.contains("ana-terms"),
            "{body}"
        );
        let (status, _) = send(&server, method.clone(), &path, None, request_body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    let (status, body) = send(&server, Method::GET, "/api/v1/termbases", Some(&ben), None).await;
    assert!(
        status == StatusCode::OK && !body.contains("ana-terms"),
        "{body}"
    );

    // Segmentation: anonymous 401; another's termbase named is not found; words kept.
    let segment = |token: Option<String>, termbases: Vec<&str>| {
        let server = &server;
        let body = json!({"text": "本标准规定了集装箱的标记。按照GB/T 1.1—2020起草。", "lang": "zh-CN", "words": true, "termbases": termbases});
        async move {
            let mut request = server
                .client
                .post(format!("{}/api/v1/segment", server.base))
                .json(&body);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.expect("answers");
            let status = response.status();
            (status, response.text().await.expect("body"))
        }
    };
    assert_eq!(segment(None, vec![]).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        segment(Some(ben.clone()), vec!["ana-terms"]).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = segment(Some(ana.clone()), vec!["ana-terms"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sentences = json_of(&body)["sentences"].clone();
    assert_eq!(sentences.as_array().map(Vec::len), Some(2), "{body}");
    let words: Vec<&str> = sentences[0]["words"]
        .as_array()
        .expect("words")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(words.contains(&"集装箱"), "{words:?}");
    let second: Vec<&str> = sentences[1]["words"]
        .as_array()
        .expect("words")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(second.contains(&"GB/T 1.1—2020"), "{second:?}");
}

#[tokio::test]
async fn every_termbase_route_has_a_rule() {
    let server = start().await;
    let (_, document) = super::get(&server, "/api/openapi.json").await;
    let paths = document["paths"].as_object().expect("paths");
    let covered: Vec<String> = termbase_routes(0)
        .into_iter()
        .map(|(method, path, _)| {
            let path = path
                .split('?')
                .next()
                .unwrap_or_default()
                .replace("/0", "/{id}");
            format!("{} {path}", method.as_str().to_lowercase())
        })
        .collect();
    for (path, operations) in paths {
        if !path.starts_with("/api/v1/termbases/") {
            continue;
        }
        for method in operations.as_object().expect("operations").keys() {
            let route = format!("{method} {path}");
            assert!(
                covered.contains(&route),
                "{route} has no rule in termbase_routes"
            );
        }
    }
}

#[tokio::test]
async fn quick_translation_takes_memory_matches_then_the_engine_with_the_terms() {
    let server = start().await;
    user(&server, "ana", Role::Translator, "ana's long password").await;
    user(&server, "ben", Role::Translator, "ben's long password").await;
    let ana = token(&server, "ana", TokenScope::Read).await;
    let ben = token(&server, "ben", TokenScope::Write).await;
    let ana_write = token(&server, "ana", TokenScope::Write).await;
    let made = server
        .client
        .post(format!("{}/api/v1/memories", server.base))
        .bearer_auth(&ana_write)
        .json(&json!({"name": "ana-tm", "source_lang": "zh-CN", "target_lang": "en"}))
        .send()
        .await
        .expect("answers");
    let memory = made.json::<Value>().await.expect("JSON")["id"]
        .as_i64()
        .expect("id");
    send(
        &server,
        Method::POST,
        &format!("/api/v1/memories/{memory}/import"),
        Some(&ana_write),
        Some(tmx()),
    )
    .await;
    let made = server
        .client
        .post(format!("{}/api/v1/termbases", server.base))
        .bearer_auth(&ana_write)
        .json(&json!({"name": "ana-terms"}))
        .send()
        .await
        .expect("answers");
    let termbase = made.json::<Value>().await.expect("JSON")["id"]
        .as_i64()
        .expect("id");
    send(
        &server,
        Method::POST,
        &format!("/api/v1/termbases/{termbase}/import"),
        Some(&ana_write),
        Some("zh-CN,en\n集装箱,freight container\n标记,marking\n".to_owned()),
    )
    .await;

    let text = "集装箱的最大总质量应为30480千克。\n\n集装箱的标记应清晰。角件应符合要求。\n\n本章规定了试验方法。";
    let body = json!({"text": text, "from": "zh-CN", "to": "en", "memories": ["ana-tm"], "termbases": ["ana-terms"], "engine": "pseudo"});
    let translate = |token: Option<String>| {
        let server = &server;
        let body = body.clone();
        async move {
            let mut request = server
                .client
                .post(format!("{}/api/v1/translate/text", server.base))
                .json(&body);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.expect("answers");
            let status = response.status();
            (status, response.text().await.expect("body"))
        }
    };
    assert_eq!(translate(None).await.0, StatusCode::UNAUTHORIZED);
    let (status, answer) = translate(Some(ben)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another's memory: {answer}");
    assert!(!answer.contains(SECRET));
    let (status, answer) = translate(Some(ana)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let sentences = json_of(&answer)["sentences"]
        .as_array()
        .cloned()
        .expect("sentences");
    assert_eq!(
        sentences.len(),
        4,
        "three paragraphs, four sentences: {answer}"
    );
    assert_eq!(sentences[0]["origin"], "tm:100", "{answer}");
    assert!(
        sentences[0]["target"]
            .as_str()
            .is_some_and(|t| t.contains(SECRET))
    );
    assert_eq!(sentences[1]["origin"], "mt:pseudo", "{answer}");
    let terms: Vec<&str> = sentences[1]["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .filter_map(|t| t["target"].as_str())
        .collect();
    assert!(
        terms.contains(&"freight container") && terms.contains(&"marking"),
        "the sentence's terms: {terms:?}"
    );
    // The demo engine writes the termbase's terms; the term check finds none missing.
    let target = sentences[1]["target"].as_str().unwrap_or_default();
    assert!(
        target.contains("freight container") && target.contains("marking"),
        "the terms are used: {answer}"
    );
    assert_eq!(sentences[1]["warnings"], json!([]), "{answer}");
    assert_eq!(
        sentences[0]["warnings"],
        json!([]),
        "the memory's target has the term: {answer}"
    );
    assert_eq!(sentences[3]["source"], "本章规定了试验方法。");
}

/// Makes a collection (`memories` or `termbases`) by API; its id.
async fn make(server: &Server, kind: &str, token: &str, name: &str) -> i64 {
    let body = json!({"name": name, "source_lang": "zh-CN", "target_lang": "en"});
    let body = if kind == "termbases" {
        json!({"name": name})
    } else {
        body
    };
    let made = server
        .client
        .post(format!("{}/api/v1/{kind}", server.base))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("answers");
    assert_eq!(made.status(), StatusCode::CREATED);
    made.json::<Value>().await.expect("JSON")["id"]
        .as_i64()
        .expect("an id")
}

#[tokio::test]
async fn a_termbase_owner_adds_edits_and_deprecates_terms_and_nobody_else_can() {
    let server = start().await;
    user(&server, "ana", Role::Translator, "ana's long password").await;
    user(&server, "ben", Role::Translator, "ben's long password").await;
    let ana = token(&server, "ana", TokenScope::Write).await;
    let ana_read = token(&server, "ana", TokenScope::Read).await;
    let ben = token(&server, "ben", TokenScope::Write).await;
    let id = make(&server, "termbases", &ana, "ana-terms").await;
    let concepts = format!("/api/v1/termbases/{id}/concepts");

    let (status, body) = send(
        &server,
        Method::POST,
        &concepts,
        Some(&ana),
        Some(concept_body("集装箱", "container")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let key = json_of(&body)["key"].as_str().expect("a key").to_owned();
    let (status, body) = send(
        &server,
        Method::POST,
        &concepts,
        Some(&ana),
        Some(json!({"languages": []}).to_string()),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a concept without terms: {body}"
    );
    assert!(body.contains("at least one term"), "{body}");
    let (status, body) = send(
        &server,
        Method::POST,
        &concepts,
        Some(&ana_read),
        Some(concept_body("标记", "marking")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a read token: {body}");

    // Edit: "container" becomes "freight container"; the key stays.
    let (status, body) = send(
        &server,
        Method::PUT,
        &format!("{concepts}/{key}"),
        Some(&ana),
        Some(concept_body("集装箱", "freight container")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json_of(&body)["key"], key.as_str());
    let (status, body) = send(
        &server,
        Method::PUT,
        &format!("{concepts}/no-such-key"),
        Some(&ana),
        Some(concept_body("集装箱", "box")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    // Deprecate the old English term after adding it back as a second one.
    let both = json!({"languages": [
        {"lang": "zh-CN", "terms": [{"text": "集装箱", "status": "preferred"}]},
        {"lang": "en", "terms": [{"text": "freight container", "status": "preferred"}, {"text": "container", "status": "admitted"}]},
    ]});
    let (status, _) = send(
        &server,
        Method::PUT,
        &format!("{concepts}/{key}"),
        Some(&ana),
        Some(both.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = send(
        &server,
        Method::PUT,
        &format!("{concepts}/{key}/status"),
        Some(&ana),
        Some(r#"{"term": "container", "status": "deprecated"}"#.to_owned()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = send(
        &server,
        Method::PUT,
        &format!("{concepts}/{key}/status"),
        Some(&ana),
        Some(r#"{"term": "crate", "status": "deprecated"}"#.to_owned()),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no such term: {body}");

    // The listing (filtered) shows the edit; term recognition follows it.
    let (status, body) = send(
        &server,
        Method::GET,
        &format!("{concepts}?q=FREIGHT"),
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listed = json_of(&body)["concepts"].clone();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{body}");
    let english = &listed[0]["concept"]["languages"][1]["terms"];
    assert_eq!(english[0]["text"], "freight container");
    assert_eq!(english[1]["status"], "deprecated", "{body}");
    let (_, body) = send(
        &server,
        Method::GET,
        &format!("{concepts}?q=nothing-like-it"),
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(json_of(&body)["concepts"], json!([]));
    let (status, body) = send(
        &server,
        Method::GET,
        &format!("/api/v1/termbases/{id}/find?text=集装箱的标记"),
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("freight container"), "{body}");

    // Another user learns nothing and changes nothing.
    for (method, path, request_body) in termbase_routes(id) {
        let path = path.replace("{key}", &key);
        let (status, body) = send(&server, method.clone(), &path, Some(&ben), request_body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
    }
}

#[tokio::test]
async fn sharing_a_private_memory_lets_that_user_read_it_until_it_is_unshared() {
    let server = start().await;
    user(&server, "ana", Role::Translator, "ana's long password").await;
    user(&server, "ben", Role::Translator, "ben's long password").await;
    let ana = token(&server, "ana", TokenScope::Write).await;
    let ben = token(&server, "ben", TokenScope::Write).await;
    let id = make(&server, "memories", &ana, "ana-tm").await;
    let (status, _) = send(
        &server,
        Method::POST,
        &format!("/api/v1/memories/{id}/import"),
        Some(&ana),
        Some(tmx()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let concordance = format!("/api/v1/memories/{id}/concordance?q=集装箱");
    assert_eq!(
        send(&server, Method::GET, &concordance, Some(&ben), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    let (status, body) = send(
        &server,
        Method::PUT,
        &format!("/api/v1/memories/{id}/shares/ben"),
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        json_of(&body),
        json!({"visibility": "shared", "users": ["ben"], "groups": []})
    );
    let (status, body) = send(&server, Method::GET, &concordance, Some(&ben), None).await;
    assert!(
        status == StatusCode::OK && body.contains(SECRET),
        "ben reads it now: {body}"
    );
    // Ben reads it but does not manage it, nor write it.
    let (status, _) = send(
        &server,
        Method::GET,
        &format!("/api/v1/memories/{id}/shares"),
        Some(&ben),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(
        &server,
        Method::POST,
        &format!("/api/v1/memories/{id}/import"),
        Some(&ben),
        Some(tmx()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = send(
        &server,
        Method::PUT,
        &format!("/api/v1/memories/{id}/shares/nobody"),
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let message = json_of(&body)["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("no user \"nobody\""), "{body}");
    // Only an admin makes a memory public.
    let (status, _) = send(
        &server,
        Method::PUT,
        &format!("/api/v1/memories/{id}/visibility"),
        Some(&ana),
        Some(r#"{"visibility": "public"}"#.to_owned()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, body) = send(
        &server,
        Method::DELETE,
        &format!("/api/v1/memories/{id}/shares/ben"),
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json_of(&body)["users"], json!([]));
    let (status, body) = send(&server, Method::GET, &concordance, Some(&ben), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "unshared: {body}");
    assert!(!body.contains(SECRET));
    // Private again: even a share left behind would not count.
    let (status, body) = send(
        &server,
        Method::PUT,
        &format!("/api/v1/memories/{id}/visibility"),
        Some(&ana),
        Some(r#"{"visibility": "private"}"#.to_owned()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json_of(&body)["visibility"], "private");
}

#[tokio::test]
async fn quick_translation_streams_one_line_per_sentence_and_offers_only_safe_engines() {
    let server = start().await;
    user(&server, "ana", Role::Translator, "ana's long password").await;
    let ana = token(&server, "ana", TokenScope::Read).await;
    let (status, body) = send(&server, Method::GET, "/api/v1/engines", Some(&ana), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let engines: Vec<String> = json_of(&body)["engines"]
        .as_array()
        .expect("engines")
        .iter()
        .filter_map(|e| e["engine"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        engines[..2],
        ["none".to_owned(), "pseudo".to_owned()],
        "{body}"
    );
    assert_eq!(
        send(&server, Method::GET, "/api/v1/engines", None, None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    // 40 sentences: more than two batches.
    let text: String = (1..=40).map(|n| format!("第{n}条应符合要求。")).collect();
    let stream = |engine: &str| {
        let body = json!({"text": text, "from": "zh-CN", "to": "en", "engine": engine});
        let request = server
            .client
            .post(format!("{}/api/v1/translate/text", server.base))
            .bearer_auth(&ana)
            .header("accept", "application/x-ndjson")
            .json(&body);
        async move {
            let response = request.send().await.expect("answers");
            let status = response.status();
            let kind = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            (status, kind, response.text().await.expect("a body"))
        }
    };
    let (status, kind, body) = stream("pseudo").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(kind, "application/x-ndjson");
    let lines: Vec<Value> = body.lines().map(json_of).collect();
    assert_eq!(lines.len(), 40, "{body}");
    assert_eq!(lines[0]["source"], "第1条应符合要求。");
    assert_eq!(lines[39]["source"], "第40条应符合要求。");
    assert!(lines.iter().all(|l| l["origin"] == "mt:pseudo"), "{body}");

    // Refusals come before the stream, with their status.
    let (status, _, body) = stream("libretranslate:http://127.0.0.1:9/").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("not one this server offers"), "{body}");
    let (status, _, body) = stream("marian:/etc").await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a directory of the server: {body}"
    );
}

#[tokio::test]
async fn a_memory_shared_with_a_group_is_read_by_its_members_only_while_they_are_members() {
    let server = start().await;
    user(&server, "ana", Role::Translator, "ana's long password").await;
    user(&server, "ben", Role::Translator, "ben's long password").await;
    user(&server, "cai", Role::Translator, "cai's long password").await;
    user(&server, "root", Role::Admin, "root's long password").await;
    let ana = token(&server, "ana", TokenScope::Write).await;
    let ben = token(&server, "ben", TokenScope::Write).await;
    let cai = token(&server, "cai", TokenScope::Write).await;
    let root = token(&server, "root", TokenScope::Write).await;
    let memory = make(&server, "memories", &ana, "ana-team-tm").await;
    let import = format!("/api/v1/memories/{memory}/import");
    let (status, body) = send(&server, Method::POST, &import, Some(&ana), Some(tmx())).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Only an admin makes groups and chooses members.
    let group = r#"{"name": "team-a"}"#.to_owned();
    let (status, _) = send(
        &server,
        Method::POST,
        "/api/v1/groups",
        Some(&ana),
        Some(group.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a translator makes no group");
    let (status, body) = send(
        &server,
        Method::POST,
        "/api/v1/groups",
        Some(&root),
        Some(group.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = send(
        &server,
        Method::POST,
        "/api/v1/groups",
        Some(&root),
        Some(group),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "the name is taken");
    let (status, body) = send(
        &server,
        Method::POST,
        "/api/v1/groups",
        Some(&root),
        Some(r#"{"name": "a/b"}"#.to_owned()),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("group name"), "{body}");
    for name in ["ana", "ben"] {
        let (status, body) = send(
            &server,
            Method::PUT,
            &format!("/api/v1/groups/team-a/members/{name}"),
            Some(&root),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, _) = send(
        &server,
        Method::PUT,
        "/api/v1/groups/team-a/members/cai",
        Some(&ben),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a member chooses no members");
    let (_, body) = send(&server, Method::GET, "/api/v1/groups", Some(&cai), None).await;
    assert_eq!(
        json_of(&body)["groups"],
        json!([]),
        "cai sees no group of others: {body}"
    );
    let (_, body) = send(&server, Method::GET, "/api/v1/groups", Some(&ben), None).await;
    assert_eq!(
        json_of(&body)["groups"][0]["members"],
        json!(["ana", "ben"]),
        "{body}"
    );

    // Ana shares her private memory with her group: it becomes shared, ben reads it.
    let lookup = format!("/api/v1/memories/{memory}/lookup?q=集装箱的最大总质量应为30480千克。");
    let (status, _) = send(&server, Method::GET, &lookup, Some(&ben), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "private until shared");
    let (status, _) = send(
        &server,
        Method::PUT,
        &format!("/api/v1/memories/{memory}/group-shares/team-b"),
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no such group of hers");
    let share = format!("/api/v1/memories/{memory}/group-shares/team-a");
    let (status, _) = send(&server, Method::PUT, &share, Some(&cai), None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "cai cannot even see the memory"
    );
    let (status, body) = send(&server, Method::PUT, &share, Some(&ana), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json_of(&body)["visibility"], "shared", "{body}");
    assert_eq!(json_of(&body)["groups"], json!(["team-a"]), "{body}");
    let (status, body) = send(&server, Method::GET, &lookup, Some(&ben), None).await;
    assert!(
        status == StatusCode::OK && body.contains(SECRET),
        "a member reads it: {body}"
    );
    let (_, body) = send(&server, Method::GET, "/api/v1/memories", Some(&ben), None).await;
    assert!(body.contains("ana-team-tm"), "and lists it: {body}");
    let (status, body) = send(&server, Method::GET, &lookup, Some(&cai), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not a member: {body}");
    assert!(!body.contains(SECRET));
    let (status, _) = send(&server, Method::POST, &import, Some(&ben), Some(tmx())).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a member reads, the owner writes"
    );

    // Out of the group, out of the memory; a deleted group shares nothing.
    let (status, body) = send(
        &server,
        Method::DELETE,
        "/api/v1/groups/team-a/members/ben",
        Some(&root),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json_of(&body)["members"], json!(["ana"]), "{body}");
    let (status, _) = send(&server, Method::GET, &lookup, Some(&ben), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "ben left the group");
    send(
        &server,
        Method::PUT,
        "/api/v1/groups/team-a/members/cai",
        Some(&root),
        None,
    )
    .await;
    let (status, _) = send(&server, Method::GET, &lookup, Some(&cai), None).await;
    assert_eq!(status, StatusCode::OK, "cai joined");
    let (status, _) = send(
        &server,
        Method::DELETE,
        "/api/v1/groups/team-a",
        Some(&root),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(&server, Method::GET, &lookup, Some(&cai), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the group is gone");
    let (_, body) = send(
        &server,
        Method::GET,
        &format!("/api/v1/memories/{memory}/shares"),
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(json_of(&body)["groups"], json!([]), "{body}");
}

#[tokio::test]
async fn each_user_keeps_words_of_their_own_that_segmentation_keeps_whole() {
    let server = start().await;
    user(&server, "ana", Role::Translator, "ana's long password").await;
    user(&server, "ben", Role::Translator, "ben's long password").await;
    let ana = token(&server, "ana", TokenScope::Write).await;
    let ana_read = token(&server, "ana", TokenScope::Read).await;
    let ben = token(&server, "ben", TokenScope::Write).await;
    let text = json!({"text": "角件应焊接在端框上。", "lang": "zh-CN", "words": true}).to_string();
    let words_of = |body: &str| -> Vec<String> {
        json_of(body)["sentences"][0]["words"]
            .as_array()
            .map(|w| {
                w.iter()
                    .filter_map(|w| w.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (status, body) = send(
        &server,
        Method::POST,
        "/api/v1/segment",
        Some(&ana),
        Some(text.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(!words_of(&body).contains(&"端框上".to_owned()), "{body}");

    let (status, _) = send(&server, Method::GET, "/api/v1/dictionary", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let word = |w: &str| json!({ "word": w }).to_string();
    let (status, _) = send(
        &server,
        Method::POST,
        "/api/v1/dictionary",
        Some(&ana_read),
        Some(word("端框上")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a read token adds nothing");
    let (status, body) = send(
        &server,
        Method::POST,
        "/api/v1/dictionary",
        Some(&ana),
        Some(word("两个 词")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        json_of(&body)["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("word: ")),
        "{body}"
    );
    let (status, body) = send(
        &server,
        Method::POST,
        "/api/v1/dictionary",
        Some(&ana),
        Some(word(" 端框上 ")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        json_of(&body)["words"],
        json!(["端框上"]),
        "trimmed: {body}"
    );

    let (_, body) = send(
        &server,
        Method::POST,
        "/api/v1/segment",
        Some(&ana),
        Some(text.clone()),
    )
    .await;
    assert!(
        words_of(&body).contains(&"端框上".to_owned()),
        "ana's word is whole: {body}"
    );
    let (_, body) = send(
        &server,
        Method::POST,
        "/api/v1/segment",
        Some(&ben),
        Some(text.clone()),
    )
    .await;
    assert!(
        !words_of(&body).contains(&"端框上".to_owned()),
        "not ben's: {body}"
    );
    let (_, body) = send(&server, Method::GET, "/api/v1/dictionary", Some(&ben), None).await;
    assert_eq!(json_of(&body)["words"], json!([]), "{body}");

    let remove = format!(
        "/api/v1/dictionary/{}",
        utf8_percent_encode("端框上", NON_ALPHANUMERIC)
    );
    let (status, body) = send(&server, Method::DELETE, &remove, Some(&ben), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not in ben's: {body}");
    let (status, body) = send(&server, Method::DELETE, &remove, Some(&ana), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json_of(&body)["words"], json!([]), "{body}");
}
