//! Finding a standard by designation in any spelling, and walking its replacement chain.

use serde::Serialize;
use stdbridge_core::designation::{Designation, fold, parse_candidates};
use stdbridge_storage::{CatalogRepository, ReferenceRepository, RelatedStandard, StoredStandard};

use crate::CatalogError;

/// How a designation query was answered.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    /// The designation named this edition.
    Exact,
    /// The query named no edition; this is the current one.
    CurrentEdition,
}

/// A standard found by designation, with the other editions of the same work.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    /// The standard.
    pub standard: StoredStandard,
    /// How the query matched.
    pub matched: MatchKind,
    /// Every edition of the work in the catalogue, current first (for undated queries).
    pub editions: Vec<String>,
}

/// Finds the standard a designation names. A dated designation gives that edition; an
/// undated one ("ISO 9001") gives the current edition: in force first, then the newest.
pub async fn find<S: CatalogRepository + ?Sized>(
    store: &S,
    query: &str,
) -> Result<Option<Found>, CatalogError> {
    let candidates = parse_candidates(query);
    if candidates.is_empty() {
        let folded = fold(query);
        return Ok(store.by_key(&folded).await?.map(|standard| Found {
            standard,
            matched: MatchKind::Exact,
            editions: Vec::new(),
        }));
    }
    for candidate in &candidates {
        if candidate.is_dated()
            && let Some(standard) = store.by_key(&candidate.key()).await?
        {
            return Ok(Some(Found {
                standard,
                matched: MatchKind::Exact,
                editions: Vec::new(),
            }));
        }
    }
    for candidate in candidates.iter().filter(|c| !c.is_dated()) {
        let mut editions = store.by_undated_key(&candidate.undated_key()).await?;
        if editions.is_empty() {
            continue;
        }
        editions.sort_by_key(currency);
        let names = editions
            .iter()
            .map(|e| e.record.designation.clone())
            .collect();
        let standard = editions.swap_remove(0);
        return Ok(Some(Found {
            standard,
            matched: MatchKind::CurrentEdition,
            editions: names,
        }));
    }
    Ok(None)
}

/// Sort key: in force before withdrawn before drafts, final documents before drafts,
/// newer before older.
fn currency(standard: &StoredStandard) -> (u8, bool, std::cmp::Reverse<u16>, String) {
    let record = &standard.record;
    let parsed = Designation::parse(&record.designation).ok();
    let draft = parsed.as_ref().is_some_and(Designation::is_draft);
    let rank = record.status.map_or(2, |s| s.currency_rank());
    let year = record.year().unwrap_or(0);
    (
        rank,
        draft,
        std::cmp::Reverse(year),
        record.designation.clone(),
    )
}

/// One step of a replacement chain.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainLink {
    /// The designation.
    pub designation: String,
    /// Whether the catalogue holds it.
    pub in_catalogue: bool,
}

/// The chain of editions this standard replaced, newest first ("ISO 9001:2015" → 2008 →
/// 2000 → 1994 → 1987), or, with `forward`, the editions that replaced it. At each step
/// the chain follows the same work (same undated designation) when it can, else any
/// final document; drafts and supplements stay in the relations list.
pub async fn replacement_chain<S: CatalogRepository + ?Sized>(
    store: &S,
    start: &StoredStandard,
    forward: bool,
) -> Result<Vec<ChainLink>, CatalogError> {
    let wanted = if forward { "replaced-by" } else { "replaces" };
    let mut chain = Vec::new();
    let mut seen = vec![start.key.clone()];
    let mut current = start.clone();
    for _ in 0..64 {
        let related = store.relations_of(&current).await?;
        let Some(next) = pick_next(&current, &related, wanted) else {
            break;
        };
        let key = Designation::parse(&next.designation)
            .map(|d| d.key())
            .unwrap_or_else(|_| fold(&next.designation));
        if seen.contains(&key) {
            break;
        }
        seen.push(key.clone());
        let stored = store.by_key(&key).await?;
        chain.push(ChainLink {
            designation: next.designation.clone(),
            in_catalogue: stored.is_some(),
        });
        match stored {
            Some(stored) => current = stored,
            None => break,
        }
    }
    Ok(chain)
}

fn pick_next<'a>(
    current: &StoredStandard,
    related: &'a [RelatedStandard],
    wanted: &str,
) -> Option<&'a RelatedStandard> {
    let own_work = Designation::parse(&current.record.designation)
        .ok()
        .map(|d| d.undated_key());
    let finals: Vec<(&RelatedStandard, Option<Designation>)> = related
        .iter()
        .filter(|r| r.kind == wanted)
        .map(|r| (r, Designation::parse(&r.designation).ok()))
        .filter(|(_, d)| {
            d.as_ref()
                .is_none_or(|d| !d.is_draft() && d.supplements.is_empty())
        })
        .collect();
    let newest = |items: Vec<&(&'a RelatedStandard, Option<Designation>)>| {
        items
            .into_iter()
            .max_by_key(|(_, d)| d.as_ref().and_then(Designation::year))
            .map(|(r, _)| *r)
    };
    let same_work: Vec<_> = finals
        .iter()
        .filter(|(_, d)| d.as_ref().map(|d| d.undated_key()) == own_work && own_work.is_some())
        .collect();
    newest(same_work).or_else(|| newest(finals.iter().collect()))
}

/// One member of a standard's family of equivalents across countries.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Equivalent {
    /// The designation.
    pub designation: String,
    /// Country of a national standard; `None` for an international one.
    pub country: Option<String>,
    /// How it relates to the international standard: `IDT`, `MOD`, `NEQ`, `EQV`, or
    /// `international` for the international standard itself and its common texts.
    pub degree: String,
    /// The international standard it corresponds to.
    pub via: String,
}

/// Every standard, in every country, that corresponds to the same international
/// standard as this one: the international standards it adopts (or itself, when it is
/// one, with its common texts such as ITU-T X.509 = ISO/IEC 9594-8), and every standard
/// that adopts them, with its degree.
pub async fn equivalents<S: CatalogRepository + ?Sized>(
    store: &S,
    standard: &StoredStandard,
) -> Result<Vec<Equivalent>, CatalogError> {
    let record = &standard.record;
    let international = record.scope == Some(stdbridge_core::Scope::International)
        || record.country.is_none()
            && record
                .relations
                .iter()
                .all(|r| r.kind != stdbridge_core::RelationKind::Adopts);
    let mut anchors: Vec<String> = Vec::new();
    if international {
        anchors.push(record.designation.clone());
    }
    for relation in &record.relations {
        let kind = relation.kind;
        if kind == stdbridge_core::RelationKind::Adopts
            || international && kind == stdbridge_core::RelationKind::Equivalent
        {
            anchors.push(relation.target.clone());
        }
    }
    let own_is_supplement =
        Designation::parse(&record.designation).is_ok_and(|d| !d.supplements.is_empty());
    let is_supplement = |designation: &str| {
        Designation::parse(designation).is_ok_and(|d| !d.supplements.is_empty())
    };
    let mut found: Vec<Equivalent> = Vec::new();
    let push = |item: Equivalent, found: &mut Vec<Equivalent>| {
        let wanted = item.designation != record.designation
            && (own_is_supplement || !is_supplement(&item.designation))
            && !found.iter().any(|f| f.designation == item.designation);
        if wanted {
            found.push(item);
        }
    };
    for anchor in &anchors {
        // An undated reference ("ISO/IEC 9594-8") stands for the current edition.
        let resolved = find(store, anchor).await?.map(|found| found.standard);
        let via = resolved
            .as_ref()
            .map_or_else(|| anchor.clone(), |s| s.record.designation.clone());
        push(
            Equivalent {
                designation: via.clone(),
                country: None,
                degree: "international".to_owned(),
                via: via.clone(),
            },
            &mut found,
        );
        // Adoptions of this edition, and current standards that cite the work undated.
        let mut keys = vec![(
            Designation::parse(&via)
                .map(|d| d.key())
                .unwrap_or_else(|_| fold(&via)),
            false,
        )];
        if let Ok(parsed) = Designation::parse(&via) {
            keys.push((parsed.undated_key(), true));
        }
        for (key, undated) in keys {
            for adopter in store.adopters_of(&key).await? {
                let current = matches!(
                    adopter.status.as_deref(),
                    None | Some("published" | "confirmed")
                );
                if undated && !current {
                    continue;
                }
                let degree = match (adopter.kind.as_str(), adopter.degree) {
                    (_, Some(degree)) => degree,
                    ("equivalent", None) => "international".to_owned(),
                    _ => "unknown".to_owned(),
                };
                push(
                    Equivalent {
                        designation: adopter.designation,
                        country: adopter.country,
                        degree,
                        via: via.clone(),
                    },
                    &mut found,
                );
            }
        }
    }
    Ok(found)
}

/// Everything known of one standard, relations resolved: what `stdbridge show --json`
/// prints and the HTTP API answers.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandardView {
    /// The record's own fields.
    #[serde(flatten)]
    pub record: stdbridge_core::Standard,
    /// Its designation key.
    pub key: String,
    /// A Chinese standard's nature from its prefix: `mandatory` (GB), `recommended`
    /// (GB/T, sector /T), `guidance` (GB/Z); absent for other standards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nature: Option<stdbridge_core::Nature>,
    /// How the query matched.
    #[serde(rename = "match")]
    pub matched: MatchKind,
    /// Every edition of the work, current first.
    pub editions: Vec<String>,
    /// Relations in both directions, resolved to the standards stored (the record's own
    /// `relations` are as its source gave them).
    #[serde(rename = "related")]
    pub relations: Vec<stdbridge_storage::RelatedStandard>,
    /// Names of the mutual-recognition catalogues it belongs to.
    pub mutual_recognition: Vec<String>,
    /// What it replaces, newest first, to the first edition.
    pub replaces_chain: Vec<ChainLink>,
    /// What replaced it, to the current edition.
    pub replaced_by_chain: Vec<ChainLink>,
    /// The standard across countries: the international one and all that adopt it.
    pub equivalents: Vec<Equivalent>,
    /// The sources that contributed.
    pub sources: Vec<String>,
    /// ICS codes with their English and Chinese titles.
    pub ics_titles: Vec<IcsTitle>,
    /// CCS codes with their Chinese and English names.
    pub ccs_names: Vec<CcsName>,
}

/// An ICS code and its title.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IcsTitle {
    /// The code.
    pub code: String,
    /// Its English title, if the reference data has it.
    pub title: Option<String>,
    /// Its Chinese title, if the reference data has it.
    pub title_zh: Option<String>,
}

/// A CCS code and its names.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CcsName {
    /// The code.
    pub code: String,
    /// Chinese name.
    pub zh: Option<String>,
    /// English name.
    pub en: Option<String>,
}

/// Finds the standard `query` names and resolves everything about it.
pub async fn standard_view<S: CatalogRepository + ReferenceRepository + ?Sized>(
    store: &S,
    query: &str,
) -> Result<Option<StandardView>, CatalogError> {
    let Some(found) = find(store, query).await? else {
        return Ok(None);
    };
    let relations = store.relations_of(&found.standard).await?;
    let mut mutual_recognition: Vec<String> = relations
        .iter()
        .filter(|r| r.kind == "mutual-recognition")
        .filter_map(|r| r.catalogue.clone())
        .collect();
    mutual_recognition.sort_unstable();
    mutual_recognition.dedup();
    let replaces_chain = replacement_chain(store, &found.standard, false).await?;
    let replaced_by_chain = replacement_chain(store, &found.standard, true).await?;
    let equivalents = equivalents(store, &found.standard).await?;
    let mut ics_titles = Vec::new();
    for code in &found.standard.record.ics {
        let titles = store.ics_titles(code).await?.unwrap_or_default();
        ics_titles.push(IcsTitle {
            code: code.clone(),
            title: titles.get("en").cloned(),
            title_zh: titles.get("zh").cloned(),
        });
    }
    let mut ccs_names = Vec::new();
    for code in &found.standard.record.ccs {
        let names = store.ccs_names(code).await?;
        ccs_names.push(CcsName {
            code: code.clone(),
            zh: names.as_ref().map(|n| n.0.clone()),
            en: names.map(|n| n.1),
        });
    }
    let nature = stdbridge_core::Designation::parse(&found.standard.record.designation)
        .ok()
        .and_then(|designation| designation.nature());
    Ok(Some(StandardView {
        nature,
        record: found.standard.record,
        key: found.standard.key,
        matched: found.matched,
        editions: found.editions,
        relations,
        mutual_recognition,
        replaces_chain,
        replaced_by_chain,
        equivalents,
        sources: found.standard.sources,
        ics_titles,
        ccs_names,
    }))
}
