//! Imports of small fixtures through the real path: files on disk, the SQLite store in a temporary data
//! directory, and the lookups the CLI uses.

use std::io::Write;
use std::path::{Path, PathBuf};
use stdbridge_storage::CatalogRepository;

use super::store;
use stdbridge_catalog::lookup::{MatchKind, find, replacement_chain};
use stdbridge_catalog::{CatalogError, Format, NoProgress, import_file};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[tokio::test]
async fn bad_lines_are_rejected_with_their_line_and_the_rest_is_stored() {
    let (_dir, store) = store().await;
    let report = import_file(&store, &fixture("relaton-small.jsonl"), None, &NoProgress)
        .await
        .expect("import runs");
    assert_eq!(report.format, Format::Relaton);
    assert_eq!(report.records, 6);
    assert_eq!(
        report.inserted, 3,
        "ISO 9001:2008, ISO 9001:2015 and ITU-T X.509"
    );
    let lines: Vec<(u64, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0].0, 3);
    assert!(lines[0].1.contains("JSON syntax error"), "{}", lines[0].1);
    assert_eq!(lines[1].0, 5);
    assert!(lines[1].1.contains("no docid"), "{}", lines[1].1);
    assert_eq!(lines[2].0, 6);
    assert!(lines[2].1.contains("not UTF-8"), "{}", lines[2].1);
    assert!(
        report.rejected[0]
            .to_string()
            .contains("relaton-small.jsonl:3:")
    );
}

#[tokio::test]
async fn a_line_that_is_not_utf8_is_rejected_by_number() {
    let (dir, store) = store().await;
    let path = dir.path().join("latin1.jsonl");
    let mut file = std::fs::File::create(&path).expect("create");
    writeln!(
        file,
        r#"{{"docid":[{{"id":"ISO 3:1973","type":"ISO","primary":true}}]}}"#
    )
    .expect("write");
    file.write_all(b"{\"docid\":[{\"id\":\"ISO 4:1997 \xe9\",\"primary\":true}]}\n")
        .expect("write");
    drop(file);
    let report = import_file(&store, &path, Some(Format::Relaton), &NoProgress)
        .await
        .expect("import runs");
    assert_eq!(report.inserted, 1);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].line, 2);
    assert!(report.rejected[0].reason.contains("not UTF-8"));
}

#[tokio::test]
async fn reimporting_changes_nothing() {
    let (_dir, store) = store().await;
    let path = fixture("relaton-small.jsonl");
    import_file(&store, &path, None, &NoProgress)
        .await
        .expect("first import");
    let before = store.stats().await.expect("stats");
    let again = import_file(&store, &path, None, &NoProgress)
        .await
        .expect("second import");
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 3));
    let after = store.stats().await.expect("stats");
    assert_eq!(before.standards, after.standards);
    assert_eq!(
        before.last_change, after.last_change,
        "an unchanged import writes no change"
    );
}

#[tokio::test]
async fn a_truncated_gzip_file_stores_nothing_and_names_the_line() {
    let (dir, store) = store().await;
    import_file(&store, &fixture("national.csv"), None, &NoProgress)
        .await
        .expect("csv import");
    let before = store.stats().await.expect("stats");

    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for number in 1..=2000 {
        writeln!(encoder, r#"{{"docid":[{{"id":"ISO {number}:2000","type":"ISO","primary":true}}],"title":[{{"content":"Title number {number} with some words","language":["en"],"type":"main"}}]}}"#)
            .expect("write");
    }
    let bytes = encoder.finish().expect("gzip");
    let path = dir.path().join("truncated.relaton.jsonl.gz");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("write");

    let error = import_file(&store, &path, None, &NoProgress)
        .await
        .expect_err("must fail");
    let message = error.to_string();
    assert!(
        matches!(error, CatalogError::Read { line: Some(_), .. }),
        "{message}"
    );
    assert!(message.contains("truncated.relaton.jsonl.gz:"), "{message}");
    assert!(
        message.contains("nothing from this file was stored"),
        "{message}"
    );
    let after = store.stats().await.expect("stats");
    assert_eq!(before.standards, after.standards);
    assert_eq!(before.last_change, after.last_change);
}

#[tokio::test]
async fn relaton_yaml_keeps_codes_as_written_and_maps_cyrillic_designations() {
    let (_dir, store) = store().await;
    let report = import_file(&store, &fixture("gost.yaml"), None, &NoProgress)
        .await
        .expect("import");
    assert_eq!(report.inserted, 1);
    let found = find(&store, "GOST R 34.11-2012")
        .await
        .expect("lookup")
        .expect("found");
    let record = &found.standard.record;
    assert_eq!(record.designation, "ГОСТ Р 34.11-2012");
    assert_eq!(
        record.ics,
        ["35.040"],
        "35.040 must not become the number 35.04"
    );
    assert_eq!(record.pages, Some(38));
    assert_eq!(
        record.title("ru").map(|t| t.starts_with("Информационная")),
        Some(true)
    );
    assert_eq!(record.country.as_deref(), Some("RU"));
}

#[tokio::test]
async fn generic_csv_reads_adoptions_and_names_bad_fields() {
    let (_dir, store) = store().await;
    let report = import_file(&store, &fixture("national.csv"), None, &NoProgress)
        .await
        .expect("import");
    assert_eq!(report.format, Format::GenericCsv);
    assert_eq!(report.inserted, 2);
    let reasons: Vec<String> = report
        .rejected
        .iter()
        .map(|r| format!("{}: {}", r.line, r.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            "4: field \"status\": \"alive\" is not a known value",
            "5: field \"published\": \"2000/01/01\" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        ]
    );
    let found = find(&store, "gbt 19001")
        .await
        .expect("lookup")
        .expect("found");
    assert_eq!(found.standard.record.designation, "GB/T 19001-2016");
    assert!(matches!(found.matched, MatchKind::CurrentEdition));
    let relations = store
        .relations_of(&found.standard)
        .await
        .expect("relations");
    assert!(relations.iter().any(|r| r.kind == "adopts"
        && r.designation == "ISO 9001:2015"
        && r.degree.as_deref() == Some("IDT")));
    let older = find(&store, "GB/T 19001—2008")
        .await
        .expect("lookup")
        .expect("found");
    let inverse = store
        .relations_of(&older.standard)
        .await
        .expect("relations");
    assert!(
        inverse
            .iter()
            .any(|r| r.kind == "replaced-by" && r.designation == "GB/T 19001-2016"),
        "{inverse:?}"
    );
}

#[tokio::test]
async fn undated_designation_finds_the_current_edition_and_its_chain() {
    let (_dir, store) = store().await;
    import_file(&store, &fixture("relaton-small.jsonl"), None, &NoProgress)
        .await
        .expect("import");
    let found = find(&store, "iso 9001")
        .await
        .expect("lookup")
        .expect("found");
    assert_eq!(found.standard.record.designation, "ISO 9001:2015");
    assert_eq!(found.editions, ["ISO 9001:2015", "ISO 9001:2008"]);
    let chain = replacement_chain(&store, &found.standard, false)
        .await
        .expect("chain");
    assert_eq!(
        chain
            .iter()
            .map(|l| l.designation.as_str())
            .collect::<Vec<_>>(),
        ["ISO 9001:2008"]
    );
    let older = find(&store, "ISO9001-2008")
        .await
        .expect("lookup")
        .expect("found");
    assert_eq!(older.standard.record.designation, "ISO 9001:2008");
    let forward = replacement_chain(&store, &older.standard, true)
        .await
        .expect("chain");
    assert_eq!(
        forward.first().map(|l| l.designation.as_str()),
        Some("ISO 9001:2015")
    );
    let itu = find(&store, "itu-t x.509")
        .await
        .expect("lookup")
        .expect("found");
    let relations = store.relations_of(&itu.standard).await.expect("relations");
    assert!(
        relations
            .iter()
            .any(|r| r.kind == "equivalent" && r.designation == "ISO/IEC 9594-8")
    );
}

#[tokio::test]
async fn unknown_format_is_refused_with_a_reason() {
    let (dir, store) = store().await;
    let path = dir.path().join("mystery.csv");
    std::fs::write(&path, "a,b,c\n1,2,3\n").expect("write");
    let error = import_file(&store, &path, None, &NoProgress)
        .await
        .expect_err("must fail");
    assert!(error.to_string().contains("unknown format"), "{error}");
}

#[tokio::test]
async fn generic_json_lines_refuse_unknown_fields() {
    let (dir, store) = store().await;
    let path = dir.path().join("national.jsonl");
    std::fs::write(
        &path,
        "{\"designation\": \"GB/T 2-2000\", \"tittles\": []}\n{\"designation\": \"GB/T 3-2000\"}\n",
    )
    .expect("write");
    let report = import_file(&store, &path, None, &NoProgress)
        .await
        .expect("import");
    assert_eq!(report.inserted, 1);
    assert_eq!(report.rejected.len(), 1);
    assert!(
        report.rejected[0]
            .reason
            .contains("unknown field `tittles`"),
        "{}",
        report.rejected[0].reason
    );
}

#[tokio::test]
async fn a_directory_of_yaml_files_is_one_import_and_a_bad_file_is_one_rejection() {
    let (dir, store) = store().await;
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("mkdir");
    std::fs::copy(fixture("gost.yaml"), data.join("a.yaml")).expect("copy");
    std::fs::write(
        data.join("b.yaml"),
        "docid:\n  id: ISO 5:1990\n  type: ISO\n  primary: true\n_source_file: data/b.yaml\n",
    )
    .expect("write");
    std::fs::write(data.join("c.yaml"), "docid: [unclosed\n").expect("write");
    let units = stdbridge_catalog::plan_units(std::slice::from_ref(&data), None).expect("plan");
    assert_eq!(units.len(), 1, "{units:?}");
    assert_eq!(units[0].paths.len(), 3);
    let report = stdbridge_catalog::import_unit(&store, &units[0], &NoProgress)
        .await
        .expect("import");
    assert_eq!(report.inserted, 2);
    assert_eq!(report.rejected.len(), 1);
    assert!(
        report.rejected[0].path.ends_with("c.yaml"),
        "{:?}",
        report.rejected[0]
    );
    assert!(
        report.rejected[0].reason.contains("YAML syntax error"),
        "{:?}",
        report.rejected[0]
    );
}

#[tokio::test]
async fn a_csv_record_with_a_ten_megabyte_field_is_rejected_and_not_stored() {
    let (dir, store) = store().await;
    let path = dir.path().join("huge.csv");
    let title = "x".repeat(10 << 20);
    std::fs::write(
        &path,
        format!("designation,title_en\nGB/T 1-2024,{title}\nGB/T 2-2024,A fine title\n"),
    )
    .expect("write");
    let report = import_file(&store, &path, None, &NoProgress)
        .await
        .expect("import runs");
    assert_eq!(report.inserted, 1, "the good record is stored");
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].line, 2);
    assert!(
        report.rejected[0]
            .reason
            .contains("titles[0].full has 10485760 characters; at most 2000 are allowed"),
        "{}",
        report.rejected[0].reason
    );
    assert!(store.by_key("GB/T 1-2024").await.expect("lookup").is_none());
}

#[tokio::test]
async fn a_json_line_over_the_limit_is_rejected_without_being_kept() {
    let (dir, store) = store().await;
    let path = dir.path().join("long.jsonl");
    let mut file = std::fs::File::create(&path).expect("create");
    writeln!(
        file,
        "{{\"designation\": \"GB/T 3-2024\", \"notes\": [\"{}\"]}}",
        "n".repeat(17 << 20)
    )
    .expect("write");
    writeln!(file, "{{\"designation\": \"GB/T 4-2024\"}}").expect("write");
    drop(file);
    let report = import_file(&store, &path, None, &NoProgress)
        .await
        .expect("import runs");
    assert_eq!(report.inserted, 1);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].line, 1);
    assert!(
        report.rejected[0]
            .reason
            .contains("at most 16777216 are allowed"),
        "{}",
        report.rejected[0].reason
    );
}

#[tokio::test]
async fn a_json_syntax_error_names_its_line_and_column_once() {
    let (dir, store) = store().await;
    let path = dir.path().join("broken.jsonl");
    std::fs::write(
        &path,
        "{\"designation\": \"GB/T 5-2024\"}\n{\"designation\": \"GB/T 6-2024\" \"titles\": []}\n",
    )
    .expect("write");
    let report = import_file(&store, &path, None, &NoProgress)
        .await
        .expect("import runs");
    let shown = report.rejected[0].to_string();
    assert!(
        shown.ends_with(":2: JSON syntax error at column 31: expected `,` or `}`"),
        "{shown}"
    );
    assert_eq!(shown.matches("line").count(), 0, "{shown}");
}
