//! Translation memories through their real path: TMX files on disk, the SQLite store and
//! the tantivy index in a temporary data directory.

use std::path::{Path, PathBuf};

use stdbridge_storage::SqliteStore as Store;
use stdbridge_tm::tmx::{TmxItem, TmxReader};
use stdbridge_tm::{LookupRequest, Memories, Segment, Unit};

const TICO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../demo/translation/tico19-en-zh.tmx"
);

async fn open(dir: &Path) -> Memories {
    let store = Store::open_in(dir).await.expect("store");
    Memories::open(std::sync::Arc::new(store), dir)
        .await
        .expect("memories")
}

fn request(memory: &str, src: &str, tgt: &str, text: &str) -> LookupRequest {
    LookupRequest {
        memories: vec![memory.to_owned()],
        source_lang: src.to_owned(),
        target_lang: tgt.to_owned(),
        query: Segment::text(text),
        limit: 5,
        min_score: 0,
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

fn units_of(path: &Path) -> Vec<Unit> {
    let mut reader = TmxReader::open(path).expect("open");
    let mut units = Vec::new();
    while let Some(item) = reader.next_item().expect("read") {
        if let TmxItem::Unit(unit, _) = item {
            units.push(unit);
        }
    }
    units
}

#[tokio::test]
async fn the_tico_memory_imports_and_answers_exact_fuzzy_and_concordance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let memories = open(dir.path()).await;
    let report = memories
        .import_tmx("tico", Path::new(TICO), |_| {})
        .await
        .expect("import");
    assert_eq!(report.read, 3071);
    assert_eq!(report.inserted + report.merged, 3071);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);

    let exact = memories
        .lookup(&request("tico", "zh-CN", "en", "这些症状已持续多长时间？"))
        .await
        .expect("lookup");
    assert_eq!(exact[0].score, 100);
    assert_eq!(exact[0].kind, "exact");
    assert_eq!(
        exact[0].target,
        "about how long have these symptoms been going on?"
    );

    let fuzzy = memories
        .lookup(&request("tico", "zh", "en", "这些症状已持续多久？"))
        .await
        .expect("lookup");
    let best = &fuzzy[0];
    assert_eq!(best.source, "这些症状已持续多长时间？");
    assert!((60..95).contains(&best.score), "{}", best.score);
    let deleted: String = best
        .diff
        .iter()
        .filter(|part| part.op == stdbridge_tm::fuzzy::DiffOp::Delete)
        .map(|part| part.text.as_str())
        .collect();
    assert_eq!(deleted, "长时间");

    // English → Chinese works on the same units.
    let english = memories
        .lookup(&request(
            "tico",
            "en",
            "zh",
            "About how long have these symptoms been going on?",
        ))
        .await
        .expect("lookup");
    assert!(
        english[0].score >= 99,
        "case differs only: {}",
        english[0].score
    );
    assert_eq!(english[0].target, "这些症状已持续多长时间？");

    let hits = memories
        .concordance(&["tico".to_owned()], "胸痛", 50)
        .await
        .expect("concordance");
    assert!(hits.len() >= 2);
    for hit in &hits {
        let (_, text) = hit
            .variants
            .iter()
            .find(|(lang, _)| *lang == hit.found_in)
            .expect("found language");
        assert!(text.contains("胸痛"), "{text}");
    }
    let one_character = memories
        .concordance(&["tico".to_owned()], "痛", 500)
        .await
        .expect("concordance");
    assert!(
        one_character.len() > hits.len(),
        "{} vs {}",
        one_character.len(),
        hits.len()
    );
    let english_hits = memories
        .concordance(&["tico".to_owned()], "Chest Pain", 50)
        .await
        .expect("concordance");
    assert!(!english_hits.is_empty());
}

#[tokio::test]
async fn export_then_import_gives_back_the_same_units() {
    let dir = tempfile::tempdir().expect("tempdir");
    let memories = open(dir.path()).await;
    let source = write(
        dir.path(),
        "codes.tmx",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="html">
  <prop type="x-project">demo</prop><note>header note</note>
</header>
<body>
<tu tuid="a1" creationdate="20240101T000000Z" creationid="ana" usagecount="3">
  <prop type="x-standard">GB/T 1992—2006</prop><note>from clause 3</note>
  <tuv xml:lang="en"><seg>The <bpt i="1" type="bold">&lt;b&gt;</bpt>freight container<ept i="1">&lt;/b&gt;</ept> shall<ph x="2">&lt;br/&gt;</ph> be <hi type="italic">tested</hi>.</seg></tuv>
  <tuv xml:lang="zh-CN"><prop type="x-reviewed">yes</prop><seg><bpt i="1">&lt;b&gt;</bpt>集装箱<ept i="1">&lt;/b&gt;</ept>应<ph x="2">&lt;br/&gt;</ph>经过<hi type="italic">试验</hi>。</seg></tuv>
</tu>
<tu tuid="a2"><tuv xml:lang="en"><seg>Text with <it pos="begin" x="3">&lt;u&gt;<sub>sub</sub></it> and <ut>{\i}</ut></seg></tuv><tuv xml:lang="zh-CN"><seg>文字</seg></tuv></tu>
</body>
</tmx>"#,
    );
    memories
        .import_tmx("a", &source, |_| {})
        .await
        .expect("import");
    let exported = dir.path().join("exported.tmx");
    let file = std::fs::File::create(&exported).expect("create");
    assert_eq!(memories.export_tmx("a", file).await.expect("export"), 2);
    assert_eq!(units_of(&source), units_of(&exported));
    let original_header = TmxReader::open(&source).expect("open").header().clone();
    let exported_header = TmxReader::open(&exported).expect("open").header().clone();
    assert_eq!(original_header, exported_header);

    // Re-importing what was exported into the same memory changes nothing.
    let again = memories
        .import_tmx("a", &exported, |_| {})
        .await
        .expect("again");
    assert_eq!((again.inserted, again.merged), (0, 2));

    let found = memories
        .lookup(&request(
            "a",
            "en",
            "zh-CN",
            "The freight container shall be tested.",
        ))
        .await
        .expect("lookup");
    assert!(
        (95..100).contains(&found[0].score),
        "codes differ only: {}",
        found[0].score
    );
    assert_eq!(found[0].origin.standard.as_deref(), Some("GB/T 1992—2006"));
    assert_eq!(
        found[0].target_marked,
        "{bpt1}集装箱{ept1}应{ph2}经过{hi}试验{/hi}。"
    );
}

#[tokio::test]
async fn a_broken_file_stores_nothing_and_names_the_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let memories = open(dir.path()).await;
    memories
        .import_tmx("m", Path::new(TICO), |_| {})
        .await
        .expect("import");
    let before = memories.list().await.expect("list")[0].entries.unwrap_or(0);

    let unclosed = write(
        dir.path(),
        "unclosed.tmx",
        "<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n<tu><tuv xml:lang=\"en\"><seg>new one</seg></tuv>\n<tuv xml:lang=\"zh\"><seg>新的</seg></tuv></tu>\n<tu><tuv xml:lang=\"en\"><seg>open\n</tuv></tu>\n</body></tmx>\n",
    );
    let error = memories
        .import_tmx("m", &unclosed, |_| {})
        .await
        .expect_err("rejected");
    let text = error.to_string();
    assert!(
        text.contains("unclosed.tmx:5") && text.contains("<seg> opened at line 4"),
        "{text}"
    );

    let bomb = write(
        dir.path(),
        "bomb.tmx",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n<!ENTITY a \"aaaaaaaaaa\">\n<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n<tu><tuv xml:lang=\"en\"><seg>&c;</seg></tuv></tu>\n</body></tmx>\n",
    );
    let error = memories
        .import_tmx("m", &bomb, |_| {})
        .await
        .expect_err("bomb");
    let text = error.to_string();
    assert!(
        text.contains("bomb.tmx:8") && text.contains("&c;"),
        "{text}"
    );

    let latin1 = dir.path().join("latin1.tmx");
    std::fs::write(
        &latin1,
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header srclang=\"fr\"/><body>\n<tu><tuv xml:lang=\"fr\"><seg>caf\xe9</seg></tuv></tu>\n</body></tmx>\n",
    )
    .expect("write");
    let error = memories
        .import_tmx("m", &latin1, |_| {})
        .await
        .expect_err("encoding");
    assert!(error.to_string().contains("encoding"), "{error}");

    let not_tmx = write(dir.path(), "x.tmx", "<xliff version=\"1.2\"></xliff>");
    let error = memories
        .import_tmx("m", &not_tmx, |_| {})
        .await
        .expect_err("not tmx");
    assert!(error.to_string().contains("not a TMX file"), "{error}");

    let into_new = memories.import_tmx("new", &bomb, |_| {}).await;
    assert!(into_new.is_err());
    assert_eq!(
        memories.list().await.expect("list").len(),
        1,
        "no memory left behind"
    );
    assert_eq!(
        memories.index().generation(),
        memories
            .store()
            .memory_generation()
            .await
            .expect("generation"),
        "the index still matches the store: no rebuild needed"
    );

    let after = memories.list().await.expect("list")[0].entries.unwrap_or(0);
    assert_eq!(before, after, "nothing stored, nothing lost");
    let still = memories
        .lookup(&request("m", "zh", "en", "这些症状已持续多长时间？"))
        .await
        .expect("lookup");
    assert_eq!(still[0].score, 100);
    let none = memories
        .lookup(&request("m", "en", "zh", "new one"))
        .await
        .expect("lookup");
    assert!(none.iter().all(|m| m.source != "new one"));
}

#[tokio::test]
async fn unusable_units_are_reported_with_their_line_and_the_rest_is_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let memories = open(dir.path()).await;
    let file = write(
        dir.path(),
        "mixed.tmx",
        "<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n<tu><tuv xml:lang=\"en\"><seg>kept</seg></tuv><tuv xml:lang=\"zh\"><seg>保留</seg></tuv></tu>\n<tu><tuv><seg>no language</seg></tuv></tu>\n<tu><tuv xml:lang=\"en\"><seg>bad <b>element</b></seg></tuv></tu>\n</body></tmx>",
    );
    let report = memories
        .import_tmx("m", &file, |_| {})
        .await
        .expect("import");
    assert_eq!(report.inserted, 1);
    assert_eq!(report.rejected.len(), 2, "{:?}", report.rejected);
    assert!(report.rejected[0].contains("mixed.tmx:3") && report.rejected[0].contains("xml:lang"));
    assert!(report.rejected[1].contains("mixed.tmx:4") && report.rejected[1].contains("<b>"));
}

#[tokio::test]
async fn deleting_a_memory_removes_its_units_from_lookups_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let memories = open(dir.path()).await;
    memories
        .import_tmx("a", Path::new(TICO), |_| {})
        .await
        .expect("a");
    memories
        .import_tmx("b", Path::new(TICO), |_| {})
        .await
        .expect("b");
    let query = request("b", "zh", "en", "这些症状已持续多长时间？");
    assert_eq!(
        memories.lookup(&query).await.expect("lookup")[0].memory,
        "b"
    );
    memories.delete("a").await.expect("delete");
    assert_eq!(
        memories.index().generation(),
        memories
            .store()
            .memory_generation()
            .await
            .expect("generation")
    );
    let all = LookupRequest {
        memories: Vec::new(),
        ..query
    };
    let found = memories.lookup(&all).await.expect("lookup");
    assert!(!found.is_empty() && found.iter().all(|m| m.memory == "b"));
    assert!(memories.delete("a").await.is_err(), "gone");
}

#[tokio::test]
async fn the_index_is_rebuilt_when_it_does_not_match_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let memories = open(dir.path()).await;
        memories
            .import_tmx("tico", Path::new(TICO), |_| {})
            .await
            .expect("import");
    }
    std::fs::remove_dir_all(dir.path().join("index").join("tm")).expect("remove index");
    let memories = open(dir.path()).await;
    let found = memories
        .lookup(&request("tico", "zh", "en", "这些症状已持续多长时间？"))
        .await
        .expect("lookup");
    assert_eq!(found[0].score, 100);
}
