//! Size limits of a record: a record from outside with a field longer than any real
//! catalogue has (a 10 MB title) is refused with the field's name, before it is stored,
//! indexed and served.

use crate::Standard;

/// Most characters of a designation.
pub const MAX_DESIGNATION: usize = 200;
/// Most characters of a title (or of its intro, main or part element).
pub const MAX_TITLE: usize = 2_000;
/// Most characters of an abstract.
pub const MAX_ABSTRACT: usize = 100_000;
/// Most characters of any other text field.
pub const MAX_TEXT: usize = 10_000;
/// Most items of a list (titles, relations, keywords…).
pub const MAX_ITEMS: usize = 10_000;

/// The first field of `record` over its limit, with the limit: `titles[0].full has
/// 10485760 characters; at most 2000 are allowed`.
pub fn oversized(record: &Standard) -> Option<String> {
    let mut fields: Vec<(String, &str, usize)> =
        vec![("designation".into(), &record.designation, MAX_DESIGNATION)];
    for (n, title) in record.titles.iter().enumerate() {
        fields.push((format!("titles[{n}].full"), &title.full, MAX_TITLE));
        for (part, text) in [
            ("intro", &title.intro),
            ("main", &title.main),
            ("part", &title.part),
        ] {
            if let Some(text) = text {
                fields.push((format!("titles[{n}].{part}"), text, MAX_TITLE));
            }
        }
    }
    for (n, text) in record.abstracts.iter().enumerate() {
        fields.push((format!("abstracts[{n}].text"), &text.text, MAX_ABSTRACT));
    }
    for (n, note) in record.notes.iter().enumerate() {
        fields.push((format!("notes[{n}]"), note, MAX_TEXT));
    }
    for (n, keyword) in record.keywords.iter().enumerate() {
        fields.push((format!("keywords[{n}]"), keyword, MAX_TEXT));
    }
    for (n, link) in record.links.iter().enumerate() {
        fields.push((format!("links[{n}].url"), &link.url, MAX_TEXT));
    }
    for (n, relation) in record.relations.iter().enumerate() {
        fields.push((
            format!("relations[{n}].target"),
            &relation.target,
            MAX_DESIGNATION,
        ));
    }
    for (name, text) in [
        ("stage", &record.stage),
        ("edition", &record.edition),
        ("country", &record.country),
    ] {
        if let Some(text) = text {
            fields.push((name.into(), text, MAX_TEXT));
        }
    }
    if let Some(committee) = &record.committee {
        fields.push(("committee.id".into(), &committee.id, MAX_TEXT));
        if let Some(name) = &committee.name {
            fields.push(("committee.name".into(), name, MAX_TEXT));
        }
    }
    if let Some((name, text, limit)) = fields
        .into_iter()
        .find(|(_, text, limit)| text.len() > *limit && text.chars().count() > *limit)
    {
        return Some(format!(
            "{name} has {} characters; at most {limit} are allowed",
            text.chars().count()
        ));
    }
    let lists = [
        ("titles", record.titles.len()),
        ("abstracts", record.abstracts.len()),
        ("identifiers", record.identifiers.len()),
        ("publishers", record.publishers.len()),
        ("ics", record.ics.len()),
        ("ccs", record.ccs.len()),
        ("languages", record.languages.len()),
        ("keywords", record.keywords.len()),
        ("links", record.links.len()),
        ("relations", record.relations.len()),
        ("notes", record.notes.len()),
    ];
    lists
        .into_iter()
        .find(|(_, len)| *len > MAX_ITEMS)
        .map(|(name, len)| format!("{name} has {len} items; at most {MAX_ITEMS} are allowed"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Title;

    #[test]
    fn a_field_over_its_limit_is_named() {
        let mut record = Standard {
            designation: "GB/T 1-2024".into(),
            titles: vec![Title {
                lang: "en".into(),
                full: "x".repeat(MAX_TITLE + 1),
                ..Title::default()
            }],
            ..Standard::default()
        };
        assert_eq!(
            oversized(&record).as_deref(),
            Some("titles[0].full has 2001 characters; at most 2000 are allowed")
        );
        // Characters, not bytes: a Chinese title of 2,000 characters is fine.
        record.titles[0].full = "标".repeat(MAX_TITLE);
        assert_eq!(oversized(&record), None);
        record.keywords = vec!["k".into(); MAX_ITEMS + 1];
        assert!(oversized(&record).is_some_and(|m| m.starts_with("keywords has")));
    }
}
