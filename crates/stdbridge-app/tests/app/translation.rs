//! The translation half's use cases: memories, termbases, segmentation and a document's
//! pre-translation, for the operator; nothing of it for an anonymous caller.

use stdbridge_app::documents::{self, DocumentSource, Pipeline};
use stdbridge_app::model::{LookupRequest, Segment, Visibility};
use stdbridge_app::segmentation::{self, SegmentRequest};
use stdbridge_app::{ErrorKind, Principal, memories, mt, termbases};

use super::app;

const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="zh-CN" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="zh-CN"><seg>本标准规定了集装箱的分类。</seg></tuv><tuv xml:lang="en"><seg>This standard specifies the classification of freight containers.</seg></tuv></tu>
</body></tmx>"#;

#[tokio::test]
async fn a_memory_is_made_imported_and_looked_up() {
    let (dir, app) = app().await;
    let who = Principal::Operator;
    memories::create(&app, &who, "mine", None, Visibility::Private, None)
        .await
        .expect("created");
    let taken = memories::create(&app, &who, "mine", None, Visibility::Private, None)
        .await
        .expect_err("the name is taken");
    assert_eq!(taken.kind, ErrorKind::Conflict);
    let path = dir.path().join("mine.tmx");
    std::fs::write(&path, TMX).expect("write");
    let report = memories::import_tmx(&app, &who, "mine", path)
        .await
        .expect("starts")
        .wait()
        .await
        .expect("imports");
    assert_eq!(report.inserted, 1);
    let request = LookupRequest {
        memories: vec!["mine".into()],
        source_lang: "zh-CN".into(),
        target_lang: "en".into(),
        query: Segment::text("本标准规定了集装箱的分类。".to_owned()),
        limit: 5,
        min_score: 50,
    };
    let matches = memories::lookup(&app, &who, &request)
        .await
        .expect("looks up");
    assert_eq!(matches[0].score, 100);
    let refused = memories::lookup(&app, &Principal::Anonymous, &request)
        .await
        .expect_err("no translation half without an account");
    assert_eq!(refused.kind, ErrorKind::Unauthenticated);
    let hits = memories::concordance(&app, &who, &["mine".into()], "集装箱", 5)
        .await
        .expect("concordance");
    assert_eq!(hits.len(), 1);
}

#[tokio::test]
async fn a_document_is_pretranslated_as_a_job() {
    let (_dir, app) = app().await;
    let source = DocumentSource {
        name: "clause.txt".into(),
        bytes: "本标准适用于集装箱。\n\n试验方法见附录A。\n"
            .as_bytes()
            .to_vec(),
    };
    let pipeline = Pipeline {
        from: "zh-CN".into(),
        to: "en".into(),
        memories: Vec::new(),
        termbases: Vec::new(),
        engine: "pseudo".into(),
        min_score: 75,
        accept_changes: false,
        comments: false,
        xliff_version: "2.0".into(),
    };
    let job = documents::pretranslate_document(&app, &Principal::Operator, source, pipeline)
        .await
        .expect("starts");
    let id = job.id();
    let prepared = job.wait().await.expect("pre-translates");
    assert_eq!(prepared.segments(), 2);
    assert_eq!(prepared.count("engine"), 2);
    let merged = String::from_utf8(prepared.merged(false).expect("merges")).expect("UTF-8");
    assert!(merged.contains("⟦本标准适用于集装箱。"), "{merged}");
    assert!(
        merged.contains("附录Å"),
        "Latin letters are pseudo-translated: {merged}"
    );
    assert!(prepared.xliff().contains("subState=\"sb:mt-pseudo\""));
    let view = stdbridge_app::jobs::job(&app, &Principal::Operator, id)
        .await
        .expect("recorded");
    assert_eq!(view.kind, "pretranslate");
    assert_eq!(view.result.expect("a summary")["segments"], 2);
}

#[tokio::test]
async fn segmentation_and_unknown_engines() {
    let (_dir, app) = app().await;
    let sentences = segmentation::segment(
        &app,
        &Principal::Operator,
        SegmentRequest {
            text: "本标准规定了集装箱的分类。见4.2.1条。".into(),
            lang: "zh-CN".into(),
            words: true,
            ..SegmentRequest::default()
        },
    )
    .await
    .expect("segments");
    assert_eq!(sentences.len(), 2);
    assert!(
        sentences[0]
            .words
            .as_ref()
            .is_some_and(|w| w.contains(&"集装箱".to_owned()))
    );
    let error = mt::translate_line(
        &app,
        &Principal::Operator,
        mt::LineRequest {
            engine: "babelfish".into(),
            from: "zh-CN".into(),
            to: "en".into(),
            termbases: Vec::new(),
            text: "本标准".into(),
        },
    )
    .await
    .expect_err("no such engine");
    assert_eq!(
        (error.kind, error.field.as_deref()),
        (ErrorKind::Invalid, Some("engine"))
    );
    let missing = termbases::concepts(&app, &Principal::Operator, "none")
        .await
        .expect_err("no such termbase");
    assert_eq!(missing.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn a_server_follows_what_another_process_imports_into_a_memory() {
    let (dir, server) = app().await;
    let who = Principal::Operator;
    memories::create(&server, &who, "shared", None, Visibility::Public, None)
        .await
        .expect("created");
    let request = LookupRequest {
        memories: vec!["shared".into()],
        source_lang: "zh-CN".into(),
        target_lang: "en".into(),
        query: Segment::text("本标准规定了集装箱的分类。".to_owned()),
        limit: 5,
        min_score: 50,
    };
    let none = memories::lookup(&server, &who, &request)
        .await
        .expect("looks up");
    assert!(none.is_empty(), "{none:?}");
    let follower = server.follow_changes();
    // Another process: its own application over the same data directory.
    let cli = stdbridge_app::App::open(stdbridge_app::Config::for_data_dir(dir.path()))
        .await
        .expect("opens");
    let path = dir.path().join("shared.tmx");
    std::fs::write(&path, TMX).expect("write");
    memories::import_tmx(&cli, &who, "shared", path)
        .await
        .expect("starts")
        .wait()
        .await
        .expect("imports");
    let started = std::time::Instant::now();
    loop {
        let found = memories::lookup(&server, &who, &request)
            .await
            .expect("looks up");
        if found.first().is_some_and(|m| m.score == 100) {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the server's TM index never saw the import"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    follower.abort();
}
