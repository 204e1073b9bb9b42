//! Tests of the generator: determinism, scale of the mix, and records that import.

use super::*;

fn generated(records: usize, seed: u64) -> (Vec<u8>, GenerateSummary) {
    let mut out = Vec::new();
    let summary = match write_jsonl(records, seed, &mut out) {
        Ok(summary) => summary,
        Err(e) => panic!("generation failed: {e}"),
    };
    (out, summary)
}

#[test]
fn same_seed_same_catalogue_other_seed_other_catalogue() {
    let (first, summary) = generated(3_000, 7);
    let (again, _) = generated(3_000, 7);
    let (other, _) = generated(3_000, 8);
    assert_eq!(summary.records, 3_000);
    assert_eq!(first, again);
    assert_ne!(first, other);
    assert_eq!(first.iter().filter(|b| **b == b'\n').count(), 3_000);
}

#[test]
fn records_are_valid_distinct_and_varied() {
    let (out, summary) = generated(20_000, 1);
    let text = String::from_utf8_lossy(&out);
    let mut keys = HashSet::new();
    let mut countries = HashSet::new();
    let mut chinese_titles = 0;
    for (n, line) in text.lines().enumerate() {
        let record = match stdbridge_catalog::generic::standard_from_json(line) {
            Ok(record) => record,
            Err(e) => panic!("line {}: {}", n + 1, e.0),
        };
        assert!(
            keys.insert(stdbridge_core::designation::lenient_keys(&record.designation).0),
            "line {}: {} twice",
            n + 1,
            record.designation
        );
        if let Some(country) = &record.country {
            countries.insert(country.clone());
            if country == "CN" {
                assert!(
                    record.title("zh").is_some(),
                    "{} has no Chinese title",
                    record.designation
                );
                chinese_titles += 1;
            }
        }
        assert!(!record.titles.is_empty());
        if record.publishers.iter().any(|p| p == "ISO" || p == "SAC") {
            assert!(!record.ics.is_empty(), "{} has no ICS", record.designation);
        }
    }
    assert!(countries.len() >= 50, "only {} countries", countries.len());
    assert!(
        chinese_titles > 1_000,
        "only {chinese_titles} Chinese records"
    );
    assert!(summary.adoptions > 500, "{} adoptions", summary.adoptions);
    assert!(summary.by_body.len() > 60, "{:?}", summary.by_body.keys());
}

#[test]
fn designations_of_the_real_families_parse() {
    let (out, _) = generated(5_000, 3);
    let text = String::from_utf8_lossy(&out);
    for line in text.lines() {
        let Ok(record) = stdbridge_catalog::generic::standard_from_json(line) else {
            panic!("invalid line {line}");
        };
        let family = record.publishers.first().map(String::as_str);
        if matches!(
            family,
            Some("ISO" | "IEC" | "ITU" | "SAC" | "JISC" | "Rosstandart")
        ) {
            assert!(
                stdbridge_core::Designation::parse(&record.designation).is_ok(),
                "{} does not parse",
                record.designation
            );
        }
    }
}
