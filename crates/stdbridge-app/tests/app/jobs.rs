//! Jobs: progress recorded as the work goes, the outcome at the end, a watch that sees
//! every state, and jobs of a process that went away marked interrupted on the next open.

use stdbridge_app::catalog::{self, ImportRequest};
use stdbridge_app::model::JobState;
use stdbridge_app::{App, Config, ErrorKind, Principal, jobs};
use stdbridge_storage::{JobRepository, NewJob, SqliteStore};

use super::{CATALOGUE, app};

#[tokio::test]
async fn a_job_is_recorded_with_its_progress_and_outcome() {
    let (dir, app) = app().await;
    let path = dir.path().join("catalogue.csv");
    std::fs::write(&path, CATALOGUE).expect("write");
    let job = catalog::import(
        &app,
        &Principal::Operator,
        ImportRequest {
            paths: vec![path],
            format: None,
        },
    )
    .await
    .expect("starts");
    let id = job.id();
    let mut watch = jobs::watch(&app, &Principal::Anonymous, id)
        .await
        .expect("watchable");
    job.wait().await.expect("ends");
    let mut states = Vec::new();
    while let Some(view) = watch.next().await {
        states.push(view.state);
    }
    assert_eq!(states.last(), Some(&JobState::Done), "{states:?}");
    let view = jobs::job(&app, &Principal::Operator, id)
        .await
        .expect("there");
    assert_eq!(view.kind, "import");
    assert_eq!(view.owner, "operator");
    assert!(view.finished.is_some());
    let result = view.result.expect("a result");
    assert_eq!(result["standards_in_store"], 3);
    // Seen from another process too.
    let other = App::open(Config::for_data_dir(dir.path()))
        .await
        .expect("opens");
    let seen = jobs::job(&other, &Principal::Anonymous, id)
        .await
        .expect("there");
    assert_eq!(seen.state, JobState::Done);
    assert_eq!(seen.done, seen.total, "{seen:?}");
    let missing = jobs::job(&app, &Principal::Operator, id + 100)
        .await
        .expect_err("no such job");
    assert_eq!(missing.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn a_failed_job_says_why() {
    let (dir, app) = app().await;
    let job = catalog::import(
        &app,
        &Principal::Operator,
        ImportRequest {
            paths: vec![dir.path().join("missing.tmx")],
            format: Some(stdbridge_app::model::ImportFormat::GenericCsv),
        },
    )
    .await
    .expect("starts");
    let id = job.id();
    let summary = job.wait().await.expect("the import itself ends");
    assert_eq!(summary.failed.len(), 1, "the missing file fails as a whole");
    let view = jobs::job(&app, &Principal::Operator, id)
        .await
        .expect("there");
    assert_eq!(view.state, JobState::Done);
}

#[tokio::test]
async fn jobs_of_a_process_that_went_away_are_interrupted() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "localhost".to_owned());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64;
    let (gone, silent) = {
        let store = SqliteStore::open_in(dir.path()).await.expect("store");
        let record = |runner: String, at: i64| NewJob {
            kind: "import".into(),
            title: "big.jsonl".into(),
            owner: "operator".into(),
            runner,
            now_ms: at,
        };
        // A process of this host that no longer runs (where /proc tells), and one on
        // another host silent for an hour.
        let gone = store
            .create_job(&record(format!("{host}:4294967"), now))
            .await
            .expect("recorded");
        let silent = store
            .create_job(&record("elsewhere:1".into(), now - 3_600_000))
            .await
            .expect("recorded");
        (gone.id, silent.id)
    };
    let app = App::open(Config::for_data_dir(dir.path()))
        .await
        .expect("opens");
    let silent = jobs::job(&app, &Principal::Operator, silent)
        .await
        .expect("there");
    assert_eq!(silent.state, JobState::Interrupted);
    assert!(
        silent
            .error
            .as_deref()
            .is_some_and(|e| e.contains("no sign of life")),
        "{silent:?}"
    );
    if std::path::Path::new("/proc/self").exists() {
        let gone = jobs::job(&app, &Principal::Operator, gone)
            .await
            .expect("there");
        assert_eq!(gone.state, JobState::Interrupted, "{gone:?}");
    }
}
