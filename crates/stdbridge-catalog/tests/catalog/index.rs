//! The search index over small fixtures: designation spellings, words in several
//! languages, typos, filters, facets, and following the store's change log.

use std::path::Path;
use stdbridge_storage::CatalogRepository;

use stdbridge_catalog::index::{CatalogIndex, parse_query};
use stdbridge_catalog::{NoProgress, import_file};
use stdbridge_storage::SqliteStore as Store;

use super::store;

const NATIONAL: &str = "designation,title_zh,title_en,title_ja,country,scope,status,published,ics,adopts,adoption_degree
GB 21455-2019,房间空气调节器能效限定值及能效等级,Minimum allowable values of the energy efficiency and energy efficiency grades for room air conditioners,,CN,national,published,2019-12-31,27.010,,
GB 21455-2013,转速可控型房间空气调节器能效限定值及能效等级,Minimum allowable values of the energy efficiency for variable speed room air conditioners,,CN,national,replaced,2013-06-09,27.010,,
GB/T 19001-2016,质量管理体系 要求,Quality management systems—Requirements,,CN,national,published,2016-12-30,03.120.10,ISO 9001:2015,IDT
JIS Q 9001:2015,,Quality management systems—Requirements,品質マネジメントシステム―要求事項,JP,national,published,2015-11-20,03.120.10,ISO 9001:2015,IDT
ISO 9001:2015,,Quality management systems — Requirements,,,international,published,2015-09-15,03.120.10,,
ISO 9001:2008,,Quality management systems — Requirements,,,international,replaced,2008-11-14,03.120.10,,
ISO 14001:2015,,Environmental management systems — Requirements with guidance for use,,,international,published,2015-09-15,13.020.10,,
GB/T 1.1-2020,标准化工作导则 第1部分：标准化文件的结构和起草规则,Directives for standardization—Part 1,,CN,national,published,2020-03-31,01.120,,
GB/T 1.2-2020,标准化工作导则 第2部分,Directives for standardization—Part 2,,CN,national,published,2020-03-31,01.120,,
GB/T 1.1-2009,标准化工作导则 第1部分：标准的结构和编写,Directives for standardization—Part 1 (2009),,CN,national,replaced,2009-06-17,01.120,,
GB/T 1.10-2009,标准化工作导则 第10部分,Directives for standardization—Part 10 (fictitious part for ordering),,CN,national,published,,01.120,,
";

async fn indexed() -> (tempfile::TempDir, Store, CatalogIndex) {
    let (dir, store) = store().await;
    let path = dir.path().join("national.csv");
    std::fs::write(&path, NATIONAL).expect("write");
    let report = import_file(&store, &path, None, &NoProgress)
        .await
        .expect("import");
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let index = CatalogIndex::open(dir.path()).expect("index");
    index.sync(&store).await.expect("sync");
    (dir, store, index)
}

async fn designations(store: &Store, index: &CatalogIndex, query: &str) -> Vec<String> {
    let parsed = parse_query(query, 10).expect("query parses");
    let results = index.search(&parsed).expect("search");
    let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
    let records = store.records_by_ids(&ids).await.expect("records");
    ids.iter()
        .filter_map(|id| {
            records
                .iter()
                .find(|(rid, _, _)| rid == id)
                .map(|(_, _, r)| r.designation.clone())
        })
        .collect()
}

#[tokio::test]
async fn designation_spellings_find_the_standard_first() {
    let (_dir, store, index) = indexed().await;
    for spelling in [
        "GB 21455-2019",
        "gb 21455—2019",
        "ＧＢ ２１４５５－２０１９",
        "GB21455:2019",
    ] {
        assert_eq!(
            designations(&store, &index, spelling)
                .await
                .first()
                .map(String::as_str),
            Some("GB 21455-2019"),
            "{spelling}"
        );
    }
    let undated = designations(&store, &index, "iso 9001").await;
    assert_eq!(
        &undated[..2],
        ["ISO 9001:2015", "ISO 9001:2008"],
        "current edition first, then older"
    );
}

#[tokio::test]
async fn words_in_chinese_english_and_japanese_find_titles() {
    let (_dir, store, index) = indexed().await;
    assert_eq!(
        designations(&store, &index, "房间空气调节器 能效")
            .await
            .first()
            .map(String::as_str),
        Some("GB 21455-2019")
    );
    assert_eq!(
        designations(&store, &index, "品質マネジメント").await,
        ["JIS Q 9001:2015"]
    );
    let english = designations(&store, &index, "environmental management").await;
    assert_eq!(english.first().map(String::as_str), Some("ISO 14001:2015"));
    let typo = designations(&store, &index, "enviromental managment").await;
    assert_eq!(
        typo.first().map(String::as_str),
        Some("ISO 14001:2015"),
        "one typo in each long word is forgiven"
    );
}

#[tokio::test]
async fn a_series_prefix_lists_the_parts_in_numeric_order() {
    let (_dir, store, index) = indexed().await;
    let parts = designations(&store, &index, "gb/t 1.").await;
    assert_eq!(
        parts,
        [
            "GB/T 1.1-2020",
            "GB/T 1.1-2009",
            "GB/T 1.2-2020",
            "GB/T 1.10-2009"
        ]
    );
}

#[tokio::test]
async fn filters_narrow_and_facets_count() {
    let (_dir, store, index) = indexed().await;
    let found = designations(&store, &index, "quality country:CN").await;
    assert_eq!(found, ["GB/T 19001-2016"]);
    let found = designations(
        &store,
        &index,
        "ics:03.120 status:published year:2015..2016",
    )
    .await;
    assert_eq!(found.len(), 3, "{found:?}");
    let parsed = parse_query("ics:27", 10).expect("parses");
    let results = index.search(&parsed).expect("search");
    assert_eq!(results.total, 2);
    assert_eq!(
        results.facets["status"],
        [("published".to_owned(), 1), ("replaced".to_owned(), 1)]
    );
    assert_eq!(results.facets["ics"], [("27".to_owned(), 2)]);
}

#[tokio::test]
async fn the_index_follows_the_change_log_and_rebuilds_from_the_store() {
    let (dir, store, index) = indexed().await;
    let before = index.synced_seq();
    assert_eq!(index.len(), 11);
    let path = dir.path().join("more.csv");
    std::fs::write(&path, "designation,title_en,status\nISO 14001:2015,Environmental management systems — Requirements with guidance for use (corrected),withdrawn\nISO 50001:2018,Energy management systems,published\n").expect("write");
    import_file(&store, &path, None, &NoProgress)
        .await
        .expect("import");
    let report = index.sync(&store).await.expect("sync");
    assert_eq!(report.indexed, 2);
    assert!(index.synced_seq() > before);
    assert_eq!(
        index.len(),
        12,
        "an updated standard is replaced, not duplicated"
    );
    assert_eq!(
        designations(&store, &index, "energy management").await,
        ["ISO 50001:2018"]
    );
    let again = index.sync(&store).await.expect("sync");
    assert_eq!(again.indexed, 0, "nothing new in the change log");
    std::fs::remove_dir_all(dir.path().join(stdbridge_catalog::index::INDEX_DIR)).expect("remove");
    let fresh = CatalogIndex::open(Path::new(dir.path())).expect("reopen");
    let rebuilt = fresh.rebuild(&store).await.expect("rebuild");
    assert_eq!(rebuilt.indexed, 12);
    assert_eq!(
        designations(&store, &fresh, "gb 21455")
            .await
            .first()
            .map(String::as_str),
        Some("GB 21455-2019")
    );
}

#[tokio::test]
async fn sort_by_designation_puts_numbers_in_numeric_order() {
    let (_dir, store, index) = indexed().await;
    let found = designations(&store, &index, "country:CN sort:designation").await;
    assert_eq!(
        found,
        [
            "GB 21455-2013",
            "GB 21455-2019",
            "GB/T 1.1-2009",
            "GB/T 1.1-2020",
            "GB/T 1.2-2020",
            "GB/T 1.10-2009",
            "GB/T 19001-2016"
        ]
    );
    let oldest = designations(&store, &index, "scope:international sort:oldest").await;
    assert_eq!(oldest.first().map(String::as_str), Some("ISO 9001:2008"));
    assert!(parse_query("sort:size", 10).is_err_and(|e| e.to_string().contains("sort")));
}

#[tokio::test]
async fn designations_typed_without_spaces_are_found() {
    let (_dir, store, index) = indexed().await;
    for spelling in ["gb/t19001-2016", "GBT19001-2016", "jisq9001:2015"] {
        let found = designations(&store, &index, spelling).await;
        assert_eq!(
            found.first().map(String::as_str),
            Some(if spelling.starts_with('j') {
                "JIS Q 9001:2015"
            } else {
                "GB/T 19001-2016"
            }),
            "{spelling}: {found:?}"
        );
    }
}

#[tokio::test]
async fn traditional_characters_and_unfinished_words_find_chinese_titles() {
    let (_dir, store, index) = indexed().await;
    // Traditional characters fold to simplified ones.
    let found = designations(&store, &index, "標準化工作導則").await;
    assert!(found.contains(&"GB/T 1.1-2020".to_owned()), "{found:?}");
    // A word still being typed ("空气调" of 空气调节器) matches through bigrams.
    let found = designations(&store, &index, "房间空气调").await;
    assert_eq!(
        found.first().map(String::as_str),
        Some("GB 21455-2019"),
        "{found:?}"
    );
}

#[tokio::test]
async fn matched_words_are_highlighted_in_titles() {
    let (_dir, _store, index) = indexed().await;
    let title = "Quality management systems — Requirements";
    // Stemmed: "system" marks "systems"; a typo marks the word it was taken for.
    let spans = index.highlight("system managment", "en", title);
    assert_eq!(spans, [(8, 18), (19, 26)]);
    let chinese = "质量管理体系 要求";
    assert_eq!(index.highlight("管理体系", "zh", chinese), [(2, 6)]);
    assert!(index.highlight("ISO 9001", "en", title).is_empty());
}

#[tokio::test]
async fn analytics_count_years_fields_bodies_and_keywords_of_a_selection() {
    let (_dir, _store, index) = indexed().await;
    let all = index
        .analytics(&parse_query("", 10).expect("query"), "en", 5)
        .expect("analytics");
    assert_eq!(all.total, 11);
    let count = |buckets: &[stdbridge_catalog::index::Bucket], key: &str| {
        buckets.iter().find(|b| b.key == key).map(|b| b.count)
    };
    assert_eq!(count(&all.countries, "CN"), Some(7));
    assert_eq!(count(&all.ics_fields, "03"), Some(4));
    assert_eq!(count(&all.years, "2015"), Some(3));
    let years: Vec<&str> = all.years.iter().map(|b| b.key.as_str()).collect();
    assert!(years.is_sorted(), "years in order: {years:?}");
    assert_eq!(all.keywords.len(), 5);
    assert_eq!(all.keywords[0].count, 5, "{:?}", all.keywords);
    assert_eq!(
        count(&all.keywords, "management"),
        Some(5),
        "quality ×4, environmental"
    );

    let chinese = index
        .analytics(
            &parse_query("country:CN year:2019..", 10).expect("query"),
            "zh",
            10,
        )
        .expect("analytics");
    assert_eq!(chinese.total, 3, "GB 21455-2019 and the two 2020 parts");
    assert_eq!(
        count(&chinese.keywords, "标准化工作导则"),
        Some(2),
        "{:?}",
        chinese.keywords
    );
    assert_eq!(
        count(&chinese.keywords, "能效"),
        Some(1),
        "{:?}",
        chinese.keywords
    );

    assert!(
        index
            .analytics(&parse_query("", 10).expect("query"), "xx", 5)
            .is_err()
    );
    let by_country = index.counts_by("country", 10).expect("counts");
    assert_eq!(count(&by_country, "JP"), Some(1));
}

/// Whatever a search box is sent (control characters, symbols, unpaired quotes, any
/// script), the index answers or says the query is not understood: never another error.
#[test]
fn any_typed_text_is_answered_or_refused_as_a_query_never_failing_the_index() {
    use proptest::prelude::*;
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (_dir, _store, index) = runtime.block_on(indexed());
    let typed = prop_oneof![
        "\\PC{0,40}",
        "[\\x00-\\x1f\\\\()\\[\\]{}|*+?.^$#&~\\-¢¼ÅZ 1-9]{0,40}",
        "(GB/T |ISO |\\\\|\\(|1|\\.|-){0,12}",
    ];
    proptest!(ProptestConfig::with_cases(300), |(text in typed)| {
        match index.suggest(&text, 10) {
            Ok(_) | Err(stdbridge_catalog::index::IndexError::Query(_)) => {}
            Err(other) => prop_assert!(false, "suggest {text:?}: {other}"),
        }
        match parse_query(&text, 10).and_then(|query| index.search(&query)) {
            Ok(_) | Err(stdbridge_catalog::index::IndexError::Query(_)) => {}
            Err(other) => prop_assert!(false, "search {text:?}: {other}"),
        }
    });
}

#[tokio::test]
async fn a_standard_without_a_status_is_counted_as_unknown_and_the_counts_add_up() {
    let (dir, store) = store().await;
    let path = dir.path().join("some-without-status.csv");
    std::fs::write(
        &path,
        "designation,title_zh,country,scope,status\n\
         GB 3100-1993,国际单位制及其应用,CN,national,\n\
         GB/T 2260-2007,中华人民共和国行政区划代码,CN,national,\n\
         GB/T 1.1-2020,标准化工作导则 第1部分,CN,national,published\n",
    )
    .expect("write");
    let report = import_file(&store, &path, None, &NoProgress)
        .await
        .expect("import");
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let index = CatalogIndex::open(dir.path()).expect("index");
    index.sync(&store).await.expect("sync");
    let all = index
        .analytics(&parse_query("", 10).expect("query"), "zh", 0)
        .expect("analytics");
    let statuses: Vec<(&str, u64)> = all
        .statuses
        .iter()
        .map(|b| (b.key.as_str(), b.count))
        .collect();
    assert_eq!(statuses, [("unknown", 2), ("published", 1)]);
    assert_eq!(
        all.statuses.iter().map(|b| b.count).sum::<u64>(),
        all.total as u64
    );
    // The nature comes from the prefix whatever the status.
    let found = |q: &str| {
        index
            .search(&parse_query(q, 10).expect("query"))
            .expect("search")
            .total
    };
    assert_eq!(found("nature:mandatory"), 1, "GB 3100-1993");
    assert_eq!(found("nature:recommended"), 2);
}
