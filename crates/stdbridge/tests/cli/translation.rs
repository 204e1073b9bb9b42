//! The translation-memory and termbase commands as a user runs them: the binary, a
//! temporary data directory and files on disk.

use super::{json, stdbridge};

/// Standard output of a command that must succeed.
fn ok(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn segment_splits_sentences_and_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = json(&stdbridge(
        dir.path(),
        &[
            "segment",
            "--json",
            "--words",
            "本标准规定了集装箱的分类。见4.2.1条！",
        ],
    ));
    let sentences = out.as_array().expect("array");
    assert_eq!(sentences.len(), 2);
    assert_eq!(sentences[0]["text"], "本标准规定了集装箱的分类。");
    assert!(
        sentences[0]["words"]
            .as_array()
            .expect("words")
            .iter()
            .any(|w| w == "集装箱")
    );
    let english = ok(&stdbridge(
        dir.path(),
        &["segment", "--lang", "en", "See Fig. 2. Then stop."],
    ));
    assert_eq!(english, "See Fig. 2.\nThen stop.\n");
}

#[test]
fn a_generated_memory_imports_looks_up_and_exports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tmx = dir.path().join("gen.tmx");
    let again = dir.path().join("gen-again.tmx");
    ok(&stdbridge(
        dir.path(),
        &[
            "gen-tm",
            "--units",
            "2000",
            "--seed",
            "3",
            "-o",
            tmx.to_str().expect("utf-8"),
        ],
    ));
    ok(&stdbridge(
        dir.path(),
        &[
            "gen-tm",
            "--units",
            "2000",
            "--seed",
            "3",
            "-o",
            again.to_str().expect("utf-8"),
        ],
    ));
    assert_eq!(
        std::fs::read(&tmx).expect("read"),
        std::fs::read(&again).expect("read"),
        "deterministic"
    );

    let report = json(&stdbridge(
        dir.path(),
        &[
            "tm",
            "import",
            "--tm",
            "gen",
            "--json",
            tmx.to_str().expect("utf-8"),
        ],
    ));
    assert_eq!(report[0]["read"], 2000);

    // A stored source, found exactly, and the same with a changed character.
    let text = std::fs::read_to_string(&tmx).expect("read");
    let source = text
        .split("<tuv xml:lang=\"zh-CN\">")
        .nth(10)
        .and_then(|rest| rest.split("<seg>").nth(1))
        .and_then(|rest| rest.split("</seg>").next())
        .expect("a Chinese segment")
        .to_owned();
    let exact = json(&stdbridge(
        dir.path(),
        &["tm", "lookup", "--tm", "gen", "--json", &source],
    ));
    let best = &exact[0];
    assert_eq!(best["score"], 100);
    assert_eq!(best["kind"], "exact");
    assert_eq!(best["source"], source.as_str());
    for key in [
        "target",
        "diff",
        "origin",
        "memory",
        "source_lang",
        "target_lang",
    ] {
        assert!(best.get(key).is_some(), "{key} missing: {best}");
    }
    let mut chars: Vec<char> = source.chars().collect();
    chars[1] = '囍';
    let edited: String = chars.into_iter().collect();
    let fuzzy = json(&stdbridge(
        dir.path(),
        &["tm", "lookup", "--tm", "gen", "--json", &edited],
    ));
    assert!(fuzzy[0]["score"].as_u64().expect("score") < 100);
    let diff = fuzzy[0]["diff"].as_array().expect("diff");
    assert!(
        diff.iter()
            .any(|part| part["op"] == "insert" && part["text"] == "囍"),
        "{diff:?}"
    );

    let exported = dir.path().join("exported.tmx");
    ok(&stdbridge(
        dir.path(),
        &[
            "tm",
            "export",
            "--tm",
            "gen",
            "-o",
            exported.to_str().expect("utf-8"),
        ],
    ));
    let report = json(&stdbridge(
        dir.path(),
        &[
            "tm",
            "import",
            "--tm",
            "copy",
            "--json",
            exported.to_str().expect("utf-8"),
        ],
    ));
    let first = json(&stdbridge(dir.path(), &["tm", "list", "--json"]));
    let entries: Vec<i64> = first
        .as_array()
        .expect("list")
        .iter()
        .map(|m| m["entries"].as_i64().unwrap_or(-1))
        .collect();
    assert_eq!(entries[0], entries[1], "{first}");
    assert_eq!(report[0]["inserted"].as_i64(), Some(entries[0]));

    let concordance = json(&stdbridge(
        dir.path(),
        &[
            "tm",
            "concordance",
            "--tm",
            "gen",
            "--json",
            &source[..source
                .char_indices()
                .nth(3)
                .map_or(source.len(), |(i, _)| i)],
        ],
    ));
    assert!(!concordance.as_array().expect("hits").is_empty());
}

#[test]
fn a_broken_tmx_fails_with_its_line_and_keeps_the_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.tmx");
    std::fs::write(&good, "<tmx version=\"1.4\"><header srclang=\"en\"/><body><tu><tuv xml:lang=\"en\"><seg>Scope</seg></tuv><tuv xml:lang=\"zh-CN\"><seg>范围</seg></tuv></tu></body></tmx>").expect("write");
    ok(&stdbridge(
        dir.path(),
        &["tm", "import", "--tm", "m", good.to_str().expect("utf-8")],
    ));
    let bad = dir.path().join("bad.tmx");
    std::fs::write(&bad, "<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n<tu><tuv xml:lang=\"en\"><seg>Other</seg></tuv></tu>\n<tu><tuv xml:lang=\"en\"><seg>x</tuv>\n</body></tmx>").expect("write");
    let output = stdbridge(
        dir.path(),
        &["tm", "import", "--tm", "m", bad.to_str().expect("utf-8")],
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "a file that is not valid TMX"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bad.tmx:3") && stderr.contains("nothing from this file was stored"),
        "{stderr}"
    );
    let list = json(&stdbridge(dir.path(), &["tm", "list", "--json"]));
    assert_eq!(list[0]["entries"], 1);
}

#[test]
fn the_demo_termbase_finds_requirement_verbs_and_terms() {
    let dir = tempfile::tempdir().expect("tempdir");
    ok(&stdbridge(dir.path(), &["demo"]));
    let hits = json(&stdbridge(
        dir.path(),
        &[
            "term",
            "find",
            "--termbase",
            "standards",
            "--json",
            "集装箱应符合本标准的要求，不应超过罐式集装箱的额定质量。",
        ],
    ));
    let found: Vec<(String, String)> = hits
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["text"].as_str().unwrap_or("").to_owned(),
                h["preferred"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("集装箱", "freight container"),
        ("应", "shall"),
        ("本标准", "this standard"),
        ("不应", "shall not"),
        ("罐式集装箱", "tank container"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(found, expected);
    // Offsets count characters: 应 is the fourth character, 罐式集装箱 starts at the 18th.
    let spans: Vec<(u64, u64)> = hits
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["start"].as_u64().unwrap_or(0),
                h["end"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(spans, [(0, 3), (3, 4), (6, 9), (13, 15), (17, 22)]);

    let exported = dir.path().join("standards.tbx");
    ok(&stdbridge(
        dir.path(),
        &[
            "term",
            "export",
            "--termbase",
            "standards",
            "-o",
            exported.to_str().expect("utf-8"),
        ],
    ));
    let report = json(&stdbridge(
        dir.path(),
        &[
            "term",
            "import",
            "--termbase",
            "copy",
            "--json",
            exported.to_str().expect("utf-8"),
        ],
    ));
    assert_eq!(report[0]["read"], 17);

    let memory = json(&stdbridge(
        dir.path(),
        &[
            "tm",
            "lookup",
            "--tm",
            "tico19",
            "--json",
            "这些症状已持续多长时间？",
        ],
    ));
    assert_eq!(memory[0]["score"], 100);
}

#[test]
fn bench_tm_measures_recall_against_brute_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("bench");
    let report = json(&stdbridge(
        dir.path(),
        &[
            "bench",
            "tm",
            "--units",
            "3000",
            "--queries",
            "60",
            "--brute-force",
            "30",
            "--json",
            "--work-dir",
            work.to_str().expect("utf-8"),
        ],
    ));
    assert_eq!(report["units"], 3000);
    assert!(
        report["recall_at_1"].as_f64().expect("recall") >= 0.9,
        "{report}"
    );
    assert!(report["index_p95_ms"].as_f64().expect("p95") > 0.0);
}

/// The PostgreSQL database the pg_trgm comparison uses: $STDBRIDGE_TEST_POSTGRES, else the
/// local test database (as on CI).
fn postgres_url() -> String {
    std::env::var("STDBRIDGE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

#[test]
fn bench_tm_compares_with_postgres_pg_trgm() {
    let url = postgres_url();
    if std::net::TcpStream::connect("127.0.0.1:5432").is_err() && url.contains("127.0.0.1:5432") {
        println!("skipped: no PostgreSQL on 127.0.0.1:5432 (set STDBRIDGE_TEST_POSTGRES)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("bench");
    let report = json(&stdbridge(
        dir.path(),
        &[
            "bench",
            "tm",
            "--units",
            "2000",
            "--queries",
            "40",
            "--brute-force",
            "40",
            "--json",
            "--postgres",
            &url,
            "--work-dir",
            work.to_str().expect("utf-8"),
        ],
    ));
    let pg = &report["pg_trgm"];
    assert_eq!(pg["queries"], 40, "{report}");
    let recall = pg["recall_at_1"].as_f64().expect("recall");
    assert!((0.0..=1.0).contains(&recall), "{report}");
    assert!(pg["p50_ms"].as_f64().expect("p50") > 0.0, "{report}");
}
