//! Documents through the binary: a Chinese DOCX pre-translated against a memory, XLIFF out
//! and back, codes refused and repaired, hostile files refused with nothing written.

use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use stdbridge_filters::docx_build::package;

use super::stdbridge;

const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="test" adminlang="en" srclang="zh-CN" datatype="plaintext"/><body>
<tu><tuv xml:lang="zh-CN"><seg>本标准规定了罐式集装箱的技术要求。</seg></tuv><tuv xml:lang="en"><seg>This standard specifies the technical requirements for tank containers.</seg></tuv></tu>
<tu><tuv xml:lang="zh-CN"><seg>集装箱应符合GB/T 1413的规定。</seg></tuv><tuv xml:lang="en"><seg>Containers shall comply with GB/T 1413.</seg></tuv></tu>
<tu><tuv xml:lang="zh-CN"><seg>检验方法见附录A。</seg></tuv><tuv xml:lang="en"><seg>See Annex A for the test methods.</seg></tuv></tu>
</body></tmx>"#;

fn run(data: &Path, args: &[&str]) -> (bool, String, String) {
    let output = stdbridge(data, args);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn document_xml(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("reads the output");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut text = String::new();
    archive
        .by_name("word/document.xml")
        .expect("main part")
        .read_to_string(&mut text)
        .expect("utf-8");
    text
}

/// A Chinese standard: a heading, a paragraph of two sentences with a bold designation,
/// a table cell, a repeated sentence and one that differs from the memory by a number.
fn chinese_docx() -> Vec<u8> {
    let body = concat!(
        r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>1 范围</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>本标准规定了罐式集装箱的技术要求。集装箱应符合</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>GB/T 1413</w:t></w:r><w:r><w:t>的规定。</w:t></w:r></w:p>"#,
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>检验方法见附录A。</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        r#"<w:p><w:r><w:t>本标准规定了罐式集装箱的技术要求。</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:t>集装箱应符合GB/T 1414的规定。</w:t></w:r></w:p>"#,
    );
    package(body, None).expect("builds")
}

fn memory_with_the_sentences(data: &Path, dir: &Path) {
    let tmx = dir.join("std.tmx");
    std::fs::write(&tmx, TMX).expect("writes");
    let (ok, out, err) = run(
        data,
        &["tm", "import", "--tm", "std", tmx.to_str().expect("utf-8")],
    );
    assert!(ok, "{out}{err}");
}

#[test]
fn a_chinese_docx_is_pretranslated_from_memory_with_its_formatting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    memory_with_the_sentences(&data, dir.path());
    let input = dir.path().join("标准.docx");
    std::fs::write(&input, chinese_docx()).expect("writes");
    let output = dir.path().join("standard.docx");
    let xliff = dir.path().join("standard.xlf");
    let report = dir.path().join("report.json");
    let (ok, out, err) = run(
        &data,
        &[
            "translate",
            input.to_str().expect("utf-8"),
            "-o",
            output.to_str().expect("utf-8"),
            "--from",
            "zh-CN",
            "--to",
            "en",
            "--tm",
            "std",
            "--xliff",
            xliff.to_str().expect("utf-8"),
            "--report",
            report.to_str().expect("utf-8"),
        ],
    );
    assert!(ok, "{out}{err}");
    assert!(out.contains("100%") && out.contains("Repetitions"), "{out}");
    let document = document_xml(&output);
    assert!(
        document.contains(r#"<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>1 范围</w:t>"#),
        "untranslated heading kept: {document}"
    );
    assert!(
        document.contains(r#"<w:pPr><w:jc w:val="both"/></w:pPr>"#),
        "{document}"
    );
    assert!(
        document.contains(r#"<w:t xml:space="preserve">This standard specifies the technical requirements for tank containers. Containers shall comply with </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">GB/T 1413</w:t></w:r>"#),
        "translations in place, the designation still bold: {document}"
    );
    assert!(
        document.contains(
            "<w:tc><w:p><w:r><w:t xml:space=\"preserve\">See Annex A for the test methods.</w:t>"
        ),
        "{document}"
    );
    assert_eq!(
        document.matches("This standard specifies").count(),
        2,
        "the repetition is translated too"
    );
    assert!(
        document.contains("Containers shall comply with GB/T 1413."),
        "the 99% match is used: {document}"
    );

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("json");
    let band = |name: &str| {
        report["analysis"]["bands"]
            .as_array()
            .expect("bands")
            .iter()
            .find(|b| b["band"] == name)
            .cloned()
            .expect("band")
    };
    assert_eq!(band("100")["segments"], 3, "{report:#}");
    assert_eq!(band("95-99")["segments"], 1, "{report:#}");
    assert_eq!(band("repetitions")["segments"], 1);
    assert_eq!(band("no match")["segments"], 1);
    // CJK characters count as words: 本标准规定了罐式集装箱的技术要求 has 16.
    assert_eq!(band("repetitions")["words"], 16);
    assert_eq!(report["analysis"]["total"]["segments"], 6);
    assert_eq!(report["translated"]["exact"], 3);
    assert_eq!(report["translated"]["fuzzy"], 1);

    let xlf = std::fs::read_to_string(&xliff).expect("xliff");
    assert!(
        xlf.contains(r#"subState="sb:fuzzy-99""#) && xlf.contains(r#"state="initial""#),
        "fuzzy matches are marked"
    );
    assert!(
        xlf.contains(r##"<mtc:match ref="#s1" similarity="99" type="tm" origin="tm:std">"##),
        "{xlf}"
    );
    let merged = dir.path().join("merged.docx");
    let (ok, out, err) = run(
        &data,
        &[
            "merge",
            xliff.to_str().expect("utf-8"),
            "-o",
            merged.to_str().expect("utf-8"),
        ],
    );
    assert!(ok, "{out}{err}");
    assert_eq!(
        document_xml(&merged),
        document,
        "the XLIFF merges back to the same document"
    );
    // The same through XLIFF 1.2.
    let xliff12 = dir.path().join("standard.1.2.xlf");
    let (ok, out, err) = run(
        &data,
        &[
            "extract",
            input.to_str().expect("utf-8"),
            "-o",
            xliff12.to_str().expect("utf-8"),
            "--from",
            "zh-CN",
            "--to",
            "en",
            "--tm",
            "std",
            "--xliff-version",
            "1.2",
        ],
    );
    assert!(ok, "{out}{err}");
    let xlf = std::fs::read_to_string(&xliff12).expect("xliff 1.2");
    assert!(
        xlf.contains(r#"<xliff version="1.2""#)
            && xlf.contains(r#"<alt-trans mid="1" match-quality="99""#),
        "{xlf}"
    );
    let merged12 = dir.path().join("merged12.docx");
    let (ok, out, err) = run(
        &data,
        &[
            "merge",
            xliff12.to_str().expect("utf-8"),
            "-o",
            merged12.to_str().expect("utf-8"),
        ],
    );
    assert!(ok, "{out}{err}");
    assert_eq!(
        document_xml(&merged12),
        document,
        "XLIFF 1.2 merges back to the same document"
    );
}

#[test]
fn extract_and_merge_refuse_lost_codes_unless_repairing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let input = dir.path().join("in.docx");
    std::fs::write(&input, chinese_docx()).expect("writes");
    let xliff = dir.path().join("in.xlf");
    let (ok, out, err) = run(
        &data,
        &[
            "extract",
            input.to_str().expect("utf-8"),
            "-o",
            xliff.to_str().expect("utf-8"),
        ],
    );
    assert!(ok, "{out}{err}");
    let untouched = dir.path().join("same.docx");
    let (ok, _, err) = run(
        &data,
        &[
            "merge",
            xliff.to_str().expect("utf-8"),
            "-o",
            untouched.to_str().expect("utf-8"),
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(
        document_xml(&untouched),
        document_xml(&input),
        "no translation: the document as it was"
    );

    // Another tool translated the segment but dropped the bold designation's codes.
    let xlf = std::fs::read_to_string(&xliff).expect("reads");
    let segment = r#"<source>集装箱应符合<pc id="1" dataRefStart="d1" dataRefEnd="d1e" disp="b">GB/T 1413</pc>的规定。</source>"#;
    assert!(xlf.contains(segment), "{xlf}");
    let translated = xlf.replace(
        segment,
        &format!("{segment}<target>Containers shall comply with GB/T 1413.</target>"),
    );
    std::fs::write(&xliff, translated).expect("writes");
    let output = dir.path().join("out.docx");
    let (ok, _, err) = run(
        &data,
        &[
            "merge",
            xliff.to_str().expect("utf-8"),
            "-o",
            output.to_str().expect("utf-8"),
        ],
    );
    assert!(
        !ok && err.contains("unit u2, segment 2: code 1 of the source is missing"),
        "{err}"
    );
    assert!(!output.exists(), "nothing written");
    let (ok, _, err) = run(
        &data,
        &[
            "merge",
            "--repair",
            xliff.to_str().expect("utf-8"),
            "-o",
            output.to_str().expect("utf-8"),
        ],
    );
    assert!(ok, "{err}");
    assert!(document_xml(&output).contains("Containers shall comply with GB/T 1413."));
}

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        writer.write_all(data).expect("write");
    }
    writer.finish().expect("zip").into_inner()
}

#[test]
fn hostile_documents_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    let good = chinese_docx();
    let types = {
        let mut archive = zip::ZipArchive::new(Cursor::new(good.clone())).expect("zip");
        let mut text = Vec::new();
        archive
            .by_name("[Content_Types].xml")
            .expect("types")
            .read_to_end(&mut text)
            .expect("reads");
        text
    };
    let zeros = vec![b' '; 48 << 20];
    let xxe = br#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"#;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "bomb.docx",
            zip_with(&[
                ("[Content_Types].xml", &types),
                ("word/document.xml", &zeros),
            ]),
            "zip bomb",
        ),
        (
            "traversal.docx",
            zip_with(&[("[Content_Types].xml", &types), ("../../evil.xml", b"x")]),
            "points outside the package",
        ),
        (
            "xxe.docx",
            zip_with(&[("[Content_Types].xml", &types), ("word/document.xml", xxe)]),
            "DOCTYPE is not allowed",
        ),
        (
            "broken.docx",
            b"PK\x03\x04 not really a zip".to_vec(),
            "not a readable zip package",
        ),
    ];
    for (name, bytes, reason) in cases {
        let input = dir.path().join(name);
        std::fs::write(&input, bytes).expect("writes");
        let output = out_dir.join(name);
        let (ok, _, err) = run(
            &data,
            &[
                "translate",
                input.to_str().expect("utf-8"),
                "-o",
                output.to_str().expect("utf-8"),
                "--engine",
                "pseudo",
            ],
        );
        assert!(
            !ok && err.contains(name) && err.contains(reason),
            "{name}: {err}"
        );
    }
    // A 1 GB upload: refused by its size before it is read.
    let huge = dir.path().join("huge.docx");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(1 << 30))
        .expect("sparse file");
    let (ok, _, err) = run(
        &data,
        &[
            "translate",
            huge.to_str().expect("utf-8"),
            "-o",
            out_dir.join("huge.docx").to_str().expect("utf-8"),
        ],
    );
    assert!(!ok && err.contains("larger than the limit"), "{err}");
    assert_eq!(
        std::fs::read_dir(&out_dir).expect("lists").count(),
        0,
        "nothing written, not even a temporary file"
    );
    assert!(!dir.path().join("evil.xml").exists() && !Path::new("/tmp/evil.xml").exists());
}

/// A LibreTranslate server on loopback: answers with the tags of each text (codes and
/// term placeholders) around English words; `fail` makes every answer HTTP 500. Returns
/// its URL and the count of texts it was asked to translate.
fn libretranslate_server(fail: bool) -> (String, Arc<AtomicUsize>) {
    use axum::Json;
    use axum::routing::post;
    use serde_json::{Value, json};
    let (sender, receiver) = std::sync::mpsc::channel();
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let router = axum::Router::new().route(
                "/translate",
                post(move |Json(body): Json<Value>| async move {
                    counter.fetch_add(body["q"].as_array().map_or(0, Vec::len), Ordering::SeqCst);
                    if fail {
                        return Err((axum::http::StatusCode::INTERNAL_SERVER_ERROR, "engine down"));
                    }
                    let texts: Vec<String> = body["q"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|q| q.as_str())
                        .map(|q| {
                            let tags: Vec<&str> = q
                                .split_inclusive('>')
                                .filter_map(|p| p.find('<').map(|at| &p[at..]))
                                .collect();
                            format!("EN {} done.", tags.join(" "))
                        })
                        .collect();
                    Ok(Json(json!({"translatedText": texts})))
                }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("binds");
            sender.send(listener.local_addr().expect("address")).ok();
            axum::serve(listener, router).await.ok();
        });
    });
    (
        format!("http://{}", receiver.recv().expect("server address")),
        asked,
    )
}

#[test]
fn an_http_engine_translates_with_the_termbase_s_terms_and_a_failing_one_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let glossary = dir.path().join("terms.csv");
    std::fs::write(&glossary, "zh-CN,en\n应,shall\n集装箱,freight container\n").expect("writes");
    let (ok, out, err) = run(
        &data,
        &[
            "term",
            "import",
            "--termbase",
            "std",
            glossary.to_str().expect("utf-8"),
        ],
    );
    assert!(ok, "{out}{err}");
    let (url, asked) = libretranslate_server(false);
    let engine = format!("libretranslate:{url}");
    let (ok, out, err) = run(
        &data,
        &[
            "mt",
            "--engine",
            &engine,
            "--termbase",
            "std",
            "集装箱应经过试验。",
        ],
    );
    assert!(ok, "{out}{err}");
    assert_eq!(out.trim(), "EN freight container shall done.");

    let input = dir.path().join("in.docx");
    let body = r#"<w:p><w:r><w:t>集装箱</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>应</w:t></w:r><w:r><w:t>经过试验。</w:t></w:r></w:p>"#;
    std::fs::write(&input, package(body, None).expect("builds")).expect("writes");
    let output = dir.path().join("out.docx");
    let (ok, out, err) = run(
        &data,
        &[
            "translate",
            input.to_str().expect("utf-8"),
            "-o",
            output.to_str().expect("utf-8"),
            "--engine",
            &engine,
            "--termbase",
            "std",
        ],
    );
    assert!(ok, "{out}{err}");
    let document = document_xml(&output);
    assert!(
        document.contains(r#"<w:t xml:space="preserve">EN freight container </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> shall </w:t></w:r>"#),
        "the bold code and both terms come through: {document}"
    );

    // The same document again: every segment comes from the cache.
    let before = asked.load(Ordering::SeqCst);
    let again = dir.path().join("again.docx");
    let (ok, out, err) = run(
        &data,
        &[
            "translate",
            input.to_str().expect("utf-8"),
            "-o",
            again.to_str().expect("utf-8"),
            "--engine",
            &engine,
            "--termbase",
            "std",
        ],
    );
    assert!(ok, "{out}{err}");
    assert_eq!(
        asked.load(Ordering::SeqCst),
        before,
        "repeated segments cost nothing"
    );
    assert_eq!(document_xml(&again), document);

    let down = format!("libretranslate:{}", libretranslate_server(true).0);
    let failed = dir.path().join("failed.docx");
    let (ok, _, err) = run(
        &data,
        &[
            "translate",
            input.to_str().expect("utf-8"),
            "-o",
            failed.to_str().expect("utf-8"),
            "--engine",
            &down,
        ],
    );
    assert!(
        !ok && err.contains("libretranslate")
            && err.contains("HTTP 500")
            && err.contains("after 4 attempts"),
        "{err}"
    );
    assert!(!failed.exists(), "a failed translation writes nothing");
}

#[test]
fn a_model_directory_is_checked_added_and_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../stdbridge-mt/fixtures/tiny-zh-en");
    let (ok, out, err) = run(
        &data,
        &[
            "models",
            "add",
            fixture.to_str().expect("utf-8"),
            "--name",
            "tiny",
        ],
    );
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("tiny") && out.contains("zh→en marian d_model 16, 2+2 layers"),
        "{out}"
    );
    let (ok, out, _) = run(&data, &["models", "list", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(
        ok && listed[0]["name"] == "tiny" && listed[0]["vocab_size"] == 155,
        "{listed}"
    );
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let (ok, _, err) = run(&data, &["models", "add", empty.to_str().expect("utf-8")]);
    assert!(!ok && err.contains("config.json is missing"), "{err}");
}

#[test]
fn the_built_in_engine_translates_a_line_and_a_document_with_the_termbase_s_terms() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../stdbridge-mt/fixtures/tiny-zh-en");
    let glossary = dir.path().join("terms.csv");
    std::fs::write(&glossary, "zh-CN,en\n应,shall\n集装箱,freight container\n").expect("writes");
    for args in [
        vec![
            "term",
            "import",
            "--termbase",
            "std",
            glossary.to_str().expect("utf-8"),
        ],
        vec![
            "models",
            "add",
            fixture.to_str().expect("utf-8"),
            "--name",
            "tiny",
        ],
    ] {
        let (ok, out, err) = run(&data, &args);
        assert!(ok, "{out}{err}");
    }
    // By the name `models add` gave it, with the terms forced into a random model's output.
    let (ok, out, err) = run(
        &data,
        &[
            "mt",
            "--engine",
            "marian:tiny",
            "--termbase",
            "std",
            "集装箱应经过试验。",
        ],
    );
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("shall") && out.contains("freight container"),
        "{out}"
    );

    let input = dir.path().join("in.docx");
    let body = r#"<w:p><w:r><w:t>集装箱</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>应</w:t></w:r><w:r><w:t>经过试验。</w:t></w:r></w:p>"#;
    std::fs::write(&input, package(body, None).expect("builds")).expect("writes");
    let output = dir.path().join("out.docx");
    let engine = format!("marian:{}", fixture.display());
    let (ok, out, err) = run(
        &data,
        &[
            "translate",
            input.to_str().expect("utf-8"),
            "-o",
            output.to_str().expect("utf-8"),
            "--engine",
            &engine,
            "--termbase",
            "std",
        ],
    );
    assert!(ok, "{out}{err}");
    let document = document_xml(&output);
    assert!(document.contains("freight container"), "{document}");
    assert!(document.contains("shall"), "{document}");
    assert!(
        document.contains("<w:b/>"),
        "the bold code comes back: {document}"
    );
    assert!(!document.contains("集装箱"), "{document}");
}
