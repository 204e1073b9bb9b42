//! `stdbridge show`.

use std::process::ExitCode;

use stdbridge_catalog::lookup::{ChainLink, Equivalent, MatchKind, StandardView, standard_view};
use stdbridge_storage::Store;

use super::print_json;

pub async fn run(store: &Store, query: &str, as_json: bool) -> anyhow::Result<ExitCode> {
    let Some(view) = standard_view(store, query).await? else {
        eprintln!("no standard found for {query:?}");
        return Ok(ExitCode::from(3));
    };
    if as_json {
        print_json(&view)?;
    } else {
        print_text(&view);
        print_equivalents(&view.equivalents);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_text(view: &StandardView) {
    let record = &view.record;
    println!("{}", record.designation);
    if let MatchKind::CurrentEdition = view.matched
        && view.editions.len() > 1
    {
        println!(
            "  (current edition; all editions: {})",
            view.editions.join(", ")
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
    for ics in &view.ics_titles {
        println!(
            "  ICS {}{}",
            ics.code,
            ics.title
                .as_ref()
                .map(|t| format!(" {t}"))
                .unwrap_or_default()
        );
    }
    for ccs in &view.ccs_names {
        let names = match (&ccs.zh, &ccs.en) {
            (Some(zh), Some(en)) => format!(" {zh} / {en}"),
            _ => String::new(),
        };
        println!("  CCS {}{names}", ccs.code);
    }
    let chain = |links: &[ChainLink]| {
        links
            .iter()
            .map(|l| l.designation.as_str())
            .collect::<Vec<_>>()
            .join(" → ")
    };
    if !view.replaces_chain.is_empty() {
        println!("  replaces (chain): {}", chain(&view.replaces_chain));
    }
    if !view.replaced_by_chain.is_empty() {
        println!("  replaced by (chain): {}", chain(&view.replaced_by_chain));
    }
    for relation in &view.relations {
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
    println!("  sources: {}", view.sources.join(", "));
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
