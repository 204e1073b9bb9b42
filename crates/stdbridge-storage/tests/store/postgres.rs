//! The store on PostgreSQL, when `STDBRIDGE_TEST_POSTGRES` names a server (`.ci/run` sets
//! it): the same story as on SQLite, imports from two handles at once (two nodes), and a
//! whole store copied SQLite → PostgreSQL → SQLite with equal counts. Each test works in
//! a database of its own, made here and dropped at the end. Without the variable the
//! tests print why and pass without checking anything.

use std::sync::Arc;

use sqlx::Connection;
use stdbridge_core::{Standard, Status, Title};
use stdbridge_storage::{
    CatalogRepository, Database, Incoming, JobRepository, MemoryRepository, NewJob, NewUnit,
    PgStore, SqliteStore, TABLES, check_store, copy_store,
};

/// A database made for one test on the test server.
pub struct ScratchDatabase {
    admin: String,
    name: String,
    /// Its URL.
    pub url: String,
}

/// A new, empty database on `$STDBRIDGE_TEST_POSTGRES`, or `None` (with the reason
/// printed) when the variable is not set.
pub async fn scratch_database(tag: &str) -> Option<ScratchDatabase> {
    let Ok(admin) = std::env::var("STDBRIDGE_TEST_POSTGRES") else {
        println!("skipped: STDBRIDGE_TEST_POSTGRES is not set (no PostgreSQL to test on)");
        return None;
    };
    let name = format!(
        "stdbridge_{tag}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let mut connection = sqlx::PgConnection::connect(&admin)
        .await
        .expect("STDBRIDGE_TEST_POSTGRES accepts connections");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut connection)
        .await
        .expect("a scratch database is made");
    let base = admin.split('?').next().unwrap_or(&admin);
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    let url = format!("{server}/{name}");
    Some(ScratchDatabase { admin, name, url })
}

impl ScratchDatabase {
    /// Drops the database (every connection to it is closed first).
    pub async fn drop_database(self) {
        if let Ok(mut connection) = sqlx::PgConnection::connect(&self.admin).await {
            let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
            let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut connection)
                .await;
        }
    }
}

fn record(designation: &str, title: &str, source: &str) -> stdbridge_storage::Prepared {
    Incoming {
        record: Standard {
            designation: designation.to_owned(),
            publishers: vec!["ISO".to_owned()],
            status: Some(Status::Published),
            titles: vec![Title {
                lang: "en".to_owned(),
                full: title.to_owned(),
                ..Title::default()
            }],
            ..Standard::default()
        },
        source: source.to_owned(),
        priority: 0,
    }
    .prepare()
}

/// Imports `count` standards numbered from `first`, all from `file`, in one transaction.
async fn import(db: &dyn Database, file: &str, first: u32, count: u32) {
    let mut session = db
        .begin_import(file, "generic-jsonl")
        .await
        .expect("begins");
    let batch = (first..first + count)
        .map(|n| {
            record(
                &format!("ISO {n}:2020"),
                &format!("Standard {n}"),
                &format!("{file}#{n}"),
            )
        })
        .collect();
    let outcome = session.apply(batch).await.expect("applies");
    session
        .commit(outcome.inserted, outcome.updated, outcome.unchanged, 0)
        .await
        .expect("commits");
}

#[tokio::test]
async fn the_story_on_postgres() {
    let Some(scratch) = scratch_database("story").await else {
        return;
    };
    let db = Arc::new(PgStore::open(&scratch.url).await.expect("opens"));
    assert_eq!(db.backend(), "postgres");
    crate::story::story(db.clone() as Arc<dyn Database>).await;
    let report = check_store(db.as_ref()).await.expect("checks");
    assert!(report.is_sound(), "{report:?}");
    db.close().await;
    scratch.drop_database().await;
}

#[tokio::test]
async fn imports_through_two_nodes_at_once_end_as_one_after_the_other() {
    let Some(scratch) = scratch_database("concurrent").await else {
        return;
    };
    // Two handles are two nodes: each its own pool on the one database.
    let a = PgStore::open(&scratch.url).await.expect("node A");
    let b = PgStore::open(&scratch.url).await.expect("node B");
    // Overlapping files (ISO 500..1500 in both, from different sources), and the same file
    // through both nodes.
    tokio::join!(
        import(&a, "a.jsonl", 0, 1_500),
        import(&b, "b.jsonl", 500, 1_500),
    );
    tokio::join!(
        import(&a, "same.jsonl", 3_000, 300),
        import(&b, "same.jsonl", 3_000, 300),
    );
    let stats = a.stats().await.expect("stats");
    assert_eq!(stats.standards, 2_000 + 300, "no standard twice");
    assert_eq!(stats.source_records, 1_500 + 1_500 + 300, "no source lost");
    let changes = a.changes_since(0, 100_000).await.expect("change log");
    let sequence: Vec<i64> = changes.iter().map(|c| c.seq).collect();
    let expected: Vec<i64> = (1..=sequence.len() as i64).collect();
    assert_eq!(
        sequence, expected,
        "the change log has no gap and no repeat"
    );
    // 1,500 + 1,500 (1,000 of them updates) + 300 inserts; the second same file changes nothing.
    assert_eq!(changes.len(), 3_300);
    let report = check_store(&a).await.expect("checks");
    assert!(report.is_sound(), "{report:?}");
    a.close().await;
    b.close().await;
    scratch.drop_database().await;
}

#[tokio::test]
async fn an_import_cut_off_before_commit_leaves_nothing() {
    let Some(scratch) = scratch_database("cutoff").await else {
        return;
    };
    let db = PgStore::open(&scratch.url).await.expect("opens");
    import(&db, "kept.jsonl", 0, 10).await;
    {
        let node = PgStore::open(&scratch.url).await.expect("a node");
        let mut session = node
            .begin_import("lost.jsonl", "generic-jsonl")
            .await
            .expect("begins");
        session
            .apply(vec![record("ISO 77777:2020", "Lost", "lost#1")])
            .await
            .expect("applies");
        // The node goes away mid-import: its connections close with the transaction open.
        drop(session);
        node.close().await;
    }
    let stats = db.stats().await.expect("stats");
    assert_eq!((stats.standards, stats.last_change), (10, 10));
    assert!(db.by_key("ISO 77777:2020").await.expect("lookup").is_none());
    // The write lock went with the lost node: the next import runs.
    import(&db, "next.jsonl", 100, 5).await;
    assert_eq!(db.last_change().await.expect("change log"), 15);
    db.close().await;
    scratch.drop_database().await;
}

/// The planner's estimate of the rows of `standards` (-1 before its first ANALYZE; an
/// insert leaves it as it was).
async fn estimated_standards(url: &str) -> f32 {
    let mut connection = sqlx::PgConnection::connect(url).await.expect("connects");
    sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE oid = 'standards'::regclass")
        .fetch_one(&mut connection)
        .await
        .expect("the estimate of standards")
}

#[tokio::test]
async fn a_large_import_refreshes_the_planner_s_statistics_and_a_small_one_does_not() {
    let Some(scratch) = scratch_database("analyze").await else {
        return;
    };
    let db = PgStore::open(&scratch.url).await.expect("opens");
    assert!(
        estimated_standards(&scratch.url).await < 0.0,
        "never analysed"
    );
    import(&db, "first.jsonl", 0, 500).await;
    assert_eq!(
        estimated_standards(&scratch.url).await,
        500.0,
        "500 of 500 standards changed: analysed at once"
    );
    import(&db, "small.jsonl", 1000, 20).await;
    assert_eq!(
        estimated_standards(&scratch.url).await,
        500.0,
        "20 of 520 is under a tenth: left to autovacuum"
    );
    db.close().await;
    scratch.drop_database().await;
}

/// A store with something in every table.
async fn filled_sqlite(path: &std::path::Path) -> SqliteStore {
    let db = SqliteStore::open(path).await.expect("opens");
    import(&db, "a.jsonl", 0, 12_000).await;
    import(&db, "b.jsonl", 11_000, 2_000).await;
    let (memory, mut writer) = db
        .create_memory_writer(
            "tm",
            Some("tester"),
            stdbridge_storage::Visibility::Public,
            None,
            "2025",
        )
        .await
        .expect("memory");
    for key in 0..50u8 {
        writer
            .insert(&NewUnit {
                key: vec![key, 0xff],
                tuid: None,
                creator: None,
                created_at: None,
                changed_at: None,
                usage_count: 0,
                origin_document: None,
                origin_standard: None,
                domain: None,
                body: format!("{{\"n\":{key}}}"),
            })
            .await
            .expect("unit");
    }
    writer.commit().await.expect("commits");
    assert_eq!(memory.name, "tm");
    db.create_job(&NewJob {
        kind: "import".to_owned(),
        title: "a.jsonl".to_owned(),
        owner: "tester".to_owned(),
        runner: "host:1".to_owned(),
        now_ms: 1,
    })
    .await
    .expect("job");
    db
}

#[tokio::test]
async fn a_store_copies_to_postgres_and_back_with_equal_counts() {
    let Some(scratch) = scratch_database("copy").await else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let sqlite = filled_sqlite(&dir.path().join("from.sqlite")).await;
    let pg = PgStore::open(&scratch.url).await.expect("opens");
    let there = copy_store(&sqlite, &pg, |_, _| {})
        .await
        .expect("copies to PostgreSQL");
    assert!(there.tables.iter().all(|t| t.source == t.target));
    assert_eq!(there.tables.len(), TABLES.len());
    let back = SqliteStore::open(&dir.path().join("back.sqlite"))
        .await
        .expect("opens");
    copy_store(&pg, &back, |_, _| {})
        .await
        .expect("copies back");
    let (one, two, three) = (
        sqlite.stats().await.expect("stats"),
        pg.stats().await.expect("stats"),
        back.stats().await.expect("stats"),
    );
    let json = |s| serde_json::to_string(&s).expect("JSON");
    assert_eq!(json(&one), json(&two));
    assert_eq!(json(&one), json(&three));
    assert_eq!(
        sqlite
            .by_key("ISO 11500:2020")
            .await
            .expect("lookup")
            .map(|s| s.sources),
        pg.by_key("ISO 11500:2020")
            .await
            .expect("lookup")
            .map(|s| s.sources),
    );
    for db in [&sqlite as &dyn Database, &pg, &back] {
        let report = check_store(db).await.expect("checks");
        assert!(report.is_sound(), "{report:?}");
        assert_eq!(report.records_read, 13_000);
    }
    // The copy goes on where the original stopped: new ids and sequence numbers follow.
    import(&pg, "c.jsonl", 20_000, 1).await;
    assert_eq!(
        pg.last_change().await.expect("change log"),
        one.last_change + 1
    );
    pg.create_memory(
        "another",
        None,
        stdbridge_storage::Visibility::Private,
        None,
        "2025",
    )
    .await
    .expect("a new memory after the copied ones");
    // A copy into a store that holds data is refused, and the store is left alone.
    let error = copy_store(&sqlite, &pg, |_, _| {})
        .await
        .expect_err("not empty");
    assert!(error.to_string().contains("is not empty"), "{error}");
    assert_eq!(pg.stats().await.expect("stats").standards, 13_001);
    pg.close().await;
    scratch.drop_database().await;
}
