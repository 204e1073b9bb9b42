//! The HTTP API tested from its own OpenAPI document by Schemathesis, with every check:
//! requests generated from the document (valid ones must be served, invalid ones refused
//! with a documented status), answers checked against the document's schemas, over
//! `serve --demo`. Schemathesis is the one in the virtual environment of
//! `STDBRIDGE_TEST_PYTHON` (`.ci/run` makes it); without it the test says so and passes,
//! unless `STDBRIDGE_REQUIRE_SCHEMATHESIS` is set. The run is bounded by the examples
//! per operation (a time budget would make its fuzzing repeat until spent) and
//! deterministic; `STDBRIDGE_SCHEMATHESIS_EXAMPLES` sets
//! how many examples each operation gets (default 150).

use std::path::PathBuf;
use std::process::Command;

use super::jobs::serve_with;

/// The `schemathesis` beside the test Python, or why there is none.
fn schemathesis() -> Option<PathBuf> {
    let found = std::env::var_os("STDBRIDGE_TEST_PYTHON")
        .map(PathBuf::from)
        .and_then(|python| python.parent().map(|bin| bin.join("schemathesis")))
        .filter(|program| program.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("STDBRIDGE_REQUIRE_SCHEMATHESIS").is_none(),
            "STDBRIDGE_REQUIRE_SCHEMATHESIS is set but there is no schemathesis beside STDBRIDGE_TEST_PYTHON"
        );
        println!("skipped: no schemathesis beside the Python that STDBRIDGE_TEST_PYTHON names");
    }
    found
}

#[test]
fn schemathesis_with_every_check_finds_no_failure_in_the_api() {
    let Some(program) = schemathesis() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = serve_with(dir.path(), &["--demo"]);
    let examples =
        std::env::var("STDBRIDGE_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "150".to_owned());
    // Two workers first; a run that stops on an error inside Schemathesis or Hypothesis
    // themselves (seen: CPython's `ast` failing in a worker thread while Hypothesis
    // describes a lambda) and found no failure is run again on one worker.
    let mut summary = String::new();
    for workers in ["2", "1"] {
        let output = Command::new(&program)
            .current_dir(dir.path())
            .args([
                "run",
                &format!("http://{}/api/openapi.json", server.addr),
                "--checks",
                "all",
                "--max-examples",
                &examples,
                "--seed",
                "20261203",
                "--generation-deterministic",
                "--workers",
                workers,
                "--no-color",
            ])
            .output()
            .expect("schemathesis runs");
        let report = String::from_utf8_lossy(&output.stdout).into_owned();
        summary = report
            .lines()
            .skip_while(|line| !line.contains("SUMMARY"))
            .collect::<Vec<_>>()
            .join("\n");
        println!("{summary}");
        if output.status.success() {
            break;
        }
        let tool_error_only = !summary.contains("Failures")
            && summary.contains("Runtime Error")
            && report.contains("site-packages/hypothesis");
        assert!(
            tool_error_only && workers == "2",
            "schemathesis found failures:\n{report}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        println!("an error inside Schemathesis (no failure found): running again on one worker");
    }
    let (_, document) = super::http_get(&server.addr, "/api/openapi.json");
    let document: serde_json::Value = serde_json::from_str(&document).expect("JSON");
    // Schemathesis counts operations: a path with GET and POST is two.
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let operations: usize = document["paths"].as_object().map_or(0, |paths| {
        paths
            .values()
            .filter_map(|item| item.as_object())
            .map(|item| {
                item.keys()
                    .filter(|k| methods.contains(&k.as_str()))
                    .count()
            })
            .sum()
    });
    assert!(
        summary.contains(&format!("Tested: {operations}\n")),
        "every one of the {operations} operations was tested: {summary}"
    );
}
