//! Every TMX, TBX and SRX file under ../shared/data/translation (real files from OmegaT,
//! Okapi, the LISA TMX compliance kit, LTAC and TICO-19). These tests use `../shared`
//! and skip, saying so, where it is absent (it is not part of the repository).

use std::path::{Path, PathBuf};

use stdbridge_storage::SqliteStore as Store;
use stdbridge_tm::termbase::{GlossaryLanguages, Termbases};
use stdbridge_tm::tmx::{TmxItem, TmxReader};
use stdbridge_tm::{LookupRequest, Memories, Segment};

fn shared() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/translation");
    if root.is_dir() {
        Some(root)
    } else {
        println!(
            "skipped: {} is absent (shared test data is not in the repository)",
            root.display()
        );
        None
    }
}

fn files_with(root: &Path, extension: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(extension))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Files that are broken on purpose in the projects they come from, and why we refuse them.
const EXPECTED_REJECTIONS: [(&str, &str); 1] = [("test-omegat-invalid.tmx", "")];

#[tokio::test]
async fn every_tmx_file_imports_or_is_rejected_with_a_reason() {
    let Some(root) = shared() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in(dir.path()).await.expect("store");
    let memories = Memories::open(std::sync::Arc::new(store), dir.path())
        .await
        .expect("memories");
    let files = files_with(&root, "tmx");
    assert!(files.len() >= 80, "found {} TMX files", files.len());
    let mut imported = 0;
    let mut rejected = Vec::new();
    for (number, file) in files.iter().enumerate() {
        let name = format!("m{number}");
        match memories.import_tmx(&name, file, |_| {}).await {
            Ok(report) => {
                imported += 1;
                for line in &report.rejected {
                    println!("unit rejected: {line}");
                }
                if report.merged == 0 && report.rejected.is_empty() {
                    assert_eq!(
                        read_units(file),
                        exported_units(&memories, &name).await,
                        "{}",
                        file.display()
                    );
                }
            }
            Err(error) => {
                let text = error.to_string();
                println!("file rejected: {text}");
                assert!(
                    text.contains(&file.display().to_string()),
                    "names the file: {text}"
                );
                rejected.push((file.clone(), text));
            }
        }
    }
    println!("{imported} TMX files imported, {} rejected", rejected.len());
    for (file, reason) in &rejected {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        assert!(
            EXPECTED_REJECTIONS
                .iter()
                .any(|(expected, _)| *expected == name)
                || name.contains("invalid"),
            "{name} was rejected: {reason}"
        );
    }
}

fn read_units(path: &Path) -> Vec<stdbridge_tm::Unit> {
    let mut reader = TmxReader::open(path).expect("opens");
    let mut units = Vec::new();
    while let Some(item) = reader.next_item().expect("reads") {
        if let TmxItem::Unit(unit, _) = item {
            units.push(unit);
        }
    }
    units
}

/// A memory exported as TMX and read back.
async fn exported_units(memories: &Memories, name: &str) -> Vec<stdbridge_tm::Unit> {
    let mut bytes = Vec::new();
    memories.export_tmx(name, &mut bytes).await.expect("export");
    let text = String::from_utf8(bytes).expect("utf-8");
    let mut reader = TmxReader::from_str(&text, "exported.tmx").expect("reads");
    let mut units = Vec::new();
    while let Some(item) = reader.next_item().expect("reads") {
        if let TmxItem::Unit(unit, _) = item {
            units.push(unit);
        }
    }
    units
}

#[tokio::test]
async fn tmx_files_read_and_written_say_the_same() {
    let Some(root) = shared() else { return };
    for file in files_with(&root, "tmx") {
        let Ok(mut reader) = TmxReader::open(&file) else {
            continue;
        };
        let header = reader.header().clone();
        let mut units = Vec::new();
        let mut readable = true;
        loop {
            match reader.next_item() {
                Ok(Some(TmxItem::Unit(unit, _))) => units.push(unit),
                Ok(Some(TmxItem::Rejected(..))) => {}
                Ok(None) => break,
                Err(_) => {
                    readable = false;
                    break;
                }
            }
        }
        if !readable {
            continue;
        }
        let mut writer = stdbridge_tm::tmx::TmxWriter::start(Vec::new(), &header).expect("header");
        for unit in &units {
            writer.unit(unit).expect("unit");
        }
        let written = String::from_utf8(writer.finish().expect("finish")).expect("utf-8");
        let mut again = TmxReader::from_str(&written, "again.tmx").expect("reads back");
        let mut units_again = Vec::new();
        while let Some(item) = again.next_item().expect("reads back") {
            if let TmxItem::Unit(unit, _) = item {
                units_again.push(unit);
            }
        }
        assert_eq!(units, units_again, "{}", file.display());
    }
}

/// The compliance kit's import tests: each ImportTest1x.tmx comes with the source text
/// (ImportTest1x.txt) and the translation a tool must produce from the memory
/// (ImportTest1x_<lang>.txt), line by line.
#[tokio::test]
async fn the_lisa_compliance_kit_import_tests_give_the_expected_translations() {
    let Some(root) = shared() else { return };
    let kit = root.join("lisa-tmx-compliance-kit");
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in(dir.path()).await.expect("store");
    let memories = Memories::open(std::sync::Arc::new(store), dir.path())
        .await
        .expect("memories");
    let mut checked = 0;
    for letter in ["A", "B", "C", "D", "E", "F", "G", "H", "I"] {
        let name = format!("ImportTest1{letter}");
        let tmx = kit.join(format!("{name}.tmx"));
        let source = kit.join(format!("{name}.txt"));
        let Some(target) = std::fs::read_dir(&kit).ok().and_then(|entries| {
            entries.flatten().map(|e| e.path()).find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{name}_")) && n.ends_with(".txt"))
            })
        }) else {
            continue;
        };
        let target_lang = target
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.split('_').nth(1))
            .unwrap_or("")
            .to_owned();
        let header_lang = TmxReader::open(&tmx)
            .expect("opens")
            .header()
            .attr("srclang")
            .unwrap_or("en-us")
            .to_owned();
        memories
            .import_tmx(&name, &tmx, |_| {})
            .await
            .expect("imports");
        let sources = lines(&source);
        let targets = lines(&target);
        assert_eq!(sources.len(), targets.len(), "{name}");
        for (source_line, expected) in sources.iter().zip(&targets) {
            let found = memories
                .lookup(&LookupRequest {
                    memories: vec![name.clone()],
                    source_lang: header_lang.clone(),
                    target_lang: target_lang.clone(),
                    query: Segment::text(source_line.clone()),
                    limit: 1,
                    min_score: 100,
                })
                .await
                .expect("lookup");
            assert_eq!(found.len(), 1, "{name}: no exact match for {source_line:?}");
            assert_eq!(&found[0].target, expected, "{name}: {source_line:?}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "checked {checked} segments");
}

/// Lines of a text file in UTF-8 or UTF-16 (with a byte-order mark).
fn lines(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).expect("read");
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes))
            .into_owned()
    };
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn every_tbx_file_imports_and_round_trips() {
    let Some(root) = shared() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in(dir.path()).await.expect("store");
    let termbases = Termbases::new(std::sync::Arc::new(store));
    let files = files_with(&root, "tbx");
    assert!(files.len() >= 10);
    for (number, file) in files.iter().enumerate() {
        let name = format!("t{number}");
        let report = termbases
            .import(&name, file, &GlossaryLanguages::default())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(report.read > 0, "{}: no concepts", file.display());
        let concepts = termbases.concepts(&name).await.expect("concepts");
        assert!(
            concepts
                .iter()
                .flat_map(|c| &c.languages)
                .any(|s| !s.terms.is_empty()),
            "{}: no terms",
            file.display()
        );
        let exported = dir.path().join(format!("{name}.tbx"));
        let out = std::fs::File::create(&exported).expect("create");
        termbases.export_tbx(&name, out).await.expect("export");
        let again = format!("{name}-again");
        termbases
            .import(&again, &exported, &GlossaryLanguages::default())
            .await
            .expect("re-import");
        assert_eq!(
            concepts,
            termbases.concepts(&again).await.expect("concepts"),
            "{}",
            file.display()
        );
    }
    // The TBX v3 samples in both styles say the same.
    let dca = root.join("ltac-tbx-basic/DCA/Example_Astronomy_DCA_VALID.tbx");
    let dct = root.join("ltac-tbx-basic/DCT/Example_Astronomy_DCT_VALID.tbx");
    termbases
        .import("dca", &dca, &GlossaryLanguages::default())
        .await
        .expect("dca");
    termbases
        .import("dct", &dct, &GlossaryLanguages::default())
        .await
        .expect("dct");
    let dca = termbases.concepts("dca").await.expect("dca");
    let dct = termbases.concepts("dct").await.expect("dct");
    assert_eq!(dca.len(), 45);
    // The two samples place one note differently (c6); their terms and definitions agree.
    let essentials = |concepts: &[stdbridge_tm::termbase::Concept]| -> Vec<_> {
        concepts
            .iter()
            .map(|c| {
                let sections: Vec<_> = c
                    .languages
                    .iter()
                    .map(|s| (s.lang.clone(), s.definition.clone(), s.terms.clone()))
                    .collect();
                (c.id.clone(), c.subject_field.clone(), sections)
            })
            .collect()
    };
    assert_eq!(essentials(&dca), essentials(&dct), "DCA and DCT differ");
    assert!(dca.iter().any(|c| c.subject_field.is_some()));
    assert!(
        dca.iter()
            .flat_map(|c| &c.languages)
            .flat_map(|s| &s.terms)
            .any(|t| t.part_of_speech.is_some())
    );
}

#[tokio::test]
async fn the_tico_term_lists_import_and_are_found() {
    let Some(root) = shared() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_in(dir.path()).await.expect("store");
    let termbases = Termbases::new(std::sync::Arc::new(store));
    for file in files_with(&root.join("tico-19"), "csv") {
        let report = termbases
            .import("tico", &file, &GlossaryLanguages::default())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(
            report.read >= 49,
            "{}: {} concepts",
            file.display(),
            report.read
        );
    }
    let matcher = termbases
        .matcher(&["tico".into()], "zh-CN", "en")
        .await
        .expect("matcher");
    let hits = matcher.find("境外输入病例和无症状感染者都应隔离。");
    let found: Vec<&str> = hits.iter().map(|h| h.text.as_str()).collect();
    assert!(
        found.contains(&"境外输入病例") && found.contains(&"无症状感染者"),
        "{found:?}"
    );
}

#[test]
fn every_srx_file_loads_or_names_the_rule_it_cannot_compile() {
    let Some(root) = shared() else { return };
    for file in files_with(&root, "srx") {
        match stdbridge_text::SrxRules::load(&file) {
            Ok(rules) => {
                println!("{}: {} rules", file.display(), rules.rule_count());
                let segmenter = rules.segmenter("en-US");
                let _ = segmenter.sentences("First sentence. Second one.");
            }
            Err(error) => {
                let text = error.to_string();
                println!("{text}");
                assert!(
                    text.contains(&file.display().to_string()) && text.contains("rule"),
                    "{text}"
                );
            }
        }
    }
    let omegat =
        root.join("omegat/src/main/resources/org/omegat/core/segmentation/defaultRules.srx");
    let rules = stdbridge_text::SrxRules::load(&omegat).expect("OmegaT's rules load");
    assert_eq!(
        rules
            .segmenter("zh-CN")
            .sentences("第一句。第二句！第三句？"),
        vec!["第一句。", "第二句！", "第三句？"]
    );
}

#[tokio::test]
async fn a_gzip_compressed_tmx_imports_like_the_plain_one() {
    let Some(root) = shared() else { return };
    let plain = root.join("omegat/src/test/resources/data/tmx/test-level2.tmx");
    let packed = root.join("omegat/src/test/resources/data/tmx/test-level2.tmx.gz");
    let read = |path: &Path| {
        let mut reader = TmxReader::open(path).expect("opens");
        let mut units = Vec::new();
        while let Some(item) = reader.next_item().expect("reads") {
            if let TmxItem::Unit(unit, _) = item {
                units.push(unit);
            }
        }
        units
    };
    let units = read(&plain);
    assert!(!units.is_empty());
    assert_eq!(units, read(&packed));
}
