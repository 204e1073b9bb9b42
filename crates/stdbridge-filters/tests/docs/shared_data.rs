//! The DOCX and XLIFF samples of other projects under ../shared/data/translation (skipped
//! with a printed reason when ../shared is absent).

use std::path::{Path, PathBuf};
use std::process::Command;

use stdbridge_filters::{Format, pseudo_translate};

use crate::support::{canonical, canonical_with, entries, merged, part, units};

/// `../shared/data/translation` seen from this crate, when present.
pub fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/translation");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} is absent", dir.display());
        None
    }
}

/// Files under `dir` whose name ends with one of `extensions`.
pub fn files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in read.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if extensions
                .iter()
                .any(|e| path.to_string_lossy().to_lowercase().ends_with(e))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The WordprocessingML parts with text of a package.
fn text_parts(bytes: &[u8]) -> Vec<String> {
    entries(bytes)
        .into_iter()
        .filter(|name| {
            name == "word/document.xml"
                || (name.starts_with("word/header")
                    || name.starts_with("word/footer")
                    || name.starts_with("word/footnotes")
                    || name.starts_with("word/endnotes"))
                    && name.ends_with(".xml")
        })
        .collect()
}

#[test]
fn every_docx_sample_round_trips_with_its_text_formatting_tables_notes_and_fields() {
    let Some(dir) = shared() else { return };
    let samples = files(&dir, &[".docx"]);
    assert!(samples.len() >= 9, "{} DOCX samples", samples.len());
    for path in samples {
        let bytes = std::fs::read(&path).expect("reads");
        let found = units(Format::Docx, &bytes, "en");
        assert!(!found.is_empty(), "{}: no text found", path.display());
        let copied = merged(Format::Docx, &bytes, "en", &|s| s.clone());
        let pseudo = merged(Format::Docx, &bytes, "en", &|s| pseudo_translate(s));
        assert_eq!(
            entries(&copied),
            entries(&bytes),
            "{}: entries",
            path.display()
        );
        for name in text_parts(&bytes) {
            let original = part(&bytes, &name);
            assert_eq!(
                canonical(&part(&copied, &name)),
                canonical(&original),
                "{}: {name}",
                path.display()
            );
            let mask = |_: &str| String::new();
            assert_eq!(
                canonical_with(&part(&pseudo, &name), &mask),
                canonical_with(&original, &mask),
                "{}: {name} pseudo-translated changes more than text",
                path.display()
            );
        }
        for name in text_parts(&bytes) {
            let before = canonical(&part(&bytes, &name));
            let after = canonical(&part(&pseudo, &name));
            for (old, new) in before.lines().zip(after.lines()) {
                let text = old
                    .strip_prefix('[')
                    .and_then(|l| l.split_once(']'))
                    .map(|(_, t)| t);
                if text.is_some_and(|t| t.chars().any(char::is_alphanumeric)) {
                    assert_ne!(
                        old,
                        new,
                        "{}: {name}: a text run the pseudo-translation left as it was",
                        path.display()
                    );
                }
            }
        }
        let again = units(Format::Docx, &pseudo, "en");
        assert_eq!(
            again.len(),
            found.len(),
            "{}: units after pseudo-translation",
            path.display()
        );
        convert_with_libreoffice(&path, &pseudo);
    }
}

/// Converts a merged document to PDF with LibreOffice when it is installed (required when
/// STDBRIDGE_REQUIRE_LIBREOFFICE is set, as in CI).
fn convert_with_libreoffice(original: &Path, merged: &[u8]) {
    let Some(soffice) = ["soffice", "libreoffice"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok())
    else {
        assert!(
            std::env::var_os("STDBRIDGE_REQUIRE_LIBREOFFICE").is_none(),
            "LibreOffice is required but not installed"
        );
        println!(
            "skipped: LibreOffice is not installed, {} not converted",
            original.display()
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join(original.file_name().expect("name"));
    std::fs::write(&input, merged).expect("writes");
    let output = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            dir.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&input)
        .output()
        .expect("runs LibreOffice");
    let pdf = input.with_extension("pdf");
    assert!(
        output.status.success()
            && pdf.is_file()
            && std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0) > 0,
        "{}: LibreOffice did not convert the merged document: {}",
        original.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}
