//! The catalogue's commands: `import`, `show`, `search`, `stats`, `changes`, `reindex`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use stdbridge_app::catalog::{self, ImportRequest, ImportSummary, SearchRequest};
use stdbridge_app::model::{
    ChainLink, Equivalent, ImportFormat, ImportReport, MatchKind, Span, StandardView,
};
use stdbridge_app::{App, AppError, ErrorKind, Principal};

use super::{print_json, thousands};
use crate::progress::with_bar;

const WHO: &Principal = &Principal::Operator;

/// `stdbridge import`: each file in one transaction, the summary at the end; exit status
/// 2 when a file failed as a whole, 1 with `--strict` when a record was rejected. The
/// report (files, rejected records, summary) goes to stderr, one stream in the order
/// it happened; `--json` writes the whole summary to stdout instead, for machines.
pub async fn import(
    app: &App,
    paths: Vec<PathBuf>,
    format: Option<ImportFormat>,
    json: bool,
    strict: bool,
) -> anyhow::Result<ExitCode> {
    let summary = import_all(app, paths, format).await?;
    if json {
        print_json(&summary)?;
    } else {
        for report in &summary.files {
            eprintln!("{}", file_line(report));
        }
        for failure in &summary.failed {
            eprintln!("error: {}", failure.error);
        }
        print_summary(&summary);
    }
    let rejected = summary.files.iter().any(|f| !f.rejected.is_empty());
    Ok(if !summary.failed.is_empty() {
        ExitCode::from(2)
    } else if strict && rejected {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Imports files as a job, its progress drawn as a bar.
pub async fn import_all(
    app: &App,
    paths: Vec<PathBuf>,
    format: Option<ImportFormat>,
) -> anyhow::Result<ImportSummary> {
    let job = catalog::import(app, WHO, ImportRequest { paths, format }).await?;
    Ok(with_bar(job, true).await?)
}

/// `stdbridge show`: exit status 3 when nothing is found.
pub async fn show(app: &App, designation: &str, json: bool) -> anyhow::Result<ExitCode> {
    let view = match catalog::show(app, WHO, designation).await {
        Ok(view) => view,
        Err(AppError {
            kind: ErrorKind::NotFound,
            ..
        }) => {
            eprintln!("no standard found for {designation:?}");
            return Ok(ExitCode::from(3));
        }
        Err(error) => return Err(error.into()),
    };
    if json {
        print_json(&view)?;
    } else {
        print_text(&view);
        print_equivalents(&view.equivalents);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_text(view: &StandardView) {
    let record = &view.record;
    outln!("{}", record.designation);
    if let MatchKind::CurrentEdition = view.matched
        && view.editions.len() > 1
    {
        outln!(
            "  (current edition; all editions: {})",
            view.editions.join(", ")
        );
    }
    for title in &record.titles {
        outln!("  title [{}]: {}", title.lang, title.full);
    }
    let field = |name: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            outln!("  {name}: {value}");
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
        outln!(
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
        outln!("  CCS {}{names}", ccs.code);
    }
    let chain = |links: &[ChainLink]| {
        links
            .iter()
            .map(|l| l.designation.as_str())
            .collect::<Vec<_>>()
            .join(" → ")
    };
    if !view.replaces_chain.is_empty() {
        outln!("  replaces (chain): {}", chain(&view.replaces_chain));
    }
    if !view.replaced_by_chain.is_empty() {
        outln!("  replaced by (chain): {}", chain(&view.replaced_by_chain));
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
        outln!(
            "  {} {}{degree}{catalogue}{missing}",
            relation.kind,
            relation.designation
        );
    }
    outln!("  sources: {}", view.sources.join(", "));
}

fn print_equivalents(equivalents: &[Equivalent]) {
    if equivalents.is_empty() {
        return;
    }
    outln!("  equivalents across countries:");
    for item in equivalents {
        let country = item.country.as_deref().unwrap_or("international");
        outln!("    {:28} {:13} {}", item.designation, country, item.degree);
    }
}

/// The title with the matched spans in bold (ANSI), for a terminal.
fn marked(title: &str, spans: &[Span]) -> String {
    let mut out = String::with_capacity(title.len() + spans.len() * 8);
    for (n, ch) in title.chars().enumerate() {
        if spans.iter().any(|(from, _)| *from == n) {
            out.push_str("\x1b[1m");
        }
        out.push(ch);
        if spans.iter().any(|(_, to)| *to == n + 1) {
            out.push_str("\x1b[0m");
        }
    }
    out
}

/// `stdbridge search`.
pub async fn search(
    app: &App,
    text: &str,
    limit: usize,
    offset: usize,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let request = SearchRequest {
        q: text.to_owned(),
        limit,
        offset,
        facets: true,
    };
    let page = catalog::search(app, WHO, request).await?;
    if as_json {
        print_json(&page)?;
        return Ok(ExitCode::SUCCESS);
    }
    for note in &page.notes {
        eprintln!("note: {}", note.message);
    }
    outln!("{} found", page.total);
    let bold = std::io::stdout().is_terminal();
    let highlighter = catalog::highlighter(app, WHO).await?;
    let marked = |lang: &str, title: &str| {
        if !bold {
            return title.to_owned();
        }
        marked(title, &highlighter.spans(text, lang, title))
    };
    for record in page.hits.iter().map(|hit| &hit.record) {
        let (lang, title) = record
            .titles
            .iter()
            .find(|t| t.lang == "en")
            .or_else(|| record.titles.first())
            .map_or(("", ""), |t| (t.lang.as_str(), t.full.as_str()));
        let status = record.status.map(|s| s.as_str()).unwrap_or("");
        outln!(
            "{:32} {:18} {}",
            record.designation,
            status,
            marked(lang, title)
        );
        if lang != "zh"
            && let Some(zh) = record.title("zh")
        {
            outln!("{:32} {:18} {}", "", "", marked("zh", zh));
        }
    }
    for (group, counts) in &page.facets {
        if counts.is_empty() {
            continue;
        }
        let mut by_count: Vec<(&String, &u64)> = counts.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let shown: Vec<String> = by_count
            .into_iter()
            .take(8)
            .map(|(value, count)| format!("{value} {count}"))
            .collect();
        outln!("  {group}: {}", shown.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// `stdbridge stats`.
pub async fn stats(app: &App, json: bool) -> anyhow::Result<ExitCode> {
    let stats = catalog::stats(app, WHO).await?;
    if json {
        print_json(&stats)?;
        return Ok(ExitCode::SUCCESS);
    }
    let n = |v: i64| thousands(u64::try_from(v).unwrap_or(0));
    outln!("store: {}", app.config().store);
    outln!(
        "standards: {}  (from {} source records; {} relations)",
        n(stats.standards),
        n(stats.source_records),
        n(stats.relations)
    );
    for (title, counts) in [
        ("by publisher", &stats.by_publisher),
        ("by status", &stats.by_status),
        ("by document type", &stats.by_doc_type),
        ("by country", &stats.by_country),
        ("reference data", &stats.reference),
    ] {
        let shown: Vec<String> = counts
            .iter()
            .take(12)
            .map(|(name, count)| format!("{name} {}", n(*count)))
            .collect();
        let more = if counts.len() > 12 {
            format!(", … {} more", counts.len() - 12)
        } else {
            String::new()
        };
        outln!("{title}: {}{more}", shown.join(", "));
    }
    outln!(
        "imports: {}; last change: #{}",
        n(stats.imports),
        stats.last_change
    );
    outln!(
        "translation memories: {} ({} units); termbases: {} ({} concepts)",
        n(stats.memories),
        n(stats.units),
        n(stats.termbases),
        n(stats.concepts)
    );
    Ok(ExitCode::SUCCESS)
}

/// `stdbridge changes`.
pub async fn changes(app: &App, since: i64, limit: i64, json: bool) -> anyhow::Result<ExitCode> {
    for change in catalog::changes(app, WHO, since, limit).await? {
        if json {
            outln!("{}", serde_json::to_string(&change)?);
        } else {
            outln!("#{}  {:6}  {}", change.seq, change.op, change.key);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `stdbridge reindex`.
pub async fn reindex(app: &App, json: bool) -> anyhow::Result<ExitCode> {
    let job = catalog::reindex(app, WHO).await?;
    let report = with_bar(job, false).await?;
    if json {
        print_json(&report)?;
    } else {
        outln!(
            "indexed {} standards in {:.1} s (change log #{})",
            thousands(report.indexed),
            report.seconds,
            report.seq
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn file_line(report: &ImportReport) -> String {
    format!(
        "{}  [{}]  {} records: {} inserted, {} updated, {} unchanged, {} rejected  in {:.1} s ({} records/s)",
        report.path,
        report.format.name(),
        thousands(report.records),
        thousands(report.inserted),
        thousands(report.updated),
        thousands(report.unchanged),
        thousands(report.rejected.len() as u64),
        report.seconds,
        thousands(report.records_per_second().round() as u64),
    )
}

fn print_summary(summary: &ImportSummary) {
    let total = |f: fn(&ImportReport) -> u64| summary.files.iter().map(f).sum::<u64>();
    let seconds: f64 = summary.files.iter().map(|f| f.seconds).sum();
    let records = total(|f| f.records);
    eprintln!(
        "{} imports: {} records, {} inserted, {} updated, {} unchanged, {} rejected, in {:.1} s ({} records/s)",
        summary.files.len(),
        thousands(records),
        thousands(total(|f| f.inserted)),
        thousands(total(|f| f.updated)),
        thousands(total(|f| f.unchanged)),
        thousands(total(|f| f.rejected.len() as u64)),
        seconds,
        thousands(if seconds > 0.0 {
            (records as f64 / seconds).round() as u64
        } else {
            0
        }),
    );
    eprintln!(
        "search index: {} standards (re)indexed",
        thousands(summary.indexed)
    );
    eprintln!(
        "standards in the store: {}",
        thousands(u64::try_from(summary.standards_in_store).unwrap_or(0))
    );
    for report in &summary.files {
        for rejection in &report.rejected {
            eprintln!("rejected {rejection}");
        }
    }
    let merges: Vec<_> = summary.files.iter().flat_map(|f| &f.merges).collect();
    if !merges.is_empty() {
        eprintln!(
            "{} spellings joined by designation normalization:",
            thousands(merges.len() as u64)
        );
        for merge in merges {
            eprintln!("  {}  =  {}", merge.stored, merge.merged);
        }
    }
    for failure in &summary.failed {
        eprintln!("failed {}: {}", failure.path, failure.error);
    }
}
