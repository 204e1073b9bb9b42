//! One story through every repository of a backend: catalogue imports (merge, change
//! log, rollback), reference data, memories and their units, termbases, the MT cache and
//! jobs. [`story`] takes any [`Database`]; it runs on SQLite here (and on every backend
//! that implements the traits).

use std::sync::Arc;

use stdbridge_core::reference::{Body, Country, IcsCode};
use stdbridge_core::{Standard, Status, Title};
use stdbridge_storage::{
    CatalogRepository, ConceptWrite, Database, Incoming, JobOutcome, JobProgress, JobState,
    MtCacheEntry, NewJob, NewUnit, Role, SharedKind, SqliteStore, StorageError, StoreUrl,
    UnitWrite, Visibility,
};

fn standard(designation: &str, title: &str) -> Standard {
    Standard {
        designation: designation.to_owned(),
        publishers: vec!["ISO".to_owned()],
        status: Some(Status::Published),
        titles: vec![Title {
            lang: "en".to_owned(),
            full: title.to_owned(),
            ..Title::default()
        }],
        ..Standard::default()
    }
}

fn prepared(designation: &str, title: &str, source: &str) -> stdbridge_storage::Prepared {
    Incoming {
        record: standard(designation, title),
        source: source.to_owned(),
        priority: 0,
    }
    .prepare()
}

fn unit(key: u8, body: &str) -> NewUnit {
    NewUnit {
        key: vec![key],
        tuid: Some(format!("tu{key}")),
        creator: Some("tester".to_owned()),
        created_at: Some("20250101T000000Z".to_owned()),
        changed_at: None,
        usage_count: 0,
        origin_document: None,
        origin_standard: Some("GB/T 1.1-2020".to_owned()),
        domain: None,
        body: body.to_owned(),
    }
}

/// The story every backend must tell the same way.
pub async fn story(db: Arc<dyn Database>) {
    catalogue(db.as_ref()).await;
    reference(db.as_ref()).await;
    memories(db.as_ref()).await;
    termbases(db.as_ref()).await;
    mt_cache(db.as_ref()).await;
    jobs(db.as_ref()).await;
    groups_and_words(db.as_ref()).await;
}

/// Groups share a memory with their members, and each user keeps their own words.
async fn groups_and_words(db: &dyn Database) {
    let at = "2025-01-01T00:00:00Z";
    let ana = db
        .create_user("story-ana", None, Role::Translator, None, at)
        .await
        .expect("ana");
    let ben = db
        .create_user("story-ben", None, Role::Translator, None, at)
        .await
        .expect("ben");
    let memory = db
        .create_memory(
            "team-memory",
            Some("story-ana"),
            Visibility::Shared,
            None,
            at,
        )
        .await
        .expect("memory");
    let team = db.create_group("story-team", at).await.expect("group");
    assert!(
        matches!(
            db.create_group("story-team", at).await,
            Err(StorageError::Exists { what: "group", .. })
        ),
        "a taken group name"
    );
    db.share_group(SharedKind::Memory, memory.id, team.id, true)
        .await
        .expect("shared with the group");
    assert!(
        db.shared_with(SharedKind::Memory, ben.id)
            .await
            .expect("shares")
            .is_empty(),
        "not a member yet"
    );
    db.set_member(team.id, ben.id, true).await.expect("joined");
    db.set_member(team.id, ben.id, true).await.expect("again");
    db.share(SharedKind::Memory, memory.id, ben.id)
        .await
        .expect("and by name");
    assert_eq!(
        db.shared_with(SharedKind::Memory, ben.id)
            .await
            .expect("shares"),
        vec![memory.id],
        "once, though shared twice over"
    );
    assert_eq!(
        db.groups_shared_to(SharedKind::Memory, memory.id)
            .await
            .expect("groups"),
        vec!["story-team".to_owned()]
    );
    let found = db
        .group_by_name("story-team")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(found.members, vec!["story-ben".to_owned()]);
    db.unshare(SharedKind::Memory, memory.id, ben.id)
        .await
        .expect("unshared by name");
    db.set_member(team.id, ben.id, false).await.expect("left");
    assert!(
        db.shared_with(SharedKind::Memory, ben.id)
            .await
            .expect("shares")
            .is_empty()
    );
    assert!(db.delete_group(team.id).await.expect("deleted"));
    assert!(!db.delete_group(team.id).await.expect("already gone"));
    assert!(
        db.groups_shared_to(SharedKind::Memory, memory.id)
            .await
            .expect("groups")
            .is_empty(),
        "a deleted group's shares go with it"
    );

    db.add_word(ana.id, "集装箱角件", at).await.expect("word");
    db.add_word(ana.id, "集装箱角件", at).await.expect("again");
    db.add_word(ana.id, "吊具", at).await.expect("word");
    assert_eq!(
        db.words(ana.id).await.expect("words"),
        vec!["吊具".to_owned(), "集装箱角件".to_owned()]
    );
    assert!(
        db.words(ben.id).await.expect("words").is_empty(),
        "ana's own"
    );
    assert!(db.remove_word(ana.id, "吊具").await.expect("removed"));
    assert!(!db.remove_word(ana.id, "吊具").await.expect("not there"));
}

async fn catalogue(db: &dyn Database) {
    assert_eq!(db.last_change().await.expect("change log"), 0);
    let mut import = db
        .begin_import("a.jsonl", "generic-jsonl")
        .await
        .expect("begins");
    let outcome = import
        .apply(vec![
            prepared("ISO 9001:2015", "Quality management systems", "a#1"),
            prepared("ISO 14001:2015", "Environmental management systems", "a#2"),
        ])
        .await
        .expect("applies");
    assert_eq!((outcome.inserted, outcome.updated), (2, 0));
    import.commit(2, 0, 0, 0).await.expect("commits");
    let after_first = db.last_change().await.expect("change log");
    assert_eq!(after_first, 2, "one change per standard");

    // The same file again changes nothing and writes no change.
    let mut again = db
        .begin_import("a.jsonl", "generic-jsonl")
        .await
        .expect("begins");
    let outcome = again
        .apply(vec![prepared(
            "ISO 9001:2015",
            "Quality management systems",
            "a#1",
        )])
        .await
        .expect("applies");
    assert_eq!(outcome.unchanged, 1);
    again.commit(0, 0, 1, 0).await.expect("commits");
    assert_eq!(db.last_change().await.expect("change log"), after_first);

    // A rolled-back import leaves nothing.
    let mut abandoned = db
        .begin_import("b.jsonl", "generic-jsonl")
        .await
        .expect("begins");
    abandoned
        .apply(vec![prepared(
            "ISO 45001:2018",
            "Occupational health",
            "b#1",
        )])
        .await
        .expect("applies");
    abandoned.rollback().await.expect("rolls back");
    assert!(
        db.by_key("ISO 45001:2018").await.expect("lookup").is_none(),
        "nothing of a rolled-back import is stored"
    );

    // A second source of the same standard merges into it: an update in the change log.
    let mut second = db
        .begin_import("c.jsonl", "generic-jsonl")
        .await
        .expect("begins");
    let outcome = second
        .apply(vec![prepared(
            "ISO 9001:2015",
            "Quality management systems",
            "c#1",
        )])
        .await
        .expect("applies");
    assert_eq!(outcome.updated, 1);
    second.commit(0, 1, 0, 0).await.expect("commits");
    let stored = db
        .by_key("ISO 9001:2015")
        .await
        .expect("lookup")
        .expect("stored");
    assert_eq!(stored.sources, ["a#1", "c#1"]);
    let changes = db.changes_since(0, 10).await.expect("change log");
    let sequence: Vec<i64> = changes.iter().map(|c| c.seq).collect();
    assert_eq!(
        sequence,
        [1, 2, 3],
        "sequence numbers only grow, without gaps"
    );
    assert_eq!(changes[2].op, "update");
    assert_eq!(db.changes_since(2, 10).await.expect("tail").len(), 1);
    let ids: Vec<i64> = changes.iter().map(|c| c.standard_id).collect();
    assert_eq!(db.records_by_ids(&ids).await.expect("records").len(), 2);
    assert_eq!(db.records_after(0, 1).await.expect("page").len(), 1);
    let stats = db.stats().await.expect("stats");
    assert_eq!((stats.standards, stats.source_records), (2, 3));
    assert_eq!(stats.imports, 3, "rolled-back imports are not counted");
}

async fn reference(db: &dyn Database) {
    let ics = vec![IcsCode {
        code: "03.120.10".to_owned(),
        parent: Some("03.120".to_owned()),
        titles: [("en".to_owned(), "Quality management".to_owned())].into(),
    }];
    assert_eq!(db.upsert_ics(&ics).await.expect("ICS"), 1);
    assert_eq!(db.upsert_ics(&ics).await.expect("again"), 0, "idempotent");
    assert_eq!(
        db.ics_titles("03.120.10")
            .await
            .expect("titles")
            .and_then(|t| t.get("en").cloned())
            .as_deref(),
        Some("Quality management")
    );
    let china = Country {
        alpha2: "CN".to_owned(),
        alpha3: "CHN".to_owned(),
        numeric: "156".to_owned(),
        region: Some("Asia".to_owned()),
        sub_region: Some("Eastern Asia".to_owned()),
        names: [("zh".to_owned(), "中国".to_owned())].into(),
    };
    assert_eq!(db.upsert_countries(&[china]).await.expect("countries"), 1);
    assert_eq!(
        db.country("CN").await.expect("country").map(|c| c.alpha3),
        Some("CHN".to_owned())
    );
    let sac = Body {
        abbreviation: "SAC".to_owned(),
        country: Some("CN".to_owned()),
        scope: None,
        url: None,
        names: [(
            "en".to_owned(),
            "Standardization Administration of China".to_owned(),
        )]
        .into(),
    };
    db.upsert_bodies(&[sac]).await.expect("bodies");
    assert_eq!(db.all_bodies().await.expect("bodies").len(), 1);
}

async fn memories(db: &dyn Database) {
    let memory = db
        .create_memory(
            "mine",
            Some("tester"),
            Visibility::Private,
            None,
            "2025-01-01T00:00:00Z",
        )
        .await
        .expect("created");
    assert!(
        db.create_memory(
            "mine",
            None,
            Visibility::Public,
            None,
            "2025-01-01T00:00:00Z"
        )
        .await
        .is_err(),
        "names are unique"
    );
    let generation = db.memory_generation().await.expect("generation");
    let mut writer = db.memory_writer(memory.id).await.expect("writer");
    let UnitWrite::Inserted(first) = writer.insert(&unit(1, "{}")).await.expect("insert") else {
        panic!("a new unit is inserted");
    };
    let UnitWrite::Existing(existing) = writer.insert(&unit(1, "{}")).await.expect("insert") else {
        panic!("the same key meets the stored unit");
    };
    assert_eq!(existing.id, first);
    writer
        .insert(&unit(2, "{\"two\":1}"))
        .await
        .expect("insert");
    writer
        .set_header("{\"srclang\":\"zh-CN\"}")
        .await
        .expect("header");
    assert!(writer.commit().await.expect("commits") > generation);
    // A writer dropped without committing stores nothing.
    let mut dropped = db.memory_writer(memory.id).await.expect("writer");
    dropped.insert(&unit(3, "{}")).await.expect("insert");
    drop(dropped);
    let listed = db.memories().await.expect("list");
    assert_eq!(listed[0].entries, Some(2));
    assert_eq!(
        db.units_after(Some(memory.id), 0, 10)
            .await
            .expect("page")
            .len(),
        2
    );
    db.count_unit_use(&[first]).await.expect("usage");
    assert_eq!(db.units(&[first]).await.expect("units")[0].usage_count, 1);
    assert!(db.delete_memory("mine").await.expect("deleted"));
    assert!(db.memory("mine").await.expect("lookup").is_none());
    assert!(
        db.units(&[first]).await.expect("units").is_empty(),
        "units go too"
    );
}

async fn termbases(db: &dyn Database) {
    let termbase = db
        .create_termbase(
            "terms",
            None,
            Visibility::Public,
            None,
            "2025-01-01T00:00:00Z",
        )
        .await
        .expect("created");
    let mut writer = db.termbase_writer(termbase.id).await.expect("writer");
    assert_eq!(
        writer
            .upsert("c1", "{\"a\":1}", "2025")
            .await
            .expect("upsert"),
        ConceptWrite::Inserted
    );
    assert_eq!(
        writer
            .upsert("c1", "{\"a\":1}", "2025")
            .await
            .expect("upsert"),
        ConceptWrite::Unchanged
    );
    assert_eq!(
        writer
            .upsert("c1", "{\"a\":2}", "2026")
            .await
            .expect("upsert"),
        ConceptWrite::Updated
    );
    writer.commit().await.expect("commits");
    assert_eq!(
        db.concepts(termbase.id).await.expect("concepts"),
        [("c1".to_owned(), "{\"a\":2}".to_owned())]
    );
    assert_eq!(db.termbases().await.expect("list")[0].entries, Some(1));
}

async fn mt_cache(db: &dyn Database) {
    let entry = MtCacheEntry {
        key: "k1".to_owned(),
        engine: "deepl".to_owned(),
        model: "deepl@https://api.deepl.com".to_owned(),
        source_lang: "zh-CN".to_owned(),
        target_lang: "en".to_owned(),
        source: "本标准".to_owned(),
        target: "This standard".to_owned(),
        created: "2025-01-01T00:00:00Z".to_owned(),
    };
    db.mt_cache_put(std::slice::from_ref(&entry))
        .await
        .expect("put");
    db.mt_cache_put(&[entry])
        .await
        .expect("a key already there is kept");
    let found = db
        .mt_cache_get(&["k1".to_owned(), "k2".to_owned()])
        .await
        .expect("get");
    assert_eq!(found.len(), 1);
    assert_eq!(found["k1"], "This standard");
    assert_eq!(db.mt_cache_len().await.expect("count"), 1);
}

async fn jobs(db: &dyn Database) {
    let job = db
        .create_job(&NewJob {
            kind: "import".to_owned(),
            title: "a.jsonl".to_owned(),
            owner: "operator".to_owned(),
            runner: "host:1".to_owned(),
            now_ms: 1_000,
        })
        .await
        .expect("created");
    assert_eq!(job.state, JobState::Running);
    let progress = JobProgress {
        phase: Some("a.jsonl".to_owned()),
        done: 10,
        total: 100,
    };
    db.update_job(job.id, &progress, 2_000)
        .await
        .expect("progress");
    let stored = db.job(job.id).await.expect("read").expect("there");
    assert_eq!(
        (stored.done, stored.total, stored.updated_ms),
        (10, 100, 2_000)
    );
    assert_eq!(db.unfinished_jobs().await.expect("unfinished").len(), 1);
    let done = JobOutcome {
        state: JobState::Done,
        result: Some("{\"ok\":true}".to_owned()),
        error: None,
        progress: JobProgress {
            done: 100,
            ..progress
        },
    };
    assert!(db.finish_job(job.id, &done, 3_000).await.expect("finishes"));
    let interrupted = JobOutcome {
        state: JobState::Interrupted,
        result: None,
        error: Some("late".to_owned()),
        progress: JobProgress::default(),
    };
    assert!(
        !db.finish_job(job.id, &interrupted, 4_000)
            .await
            .expect("no-op"),
        "a job that has ended stays as it ended"
    );
    let stored = db.job(job.id).await.expect("read").expect("there");
    assert_eq!(stored.state, JobState::Done);
    assert_eq!(stored.finished_ms, Some(3_000));
    assert!(db.unfinished_jobs().await.expect("unfinished").is_empty());
    assert_eq!(db.jobs(Some("operator"), 10).await.expect("list").len(), 1);
    assert!(
        db.jobs(Some("someone else"), 10)
            .await
            .expect("list")
            .is_empty()
    );
}

#[tokio::test]
async fn the_story_on_sqlite() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = StoreUrl::parse(&format!(
        "sqlite://{}",
        dir.path().join("story.sqlite").display()
    ))
    .expect("a URL");
    let db = stdbridge_storage::open(&url).await.expect("opens");
    assert_eq!(db.backend(), "sqlite");
    story(db).await;
}

#[tokio::test]
async fn a_reopened_store_keeps_what_was_committed() {
    let dir = tempfile::tempdir().expect("temporary directory");
    {
        let db = SqliteStore::open_in(dir.path()).await.expect("opens");
        let mut import = db
            .begin_import("a.jsonl", "generic-jsonl")
            .await
            .expect("begins");
        import
            .apply(vec![prepared(
                "ISO 9001:2015",
                "Quality management systems",
                "a#1",
            )])
            .await
            .expect("applies");
        import.commit(1, 0, 0, 0).await.expect("commits");
        db.close().await;
    }
    let db = SqliteStore::open_in(dir.path()).await.expect("reopens");
    assert!(db.by_key("ISO 9001:2015").await.expect("lookup").is_some());
}
