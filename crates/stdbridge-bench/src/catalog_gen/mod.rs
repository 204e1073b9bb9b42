//! A deterministic generator of catalogues at any scale (`stdbridge gen-catalog`), for
//! benchmarks and load tests. The same record count and seed give the same catalogue,
//! byte for byte.
//!
//! The records follow the counts of the real data (`demo/profile/catalog-profile.json`,
//! made by `examples/derive_profile.rs`): per family of designations, the distribution of
//! publication years, statuses, document types, ICS fields, title lengths, editions per
//! work, parts per series and amendments; title words with their real frequencies
//! (English and French from ISO titles, Chinese from Chinese standards and CCS names).
//! Publishers are 6 international and regional bodies and 59 countries ([`issuers`]);
//! national and regional standards adopt generated ISO/IEC standards with a degree.
//! Every record carries a note saying it is synthetic.

pub mod issuers;
mod lexicon;

use std::collections::{HashMap, HashSet};

use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use stdbridge_core::{
    Committee, Degree, DocType, Relation, RelationKind, Scope, Standard, Status, Title,
};

use issuers::{CHINA_PREFIXES, ISSUERS, Issuer, Pattern};

const PROFILE: &str = include_str!("../../../../demo/profile/catalog-profile.json");
const ICS_CSV: &str = include_str!("../../../../demo/reference/ICS.csv");
const CCS_CSV: &str = include_str!("../../../../demo/reference/ccs-level3.csv");

/// Title words that name a deliverable, not a topic.
const NOT_TOPIC: &[&str] = &[
    "part",
    "amendment",
    "corrigendum",
    "partie",
    "technical",
    "iso",
    "iec",
];

/// Words that do not start or end a title.
const FUNCTION_WORDS: &[&str] = &[
    "and", "of", "for", "the", "in", "to", "with", "on", "by", "from", "at", "an", "a", "or", "et",
    "de", "des", "du", "la", "le", "les", "pour", "en", "à", "d'", "l'", "и", "для", "für", "und",
    "von", "para", "y",
];

/// Counts of one real family of designations.
#[derive(Debug, Deserialize)]
struct FamilyProfile {
    years: Vec<(u16, u64)>,
    status: Vec<(String, u64)>,
    doc_types: Vec<(String, u64)>,
    ics_fields: Vec<(String, u64)>,
    title_words: Vec<(usize, u64)>,
    editions_per_work: Vec<(u64, u64)>,
    parts_per_series: Vec<(u64, u64)>,
    part_share: f64,
    supplement_share: f64,
}

#[derive(Debug, Deserialize)]
struct Profile {
    families: HashMap<String, FamilyProfile>,
    words: HashMap<String, Vec<(String, u64)>>,
}

/// Errors of the generator.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The embedded profile is unusable (a build defect, reported rather than hidden).
    #[error("generator profile: {0}")]
    Profile(String),
    /// The records could not be written.
    #[error("writing generated records: {0}")]
    Write(#[from] std::io::Error),
}

/// Values drawn with the weights they were given.
struct Weighted<T> {
    values: Vec<T>,
    index: WeightedIndex<f64>,
}

impl<T: Clone> Weighted<T> {
    fn new(pairs: impl IntoIterator<Item = (T, f64)>) -> Result<Self, GenerateError> {
        let (values, weights): (Vec<T>, Vec<f64>) = pairs.into_iter().unzip();
        let index = WeightedIndex::new(&weights)
            .map_err(|e| GenerateError::Profile(format!("weights: {e}")))?;
        Ok(Weighted { values, index })
    }

    fn draw(&self, rng: &mut ChaCha8Rng) -> T {
        self.values[self.index.sample(rng)].clone()
    }
}

/// A family's counts, ready to draw from.
struct FamilySampler {
    years: Weighted<u16>,
    current_status: Weighted<Status>,
    doc_types: Weighted<Option<DocType>>,
    /// None for families without ICS codes (ITU, EASC).
    ics_fields: Option<Weighted<String>>,
    title_words: Weighted<usize>,
    editions: Weighted<u64>,
    parts: Weighted<u64>,
    part_share: f64,
    supplement_share: f64,
}

fn counted<T: Clone>(name: &str, pairs: Vec<(T, u64)>) -> Result<Weighted<T>, GenerateError> {
    if pairs.is_empty() {
        return Err(GenerateError::Profile(format!("{name}: no counts")));
    }
    Weighted::new(pairs.into_iter().map(|(v, c)| (v, c as f64)))
}

impl FamilySampler {
    fn new(name: &str, family: FamilyProfile) -> Result<Self, GenerateError> {
        let status = family
            .status
            .into_iter()
            .filter_map(|(s, c)| {
                let status: Status = serde_json::from_value(serde_json::Value::String(s)).ok()?;
                // Older editions are the ones replaced; the newest takes the other statuses.
                (status != Status::Replaced).then_some((status, c))
            })
            .collect();
        let doc_types = family
            .doc_types
            .into_iter()
            .map(|(d, c)| (serde_json::from_value(serde_json::Value::String(d)).ok(), c))
            // Amendments are made as such; the EASC sample holds only rules (PMG, RMG),
            // while the countries that follow its counts publish standards.
            .filter(|(d, _)| {
                !matches!(
                    d,
                    Some(DocType::Amendment | DocType::Corrigendum | DocType::Rules)
                )
            })
            .collect::<Vec<_>>();
        let doc_types = if doc_types.is_empty() {
            vec![(Some(DocType::Standard), 1)]
        } else {
            doc_types
        };
        let ics_fields = family
            .ics_fields
            .into_iter()
            .filter(|(field, _)| field.len() == 2)
            .collect();
        Ok(FamilySampler {
            years: counted(&format!("{name}.years"), family.years)?,
            current_status: counted(&format!("{name}.status"), status)?,
            doc_types: counted(&format!("{name}.doc_types"), doc_types)?,
            ics_fields: counted(&format!("{name}.ics_fields"), ics_fields).ok(),
            title_words: counted(&format!("{name}.title_words"), family.title_words)?,
            editions: counted(
                &format!("{name}.editions_per_work"),
                family.editions_per_work,
            )?,
            parts: counted(&format!("{name}.parts_per_series"), family.parts_per_series)
                .or_else(|_| Weighted::new([(1, 1.0)]))?,
            part_share: family.part_share,
            supplement_share: family.supplement_share,
        })
    }
}

/// An international standard that national and regional ones can adopt.
struct Adoptable {
    designation: String,
    undated: String,
    titles: Vec<Title>,
    ics: Vec<String>,
    year: u16,
}

/// What a run produced.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct GenerateSummary {
    /// Records written.
    pub records: usize,
    /// Records per publisher.
    pub by_body: std::collections::BTreeMap<String, usize>,
    /// Records that adopt an international standard.
    pub adoptions: usize,
    /// Relations written (replacements, amendments, adoptions).
    pub relations: usize,
}

/// The generator's state: random source, samplers and what was already made.
pub struct Generator {
    rng: ChaCha8Rng,
    seed: u64,
    families: HashMap<String, FamilySampler>,
    words: HashMap<String, Weighted<String>>,
    issuers: Weighted<usize>,
    china: Weighted<usize>,
    number_span: Vec<u32>,
    ics: HashMap<String, Vec<String>>,
    ccs: Vec<String>,
    used: HashSet<String>,
    pool: Vec<Adoptable>,
}

impl Generator {
    /// A generator for about `records` records from `seed`.
    pub fn new(records: usize, seed: u64) -> Result<Generator, GenerateError> {
        let profile: Profile =
            serde_json::from_str(PROFILE).map_err(|e| GenerateError::Profile(e.to_string()))?;
        let mut families = HashMap::new();
        for (name, family) in profile.families {
            families.insert(name.clone(), FamilySampler::new(&name, family)?);
        }
        let mut words = HashMap::new();
        for (lang, counts) in profile.words {
            words.insert(lang.clone(), counted(&format!("words.{lang}"), counts)?);
        }
        for lang in ["de", "ru", "ja", "es"] {
            if let Some(list) = lexicon::words(lang) {
                // A flattened Zipf's law over the list, most frequent first.
                let zipf = list
                    .iter()
                    .enumerate()
                    .map(|(rank, w)| ((*w).to_owned(), 1.0 / (rank as f64 + 1.0).sqrt()));
                words.insert(lang.to_owned(), Weighted::new(zipf)?);
            }
        }
        for issuer in &ISSUERS {
            if !families.contains_key(issuer.family) {
                return Err(GenerateError::Profile(format!(
                    "no family {:?} for {}",
                    issuer.family, issuer.body
                )));
            }
        }
        let total: u64 = ISSUERS.iter().map(|i| u64::from(i.weight)).sum();
        let number_span = ISSUERS
            .iter()
            .map(|i| {
                let share = records as u64 * u64::from(i.weight) / total.max(1);
                u32::try_from(share.saturating_mul(2).max(999)).unwrap_or(u32::MAX / 2)
            })
            .collect();
        Ok(Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            seed,
            families,
            words,
            issuers: Weighted::new(
                ISSUERS
                    .iter()
                    .enumerate()
                    .map(|(n, i)| (n, f64::from(i.weight))),
            )?,
            china: Weighted::new(
                CHINA_PREFIXES
                    .iter()
                    .enumerate()
                    .map(|(n, p)| (n, f64::from(p.3))),
            )?,
            number_span,
            ics: ics_codes_by_field(),
            ccs: ccs_codes(),
            used: HashSet::new(),
            pool: Vec::new(),
        })
    }

    /// Generates `records` records, giving each to `emit` in order.
    pub fn generate(
        &mut self,
        records: usize,
        mut emit: impl FnMut(Standard) -> std::io::Result<()>,
    ) -> Result<GenerateSummary, GenerateError> {
        let mut summary = GenerateSummary::default();
        while summary.records < records {
            let issuer = self.issuers.draw(&mut self.rng);
            for record in self.series(issuer) {
                if summary.records == records {
                    break;
                }
                summary.records += 1;
                summary.relations += record.relations.len();
                if record
                    .relations
                    .iter()
                    .any(|r| r.kind == RelationKind::Adopts)
                {
                    summary.adoptions += 1;
                }
                for body in &record.publishers {
                    *summary.by_body.entry(body.clone()).or_default() += 1;
                }
                emit(record)?;
            }
        }
        Ok(summary)
    }

    /// One work or series of parts of one issuer, every edition and amendment.
    fn series(&mut self, issuer_index: usize) -> Vec<Standard> {
        let issuer = ISSUERS[issuer_index];
        let (prefix, scope, body) = self.prefix_of(&issuer);
        let (part_share, supplement_share) = {
            let family = &self.families[issuer.family];
            (family.part_share, family.supplement_share)
        };
        let adopted = self.adoption(&issuer);
        let degree = adopted.as_ref().map(|_| self.degree());
        let parts = if adopted.is_none() && self.rng.random_bool(part_share.clamp(0.0, 1.0)) {
            let family = &self.families[issuer.family];
            family.parts.draw(&mut self.rng).clamp(1, 12) as u32
        } else {
            0
        };
        let Some(number) =
            self.main_number(issuer_index, &issuer, &prefix, adopted.as_ref(), degree)
        else {
            return Vec::new();
        };
        let topic = self.topic(&issuer);
        let ics = match &adopted {
            Some(a) => self.pool[*a].ics.clone(),
            None => self.pick_ics(issuer.family),
        };
        let mut out = Vec::new();
        let part_list: Vec<Option<u32>> = if parts == 0 {
            vec![None]
        } else {
            (1..=parts).map(Some).collect()
        };
        for part in part_list {
            let work = Work {
                issuer,
                prefix: prefix.clone(),
                scope,
                body: body.clone(),
                number: number.clone(),
                part,
                titles: self.titles(&topic, part, adopted.as_ref()),
                ics: ics.clone(),
            };
            let editions = self.editions(&work, adopted.as_ref(), degree);
            if issuer.scope == Scope::International
                && issuer.pattern != Pattern::Itu
                && let Some(newest) = editions.last()
            {
                self.pool.push(Adoptable {
                    designation: newest.designation.clone(),
                    undated: format!("{} {}", work.prefix, work.undated()),
                    titles: newest.titles.clone(),
                    ics: newest.ics.clone(),
                    year: newest.year().unwrap_or(2000),
                });
            }
            let amendments = self.amendments(&work, &editions, supplement_share);
            out.extend(editions);
            out.extend(amendments);
        }
        out
    }

    fn prefix_of(&mut self, issuer: &Issuer) -> (String, Scope, String) {
        if issuer.country == Some("CN") {
            let (prefix, scope, body, _) = CHINA_PREFIXES[self.china.draw(&mut self.rng)];
            return (prefix.to_owned(), scope, body.to_owned());
        }
        (
            issuer.prefix.to_owned(),
            issuer.scope,
            issuer.body.to_owned(),
        )
    }

    /// An international work to adopt, for regional and national issuers now and then.
    fn adoption(&mut self, issuer: &Issuer) -> Option<usize> {
        let share = match (issuer.scope, issuer.country) {
            (Scope::International, _) => return None,
            (Scope::Regional, _) => 0.5,
            (_, Some("CN")) => 0.2,
            _ => 0.3,
        };
        if self.pool.is_empty() || !self.rng.random_bool(share) {
            return None;
        }
        Some(self.rng.random_range(0..self.pool.len()))
    }

    fn degree(&mut self) -> Degree {
        match self.rng.random_range(0..10) {
            0..6 => Degree::Identical,
            6..9 => Degree::Modified,
            _ => Degree::NotEquivalent,
        }
    }

    /// The main number of a new work (`9001`, `X 0208`, `H.264`), unique for its prefix.
    /// Identical adoptions by bodies that write `BS ISO 9001` take the adopted number.
    fn main_number(
        &mut self,
        issuer_index: usize,
        issuer: &Issuer,
        prefix: &str,
        adopted: Option<&usize>,
        degree: Option<Degree>,
    ) -> Option<String> {
        if let (Some(adopted), Some(Degree::Identical), Pattern::Colon) =
            (adopted, degree, issuer.pattern)
        {
            let undated = self.pool[*adopted].undated.clone();
            let candidate = format!("{prefix} {undated}");
            return self.used.insert(candidate.clone()).then_some(undated);
        }
        for _ in 0..50 {
            let span = self.number_span[issuer_index];
            let number = issuer.first_number + self.rng.random_range(0..span);
            let text = match issuer.pattern {
                Pattern::Letter => {
                    let letters = b"ABCDEFGHKLMPQRSTWXZ";
                    let letter = letters[self.rng.random_range(0..letters.len())] as char;
                    format!("{letter} {:04}", number % 10_000)
                }
                Pattern::Itu => {
                    let letters = b"ABDEFGHIJKLMPQTVXYZ";
                    let letter = letters[self.rng.random_range(0..letters.len())] as char;
                    format!("{letter}.{}", number % 9_999 + 1)
                }
                _ => number.to_string(),
            };
            if self.used.insert(format!("{prefix} {text}")) {
                return Some(text);
            }
        }
        None
    }

    /// The words a work's titles are made of, per language: an introduction and a main
    /// element.
    fn topic(&mut self, issuer: &Issuer) -> Vec<(String, String, String)> {
        let length = self.families[issuer.family]
            .title_words
            .draw(&mut self.rng)
            .clamp(2, 20);
        let intro_length = (length / 3).max(1);
        issuer
            .languages
            .iter()
            .map(|lang| {
                let scale = if matches!(*lang, "zh" | "ja") {
                    0.6
                } else {
                    1.0
                };
                let intro = ((intro_length as f64 * scale).ceil() as usize).max(1);
                let main = (((length - intro_length) as f64 * scale).ceil() as usize).max(1);
                (
                    (*lang).to_owned(),
                    self.phrase(lang, intro),
                    self.phrase(lang, main),
                )
            })
            .collect()
    }

    fn phrase(&mut self, lang: &str, words: usize) -> String {
        let Some(sampler) = self.words.get(lang).or_else(|| self.words.get("en")) else {
            return String::new();
        };
        let mut drawn: Vec<String> = Vec::with_capacity(words);
        while drawn.len() < words {
            let word = sampler.draw(&mut self.rng);
            let edge = drawn.is_empty() || drawn.len() + 1 == words;
            // Words that name a deliverable's kind are not topic words, and a title
            // neither starts nor ends with a function word.
            if NOT_TOPIC.contains(&word.as_str())
                || (edge && FUNCTION_WORDS.contains(&word.as_str()))
            {
                continue;
            }
            drawn.push(word);
        }
        let joined = if matches!(lang, "zh" | "ja") {
            drawn.concat()
        } else {
            drawn.join(" ")
        };
        capitalized(&joined)
    }

    fn titles(
        &mut self,
        topic: &[(String, String, String)],
        part: Option<u32>,
        adopted: Option<&usize>,
    ) -> Vec<Title> {
        let mut titles = Vec::new();
        for (n, (lang, intro, main)) in topic.iter().enumerate() {
            // The first language always; the others most of the time.
            if n > 0 && !self.rng.random_bool(0.85) {
                continue;
            }
            let separator = if matches!(lang.as_str(), "zh" | "ja") {
                " "
            } else {
                " — "
            };
            let mut full = format!("{intro}{separator}{main}");
            let mut part_text = None;
            if let Some(part) = part {
                let words = self.rng.random_range(1..5);
                let sub = self.phrase(lang, words);
                let label = lexicon::part_label(lang, part);
                full = format!("{full}{separator}{label}{sub}");
                part_text = Some(format!("{label}{sub}"));
            }
            titles.push(Title {
                lang: lang.clone(),
                full,
                intro: Some(intro.clone()),
                main: Some(main.clone()),
                part: part_text,
            });
        }
        if let Some(adopted) = adopted {
            // An adoption takes the adopted standard's titles in the languages they share,
            // and keeps its own in the others.
            let adopted = &self.pool[*adopted].titles;
            titles.retain(|own| !adopted.iter().any(|t| t.lang == own.lang));
            titles.extend(adopted.iter().cloned());
        }
        titles
    }

    fn pick_ics(&mut self, family: &str) -> Vec<String> {
        let Some(fields) = &self.families[family].ics_fields else {
            return Vec::new();
        };
        let field = fields.draw(&mut self.rng);
        match self.ics.get(&field) {
            Some(codes) if !codes.is_empty() => {
                vec![codes[self.rng.random_range(0..codes.len())].clone()]
            }
            _ => vec![field],
        }
    }

    /// The editions of one work, oldest first; each replaces the one before.
    fn editions(
        &mut self,
        work: &Work,
        adopted: Option<&usize>,
        degree: Option<Degree>,
    ) -> Vec<Standard> {
        let family = &self.families[work.issuer.family];
        let count = family.editions.draw(&mut self.rng).clamp(1, 8) as usize;
        let mut newest = family.years.draw(&mut self.rng).clamp(1950, 2026);
        if let Some(adopted) = adopted {
            // An adoption follows the adopted edition.
            let since = self.pool[*adopted].year;
            newest = newest.max(since.saturating_add(1)).min(2026);
        }
        let status = family.current_status.draw(&mut self.rng);
        let doc_type = family.doc_types.draw(&mut self.rng);
        let mut years = vec![newest];
        for _ in 1..count {
            let previous = years.last().copied().unwrap_or(newest);
            let gap = self.rng.random_range(3..11);
            if previous < 1950 + gap {
                break;
            }
            years.push(previous - gap);
        }
        years.reverse();
        let designations: Vec<String> = years
            .iter()
            .map(|y| work.dated(*y, &mut self.rng))
            .collect();
        let mut out = Vec::with_capacity(years.len());
        for (n, year) in years.iter().enumerate() {
            let newest = n + 1 == years.len();
            let mut record = work.record(&designations[n], *year, &mut self.rng);
            record.status = Some(if newest { status } else { Status::Replaced });
            record.doc_type = doc_type.or(Some(DocType::Standard));
            record.edition = Some((n + 1).to_string());
            if work.issuer.country == Some("CN") && !self.ccs.is_empty() {
                record.ccs = vec![self.ccs[self.rng.random_range(0..self.ccs.len())].clone()];
            }
            if let Some(previous) = n.checked_sub(1) {
                record
                    .relations
                    .push(relation(RelationKind::Replaces, &designations[previous]));
            }
            if !newest {
                record
                    .relations
                    .push(relation(RelationKind::ReplacedBy, &designations[n + 1]));
            }
            if let (Some(adopted), Some(degree)) = (adopted, degree) {
                let mut adopts = relation(RelationKind::Adopts, &self.pool[*adopted].designation);
                adopts.degree = Some(degree);
                record.relations.push(adopts);
            }
            record.notes.push(format!(
                "synthetic record made by stdbridge gen-catalog (seed {})",
                self.seed
            ));
            out.push(record);
        }
        out
    }

    /// Amendments of ISO- and IEC-style editions, as often as the real family has them.
    fn amendments(&mut self, work: &Work, editions: &[Standard], share: f64) -> Vec<Standard> {
        if work.issuer.pattern != Pattern::Colon || work.scope != Scope::International {
            return Vec::new();
        }
        let chance = (share / (1.0 - share).max(0.01)).clamp(0.0, 1.0);
        let mut out = Vec::new();
        for edition in editions {
            if !self.rng.random_bool(chance) {
                continue;
            }
            let year = edition
                .year()
                .unwrap_or(2000)
                .saturating_add(self.rng.random_range(1..5));
            let designation = format!("{}/Amd 1:{year}", edition.designation);
            let mut record = work.record(&designation, year, &mut self.rng);
            record.doc_type = Some(DocType::Amendment);
            record.status = edition.status;
            record
                .relations
                .push(relation(RelationKind::Amends, &edition.designation));
            record.notes.push(format!(
                "synthetic record made by stdbridge gen-catalog (seed {})",
                self.seed
            ));
            out.push(record);
        }
        out
    }
}

/// One work (or one part of a series) being generated.
struct Work {
    issuer: Issuer,
    prefix: String,
    scope: Scope,
    body: String,
    number: String,
    part: Option<u32>,
    titles: Vec<Title>,
    ics: Vec<String>,
}

impl Work {
    fn undated(&self) -> String {
        let joint = match self.issuer.pattern {
            Pattern::Dash | Pattern::Itu => '.',
            _ => '-',
        };
        match self.part {
            Some(part) => format!("{}{joint}{part}", self.number),
            None => self.number.clone(),
        }
    }

    fn dated(&self, year: u16, rng: &mut ChaCha8Rng) -> String {
        let undated = self.undated();
        let prefix = &self.prefix;
        match self.issuer.pattern {
            Pattern::Colon | Pattern::Letter => format!("{prefix} {undated}:{year}"),
            Pattern::Dash => format!("{prefix} {undated}-{year}"),
            Pattern::Itu => format!("{prefix} {undated} ({:02}/{year})", rng.random_range(1..13)),
        }
    }

    fn record(&self, designation: &str, year: u16, rng: &mut ChaCha8Rng) -> Standard {
        let month = rng.random_range(1..13);
        let day = rng.random_range(1..29);
        let mut record = Standard {
            designation: designation.to_owned(),
            publishers: vec![self.body.clone()],
            country: self.issuer.country.map(str::to_owned),
            scope: Some(self.scope),
            titles: self.titles.clone(),
            ics: self.ics.clone(),
            ..Standard::default()
        };
        record.dates.published = Some(format!("{year}-{month:02}-{day:02}"));
        if self.issuer.country == Some("CN") {
            let implemented_month = (month + 5) % 12 + 1;
            let implemented_year = year + u16::from(month + 6 > 12);
            record.dates.implemented = Some(format!(
                "{implemented_year}-{implemented_month:02}-{day:02}"
            ));
        }
        if matches!(self.body.as_str(), "ISO" | "IEC" | "SAC") {
            let committee = rng.random_range(1..330);
            let owner = if self.body == "SAC" {
                "SAC"
            } else {
                &self.body
            };
            record.committee = Some(Committee {
                id: format!("{owner}/TC {committee}"),
                name: None,
            });
        }
        record
    }
}

fn relation(kind: RelationKind, target: &str) -> Relation {
    Relation {
        kind,
        target: target.to_owned(),
        degree: None,
        catalogue: None,
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// ICS groups and sub-groups by their field, from the embedded ICS.
fn ics_codes_by_field() -> HashMap<String, Vec<String>> {
    let mut by_field: HashMap<String, Vec<String>> = HashMap::new();
    let mut reader = csv::Reader::from_reader(ICS_CSV.trim_start_matches('\u{feff}').as_bytes());
    for row in reader.records().flatten() {
        let code = row.get(0).unwrap_or_default();
        if let Some((field, _)) = code.split_once('.') {
            by_field
                .entry(field.to_owned())
                .or_default()
                .push(code.to_owned());
        }
    }
    by_field
}

/// CCS codes of the third level, from the embedded CCS.
fn ccs_codes() -> Vec<String> {
    let mut reader = csv::Reader::from_reader(CCS_CSV.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .flatten()
        .filter_map(|row| row.get(0).map(str::to_owned))
        .filter(|code| !code.is_empty())
        .collect()
}

/// Generates `records` records from `seed` as JSON Lines of the generic format.
pub fn write_jsonl(
    records: usize,
    seed: u64,
    out: &mut impl std::io::Write,
) -> Result<GenerateSummary, GenerateError> {
    let mut generator = Generator::new(records, seed)?;
    generator.generate(records, |record| {
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")
    })
}

#[cfg(test)]
mod tests;
