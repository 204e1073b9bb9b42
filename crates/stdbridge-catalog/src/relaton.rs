//! Relaton bibliographic items (YAML, JSON, JSON Lines) → standard records.
//!
//! Relaton data comes in two schema generations (`docid[].id` / `docidentifier[].content`,
//! `date[].value` / `date[].from|at`, `docstatus` / `status`) and often gives a single
//! object where a list is expected. Every accessor here accepts both.

use serde::Deserialize;
use serde_json::Value;
use stdbridge_core::designation::Designation;

use crate::flex::{Flex, FromText, Many, Text, text};
use stdbridge_core::{
    Committee, Dates, DocType, Identifier, Link, LocalizedText, Relation, RelationKind, Scope,
    Standard, Status, Title,
};

/// Why a Relaton item could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError(pub String);

/// Reads one Relaton bibliographic item given as a JSON value (YAML documents arrive so).
pub fn standard_from_item(item: &Value) -> Result<Standard, ItemError> {
    if !item.is_object() {
        return Err(ItemError("a Relaton item must be an object".to_owned()));
    }
    let item = Item::deserialize(item).map_err(|error| ItemError(error.to_string()))?;
    read_item(item).map(|(record, _)| record)
}

/// Reads one line of Relaton JSON Lines: the record and the name of its source (the
/// dataset and the record's own file in it, so that a sample and the full file of one
/// dataset are one source).
pub fn read_json_line(line: &str) -> Result<(Standard, String), ItemError> {
    let item: Item = serde_json::from_str(line).map_err(|error| ItemError(json_error(&error)))?;
    read_item(item)
}

/// Reads a deserialized item: the record and its source name.
pub fn read_item(item: Item) -> Result<(Standard, String), ItemError> {
    let dataset = item
        .docid
        .first()
        .or_else(|| item.docidentifier.first())
        .and_then(|id| text(&id.kind))
        .or_else(|| item.ext.0.as_ref().and_then(|e| text(&e.flavor)))
        .unwrap_or_else(|| "relaton".to_owned())
        .to_lowercase();
    let within = text(&item.source_file).or_else(|| text(&item.id));
    let record = standard_from(item)?;
    let within = within.unwrap_or_else(|| record.designation.clone());
    Ok((record, format!("relaton-{dataset}:{within}")))
}

fn json_error(error: &serde_json::Error) -> String {
    crate::json::line_error(error)
}

/// A Relaton bibliographic item: the fields the catalogue reads, in both schema
/// generations. Other fields are skipped unread.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Item {
    id: Option<Text>,
    title: Many<TitleEl>,
    docid: Many<DocId>,
    docidentifier: Many<DocId>,
    date: Many<DateEl>,
    contributor: Many<ContributorEl>,
    edition: Option<Text>,
    language: Many<Text>,
    docstatus: Flex<StatusEl>,
    status: Flex<StatusEl>,
    relation: Many<RelationEl>,
    #[serde(rename = "abstract")]
    abstracts: Many<TitleEl>,
    link: Many<LinkEl>,
    source: Many<LinkEl>,
    keyword: Many<Text>,
    ext: Flex<Ext>,
    doctype: Option<Text>,
    editorialgroup: Flex<EditorialGroup>,
    ics: Many<IcsEl>,
    #[serde(rename = "_source_file")]
    source_file: Option<Text>,
}

macro_rules! from_text {
    ($type:ident, $field:ident, only) => {
        impl FromText for $type {
            fn from_text(text: String) -> Self {
                $type {
                    $field: Some(Text(text)),
                }
            }
        }
    };
    ($type:ident, $field:ident) => {
        impl FromText for $type {
            fn from_text(text: String) -> Self {
                $type {
                    $field: Some(Text(text)),
                    ..$type::default()
                }
            }
        }
    };
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TitleEl {
    content: Option<Text>,
    language: Many<Text>,
    #[serde(rename = "type")]
    kind: Option<Text>,
}
from_text!(TitleEl, content);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DocId {
    id: Option<Text>,
    content: Option<Text>,
    #[serde(rename = "type")]
    kind: Option<Text>,
    primary: Option<Text>,
}
from_text!(DocId, id);

impl DocId {
    fn value(&self) -> Option<String> {
        text(&self.id).or_else(|| text(&self.content))
    }

    fn is_primary(&self) -> bool {
        text(&self.primary).as_deref() == Some("true")
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DateEl {
    #[serde(rename = "type")]
    kind: Option<Text>,
    value: Option<Text>,
    at: Option<Text>,
    from: Option<Text>,
    on: Option<Text>,
}
from_text!(DateEl, value);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ContributorEl {
    organization: Flex<Organization>,
    role: Many<RoleEl>,
}
impl FromText for ContributorEl {
    fn from_text(_: String) -> Self {
        ContributorEl::default()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Organization {
    name: Many<TitleEl>,
    abbreviation: Option<Text>,
}
from_text!(Organization, abbreviation);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RoleEl {
    #[serde(rename = "type")]
    kind: Option<Text>,
}
from_text!(RoleEl, kind, only);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusEl {
    stage: Option<Text>,
    substage: Option<Text>,
}
from_text!(StatusEl, stage);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RelationEl {
    #[serde(rename = "type")]
    kind: Option<Text>,
    bibitem: Flex<BibItem>,
}
from_text!(RelationEl, kind);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BibItem {
    docid: Many<DocId>,
    docidentifier: Many<DocId>,
    formattedref: Option<Text>,
}
from_text!(BibItem, formattedref);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LinkEl {
    content: Option<Text>,
    #[serde(rename = "type")]
    kind: Option<Text>,
}
from_text!(LinkEl, content);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Ext {
    doctype: Option<Text>,
    editorialgroup: Flex<EditorialGroup>,
    ics: Many<IcsEl>,
    ics_code: Many<IcsEl>,
    pages: Option<Text>,
    flavor: Option<Text>,
    webpage: Option<Text>,
}
impl FromText for Ext {
    fn from_text(_: String) -> Self {
        Ext::default()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EditorialGroup {
    technical_committee: Many<CommitteeEl>,
}
impl FromText for EditorialGroup {
    fn from_text(_: String) -> Self {
        EditorialGroup::default()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CommitteeEl {
    identifier: Option<Text>,
    name: Option<Text>,
}
from_text!(CommitteeEl, name);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IcsEl {
    code: Option<Text>,
}
from_text!(IcsEl, code, only);

fn standard_from(item: Item) -> Result<Standard, ItemError> {
    let ids: Vec<&DocId> = item.docid.iter().chain(item.docidentifier.iter()).collect();
    let primary = ids
        .iter()
        .position(|id| id.is_primary())
        .or_else(|| (!ids.is_empty()).then_some(0))
        .ok_or_else(|| ItemError("no docid/docidentifier".to_owned()))?;
    let designation = ids[primary]
        .value()
        .ok_or_else(|| ItemError("the primary docid is empty".to_owned()))?;
    let ext = item.ext.0.as_ref();
    let flavor = flavor(&item, &designation);
    let parsed = Designation::parse(&designation).ok();
    let (stage, status) = status(item.docstatus.0.as_ref().or(item.status.0.as_ref()), flavor);
    let (scope, country) = scope_and_country(flavor, ext);
    let mut record = Standard {
        identifiers: identifiers(&ids, primary),
        publishers: publishers(&item),
        titles: titles(&item.title),
        abstracts: localized(&item.abstracts),
        ics: ics(&item, ext),
        stage,
        status,
        dates: dates(&item.date),
        edition: text(&item.edition),
        languages: item
            .language
            .iter()
            .filter_map(Text::get)
            .map(language_code)
            .collect(),
        committee: committee(&item, ext),
        keywords: item
            .keyword
            .iter()
            .filter_map(Text::get)
            .map(str::to_owned)
            .collect(),
        links: links(&item, ext),
        pages: ext
            .and_then(|e| text(&e.pages))
            .and_then(|p| p.parse().ok()),
        doc_type: doc_type(&item, ext, parsed.as_ref()),
        scope,
        country,
        relations: relations(&item, &ids, parsed.as_ref(), flavor),
        ..Standard::default()
    };
    record.designation = designation;
    record.settle_status();
    if record.dates.withdrawn.is_none()
        && matches!(record.status, Some(Status::Withdrawn | Status::Replaced))
    {
        record.dates.withdrawn = date_of(&item.date, &["obsoleted"]);
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

fn flavor(item: &Item, designation: &str) -> Flavor {
    let declared = item.ext.0.as_ref().and_then(|e| text(&e.flavor));
    let id_type = item
        .docid
        .first()
        .or_else(|| item.docidentifier.first())
        .and_then(|id| text(&id.kind));
    let hint = declared.or(id_type).unwrap_or_default().to_lowercase();
    match hint.as_str() {
        "iso" => Flavor::Iso,
        "iec" => Flavor::Iec,
        "itu" => Flavor::Itu,
        "jis" => Flavor::Jis,
        "easc" => Flavor::Easc,
        "gost" => Flavor::Gost,
        "gb" | "chinese" | "chinese standard" => Flavor::Gb,
        _ if designation.starts_with("GB") => Flavor::Gb,
        _ => Flavor::Other,
    }
}

fn identifiers(ids: &[&DocId], primary: usize) -> Vec<Identifier> {
    ids.iter()
        .enumerate()
        .filter(|(index, _)| *index != primary)
        .filter_map(|(_, id)| {
            Some(Identifier {
                kind: text(&id.kind).unwrap_or_else(|| "other".to_owned()),
                value: id.value()?,
            })
        })
        .collect()
}

fn publishers(item: &Item) -> Vec<String> {
    let mut found = Vec::new();
    for contributor in item.contributor.iter() {
        let is_publisher = contributor
            .role
            .iter()
            .any(|role| text(&role.kind).as_deref() == Some("publisher"));
        let Some(organization) = contributor.organization.0.as_ref() else {
            continue;
        };
        if !is_publisher {
            continue;
        }
        let name = text(&organization.abbreviation)
            .or_else(|| organization.name.first().and_then(|n| text(&n.content)));
        if let Some(name) = name
            && !found.contains(&name)
        {
            found.push(name);
        }
    }
    found
}

fn titles(elements: &Many<TitleEl>) -> Vec<Title> {
    let mut by_lang: Vec<Title> = Vec::new();
    for title in elements.iter() {
        let Some(content) = text(&title.content) else {
            continue;
        };
        let lang = title
            .language
            .first()
            .and_then(Text::get)
            .map(language_code)
            .unwrap_or_else(|| "en".to_owned());
        let kind = text(&title.kind).unwrap_or_else(|| "main".to_owned());
        let position = match by_lang.iter().position(|t| t.lang == lang) {
            Some(position) => position,
            None => {
                by_lang.push(Title {
                    lang,
                    ..Title::default()
                });
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
            let parts: Vec<&str> = [&title.intro, &title.main, &title.part]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            title.full = parts.join(" - ");
        }
    }
    by_lang.retain(|t| !t.full.is_empty());
    by_lang
}

fn localized(elements: &Many<TitleEl>) -> Vec<LocalizedText> {
    let mut found: Vec<LocalizedText> = Vec::new();
    for entry in elements.iter() {
        let Some(content) = text(&entry.content) else {
            continue;
        };
        let lang = entry
            .language
            .first()
            .and_then(Text::get)
            .map(language_code)
            .unwrap_or_else(|| "en".to_owned());
        if !found.iter().any(|t| t.lang == lang) {
            found.push(LocalizedText {
                lang,
                text: content,
            });
        }
    }
    found
}

fn ics(item: &Item, ext: Option<&Ext>) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    let lists = [
        ext.map(|e| &e.ics),
        Some(&item.ics),
        ext.map(|e| &e.ics_code),
    ];
    for entry in lists.into_iter().flatten().flat_map(Many::iter) {
        if let Some(code) = text(&entry.code)
            && !codes.contains(&code)
        {
            codes.push(code);
        }
    }
    codes
}

fn dates(elements: &Many<DateEl>) -> Dates {
    Dates {
        published: date_of(elements, &["published", "issued"]),
        implemented: date_of(elements, &["implemented"]),
        withdrawn: None,
        confirmed: date_of(elements, &["confirmed"]),
        updated: date_of(elements, &["updated", "corrected"]),
        stable_until: date_of(elements, &["stable-until"]),
    }
}

fn date_of(elements: &Many<DateEl>, kinds: &[&str]) -> Option<String> {
    kinds.iter().find_map(|kind| {
        elements
            .iter()
            .filter(|date| text(&date.kind).as_deref() == Some(kind))
            .find_map(|date| {
                text(&date.value)
                    .or_else(|| text(&date.at))
                    .or_else(|| text(&date.from))
                    .or_else(|| text(&date.on))
            })
    })
}

fn committee(item: &Item, ext: Option<&Ext>) -> Option<Committee> {
    let group = ext
        .and_then(|e| e.editorialgroup.0.as_ref())
        .or(item.editorialgroup.0.as_ref())?;
    let first = group.technical_committee.first()?;
    let id = text(&first.identifier).or_else(|| text(&first.name))?;
    let name = text(&first.name).filter(|name| name != &id);
    Some(Committee { id, name })
}

fn links(item: &Item, ext: Option<&Ext>) -> Vec<Link> {
    let mut found = Vec::new();
    for link in item.link.iter().chain(item.source.iter()) {
        if let Some(url) = text(&link.content) {
            found.push(Link {
                kind: text(&link.kind).unwrap_or_else(|| "src".to_owned()),
                url,
            });
        }
    }
    if let Some(url) = ext.and_then(|e| text(&e.webpage)) {
        found.push(Link {
            kind: "src".to_owned(),
            url,
        });
    }
    found
}

fn status(block: Option<&StatusEl>, flavor: Flavor) -> (Option<String>, Option<Status>) {
    let Some(block) = block else {
        return (None, None);
    };
    let Some(stage) = text(&block.stage) else {
        return (None, None);
    };
    let substage = text(&block.substage);
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
        "published" | "valid" | "active" | "in-force" | "in force" | "new" | "current" => {
            Status::Published
        }
        "revised" | "replaced" => Status::Replaced,
        "withdrawn" | "withdrawal" | "cancelled" | "obsolete" => Status::Withdrawn,
        "confirmed" => Status::Confirmed,
        "replaces" => Status::Published,
        "draft" | "under development" => Status::UnderDevelopment,
        _ => return None,
    })
}

fn doc_type(item: &Item, ext: Option<&Ext>, parsed: Option<&Designation>) -> Option<DocType> {
    if let Some(last) = parsed.and_then(|d| d.supplements.last()) {
        let kind = last.kind.rsplit(' ').next().unwrap_or_default();
        match kind {
            "AMD" | "DAM" | "FDAM" | "PDAM" => return Some(DocType::Amendment),
            "COR" | "DCOR" | "FDCOR" => return Some(DocType::Corrigendum),
            "ADD" | "SUPPL" | "EXT" | "ISH" | "EXPL" | "ERR" => return Some(DocType::Supplement),
            _ => {}
        }
    }
    let declared = ext
        .and_then(|e| text(&e.doctype))
        .or_else(|| text(&item.doctype))?;
    Some(match declared.as_str() {
        "international-standard"
        | "japanese-industrial-standard"
        | "interstate"
        | "national"
        | "standard" => DocType::Standard,
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

fn scope_and_country(flavor: Flavor, ext: Option<&Ext>) -> (Option<Scope>, Option<String>) {
    match flavor {
        Flavor::Iso | Flavor::Iec | Flavor::Itu => (Some(Scope::International), None),
        Flavor::Jis => (Some(Scope::National), Some("JP".to_owned())),
        Flavor::Easc => (Some(Scope::Regional), None),
        Flavor::Gost => {
            let interstate = ext.and_then(|e| text(&e.doctype)).as_deref() == Some("interstate");
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
fn relations(
    item: &Item,
    ids: &[&DocId],
    parsed: Option<&Designation>,
    flavor: Flavor,
) -> Vec<Relation> {
    let own_key = parsed.map(Designation::key);
    let mut found: Vec<Relation> = Vec::new();
    for relation in item.relation.iter() {
        let Some(kind) = text(&relation.kind) else {
            continue;
        };
        let Some(target) = relation.bibitem.0.as_ref().and_then(relation_target) else {
            continue;
        };
        let kind = match kind.as_str() {
            "obsoletes" | "replaces" => Some(RelationKind::Replaces),
            "obsoletedBy" | "replacedBy" => Some(RelationKind::ReplacedBy),
            "updates" if flavor == Flavor::Iso || flavor == Flavor::Other => {
                Some(update_kind(&target, own_key.as_deref()))
            }
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
            push(
                &mut found,
                Relation {
                    kind,
                    target,
                    degree: None,
                    catalogue: None,
                },
            );
        }
    }
    if let Some(parsed) = parsed
        && let Some(base) = parsed.base()
    {
        let kind = match parsed.supplements.last().map(|s| s.kind.as_str()) {
            Some("COR") => RelationKind::Corrects,
            _ => RelationKind::Amends,
        };
        push(
            &mut found,
            Relation {
                kind,
                target: base.to_string(),
                degree: None,
                catalogue: None,
            },
        );
    }
    // ITU recommendations published as common text with ISO/IEC carry the ISO/IEC number.
    if flavor == Flavor::Itu {
        for id in ids {
            if text(&id.kind).as_deref() == Some("ISO")
                && let Some(target) = id.value()
            {
                push(
                    &mut found,
                    Relation {
                        kind: RelationKind::Equivalent,
                        target,
                        degree: None,
                        catalogue: None,
                    },
                );
            }
        }
    }
    found
}

fn update_kind(target: &str, own_key: Option<&str>) -> RelationKind {
    let Ok(parsed) = Designation::parse(target) else {
        return RelationKind::ReplacedBy;
    };
    let is_own_supplement =
        parsed.base().map(|base| base.key()).as_deref() == own_key && own_key.is_some();
    if !is_own_supplement {
        return RelationKind::ReplacedBy;
    }
    match parsed.supplements.last().map(|s| s.kind.as_str()) {
        Some("COR") => RelationKind::CorrectedBy,
        _ => RelationKind::AmendedBy,
    }
}

fn relation_target(bibitem: &BibItem) -> Option<String> {
    let ids: Vec<&DocId> = bibitem
        .docid
        .iter()
        .chain(bibitem.docidentifier.iter())
        .collect();
    let primary = ids
        .iter()
        .find(|id| id.is_primary())
        .or_else(|| ids.first());
    primary
        .and_then(|id| id.value())
        .or_else(|| text(&bibitem.formattedref))
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
        let Ok(record) = standard_from_item(&item) else {
            panic!("must read")
        };
        assert_eq!(record.designation, "ISO 9001:2015");
        assert_eq!(
            record.title("en"),
            Some("Quality management systems - Requirements")
        );
        assert_eq!(
            record.title("fr"),
            Some("Systèmes de management de la qualité - Exigences")
        );
        assert_eq!(record.status, Some(Status::Published));
        assert_eq!(record.stage.as_deref(), Some("90.92"));
        assert_eq!(record.ics, ["03.120.10"]);
        assert_eq!(record.edition.as_deref(), Some("5"));
        assert_eq!(record.dates.published.as_deref(), Some("2015-09"));
        assert_eq!(
            record.committee.map(|c| c.id),
            Some("ISO/TC 176/SC 2".to_owned())
        );
        assert_eq!(record.doc_type, Some(DocType::Standard));
        assert!(record.relations.contains(&Relation {
            kind: RelationKind::Replaces,
            target: "ISO 9001:2008".to_owned(),
            degree: None,
            catalogue: None
        }));
        assert!(
            record
                .relations
                .iter()
                .any(|r| r.kind == RelationKind::AmendedBy)
        );
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
        let Ok(record) = standard_from_item(&item) else {
            panic!("must read")
        };
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
