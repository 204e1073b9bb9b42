//! `stdbridge store copy|check` on the embedded default: the demo store copied into a new
//! file has the same counts and checks sound; a missing source, a target that holds data
//! and a damaged store are each reported as such (PostgreSQL's side is in nodes.rs and the
//! storage crate's tests).

use super::{demo, json, stdbridge};

#[test]
fn the_demo_store_copies_into_a_new_file_with_the_same_counts() {
    let dir = demo();
    let from = format!("sqlite://{}", dir.path().join("stdbridge.sqlite").display());
    let to = format!("sqlite://{}", dir.path().join("copy.sqlite").display());
    let report = json(&stdbridge(
        dir.path(),
        &["store", "copy", "--from", &from, "--to", &to, "--json"],
    ));
    let tables = report["tables"].as_array().expect("tables");
    assert!(
        tables.iter().all(|t| t["source"] == t["target"]),
        "{report}"
    );
    assert!(
        tables
            .iter()
            .any(|t| t["table"] == "standards" && t["source"].as_i64() > Some(350)),
        "{report}"
    );
    let original = json(&stdbridge(dir.path(), &["stats", "--json"]));
    let copied = json(&stdbridge(
        dir.path(),
        &["--database-url", &to, "stats", "--json"],
    ));
    assert_eq!(original, copied);
    for url in [&from, &to] {
        let checked = stdbridge(dir.path(), &["store", "check", url]);
        let text = String::from_utf8_lossy(&checked.stdout).into_owned();
        assert!(checked.status.success(), "{text}");
        assert!(text.contains("ok  every record reads"), "{text}");
    }

    // Again into the copy: refused, and the copy is left as it was.
    let again = stdbridge(dir.path(), &["store", "copy", "--from", &from, "--to", &to]);
    assert_eq!(again.status.code(), Some(4), "a conflict");
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("is not empty"), "{said}");
    assert_eq!(
        json(&stdbridge(
            dir.path(),
            &["--database-url", &to, "stats", "--json"]
        )),
        original
    );
}

#[test]
fn a_missing_store_and_a_broken_rule_are_reported() {
    let dir = demo();
    let missing = format!("sqlite://{}", dir.path().join("nowhere.sqlite").display());
    let to = format!("sqlite://{}", dir.path().join("copy.sqlite").display());
    let output = stdbridge(
        dir.path(),
        &["store", "copy", "--from", &missing, "--to", &to],
    );
    assert_eq!(output.status.code(), Some(2), "bad input");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("from") && said.contains("no SQLite store"),
        "{said}"
    );
    assert!(!dir.path().join("nowhere.sqlite").exists(), "nothing made");

    // A source record deleted behind the store's back breaks a rule that check names.
    let file = dir.path().join("stdbridge.sqlite");
    let url = format!("sqlite://{}", file.display());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        use sqlx::Connection;
        let mut connection = sqlx::SqliteConnection::connect(&url).await.expect("opens");
        sqlx::query(
            "DELETE FROM standard_sources WHERE standard_id = (SELECT MIN(standard_id) FROM standard_sources)",
        )
        .execute(&mut connection)
        .await
        .expect("deletes");
    });
    let checked = stdbridge(dir.path(), &["store", "check", "--json"]);
    assert_eq!(checked.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&checked.stdout).expect("JSON");
    let broken: Vec<&serde_json::Value> = report["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter(|r| r["violations"] != 0)
        .collect();
    assert_eq!(broken.len(), 1, "{report}");
    assert_eq!(
        broken[0]["rule"],
        "every standard has at least one source record"
    );
    assert_eq!(
        report["unreadable_records"].as_array().map(Vec::len),
        Some(1),
        "the standard left without a record is named: {report}"
    );
}
