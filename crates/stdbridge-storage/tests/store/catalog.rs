//! The catalogue on SQLite: merged sources, idempotent upserts, the change log,
//! rollback, lookups by key and relations in both directions.

use stdbridge_core::{Relation, RelationKind, Standard, Status, Title};
use stdbridge_storage::{CatalogRepository, Incoming, Prepared, SqliteStore as Store};

fn record(
    designation: &str,
    status: Status,
    lang: &str,
    title: &str,
    relations: &[(RelationKind, &str)],
) -> Standard {
    Standard {
        designation: designation.to_owned(),
        publishers: vec![
            designation
                .split([' ', '/'])
                .next()
                .unwrap_or_default()
                .to_owned(),
        ],
        status: Some(status),
        titles: vec![Title {
            lang: lang.to_owned(),
            full: title.to_owned(),
            ..Title::default()
        }],
        relations: relations
            .iter()
            .map(|(kind, target)| Relation {
                kind: *kind,
                target: (*target).to_owned(),
                degree: None,
                catalogue: None,
            })
            .collect(),
        ..Standard::default()
    }
}

fn incoming(record: Standard, source: &str, priority: u8) -> Prepared {
    Incoming {
        record,
        source: source.to_owned(),
        priority,
    }
    .prepare()
}

fn from_iec() -> Prepared {
    incoming(
        record(
            "IEC 31010:2019",
            Status::Published,
            "en",
            "Risk management - Risk assessment techniques",
            &[],
        ),
        "relaton-iec:a",
        0,
    )
}

fn from_iso() -> Prepared {
    incoming(
        record(
            "IEC 31010:2019",
            Status::Published,
            "fr",
            "Management du risque - Techniques d'appréciation du risque",
            &[(RelationKind::Replaces, "IEC 31010:2009")],
        ),
        "relaton-iso:b",
        1,
    )
}

async fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open_in(dir.path()).await.expect("open");
    (dir, store)
}

#[tokio::test]
async fn two_sources_merge_to_the_same_record_in_either_order() {
    let (_a, first) = open().await;
    let (_b, second) = open().await;
    for (store, batches) in [
        (&first, [vec![from_iec()], vec![from_iso()]]),
        (&second, [vec![from_iso()], vec![from_iec()]]),
    ] {
        for batch in batches {
            let mut session = store.begin_import("test", "test").await.expect("begin");
            session.apply(batch).await.expect("apply");
            session.commit(0, 0, 0, 0).await.expect("commit");
        }
    }
    let a = first
        .by_key("IEC 31010:2019")
        .await
        .expect("query")
        .expect("stored");
    let b = second
        .by_key("IEC 31010:2019")
        .await
        .expect("query")
        .expect("stored");
    assert_eq!(a.record, b.record);
    assert_eq!(
        a.record.titles.len(),
        2,
        "one title per language, from both sources"
    );
    assert_eq!(a.sources, ["relaton-iec:a", "relaton-iso:b"]);
}

#[tokio::test]
async fn upserts_are_idempotent_and_logged_in_order() {
    let (_dir, store) = open().await;
    let mut session = store.begin_import("test", "test").await.expect("begin");
    let outcome = session
        .apply(vec![from_iec(), from_iso()])
        .await
        .expect("apply");
    assert_eq!(
        (outcome.inserted, outcome.updated, outcome.unchanged),
        (1, 1, 0)
    );
    session.commit(1, 1, 0, 0).await.expect("commit");
    let mut session = store.begin_import("test", "test").await.expect("begin");
    let outcome = session
        .apply(vec![from_iso(), from_iec()])
        .await
        .expect("apply");
    assert_eq!(
        (outcome.inserted, outcome.updated, outcome.unchanged),
        (0, 0, 2)
    );
    session.commit(0, 0, 2, 0).await.expect("commit");

    let changed = incoming(
        record(
            "IEC 31010:2019",
            Status::Withdrawn,
            "en",
            "Risk management",
            &[],
        ),
        "relaton-iec:a",
        0,
    );
    let mut session = store.begin_import("test", "test").await.expect("begin");
    assert_eq!(
        session.apply(vec![changed]).await.expect("apply").updated,
        1
    );
    session.commit(0, 1, 0, 0).await.expect("commit");

    let changes = store.changes_since(0, 100).await.expect("changes");
    let ops: Vec<(&str, i64)> = changes.iter().map(|c| (c.op.as_str(), c.seq)).collect();
    assert_eq!(ops, [("insert", 1), ("update", 2)]);
    let stored = store
        .by_key("IEC 31010:2019")
        .await
        .expect("query")
        .expect("stored");
    assert_eq!(stored.record.status, Some(Status::Withdrawn));
    assert_eq!(stored.updated_seq, 2);
}

#[tokio::test]
async fn an_import_that_is_not_committed_leaves_the_store_as_it_was() {
    let (_dir, store) = open().await;
    let mut session = store.begin_import("test", "test").await.expect("begin");
    session.apply(vec![from_iec()]).await.expect("apply");
    session.rollback().await.expect("rollback");
    let mut session = store.begin_import("test", "test").await.expect("begin");
    session.apply(vec![from_iso()]).await.expect("apply");
    drop(session);
    let stats = store.stats().await.expect("stats");
    assert_eq!(
        (stats.standards, stats.source_records, stats.last_change),
        (0, 0, 0)
    );
}

#[tokio::test]
async fn relations_are_seen_from_both_ends_and_editions_share_an_undated_key() {
    let (_dir, store) = open().await;
    let old = incoming(
        record(
            "IEC 31010:2009",
            Status::Withdrawn,
            "en",
            "Risk assessment techniques",
            &[],
        ),
        "x:old",
        0,
    );
    let mut session = store.begin_import("test", "test").await.expect("begin");
    session.apply(vec![old, from_iso()]).await.expect("apply");
    session.commit(2, 0, 0, 0).await.expect("commit");
    let editions = store.by_undated_key("IEC 31010").await.expect("query");
    assert_eq!(editions.len(), 2);
    let old = store
        .by_key("IEC 31010:2009")
        .await
        .expect("query")
        .expect("stored");
    let related = store.relations_of(&old).await.expect("relations");
    assert_eq!(related.len(), 1);
    assert_eq!(
        (related[0].kind.as_str(), related[0].designation.as_str()),
        ("replaced-by", "IEC 31010:2019")
    );
    let new = store
        .by_key("IEC 31010:2019")
        .await
        .expect("query")
        .expect("stored");
    let related = store.relations_of(&new).await.expect("relations");
    assert!(related[0].in_catalogue);
}
