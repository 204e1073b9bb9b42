//! Termbases from glossaries: the columns of a language-tag header are languages or data
//! categories, never both; an unknown column is refused with its name.

use std::sync::Arc;

use stdbridge_storage::SqliteStore;
use stdbridge_tm::termbase::Termbases;

const DEMO_TERMS: &str = include_str!("../../../../demo/translation/standards-terms.csv");

async fn termbases(dir: &std::path::Path) -> Termbases {
    let store = SqliteStore::open_in(dir).await.expect("store");
    Termbases::new(Arc::new(store))
}

#[tokio::test]
async fn tbx_export_does_not_invent_a_language_from_the_pos_column() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let termbases = termbases(dir.path()).await;
    let csv = dir.path().join("terms.csv");
    std::fs::write(&csv, DEMO_TERMS).expect("write");
    let report = termbases
        .import("standards", &csv, &Default::default())
        .await
        .expect("imports");
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let mut tbx = Vec::new();
    termbases
        .export_tbx("standards", &mut tbx)
        .await
        .expect("exports");
    let tbx = String::from_utf8(tbx).expect("UTF-8");
    assert!(!tbx.contains("xml:lang=\"pos\""), "{tbx}");
    assert!(!tbx.contains("xml:lang=\"note\""), "{tbx}");
    let concepts = termbases.concepts("standards").await.expect("concepts");
    let shall = concepts
        .iter()
        .find(|c| c.section("zh-CN").is_some_and(|s| s.terms[0].text == "应"))
        .expect("应 is a concept");
    assert_eq!(shall.languages.len(), 2, "zh-CN and en only: {shall:?}");
    assert_eq!(
        shall.languages[0].terms[0].part_of_speech.as_deref(),
        Some("verb")
    );
}

#[tokio::test]
async fn a_glossary_column_that_is_neither_a_language_nor_known_is_refused() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let termbases = termbases(dir.path()).await;
    let csv = dir.path().join("terms.csv");
    std::fs::write(&csv, "zh-CN,en,colour\n集装箱,freight container,blue\n").expect("write");
    let error = termbases
        .import("terms", &csv, &Default::default())
        .await
        .expect_err("an unknown column");
    let message = error.to_string();
    assert!(
        message.contains("column 3") && message.contains("\"colour\""),
        "{message}"
    );
    assert!(
        termbases.list().await.expect("list").is_empty(),
        "nothing stored"
    );
    // A tag with an unregistered subtag is no language.
    std::fs::write(&csv, "zh-CN,en,xx-Qqqq\n集装箱,freight container,x\n").expect("write");
    assert!(
        termbases
            .import("terms", &csv, &Default::default())
            .await
            .is_err()
    );
}
