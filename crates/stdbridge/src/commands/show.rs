//! `stdbridge show`.

use std::process::ExitCode;

use serde_json::{Value, json};
use stdbridge_catalog::lookup::{
    ChainLink, Equivalent, Found, MatchKind, equivalents, find, replacement_chain,
};
use stdbridge_storage::{RelatedStandard, Store};

use super::print_json;

pub async fn run(store: &Store, query: &str, as_json: bool) -> anyhow::Result<ExitCode> {
    let Some(found) = find(store, query).await? else {
        eprintln!("no standard found for {query:?}");
        return Ok(ExitCode::from(3));
    };
    let relations = store.relations_of(&found.standard).await?;
    let replaces = replacement_chain(store, &found.standard, false).await?;
    let replaced_by = replacement_chain(store, &found.standard, true).await?;
    let equivalents = equivalents(store, &found.standard).await?;
    let ics = ics_titles(store, &found.standard.record.ics).await?;
    let ccs = ccs_names(store, &found.standard.record.ccs).await?;
    if as_json {
        let mut value = to_json(&found, &relations, &replaces, &replaced_by, ics, ccs);
        if let Value::Object(map) = &mut value {
            map.insert("equivalents".to_owned(), json!(equivalents));
        }
        print_json(&value)?;
    } else {
        print_text(&found, &relations, &replaces, &replaced_by, &ics, &ccs);
        print_equivalents(&equivalents);
    }
    Ok(ExitCode::SUCCESS)
}

async fn ics_titles(
    store: &Store,
    codes: &[String],
) -> anyhow::Result<Vec<(String, Option<String>)>> {
    let mut found = Vec::new();
    for code in codes {
        let titles = store.ics_titles(code).await?;
        found.push((code.clone(), titles.and_then(|t| t.get("en").cloned())));
    }
    Ok(found)
}

async fn ccs_names(
    store: &Store,
    codes: &[String],
) -> anyhow::Result<Vec<(String, Option<(String, String)>)>> {
    let mut found = Vec::new();
    for code in codes {
        found.push((code.clone(), store.ccs_names(code).await?));
    }
    Ok(found)
}

fn to_json(
    found: &Found,
    relations: &[RelatedStandard],
    replaces: &[ChainLink],
    replaced_by: &[ChainLink],
    ics: Vec<(String, Option<String>)>,
    ccs: Vec<(String, Option<(String, String)>)>,
) -> Value {
    let mut value = serde_json::to_value(&found.standard.record).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("key".to_owned(), json!(found.standard.key));
        map.insert("match".to_owned(), json!(found.matched));
        map.insert("editions".to_owned(), json!(found.editions));
        map.insert("relations".to_owned(), json!(relations));
        let mut catalogues: Vec<&str> = relations
            .iter()
            .filter(|r| r.kind == "mutual-recognition")
            .filter_map(|r| r.catalogue.as_deref())
            .collect();
        catalogues.sort_unstable();
        catalogues.dedup();
        map.insert("mutual_recognition".to_owned(), json!(catalogues));
        map.insert("replaces_chain".to_owned(), json!(replaces));
        map.insert("replaced_by_chain".to_owned(), json!(replaced_by));
        map.insert("sources".to_owned(), json!(found.standard.sources));
        map.insert(
            "ics_titles".to_owned(),
            json!(
                ics.into_iter()
                    .map(|(code, title)| json!({"code": code, "title": title}))
                    .collect::<Vec<_>>()
            ),
        );
        map.insert(
            "ccs_names".to_owned(),
            json!(
                ccs.into_iter()
                    .map(|(code, names)| json!({"code": code, "zh": names.as_ref().map(|n| &n.0), "en": names.as_ref().map(|n| &n.1)}))
                    .collect::<Vec<_>>()
            ),
        );
    }
    value
}

fn print_text(
    found: &Found,
    relations: &[RelatedStandard],
    replaces: &[ChainLink],
    replaced_by: &[ChainLink],
    ics: &[(String, Option<String>)],
    ccs: &[(String, Option<(String, String)>)],
) {
    let record = &found.standard.record;
    println!("{}", record.designation);
    if let MatchKind::CurrentEdition = found.matched
        && found.editions.len() > 1
    {
        println!(
            "  (current edition; all editions: {})",
            found.editions.join(", ")
        );
    }
    for title in &record.titles {
        println!("  title [{}]: {}", title.lang, title.full);
    }
    let field = |name: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            println!("  {name}: {value}");
        }
    };
    field("status", record.status.map(|s| s.as_str().to_owned()));
    field("stage", record.stage.clone());
    field("publishers", Some(record.publishers.join(", ")));
    field("country", record.country.clone());
    field(
        "document type",
        record
            .doc_type
            .and_then(|d| serde_json::to_value(d).ok())
            .and_then(|v| v.as_str().map(str::to_owned)),
    );
    field(
        "scope",
        record
            .scope
            .and_then(|s| serde_json::to_value(s).ok())
            .and_then(|v| v.as_str().map(str::to_owned)),
    );
    field("published", record.dates.published.clone());
    field("implemented", record.dates.implemented.clone());
    field("withdrawn", record.dates.withdrawn.clone());
    field("confirmed", record.dates.confirmed.clone());
    field("edition", record.edition.clone());
    field("pages", record.pages.map(|p| p.to_string()));
    field("languages", Some(record.languages.join(", ")));
    field(
        "committee",
        record.committee.as_ref().map(|c| match &c.name {
            Some(name) => format!("{} ({name})", c.id),
            None => c.id.clone(),
        }),
    );
    for (code, title) in ics {
        println!(
            "  ICS {code}{}",
            title.as_ref().map(|t| format!(" {t}")).unwrap_or_default()
        );
    }
    for (code, names) in ccs {
        println!(
            "  CCS {code}{}",
            names
                .as_ref()
                .map(|(zh, en)| format!(" {zh} / {en}"))
                .unwrap_or_default()
        );
    }
    if !replaces.is_empty() {
        let chain: Vec<&str> = replaces.iter().map(|l| l.designation.as_str()).collect();
        println!("  replaces (chain): {}", chain.join(" → "));
    }
    if !replaced_by.is_empty() {
        let chain: Vec<&str> = replaced_by.iter().map(|l| l.designation.as_str()).collect();
        println!("  replaced by (chain): {}", chain.join(" → "));
    }
    for relation in relations {
        let degree = relation
            .degree
            .as_ref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let catalogue = relation
            .catalogue
            .as_ref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        let missing = if relation.in_catalogue {
            ""
        } else {
            " (not in catalogue)"
        };
        println!(
            "  {} {}{degree}{catalogue}{missing}",
            relation.kind, relation.designation
        );
    }
    println!("  sources: {}", found.standard.sources.join(", "));
}

fn print_equivalents(equivalents: &[Equivalent]) {
    if equivalents.is_empty() {
        return;
    }
    println!("  equivalents across countries:");
    for item in equivalents {
        let country = item.country.as_deref().unwrap_or("international");
        println!("    {:28} {:13} {}", item.designation, country, item.degree);
    }
}
