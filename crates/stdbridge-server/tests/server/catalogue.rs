//! The catalogue as a new user meets it: filter chips named in the page's language, a
//! page past the end of the results, designations pasted with invisible characters.

use super::{get, get_text, start};

#[tokio::test]
async fn sort_and_year_chips_are_named_in_the_page_s_language() {
    let server = start().await;
    let (status, _, zh) = get_text(&server, "/?q=ISO+sort:newest+year:2000..2020&lang=zh").await;
    assert_eq!(status, 200);
    assert!(zh.contains("排序: 最新优先"), "{zh}");
    assert!(zh.contains("年份: 2000..2020"), "{zh}");
    assert!(!zh.contains("facet_"), "no message key shows: {zh}");
    let (_, _, en) = get_text(&server, "/?q=ISO+sort:newest&lang=en").await;
    assert!(en.contains("Sort: newest first"), "{en}");
}

#[tokio::test]
async fn a_page_past_the_end_goes_to_the_last_page() {
    let server = start().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    for page in ["999999", "18446744073709551615"] {
        let response = client
            .get(format!("{}/?q=quality&lang=en&page={page}", server.base))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), 303, "page {page}");
        let location = response
            .headers()
            .get("location")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(location.starts_with("/?"), "{location}");
        assert!(
            !location.contains("page="),
            "one page of results: {location}"
        );
    }
    // Followed, it is the results themselves.
    let (status, _, body) = get_text(&server, "/?q=quality&lang=en&page=999999").await;
    assert_eq!(status, 200);
    assert!(body.contains("ISO 9001:2015"), "{body}");
}

#[tokio::test]
async fn zero_width_and_other_format_characters_are_ignored_inside_designations() {
    let server = start().await;
    // GB/T 19001-2016 with a zero-width space, a soft hyphen and a word joiner in it.
    let (status, body) = get(
        &server,
        "/api/v1/search?q=GB%2FT%E2%80%8B%2019001%C2%AD-%E2%81%A02016",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["hits"][0]["designation"], "GB/T 19001-2016", "{body}");
}

#[tokio::test]
async fn a_chinese_standard_s_nature_is_a_field_a_filter_a_facet_and_a_badge() {
    let server = start().await;
    let (status, body) = get(&server, "/api/v1/standards/GB/T%2019001-2016").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["nature"], "recommended", "{body}");
    let (_, iso) = get(&server, "/api/v1/standards/ISO%209001:2015").await;
    assert!(
        iso.get("nature").is_none(),
        "an ISO standard has none: {iso}"
    );

    let (status, found) = get(&server, "/api/v1/search?q=nature:recommended&facets=true").await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(
        found["total"], 2,
        "GB/T 19001-2016 and GB/T 1.1-2020: {found}"
    );
    let (_, none) = get(&server, "/api/v1/search?q=nature:mandatory").await;
    assert_eq!(none["total"], 0, "{none}");
    let (status, refused) = get(&server, "/api/v1/search?q=nature:voluntary").await;
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused["message"].as_str().is_some_and(
            |m| m.contains("nature: \"voluntary\" is not mandatory, recommended or guidance")
        ),
        "{refused}"
    );

    let (_, _, page) = get_text(&server, "/standards/GB/T%2019001-2016?lang=zh").await;
    assert!(
        page.contains(r#"<span class="badge nature-recommended">推荐性</span>"#),
        "{page}"
    );
    let (_, _, results) = get_text(&server, "/?q=country:CN&lang=zh").await;
    assert!(results.contains("性质"), "the facet is named: {results}");
    assert!(results.contains("推荐性"), "{results}");
}

#[tokio::test]
async fn the_page_shows_the_stage_and_the_source_link_the_api_holds() {
    let server = start().await;
    let (_, api) = get(&server, "/api/v1/standards/ISO%209001:2015").await;
    assert_eq!(api["stage"], "90.92", "{api}");
    let (_, _, en) = get_text(&server, "/standards/ISO%209001:2015?lang=en").await;
    let en = en.replace("&#x2f;", "/");
    assert!(en.contains("90.92 — to be revised"), "{en}");
    assert!(
        en.contains(r#"href="https://www.iso.org/standard/62085.html""#),
        "{en}"
    );
    let (_, _, zh) = get_text(&server, "/standards/ISO%209001:2015?lang=zh").await;
    assert!(zh.contains("90.92 — 待修订"), "{zh}");
    assert!(zh.contains("来源页面"), "{zh}");
    // A link that is not a web address is never made a link.
    let (_, _, old) = get_text(&server, "/standards/ISO%209001:2008?lang=en").await;
    assert!(!old.contains("javascript:"), "{old}");
}

#[tokio::test]
async fn a_backwards_year_range_is_swapped_with_a_note() {
    let server = start().await;
    let (status, body) = get(&server, "/api/v1/search?q=quality+year:2020..2010").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["total"], 2,
        "ISO 9001:2015 and GB/T 19001-2016: {body}"
    );
    assert_eq!(body["notes"][0]["code"], "year-range-reversed", "{body}");
    assert_eq!(body["notes"][0]["value"], "2010..2020", "{body}");
    let (_, plain) = get(&server, "/api/v1/search?q=quality").await;
    assert_eq!(plain["notes"], serde_json::json!([]), "{plain}");
    let (_, _, zh) = get_text(&server, "/?q=quality+year:2020..2010&lang=zh").await;
    assert!(
        zh.contains("年份范围写反了，已按从早到晚理解为 <code>2010..2020</code>"),
        "{zh}"
    );
}

#[tokio::test]
async fn csv_downloads_carry_a_byte_order_mark_for_excel_and_labels_in_their_language() {
    let server = start().await;
    // The body as bytes: a client's text decoding takes the mark away.
    let bytes = |path: &'static str| {
        let url = format!("{}{path}", server.base);
        let client = server.client.clone();
        async move {
            let response = client.get(url).send().await.expect("an answer");
            assert_eq!(response.status().as_u16(), 200);
            let body = response.bytes().await.expect("a body");
            String::from_utf8(body.to_vec()).expect("UTF-8")
        }
    };
    let marked = bytes("/api/v1/export?q=quality&format=csv&lang=zh&bom=true").await;
    assert!(
        marked.starts_with("\u{FEFF}designation,title,title_zh,title_en,status,nature,"),
        "{marked}"
    );
    assert!(
        marked.contains("GB/T 19001-2016,质量管理体系 要求,质量管理体系 要求,"),
        "{marked}"
    );
    assert!(marked.contains(",现行,推荐性,"), "{marked}");
    let plain = bytes("/api/v1/export?q=quality&format=csv").await;
    assert!(
        plain.starts_with("designation,"),
        "no mark unless asked: {plain}"
    );
    let (status, bad) = get(&server, "/api/v1/export?q=quality&format=csv&bom=yes").await;
    assert_eq!(status, 400, "{bad}");
    // The page's download buttons ask for it.
    let (_, _, page) = get_text(&server, "/?q=quality&lang=zh").await;
    assert!(
        page.contains("format=csv&amp;lang=zh&amp;bom=true"),
        "{page}"
    );
    let chart = bytes("/analytics/statuses.csv?lang=zh&bom=true").await;
    assert!(chart.starts_with("\u{FEFF}status,count"), "{chart}");
}

#[tokio::test]
async fn the_countries_page_shows_the_countries_with_data_first() {
    let server = start().await;
    let (_, _, zh) = get_text(&server, "/countries?lang=zh").await;
    let with_data = zh
        .find("目录中有国家标准的国家和地区")
        .expect("the section with data");
    let china = zh.find(">中国</a>").expect("China is listed");
    let regions = zh.find("全部国家和地区").expect("then every country");
    assert!(
        with_data < china && china < regions,
        "China before the regions: {zh}"
    );
    let first_section = &zh[with_data..regions];
    assert_eq!(
        first_section.matches("<li>").count(),
        1,
        "only CN has data: {first_section}"
    );
}
