//! Terms-and-definitions clauses as ready-made bilingual termbase entries.
//!
//! A standard's clause 3 "术语和定义" / "Terms and definitions" lists entries: a number
//! (3.1, 3.2.4), the term (and its synonyms, one per line or after "；"), a Chinese
//! standard's English equivalent beside the Chinese term, the definition, notes ("注：",
//! "NOTE") and a source ("[来源：GB/T 1.1—2020，3.1]", "[SOURCE: …]"). Read from the
//! pairs of a bilingual file in document order, each entry gives both languages.

use std::sync::LazyLock;

use regex::Regex;
use stdbridge_content::model::plain_text;

use crate::Pair;

/// One entry of a terms-and-definitions clause, in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// Its number (`3.1`).
    pub number: String,
    /// Where it starts: the unit of its number.
    pub unit: String,
    /// Source-language terms, preferred first.
    pub source_terms: Vec<String>,
    /// Target-language terms, preferred first.
    pub target_terms: Vec<String>,
    /// Source-language definition.
    pub source_definition: Option<String>,
    /// Target-language definition.
    pub target_definition: Option<String>,
    /// Source-language notes.
    pub source_notes: Vec<String>,
    /// Target-language notes.
    pub target_notes: Vec<String>,
    /// Where the definition comes from, as the entry cites it.
    pub cited_source: Option<String>,
}

static CLAUSE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*3\s*(?:术语和定义|术语|terms\s+and\s+definitions|terms,\s+definitions)")
        .unwrap_or_else(|error| panic!("built-in pattern: {error}"))
});
static NEXT_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[4-9]|1[0-9])(?:\s+\S|\s*$)|^\s*(?:附\s*录|Annex|Bibliography|参\s*考\s*文\s*献)",
    )
    .unwrap_or_else(|error| panic!("built-in pattern: {error}"))
});
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(3(?:\.\d+)+)\s*(.*)$")
        .unwrap_or_else(|error| panic!("built-in pattern: {error}"))
});
static NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:注\s*\d*\s*[：:]|note\s*\d*\s*(?:to\s+entry\s*)?[:：]?\s|示例|example)")
        .unwrap_or_else(|error| panic!("built-in pattern: {error}"))
});
static SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*[\[［【]\s*(?:来源|source)\s*[：:]\s*(.*?)\s*[\]］】]\s*$")
        .unwrap_or_else(|error| panic!("built-in pattern: {error}"))
});

/// The entries of the terms-and-definitions clause of a bilingual file. When the file
/// has no clause-3 heading, every numbered 3.x entry is read.
pub fn terms_and_definitions(pairs: &[Pair]) -> Vec<Entry> {
    let texts: Vec<(String, String, &str)> = pairs
        .iter()
        .map(|pair| {
            let target = pair.target.as_deref().map(plain_text).unwrap_or_default();
            (plain_text(&pair.source), target, pair.unit.as_str())
        })
        .collect();
    let heading = texts.iter().position(|(source, target, _)| {
        CLAUSE_START.is_match(source) || CLAUSE_START.is_match(target)
    });
    let start = heading.map_or(0, |at| at + 1);
    let mut entries: Vec<Entry> = Vec::new();
    let mut index = start;
    while index < texts.len() {
        let (source, target, unit) = &texts[index];
        if heading.is_some() && NEXT_CLAUSE.is_match(source) && !NUMBER.is_match(source) {
            break;
        }
        let Some(captures) = NUMBER.captures(source) else {
            if let Some(entry) = entries.last_mut() {
                attach(entry, source, target);
            }
            index += 1;
            continue;
        };
        let number = captures.get(1).map_or("", |m| m.as_str()).to_owned();
        let mut rest = captures.get(2).map_or("", |m| m.as_str()).trim().to_owned();
        let mut target_rest = NUMBER.captures(target).and_then(|c| c.get(2)).map_or_else(
            || target.trim().to_owned(),
            |m| m.as_str().trim().to_owned(),
        );
        if rest.is_empty() {
            // The term is on the next line.
            index += 1;
            let Some((next_source, next_target, _)) = texts.get(index) else {
                break;
            };
            rest = next_source.trim().to_owned();
            target_rest = next_target.trim().to_owned();
        }
        let (source_terms, latin) = split_term_line(&rest);
        let mut target_terms = split_synonyms(&target_rest);
        if target_terms.is_empty() || target_terms == source_terms {
            target_terms = latin;
        }
        entries.push(Entry {
            number,
            unit: (*unit).to_owned(),
            source_terms,
            target_terms,
            ..Entry::default()
        });
        index += 1;
    }
    entries.retain(|entry| !entry.source_terms.is_empty());
    entries
}

/// A definition, note or source line after an entry's term.
fn attach(entry: &mut Entry, source: &str, target: &str) {
    let source = source.trim();
    let target = target.trim();
    if source.is_empty() {
        return;
    }
    if let Some(cited) = SOURCE.captures(source).and_then(|c| c.get(1)) {
        entry.cited_source = Some(cited.as_str().to_owned());
        return;
    }
    if NOTE.is_match(source) {
        entry.source_notes.push(source.to_owned());
        if !target.is_empty() {
            entry.target_notes.push(target.to_owned());
        }
        return;
    }
    if entry.source_definition.is_none() {
        entry.source_definition = Some(source.to_owned());
        entry.target_definition = (!target.is_empty()).then(|| target.to_owned());
    } else if entry.target_terms.is_empty() && !target.is_empty() {
        // A synonym line of the source before the definition.
        entry.target_terms = split_synonyms(target);
    }
}

/// A Chinese term line: the Chinese terms and the English equivalent written after them
/// ("质量 quality", "术语；名词 term").
fn split_term_line(line: &str) -> (Vec<String>, Vec<String>) {
    let latin_start = line
        .char_indices()
        .find(|(_, c)| c.is_ascii_alphabetic())
        .map(|(at, _)| at);
    let has_han = line.chars().any(stdbridge_text::is_han);
    match latin_start {
        Some(at) if has_han && at > 0 => (split_synonyms(&line[..at]), split_synonyms(&line[at..])),
        _ => (split_synonyms(line), Vec::new()),
    }
}

fn split_synonyms(line: &str) -> Vec<String> {
    line.split([';', '；'])
        .map(|term| term.trim().trim_end_matches(['。', '.']).trim().to_owned())
        .filter(|term| !term.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(lines: &[(&str, &str)]) -> Vec<Pair> {
        lines
            .iter()
            .enumerate()
            .map(|(index, (zh, en))| Pair::text(format!("p{}", index + 1), index + 1, zh, en))
            .collect()
    }

    #[test]
    fn entries_of_clause_three_come_with_both_languages() {
        let file = pairs(&[
            ("2 规范性引用文件", "2 Normative references"),
            ("3 术语和定义", "3 Terms and definitions"),
            (
                "下列术语和定义适用于本文件。",
                "For the purposes of this document, the following terms and definitions apply.",
            ),
            ("3.1", "3.1"),
            ("集装箱 container", "container"),
            (
                "具有足够强度、可长期反复使用的运输设备。",
                "Article of transport equipment strong enough to be suitable for repeated use.",
            ),
            (
                "注：集装箱不包括车辆和一般包装。",
                "Note 1 to entry: The term container includes neither vehicles nor conventional packing.",
            ),
            (
                "[来源：GB/T 1992—2006，2.1]",
                "[SOURCE: GB/T 1992-2006, 2.1]",
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
            ("4.1 按用途分类", "4.1 By purpose"),
        ]);
        let entries = terms_and_definitions(&file);
        assert_eq!(entries.len(), 2, "{entries:#?}");
        let container = &entries[0];
        assert_eq!(container.number, "3.1");
        assert_eq!(container.source_terms, ["集装箱"]);
        assert_eq!(container.target_terms, ["container"]);
        assert_eq!(
            container.source_definition.as_deref(),
            Some("具有足够强度、可长期反复使用的运输设备。")
        );
        assert_eq!(container.source_notes.len(), 1);
        assert!(container.target_notes[0].starts_with("Note 1 to entry"));
        assert_eq!(
            container.cited_source.as_deref(),
            Some("GB/T 1992—2006，2.1")
        );
        let rating = &entries[1];
        assert_eq!(rating.source_terms, ["额定质量", "最大总质量"]);
        assert_eq!(rating.target_terms, ["rating", "maximum gross mass"]);
        assert_eq!(
            rating.target_definition.as_deref(),
            Some("The maximum gross mass of the container.")
        );
    }

    #[test]
    fn a_file_without_the_clause_gives_no_entry() {
        let file = pairs(&[
            ("4 分类", "4 Classification"),
            (
                "集装箱按用途分类。",
                "Containers are classified by purpose.",
            ),
        ]);
        assert!(terms_and_definitions(&file).is_empty());
    }
}
