//! The JSON API over real HTTP: every route, its errors, the OpenAPI document.

use serde_json::Value;

use super::{get, get_text, post_text, start};

#[tokio::test]
async fn health_counts_the_standards() {
    let server = start().await;
    let (status, body) = get(&server, "/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["standards"], 4);
}

#[tokio::test]
async fn search_answers_the_cli_shape_with_highlights_and_facets() {
    let server = start().await;
    let (status, body) = get(&server, "/api/v1/search?q=quality%20management&limit=5").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], 3);
    // Equal text scores: standards in force first (the newer before), the replaced one last.
    assert_eq!(body["hits"][2]["designation"], "ISO 9001:2008", "{body}");
    assert_eq!(body["hits"][1]["designation"], "ISO 9001:2015", "{body}");
    assert_eq!(
        body["hits"][0]["highlights"]["en"],
        serde_json::json!([[0, 7], [8, 18]])
    );
    assert_eq!(body["facets"]["country"]["CN"], 1);
    let (_, designation) = get(&server, "/api/v1/search?q=gbt%201.1-2020").await;
    assert_eq!(designation["hits"][0]["designation"], "GB/T 1.1-2020");
    let (_, chinese) = get(
        &server,
        "/api/v1/search?q=%E8%B4%A8%E9%87%8F%E7%AE%A1%E7%90%86&facets=false",
    )
    .await;
    assert_eq!(
        chinese["hits"][0]["designation"], "GB/T 19001-2016",
        "{chinese}"
    );
    assert_eq!(chinese["facets"], serde_json::json!({}));
}

#[tokio::test]
async fn bad_parameters_get_400_naming_the_parameter() {
    let server = start().await;
    for (path, named) in [
        ("/api/v1/search?q=status:alive", "q: status:"),
        ("/api/v1/search?q=iso&limit=abc", "limit:"),
        ("/api/v1/search?q=iso&limit=0", "limit:"),
        ("/api/v1/search?q=iso&facets=maybe", "facets:"),
        ("/api/v1/search?query=iso", "query:"),
    ] {
        let (status, body) = get(&server, path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["code"], "bad_parameter");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.starts_with(named), "{path}: {message}");
    }
}

#[tokio::test]
async fn a_standard_comes_with_its_relations_resolved() {
    let server = start().await;
    let (status, body) = get(&server, "/api/v1/standards/iso%209001").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["designation"], "ISO 9001:2015");
    assert_eq!(body["replaces_chain"][0]["designation"], "ISO 9001:2008");
    let adopters: Vec<&str> = body["equivalents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["designation"].as_str())
        .collect();
    assert!(adopters.contains(&"GB/T 19001-2016"), "{body}");
    let (status, body) = get(&server, "/api/v1/standards/GB/T%201.1-2020").await;
    assert_eq!(status, 200, "{body}");
    let chinese = body["titles"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["lang"] == "zh");
    assert_eq!(
        chinese.map(|t| t["full"].clone()),
        Some(Value::from(
            "标准化工作导则 第1部分：标准化文件的结构和起草规则"
        ))
    );
    let (status, body) = get(&server, "/api/v1/standards/ISO%2099999").await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], "not_found");
    let (status, _) = get(&server, "/no/such/route").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn suggestions_complete_designations_and_title_words() {
    let server = start().await;
    let (status, body) = get(&server, "/api/v1/suggest?q=gbt%201").await;
    assert_eq!(status, 200, "{body}");
    let designations: Vec<&str> = body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["designation"].as_str())
        .collect();
    assert_eq!(designations, ["GB/T 1.1-2020", "GB/T 19001-2016"]);
    let (_, body) = get(&server, "/api/v1/suggest?q=quality%20manag&limit=2").await;
    assert_eq!(body.as_array().map(Vec::len), Some(2), "{body}");
    assert_eq!(body[0]["title"], "Quality management systems—Requirements");
    let (_, body) = get(
        &server,
        "/api/v1/suggest?q=%E6%A0%87%E5%87%86%E5%8C%96&lang=zh",
    )
    .await;
    assert_eq!(body[0]["designation"], "GB/T 1.1-2020", "{body}");
    assert_eq!(
        body[0]["title"],
        "标准化工作导则 第1部分：标准化文件的结构和起草规则"
    );
    let (_, body) = get(&server, "/api/v1/suggest?q=qu").await;
    assert_eq!(
        body,
        serde_json::json!([]),
        "two letters start too many title words"
    );
    let (status, body) = get(&server, "/api/v1/suggest?q=iso&limit=500").await;
    assert_eq!(status, 400);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("limit:"))
    );
}

fn count_of(buckets: &Value, key: &str) -> Option<u64> {
    buckets
        .as_array()?
        .iter()
        .find(|b| b["key"] == key)
        .and_then(|b| b["count"].as_u64())
}

#[tokio::test]
async fn countries_bodies_and_the_ics_tree_come_with_counts() {
    let server = start().await;
    let (status, countries) = get(&server, "/api/v1/countries").await;
    assert_eq!(status, 200, "{countries}");
    let list = countries.as_array().expect("a list");
    assert!(list.len() > 200, "every country of the reference data");
    let china = list.iter().find(|c| c["alpha2"] == "CN").expect("CN");
    assert_eq!(china["standards"], 2);
    assert_eq!(china["region"], "Asia");
    assert_eq!(china["names"]["zh"], "中国");

    let (status, overview) = get(&server, "/api/v1/countries/cn?lang=zh").await;
    assert_eq!(status, 200, "{overview}");
    assert_eq!(overview["analytics"]["total"], 2);
    let bodies: Vec<&str> = overview["national_bodies"]
        .as_array()
        .expect("bodies")
        .iter()
        .filter_map(|b| b["abbreviation"].as_str())
        .collect();
    assert!(bodies.contains(&"SAC"), "{bodies:?}");
    assert_eq!(
        count_of(&overview["analytics"]["keywords"], "标准化工作导则"),
        Some(1)
    );
    let (status, _) = get(&server, "/api/v1/countries/XX").await;
    assert_eq!(status, 404);

    let (status, bodies) = get(&server, "/api/v1/bodies").await;
    assert_eq!(status, 200);
    let iso = bodies
        .as_array()
        .expect("a list")
        .iter()
        .find(|b| b["abbreviation"] == "ISO")
        .expect("ISO");
    assert_eq!(iso["standards"], 2);
    assert_eq!(iso["names"]["zh"], "国际标准化组织");

    let (status, tree) = get(&server, "/api/v1/ics").await;
    assert_eq!(status, 200);
    let field = tree
        .as_array()
        .expect("fields")
        .iter()
        .find(|node| node["code"] == "03")
        .expect("field 03");
    assert_eq!(field["standards"], 3);
    let group = field["children"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|node| node["code"] == "03.120")
        .expect("group 03.120");
    assert_eq!(group["standards"], 3);
    assert!(
        group["children"].as_array().expect("list").is_empty(),
        "depth 2"
    );
    let (_, national) = get(&server, "/api/v1/ics?depth=1&q=country:CN").await;
    let counted: u64 = national
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|node| node["standards"].as_u64())
        .sum();
    assert_eq!(counted, 2, "one Chinese standard in 01, one in 03");
    let (status, error) = get(&server, "/api/v1/ics?depth=4").await;
    assert_eq!(status, 400);
    assert!(
        error["message"]
            .as_str()
            .expect("message")
            .starts_with("depth:")
    );
}

#[tokio::test]
async fn analytics_filter_by_parameters_and_compare_countries() {
    let server = start().await;
    let (status, all) = get(&server, "/api/v1/analytics?keywords=3").await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["total"], 4);
    assert_eq!(all["keywords"].as_array().expect("keywords").len(), 3);
    assert_eq!(count_of(&all["years"], "2015"), Some(1));
    assert_eq!(count_of(&all["bodies"], "ISO"), Some(2));

    let (_, recent) = get(&server, "/api/v1/analytics?years=2010..&ics=03").await;
    assert_eq!(recent["total"], 2, "ISO 9001:2015 and GB/T 19001-2016");
    let (status, error) = get(&server, "/api/v1/analytics?years=later").await;
    assert_eq!(status, 400);
    assert!(
        error["message"]
            .as_str()
            .expect("message")
            .starts_with("years:"),
        "{error}"
    );
    let (status, error) = get(&server, "/api/v1/analytics?lang=de").await;
    assert_eq!(status, 400);
    assert!(
        error["message"]
            .as_str()
            .expect("message")
            .starts_with("lang:"),
        "{error}"
    );

    let (status, compared) = get(&server, "/api/v1/analytics/compare?countries=CN,JP").await;
    assert_eq!(status, 200, "{compared}");
    assert_eq!(compared[0]["country"], "CN");
    assert_eq!(compared[0]["analytics"]["total"], 2);
    assert_eq!(compared[1]["analytics"]["total"], 0);
    let (status, _) = get(&server, "/api/v1/analytics/compare?countries=CN").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_search_exports_in_every_format() {
    let server = start().await;
    let cases = [
        ("csv", "text/csv", "designation,title,"),
        ("jsonl", "application/jsonl", "{\"designation\":"),
        ("bibtex", "application/x-bibtex", "@techreport{"),
        ("ris", "application/x-research-info-systems", "TY  - STAND"),
        ("relaton", "application/yaml", "---"),
    ];
    for (format, media_type, start_of_body) in cases {
        let (status, content_type, body) = get_text(
            &server,
            &format!("/api/v1/export?q=quality&format={format}&lang=zh"),
        )
        .await;
        assert_eq!(status, 200, "{format}: {body}");
        assert!(
            content_type.starts_with(media_type),
            "{format}: {content_type}"
        );
        assert!(body.starts_with(start_of_body), "{format}: {body}");
        assert!(body.contains("GB/T 19001-2016"), "{format}: {body}");
    }
    let (_, _, csv) = get_text(&server, "/api/v1/export?q=quality&format=csv&lang=zh").await;
    assert_eq!(
        csv.lines().count(),
        4,
        "a header and three standards: {csv}"
    );
    assert!(
        csv.contains("质量管理体系 要求"),
        "titles in the language asked: {csv}"
    );
    let (status, error) = get(&server, "/api/v1/export?q=quality&format=docx").await;
    assert_eq!(status, 400);
    assert!(
        error["message"]
            .as_str()
            .expect("message")
            .starts_with("format:")
    );
}

#[tokio::test]
async fn metrics_count_requests_per_route_and_the_index() {
    let server = start().await;
    get(&server, "/api/v1/search?q=quality").await;
    get(&server, "/api/v1/search?limit=0").await;
    let (status, content_type, text) = get_text(&server, "/metrics").await;
    assert_eq!(status, 200);
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let line = |prefix: &str| {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .map(str::to_owned)
    };
    for status in ["200", "400"] {
        let counted = text.lines().find(|l| {
            l.starts_with("stdbridge_http_requests_total{")
                && l.contains("route=\"/api/v1/search\"")
                && l.contains(&format!("status=\"{status}\""))
        });
        assert!(
            counted.is_some_and(|l| l.ends_with(" 1")),
            "{status}: {text}"
        );
    }
    assert!(
        text.contains("stdbridge_http_request_duration_seconds_bucket{"),
        "{text}"
    );
    assert_eq!(
        line("stdbridge_index_documents "),
        Some("stdbridge_index_documents 4".into())
    );
}

/// Example values for path parameters and required query parameters.
fn example(name: &str) -> &'static str {
    match name {
        "designation" => "ISO%209001",
        "code" => "CN",
        "format" => "csv",
        "countries" => "CN,JP",
        // The import the test server was made with ran as job 1.
        "id" => "1",
        "q" | "text" => "container",
        "key" => "k1",
        "user" => "nobody",
        other => panic!("no example value for the required parameter {other:?}"),
    }
}

/// Every `$ref` under `value`.
fn collect_references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                found.push(reference.clone());
            }
            map.values().for_each(|v| collect_references(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_references(v, found)),
        _ => {}
    }
}

/// `schema` with the document's components beside it, so that its `$ref`s resolve.
fn resolvable(schema: &Value, document: &Value) -> Value {
    serde_json::json!({
        "allOf": [schema],
        "components": document["components"],
    })
}

#[tokio::test]
async fn the_openapi_document_is_valid_and_every_endpoint_answers_as_documented() {
    let server = start().await;
    let (status, document) = get(&server, "/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1.")),
        "{}",
        document["openapi"]
    );
    let meta: Value = serde_json::from_str(include_str!("../data/openapi-3.1-schema.json"))
        .expect("the meta-schema parses");
    let validator = jsonschema::draft202012::new(&meta).expect("the meta-schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|error| format!("{error} (at {})", error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the document is not OpenAPI 3.1: {errors:#?}"
    );

    let mut references = Vec::new();
    collect_references(&document, &mut references);
    assert!(!references.is_empty());
    for reference in references {
        let pointer = reference.trim_start_matches('#');
        assert!(
            document.pointer(pointer).is_some(),
            "{reference} does not resolve"
        );
    }

    let paths = document["paths"].as_object().expect("paths");
    assert!(
        paths.len() >= 12,
        "every route is documented: {:?}",
        paths.keys()
    );
    for (path, item) in paths {
        let post = item["post"].is_object();
        let operation = if post { &item["post"] } else { &item["get"] };
        if !operation.is_object() && needs_an_account(path) {
            // PUT and DELETE only: tests/server/accounts.rs goes through them.
            continue;
        }
        assert!(operation.is_object(), "{path}: GET or POST is served");
        let mut url = path.clone();
        let mut query = Vec::new();
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().expect("a name");
            match parameter["in"].as_str() {
                Some("path") => url = url.replace(&format!("{{{name}}}"), example(name)),
                Some("query") if parameter["required"] == true => {
                    query.push(format!("{name}={}", example(name)));
                }
                _ => {}
            }
        }
        if !query.is_empty() {
            url = format!("{url}?{}", query.join("&"));
        }
        let (status, content_type, body) = if post {
            post_text(&server, &url, &example_body(path)).await
        } else {
            get_text(&server, &url).await
        };
        if needs_an_account(path) {
            // Anonymous: the documented 401, in the error shape (tests/server/accounts.rs
            // goes through these routes signed in).
            assert_eq!(status, 401, "{url}: {body}");
            assert!(
                operation["responses"]["401"].is_object(),
                "{path}: 401 documented"
            );
            let answer: Value = serde_json::from_str(&body).expect("JSON");
            assert_eq!(answer["code"], "unauthenticated", "{url}: {body}");
            continue;
        }
        assert_eq!(status, 200, "{url}: {body}");
        let documented = operation["responses"]["200"]["content"]
            .as_object()
            .unwrap_or_else(|| panic!("{path}: 200 has no documented content"));
        let media_type = content_type.split(';').next().unwrap_or_default().trim();
        let Some(content) = documented.get(media_type) else {
            panic!(
                "{url}: answered {media_type}, documented {:?}",
                documented.keys()
            );
        };
        if media_type == "text/event-stream" {
            let data = &content["schema"]["properties"]["data"];
            assert_eq!(data["contentMediaType"], "application/json", "{path}");
            let schema = resolvable(&data["contentSchema"], &document);
            let validator = jsonschema::draft202012::new(&schema)
                .unwrap_or_else(|e| panic!("{path}: the event schema compiles: {e}"));
            let events: Vec<Value> = body
                .lines()
                .filter_map(|line| line.strip_prefix("data:"))
                .map(|data| serde_json::from_str(data.trim()).expect("JSON data"))
                .collect();
            assert!(!events.is_empty(), "{url}: no events");
            for event in events {
                assert!(validator.is_valid(&event), "{url}: {event}");
            }
        }
        if media_type == "application/json" {
            let answer: Value = serde_json::from_str(&body).expect("JSON");
            let schema = resolvable(&content["schema"], &document);
            let validator = jsonschema::draft202012::new(&schema)
                .unwrap_or_else(|e| panic!("{path}: the response schema compiles: {e}"));
            let errors: Vec<String> = validator
                .iter_errors(&answer)
                .map(|error| format!("{error} (at {})", error.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{url} answers other than documented: {errors:#?}"
            );
        }
    }
}

#[tokio::test]
async fn the_documented_patterns_are_the_ones_the_server_checks() {
    use stdbridge_app::catalog::{COMPARED_PATTERN, QUERY_PATTERN, SELECTION_PATTERNS};
    let server = start().await;
    let (_, document) = get(&server, "/api/openapi.json").await;
    let mut checked = 0;
    for (path, item) in document["paths"].as_object().expect("paths") {
        if needs_an_account(path) {
            // Their `q` is text to look for, not the catalogue's query syntax.
            continue;
        }
        for parameter in item["get"]["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap_or_default();
            let expected = match name {
                "q" => Some(QUERY_PATTERN),
                "countries" => Some(COMPARED_PATTERN),
                _ => SELECTION_PATTERNS
                    .iter()
                    .find(|(field, _)| *field == name)
                    .map(|(_, pattern)| *pattern),
            };
            let Some(expected) = expected else { continue };
            assert_eq!(
                parameter["schema"]["pattern"], expected,
                "{path} {name}: the document and the check differ"
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} patterned parameters");
}

/// Routes of the translation half and of sessions: an anonymous client gets 401.
fn needs_an_account(path: &str) -> bool {
    [
        "/api/v1/memories",
        "/api/v1/termbases",
        "/api/v1/segment",
        "/api/v1/session",
        "/api/v1/translate",
        "/api/v1/engines",
        "/api/v1/groups",
        "/api/v1/dictionary",
    ]
    .iter()
    .any(|prefix| path.starts_with(prefix))
}

/// A request body for each POST route, valid against its documented schema.
fn example_body(path: &str) -> Value {
    match path {
        "/api/v1/memories" => {
            serde_json::json!({"name": "m", "source_lang": "zh-CN", "target_lang": "en"})
        }
        "/api/v1/termbases" => serde_json::json!({"name": "t"}),
        "/api/v1/groups" => serde_json::json!({"name": "g"}),
        "/api/v1/dictionary" => serde_json::json!({"word": "端框上"}),
        "/api/v1/segment" => serde_json::json!({"text": "本标准规定了标记。", "lang": "zh-CN"}),
        "/api/v1/translate/text" => {
            serde_json::json!({"text": "本标准规定了标记。", "from": "zh-CN", "to": "en"})
        }
        "/api/v1/session" => serde_json::json!({"name": "nobody", "password": "not a password"}),
        "/api/v1/memories/{id}/import" | "/api/v1/termbases/{id}/import" => Value::Null,
        "/api/v1/termbases/{id}/concepts" => serde_json::json!({"languages": [
            {"lang": "zh-CN", "terms": [{"text": "集装箱"}]}
        ]}),
        "/api/v1/qa" => serde_json::json!({
            "from": "zh-CN",
            "to": "en",
            "segments": [{"source": "包装箱宜采用瓦楞纸箱。", "target": "Corrugated cartons shall be used."}]
        }),
        other => panic!("{other}: no example body"),
    }
}
