//! The command line as a user runs it: the binary, a temporary data directory, the demo
//! data shipped in the binary, and files on disk.

mod documents;
mod edges;
mod interop;
mod jobs;
mod nodes;
mod qa;
mod schemathesis;
mod store;
mod translation;
mod users;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn stdbridge(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stdbridge"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("STDBRIDGE_DATA")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let output = stdbridge(dir.path(), &["demo"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = stdout(&output);
    assert!(text.contains("GB 21455-2019"), "{text}");
    assert!(text.contains("ISO 9001:2015"), "{text}");
    dir
}

#[test]
fn demo_loads_the_shipped_data_and_a_second_run_changes_nothing() {
    let dir = demo();
    let stats = json(&stdbridge(dir.path(), &["stats", "--json"]));
    let standards = stats["standards"].as_i64().expect("count");
    assert!(standards > 350, "{stats}");
    let chinese = stats["by_country"]
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c[0] == "CN")
        .expect("CN")[1]
        .as_i64();
    assert!(chinese >= Some(150), "{stats}");
    let reference: Vec<(String, i64)> =
        serde_json::from_value(stats["reference"].clone()).expect("counts");
    assert_eq!(
        reference,
        [
            ("ics".to_owned(), 1381),
            ("ccs".to_owned(), 24 + 225 + 1608),
            ("countries".to_owned(), 249),
            ("bodies".to_owned(), 30)
        ]
    );
    assert_eq!(stats["memories"], 1, "{stats}");
    assert!(stats["units"].as_i64() > Some(3000), "{stats}");
    assert_eq!(stats["termbases"], 1, "{stats}");
    assert!(stats["concepts"].as_i64() > Some(10), "{stats}");
    let last_change = stats["last_change"].clone();
    let again = stdbridge(dir.path(), &["demo"]);
    assert!(again.status.success());
    let stats = json(&stdbridge(dir.path(), &["stats", "--json"]));
    assert_eq!(stats["standards"].as_i64(), Some(standards));
    assert_eq!(
        stats["last_change"], last_change,
        "re-running the demo must not change anything"
    );
}

#[test]
fn show_json_gives_the_current_edition_with_relations_and_chain() {
    let dir = demo();
    let shown = json(&stdbridge(dir.path(), &["show", "--json", "gbt 19001"]));
    assert_eq!(shown["designation"], "GB/T 19001-2016");
    assert_eq!(shown["match"], "current-edition");
    let titles = shown["titles"].as_array().expect("titles");
    assert!(
        titles
            .iter()
            .any(|t| t["lang"] == "zh" && t["full"] == "质量管理体系 要求")
    );
    let relations = shown["related"].as_array().expect("resolved relations");
    assert!(relations.iter().any(|r| r["kind"] == "adopts"
        && r["designation"] == "ISO 9001:2015"
        && r["degree"] == "IDT"));
    assert_eq!(shown["replaces_chain"][0]["designation"], "GB/T 19001-2008");
    assert_eq!(shown["ics_titles"][0]["code"], "03.120.10");
    assert_eq!(shown["equivalents"][0]["designation"], "ISO 9001:2015");
    assert_eq!(shown["equivalents"][0]["degree"], "international");

    let iso = json(&stdbridge(
        dir.path(),
        &["show", "--json", "ＩＳＯ ９００１：２００８"],
    ));
    assert_eq!(iso["designation"], "ISO 9001:2008");
    assert_eq!(iso["match"], "exact");
    assert_eq!(iso["replaced_by_chain"][0]["designation"], "ISO 9001:2015");
    assert_eq!(
        iso["equivalents"][0]["designation"], "GB/T 19001-2008",
        "the Chinese adoption of this edition"
    );
    assert_eq!(iso["equivalents"][0]["country"], "CN");
    assert_eq!(iso["equivalents"][0]["degree"], "IDT");
}

#[test]
fn show_of_an_unknown_designation_says_so() {
    let dir = demo();
    let output = stdbridge(dir.path(), &["show", "GB 99999-2099"]);
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no standard found"));
}

#[test]
fn search_json_follows_the_contract() {
    let dir = demo();
    let result = json(&stdbridge(
        dir.path(),
        &["search", "--json", "--limit", "5", "房间空气调节器 能效"],
    ));
    assert_eq!(result["hits"][0]["designation"], "GB 21455-2019");
    assert!(result["total"].as_i64() >= Some(1));
    assert!(result["hits"][0]["titles"]["zh"].as_str().is_some());
    assert!(result["hits"][0]["score"].as_f64().is_some());
    assert!(result["facets"].is_object());

    let by_designation = json(&stdbridge(dir.path(), &["search", "--json", "ISO 9001"]));
    assert_eq!(by_designation["hits"][0]["designation"], "ISO 9001:2015");
    let words = json(&stdbridge(
        dir.path(),
        &["search", "--json", "quality management"],
    ));
    assert!(words["hits"].as_array().is_some_and(|hits| hits.len() > 1));
}

#[test]
fn import_reports_rejected_lines_and_a_broken_file_keeps_the_store() {
    let dir = demo();
    let before = json(&stdbridge(dir.path(), &["stats", "--json"]));
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"designation\": \"GB/T 1-2099\", \"titles\": [{\"lang\": \"en\", \"full\": \"Test\"}]}\n{\"designation\": \n",
    )
    .expect("write");
    let output = stdbridge(
        dir.path(),
        &["import", "--strict", bad.to_str().expect("utf-8 path")],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "--strict fails on rejected records"
    );
    assert!(
        stdout(&output).is_empty(),
        "the report is on stderr: {}",
        stdout(&output)
    );
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("bad.jsonl:2:"), "{text}");
    assert!(text.contains("1 inserted"), "{text}");
    let rejected_at = text.find("bad.jsonl:2:").unwrap_or(0);
    let summary_at = text.find("1 imports:").unwrap_or(usize::MAX);
    assert!(
        summary_at < rejected_at,
        "summary, then the rejections: {text}"
    );

    let truncated = dir.path().join("cut.jsonl.gz");
    std::fs::write(
        &truncated,
        [
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab,
        ],
    )
    .expect("write");
    let output = stdbridge(
        dir.path(),
        &["import", truncated.to_str().expect("utf-8 path")],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(
        text.contains("failed") && text.contains("cut.jsonl.gz"),
        "{text}"
    );
    let machine = stdbridge(
        dir.path(),
        &["import", "--json", truncated.to_str().expect("utf-8 path")],
    );
    assert_eq!(machine.status.code(), Some(2));
    let summary: Value = serde_json::from_slice(&machine.stdout).expect("JSON on stdout");
    assert!(
        summary["failed"][0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("cut.jsonl.gz")),
        "{summary}"
    );
    let after = json(&stdbridge(dir.path(), &["stats", "--json"]));
    assert_eq!(
        after["standards"].as_i64(),
        before["standards"].as_i64().map(|n| n + 1)
    );
}

#[test]
fn help_explains_every_command() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let help = stdout(&stdbridge(dir.path(), &["--help"]));
    for command in ["demo", "import", "show", "search", "stats", "changes"] {
        assert!(
            help.contains(command),
            "{command} missing from --help:\n{help}"
        );
    }
}

#[test]
fn searches_succeed_while_an_import_runs() {
    let dir = demo();
    let big = dir.path().join("many.jsonl");
    let lines: String = (1..=20_000)
        .map(|n| format!("{{\"designation\": \"GB/T {n}-2024\", \"titles\": [{{\"lang\": \"en\", \"full\": \"Generated title number {n}\"}}]}}\n"))
        .collect();
    std::fs::write(&big, lines).expect("write");
    let mut import = Command::new(env!("CARGO_BIN_EXE_stdbridge"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["import", big.to_str().expect("utf-8 path")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("import starts");
    for _ in 0..5 {
        let found = json(&stdbridge(
            dir.path(),
            &["search", "--json", "GB 21455-2019"],
        ));
        assert_eq!(found["hits"][0]["designation"], "GB 21455-2019");
    }
    assert!(import.wait().expect("import ends").success());
    let found = json(&stdbridge(
        dir.path(),
        &["search", "--json", "GB/T 19999-2024"],
    ));
    assert_eq!(
        found["hits"][0]["designation"], "GB/T 19999-2024",
        "the import is searchable once it returns"
    );
}

#[test]
fn gen_catalog_is_deterministic_and_imports_cleanly() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let first = dir.path().join("first.jsonl");
    let again = dir.path().join("again.jsonl");
    for path in [&first, &again] {
        let path = path.to_string_lossy();
        let output = stdbridge(
            dir.path(),
            &[
                "gen-catalog",
                "--records",
                "3000",
                "--seed",
                "9",
                "-o",
                &path,
            ],
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let bytes = std::fs::read(&first).expect("generated file");
    assert_eq!(bytes, std::fs::read(&again).expect("generated file"));
    let summary = json(&stdbridge(
        &dir.path().join("data"),
        &["import", "--json", "--strict", &first.to_string_lossy()],
    ));
    assert_eq!(summary["files"][0]["records"], 3000);
    assert_eq!(
        summary["files"][0]["rejected"].as_array().map(Vec::len),
        Some(0)
    );
    // A Chinese record from the file is found by words of its Chinese title.
    let text = String::from_utf8_lossy(&bytes);
    let chinese: Value = text
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|record| record["country"] == "CN")
        .expect("a Chinese record");
    let title = chinese["titles"][0]["full"].as_str().expect("a title");
    let words: String = title.chars().take(6).collect();
    let found = json(&stdbridge(
        &dir.path().join("data"),
        &[
            "search",
            "--json",
            "--limit",
            "50",
            &format!("country:CN {words}"),
        ],
    ));
    let hits: Vec<&str> = found["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|hit| hit["titles"]["zh"].as_str())
        .collect();
    assert!(hits.contains(&title), "{words}: {hits:?}");
}

#[test]
fn bench_search_compares_with_fts5_and_finds_designations() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let work = dir.path().join("bench");
    let report = json(&stdbridge(
        dir.path(),
        &[
            "bench",
            "search",
            "--records",
            "3000",
            "--queries",
            "20",
            "--json",
            "--work-dir",
            &work.to_string_lossy(),
        ],
    ));
    assert_eq!(report["build"]["records"], 3000);
    let classes = report["classes"].as_array().expect("classes");
    assert_eq!(classes.len(), 6);
    for class in classes {
        assert!(
            class["stdbridge"]["p50_ms"]
                .as_f64()
                .is_some_and(|t| t > 0.0)
        );
        assert!(class["fts5"]["p50_ms"].as_f64().is_some_and(|t| t > 0.0));
    }
    let designation = &classes[0];
    assert_eq!(designation["class"], "designation");
    assert_eq!(designation["stdbridge_found"], 1.0, "{designation}");
}

#[test]
fn bench_http_loads_the_search_endpoint_and_times_suggestions() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let work = dir.path().join("bench");
    let report = json(&stdbridge(
        dir.path(),
        &[
            "bench",
            "http",
            "--records",
            "2000",
            "--queries",
            "10",
            "--concurrency",
            "4",
            "--seconds",
            "2",
            "--json",
            "--work-dir",
            &work.to_string_lossy(),
        ],
    ));
    let runs = report["load"].as_array().expect("load results");
    assert_eq!(runs[0]["endpoint"], "/api/v1/search");
    assert_eq!(runs[0]["concurrency"], 4);
    assert!(
        runs[0]["requests"].as_u64().is_some_and(|n| n > 0),
        "{report}"
    );
    assert_eq!(runs[0]["errors"], 0, "{report}");
    assert!(
        runs[0]["latency"]["p99_ms"]
            .as_f64()
            .is_some_and(|t| t > 0.0)
    );
    assert_eq!(runs[1]["endpoint"], "/api/v1/suggest");
    assert!(
        runs[1]["requests"].as_u64().is_some_and(|n| n > 0),
        "{report}"
    );
}

#[test]
fn show_json_names_the_mutual_recognition_catalogues() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let csv = dir.path().join("mutual.csv");
    std::fs::write(
        &csv,
        "designation,title_en,country,status,mutual_recognition\n\
         GB/T 7000.1-2015,Luminaires — Part 1,CN,published,China–ASEAN 2024;China–Russia 2023\n",
    )
    .expect("write");
    json(&stdbridge(
        dir.path(),
        &["import", "--json", &csv.to_string_lossy()],
    ));
    let shown = json(&stdbridge(
        dir.path(),
        &["show", "--json", "gbt 7000.1-2015"],
    ));
    assert_eq!(
        shown["mutual_recognition"],
        serde_json::json!(["China–ASEAN 2024", "China–Russia 2023"]),
        "{shown}"
    );
}

/// One HTTP/1.1 GET over a plain socket: status line and body.
fn http_get(addr: &str, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("the server accepts");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("request sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer read");
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head.lines().next().unwrap_or_default().to_owned();
    (status, body.to_owned())
}

#[test]
fn serve_demo_answers_http_and_stops_on_interrupt() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut child = Command::new(env!("CARGO_BIN_EXE_stdbridge"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .env_remove("STDBRIDGE_DATA")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the server starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufReader::new(stderr).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("serving on http://")
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_owned)
        })
        .expect("the server says where it listens");
    let (status, body) = http_get(&addr, "/healthz");
    assert!(status.contains("200"), "{status} {body}");
    let health: Value = serde_json::from_str(&body).expect("JSON");
    assert!(
        health["standards"].as_i64().is_some_and(|n| n > 400),
        "{body}"
    );
    let (status, body) = http_get(&addr, "/api/v1/standards/GB/T%2019001");
    assert!(status.contains("200"), "{status} {body}");
    let standard: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(standard["designation"], "GB/T 19001-2016");
    let (status, _) = http_get(&addr, "/api/v1/search?q=iso&limit=x");
    assert!(status.contains("400"), "{status}");
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(interrupted.success());
    let exit = child.wait().expect("the server exits");
    assert!(exit.success(), "{exit:?}");
    assert!(lines.map_while(Result::ok).any(|line| line == "stopped"));
}

#[test]
fn serve_stops_on_sigterm_as_on_interrupt_closing_idle_connections() {
    use std::io::{BufRead, Read, Write};
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut child = Command::new(env!("CARGO_BIN_EXE_stdbridge"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env_remove("STDBRIDGE_DATA")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the server starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufReader::new(stderr).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("serving on http://")
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_owned)
        })
        .expect("the server says where it listens");
    // A keep-alive connection that has had its answer and stays open.
    let mut kept = std::net::TcpStream::connect(&addr).expect("the server accepts");
    write!(kept, "GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("request sent");
    let mut first = [0u8; 12];
    kept.read_exact(&mut first).expect("an answer");
    assert_eq!(&first, b"HTTP/1.1 200");
    let asked = std::time::Instant::now();
    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(terminated.success());
    let exit = child.wait().expect("the server exits");
    assert!(exit.success(), "{exit:?}");
    assert!(
        asked.elapsed() < std::time::Duration::from_secs(20),
        "an idle connection held the shutdown: {:?}",
        asked.elapsed()
    );
    assert!(lines.map_while(Result::ok).any(|line| line == "stopped"));
    kept.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .expect("a timeout");
    let mut rest = Vec::new();
    assert!(
        kept.read_to_end(&mut rest).is_ok(),
        "the kept connection was closed, not left hanging"
    );
}
