//! The real catalogue data under `../shared/data/catalog` (146,791 Relaton records of ISO,
//! IEC, ITU, JIS and EASC). This test uses ../shared: it is skipped, with a printed
//! reason, where that directory is absent (on a user's machine).

use std::path::PathBuf;
use stdbridge_storage::{CatalogRepository, ReferenceRepository};

use stdbridge_catalog::lookup::{MatchKind, find, replacement_chain};
use stdbridge_catalog::{NoProgress, import_file};
use stdbridge_core::Designation;

use super::store;

/// Distinct primary identifiers, as written, in the five files.
const DISTINCT_AS_WRITTEN: u64 = 131_805;
const RECORDS: u64 = 146_791;

fn shared_catalog() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/catalog");
    if dir.join("relaton-iso/iso.relaton.jsonl.gz").exists() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is absent (the real catalogue data exists only beside the repository)",
            dir.display()
        );
        None
    }
}

fn relaton_files(dir: &std::path::Path) -> Vec<PathBuf> {
    [
        "relaton-iso/iso.relaton.jsonl.gz",
        "relaton-iec/iec.relaton.jsonl.gz",
        "relaton-itu/itu.relaton.jsonl.gz",
        "relaton-jis/jis.relaton.jsonl.gz",
        "relaton-easc/easc.relaton.jsonl",
    ]
    .iter()
    .map(|file| dir.join(file))
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_relaton_catalogue_imports_merges_and_reimports_to_nothing() {
    let Some(dir) = shared_catalog() else { return };
    let (_guard, store) = store().await;
    let files = relaton_files(&dir);
    let (mut records, mut inserted, mut updated, mut merges, mut rejected) = (0, 0, 0, 0, 0);
    for file in &files {
        let report = import_file(&store, file, None, &NoProgress)
            .await
            .expect("real file imports");
        records += report.records;
        inserted += report.inserted;
        updated += report.updated;
        merges += report.merges.len() as u64;
        rejected += report.rejected.len();
    }
    assert_eq!(records, RECORDS);
    assert_eq!(rejected, 0);
    let standards = u64::try_from(store.stats().await.expect("stats").standards).expect("count");
    assert_eq!(standards, inserted);
    assert_eq!(
        standards + merges,
        DISTINCT_AS_WRITTEN,
        "every standard is distinct as written, or a listed merge"
    );
    assert_eq!(updated, RECORDS - DISTINCT_AS_WRITTEN + merges);

    // Importing everything again, in another order, changes nothing.
    for file in files.iter().rev() {
        let report = import_file(&store, file, None, &NoProgress)
            .await
            .expect("reimport");
        assert_eq!(
            (report.inserted, report.updated),
            (0, 0),
            "{}",
            file.display()
        );
    }

    let current = find(&store, "iso 9001")
        .await
        .expect("lookup")
        .expect("found");
    assert_eq!(current.standard.record.designation, "ISO 9001:2015");
    assert!(matches!(current.matched, MatchKind::CurrentEdition));
    let chain = replacement_chain(&store, &current.standard, false)
        .await
        .expect("chain");
    let chain: Vec<&str> = chain.iter().map(|l| l.designation.as_str()).collect();
    assert_eq!(
        chain,
        [
            "ISO 9001:2008",
            "ISO 9001:2000",
            "ISO 9001:1994",
            "ISO 9001:1987"
        ]
    );
    for spelling in [
        "ISO9001-2008",
        "ＩＳＯ ９００１：２００８",
        "iso 9001 : 2008",
    ] {
        let found = find(&store, spelling)
            .await
            .expect("lookup")
            .expect("found");
        assert_eq!(
            found.standard.record.designation, "ISO 9001:2008",
            "{spelling}"
        );
    }
    // ITU-T X.509 and ISO/IEC 9594-8 are one text published twice.
    let itu = find(&store, "ITU-T X.509 (10/2019)")
        .await
        .expect("lookup")
        .expect("found");
    let twins = stdbridge_catalog::lookup::equivalents(&store, &itu.standard)
        .await
        .expect("equivalents");
    assert_eq!(
        twins
            .iter()
            .map(|e| e.designation.as_str())
            .collect::<Vec<_>>(),
        ["ISO/IEC 9594-8:2020"]
    );
    // A joint standard present in both the ISO and the IEC data is one record with both sources.
    let joint = find(&store, "IEC 31010:2019")
        .await
        .expect("lookup")
        .expect("found");
    assert_eq!(
        joint.standard.sources.len(),
        2,
        "{:?}",
        joint.standard.sources
    );
}

#[test]
fn real_primary_designations_parse() {
    let Some(dir) = shared_catalog() else { return };
    let mut total = 0u32;
    let mut failed = Vec::new();
    for file in relaton_files(&dir) {
        let reader = stdbridge_catalog::input::open(&file, &Default::default()).expect("open");
        let mut lines = stdbridge_catalog::input::Lines::new(reader, &file);
        while let Some((_, line)) = lines.next_line().expect("read") {
            let Ok(line) = line else { continue };
            let Ok((record, _)) = stdbridge_catalog::relaton::read_json_line(&line) else {
                continue;
            };
            total += 1;
            match Designation::parse(&record.designation) {
                Ok(parsed) => assert_eq!(
                    Designation::parse(&parsed.to_string()).as_ref(),
                    Ok(&parsed)
                ),
                Err(_) => failed.push(record.designation),
            }
        }
    }
    // White papers, market reports and a few malformed identifiers have no designation
    // structure; they are kept under their folded text.
    assert!(
        failed.len() * 1000 < total as usize,
        "{} of {total} failed: {:?}",
        failed.len(),
        &failed[..failed.len().min(20)]
    );
}

#[tokio::test]
async fn real_iso_open_data_and_reference_data_import() {
    let Some(dir) = shared_catalog() else { return };
    let (_guard, store) = store().await;
    for file in [
        "iso-open-data/iso_deliverables_metadata.sample.jsonl",
        "iso-open-data/iso_deliverable_62085.json",
    ] {
        let report = import_file(&store, &dir.join(file), None, &NoProgress)
            .await
            .expect("imports");
        assert_eq!(
            report.format,
            stdbridge_catalog::Format::IsoOpenData,
            "{file}"
        );
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    }
    let found = find(&store, "ISO 9001:2015")
        .await
        .expect("lookup")
        .expect("found");
    let record = &found.standard.record;
    assert_eq!(record.stage.as_deref(), Some("90.92"));
    assert_eq!(record.pages, Some(29));
    assert_eq!(record.ics, ["03.120.10", "03.100.70"]);
    assert!(
        record.abstracts[0]
            .text
            .starts_with("ISO 9001:2015 specifies requirements")
    );

    let reference = [
        ("iso-open-data/ICS.csv", 1_381),
        ("iso-ics-codes/ics-ed7.jsonl", 1_381),
        ("cn-ccs-codes/cat-level1.csv", 24),
        ("cn-ccs-codes/cat-level2.csv", 225),
        ("cn-ccs-codes/cat-level3.csv", 1_608),
        ("country-codes/country-codes.csv", 249),
        ("relaton-sdo/sdo-orgs.jsonl", 25),
    ];
    for (file, count) in reference {
        let report = import_file(&store, &dir.join(file), None, &NoProgress)
            .await
            .expect("imports");
        assert_eq!(
            report.records,
            count,
            "{file}: {:?}",
            report.rejected.first()
        );
        assert!(report.rejected.is_empty(), "{file}: {:?}", report.rejected);
    }
    let names = store.ccs_names("A00").await.expect("query");
    assert_eq!(names.map(|n| n.0), Some("标准化、质量管理".to_owned()));
}
