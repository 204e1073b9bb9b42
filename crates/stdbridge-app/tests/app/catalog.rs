//! The catalogue's use cases: an import as a job, then search and show through the same
//! functions the CLI and the server call; who may do what.

use stdbridge_app::catalog::{self, ImportRequest, SearchRequest, Selection};
use stdbridge_app::{App, Config, ErrorKind, Principal};

use super::{CATALOGUE, app};

async fn imported(app: &App, dir: &std::path::Path) {
    let path = dir.join("catalogue.csv");
    std::fs::write(&path, CATALOGUE).expect("write");
    let job = catalog::import(
        app,
        &Principal::Operator,
        ImportRequest {
            paths: vec![path],
            format: None,
        },
    )
    .await
    .expect("the import starts");
    let summary = job.wait().await.expect("the import ends");
    assert_eq!(summary.standards_in_store, 3, "{summary:?}");
    assert_eq!(summary.indexed, 3, "searchable when the job ends");
}

#[tokio::test]
async fn an_import_is_searched_and_shown_by_any_spelling() {
    let (dir, app) = app().await;
    imported(&app, dir.path()).await;
    let page = catalog::search(
        &app,
        &Principal::Anonymous,
        SearchRequest {
            q: "quality management".into(),
            limit: 10,
            offset: 0,
            facets: true,
        },
    )
    .await
    .expect("searches");
    assert_eq!(page.total, 3);
    assert_eq!(page.facets["country"]["CN"], 1);
    let view = catalog::show(&app, &Principal::Anonymous, "gbt 19001—2016")
        .await
        .expect("found");
    assert_eq!(view.record.designation, "GB/T 19001-2016");
    assert_eq!(
        view.equivalents[0].designation, "ISO 9001:2015",
        "the standard it adopts: {:?}",
        view.equivalents
    );
    let missing = catalog::show(&app, &Principal::Anonymous, "GB 99999-2099")
        .await
        .expect_err("not there");
    assert_eq!(missing.kind, ErrorKind::NotFound);
    let bad = catalog::search(
        &app,
        &Principal::Anonymous,
        SearchRequest {
            q: "status:alive".into(),
            limit: 10,
            offset: 0,
            facets: false,
        },
    )
    .await
    .expect_err("a bad filter");
    assert_eq!(
        (bad.kind, bad.field.as_deref()),
        (ErrorKind::Invalid, Some("q"))
    );
}

#[tokio::test]
async fn a_selection_names_the_field_at_fault() {
    let (dir, app) = app().await;
    imported(&app, dir.path()).await;
    let selection = Selection {
        years: Some("twenty".into()),
        ..Selection::default()
    };
    let error = catalog::analytics(&app, &Principal::Operator, &selection, "en", 5)
        .await
        .expect_err("a bad year");
    assert_eq!(error.field.as_deref(), Some("years"), "{error}");
    let selection = Selection {
        country: Some("CN".into()),
        ..Selection::default()
    };
    let counted = catalog::analytics(&app, &Principal::Operator, &selection, "zh", 5)
        .await
        .expect("counts");
    assert_eq!(counted.total, 1);
    let error = catalog::compared_countries("CN").expect_err("one country");
    assert_eq!(error.field.as_deref(), Some("countries"));

    // What the OpenAPI patterns accept is accepted: an open range bounds nothing, and a
    // body may hold any character but a comma and ECMA 262's white space (U+0085 is not
    // white space there, though Rust's `char::is_whitespace` says it is).
    let selection = Selection {
        years: Some("..".into()),
        body: Some("ISO\u{85}X,IEC,\u{e}".into()),
        ..Selection::default()
    };
    let counted = catalog::analytics(&app, &Principal::Operator, &selection, "en", 5)
        .await
        .expect("counts");
    assert_eq!(counted.total, 0);
    let selection = Selection {
        years: Some("..".into()),
        ..Selection::default()
    };
    let counted = catalog::analytics(&app, &Principal::Operator, &selection, "en", 5)
        .await
        .expect("counts");
    assert_eq!(counted.total, 3, "`..` is no filter");
}

#[tokio::test]
async fn strangers_read_the_catalogue_but_never_write_it() {
    let (dir, app) = app().await;
    let refused = catalog::import(
        &app,
        &Principal::Anonymous,
        ImportRequest {
            paths: vec![dir.path().join("nothing.csv")],
            format: None,
        },
    )
    .await
    .err()
    .expect("an anonymous import is refused");
    assert_eq!(refused.kind, ErrorKind::Unauthenticated);
    let refused = catalog::reindex(&app, &Principal::Anonymous)
        .await
        .err()
        .expect("an anonymous reindex is refused");
    assert_eq!(refused.kind, ErrorKind::Unauthenticated);

    let mut config = Config::for_data_dir(dir.path());
    config.catalogue_public = false;
    let closed = App::open(config).await.expect("opens");
    let refused = catalog::stats(&closed, &Principal::Anonymous)
        .await
        .expect_err("a closed catalogue");
    assert_eq!(refused.kind, ErrorKind::Unauthenticated);
    assert!(catalog::stats(&closed, &Principal::Operator).await.is_ok());
}

#[tokio::test]
async fn a_server_follows_what_another_process_imports() {
    let (dir, server) = app().await;
    assert_eq!(catalog::indexed(&server).await.expect("index"), 0);
    let follower = server.follow_changes();
    // Another process: its own application over the same data directory.
    let cli = App::open(Config::for_data_dir(dir.path()))
        .await
        .expect("opens");
    imported(&cli, dir.path()).await;
    let started = std::time::Instant::now();
    while catalog::indexed(&server).await.expect("index") < 3 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the server never saw the import"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let page = catalog::search(
        &server,
        &Principal::Anonymous,
        SearchRequest {
            q: "GB/T 19001".into(),
            limit: 5,
            offset: 0,
            facets: false,
        },
    )
    .await
    .expect("searches");
    assert_eq!(page.hits[0].designation, "GB/T 19001-2016");
    follower.abort();
}
