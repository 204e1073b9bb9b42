//! Jobs across processes: an import run from the command line beside a running server is
//! searchable there and its job is seen there (as JSON and as server-sent events); an
//! import killed half-way is marked interrupted and leaves the store as it was.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{http_get, json, stdbridge};

/// A `stdbridge serve` on a loopback port, killed when dropped.
pub struct Served {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data_dir: &std::path::Path) -> Served {
    serve_with(data_dir, &[])
}

/// `stdbridge serve` over `data_dir` with `extra` arguments (`--demo`).
pub fn serve_with(data_dir: &std::path::Path, extra: &[&str]) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stdbridge"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .env_remove("STDBRIDGE_DATA")
        .stderr(Stdio::piped())
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
    // Keep reading its log so that it never blocks on a full pipe.
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    Served { child, addr }
}

/// Polls `check` until it holds, for at most `limit`.
fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn an_import_beside_a_running_server_is_searched_there_and_its_job_seen_there() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = serve(dir.path());
    let (status, _) = http_get(&server.addr, "/api/v1/search?q=GB%2FT%2019001-2016");
    assert!(status.contains("200"), "{status}");
    let file = dir.path().join("cn.csv");
    std::fs::write(
        &file,
        "designation,title_zh,title_en,country\nGB/T 19001-2016,质量管理体系 要求,Quality management systems — Requirements,CN\n",
    )
    .expect("write");
    let summary = json(&stdbridge(
        dir.path(),
        &["import", "--json", file.to_str().expect("a UTF-8 path")],
    ));
    assert_eq!(summary["standards_in_store"], 1);
    let found = eventually(Duration::from_secs(20), || {
        let (_, body) = http_get(&server.addr, "/api/v1/search?q=GB%2FT%2019001-2016");
        serde_json::from_str::<Value>(&body)
            .is_ok_and(|page| page["hits"][0]["designation"] == "GB/T 19001-2016")
    });
    assert!(found, "the server never found what the command imported");
    let (_, health) = http_get(&server.addr, "/healthz");
    assert!(health.contains("\"standards\":1"), "{health}");

    let jobs = json(&stdbridge(dir.path(), &["jobs", "list", "--json"]));
    let job = &jobs[0];
    assert_eq!(job["kind"], "import", "{jobs}");
    assert_eq!(job["state"], "done", "{jobs}");
    let id = job["id"].as_i64().expect("an id");
    let (status, body) = http_get(&server.addr, &format!("/api/v1/jobs/{id}"));
    assert!(status.contains("200"), "{status} {body}");
    let seen: Value = serde_json::from_str(&body).expect("JSON");
    for key in ["state", "done", "total", "kind", "title"] {
        assert_eq!(seen[key], job[key], "{key}: {seen} against {job}");
    }
    let (status, events) = http_get(&server.addr, &format!("/api/v1/jobs/{id}/events"));
    assert!(status.contains("200"), "{status}");
    assert!(events.contains("event: job"), "{events}");
    assert!(events.contains("\"state\":\"done\""), "{events}");
    let (status, body) = http_get(&server.addr, "/api/v1/jobs/9999");
    assert!(status.contains("404"), "{status} {body}");
}

#[test]
fn an_import_killed_half_way_is_interrupted_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let big = dir.path().join("big.jsonl");
    let lines: String = (1..=400_000)
        .map(|n| format!("{{\"designation\": \"GB/T {n}-2024\", \"titles\": [{{\"lang\": \"en\", \"full\": \"Generated title number {n}\"}}]}}\n"))
        .collect();
    std::fs::write(&big, lines).expect("write");
    let before = json(&stdbridge(dir.path(), &["stats", "--json"]));
    let mut import = Command::new(env!("CARGO_BIN_EXE_stdbridge"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["import", big.to_str().expect("a UTF-8 path")])
        .env_remove("STDBRIDGE_DATA")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the import starts");
    let mut id = None;
    let running = eventually(Duration::from_secs(120), || {
        let jobs = json(&stdbridge(dir.path(), &["jobs", "list", "--json"]));
        let job = &jobs[0];
        // Stored up to a point short of the end: the transaction is open.
        let (done, total) = (job["done"].as_u64(), job["total"].as_u64());
        let under_way = job["state"] == "running"
            && job["phase"] == "big.jsonl"
            && done.zip(total).is_some_and(|(d, t)| d > 0 && d < t);
        if under_way {
            id = job["id"].as_i64();
        }
        under_way
    });
    assert!(running, "the import never showed progress");
    import.kill().expect("killed");
    import.wait().expect("reaped");
    let id = id.expect("the job's id").to_string();
    let job = json(&stdbridge(dir.path(), &["jobs", "show", &id, "--json"]));
    assert_eq!(job["state"], "interrupted", "{job}");
    assert!(
        job["error"]
            .as_str()
            .is_some_and(|e| e.contains("ended before the job did")),
        "{job}"
    );
    let after = json(&stdbridge(dir.path(), &["stats", "--json"]));
    assert_eq!(
        after["standards"], before["standards"],
        "nothing half-written"
    );
}
