//! `stdbridge qa` on files a translator hands in: a TMX of standards sentences with
//! seeded errors (recall per kind, and clean pairs that must stay clean), an XLIFF with
//! a broken code, a translated document against its original, and the catalogue's word
//! on a cited edition.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{demo, stdbridge, stdout};

/// Clean pairs of standards wording (zh → en): no verbal-form, number, unit or
/// designation finding may be raised on them.
const CLEAN: &[(&str, &str)] = &[
    (
        "试样应在23 ℃±2 ℃下状态调节24 h。",
        "The specimens shall be conditioned at 23 °C ± 2 °C for 24 h.",
    ),
    (
        "包装储运图示标志应符合GB/T 191—2008的规定。",
        "Packaging pictorial marking shall comply with GB/T 191-2008.",
    ),
    (
        "钢丝的抗拉强度不应低于1 570 MPa。",
        "The tensile strength of the wire shall be not less than 1 570 MPa.",
    ),
    (
        "集装箱的最大总质量为30 480 kg。",
        "The maximum gross mass of the container is 30 480 kg.",
    ),
    (
        "检验批的批量宜为500件～1 000件。",
        "The lot size of an inspection lot should be 500 to 1 000 pieces.",
    ),
    (
        "必要时，可按附录B进行补充试验。",
        "Where necessary, supplementary tests may be carried out in accordance with Annex B.",
    ),
    (
        "型式检验每两年进行一次。",
        "Type tests are carried out once every two years.",
    ),
    (
        "电缆在−40 ℃下弯曲时不应开裂。",
        "The cable shall not crack when bent at −40 °C.",
    ),
    (
        "本文件适用于额定电压0.6/1 kV的电力电缆。",
        "This document applies to power cables of rated voltage 0.6/1 kV.",
    ),
    (
        "含水率应不大于0.5%。",
        "The moisture content shall be not more than 0.5 %.",
    ),
    (
        "质量管理体系应符合GB/T 19001—2016的要求。",
        "The quality management system shall conform to the requirements of GB/T 19001-2016.",
    ),
    ("储存期为12个月。", "The storage period is 12 months."),
    (
        "不必对每批产品进行型式检验。",
        "Type tests need not be carried out on every batch.",
    ),
    (
        "该方法能测定0.01 mg/L的铅。",
        "The method can determine lead at 0.01 mg/L.",
    ),
    ("升温速率为5 ℃/min。", "The heating rate is 5 °C/min."),
    (
        "试验电压为2.5 kV，持续1 min。",
        "The test voltage is 2.5 kV for 1 min.",
    ),
    ("见ISO 9001:2015的第7.5条。", "See 7.5 of ISO 9001:2015."),
    (
        "样品数量不得少于3个。",
        "The number of samples shall not be less than 3.",
    ),
    (
        "测量结果修约到0.1 mm。",
        "The results are rounded to 0.1 mm.",
    ),
    (
        "标志应清晰、耐久。",
        "Markings shall be legible and durable.",
    ),
];

/// Seeded errors: (kind, source, target).
const SEEDED: &[(&str, &str, &str)] = &[
    (
        "verbal-form",
        "包装箱宜采用瓦楞纸箱。",
        "Corrugated cartons shall be used as packing cases.",
    ),
    (
        "verbal-form",
        "试样应在23 ℃±2 ℃下状态调节24 h。",
        "The specimens should be conditioned at 23 °C ± 2 °C for 24 h.",
    ),
    (
        "verbal-form",
        "必要时，可按附录B进行补充试验。",
        "Where necessary, supplementary tests shall be carried out in accordance with Annex B.",
    ),
    (
        "verbal-form",
        "电缆在−40 ℃下弯曲时不应开裂。",
        "The cable should not crack when bent at −40 °C.",
    ),
    (
        "number",
        "集装箱的最大总质量为30 480 kg。",
        "The maximum gross mass of the container is 30 840 kg.",
    ),
    (
        "number",
        "钢丝的抗拉强度不应低于1 570 MPa。",
        "The tensile strength of the wire shall be not less than 1 750 MPa.",
    ),
    (
        "number",
        "储存期为12个月。",
        "The storage period is 18 months.",
    ),
    (
        "number",
        "试验电压为2.5 kV，持续1 min。",
        "The test voltage is 25 kV for 1 min.",
    ),
    ("unit", "升温速率为5 ℃/min。", "The heating rate is 5 °C/h."),
    (
        "unit",
        "测量结果修约到0.1 mm。",
        "The results are rounded to 0.1 cm.",
    ),
    (
        "unit",
        "钢丝的抗拉强度不应低于1 570 MPa。",
        "The tensile strength of the wire shall be not less than 1 570 kPa.",
    ),
    (
        "unit",
        "该方法能测定0.01 mg/L的铅。",
        "The method can determine lead at 0.01 g/L.",
    ),
    (
        "designation",
        "包装储运图示标志应符合GB/T 191—2008的规定。",
        "Packaging pictorial marking shall comply with GB/T 191-2018.",
    ),
    (
        "designation",
        "质量管理体系应符合GB/T 19001—2016的要求。",
        "The quality management system shall conform to the requirements of GB/T 19001-2008.",
    ),
    (
        "designation",
        "见ISO 9001:2015的第7.5条。",
        "See 7.5 of ISO 9011:2015.",
    ),
    (
        "designation",
        "按GB 50016—2014的规定设置防火分区。",
        "Fire compartments shall be set in accordance with GB 50016-2006.",
    ),
];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn tmx(pairs: &[(String, &str, &str)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n<header creationtool=\"test\" creationtoolversion=\"1\" datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" srclang=\"zh-CN\" o-tmf=\"test\"/>\n<body>\n",
    );
    for (id, zh, en) in pairs {
        out.push_str(&format!(
            "<tu tuid=\"{id}\"><tuv xml:lang=\"zh-CN\"><seg>{}</seg></tuv><tuv xml:lang=\"en\"><seg>{}</seg></tuv></tu>\n",
            escape(zh),
            escape(en)
        ));
    }
    out.push_str("</body>\n</tmx>\n");
    out
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings")
}

#[test]
fn seeded_errors_are_found_by_kind_and_clean_pairs_stay_clean() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut pairs: Vec<(String, &str, &str)> = Vec::new();
    for (index, (zh, en)) in CLEAN.iter().enumerate() {
        pairs.push((format!("clean-{index}"), zh, en));
    }
    for (index, (kind, zh, en)) in SEEDED.iter().enumerate() {
        pairs.push((format!("{kind}-{index}"), zh, en));
    }
    let file = dir.path().join("seeded.tmx");
    std::fs::write(&file, tmx(&pairs)).expect("written");
    let output = stdbridge(dir.path(), &["qa", "--json", file.to_str().expect("path")]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "errors exit with 1: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["checked"], pairs.len());
    let standards_checks = ["verbal-form", "number", "unit", "designation"];
    let mut flagged: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for finding in findings(&report) {
        for key in [
            "file",
            "unit",
            "segment",
            "check",
            "severity",
            "message",
            "source_span",
            "target_span",
        ] {
            assert!(finding.get(key).is_some(), "{key} missing: {finding}");
        }
        assert_eq!(finding["source_span"].as_array().map(Vec::len), Some(2));
        let check = finding["check"].as_str().expect("check").to_owned();
        let unit = finding["unit"].as_str().expect("unit").to_owned();
        if standards_checks.contains(&check.as_str()) {
            flagged.entry(check).or_default().insert(unit);
        }
    }
    let clean_flagged: BTreeSet<&String> = flagged
        .values()
        .flatten()
        .filter(|unit| unit.starts_with("clean-"))
        .collect();
    assert!(
        clean_flagged.is_empty(),
        "clean pairs flagged: {clean_flagged:?}\n{report:#}"
    );
    for kind in standards_checks {
        let seeded: Vec<String> = SEEDED
            .iter()
            .enumerate()
            .filter(|(_, (k, ..))| *k == kind)
            .map(|(index, _)| format!("{kind}-{index}"))
            .collect();
        let found = flagged.get(kind).cloned().unwrap_or_default();
        let missed: Vec<&String> = seeded
            .iter()
            .filter(|unit| !found.contains(*unit))
            .collect();
        assert!(missed.is_empty(), "{kind}: missed {missed:?}\n{report:#}");
    }
}

#[test]
fn an_xliff_with_a_lost_code_and_an_empty_target_is_reported_with_its_units() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let xliff = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh-CN" trgLang="en">
 <file id="f1">
  <unit id="u1">
   <originalData><data id="d1">&lt;b&gt;</data><data id="d2">&lt;/b&gt;</data></originalData>
   <segment id="s1"><source>试样应<pc id="1" dataRefStart="d1" dataRefEnd="d2">干燥</pc>。</source><target>The specimens shall be dried.</target></segment>
  </unit>
  <unit id="u2">
   <segment id="s1"><source>标志应清晰。</source><target></target></segment>
  </unit>
 </file>
</xliff>
"#;
    let file = dir.path().join("codes.xlf");
    std::fs::write(&file, xliff).expect("written");
    let output = stdbridge(dir.path(), &["qa", "--json", file.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let by_check: BTreeMap<&str, &str> = findings(&report)
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap_or_default(),
                f["unit"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(by_check.get("code"), Some(&"u1"), "{report:#}");
    assert_eq!(by_check.get("untranslated"), Some(&"u2"), "{report:#}");
}

#[test]
fn a_translated_document_is_checked_against_its_original_and_text_goes_to_stdout() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let original = dir.path().join("original.md");
    let translated = dir.path().join("translated.md");
    std::fs::write(
        &original,
        "# 范围\n\n本文件适用于钢丝绳。\n\n试样应在23 ℃下放置24 h。\n",
    )
    .expect("written");
    std::fs::write(&translated, "# Scope\n\nThis document applies to steel wire ropes.\n\nThe specimens may be kept at 23 °C for 42 h.\n").expect("written");
    let output = stdbridge(
        dir.path(),
        &[
            "qa",
            "--from",
            "zh-CN",
            "--to",
            "en",
            "--source",
            original.to_str().expect("path"),
            translated.to_str().expect("path"),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("[verbal-form]") && text.contains("[number]"),
        "{text}"
    );
    assert!(text.contains("translated.md"), "{text}");
    let summary = String::from_utf8_lossy(&output.stderr);
    assert!(summary.contains("3 segments checked"), "{summary}");

    let mismatched = dir.path().join("short.md");
    std::fs::write(&mismatched, "# Scope\n").expect("written");
    let output = stdbridge(
        dir.path(),
        &[
            "qa",
            "--from",
            "zh",
            "--to",
            "en",
            "--source",
            original.to_str().expect("path"),
            mismatched.to_str().expect("path"),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("short.md has 1 paragraphs") && error.contains("original.md has 3"),
        "{error}"
    );
}

#[test]
fn a_cited_edition_the_catalogue_knows_as_replaced_is_a_warning_naming_its_successor() {
    let dir = demo();
    let pairs = vec![(
        "1".to_owned(),
        "能效限定值应符合GB 12021.3-2010的规定。",
        "The minimum allowable values of energy efficiency shall comply with GB 12021.3-2010.",
    )];
    let file = dir.path().join("cited.tmx");
    std::fs::write(&file, tmx(&pairs)).expect("written");
    let output = stdbridge(
        dir.path(),
        &[
            "qa",
            "--json",
            "--check",
            "designation",
            file.to_str().expect("path"),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "a warning is not an error");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let messages: Vec<&str> = findings(&report)
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("GB 12021.3-2010") && m.contains("GB 21455")),
        "{report:#}"
    );
}

#[test]
fn bad_arguments_and_files_are_named() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("bad.tmx");
    std::fs::write(&file, "<tmx version=\"1.4\"><body><tu>").expect("written");
    let output = stdbridge(dir.path(), &["qa", file.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("bad.tmx"));
    let output = stdbridge(
        dir.path(),
        &["qa", "--check", "spelling", file.to_str().expect("path")],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("\"spelling\": not a check"));
    let output = stdbridge(
        dir.path(),
        &["qa", "--rules", "iso", file.to_str().expect("path")],
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("use standards or construction"));
}

#[test]
fn terms_and_definitions_become_a_termbase_after_review() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let lines: Vec<(String, &str, &str)> = [
        ("3 术语和定义", "3 Terms and definitions"),
        ("3.1", "3.1"),
        ("集装箱 container", "container"),
        (
            "具有足够强度、可长期反复使用的运输设备。",
            "Article of transport equipment strong enough to be suitable for repeated use.",
        ),
        (
            "注：集装箱不包括车辆。",
            "Note 1 to entry: The term container includes no vehicles.",
        ),
        (
            "3.2 额定质量；最大总质量 rating",
            "3.2 rating; maximum gross mass",
        ),
        (
            "集装箱的最大总质量。",
            "The maximum gross mass of the container.",
        ),
        ("4 分类", "4 Classification"),
    ]
    .iter()
    .enumerate()
    .map(|(index, (zh, en))| (format!("p{index}"), *zh, *en))
    .collect();
    let file = dir.path().join("standard.tmx");
    std::fs::write(&file, tmx(&lines)).expect("written");
    let output = stdbridge(
        dir.path(),
        &["term", "extract", "--json", file.to_str().expect("path")],
    );
    let concepts: Value = super::json(&output);
    assert_eq!(concepts.as_array().map(Vec::len), Some(2), "{concepts:#}");
    assert_eq!(concepts[0]["languages"][0]["terms"][0]["text"], "集装箱");
    assert_eq!(concepts[0]["languages"][1]["terms"][0]["text"], "container");
    assert_eq!(
        concepts[1]["languages"][0]["terms"][1]["text"],
        "最大总质量"
    );

    let tbx = dir.path().join("terms.tbx");
    let output = stdbridge(
        dir.path(),
        &[
            "term",
            "extract",
            "--standard",
            "GB/T 1992-2006",
            "-o",
            tbx.to_str().expect("path"),
            file.to_str().expect("path"),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout(&output).contains("GB/T 1992-2006 3.1"),
        "{}",
        stdout(&output)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("review them"));
    let output = stdbridge(
        dir.path(),
        &[
            "term",
            "import",
            "--termbase",
            "tnd",
            tbx.to_str().expect("path"),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let hits = super::json(&stdbridge(
        dir.path(),
        &[
            "term",
            "find",
            "--json",
            "--termbase",
            "tnd",
            "--lang",
            "zh-CN",
            "--tgt",
            "en",
            "集装箱的额定质量应符合表1。",
        ],
    ));
    let found: Vec<&str> = hits
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["preferred"].as_str())
        .collect();
    assert!(
        found.contains(&"container") && found.contains(&"rating"),
        "{hits:#}"
    );
}
