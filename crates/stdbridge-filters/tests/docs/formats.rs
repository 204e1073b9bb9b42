//! Plain text, Markdown and HTML through extract and merge, cut into sentences.

use stdbridge_filters::model::marked;
use stdbridge_filters::{Format, Item, pseudo_translate};

use crate::support::{merged, units};

fn segments(format: Format, input: &str, lang: &str) -> Vec<String> {
    units(format, input.as_bytes(), lang)
        .iter()
        .flat_map(|u| u.segments().map(|s| marked(s)))
        .collect()
}

#[test]
fn text_paragraphs_are_cut_into_sentences_and_joined_for_the_target_language() {
    let input = "本标准规定了集装箱的分类。本标准适用于罐式集装箱。\n\n附录A（规范性）\n";
    assert_eq!(
        segments(Format::Text, input, "zh-CN"),
        [
            "本标准规定了集装箱的分类。",
            "本标准适用于罐式集装箱。",
            "附录A（规范性）"
        ]
    );
    let out = merged(Format::Text, input.as_bytes(), "zh-CN", &|s| {
        vec![Item::Text(format!("<{}>", marked(s)))]
    });
    assert_eq!(
        String::from_utf8(out).expect("utf-8"),
        "<本标准规定了集装箱的分类。> <本标准适用于罐式集装箱。>\n\n<附录A（规范性）>\n"
    );
}

#[test]
fn markdown_keeps_code_and_link_targets() {
    let input = "# Scope\n\nThis standard **shall** apply. See [ISO 1496](https://www.iso.org/ \"ISO\").\n\n```\nkeep = \"me\"\n```\n";
    assert_eq!(
        segments(Format::Markdown, input, "en"),
        [
            "Scope",
            "This standard {1}shall{/1} apply.",
            "See {2}ISO 1496{/2}."
        ]
    );
    let out = String::from_utf8(merged(Format::Markdown, input.as_bytes(), "en", &|s| {
        pseudo_translate(s)
    }))
    .expect("utf-8");
    assert!(
        out.contains("](https://www.iso.org/ \"ISO\")")
            && out.contains("keep = \"me\"")
            && out.contains("**šĥåļļ**"),
        "{out}"
    );
}

#[test]
fn html_keeps_markup_scripts_and_entities() {
    let input = "<html><head><title>Tanks</title><script>var t = 'tank';</script></head><body><p>This standard <b>shall</b> apply.&nbsp;It covers <a href=\"/t\" title=\"Tank types\">tanks</a>.</p></body></html>";
    assert_eq!(
        segments(Format::Html, input, "en"),
        [
            "Tanks",
            "Tank types",
            "This standard {1}shall{/1} apply.",
            "It covers {2}tanks{/2}."
        ]
    );
    let out = String::from_utf8(merged(Format::Html, input.as_bytes(), "en", &|s| {
        pseudo_translate(s)
    }))
    .expect("utf-8");
    assert!(
        out.contains("<script>var t = 'tank';</script>")
            && out.contains("href=\"/t\"")
            && out.contains("title=\"⟦Ţåñķ ţýþéš"),
        "{out}"
    );
    assert!(out.contains("<b>šĥåļļ</b>"), "{out}");
}
