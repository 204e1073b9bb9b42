//! XLIFF: the OASIS XLIFF 2.1/2.2 test suite, the XLIFF of other tools, and the round trip
//! through the XLIFF this project writes.

use std::path::Path;

use stdbridge_filters::xliff::XliffDocument;

use crate::shared_data::{files, shared};

fn read(path: &Path) -> Result<XliffDocument, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    XliffDocument::read(&bytes, &path.display().to_string()).map_err(|e| e.to_string())
}

#[test]
fn oasis_suite_valid_files_are_read_and_invalid_core_files_rejected_with_a_reason() {
    let Some(dir) = shared() else { return };
    let suite = dir.join("oasis-xliff-2x-test-suite");
    let mut problems = Vec::new();
    let mut valid = 0;
    let mut invalid = 0;
    for version in ["xliff-21", "xliff-22"] {
        for kind in ["core", "modules"] {
            for path in files(&suite.join(version).join("test-suite").join(kind).join("valid"), &[".xlf"]) {
                valid += 1;
                // This sample of the 2.2 suite is not well-formed XML (`</segment>text<target>`
                // and an undeclared `pgs` prefix): it is refused for that.
                if path.ends_with("Good-pgs_plural.xlf") {
                    let error = read(&path).err().unwrap_or_default();
                    assert!(error.contains("Good-pgs_plural.xlf:20: ill-formed"), "{error}");
                    continue;
                }
                if let Err(error) = read(&path) {
                    problems.push(format!("valid but refused: {error}"));
                }
            }
        }
        for path in files(&suite.join(version).join("test-suite/core/invalid"), &[".xlf"]) {
            invalid += 1;
            match read(&path) {
                Ok(_) => problems.push(format!("invalid but read: {}", path.display())),
                Err(error) => {
                    assert!(error.contains(".xlf:"), "the reason names the file and line: {error}");
                    if std::env::var_os("STDBRIDGE_SHOW_REASONS").is_some() {
                        println!("{error}");
                    }
                }
            }
        }
    }
    assert!(valid >= 120 && invalid >= 238, "{valid} valid, {invalid} invalid files");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
