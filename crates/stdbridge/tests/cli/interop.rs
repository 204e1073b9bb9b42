//! Our XLIFF 1.2 through another CAT tool and back: every DOCX sample under ../shared is
//! extracted, opened and saved by translate-toolkit (the library behind Pootle, Weblate and
//! Virtaal) with each target set to its source, and merged: the document comes back with
//! the same text and codes. translate-toolkit comes from the Python named by
//! `STDBRIDGE_TEST_PYTHON` (`.ci/run` makes a virtual environment with it); without it the
//! test says so and passes, unless `STDBRIDGE_REQUIRE_TRANSLATE_TOOLKIT` is set.

use std::path::{Path, PathBuf};
use std::process::Command;

use stdbridge_filters::model::marked;
use stdbridge_filters::{FilterOptions, Format, extract, filter_for};
use stdbridge_text::Segmenter;

use super::stdbridge;

/// Sets every target to its source and saves, as a translator confirming each unit would.
const CONFIRM_ALL: &str = r#"
import sys
from translate.storage import factory
store = factory.getobject(sys.argv[1])
for unit in store.units:
    if not unit.isheader():
        unit.target = unit.source
store.savefile(sys.argv[2])
"#;

/// A Python with translate-toolkit, or why there is none.
fn python() -> Option<PathBuf> {
    let Some(python) = std::env::var_os("STDBRIDGE_TEST_PYTHON").map(PathBuf::from) else {
        assert!(
            std::env::var_os("STDBRIDGE_REQUIRE_TRANSLATE_TOOLKIT").is_none(),
            "STDBRIDGE_REQUIRE_TRANSLATE_TOOLKIT is set but STDBRIDGE_TEST_PYTHON is not"
        );
        println!("skipped: STDBRIDGE_TEST_PYTHON names no Python with translate-toolkit");
        return None;
    };
    Some(python)
}

fn samples() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/translation");
    if !dir.is_dir() {
        println!("skipped: {} is absent", dir.display());
        return None;
    }
    let mut found = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "docx") {
                found.push(path);
            }
        }
    }
    found.sort();
    Some(found)
}

/// The document's segments as text with codes.
fn segments(bytes: &[u8]) -> Vec<String> {
    let filter = filter_for(Format::Docx, FilterOptions::default());
    extract(
        filter.as_ref(),
        bytes,
        "doc.docx",
        &Segmenter::for_language("en"),
    )
    .expect("extracts")
    .iter()
    .flat_map(|u| u.segments().map(|s| marked(s)).collect::<Vec<_>>())
    .collect()
}

#[test]
fn translate_toolkit_round_trips_our_xliff_12_for_every_docx_sample() {
    let (Some(python), Some(samples)) = (python(), samples()) else {
        return;
    };
    assert!(samples.len() >= 9, "{} DOCX samples", samples.len());
    let dir = tempfile::tempdir().expect("temporary directory");
    let script = dir.path().join("confirm_all.py");
    std::fs::write(&script, CONFIRM_ALL).expect("write");
    for (n, sample) in samples.iter().enumerate() {
        let xliff = dir.path().join(format!("{n}.xlf"));
        let confirmed = dir.path().join(format!("{n}.confirmed.xlf"));
        let merged = dir.path().join(format!("{n}.docx"));
        let path = |p: &Path| p.to_str().expect("a UTF-8 path").to_owned();
        let extracted = stdbridge(
            dir.path(),
            &[
                "extract",
                &path(sample),
                "-o",
                &path(&xliff),
                "--xliff-version",
                "1.2",
                "--from",
                "en",
                "--to",
                "fr",
            ],
        );
        assert!(
            extracted.status.success(),
            "{}: {}",
            sample.display(),
            String::from_utf8_lossy(&extracted.stderr)
        );
        let saved = Command::new(&python)
            .arg(&script)
            .arg(&xliff)
            .arg(&confirmed)
            .output()
            .expect("Python runs");
        assert!(
            saved.status.success(),
            "translate-toolkit: {}",
            String::from_utf8_lossy(&saved.stderr)
        );
        let output = stdbridge(
            dir.path(),
            &["merge", &path(&confirmed), "-o", &path(&merged)],
        );
        assert!(
            output.status.success(),
            "{}: {}",
            sample.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let original = std::fs::read(sample).expect("reads");
        let back = std::fs::read(&merged).expect("merged");
        assert_eq!(segments(&back), segments(&original), "{}", sample.display());
    }
}

#[test]
fn a_translated_target_that_cannot_be_merged_never_exits_zero() {
    let (Some(python), Some(_)) = (python(), samples()) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let doc = dir.path().join("doc.txt");
    std::fs::write(
        &doc,
        "This standard shall apply. See clause 4.\n\nAnnex A applies.\n",
    )
    .expect("write");
    let xliff = dir.path().join("doc.xlf");
    let path = |p: &Path| p.to_str().expect("a UTF-8 path").to_owned();
    let extracted = stdbridge(
        dir.path(),
        &[
            "extract",
            &path(&doc),
            "-o",
            &path(&xliff),
            "--xliff-version",
            "1.2",
            "--from",
            "en",
            "--to",
            "fr",
        ],
    );
    assert!(extracted.status.success());
    // A unit renamed in the XLIFF: its translation has no place in the original.
    let text = std::fs::read_to_string(&xliff)
        .expect("reads")
        .replace("id=\"u2\"", "id=\"u7\"");
    std::fs::write(&xliff, text).expect("write");
    let script = dir.path().join("confirm_all.py");
    std::fs::write(&script, CONFIRM_ALL).expect("write");
    let confirmed = dir.path().join("confirmed.xlf");
    let saved = Command::new(&python)
        .arg(&script)
        .arg(&xliff)
        .arg(&confirmed)
        .output()
        .expect("runs");
    assert!(saved.status.success());
    let merged = dir.path().join("merged.txt");
    let output = stdbridge(
        dir.path(),
        &["merge", &path(&confirmed), "-o", &path(&merged)],
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("u7") && stderr.contains("not merged"),
        "{stderr}"
    );
    assert!(!merged.exists(), "nothing written");
}
