//! One regression test per defect found by probing the server as an outsider would (slow
//! and concurrent clients, long queries, invented methods, bad encodings), each named
//! after what it keeps fixed.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{Server, get, get_text, start, start_with};

/// "a " fifteen thousand times: 30,000 characters, 15,000 words.
fn long_query() -> String {
    "a+".repeat(15_000)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_concurrent_long_queries_are_refused_naming_the_limit_and_healthz_stays_fast() {
    let server = start().await;
    let base = server.base.clone();
    let queries: Vec<_> = (0..4)
        .map(|_| {
            let client = server.client.clone();
            let url = format!("{base}/api/v1/search?q={}", long_query());
            tokio::spawn(async move {
                let response = client.get(url).send().await.expect("an answer");
                let status = response.status().as_u16();
                let body: serde_json::Value = response.json().await.expect("JSON");
                (status, body)
            })
        })
        .collect();
    let mut slowest = Duration::ZERO;
    for _ in 0..10 {
        let asked = Instant::now();
        let (status, _) = get(&server, "/healthz").await;
        assert_eq!(status, 200);
        slowest = slowest.max(asked.elapsed());
    }
    for query in queries {
        let (status, body) = query.await.expect("the query ends");
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["code"], "bad_parameter");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("q: ") && message.contains("at most 1000 are allowed"),
            "the message names the limit: {message}"
        );
    }
    // Not a measurement of speed: a correctness bound (the checks answer at once) with
    // ample room, where the defect took twelve seconds.
    assert!(slowest < Duration::from_secs(1), "healthz took {slowest:?}");

    let many_words = "a+".repeat(40);
    let (status, body) = get(&server, &format!("/api/v1/search?q={many_words}")).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("40 words; at most 32")),
        "{body}"
    );
    let long_word = "a".repeat(101);
    let (status, body) = get(&server, &format!("/api/v1/search?q={long_word}")).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("101 characters; at most 100")),
        "{body}"
    );
}

/// Reads until the server closes the connection; how long that took.
async fn time_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout_at(
            tokio::time::Instant::from_std(started + limit),
            stream.read(&mut buffer),
        )
        .await
        {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => continue,
            Err(_) => return None,
        }
    }
}

async fn server_with_a_short_header_timeout() -> Server {
    start_with(|config| config.http.header_timeout = Duration::from_millis(500)).await
}

fn address(server: &Server) -> String {
    server.base.trim_start_matches("http://").to_owned()
}

#[tokio::test]
async fn a_slow_header_client_is_cut_off_within_the_header_timeout() {
    let server = server_with_a_short_header_timeout().await;
    let mut slow = TcpStream::connect(address(&server))
        .await
        .expect("connects");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("sends part of the headers");
    let mut trickle = slow;
    let writer = tokio::spawn(async move {
        // One header byte a while, never the blank line that ends them.
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if trickle.write_all(b"X").await.is_err() {
                break;
            }
        }
        trickle
    });
    let mut slow = writer.await.expect("the writer ends");
    let closed = time_until_closed(&mut slow, Duration::from_secs(10)).await;
    assert!(closed.is_some(), "a slow-header client stayed connected");

    let mut silent = TcpStream::connect(address(&server))
        .await
        .expect("connects");
    let closed = time_until_closed(&mut silent, Duration::from_secs(10)).await;
    assert!(
        closed.is_some_and(|after| after < Duration::from_secs(5)),
        "a client that sends nothing stayed connected: {closed:?}"
    );

    // A served connection left idle is closed too, after its answer.
    let mut idle = TcpStream::connect(address(&server))
        .await
        .expect("connects");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("sends a request");
    let closed = time_until_closed(&mut idle, Duration::from_secs(10)).await;
    assert!(
        closed.is_some_and(|after| after < Duration::from_secs(5)),
        "an idle keep-alive connection stayed open: {closed:?}"
    );
    let (status, _) = get(&server, "/healthz").await;
    assert_eq!(status, 200, "the server still serves others");
}

#[tokio::test]
async fn every_html_page_carries_the_four_security_headers() {
    let server = start().await;
    for path in [
        "/",
        "/?q=quality",
        "/standards/ISO%209001:2015",
        "/countries",
        "/countries/CN",
        "/analytics",
    ] {
        let response = server
            .client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let policy = header("content-security-policy");
        assert!(
            policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"),
            "{path}: {policy}"
        );
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert!(!header("referrer-policy").is_empty(), "{path}");
        let html = response.text().await.expect("a page");
        assert!(
            !html.contains("<script>") && !html.contains(" onclick="),
            "{path}: inline script the policy would block"
        );
    }
}

#[tokio::test]
async fn every_error_is_json_even_for_a_missing_asset_or_a_bad_encoding() {
    let server = start().await;
    for (path, status) in [
        ("/assets/no-such-file.js", 404),
        ("/no/such/route", 404),
        ("/api/v1/standards/%FF", 400),
        ("/standards/%FF%FE", 400),
        ("/api/v1/search?q=%FF", 400),
        ("/api/v1/search?q=%zz", 400),
        ("/api/v1/search?q=50%", 400),
        ("/api/v1/countries/%C3", 400),
    ] {
        let (got, content_type, body) = get_text(&server, path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(
            content_type.starts_with("application/json"),
            "{path}: {content_type}"
        );
        let body: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        assert!(
            body["code"].is_string() && body["message"].is_string(),
            "{path}: {body}"
        );
    }
}

#[tokio::test]
async fn invented_methods_and_unmatched_routes_fold_into_one_metrics_label() {
    let server = start().await;
    for n in 0..30 {
        let method =
            reqwest::Method::from_bytes(format!("INVENTED{n}").as_bytes()).expect("a token");
        server
            .client
            .request(method, format!("{}/api/v1/search?q=iso", server.base))
            .send()
            .await
            .expect("an answer");
        get_text(&server, &format!("/made/up/{n}")).await;
    }
    let (status, _, text) = get_text(&server, "/metrics").await;
    assert_eq!(status, 200);
    assert!(!text.contains("INVENTED"), "{text}");
    assert!(!text.contains("/made/up"), "{text}");
    let series = |needle: &str| {
        text.lines()
            .filter(|l| l.starts_with("stdbridge_http_requests_total{") && l.contains(needle))
            .count()
    };
    assert_eq!(series("method=\"other\""), 1, "{text}");
    assert_eq!(series("route=\"unmatched\""), 1, "{text}");
}

#[tokio::test]
async fn metrics_are_served_only_to_an_allowed_address_and_with_the_token() {
    let elsewhere =
        start_with(|config| config.http.metrics_allow = vec!["10.0.0.0/8".into()]).await;
    let (status, body) = get(&elsewhere, "/metrics").await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "forbidden");

    let loopback = start_with(|config| {
        config.http.metrics_allow = vec!["127.0.0.1".into()];
        config.http.metrics_token = Some(stdbridge_app::Secret::new("s3cret"));
    })
    .await;
    let (status, body) = get(&loopback, "/metrics").await;
    assert_eq!(status, 401, "{body}");
    for (token, expected) in [("wrong", 401), ("s3cret", 200)] {
        let response = loopback
            .client
            .get(format!("{}/metrics", loopback.base))
            .bearer_auth(token)
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), expected, "{token}");
    }
}
