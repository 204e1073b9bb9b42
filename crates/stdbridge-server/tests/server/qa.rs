//! `POST /api/v1/qa` over real HTTP: findings in the CLI's shape, the catalogue's word on
//! a cited edition, and bad bodies answered in the error shape.

use serde_json::{Value, json};

use super::{Server, start};

async fn post(server: &Server, body: Value) -> (u16, Value) {
    let response = server
        .client
        .post(format!("{}/api/v1/qa", server.base))
        .json(&body)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

#[tokio::test]
async fn segments_are_checked_with_the_catalogue_behind_designations() {
    let server = start().await;
    let (status, body) = post(
        &server,
        json!({
            "from": "zh-CN",
            "to": "en",
            "segments": [
                {"unit": "c1", "source": "包装箱宜采用瓦楞纸箱。", "target": "Corrugated cartons shall be used as packing cases."},
                {"source": "质量管理体系应符合ISO 9001:2008的要求。", "target": "The quality management system shall conform to ISO 9001:2008."},
                {"source": "集装箱的最大总质量为30 480 kg。", "target": "The maximum gross mass of the container is 30 480 kg."}
            ]
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["checked"], 3);
    let findings = body["findings"].as_array().expect("findings");
    let verbal = findings
        .iter()
        .find(|f| f["check"] == "verbal-form")
        .expect("a verbal-form finding");
    assert_eq!(verbal["unit"], "c1");
    assert_eq!(verbal["file"], "segments");
    assert_eq!(verbal["severity"], "error");
    assert_eq!(verbal["source_span"], json!([3, 4]));
    assert!(
        verbal["message_zh"]
            .as_str()
            .is_some_and(|m| m.contains("宜"))
    );
    let edition = findings
        .iter()
        .find(|f| f["check"] == "designation")
        .expect("a designation finding");
    assert_eq!(edition["unit"], "2");
    assert!(
        edition["message"]
            .as_str()
            .is_some_and(|m| m.contains("replaced by ISO 9001:2015")),
        "{edition}"
    );
    assert!(
        findings.iter().all(|f| f["segment"] != 3),
        "the clean segment: {body:#}"
    );
}

#[tokio::test]
async fn only_the_checks_asked_for_run() {
    let server = start().await;
    let (status, body) = post(
        &server,
        json!({
            "from": "zh", "to": "en", "checks": ["number"],
            "segments": [{"source": "宜为30 480 kg。", "target": "shall be 30 840 kg"}]
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let checks: Vec<&str> = body["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["check"].as_str())
        .collect();
    assert_eq!(checks, ["number"]);
}

#[tokio::test]
async fn bad_bodies_get_400_naming_what_is_wrong_and_termbases_need_an_account() {
    let server = start().await;
    let segment = json!([{"source": "应", "target": "shall"}]);
    for (body, named) in [
        (
            json!({"from": "zh", "to": "en", "segments": []}),
            "segments",
        ),
        (
            json!({"from": "chinese!", "to": "en", "segments": segment}),
            "from",
        ),
        (
            json!({"from": "zh", "to": "en", "segments": segment, "checks": ["spelling"]}),
            "body",
        ),
        (
            json!({"from": "zh", "to": "en", "segments": segment, "colour": "red"}),
            "body",
        ),
        (json!({"from": "zh", "segments": segment}), "body"),
    ] {
        let (status, answer) = post(&server, body.clone()).await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert_eq!(answer["code"], "bad_parameter");
        assert!(
            answer["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(named)),
            "{body} → {answer}"
        );
    }
    let response = server
        .client
        .post(format!("{}/api/v1/qa", server.base))
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 400);
    let answer: Value = response.json().await.expect("JSON");
    assert_eq!(answer["code"], "bad_parameter");

    let (status, answer) = post(
        &server,
        json!({"from": "zh", "to": "en", "segments": segment, "termbases": ["demo"]}),
    )
    .await;
    assert_eq!(status, 401, "{answer}");
    assert_eq!(answer["code"], "unauthenticated");
}
