//! The web UI's pages over real HTTP, in both languages: every page renders, labels
//! come from the page's language only, facets narrow, charts come with data and CSV.

use super::{Server, get_text, start};

/// The English labels that must not appear on a Chinese page (those that differ from
/// their Chinese text and are long enough not to occur by chance).
fn english_only_labels() -> Vec<String> {
    let en: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(include_str!("../../ui/messages/en.json")).expect("en.json");
    let zh: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(include_str!("../../ui/messages/zh.json")).expect("zh.json");
    // The language switch names the other language in that language: "中文" is an
    // English page's label and a Chinese page's own word.
    let chinese: Vec<&serde_json::Value> = zh.values().collect();
    en.iter()
        .filter(|(key, value)| zh.get(*key) != Some(*value) && !chinese.contains(value))
        .filter_map(|(_, value)| value.as_str())
        .filter(|text| text.len() >= 6 && !text.starts_with("stdbridge"))
        .map(str::to_owned)
        .collect()
}

/// The page's text without the data in other languages (elements marked `lang="…"`
/// other than the page's are what the catalogue holds, not labels).
fn labels_of(html: &str) -> String {
    let mut text = html.to_owned();
    for lang in ["en", "fr", "ru", "es", "ja"] {
        let marker = format!(" lang=\"{lang}\">");
        while let Some(start) = text.find(&marker) {
            let close = text[start..].find('<').map_or(text.len(), |i| start + i);
            text.replace_range(start..close, " lang=\"x\">");
        }
    }
    text
}

async fn page(server: &Server, path: &str) -> String {
    let (status, content_type, body) = get_text(server, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    assert!(
        content_type.starts_with("text/html"),
        "{path}: {content_type}"
    );
    unescaped_slashes(&body)
}

/// The page with the template engine's escaped slashes (`&#x2f;`) written plainly.
fn unescaped_slashes(html: &str) -> String {
    html.replace("&#x2f;", "/")
}

#[tokio::test]
async fn every_page_renders_in_both_languages_without_foreign_labels() {
    let server = start().await;
    let english = english_only_labels();
    assert!(english.len() > 50, "the check has labels to look for");
    let paths = [
        "/?q=quality",
        "/?q=quality+body:ISO",
        "/standards/GB/T%2019001-2016",
        "/standards/ISO%209001:2015",
        "/countries",
        "/countries/CN",
        "/analytics",
        "/analytics?country=CN&compare=CN,JP",
    ];
    for path in paths {
        let separator = if path.contains('?') { '&' } else { '?' };
        let zh = page(&server, &format!("{path}{separator}lang=zh")).await;
        assert!(zh.contains("<html lang=\"zh\">"), "{path}");
        let shown = labels_of(&zh);
        for label in &english {
            assert!(
                !shown.contains(label.as_str()),
                "{path} in Chinese shows {label:?}"
            );
        }
        let en = page(&server, &format!("{path}{separator}lang=en")).await;
        assert!(en.contains("<html lang=\"en\">"), "{path}");
        assert!(
            en.contains("id=\"language-switch\""),
            "{path}: a visible language switch"
        );
    }
}

#[tokio::test]
async fn accept_language_chooses_the_language_and_the_switch_keeps_the_search() {
    let server = start().await;
    let response = server
        .client
        .get(format!("{}/?q=quality", server.base))
        .header("accept-language", "zh-CN,zh;q=0.9,en;q=0.5")
        .send()
        .await
        .expect("answer");
    let html = unescaped_slashes(&response.text().await.expect("body"));
    assert!(html.contains("<html lang=\"zh\">"));
    assert!(
        html.contains("href=\"/?q=quality&amp;lang=en\""),
        "switch to English keeps q"
    );
}

#[tokio::test]
async fn a_facet_narrows_the_search_and_stays_in_the_url() {
    let server = start().await;
    let html = page(&server, "/?q=quality&lang=en").await;
    assert!(html.contains("<span id=\"total\">3</span>"), "{html}");
    let facet = "/?q=quality+country%3ACN&amp;lang=en";
    assert!(
        html.contains(facet),
        "a facet link adds country:CN to the query"
    );
    let narrowed = page(&server, &facet.replace("&amp;", "&")).await;
    assert!(
        narrowed.contains("<span id=\"total\">1</span>"),
        "{narrowed}"
    );
    assert!(
        narrowed.contains("class=\"chip\""),
        "the filter shows as a chip"
    );
    assert!(
        narrowed.contains("value=\"quality country:CN\""),
        "and in the box"
    );
}

#[tokio::test]
async fn a_standard_page_shows_equivalents_timeline_and_classification() {
    let server = start().await;
    let html = page(&server, "/standards/GB/T%2019001-2016?lang=zh").await;
    assert!(html.contains("质量管理体系 要求"));
    assert!(
        html.contains("等同采用（IDT）"),
        "the degree of the adoption"
    );
    assert!(html.contains("03.120.10"));
    assert!(
        html.contains("暂无中文名称"),
        "a sub-group's English title is marked as a fallback on a Chinese page"
    );
    assert!(!html.contains("cn-standards.csv"), "no internal file names");
    let iso_zh = page(&server, "/standards/ISO%209001%3A2015?lang=zh").await;
    assert!(
        iso_zh.contains("<span lang=\"zh\">质量管理体系 要求</span>"),
        "an international standard without a Chinese title shows its IDT adoption's"
    );
    assert!(
        iso_zh.contains("取自等同采用的"),
        "marked as the adoption's title"
    );
    let iso = page(&server, "/standards/ISO%209001?lang=en").await;
    assert!(iso.contains("Edition timeline"));
    let old = iso.find("ISO 9001:2008").expect("the replaced edition");
    let current = iso.find("(this edition)").expect("this edition");
    assert!(old < current, "oldest first");
    let (status, _, missing) = get_text(&server, "/standards/ISO%2099999?lang=en").await;
    let missing = unescaped_slashes(&missing);
    assert_eq!(status, 404);
    assert!(missing.contains("No standard is known"));
}

#[tokio::test]
async fn country_and_analytics_pages_draw_charts_with_tables_and_csv() {
    let server = start().await;
    let html = page(&server, "/countries/CN?lang=zh").await;
    assert!(html.contains("<svg"), "charts drawn on the server");
    assert!(
        html.contains("<ol class=\"bars\""),
        "counts by category as bars in the page's markup"
    );
    assert!(
        html.contains("03 社会学、服务"),
        "ICS fields named in Chinese on a Chinese page"
    );
    assert!(html.contains("SAC"), "the national body");
    assert!(html.contains("<strong id=\"country-total\">2</strong>"));
    assert!(html.contains("/analytics/years.csv?country=CN&amp;lang=zh"));
    let (status, content_type, csv) = get_text(&server, "/analytics/years.csv?country=CN").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/csv"));
    assert_eq!(csv, "year,count\n2016,1\n2020,1\n");

    let compared = page(&server, "/analytics?compare=CN,JP&lang=en").await;
    assert!(compared.contains("Comparison of countries"));
    assert!(
        compared.contains("<ul class=\"legend\">"),
        "the compared series named in the page's legend"
    );
    let (_, _, csv) = get_text(&server, "/analytics/comparison.csv?compare=CN,JP").await;
    assert_eq!(csv.lines().next(), Some("year,CN,JP"));
    let (status, _, _) = get_text(&server, "/analytics/nothing.csv").await;
    assert_eq!(status, 404);

    let countries = page(&server, "/countries?lang=zh").await;
    assert!(countries.contains("亚洲"), "grouped by region");
    assert!(countries.contains("href=\"/countries/CN?lang=zh\" lang=\"zh\">中国</a>"));
}
