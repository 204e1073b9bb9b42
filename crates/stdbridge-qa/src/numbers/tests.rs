//! Numbers in every way the two languages write them.

use proptest::prelude::*;

use super::*;

fn values(text: &str, chinese: bool) -> Vec<f64> {
    quantities(text, chinese, &[])
        .into_iter()
        .filter(|q| q.digits)
        .filter_map(|q| q.values.first().copied())
        .collect()
}

#[test]
fn thousands_decimals_signs_and_ranges_are_read() {
    assert_eq!(values("30 480 kg", false), [30480.0]);
    assert_eq!(values("0,5 mm", false), [0.5]);
    assert_eq!(values("−40 ℃～+85 ℃", true), [-40.0, 85.0]);
    assert_eq!(values("40 mm～60 mm", true), [40.0, 60.0]);
    assert_eq!(values("40-60", false), [40.0, 60.0]);
    assert_eq!(values("5 mm - 10 mm", false), [5.0, 10.0]);
    assert_eq!(values("from -20 °C", false), [-20.0]);
    assert_eq!(values("±0.5 mm", false), [0.5]);
    assert_eq!(values("５０％", true), [50.0]);
    assert_eq!(
        values("grade Q235, M8 bolts, CO2", false),
        Vec::<f64>::new()
    );
}

#[test]
fn a_comma_before_three_digits_may_be_either_separator() {
    let found = quantities("1,500", false, &[]);
    assert_eq!(found[0].values, [1500.0, 1.5]);
}

#[test]
fn clause_numbers_are_compared_as_written() {
    let found = quantities("见5.2.3", true, &[]);
    assert_eq!(found[0].dotted.as_deref(), Some("5.2.3"));
}

#[test]
fn chinese_numerals_and_english_words_have_values() {
    assert_eq!(chinese_value("三"), Some(3.0));
    assert_eq!(chinese_value("两"), Some(2.0));
    assert_eq!(chinese_value("十二"), Some(12.0));
    assert_eq!(chinese_value("二十"), Some(20.0));
    assert_eq!(chinese_value("两千零五"), Some(2005.0));
    assert_eq!(chinese_value("三万"), Some(30000.0));
    assert_eq!(chinese_value("二〇二〇"), Some(2020.0));
    assert_eq!(english_value("twenty-five"), Some(25.0));
    assert_eq!(english_value("twelfth"), Some(12.0));
    assert_eq!(english_value("twice"), Some(2.0));
}

fn number_findings(source: &str, target: &str, source_zh: bool, target_zh: bool) -> Vec<Raw> {
    check(
        &quantities(source, source_zh, &[]),
        &quantities(target, target_zh, &[]),
    )
}

#[test]
fn a_changed_number_is_one_error_and_equal_numbers_none() {
    let changed = number_findings(
        "最大总质量为30 480 kg。",
        "The maximum gross mass is 30 840 kg.",
        true,
        false,
    );
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].message.en.contains("30480") && changed[0].message.en.contains("30840"));
    for (zh, en) in [
        (
            "最大总质量为30 480 kg。",
            "The maximum gross mass is 30480 kg.",
        ),
        ("厚度为0.5 mm。", "The thickness is 0,5 mm."),
        ("试验应重复三次。", "The test shall be repeated 3 times."),
        ("储存期为6个月。", "The storage period is six months."),
        ("在−40 ℃下放置2 h。", "Keep at -40 °C for 2 h."),
        ("温度为40 ℃～60 ℃。", "The temperature is 40 °C to 60 °C."),
        ("含量不低于百分之五。", "The content is not less than 5 %."),
        ("见5.2.3和表1。", "See 5.2.3 and Table 1."),
    ] {
        let findings = number_findings(zh, en, true, false);
        assert!(findings.is_empty(), "{zh} | {en}: {findings:?}");
    }
}

#[test]
fn numbers_inside_designations_are_not_numbers() {
    let source = "应符合GB/T 191—2008的规定。";
    let masked: Vec<_> = crate::designations_in(source)
        .into_iter()
        .map(|f| f.range)
        .collect();
    assert!(quantities(source, true, &masked).is_empty());
}

proptest! {
    /// A number formatted in any supported way reads back as the same value.
    #[test]
    fn formatting_a_number_and_reading_it_back_gives_its_value(
        integer in 0u64..10_000_000,
        hundredths in 0u64..100,
        style in 0usize..5,
        negative in proptest::bool::ANY,
    ) {
        let value = integer as f64 + hundredths as f64 / 100.0;
        let digits = integer.to_string();
        let grouped = |separator: &str| {
            let mut out = String::new();
            for (index, c) in digits.chars().enumerate() {
                if index > 0 && (digits.len() - index) % 3 == 0 {
                    out.push_str(separator);
                }
                out.push(c);
            }
            out
        };
        let fraction = format!("{hundredths:02}");
        let written = match style {
            0 => format!("{digits}.{fraction}"),
            1 => format!("{}.{fraction}", grouped(" ")),
            2 => format!("{}.{fraction}", grouped("\u{202f}")),
            3 => format!("{digits},{fraction}"),
            _ => format!("{digits}.{fraction}")
                .chars()
                .map(|c| c.to_digit(10).and_then(|d| char::from_u32('０' as u32 + d)).unwrap_or('．'))
                .collect(),
        };
        let sign = if negative { "−" } else { "" };
        let text = format!("长度为 {sign}{written} mm");
        let found = quantities(&text, true, &[]);
        prop_assert_eq!(found.len(), 1, "{}: {:?}", text, found);
        let expected = if negative { -value } else { value };
        prop_assert!(found[0].values.iter().any(|v| (v - expected).abs() < 1e-6), "{}: {:?}", text, found[0].values);
        prop_assert_eq!(found[0].unit.as_ref().map(|(u, _)| u.symbol.as_str()), Some("mm"));
    }
}
