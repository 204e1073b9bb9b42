//! Table tests of real designations and their variants, and property tests of the parser.

use super::*;
use proptest::prelude::*;

/// Each row: a spelling as people write it, and the canonical designation it must mean.
const VARIANTS: &[(&str, &str)] = &[
    // ISO and IEC
    ("ISO 9001:2015", "ISO 9001:2015"),
    ("iso 9001:2015", "ISO 9001:2015"),
    ("ISO9001:2015", "ISO 9001:2015"),
    ("ISO 9001 : 2015", "ISO 9001:2015"),
    ("ISO9001-2008", "ISO 9001:2008"),
    ("ＩＳＯ ９００１：２００８", "ISO 9001:2008"),
    ("ISO 9001—2008", "ISO 9001:2008"),
    ("ISO 9001 2015", "ISO 9001:2015"),
    ("ISO 9001:2015(E)", "ISO 9001:2015"),
    ("ISO/IEC 27001:2022", "ISO/IEC 27001:2022"),
    ("iso/iec 27001:2022", "ISO/IEC 27001:2022"),
    ("ISO / IEC 27001 : 2022", "ISO/IEC 27001:2022"),
    (
        "ISO/IEC 27001:2022/Amd 1:2024",
        "ISO/IEC 27001:2022/Amd 1:2024",
    ),
    (
        "ISO/IEC 27001:2022/AMD1:2024",
        "ISO/IEC 27001:2022/Amd 1:2024",
    ),
    ("ISO/IEC/IEEE 8802-3:2021", "ISO/IEC/IEEE 8802-3:2021"),
    (
        "ISO/IEC/IEEE 8802-1Q:2016/Amd 1:2017",
        "ISO/IEC/IEEE 8802-1Q:2016/Amd 1:2017",
    ),
    ("ISO/TS 16949:2009", "ISO/TS 16949:2009"),
    ("ISO TS 16949:2009", "ISO/TS 16949:2009"),
    ("ISO/TR 10013:2001", "ISO/TR 10013:2001"),
    ("ISO/PAS 45005:2020", "ISO/PAS 45005:2020"),
    ("ISO Guide 73:2009", "ISO Guide 73:2009"),
    ("ISO/IEC Guide 98-3:2008", "ISO/IEC Guide 98-3:2008"),
    ("ISO/IEC TR 29110-5-1-2:2011", "ISO/IEC TR 29110-5-1-2:2011"),
    ("ISO 9001:2008/Cor 1:2009", "ISO 9001:2008/Cor 1:2009"),
    ("ISO 10033-1:2011/DAM 1", "ISO 10033-1:2011/DAM 1"),
    ("ISO/DIS 10545-24.2", "ISO/DIS 10545-24.2"),
    ("ISO 105-E01:1987", "ISO 105-E01:1987"),
    ("ISO/HL7 10781:2015", "ISO/HL7 10781:2015"),
    ("IWA 14-1:2013", "IWA 14-1:2013"),
    ("ISO 17741:2016", "ISO 17741:2016"),
    ("IEC 60335-1:2010", "IEC 60335-1:2010"),
    (
        "IEC 60335-1:2010+AMD1:2013+AMD2:2016 CSV",
        "IEC 60335-1:2010+AMD1:2013+AMD2:2016 CSV",
    ),
    ("IEC 60034-11:2020 RLV", "IEC 60034-11:2020 RLV"),
    ("IEC TR 60083:1975", "IEC TR 60083:1975"),
    ("IECTR60083:1975", "IEC TR 60083:1975"),
    ("ISO/IECTR 10036:2020", "ISO/IEC TR 10036:2020"),
    (
        "IEC60335-2-12:2002+AMD1:2008CSV",
        "IEC 60335-2-12:2002+AMD1:2008 CSV",
    ),
    ("IEC/TR 60083:1975", "IEC TR 60083:1975"),
    ("IEC 60027-1:1971/AMD1:1974", "IEC 60027-1:1971/Amd 1:1974"),
    ("CISPR 15:2018/ISH1:2019", "CISPR 15:2018/ISH 1:2019"),
    // European and national adoptions
    ("EN ISO 9001:2015", "EN ISO 9001:2015"),
    ("BS EN ISO 9001:2015", "BS EN ISO 9001:2015"),
    ("DIN EN ISO 9001:2015-11", "DIN EN ISO 9001:2015-11"),
    ("CEN/TS 16931-3-1:2017", "CEN/TS 16931-3-1:2017"),
    ("EN 50160:2010", "EN 50160:2010"),
    // ITU
    ("ITU-T X.509", "ITU-T X.509"),
    ("ITU-T X.509 (10/2019)", "ITU-T X.509 (10/2019)"),
    ("itu-t x.509 (10/2019)", "ITU-T X.509 (10/2019)"),
    ("ITU T H.264 (06/2019)", "ITU-T H.264 (06/2019)"),
    ("ITU-R SM.1793-0", "ITU-R SM.1793-0"),
    ("ITU-R BT.709-6", "ITU-R BT.709-6"),
    ("ITU-RBT.709-6", "ITU-R BT.709-6"),
    ("ITU-T H Suppl. 9 (05/2008)", "ITU-T H SUPPL. 9 (05/2008)"),
    (
        "ISO/IEC/IEEE8802-1AC:2018/AMD1:2023",
        "ISO/IEC/IEEE 8802-1AC:2018/Amd 1:2023",
    ),
    (
        "ISO/IEC/IEEE 8802-1AC:2018/AMD1:2023",
        "ISO/IEC/IEEE 8802-1AC:2018/Amd 1:2023",
    ),
    (
        "ITU-T G.108.2 (2007) Amd. 1 (10/2007)",
        "ITU-T G.108.2 (2007) Amd. 1 (10/2007)",
    ),
    (
        "ITU-T G.7041/Y.1303 (04/2011)",
        "ITU-T G.7041/Y.1303 (04/2011)",
    ),
    ("ITU-T H.265 (V6) (06/2019)", "ITU-T H.265 (V6) (06/2019)"),
    // China: national, sector, group
    ("GB 21455-2019", "GB 21455-2019"),
    ("GB/T 17766-2020", "GB/T 17766-2020"),
    ("GB/T 17766—2020", "GB/T 17766-2020"),
    ("GB/T 17766–2020", "GB/T 17766-2020"),
    ("GB/T17766-2020", "GB/T 17766-2020"),
    ("gbt 17766-2020", "GB/T 17766-2020"),
    ("GBT17766-2020", "GB/T 17766-2020"),
    ("GB T 17766-2020", "GB/T 17766-2020"),
    ("ＧＢ／Ｔ １７７６６－２０２０", "GB/T 17766-2020"),
    ("GB/T 17766:2020", "GB/T 17766-2020"),
    ("GB/T 1.1-2020", "GB/T 1.1-2020"),
    ("GB/Z 41275.1-2022", "GB/Z 41275.1-2022"),
    ("GB 3100-93", "GB 3100-1993"),
    (
        "GB/T 19001-2016/ISO 9001:2015",
        "GB/T 19001-2016/ISO 9001:2015",
    ),
    ("JB/T 13368-2018", "JB/T 13368-2018"),
    ("jbt 13368-2018", "JB/T 13368-2018"),
    ("SN/T 4999-2017", "SN/T 4999-2017"),
    ("JR/T 0171-2020", "JR/T 0171-2020"),
    ("DL/T 5210.1-2012", "DL/T 5210.1-2012"),
    ("YY/T 0287-2017", "YY/T 0287-2017"),
    ("T/CECS 930-2021", "T/CECS 930-2021"),
    ("T/GZAEPI 001-2018", "T/GZAEPI 001-2018"),
    ("DB11/T 1234-2020", "DB11/T 1234-2020"),
    // GOST and EASC
    ("GOST R 51904-2002", "GOST R 51904-2002"),
    ("ГОСТ Р 51904-2002", "GOST R 51904-2002"),
    ("ГОСТ Р 34.11-2012", "GOST R 34.11-2012"),
    ("GOST 10180-90", "GOST 10180-90"),
    ("ГОСТ 10180-90", "GOST 10180-90"),
    ("GOST 10180-1990", "GOST 10180-90"),
    ("GOST R ISO 9001-2015", "GOST R ISO 9001-2015"),
    ("ГОСТ Р ИСО 9001-2015", "GOST R ISO 9001-2015"),
    ("ГОСТ ИСО/МЭК 17025-2019", "GOST ISO/IEC 17025-2019"),
    ("РМГ 10-94", "RMG 10-94"),
    ("ПМГ 02-2008", "PMG 02-2008"),
    // Japan
    ("JIS C 60068-2-82:2021", "JIS C 60068-2-82:2021"),
    ("jis c60068-2-82:2021", "JIS C 60068-2-82:2021"),
    ("JISA1228:2020", "JIS A 1228:2020"),
    ("JIS Q 9001:2015", "JIS Q 9001:2015"),
    (
        "JIS K 0101:1998/AMENDMENT 1:2017",
        "JIS K 0101:1998/AMENDMENT 1:2017",
    ),
    (
        "JIS K 0101:1998/Amd 1:2017",
        "JIS K 0101:1998/AMENDMENT 1:2017",
    ),
    ("TR X 0001:1996", "TR X 0001:1996"),
    (
        "JIS Z 8210:2017 SYMBOL 51100",
        "JIS Z 8210:2017 SYMBOL 51100",
    ),
    ("KS C 0001:2020", "KS C 0001:2020"),
];

#[test]
fn real_variants_parse_to_their_canonical_designation() {
    assert!(
        VARIANTS.len() >= 60,
        "the table must keep at least 60 real variants"
    );
    let mut wrong = Vec::new();
    for (spelling, canonical) in VARIANTS {
        match Designation::parse(spelling) {
            Ok(designation) if designation.to_string() == *canonical => {}
            Ok(designation) => wrong.push(format!("{spelling:?} gave {designation}")),
            Err(error) => wrong.push(format!("{spelling:?} failed: {error}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn variants_of_one_designation_share_one_key() {
    for (spelling, canonical) in VARIANTS {
        let Ok(spelled) = Designation::parse(spelling) else {
            continue;
        };
        let Ok(reference) = Designation::parse(canonical) else {
            panic!("canonical {canonical:?} must parse");
        };
        assert_eq!(
            spelled.key(),
            reference.key(),
            "{spelling:?} vs {canonical:?}"
        );
    }
}

#[test]
fn itu_numbers_meet_with_or_without_spaces() {
    let key = |text: &str| Designation::parse(text).map(|d| d.key()).ok();
    assert_eq!(
        key("ITU-TXSuppl.33(09/2018)"),
        key("ITU-T X Suppl. 33 (09/2018)")
    );
    assert_eq!(key("ITU-TD.301R(10/1976)"), key("ITU-T D.301 R (10/1976)"));
    assert_eq!(
        key("ITU-TQ.765.1bis(12/1999)"),
        key("ITU-T Q.765.1 bis (12/1999)")
    );
}

#[test]
fn different_documents_keep_different_keys() {
    let distinct = [
        "ISO 9001:2015",
        "ISO 9001:2008",
        "ISO 9001:2015/Amd 1:2024",
        "ISO/DIS 9001",
        "ISO/TS 9001",
        "IEC 60335-1:2010",
        "IEC 60335-1:2010+AMD1:2013 CSV",
        "IEC 60335-1:2010/AMD1:2013",
        "GB 17766-2020",
        "GB/T 17766-2020",
        "GB/Z 17766-2020",
        "GOST 34.11-2012",
        "GOST R 34.11-2012",
        "ISO 10033-1:2011/Amd 1",
        "ISO 10033-1:2011/DAM 1",
    ];
    let keys: std::collections::HashSet<String> = distinct
        .iter()
        .filter_map(|text| Designation::parse(text).ok())
        .map(|d| d.key())
        .collect();
    assert_eq!(keys.len(), distinct.len());
}

#[test]
fn undated_key_joins_editions_and_drafts_of_one_work() {
    let undated = |text: &str| Designation::parse(text).map(|d| d.undated_key()).ok();
    assert_eq!(undated("ISO 9001:2015"), undated("ISO 9001"));
    assert_eq!(undated("ISO 9001:1987"), undated("iso 9001"));
    assert_eq!(undated("ISO/DIS 9001"), undated("ISO 9001"));
    assert_eq!(undated("GB/T 1.1-2020"), undated("GB/T 1.1"));
    assert_eq!(undated("ITU-T X.509 (10/2019)"), undated("ITU-T X.509"));
    assert_eq!(undated("ITU-R SM.1793-0"), undated("ITU-R SM.1793"));
    assert_eq!(
        undated("ISO 9001:2015/Amd 1:2024"),
        undated("ISO 9001:2015/DAM 1")
    );
    assert_ne!(undated("ISO 9001:2015/Amd 1:2024"), undated("ISO 9001"));
}

#[test]
fn supplement_knows_its_base() {
    let Ok(amendment) = Designation::parse("ISO 9001:2015/Amd 1:2024") else {
        panic!("must parse")
    };
    assert_eq!(
        amendment.base().map(|b| b.to_string()),
        Some("ISO 9001:2015".to_owned())
    );
    assert!(Designation::parse("ISO/DIS 10012").is_ok_and(|d| d.is_draft()));
}

#[test]
fn ambiguous_hyphen_gives_both_readings() {
    let readings: Vec<String> = parse_candidates("ISO 8802-2001")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(readings, ["ISO 8802:2001", "ISO 8802-2001"]);
}

#[test]
fn text_that_is_no_designation_is_refused_with_a_reason() {
    assert_eq!(Designation::parse("  —— "), Err(DesignationError::Empty));
    assert!(matches!(
        Designation::parse("9001:2015"),
        Err(DesignationError::NoPrefix { .. })
    ));
    assert!(matches!(
        Designation::parse("ISO 9001:2015 (((("),
        Err(DesignationError::Unexpected { .. })
    ));
}

fn arb_designation() -> impl Strategy<Value = Designation> {
    let iso = (
        prop::sample::select(vec![
            vec![vec!["ISO".to_owned()]],
            vec![vec!["ISO".to_owned(), "IEC".to_owned()]],
            vec![vec!["IEC".to_owned()]],
            vec![vec!["EN".to_owned()], vec!["ISO".to_owned()]],
        ]),
        prop::sample::select(vec![vec![], vec!["TR".to_owned()], vec!["TS".to_owned()]]),
        1u32..99999,
        prop::option::of(1u32..20),
        prop::option::of(1950u16..2030),
        prop::option::of((1u32..5, prop::option::of(1950u16..2030))),
    )
        .prop_map(
            |(prefix, kind, number, part, year, supplement)| Designation {
                family: Family::Iso,
                prefix,
                kind,
                number: match part {
                    Some(part) => format!("{number}-{part}"),
                    None => number.to_string(),
                },
                iteration: None,
                edition: year.map(Edition::Year),
                supplements: supplement
                    .map(|(n, year)| Supplement {
                        consolidated: false,
                        kind: "AMD".to_owned(),
                        number: Some(n.to_string()),
                        iteration: None,
                        edition: year.map(Edition::Year),
                    })
                    .into_iter()
                    .collect(),
                trailer: None,
                adopts: None,
            },
        );
    let china = (
        prop::sample::select(vec!["GB", "JB", "SN", "YY", "DL"]),
        prop::sample::select(vec![None, Some("T"), Some("Z")]),
        1u32..60000,
        prop::option::of(1u32..9),
        prop::option::of(1950u16..2030),
    )
        .prop_map(|(body, marker, number, part, year)| {
            let mut layer = vec![body.to_owned()];
            layer.extend(marker.map(str::to_owned));
            Designation {
                family: Family::China,
                prefix: vec![layer],
                kind: vec![],
                number: match part {
                    Some(part) => format!("{number}.{part}"),
                    None => number.to_string(),
                },
                iteration: None,
                edition: year.map(Edition::Year),
                supplements: vec![],
                trailer: None,
                adopts: None,
            }
        });
    let itu = (
        prop::sample::select(vec!["X", "H", "G", "Y"]),
        1u32..2000,
        prop::option::of((1u8..=12, 1960u16..2030)),
    )
        .prop_map(|(series, number, date)| Designation {
            family: Family::Itu,
            prefix: vec![vec!["ITU".to_owned(), "T".to_owned()]],
            kind: vec![],
            number: format!("{series}.{number}"),
            iteration: None,
            edition: date.map(|(month, year)| Edition::YearMonth(year, month)),
            supplements: vec![],
            trailer: None,
            adopts: None,
        });
    prop_oneof![iso, china, itu]
}

proptest! {
    #[test]
    fn parse_of_display_gives_the_designation_back(designation in arb_designation()) {
        let shown = designation.to_string();
        prop_assert_eq!(Designation::parse(&shown), Ok(designation), "{}", shown);
    }

    #[test]
    fn folding_is_idempotent(text in "[ a-zA-Z0-9/:.—–\\-ＧＢＴ／：０-９ГОСТР]{0,30}") {
        let once = fold(&text);
        prop_assert_eq!(fold(&once), once.clone());
    }

    #[test]
    fn parsing_any_text_never_panics(text in any::<String>()) {
        let _ = Designation::parse(&text);
        let _ = parse_candidates(&text);
        let _ = lenient_keys(&text);
    }

    #[test]
    fn parsing_designation_like_text_never_panics(text in "[A-Za-z/ ]{0,6}[0-9.:/\\-]{0,12}[ A-Za-z0-9()+/:.—房间ГОСТ]{0,16}") {
        if let Ok(parsed) = Designation::parse(&text) {
            let _ = (parsed.key(), parsed.undated_key(), parsed.to_string(), parsed.base());
        }
    }

    #[test]
    fn keys_do_not_change_when_reparsed(designation in arb_designation()) {
        let key = designation.key();
        let reparsed = Designation::parse(&designation.to_string()).map(|d| d.key());
        prop_assert_eq!(reparsed, Ok(key));
    }
}

#[test]
fn an_amendment_s_year_is_its_own() {
    let own = |text: &str| {
        Designation::parse(text)
            .unwrap_or_else(|error| panic!("{text}: {error}"))
            .own_year()
    };
    assert_eq!(own("ISO 9001:2015/Amd 1:2024"), Some(2024));
    assert_eq!(own("IEC 60335-1:2010+AMD1:2013"), Some(2013));
    assert_eq!(
        own("ISO 9001:2015/Amd 1"),
        None,
        "undated: not the base's year"
    );
    assert_eq!(own("ISO 9001:2015"), Some(2015));
    let amendment = crate::Standard {
        designation: "ISO 9001:2015/Amd 1:2024".to_owned(),
        ..crate::Standard::default()
    };
    assert_eq!(amendment.year(), Some(2024));
}
