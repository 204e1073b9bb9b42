//! Several server nodes on one PostgreSQL store, as real processes on loopback ports:
//! a record imported through one node is searchable on the other within 2 s; an import
//! killed half-way leaves the store as it was while the other node keeps serving; a node
//! that was down catches up when it starts; imports through two nodes at once end as one
//! after the other. Runs when `STDBRIDGE_TEST_POSTGRES` names a server (`.ci/run` sets
//! it), in a database of its own; without it the tests print why and check nothing.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection;

use super::jobs::{Served, serve_with};
use super::{http_get, json};

/// A database made for one test, dropped when the test ends.
struct Scratch {
    admin: String,
    name: String,
    url: String,
}

impl Scratch {
    fn new(tag: &str) -> Option<Scratch> {
        let Ok(admin) = std::env::var("STDBRIDGE_TEST_POSTGRES") else {
            println!("skipped: STDBRIDGE_TEST_POSTGRES is not set (no PostgreSQL to test on)");
            return None;
        };
        let name = format!("stdbridge_cli_{tag}_{}", std::process::id());
        run_sql(
            &admin,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        );
        run_sql(&admin, &format!("CREATE DATABASE {name}"));
        let base = admin.split('?').next().unwrap_or(&admin);
        let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
        let url = format!("{server}/{name}");
        Some(Scratch { admin, name, url })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        run_sql(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn run_sql(url: &str, sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let mut connection = sqlx::PgConnection::connect(url)
            .await
            .expect("STDBRIDGE_TEST_POSTGRES accepts connections");
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&mut connection)
            .await
            .expect("the statement runs");
    });
}

/// `stdbridge` as node `dir` of the store at `url`.
fn node(dir: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stdbridge"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--database-url", url])
        .args(args)
        .env_remove("STDBRIDGE_DATA")
        .output()
        .expect("the binary runs")
}

fn serve_node(dir: &Path, url: &str) -> Served {
    serve_with(dir, &["--database-url", url])
}

fn record(n: u32, title: &str) -> String {
    format!(
        "{{\"designation\": \"GB/T {n}-2024\", \"titles\": [{{\"lang\": \"en\", \"full\": \"{title} {n}\"}}]}}\n"
    )
}

fn found(addr: &str, designation: &str) -> bool {
    let query = designation.replace('/', "%2F").replace(' ', "%20");
    let (status, body) = http_get(addr, &format!("/api/v1/search?q={query}"));
    status.contains("200") && body.contains(&format!("\"designation\":\"{designation}\""))
}

/// How long until `check` holds (polled every 20 ms), or `None` after `limit`.
fn time_until(limit: Duration, mut check: impl FnMut() -> bool) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn two_nodes_on_one_postgres_store_follow_each_other() {
    let Some(db) = Scratch::new("nodes") else {
        return;
    };
    let (a_dir, b_dir) = (
        tempfile::tempdir().expect("node A's directory"),
        tempfile::tempdir().expect("node B's directory"),
    );
    let files = tempfile::tempdir().expect("files");
    let a = serve_node(a_dir.path(), &db.url);
    let b = serve_node(b_dir.path(), &db.url);

    // A write through A is searchable on B within 2 s.
    let small = files.path().join("small.jsonl");
    std::fs::write(&small, record(900_001, "Written through node A")).expect("write");
    let imported = node(
        a_dir.path(),
        &db.url,
        &["import", small.to_str().expect("UTF-8")],
    );
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let lag = time_until(Duration::from_secs(10), || {
        found(&b.addr, "GB/T 900001-2024")
    });
    let lag = lag.expect("node B finds what was imported through node A");
    assert!(lag < Duration::from_secs(2), "node B took {lag:?}");
    assert!(found(&a.addr, "GB/T 900001-2024"));

    // An import through A killed half-way: the store is as before, B keeps serving.
    let before = json(&node(b_dir.path(), &db.url, &["stats", "--json"]));
    let big = files.path().join("big.jsonl");
    let lines: String = (1..=200_000)
        .map(|n| record(n, "Generated title"))
        .collect();
    std::fs::write(&big, lines).expect("write");
    let mut import = Command::new(env!("CARGO_BIN_EXE_stdbridge"))
        .arg("--data-dir")
        .arg(a_dir.path())
        .args([
            "--database-url",
            &db.url,
            "import",
            big.to_str().expect("UTF-8"),
        ])
        .env_remove("STDBRIDGE_DATA")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the import starts");
    let under_way = time_until(Duration::from_secs(120), || {
        let jobs = json(&node(b_dir.path(), &db.url, &["jobs", "list", "--json"]));
        let job = &jobs[0];
        let (done, total) = (job["done"].as_u64(), job["total"].as_u64());
        job["state"] == "running"
            && job["phase"] == "big.jsonl"
            && done.zip(total).is_some_and(|(d, t)| d > 0 && d < t)
    });
    assert!(under_way.is_some(), "the import never showed progress");
    import.kill().expect("killed");
    import.wait().expect("reaped");
    let after = json(&node(b_dir.path(), &db.url, &["stats", "--json"]));
    assert_eq!(
        after["standards"], before["standards"],
        "nothing half-written"
    );
    assert_eq!(after["last_change"], before["last_change"]);
    let (status, _) = http_get(&b.addr, "/healthz");
    assert!(status.contains("200"), "node B keeps serving: {status}");
    assert!(found(&b.addr, "GB/T 900001-2024"));

    // A node that was down catches up when it starts again.
    drop(a);
    let while_down = files.path().join("while-down.jsonl");
    std::fs::write(
        &while_down,
        record(900_002, "Written while node A was down"),
    )
    .expect("write");
    let imported = node(
        b_dir.path(),
        &db.url,
        &["import", while_down.to_str().expect("UTF-8")],
    );
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let a = serve_node(a_dir.path(), &db.url);
    let caught_up = time_until(Duration::from_secs(10), || {
        found(&a.addr, "GB/T 900002-2024")
    });
    assert!(caught_up.is_some(), "node A caught up on start");

    let checked = node(a_dir.path(), &db.url, &["store", "check", "--json"]);
    let report = json(&checked);
    assert!(
        report["rules"]
            .as_array()
            .is_some_and(|rules| rules.iter().all(|r| r["violations"] == 0)),
        "{report}"
    );
    drop((a, b));
}

#[test]
fn imports_through_two_nodes_at_once_store_what_one_after_the_other_would() {
    let Some(db) = Scratch::new("concurrent") else {
        return;
    };
    let (a_dir, b_dir) = (
        tempfile::tempdir().expect("node A's directory"),
        tempfile::tempdir().expect("node B's directory"),
    );
    let files = tempfile::tempdir().expect("files");
    // Overlapping files (GB/T 5001..10000 in both) and one file through both nodes.
    let first = files.path().join("first.jsonl");
    let second = files.path().join("second.jsonl");
    let same = files.path().join("same.jsonl");
    std::fs::write(
        &first,
        (1..=10_000).map(|n| record(n, "First")).collect::<String>(),
    )
    .expect("write");
    std::fs::write(
        &second,
        (5_001..=15_000)
            .map(|n| record(n, "Second"))
            .collect::<String>(),
    )
    .expect("write");
    std::fs::write(
        &same,
        (20_001..=22_000)
            .map(|n| record(n, "Same"))
            .collect::<String>(),
    )
    .expect("write");
    let start = |dir: &Path, file: &Path| {
        Command::new(env!("CARGO_BIN_EXE_stdbridge"))
            .arg("--data-dir")
            .arg(dir)
            .args(["--database-url", &db.url, "import", "--json"])
            .arg(file)
            .env_remove("STDBRIDGE_DATA")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the import starts")
    };
    for (one, two) in [(&first, &second), (&same, &same)] {
        let a = start(a_dir.path(), one);
        let b = start(b_dir.path(), two);
        for child in [a, b] {
            let output = child.wait_with_output().expect("the import ends");
            assert!(output.status.success());
        }
    }
    let stats = json(&node(a_dir.path(), &db.url, &["stats", "--json"]));
    assert_eq!(
        stats["standards"],
        15_000 + 2_000,
        "no standard twice: {stats}"
    );
    assert_eq!(
        stats["source_records"],
        10_000 + 10_000 + 2_000,
        "no source lost"
    );
    // 10,000 + 10,000 (5,000 of them updates) + 2,000; the same file again changes nothing.
    assert_eq!(stats["last_change"], 22_000, "{stats}");
    let changes = node(
        a_dir.path(),
        &db.url,
        &["changes", "--limit", "100000", "--json"],
    );
    assert!(changes.status.success());
    let sequence: Vec<i64> = String::from_utf8_lossy(&changes.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|change| change["seq"].as_i64())
        .collect();
    assert_eq!(
        sequence,
        (1..=22_000).collect::<Vec<i64>>(),
        "no gap, no repeat"
    );
    let checked = node(b_dir.path(), &db.url, &["store", "check"]);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
}
