//! Merging what several sources say of one standard into one record, the same whatever
//! the order in which the sources arrived.

use crate::record::{Dates, Standard};

/// One source's record of a standard, with its rank: lower `priority` wins, then the
/// source name decides, so the merge never depends on import order.
#[derive(Debug, Clone, Copy)]
pub struct SourceRecord<'a> {
    /// 0 when the source is the document's own publisher, higher for others.
    pub priority: u8,
    /// The source's name (file and record path).
    pub source: &'a str,
    /// What it says.
    pub record: &'a Standard,
}

/// Merges source records: single values come from the first source (by priority, then
/// name) that has one; lists are the union in that order; titles and abstracts are taken
/// per language.
pub fn merge(sources: &[SourceRecord<'_>]) -> Standard {
    let mut ordered: Vec<&SourceRecord<'_>> = sources.iter().collect();
    ordered.sort_by(|a, b| (a.priority, a.source).cmp(&(b.priority, b.source)));
    let mut merged = Standard::default();
    for source in ordered {
        merge_into(&mut merged, source.record);
    }
    merged
}

fn merge_into(merged: &mut Standard, from: &Standard) {
    if merged.designation.is_empty() {
        merged.designation.clone_from(&from.designation);
    }
    union(&mut merged.identifiers, &from.identifiers);
    union(&mut merged.publishers, &from.publishers);
    first(&mut merged.country, &from.country);
    first(&mut merged.scope, &from.scope);
    first(&mut merged.doc_type, &from.doc_type);
    for title in &from.titles {
        if !merged.titles.iter().any(|t| t.lang == title.lang) {
            merged.titles.push(title.clone());
        }
    }
    for text in &from.abstracts {
        if !merged.abstracts.iter().any(|t| t.lang == text.lang) {
            merged.abstracts.push(text.clone());
        }
    }
    union(&mut merged.ics, &from.ics);
    union(&mut merged.ccs, &from.ccs);
    first(&mut merged.status, &from.status);
    first(&mut merged.stage, &from.stage);
    merge_dates(&mut merged.dates, &from.dates);
    first(&mut merged.edition, &from.edition);
    first(&mut merged.pages, &from.pages);
    union(&mut merged.languages, &from.languages);
    first(&mut merged.committee, &from.committee);
    union(&mut merged.keywords, &from.keywords);
    union(&mut merged.links, &from.links);
    union(&mut merged.relations, &from.relations);
    union(&mut merged.notes, &from.notes);
}

fn merge_dates(merged: &mut Dates, from: &Dates) {
    first(&mut merged.published, &from.published);
    first(&mut merged.implemented, &from.implemented);
    first(&mut merged.withdrawn, &from.withdrawn);
    first(&mut merged.confirmed, &from.confirmed);
    first(&mut merged.updated, &from.updated);
    first(&mut merged.stable_until, &from.stable_until);
}

fn first<T: Clone>(merged: &mut Option<T>, from: &Option<T>) {
    if merged.is_none() {
        merged.clone_from(from);
    }
}

fn union<T: Clone + PartialEq>(merged: &mut Vec<T>, from: &[T]) {
    for item in from {
        if !merged.contains(item) {
            merged.push(item.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Status, Title};

    fn record(designation: &str, status: Status, title: (&str, &str), ics: &[&str]) -> Standard {
        Standard {
            designation: designation.to_owned(),
            status: Some(status),
            titles: vec![Title {
                lang: title.0.to_owned(),
                full: title.1.to_owned(),
                ..Title::default()
            }],
            ics: ics.iter().map(|code| (*code).to_owned()).collect(),
            ..Standard::default()
        }
    }

    #[test]
    fn merge_is_the_same_in_any_order() {
        let iec = record(
            "IEC 31010:2019",
            Status::Published,
            ("en", "Risk assessment techniques"),
            &["03.100.01"],
        );
        let iso = record(
            "IEC 31010:2019",
            Status::Withdrawn,
            ("fr", "Techniques d'appréciation du risque"),
            &["03.100.01", "13.020"],
        );
        let a = [
            SourceRecord {
                priority: 0,
                source: "iec",
                record: &iec,
            },
            SourceRecord {
                priority: 1,
                source: "iso",
                record: &iso,
            },
        ];
        let b = [a[1], a[0]];
        assert_eq!(merge(&a), merge(&b));
        let merged = merge(&a);
        assert_eq!(
            merged.status,
            Some(Status::Published),
            "the publisher's own source wins"
        );
        assert_eq!(merged.titles.len(), 2, "titles are kept per language");
        assert_eq!(merged.ics, ["03.100.01", "13.020"]);
    }
}
