//! Relaton bibliographic items (YAML, JSON, JSON Lines) → standard records.
//!
//! Relaton data comes in two schema generations (`docid[].id` / `docidentifier[].content`,
//! `date[].value` / `date[].from|at`, `docstatus` / `status`) and often gives a single
//! object where a list is expected. Every accessor here accepts both.

use serde_json::Value;
use stdbridge_core::designation::Designation;
use stdbridge_core::{
    Committee, Dates, DocType, Identifier, Link, LocalizedText, Relation, RelationKind, Scope, Standard,
    Status, Title,
};

/// Why a Relaton item could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError(pub String);

/// Reads one Relaton bibliographic item.
pub fn standard_from_item(item: &Value) -> Result<Standard, ItemError> {
    if !item.is_object() {
        return Err(ItemError("a Relaton item must be an object".to_owned()));
    }
    let ids = list(item.get("docid").or_else(|| item.get("docidentifier")));
    let primary = ids
        .iter()
        .find(|id| id.get("primary").and_then(Value::as_bool) == Some(true))
        .or_else(|| ids.first())
        .copied()
        .ok_or_else(|| ItemError("no docid/docidentifier".to_owned()))?;
    let designation = text(Some(primary)).ok_or_else(|| ItemError("the primary docid is empty".to_owned()))?;
    let ext = item.get("ext");
    let flavor = flavor(item, &designation);
    let mut record = Standard {
        identifiers: identifiers(&ids, primary),
        publishers: publishers(item),
        titles: titles(item),
        abstracts: localized(item.get("abstract")),
        ics: ics(item, ext),
        status: None,
        dates: dates(item),
        edition: text(item.get("edition")),
        languages: list(item.get("language")).iter().filter_map(|l| text(Some(l))).map(|l| language_code(&l)).collect(),
        committee: committee(item, ext),
        keywords: list(item.get("keyword")).iter().filter_map(|k| text(Some(k))).collect(),
        links: links(item),
        pages: ext.and_then(|e| text(e.get("pages"))).and_then(|p| p.parse().ok()),
        ..Standard::default()
    };
    record.designation = designation;
    let (stage, status) = status(item, flavor);
    record.stage = stage;
    record.status = status;
    record.doc_type = doc_type(item, ext, &record.designation);
    (record.scope, record.country) = scope_and_country(flavor, ext);
    record.relations = relations(item, &record.designation, flavor);
    if record.status == Some(Status::Withdrawn) && record.relations.iter().any(|r| r.kind == RelationKind::ReplacedBy) {
        record.status = Some(Status::Replaced);
    }
    if record.dates.withdrawn.is_none() && matches!(record.status, Some(Status::Withdrawn | Status::Replaced)) {
        record.dates.withdrawn = date_of(item, &["obsoleted"]);
    }
    Ok(record)
}

/// Which publisher's conventions the item follows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Flavor {
    Iso,
    Iec,
    Itu,
    Jis,
    Easc,
    Gost,
    Gb,
    Other,
}

fn flavor(item: &Value, designation: &str) -> Flavor {
    let declared = item.get("ext").and_then(|e| text(e.get("flavor")));
    let id_type = list(item.get("docid").or_else(|| item.get("docidentifier")))
        .first()
        .and_then(|id| text(id.get("type")));
    let hint = declared.or(id_type).unwrap_or_default().to_lowercase();
    match hint.as_str() {
        "iso" => Flavor::Iso,
        "iec" => Flavor::Iec,
        "itu" => Flavor::Itu,
        "jis" => Flavor::Jis,
        "easc" => Flavor::Easc,
        "gost" => Flavor::Gost,
        "gb" | "chinese" => Flavor::Gb,
        _ if designation.starts_with("GB") => Flavor::Gb,
        _ => Flavor::Other,
    }
}

/// A repeated element: absent → empty, one object → one item, a list → its items.
pub(crate) fn list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => vec![other],
    }
}

/// A text element: a string, or an object with `content`, `value`, `id` or `type`.
pub(crate) fn text(value: Option<&Value>) -> Option<String> {
    let found = match value? {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(map) => ["content", "value", "id", "at", "from"]
            .iter()
            .find_map(|field| map.get(*field).and_then(|v| text(Some(v)))),
        Value::Array(items) => items.first().and_then(|v| text(Some(v))),
        _ => None,
    };
    found.filter(|s| !s.is_empty())
}

fn identifiers(ids: &[&Value], primary: &Value) -> Vec<Identifier> {
    ids.iter()
        .filter(|id| !std::ptr::eq(**id, primary))
        .filter_map(|id| {
            Some(Identifier {
                kind: text(id.get("type")).unwrap_or_else(|| "other".to_owned()),
                value: text(Some(id))?,
            })
        })
        .collect()
}

fn publishers(item: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for contributor in list(item.get("contributor")) {
        let is_publisher = list(contributor.get("role"))
            .iter()
            .any(|role| text(role.get("type")).or_else(|| text(Some(role))).as_deref() == Some("publisher"));
        if !is_publisher {
            continue;
        }
        let organization = contributor.get("organization");
        let name = organization
            .and_then(|o| text(o.get("abbreviation")))
            .or_else(|| organization.and_then(|o| text(o.get("name"))));
        if let Some(name) = name
            && !found.contains(&name)
        {
            found.push(name);
        }
    }
    found
}

fn titles(item: &Value) -> Vec<Title> {
    let mut by_lang: Vec<Title> = Vec::new();
    for title in list(item.get("title")) {
        let Some(content) = text(title.get("content")).or_else(|| text(Some(title))) else { continue };
        let lang = text(title.get("language")).map(|l| language_code(&l)).unwrap_or_else(|| "en".to_owned());
        let kind = text(title.get("type")).unwrap_or_else(|| "main".to_owned());
        let position = match by_lang.iter().position(|t| t.lang == lang) {
            Some(position) => position,
            None => {
                by_lang.push(Title { lang: lang.clone(), ..Title::default() });
                by_lang.len() - 1
            }
        };
        let entry = &mut by_lang[position];
        match kind.as_str() {
            "title-intro" => entry.intro = Some(content),
            "title-main" => entry.main = Some(content),
            "title-part" => entry.part = Some(content),
            "main" if entry.full.is_empty() => entry.full = content,
            _ => {}
        }
    }
    for title in &mut by_lang {
        if title.full.is_empty() {
            let parts: Vec<&str> =
                [&title.intro, &title.main, &title.part].into_iter().flatten().map(String::as_str).collect();
            title.full = parts.join(" - ");
        }
    }
    by_lang.retain(|t| !t.full.is_empty());
    by_lang
}

fn localized(value: Option<&Value>) -> Vec<LocalizedText> {
    let mut found: Vec<LocalizedText> = Vec::new();
    for entry in list(value) {
        let Some(content) = text(entry.get("content")).or_else(|| text(Some(entry))) else { continue };
        let lang = text(entry.get("language")).map(|l| language_code(&l)).unwrap_or_else(|| "en".to_owned());
        if !found.iter().any(|t| t.lang == lang) {
            found.push(LocalizedText { lang, text: content });
        }
    }
    found
}

fn ics(item: &Value, ext: Option<&Value>) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    let sources = [ext.and_then(|e| e.get("ics")), item.get("ics"), ext.and_then(|e| e.get("ics_code"))];
    for entry in sources.into_iter().flat_map(list) {
        let code = text(entry.get("code")).or_else(|| text(Some(entry)));
        if let Some(code) = code
            && !codes.contains(&code)
        {
            codes.push(code);
        }
    }
    codes
}

fn dates(item: &Value) -> Dates {
    Dates {
        published: date_of(item, &["published", "issued"]),
        implemented: date_of(item, &["implemented"]),
        withdrawn: None,
        confirmed: date_of(item, &["confirmed"]),
        updated: date_of(item, &["updated", "corrected"]),
        stable_until: date_of(item, &["stable-until"]),
    }
}

fn date_of(item: &Value, kinds: &[&str]) -> Option<String> {
    kinds.iter().find_map(|kind| {
        list(item.get("date"))
            .into_iter()
            .filter(|date| text(date.get("type")).as_deref() == Some(kind))
            .find_map(|date| text(date.get("value")).or_else(|| text(date.get("at"))).or_else(|| text(date.get("from"))))
    })
}

fn committee(item: &Value, ext: Option<&Value>) -> Option<Committee> {
    let group = ext.and_then(|e| e.get("editorialgroup")).or_else(|| item.get("editorialgroup"))?;
    let first = list(group.get("technical_committee")).into_iter().next()?;
    let id = text(first.get("identifier")).or_else(|| text(first.get("name")))?;
    let name = text(first.get("name")).filter(|name| name != &id);
    Some(Committee { id, name })
}

fn links(item: &Value) -> Vec<Link> {
    let mut found = Vec::new();
    for link in list(item.get("link")).into_iter().chain(list(item.get("source"))) {
        if let Some(url) = text(link.get("content")).or_else(|| text(Some(link))) {
            found.push(Link { kind: text(link.get("type")).unwrap_or_else(|| "src".to_owned()), url });
        }
    }
    if let Some(url) = item.get("ext").and_then(|e| text(e.get("webpage"))) {
        found.push(Link { kind: "src".to_owned(), url });
    }
    found
}

fn status(item: &Value, flavor: Flavor) -> (Option<String>, Option<Status>) {
    let Some(block) = item.get("docstatus").or_else(|| item.get("status")) else {
        return (None, None);
    };
    let stage = text(block.get("stage")).or_else(|| text(Some(block)));
    let substage = text(block.get("substage"));
    let Some(stage) = stage else { return (None, None) };
    let status = match flavor {
        Flavor::Iso | Flavor::Other => iso_status(&stage, substage.as_deref()),
        _ => None,
    }
    .or_else(|| word_status(&stage));
    let code = match substage {
        Some(sub) => format!("{stage}.{sub}"),
        None => stage,
    };
    (Some(code), status)
}

/// ISO's harmonized stage codes: 60.60 published; 90.xx reviewed (90.93 confirmed, 90.92
/// and 90.20 still in force); 95.99 withdrawn; anything below 60 under development.
fn iso_status(stage: &str, substage: Option<&str>) -> Option<Status> {
    let stage: u32 = stage.parse().ok()?;
    let substage: u32 = substage.and_then(|s| s.parse().ok()).unwrap_or(0);
    Some(match (stage, substage) {
        (95, 99) => Status::Withdrawn,
        (95, _) => Status::Published,
        (90, 93) => Status::Confirmed,
        (90, _) => Status::Published,
        (60, 60) => Status::Published,
        (60, _) => Status::Upcoming,
        _ => Status::UnderDevelopment,
    })
}

fn word_status(stage: &str) -> Option<Status> {
    Some(match stage.to_lowercase().as_str() {
        "published" | "valid" | "active" | "in-force" | "in force" | "new" | "current" => Status::Published,
        "revised" | "replaced" => Status::Replaced,
        "withdrawn" | "withdrawal" | "cancelled" | "obsolete" => Status::Withdrawn,
        "confirmed" => Status::Confirmed,
        "replaces" => Status::Published,
        "draft" | "under development" => Status::UnderDevelopment,
        _ => return None,
    })
}

fn doc_type(item: &Value, ext: Option<&Value>, designation: &str) -> Option<DocType> {
    let declared = ext.and_then(|e| text(e.get("doctype")).or_else(|| e.get("doctype").and_then(|d| text(d.get("type")))))
        .or_else(|| text(item.get("doctype")));
    let parsed = Designation::parse(designation).ok();
    if let Some(last) = parsed.as_ref().and_then(|d| d.supplements.last()) {
        let kind = last.kind.rsplit(' ').next().unwrap_or_default();
        match kind {
            "AMD" | "DAM" | "FDAM" | "PDAM" => return Some(DocType::Amendment),
            "COR" | "DCOR" | "FDCOR" => return Some(DocType::Corrigendum),
            "ADD" | "SUPPL" | "EXT" | "ISH" | "EXPL" | "ERR" => return Some(DocType::Supplement),
            _ => {}
        }
    }
    Some(match declared?.as_str() {
        "international-standard" | "japanese-industrial-standard" | "interstate" | "national" | "standard" => {
            DocType::Standard
        }
        "technical-specification" => DocType::TechnicalSpecification,
        "technical-report" => DocType::TechnicalReport,
        "publicly-available-specification" => DocType::PubliclyAvailableSpecification,
        "guide" => DocType::Guide,
        "amendment" | "recommendation-amendment" => DocType::Amendment,
        "recommendation-corrigendum" => DocType::Corrigendum,
        "recommendation-supplement" | "recommendation-annex" => DocType::Supplement,
        "recommendation" => DocType::Recommendation,
        "international-workshop-agreement" => DocType::WorkshopAgreement,
        "directive" => DocType::Directive,
        "pmg" | "rmg" => DocType::Rules,
        _ => DocType::Other,
    })
}

fn scope_and_country(flavor: Flavor, ext: Option<&Value>) -> (Option<Scope>, Option<String>) {
    match flavor {
        Flavor::Iso | Flavor::Iec | Flavor::Itu => (Some(Scope::International), None),
        Flavor::Jis => (Some(Scope::National), Some("JP".to_owned())),
        Flavor::Easc => (Some(Scope::Regional), None),
        Flavor::Gost => {
            let interstate = ext.and_then(|e| text(e.get("doctype"))).as_deref() == Some("interstate");
            if interstate {
                (Some(Scope::Regional), None)
            } else {
                (Some(Scope::National), Some("RU".to_owned()))
            }
        }
        Flavor::Gb => (Some(Scope::National), Some("CN".to_owned())),
        Flavor::Other => (None, None),
    }
}

/// Relaton relation types, read as the ISO data uses them: `obsoletes` names the
/// documents this one replaces; `updates` names the documents that revise it (a newer
/// edition: replaced-by) or that amend or correct it (its own supplements).
fn relations(item: &Value, designation: &str, flavor: Flavor) -> Vec<Relation> {
    let own_key = Designation::parse(designation).ok().map(|d| d.key());
    let mut found: Vec<Relation> = Vec::new();
    for relation in list(item.get("relation")) {
        let Some(kind) = text(relation.get("type")) else { continue };
        let Some(target) = relation_target(relation) else { continue };
        let kind = match kind.as_str() {
            "obsoletes" | "replaces" => Some(RelationKind::Replaces),
            "obsoletedBy" | "replacedBy" => Some(RelationKind::ReplacedBy),
            "updates" if flavor == Flavor::Iso || flavor == Flavor::Other => Some(update_kind(&target, own_key.as_deref())),
            "updates" | "amends" => Some(RelationKind::Amends),
            "updatedBy" | "amendedBy" => Some(RelationKind::AmendedBy),
            "corrects" => Some(RelationKind::Corrects),
            "correctedBy" => Some(RelationKind::CorrectedBy),
            "partOf" => Some(RelationKind::PartOf),
            "adopts" | "adoptedFrom" => Some(RelationKind::Adopts),
            "identical" | "equivalent" => Some(RelationKind::Equivalent),
            "hasEdition" | "instanceOf" => Some(RelationKind::HasEdition),
            "cites" | "normativeReference" => Some(RelationKind::NormativeReference),
            _ => None,
        };
        if let Some(kind) = kind {
            push(&mut found, Relation { kind, target, degree: None, catalogue: None });
        }
    }
    if let Ok(parsed) = Designation::parse(designation)
        && let Some(base) = parsed.base()
    {
        let kind = match parsed.supplements.last().map(|s| s.kind.as_str()) {
            Some("COR") => RelationKind::Corrects,
            _ => RelationKind::Amends,
        };
        push(&mut found, Relation { kind, target: base.to_string(), degree: None, catalogue: None });
    }
    // ITU recommendations published as common text with ISO/IEC carry the ISO/IEC number.
    if flavor == Flavor::Itu {
        for id in list(item.get("docidentifier")) {
            if text(id.get("type")).as_deref() == Some("ISO")
                && let Some(target) = text(Some(id))
            {
                push(&mut found, Relation { kind: RelationKind::Equivalent, target, degree: None, catalogue: None });
            }
        }
    }
    found
}

fn update_kind(target: &str, own_key: Option<&str>) -> RelationKind {
    let Ok(parsed) = Designation::parse(target) else { return RelationKind::ReplacedBy };
    let is_own_supplement = parsed.base().map(|base| base.key()).as_deref() == own_key && own_key.is_some();
    if !is_own_supplement {
        return RelationKind::ReplacedBy;
    }
    match parsed.supplements.last().map(|s| s.kind.as_str()) {
        Some("COR") => RelationKind::CorrectedBy,
        _ => RelationKind::AmendedBy,
    }
}

fn relation_target(relation: &Value) -> Option<String> {
    let bibitem = relation.get("bibitem")?;
    let ids = list(bibitem.get("docid").or_else(|| bibitem.get("docidentifier")));
    let primary = ids
        .iter()
        .find(|id| id.get("primary").and_then(Value::as_bool) == Some(true))
        .or_else(|| ids.first());
    primary.and_then(|id| text(Some(id))).or_else(|| text(bibitem.get("formattedref")))
}

fn push(found: &mut Vec<Relation>, relation: Relation) {
    if !found.contains(&relation) {
        found.push(relation);
    }
}

/// ISO 639-1 codes for the ISO 639-2 codes Relaton data uses.
pub(crate) fn language_code(code: &str) -> String {
    let lower = code.trim().to_lowercase();
    match lower.as_str() {
        "rus" => "ru",
        "eng" => "en",
        "fra" | "fre" => "fr",
        "jpn" => "ja",
        "zho" | "chi" => "zh",
        "spa" => "es",
        "deu" | "ger" => "de",
        "ara" => "ar",
        "kor" => "ko",
        other => other,
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn old_schema_iso_item_reads_fully() {
        let item = json!({
            "id": "ISO9001-2015",
            "title": [
                {"content": "Quality management systems", "language": ["en"], "type": "title-main"},
                {"content": "Requirements", "language": ["en"], "type": "title-part"},
                {"content": "Quality management systems - Requirements", "language": ["en"], "type": "main"},
                {"content": "Systèmes de management de la qualité - Exigences", "language": ["fr"], "type": "main"}
            ],
            "docid": [{"id": "ISO 9001:2015", "type": "ISO", "primary": true}, {"id": "ISO 9001:2015(E)", "type": "iso-reference"}],
            "date": {"type": "published", "value": "2015-09"},
            "contributor": [{"organization": {"abbreviation": {"content": "ISO"}}, "role": [{"type": "publisher"}]}],
            "edition": {"content": "5"},
            "docstatus": {"stage": {"value": "90"}, "substage": {"value": "92"}},
            "relation": [
                {"type": "obsoletes", "bibitem": {"docid": [{"id": "ISO 9001:2008", "primary": true}]}},
                {"type": "updates", "bibitem": {"docid": [{"id": "ISO 9001:2015/Amd 1:2024", "primary": true}]}}
            ],
            "ext": {"doctype": {"type": "international-standard"}, "ics": {"code": "03.120.10", "text": "Quality"},
                    "editorialgroup": {"technical_committee": [{"identifier": "ISO/TC 176/SC 2", "name": "Quality systems"}]}}
        });
        let Ok(record) = standard_from_item(&item) else { panic!("must read") };
        assert_eq!(record.designation, "ISO 9001:2015");
        assert_eq!(record.title("en"), Some("Quality management systems - Requirements"));
        assert_eq!(record.title("fr"), Some("Systèmes de management de la qualité - Exigences"));
        assert_eq!(record.status, Some(Status::Published));
        assert_eq!(record.stage.as_deref(), Some("90.92"));
        assert_eq!(record.ics, ["03.120.10"]);
        assert_eq!(record.edition.as_deref(), Some("5"));
        assert_eq!(record.dates.published.as_deref(), Some("2015-09"));
        assert_eq!(record.committee.map(|c| c.id), Some("ISO/TC 176/SC 2".to_owned()));
        assert_eq!(record.doc_type, Some(DocType::Standard));
        assert!(record.relations.contains(&Relation {
            kind: RelationKind::Replaces, target: "ISO 9001:2008".to_owned(), degree: None, catalogue: None
        }));
        assert!(record.relations.iter().any(|r| r.kind == RelationKind::AmendedBy));
    }

    #[test]
    fn new_schema_item_reads_fully() {
        let item = json!({
            "docidentifier": [{"content": "ПМГ 02-2008", "type": "EASC", "primary": true}],
            "title": {"language": "rus", "content": "Типовое положение", "type": "main"},
            "date": [{"type": "published", "from": "2008-01-01"}],
            "status": {"stage": {"content": "replaced"}},
            "ext": {"doctype": {"content": "pmg"}, "flavor": "easc"}
        });
        let Ok(record) = standard_from_item(&item) else { panic!("must read") };
        assert_eq!(record.title("ru"), Some("Типовое положение"));
        assert_eq!(record.status, Some(Status::Replaced));
        assert_eq!(record.scope, Some(Scope::Regional));
        assert_eq!(record.doc_type, Some(DocType::Rules));
    }

    #[test]
    fn item_without_identifier_is_refused() {
        assert!(standard_from_item(&json!({"title": "x"})).is_err());
    }
}
