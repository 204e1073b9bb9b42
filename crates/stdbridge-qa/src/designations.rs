//! `designation`: every standard the source cites is cited in the target with the same
//! key (the [`Designation`] normalizer: GB/T 191—2008 = GB/T 191-2008 ≠ GB/T 191-2018),
//! and, when the catalogue knows the cited edition, a warning when it is withdrawn or
//! replaced.
//!
//! [`designations_in`] finds designations in running text, Chinese or English: a candidate
//! is a publisher prefix, a number and an optional edition and supplements, read by the
//! designation parser and kept when its publisher is one that publishes standards (so that
//! "Table 3" or "Clause 5" are not designations).

use std::sync::LazyLock;

use regex::Regex;
use stdbridge_core::designation::{Designation, Family};

use crate::finding::{CheckId, Message, Raw, Severity};

/// A designation found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte range in the text.
    pub range: std::ops::Range<usize>,
    /// The designation as parsed.
    pub designation: Designation,
    /// Its lookup key.
    pub key: String,
}

/// What the catalogue says about a cited edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedEdition {
    /// The edition as the catalogue writes it.
    pub designation: String,
    /// Withdrawn (with or without a replacement).
    pub withdrawn: bool,
    /// The standards that replace it.
    pub replaced_by: Vec<String>,
}

/// The catalogue, as the designation check asks it.
pub trait DesignationLookup {
    /// What the catalogue knows of a cited edition, if it knows it.
    fn cited(&self, designation: &Designation) -> Option<CitedEdition>;
}

/// No catalogue: editions are not checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCatalog;

impl DesignationLookup for NoCatalog {
    fn cited(&self, _: &Designation) -> Option<CitedEdition> {
        None
    }
}

impl DesignationLookup for std::collections::HashMap<String, CitedEdition> {
    fn cited(&self, designation: &Designation) -> Option<CitedEdition> {
        self.get(&designation.key()).cloned()
    }
}

/// Publishers of ISO-style designations that are standards bodies (China's, Russia's,
/// Japan's, Korea's and ITU's designations are told by the parser's family).
const PUBLISHERS: &[&str] = &[
    "ISO", "IEC", "EN", "CEN", "CENELEC", "CLC", "ETSI", "CISPR", "OIML", "BS", "DIN", "VDE", "NF",
    "UNE", "UNI", "SN", "SS", "NS", "DS", "SFS", "OENORM", "ÖNORM", "NEN", "NBN", "PN", "CSN",
    "STN", "MSZ", "SIST", "AS", "NZS", "CSA", "CAN", "ANSI", "ASTM", "IEEE", "SAE", "API", "ASME",
    "NFPA", "UL", "AWS", "IPC", "JEDEC", "EIA", "TIA", "ISA", "AASHTO", "ASHRAE", "MIL", "SNI",
    "TCVN", "TIS", "MS", "SASO", "GSO", "IS", "SABS", "SANS", "NBR", "IRAM", "NMX", "NTC", "INEN",
    "IRAN", "OIV", "CODEX", "CAC", "IMO", "ICAO", "IATA", "JJG", "JJF",
];

static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = r"(?x)
        (?:^|[^A-Za-z0-9/])
        (
          ITU-[TR]\s?[A-Z]{1,3}\.\d+(?:\.\d+)*(?:-\d+)?(?:\s?\(\d{1,2}/\d{4}\))?
        | ГОСТ(?:\s?Р)?(?:\s?ИСО)?\s?\d+(?:\.\d+)*(?:[-—–]\d{2,4})?
        | (?:[A-Z]{1,8}\d{0,2}(?:\s?/\s?[A-Z]{1,8})*)
          (?:\s[A-Z]{2,8}(?:/[A-Z]{1,8})*)*
          \s?(?:[A-Z]\s)?
          \d+(?:[.\-]\d+)*
          (?:\s?[-—–－:：]\s?\d{4}(?:-\d{2})?|\s?[-—–]\s?\d{2}\b)?
          (?:\s?[/+]\s?(?:Amd|AMD|Cor|COR|Add|ADD|Suppl|XG|DAM|DCOR)\.?\s?\d*(?:\.\d+)?(?:\s?[-—–:：]\s?\d{4})?)*
        )";
    Regex::new(pattern).unwrap_or_else(|error| panic!("built-in pattern: {error}"))
});

/// The designations of standards in a text, in order.
pub fn designations_in(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(captures) = CANDIDATE.captures_at(text, at) {
        let Some(candidate) = captures.get(1) else {
            break;
        };
        at = candidate.end().max(at + 1);
        while at < text.len() && !text.is_char_boundary(at) {
            at += 1;
        }
        let Ok(designation) = Designation::parse(candidate.as_str()) else {
            continue;
        };
        if !publishes_standards(&designation) {
            continue;
        }
        found.push(Found {
            range: candidate.range(),
            key: designation.key(),
            designation,
        });
        if at >= text.len() {
            break;
        }
    }
    found
}

fn publishes_standards(designation: &Designation) -> bool {
    match designation.family {
        Family::China | Family::Gost | Family::Jis | Family::Itu => true,
        Family::Iso => designation
            .publishers()
            .first()
            .is_some_and(|first| PUBLISHERS.contains(first)),
    }
}

/// The findings of one segment's designations.
pub(crate) fn check(
    source: &[Found],
    target: &[Found],
    catalog: &dyn DesignationLookup,
) -> Vec<Raw> {
    let mut raw = Vec::new();
    let mut used = vec![false; target.len()];
    let mut reported = std::collections::HashSet::new();
    for (index, found) in target.iter().enumerate() {
        if source.iter().any(|theirs| theirs.key == found.key) {
            used[index] = true;
        }
    }
    for cited in source {
        if !reported.insert(cited.key.clone()) {
            continue;
        }
        if let Some(edition) = catalog.cited(&cited.designation) {
            raw.push(obsolete(cited, &edition));
        }
        if target.iter().any(|theirs| theirs.key == cited.key) {
            continue;
        }
        let undated = cited.designation.undated_key();
        let instead = target
            .iter()
            .enumerate()
            .find(|(index, theirs)| !used[*index] && theirs.designation.undated_key() == undated);
        match instead {
            Some((index, theirs)) => {
                used[index] = true;
                raw.push(
                    Raw::new(
                        CheckId::Designation,
                        Severity::Error,
                        Message::new(
                            format!(
                                "{} in the source is cited as {} in the translation",
                                cited.designation, theirs.designation
                            ),
                            format!(
                                "原文引用的 {} 在译文中成了 {}",
                                cited.designation, theirs.designation
                            ),
                        ),
                    )
                    .in_source(cited.range.clone())
                    .in_target(theirs.range.clone()),
                );
            }
            None => raw.push(
                Raw::new(
                    CheckId::Designation,
                    Severity::Error,
                    Message::new(
                        format!(
                            "{} of the source is not cited in the translation",
                            cited.designation
                        ),
                        format!("原文引用的 {} 在译文中没有出现", cited.designation),
                    ),
                )
                .in_source(cited.range.clone()),
            ),
        }
    }
    for (index, extra) in target.iter().enumerate() {
        if used[index] || !reported.insert(extra.key.clone()) {
            continue;
        }
        raw.push(
            Raw::new(
                CheckId::Designation,
                Severity::Warning,
                Message::new(
                    format!(
                        "the translation cites {}, which the source does not",
                        extra.designation
                    ),
                    format!("译文引用了原文没有的 {}", extra.designation),
                ),
            )
            .in_target(extra.range.clone()),
        );
    }
    raw
}

fn obsolete(cited: &Found, edition: &CitedEdition) -> Raw {
    let replacing = edition.replaced_by.join(", ");
    let message = if edition.replaced_by.is_empty() {
        Message::new(
            format!("{} is withdrawn (catalogue)", edition.designation),
            format!("{} 已废止（目录）", edition.designation),
        )
    } else {
        Message::new(
            format!(
                "{} is replaced by {replacing} (catalogue): check which edition is meant",
                edition.designation
            ),
            format!(
                "{} 已被 {replacing} 代替（目录）：请核实引用的版本",
                edition.designation
            ),
        )
    };
    Raw::new(CheckId::Designation, Severity::Warning, message).in_source(cited.range.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        designations_in(text)
            .into_iter()
            .map(|found| text[found.range].to_owned())
            .collect()
    }

    #[test]
    fn designations_are_found_in_chinese_and_english_prose() {
        assert_eq!(
            keys("包装储运图示标志应符合GB/T 191—2008的规定。"),
            ["GB/T 191—2008"]
        );
        assert_eq!(
            keys("Marking shall be in accordance with GB/T 191-2008 and ISO 780:2015."),
            ["GB/T 191-2008", "ISO 780:2015"]
        );
        assert_eq!(
            keys("见ISO/IEC 27001:2022/Amd 1:2024和JB/T 10000-2010。"),
            ["ISO/IEC 27001:2022/Amd 1:2024", "JB/T 10000-2010"]
        );
        assert_eq!(keys("按 GB 50016—2014 执行"), ["GB 50016—2014"]);
        assert_eq!(keys("T/CECS 10-2019 applies"), ["T/CECS 10-2019"]);
        assert_eq!(
            keys("See ITU-T X.509 (10/2019)."),
            ["ITU-T X.509 (10/2019)"]
        );
    }

    #[test]
    fn tables_clauses_and_grades_are_not_designations() {
        assert!(keys("See Table 3 and Clause 5.2, grade Q235, thread M8, CO2.").is_empty());
        assert!(keys("见表3和图2。").is_empty());
    }

    #[test]
    fn an_edition_changed_in_translation_is_one_error() {
        let source = designations_in("应符合GB/T 191—2008的规定");
        let target = designations_in("shall comply with GB/T 191-2018");
        let raw = check(&source, &target, &NoCatalog);
        assert_eq!(raw.len(), 1, "{raw:?}");
        assert_eq!(raw[0].severity, Severity::Error);
        assert!(raw[0].message.en.contains("GB/T 191-2018"), "{raw:?}");
    }

    #[test]
    fn the_same_designation_spelled_differently_is_no_finding() {
        let source = designations_in("应符合GB/T 191—2008和GBT 17766-2020的规定");
        let target = designations_in("shall comply with GB/T 191-2008 and GB/T 17766-2020");
        assert!(check(&source, &target, &NoCatalog).is_empty());
    }

    #[test]
    fn a_replaced_edition_is_a_warning_naming_its_replacement() {
        let mut catalog = std::collections::HashMap::new();
        let cited = Designation::parse("GB/T 191-2000")
            .map(|d| d.key())
            .unwrap_or_default();
        catalog.insert(
            cited,
            CitedEdition {
                designation: "GB/T 191-2000".to_owned(),
                withdrawn: true,
                replaced_by: vec!["GB/T 191-2008".to_owned()],
            },
        );
        let source = designations_in("按GB/T 191-2000");
        let target = designations_in("according to GB/T 191-2000");
        let raw = check(&source, &target, &catalog);
        assert_eq!(raw.len(), 1, "{raw:?}");
        assert_eq!(raw[0].severity, Severity::Warning);
        assert!(raw[0].message.en.contains("replaced by GB/T 191-2008"));
    }
}
