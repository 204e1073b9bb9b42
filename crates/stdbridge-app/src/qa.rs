//! Quality checks of translations: XLIFF 1.2/2.x and TMX files, a translated document
//! against its original, or segments given directly (the API). Terms come from the
//! termbases named, cited editions from the catalogue; the checks run on the CPU pool.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::Serialize;
use stdbridge_content::model::plain_text;
use stdbridge_content::{Content, Item};
use stdbridge_core::Status;
use stdbridge_filters::xliff::XliffDocument;
use stdbridge_filters::{FilterOptions, Format, filter_for};
use stdbridge_qa::{
    CheckId, CitedEdition, Finding, Options, Pair, Rules, TermEntry, TermLookup, designations_in,
};
use stdbridge_tm::termbase::TermMatcher;
use stdbridge_tm::tmx::{TmxItem, TmxReader};
use stdbridge_tm::unit::{Inline, Unit};

use crate::authz::{Action, authorize};
use crate::documents::DocumentSource;
use crate::{App, AppError, Principal};

pub use stdbridge_qa::{CheckId as Check, Rules as RuleSet, Severity};

/// Most segments one request may check (the API; files are bounded by their size).
pub const MAX_SEGMENTS: usize = 50_000;

/// Most distinct cited editions looked up in the catalogue per check.
const MAX_LOOKUPS: usize = 2_000;

/// A segment given directly: its source, its target and, optionally, its unit's name.
#[derive(Debug, Clone, Default)]
pub struct TextSegment {
    /// Unit name (default: its position).
    pub unit: Option<String>,
    /// Source text.
    pub source: String,
    /// Target text.
    pub target: String,
}

/// What to check and how.
#[derive(Debug, Clone, Default)]
pub struct QaRequest {
    /// Bilingual files (XLIFF, TMX) or translated documents.
    pub files: Vec<DocumentSource>,
    /// The original of a translated document (one file then).
    pub original: Option<DocumentSource>,
    /// Segments given directly, checked as one file named `segments`.
    pub segments: Vec<TextSegment>,
    /// Source language; default: the file's.
    pub from: Option<String>,
    /// Target language; default: the file's.
    pub to: Option<String>,
    /// Termbases whose terms the translation must use.
    pub termbases: Vec<String>,
    /// Verbal-form rules; default: construction codes for GB 50xxx, JGJ, CJJ and CECS
    /// (told from the file name or the first segments), standards otherwise.
    pub rules: Option<Rules>,
    /// Checks to run (all when empty).
    pub checks: BTreeSet<CheckId>,
}

/// A finding in a file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileFinding {
    /// The file it is in.
    pub file: String,
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
}

/// The findings of a check.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QaReport {
    /// Segments checked.
    pub checked: usize,
    /// Findings, by file and segment.
    pub findings: Vec<FileFinding>,
}

impl QaReport {
    /// Whether any finding is an error (the CLI then exits with status 1).
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.finding.severity == Severity::Error)
    }

    /// Findings of each severity: (errors, warnings).
    pub fn counts(&self) -> (usize, usize) {
        let errors = self
            .findings
            .iter()
            .filter(|f| f.finding.severity == Severity::Error)
            .count();
        (errors, self.findings.len() - errors)
    }
}

/// One file's segments, read.
struct Bilingual {
    name: String,
    pairs: Vec<Pair>,
    source_lang: Option<String>,
    target_lang: Option<String>,
}

/// Checks the files and segments of a request.
pub async fn check(app: &App, who: &Principal, request: QaRequest) -> Result<QaReport, AppError> {
    if !request.termbases.is_empty() {
        crate::access::readable_names(app, who, crate::access::Kind::Termbase, &request.termbases)
            .await
            .map_err(|e| e.with_field("termbases"))?;
    }
    if request.segments.len() > MAX_SEGMENTS {
        return Err(AppError::bad_field(
            "segments",
            format!(
                "{} segments; at most {MAX_SEGMENTS} are checked in one request",
                request.segments.len()
            ),
        ));
    }
    if request.original.is_some() && request.files.len() != 1 {
        return Err(AppError::bad_field(
            "source",
            "an original is compared with one translated document; give one file",
        ));
    }
    let mut files = Vec::new();
    if !request.segments.is_empty() {
        files.push(text_segments(&request.segments));
    }
    for file in &request.files {
        files.push(match &request.original {
            Some(original) => document_pair(original, file)?,
            None => read_bilingual(file)?,
        });
    }
    let mut report = QaReport {
        checked: 0,
        findings: Vec::new(),
    };
    for file in files {
        let options = options_for(&request, &file)?;
        let terms = term_lookup(app, &request, &options).await?;
        let catalog = if authorize(app.config(), who, Action::ReadCatalogue).is_ok() {
            cited_editions(app, &file.pairs).await?
        } else {
            HashMap::new()
        };
        let Bilingual { name, pairs, .. } = file;
        let checked = pairs.len();
        let findings = app
            .cpu(move || {
                let lookup: &dyn TermLookup = &terms;
                stdbridge_qa::check(&pairs, &options, lookup, &catalog)
            })
            .await?;
        report.checked += checked;
        report
            .findings
            .extend(findings.into_iter().map(|finding| FileFinding {
                file: name.clone(),
                finding,
            }));
    }
    Ok(report)
}

fn options_for(request: &QaRequest, file: &Bilingual) -> Result<Options, AppError> {
    let source = request
        .from
        .clone()
        .or_else(|| file.source_lang.clone())
        .ok_or_else(|| {
            AppError::bad_field(
                "from",
                format!("{}: the source language is not stated; give it", file.name),
            )
        })?;
    let target = request
        .to
        .clone()
        .or_else(|| file.target_lang.clone())
        .ok_or_else(|| {
            AppError::bad_field(
                "to",
                format!("{}: the target language is not stated; give it", file.name),
            )
        })?;
    let mut options = Options::new(&source, &target);
    options.rules = request.rules.unwrap_or_else(|| detect_rules(file));
    options.checks = request.checks.clone();
    Ok(options)
}

/// Construction-code rules when the file name or one of the first segments names a
/// construction code as the document's own designation.
fn detect_rules(file: &Bilingual) -> Rules {
    let stem = Path::new(&file.name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if Rules::for_designation(&stem) == Rules::Construction {
        return Rules::Construction;
    }
    for pair in file.pairs.iter().take(3) {
        let text = plain_text(&pair.source);
        if let Some(first) = designations_in(&text).first()
            && Rules::for_designation(&text[first.range.clone()]) == Rules::Construction
        {
            return Rules::Construction;
        }
    }
    Rules::Standards
}

fn text_segments(segments: &[TextSegment]) -> Bilingual {
    let pairs = segments
        .iter()
        .enumerate()
        .map(|(index, segment)| {
            let unit = segment
                .unit
                .clone()
                .unwrap_or_else(|| (index + 1).to_string());
            Pair::text(unit, index + 1, &segment.source, &segment.target)
        })
        .collect();
    Bilingual {
        name: "segments".to_owned(),
        pairs,
        source_lang: None,
        target_lang: None,
    }
}

/// Reads an XLIFF or TMX file into pairs.
fn read_bilingual(file: &DocumentSource) -> Result<Bilingual, AppError> {
    let lower = file.name.to_ascii_lowercase();
    if lower.ends_with(".tmx") || lower.ends_with(".tmx.gz") {
        return read_tmx(file);
    }
    let format = Format::detect(Path::new(&file.name), &file.bytes)?;
    if !matches!(format, Format::Xliff12 | Format::Xliff2) {
        return Err(AppError::bad_field(
            "file",
            format!(
                "{}: a {} document has no translations to check; give its original with --source",
                file.name,
                format.name()
            ),
        ));
    }
    read_xliff(file)
}

fn read_xliff(file: &DocumentSource) -> Result<Bilingual, AppError> {
    let document = XliffDocument::read(&file.bytes, &file.name)?;
    let mut pairs: Vec<Pair> = Vec::new();
    let mut whole_done: BTreeSet<String> = BTreeSet::new();
    for segment in &document.segments {
        let whole = document.whole_targets.get(&segment.unit_id);
        match (whole, &segment.target) {
            (Some(target), None) => {
                // A target for the whole unit of several segments: one pair per unit.
                if !whole_done.insert(segment.unit_id.clone()) {
                    continue;
                }
                let source: Content = document
                    .segments
                    .iter()
                    .filter(|s| s.unit_id == segment.unit_id)
                    .flat_map(|s| s.source.content.iter().cloned())
                    .collect();
                pairs.push(Pair {
                    unit: segment.unit_id.clone(),
                    segment: pairs.len() + 1,
                    source,
                    target: Some(target.clone()),
                });
            }
            _ => pairs.push(Pair {
                unit: segment.unit_id.clone(),
                segment: pairs.len() + 1,
                source: segment.source.content.clone(),
                target: segment.target.clone(),
            }),
        }
    }
    Ok(Bilingual {
        name: file.name.clone(),
        pairs,
        source_lang: document.source_lang.clone(),
        target_lang: document.target_lang.clone(),
    })
}

fn read_tmx(file: &DocumentSource) -> Result<Bilingual, AppError> {
    let text = if file.name.to_ascii_lowercase().ends_with(".gz") {
        let mut decoded = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(file.bytes.as_slice()),
            &mut decoded,
        )
        .map_err(|error| AppError::invalid(format!("{}: not gzip text: {error}", file.name)))?;
        decoded
    } else {
        String::from_utf8(file.bytes.clone()).map_err(|error| {
            AppError::invalid(format!(
                "{}: not UTF-8 (byte {})",
                file.name,
                error.utf8_error().valid_up_to()
            ))
        })?
    };
    let invalid = |error: stdbridge_text::xml::XmlError| AppError::invalid(error.to_string());
    let mut reader = TmxReader::from_str(&text, &file.name).map_err(invalid)?;
    let srclang = reader
        .header()
        .attr("srclang")
        .filter(|lang| !lang.eq_ignore_ascii_case("*all*"))
        .map(str::to_owned);
    let mut units = Vec::new();
    while let Some(item) = reader.next_item().map_err(invalid)? {
        if let TmxItem::Unit(unit, _) = item {
            units.push(unit);
        }
    }
    let source_lang = srclang.or_else(|| {
        units
            .first()
            .and_then(|u| u.variants.first())
            .map(|v| v.lang.clone())
    });
    let target_lang = source_lang.as_ref().and_then(|source| {
        units.iter().find_map(|u| {
            u.variants
                .iter()
                .find(|v| !same_language(&v.lang, source))
                .map(|v| v.lang.clone())
        })
    });
    let mut pairs = Vec::new();
    if let (Some(source), Some(target)) = (&source_lang, &target_lang) {
        for (index, unit) in units.iter().enumerate() {
            if let Some(pair) = tmx_pair(unit, index, source, target) {
                pairs.push(Pair {
                    segment: pairs.len() + 1,
                    ..pair
                });
            }
        }
    }
    Ok(Bilingual {
        name: file.name.clone(),
        pairs,
        source_lang,
        target_lang,
    })
}

fn same_language(a: &str, b: &str) -> bool {
    let primary = |tag: &str| {
        tag.split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    a.eq_ignore_ascii_case(b) || primary(a) == primary(b)
}

fn tmx_pair(unit: &Unit, index: usize, source: &str, target: &str) -> Option<Pair> {
    let variant = |lang: &str| {
        unit.variants
            .iter()
            .find(|v| v.lang.eq_ignore_ascii_case(lang))
            .or_else(|| unit.variants.iter().find(|v| same_language(&v.lang, lang)))
    };
    let source_variant = variant(source)?;
    let tuid = unit
        .attributes
        .iter()
        .find(|(name, _)| name == "tuid")
        .map(|(_, value)| value.clone())
        .unwrap_or_else(|| (index + 1).to_string());
    Some(Pair {
        unit: tuid,
        segment: index + 1,
        source: tmx_content(&source_variant.seg.0),
        target: variant(target).map(|v| tmx_content(&v.seg.0)),
    })
}

/// TMX inline content as segment content: `bpt`/`ept` pairs by their `i`, other codes
/// as placeholders, the text of `hi` and `sub` kept.
fn tmx_content(inline: &[Inline]) -> Content {
    let mut content = Vec::new();
    let mut next_placeholder = 10_000;
    push_tmx(inline, &mut content, &mut next_placeholder);
    stdbridge_content::model::normalize(content)
}

fn push_tmx(inline: &[Inline], content: &mut Content, next_placeholder: &mut u32) {
    for piece in inline {
        match piece {
            Inline::Text(text) => content.push(Item::Text(text.clone())),
            Inline::Tag(tag) if tag.holds_text() => {
                push_tmx(&tag.content, content, next_placeholder)
            }
            Inline::Tag(tag) => {
                let id = tag.attr("i").and_then(|i| i.parse::<u32>().ok());
                match (tag.kind.as_str(), id) {
                    ("bpt", Some(id)) => content.push(Item::Open(id)),
                    ("ept", Some(id)) => content.push(Item::Close(id)),
                    _ => {
                        let id = tag
                            .attr("x")
                            .and_then(|x| x.parse::<u32>().ok())
                            .map(|x| x + 20_000)
                            .unwrap_or_else(|| {
                                *next_placeholder += 1;
                                *next_placeholder
                            });
                        content.push(Item::Ph(id));
                    }
                }
            }
        }
    }
}

/// A translated document and its original, paragraph by paragraph.
fn document_pair(
    original: &DocumentSource,
    translated: &DocumentSource,
) -> Result<Bilingual, AppError> {
    let paragraphs = |file: &DocumentSource| -> Result<Vec<(String, Content)>, AppError> {
        let format = Format::detect(Path::new(&file.name), &file.bytes)?;
        let filter = filter_for(format, FilterOptions::default());
        let mut out = Vec::new();
        filter.process(
            &file.bytes,
            &file.name,
            &mut |paragraph| {
                out.push((paragraph.context.clone(), paragraph.content));
                Ok(None)
            },
            false,
        )?;
        Ok(out)
    };
    let sources = paragraphs(original)?;
    let targets = paragraphs(translated)?;
    if sources.len() != targets.len() {
        return Err(AppError::invalid(format!(
            "{} has {} paragraphs to translate and its original {} has {}: not a translation of it",
            translated.name,
            targets.len(),
            original.name,
            sources.len()
        )));
    }
    let pairs = sources
        .into_iter()
        .zip(targets)
        .enumerate()
        .map(|(index, ((context, source), (_, target)))| Pair {
            unit: format!("{} #{}", context, index + 1),
            segment: index + 1,
            source,
            target: Some(target),
        })
        .collect();
    Ok(Bilingual {
        name: translated.name.clone(),
        pairs,
        source_lang: None,
        target_lang: None,
    })
}

/// The termbase terms of source texts, through a term matcher.
struct MatcherLookup(Option<TermMatcher>);

impl TermLookup for MatcherLookup {
    fn terms(&self, source: &str) -> Vec<TermEntry> {
        let Some(matcher) = &self.0 else {
            return Vec::new();
        };
        matcher
            .find(source)
            .into_iter()
            .filter(|hit| hit.warning.is_none())
            .map(|hit| {
                let (forbidden, admitted): (Vec<_>, Vec<_>) = hit
                    .targets
                    .iter()
                    .partition(|target| target.status.is_unwanted());
                TermEntry {
                    range: hit.start..hit.end,
                    source: hit.text.clone(),
                    targets: admitted.into_iter().map(|t| t.text.clone()).collect(),
                    forbidden: forbidden.into_iter().map(|t| t.text.clone()).collect(),
                }
            })
            .collect()
    }
}

async fn term_lookup(
    app: &App,
    request: &QaRequest,
    options: &Options,
) -> Result<MatcherLookup, AppError> {
    if request.termbases.is_empty() {
        return Ok(MatcherLookup(None));
    }
    let matcher = app
        .termbases()
        .await?
        .matcher(
            &request.termbases,
            &options.source_lang,
            &options.target_lang,
        )
        .await?;
    Ok(MatcherLookup(Some(matcher)))
}

/// What the catalogue says of every dated edition the sources cite that is withdrawn or
/// replaced, by designation key.
async fn cited_editions(
    app: &App,
    pairs: &[Pair],
) -> Result<HashMap<String, CitedEdition>, AppError> {
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for pair in pairs {
        for found in designations_in(&plain_text(&pair.source)) {
            if found.designation.is_dated() {
                keys.insert(found.key);
            }
        }
        if keys.len() >= MAX_LOOKUPS {
            break;
        }
    }
    let mut cited = HashMap::new();
    if keys.is_empty() {
        return Ok(cited);
    }
    let db = app.db().await?;
    for key in keys {
        let Some(stored) = db.by_key(&key).await? else {
            continue;
        };
        let status = stored.record.status;
        if !matches!(status, Some(Status::Replaced | Status::Withdrawn)) {
            continue;
        }
        let chain =
            stdbridge_catalog::lookup::replacement_chain(db.as_ref(), &stored, true).await?;
        let replaced_by = chain
            .last()
            .map(|link| vec![link.designation.clone()])
            .unwrap_or_default();
        cited.insert(
            key,
            CitedEdition {
                designation: stored.record.designation.clone(),
                withdrawn: true,
                replaced_by,
            },
        );
    }
    Ok(cited)
}

/// What to read terms and definitions from.
#[derive(Debug, Clone, Default)]
pub struct TermExtractRequest {
    /// Bilingual files (XLIFF, TMX) of a standard and its translation.
    pub files: Vec<DocumentSource>,
    /// Source language; default: the file's.
    pub from: Option<String>,
    /// Target language; default: the file's.
    pub to: Option<String>,
    /// The standard the entries come from (default: the file's name).
    pub standard: Option<String>,
}

/// The terms-and-definitions entries (clause 3) of bilingual files as termbase concepts
/// with both languages, definitions, notes and their source (the standard and the
/// entry's number): a list to review before it is imported into a termbase.
pub async fn extract_terms(
    app: &App,
    who: &Principal,
    request: TermExtractRequest,
) -> Result<Vec<stdbridge_tm::termbase::Concept>, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    let mut concepts = Vec::new();
    for file in &request.files {
        let bilingual = read_bilingual(file)?;
        let qa = QaRequest {
            from: request.from.clone(),
            to: request.to.clone(),
            ..QaRequest::default()
        };
        let options = options_for(&qa, &bilingual)?;
        let standard = request.standard.clone().unwrap_or_else(|| {
            Path::new(&file.name)
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        for entry in stdbridge_qa::terms_and_definitions(&bilingual.pairs) {
            concepts.push(concept_of(&entry, &standard, &options));
        }
    }
    Ok(concepts)
}

fn concept_of(
    entry: &stdbridge_qa::DefinitionEntry,
    standard: &str,
    options: &Options,
) -> stdbridge_tm::termbase::Concept {
    use stdbridge_tm::termbase::{Concept, LangSection, Term, TermStatus};
    let source = if standard.is_empty() {
        entry.number.clone()
    } else {
        format!("{standard}, {}", entry.number)
    };
    let section =
        |lang: &str, terms: &[String], definition: &Option<String>, notes: &[String]| LangSection {
            lang: lang.to_owned(),
            definition: definition.clone(),
            source: entry.cited_source.clone().or_else(|| Some(source.clone())),
            notes: notes.to_vec(),
            extra: Vec::new(),
            terms: terms
                .iter()
                .enumerate()
                .map(|(index, text)| Term {
                    text: text.clone(),
                    status: if index == 0 {
                        TermStatus::Preferred
                    } else {
                        TermStatus::Admitted
                    },
                    source: Some(source.clone()),
                    ..Term::default()
                })
                .collect(),
        };
    let mut languages = vec![section(
        &options.source_lang,
        &entry.source_terms,
        &entry.source_definition,
        &entry.source_notes,
    )];
    if !entry.target_terms.is_empty() {
        languages.push(section(
            &options.target_lang,
            &entry.target_terms,
            &entry.target_definition,
            &entry.target_notes,
        ));
    }
    Concept {
        id: Some(format!("{standard} {}", entry.number).trim().to_owned()),
        languages,
        ..Concept::default()
    }
}

/// Writes concepts as TBX v3 (TBX-Basic), as `term import` reads it.
pub fn write_tbx<W: std::io::Write>(
    out: W,
    title: &str,
    concepts: &[stdbridge_tm::termbase::Concept],
) -> Result<(), AppError> {
    stdbridge_tm::termbase::tbx::write(out, title, concepts).map_err(AppError::internal)
}
