//! Property tests of the filters' round trip: extract, then merge with every segment's
//! source as its target, gives the document back byte for byte (plain text, Markdown,
//! HTML, in Chinese and English); and the XLIFF this project writes (2.0 and 1.2) reads
//! back with the same sources and targets.

use proptest::prelude::*;
use stdbridge_filters::model::marked;
use stdbridge_filters::xliff::write::{SegmentState, SegmentTarget};
use stdbridge_filters::xliff::{EmbeddedOriginal, Xliff12Writer, XliffDocument, XliffWriter};
use stdbridge_filters::{FilterOptions, Format, TextUnit};

use stdbridge_filters::{filter_for, merge};
use stdbridge_text::Segmenter;

use crate::support::units;

/// A sentence in the language's own way: Chinese ends in 。, English in a full stop.
fn sentence(chinese: bool) -> impl Strategy<Value = String> {
    let words = if chinese {
        vec![
            "本标准",
            "规定了",
            "集装箱",
            "的",
            "分类",
            "应",
            "符合",
            "GB/T 1413",
            "30 480 kg",
        ]
    } else {
        vec![
            "this",
            "standard",
            "shall",
            "apply",
            "to",
            "freight",
            "containers",
            "ISO 1496-1",
        ]
    };
    prop::collection::vec(prop::sample::select(words), 1..7).prop_map(move |words| {
        if chinese {
            format!("{}。", words.concat())
        } else {
            let mut text = words.join(" ");
            if let Some(first) = text.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            format!("{text}.")
        }
    })
}

/// A paragraph of one to three sentences.
fn paragraph(chinese: bool) -> impl Strategy<Value = String> {
    prop::collection::vec(sentence(chinese), 1..4)
        .prop_map(move |sentences| sentences.join(if chinese { "" } else { " " }))
}

fn document(chinese: bool) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(paragraph(chinese), 1..5)
}

fn lang(chinese: bool) -> &'static str {
    if chinese { "zh-CN" } else { "en" }
}

/// Extract and merge into the same language with target = source.
fn round_trip(format: Format, input: &str, lang: &str) -> String {
    let filter = filter_for(format, FilterOptions::default());
    let mut same = |unit: &TextUnit| unit.segments().map(|s| Some(s.clone())).collect();
    let out = merge(
        filter.as_ref(),
        input.as_bytes(),
        "doc",
        &Segmenter::for_language(lang),
        lang,
        false,
        &mut same,
    )
    .expect("merges");
    String::from_utf8(out).expect("UTF-8")
}

/// The units' segments as written with their codes.
fn sources(units: &[TextUnit]) -> Vec<String> {
    units
        .iter()
        .flat_map(|u| u.segments().map(|s| marked(s)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn text_comes_back_as_it_was(chinese in any::<bool>(), paragraphs in document(true), english in document(false)) {
        let paragraphs = if chinese { paragraphs } else { english };
        let input = format!("{}\n", paragraphs.join("\n\n"));
        prop_assert_eq!(round_trip(Format::Text, &input, lang(chinese)), input);
    }

    #[test]
    fn markdown_comes_back_as_it_was(chinese in any::<bool>(), zh in document(true), en in document(false)) {
        let paragraphs = if chinese { zh } else { en };
        let mut input = String::from("# Scope\n\n");
        for (n, paragraph) in paragraphs.iter().enumerate() {
            // Chinese sentences follow each other without a space, English ones with one.
            let see = if chinese { format!("见**第{n}章**。") } else { format!(" See **clause {n}**.") };
            match n % 3 {
                0 => input.push_str(&format!("{paragraph}{see}\n\n")),
                1 if chinese => input.push_str(&format!("- {paragraph}见[ISO 1496](https://www.iso.org/)。\n\n")),
                1 => input.push_str(&format!("- {paragraph} See [ISO 1496](https://www.iso.org/).\n\n")),
                _ => input.push_str(&format!("{paragraph}\n\n```\nkeep = {n}\n```\n\n")),
            }
        }
        prop_assert_eq!(round_trip(Format::Markdown, &input, lang(chinese)), input);
    }

    #[test]
    fn html_comes_back_as_it_was(chinese in any::<bool>(), zh in document(true), en in document(false)) {
        let paragraphs = if chinese { zh } else { en };
        let mut input = String::from("<!DOCTYPE html>\n<html><head><title>GB/T 1.1</title></head><body>\n<h1>Scope</h1>\n");
        for (n, paragraph) in paragraphs.iter().enumerate() {
            let see = if chinese {
                format!("<b>见第{n}章</b>和<a href=\"/x?a=1&amp;b=2\">附录</a>。")
            } else {
                format!(" <b>See clause {n}</b> &amp; <a href=\"/x?a=1&amp;b=2\">annex</a>.")
            };
            input.push_str(&format!(
                "<p>{paragraph}{see}</p>\n<img alt=\"Figure {n}\" src=\"f.png\">\n"
            ));
        }
        input.push_str("<script>var keep = '<p>';</script></body></html>\n");
        prop_assert_eq!(round_trip(Format::Html, &input, lang(chinese)), input);
    }

    #[test]
    fn xliff_written_reads_back_with_its_sources_and_targets(
        chinese in any::<bool>(),
        zh in document(true),
        en in document(false),
        version_12 in any::<bool>(),
        translated in prop::collection::vec(any::<bool>(), 12),
    ) {
        let paragraphs = if chinese { zh } else { en };
        let input = format!("{}\n", paragraphs.join("\n\n"));
        let units = units(Format::Text, input.as_bytes(), lang(chinese));
        let original = EmbeddedOriginal {
            format: Format::Text,
            name: "doc.txt".into(),
            bytes: input.as_bytes().to_vec(),
            options: FilterOptions::default(),
        };
        let wanted = |unit: &TextUnit, n: usize| -> Option<SegmentTarget> {
            let index = unit.id.trim_start_matches('u').parse::<usize>().unwrap_or(0) + n;
            if !translated[index % translated.len()] {
                return None;
            }
            Some(SegmentTarget {
                content: unit.segments().nth(n)?.clone(),
                state: SegmentState::Translated,
                sub_state: None,
                matches: Vec::new(),
            })
        };
        let (source_lang, target_lang) = (lang(chinese).to_owned(), "fr".to_owned());
        let xliff = if version_12 {
            Xliff12Writer { source_lang, target_lang }.write(&original, &units, &wanted)
        } else {
            XliffWriter { source_lang, target_lang }.write(&original, &units, &wanted, &|_| Vec::new())
        };
        let read = XliffDocument::read(xliff.as_bytes(), "doc.xlf").expect("our XLIFF reads");
        let read_sources: Vec<String> = read.segments.iter().map(|s| marked(&s.source.content)).collect();
        prop_assert_eq!(read_sources, sources(&units));
        // XLIFF 1.2 has one target per unit: a segment without a translation is written
        // with its source there, as other CAT tools do.
        let expected_targets: Vec<Option<String>> = units
            .iter()
            .flat_map(|unit| {
                let count = unit.segments().count();
                let any = (0..count).any(|n| wanted(unit, n).is_some());
                (0..count).map(move |n| (unit, n, any))
            })
            .map(|(unit, n, any)| match wanted(unit, n) {
                Some(target) => Some(marked(&target.content)),
                None if version_12 && any => unit.segments().nth(n).map(|s| marked(s)),
                None => None,
            })
            .collect();
        let read_targets: Vec<Option<String>> = read
            .segments
            .iter()
            .map(|s| s.target.as_ref().map(|t| marked(t)))
            .collect();
        prop_assert_eq!(read_targets, expected_targets);
        let embedded = read.original.expect("the original travels with it");
        prop_assert_eq!(embedded.bytes, input.as_bytes());
    }
}
