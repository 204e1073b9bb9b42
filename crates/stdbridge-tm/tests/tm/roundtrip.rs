//! Property tests of the file formats: what the writers write, the readers read back the
//! same — TMX units with inline codes, properties and notes (white space as written);
//! TBX concepts with their terms, statuses and data categories (white space collapsed,
//! as the reader normalizes it).

use proptest::prelude::*;
use stdbridge_tm::termbase::{Concept, LangSection, Term, TermStatus, tbx};
use stdbridge_tm::tmx::{Header, TmxItem, TmxReader, TmxWriter};
use stdbridge_tm::unit::{Inline, InlineTag, Note, Prop, Segment, Unit, Variant};

/// Words of both languages with the characters XML must escape.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "本标准",
            "集装箱",
            "应",
            "the",
            "shall",
            " ",
            "GB/T 1.1",
            "<",
            ">",
            "&",
            "\"",
            "'",
            "30 480 kg",
            "±",
            "℃",
            "é",
        ]),
        1..8,
    )
    .prop_map(|words| words.concat())
    .prop_filter("text a reader sees as text", |t| {
        t.trim() == t && !t.is_empty()
    })
}

/// A segment: text, with a paired bpt/ept code around some of it or a placeholder.
fn segment() -> impl Strategy<Value = Segment> {
    (text(), text(), 0..3u8).prop_map(|(before, inside, codes)| {
        let tag = |kind: &str, i: &str, native: &str| {
            Inline::Tag(InlineTag {
                kind: kind.to_owned(),
                attributes: vec![("i".to_owned(), i.to_owned())],
                content: vec![Inline::Text(native.to_owned())],
            })
        };
        let mut pieces = vec![Inline::Text(before)];
        match codes {
            1 => {
                pieces.push(tag("bpt", "1", "<b>"));
                pieces.push(Inline::Text(inside));
                pieces.push(tag("ept", "1", "</b>"));
            }
            2 => pieces.push(Inline::Tag(InlineTag {
                kind: "ph".to_owned(),
                attributes: vec![("x".to_owned(), "2".to_owned())],
                content: vec![Inline::Text("{tab}".to_owned())],
            })),
            _ => {}
        }
        Segment(pieces)
    })
}

fn unit() -> impl Strategy<Value = Unit> {
    (
        segment(),
        segment(),
        text(),
        prop::option::of(text()),
        0..1000u32,
    )
        .prop_map(|(zh, en, prop, note, n)| Unit {
            attributes: vec![("tuid".to_owned(), format!("t{n}"))],
            props: vec![Prop {
                kind: "x-standard".to_owned(),
                attributes: Vec::new(),
                value: prop,
            }],
            notes: note
                .map(|text| Note {
                    attributes: Vec::new(),
                    text,
                })
                .into_iter()
                .collect(),
            variants: vec![
                Variant {
                    lang: "zh-CN".to_owned(),
                    attributes: Vec::new(),
                    props: Vec::new(),
                    notes: Vec::new(),
                    seg: zh,
                },
                Variant {
                    lang: "en".to_owned(),
                    attributes: Vec::new(),
                    props: Vec::new(),
                    notes: Vec::new(),
                    seg: en,
                },
            ],
        })
}

/// Text as TBX keeps it: the reader collapses runs of white space in data categories.
fn tbx_text() -> impl Strategy<Value = String> {
    text().prop_map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn term() -> impl Strategy<Value = Term> {
    (
        tbx_text(),
        prop::sample::select(vec![
            TermStatus::Preferred,
            TermStatus::Admitted,
            TermStatus::Deprecated,
            TermStatus::Forbidden,
        ]),
        prop::option::of(prop::sample::select(vec!["noun", "verb"])),
        prop::option::of(tbx_text()),
    )
        .prop_map(|(text, status, pos, context)| Term {
            text,
            status,
            part_of_speech: pos.map(str::to_owned),
            context,
            ..Term::default()
        })
}

fn concept() -> impl Strategy<Value = Concept> {
    (
        0..10_000u32,
        prop::option::of(tbx_text()),
        prop::option::of(tbx_text()),
        prop::collection::vec(term(), 1..3),
        prop::collection::vec(term(), 1..3),
    )
        .prop_map(|(id, subject, definition, zh, en)| Concept {
            id: Some(format!("c{id}")),
            subject_field: subject,
            languages: vec![
                LangSection {
                    lang: "zh-CN".to_owned(),
                    definition,
                    terms: zh,
                    ..LangSection::default()
                },
                LangSection {
                    lang: "en".to_owned(),
                    terms: en,
                    ..LangSection::default()
                },
            ],
            ..Concept::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn tmx_written_reads_back_the_same(units in prop::collection::vec(unit(), 1..6)) {
        let mut writer = TmxWriter::start(Vec::new(), &Header::default()).expect("writes");
        for unit in &units {
            writer.unit(unit).expect("writes");
        }
        let bytes = writer.finish().expect("writes");
        let text = String::from_utf8(bytes).expect("UTF-8");
        let mut reader = TmxReader::from_str(&text, "generated.tmx").expect("reads");
        let mut read = Vec::new();
        while let Some(item) = reader.next_item().expect("well-formed") {
            match item {
                TmxItem::Unit(unit, _) => read.push(unit),
                other => prop_assert!(false, "a unit was refused: {other:?}"),
            }
        }
        prop_assert_eq!(read, units);
    }

    #[test]
    fn tbx_written_reads_back_the_same(concepts in prop::collection::vec(concept(), 1..5)) {
        let mut bytes = Vec::new();
        tbx::write(&mut bytes, "generated", &concepts).expect("writes");
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("generated.tbx");
        std::fs::write(&path, &bytes).expect("write");
        let read = tbx::read(&path).expect("reads");
        prop_assert_eq!(read, concepts);
    }
}
