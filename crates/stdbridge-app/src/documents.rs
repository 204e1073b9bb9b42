//! Documents through the pipeline: read → filter → segments → memories and termbase →
//! engine → pre-translation → merge, XLIFF for another CAT tool and back. The
//! pre-translation of a document runs as a job with progress (segments looked up, then
//! translated by the engine).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use serde_json::json;
use stdbridge_content::TextUnit;
use stdbridge_content::model::marked;
use stdbridge_filters::xliff::{EmbeddedOriginal, Xliff12Writer, XliffDocument, XliffWriter};
use stdbridge_filters::{
    FilterOptions, Format, TrackedChanges, UnitTranslation, filter_for, read_input,
};
use stdbridge_text::Segmenter;
use stdbridge_tm::pretranslate::{
    Analysis, PretranslateOptions, PretranslatePhase, Pretranslation, pretranslate, unit_terms,
};
use stdbridge_tm::termbase::TermMatcher;

use crate::authz::{Action, authorize};
use crate::engines::engine_for;
use crate::jobs::{JobHandle, JobOutput, RunningJob};
use crate::{App, AppError, Principal};

/// A document to work on: its name (as messages and reports give it), its path when it
/// is a local file (the format is told from its extension), and its bytes.
#[derive(Debug, Clone)]
pub struct DocumentSource {
    /// Its name or path as given.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl DocumentSource {
    /// Reads a local file, refusing one over the size limit before reading it.
    pub fn read(path: &Path) -> Result<DocumentSource, AppError> {
        let bytes = read_input(path, &FilterOptions::default().limits)?;
        Ok(DocumentSource {
            name: path.display().to_string(),
            bytes,
        })
    }

    fn file_name(&self) -> String {
        Path::new(&self.name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// How a document is pre-translated.
#[derive(Debug, Clone)]
pub struct Pipeline {
    /// Source language.
    pub from: String,
    /// Target language.
    pub to: String,
    /// Memories to look in.
    pub memories: Vec<String>,
    /// Termbases whose terms the engine must use (and the XLIFF's glossary shows).
    pub termbases: Vec<String>,
    /// The engine for what no match translates (`--engine` syntax).
    pub engine: String,
    /// Lowest fuzzy score used as a translation.
    pub min_score: u8,
    /// DOCX: accept tracked changes instead of keeping them as codes.
    pub accept_changes: bool,
    /// DOCX: translate comments too.
    pub comments: bool,
    /// XLIFF written: `2.0` or `1.2`.
    pub xliff_version: String,
}

impl Pipeline {
    fn filter_options(&self) -> FilterOptions {
        FilterOptions {
            tracked_changes: if self.accept_changes {
                TrackedChanges::Accept
            } else {
                TrackedChanges::Keep
            },
            comments: self.comments,
            ..FilterOptions::default()
        }
    }
}

/// A document read, cut into segments and pre-translated.
pub struct Pretranslated {
    source: DocumentSource,
    format: Format,
    options: FilterOptions,
    pipeline: Pipeline,
    units: Vec<TextUnit>,
    result: Pretranslation,
    matcher: Option<Arc<TermMatcher>>,
}

impl Pretranslated {
    /// Text units extracted.
    pub fn units(&self) -> usize {
        self.units.len()
    }

    /// Segments extracted.
    pub fn segments(&self) -> usize {
        self.units.iter().map(|u| u.segments().count()).sum()
    }

    /// The analysis table (segments, words, characters per match band).
    pub fn table(&self) -> String {
        self.result.analysis.table()
    }

    /// Segments that got their translation this way: `exact`, `fuzzy`, `repetition`,
    /// `engine` or `untranslated`.
    pub fn count(&self, origin: &str) -> u64 {
        self.result.by_origin.get(origin).copied().unwrap_or(0)
    }

    /// The report (`translate --report`, `analyze --json`); `output` names the document
    /// written, if any.
    pub fn report(&self, output: Option<&str>) -> serde_json::Value {
        let segments: Vec<serde_json::Value> = self
            .units
            .iter()
            .flat_map(|unit| {
                let results = self.result.results.get(&unit.id);
                unit.segments().enumerate().map(move |(n, source)| {
                    let result = results.and_then(|r| r.get(n));
                    json!({
                        "unit": unit.id,
                        "segment": n + 1,
                        "source": marked(source),
                        "target": result.and_then(|r| r.target.as_ref()).map(|t| marked(t)),
                        "origin": result.map(|r| &r.origin),
                        "band": result.map(|r| r.band),
                        "best_score": result.and_then(|r| r.best_score),
                    })
                })
            })
            .collect();
        json!({
            "input": self.source.name,
            "output": output,
            "format": self.format,
            "source_lang": self.pipeline.from,
            "target_lang": self.pipeline.to,
            "memories": self.pipeline.memories,
            "engine": self.pipeline.engine,
            "min_score": self.pipeline.min_score,
            "units": self.units.len(),
            "translated": self.result.by_origin,
            "analysis": analysis_json(&self.result.analysis),
            "segments": segments,
        })
    }

    /// The document as XLIFF (the pipeline's version), the original embedded, targets
    /// pre-filled, the termbase's terms as each unit's glossary.
    pub fn xliff(&self) -> String {
        let original = EmbeddedOriginal {
            format: self.format,
            name: self.source.file_name(),
            bytes: self.source.bytes.clone(),
            options: self.options,
        };
        let (source_lang, target_lang) = (self.pipeline.from.clone(), self.pipeline.to.clone());
        let target = |unit: &TextUnit, n: usize| {
            self.result
                .results
                .get(&unit.id)
                .and_then(|r| r.get(n))
                .and_then(|r| r.xliff_target())
        };
        let terms = |unit: &TextUnit| {
            self.matcher
                .as_ref()
                .map(|m| unit_terms(m, unit))
                .unwrap_or_default()
        };
        if self.pipeline.xliff_version == "1.2" {
            Xliff12Writer {
                source_lang,
                target_lang,
            }
            .write(&original, &self.units, &target)
        } else {
            XliffWriter {
                source_lang,
                target_lang,
            }
            .write(&original, &self.units, &target, &terms)
        }
    }

    /// The document in its own format with the translations merged in; a translation
    /// whose codes do not fit is refused, or repaired when `repair` is set.
    pub fn merged(&self, repair: bool) -> Result<Vec<u8>, AppError> {
        let filter = filter_for(self.format, self.options);
        let segmenter = Segmenter::for_language(&self.pipeline.from);
        let mut targets = |unit: &TextUnit| self.result.targets(unit);
        Ok(stdbridge_filters::merge(
            filter.as_ref(),
            &self.source.bytes,
            &self.source.name,
            &segmenter,
            &self.pipeline.to,
            repair,
            &mut targets,
        )?)
    }
}

impl JobOutput for Pretranslated {
    fn summary(&self) -> serde_json::Value {
        json!({
            "input": self.source.name,
            "format": self.format,
            "units": self.units.len(),
            "segments": self.segments(),
            "translated": self.result.by_origin,
            "analysis": analysis_json(&self.result.analysis),
        })
    }
}

fn analysis_json(analysis: &Analysis) -> serde_json::Value {
    let bands: Vec<serde_json::Value> = analysis
        .bands
        .iter()
        .map(|(band, counts)| json!({"band": band, "segments": counts.segments, "words": counts.words, "characters": counts.characters}))
        .collect();
    json!({"bands": bands, "total": analysis.total})
}

/// Reads, extracts and pre-translates a document as a job (`translate`, `extract` and
/// `analyze` all start here); the result is ready to merge, write as XLIFF or report.
pub async fn pretranslate_document(
    app: &App,
    who: &Principal,
    source: DocumentSource,
    mut pipeline: Pipeline,
) -> Result<RunningJob<Pretranslated>, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    // What the job reads is settled here, under the caller's rights: a name the caller
    // may not read is "not found", like one that does not exist.
    if !pipeline.memories.is_empty() {
        pipeline.memories = crate::access::readable_names(
            app,
            who,
            crate::access::Kind::Memory,
            &pipeline.memories,
        )
        .await
        .map_err(|e| e.with_field("tm"))?;
    }
    if !pipeline.termbases.is_empty() {
        pipeline.termbases = crate::access::readable_names(
            app,
            who,
            crate::access::Kind::Termbase,
            &pipeline.termbases,
        )
        .await
        .map_err(|e| e.with_field("termbase"))?;
    }
    let title = source.name.clone();
    let jobs = app.jobs().await?;
    let app = app.clone();
    jobs.start("pretranslate", title, who, move |handle| async move {
        prepare(&app, source, pipeline, &handle).await
    })
    .await
}

async fn prepare(
    app: &App,
    source: DocumentSource,
    pipeline: Pipeline,
    handle: &JobHandle,
) -> Result<Pretranslated, AppError> {
    handle.progress(Some("reading"), 0, 0);
    let options = pipeline.filter_options();
    let format = Format::detect(Path::new(&source.name), &source.bytes)?;
    let filter = filter_for(format, options);
    let segmenter = Segmenter::for_language(&pipeline.from);
    let units =
        stdbridge_filters::extract(filter.as_ref(), &source.bytes, &source.name, &segmenter)?;
    let memories = app.memories().await?;
    let known = memories.list().await?;
    if let Some(missing) = pipeline
        .memories
        .iter()
        .find(|tm| !known.iter().any(|m| &m.name == *tm))
    {
        return Err(AppError::bad_field(
            "tm",
            format!("no translation memory named {missing:?} (see `stdbridge tm list`)"),
        ));
    }
    let matcher = if pipeline.termbases.is_empty() {
        None
    } else {
        Some(Arc::new(
            app.termbases()
                .await?
                .matcher(&pipeline.termbases, &pipeline.from, &pipeline.to)
                .await?,
        ))
    };
    let engine = engine_for(app, &pipeline.engine).await?;
    let request = PretranslateOptions {
        memories: pipeline.memories.clone(),
        source_lang: pipeline.from.clone(),
        target_lang: pipeline.to.clone(),
        min_score: pipeline.min_score,
    };
    let progress = |phase: PretranslatePhase, done: usize, total: usize| {
        let phase = match phase {
            PretranslatePhase::Memories => "memories",
            PretranslatePhase::Engine => "engine",
        };
        handle.progress(Some(phase), done as u64, total as u64);
    };
    let result = pretranslate(
        &memories,
        &units,
        &request,
        engine.as_ref(),
        matcher.as_deref(),
        &progress,
    )
    .await?;
    Ok(Pretranslated {
        source,
        format,
        options,
        pipeline,
        units,
        result,
        matcher,
    })
}

/// An XLIFF merged back into its document.
pub struct Merged {
    /// The document.
    pub document: Vec<u8>,
    /// The embedded original's name.
    pub original_name: String,
    /// Segments with a target.
    pub translated: usize,
    /// Segments in all.
    pub segments: usize,
}

/// Merges an XLIFF written by `extract` (or `translate --xliff`), translated by any CAT
/// tool, into the original document embedded in it. Each segment's source must still be
/// the original's.
pub fn merge(
    app: &App,
    who: &Principal,
    xliff: &DocumentSource,
    repair: bool,
) -> Result<Merged, AppError> {
    authorize(app.config(), who, Action::UseTranslation)?;
    let name = &xliff.name;
    let document = XliffDocument::read(&xliff.bytes, name)?;
    let Some(original) = &document.original else {
        return Err(AppError::invalid(format!(
            "{name}: no original document is embedded in this XLIFF (only XLIFF written by `stdbridge extract` or `translate --xliff` can be merged); to translate a foreign XLIFF itself, use `stdbridge translate {name}`"
        )));
    };
    let source_lang = document
        .source_lang
        .clone()
        .unwrap_or_else(|| "zh-CN".to_string());
    let target_lang = document
        .target_lang
        .clone()
        .ok_or_else(|| AppError::invalid(format!("{name}: the <xliff> element has no trgLang")))?;
    let sources: HashMap<String, Vec<String>> =
        document
            .segments
            .iter()
            .fold(HashMap::new(), |mut by_unit, s| {
                by_unit
                    .entry(s.unit_id.clone())
                    .or_insert_with(Vec::new)
                    .push(comparable(&s.source.content));
                by_unit
            });
    let targets = document.targets_by_unit();
    let filter = filter_for(original.format, original.options);
    let segmenter = Segmenter::for_language(&source_lang);
    let mut mismatch: Option<String> = None;
    let mut merged_units: HashSet<String> = HashSet::new();
    let mut translate = |unit: &TextUnit| -> UnitTranslation {
        let expected: Vec<String> = unit.segments().map(|s| comparable(s)).collect();
        match sources.get(&unit.id) {
            Some(found) if *found == expected => {
                merged_units.insert(unit.id.clone());
                match document.whole_targets.get(&unit.id) {
                    Some(whole) => UnitTranslation::Whole(whole.clone()),
                    None => UnitTranslation::Segments(
                        targets.get(&unit.id).cloned().unwrap_or_default(),
                    ),
                }
            }
            Some(found) => {
                mismatch.get_or_insert_with(|| {
                    format!(
                        "unit {}: the XLIFF's source ({:?}) is not the original's ({:?})",
                        unit.id,
                        found.first().cloned().unwrap_or_default(),
                        expected.first().cloned().unwrap_or_default()
                    )
                });
                UnitTranslation::Segments(Vec::new())
            }
            None => UnitTranslation::Segments(Vec::new()),
        }
    };
    let merged = stdbridge_filters::merge_units(
        filter.as_ref(),
        &original.bytes,
        &original.name,
        &segmenter,
        &target_lang,
        repair,
        &mut translate,
    )?;
    if let Some(problem) = mismatch {
        return Err(AppError::invalid(format!(
            "{name}: {problem}; nothing written"
        )));
    }
    let unmerged: Vec<&str> = translated_unit_ids(&document)
        .into_iter()
        .filter(|id| !merged_units.contains(*id))
        .collect();
    if !unmerged.is_empty() {
        let shown: Vec<&str> = unmerged.iter().copied().take(10).collect();
        return Err(AppError::invalid(format!(
            "{name}: {} translated unit(s) were not merged, not being units of the embedded original: {}{}; nothing written",
            unmerged.len(),
            shown.join(", "),
            if unmerged.len() > shown.len() {
                ", …"
            } else {
                ""
            }
        )));
    }
    let translated = document
        .segments
        .iter()
        .filter(|s| s.target.is_some() || document.whole_targets.contains_key(&s.unit_id))
        .count();
    Ok(Merged {
        document: merged,
        original_name: original.name.clone(),
        translated,
        segments: document.segments.len(),
    })
}

/// The ids of the units that have a translation (of a segment, or of the whole unit).
fn translated_unit_ids(document: &XliffDocument) -> Vec<&str> {
    let mut ids: Vec<&str> = document
        .segments
        .iter()
        .filter(|s| s.target.is_some())
        .map(|s| s.unit_id.as_str())
        .chain(document.whole_targets.keys().map(String::as_str))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// A segment as the check that an XLIFF still belongs to its original compares it: codes
/// marked, white space left out — other tools re-indent what they write, even between two
/// codes (translate-toolkit pretty-prints `<seg-source>`), and the check is only that each
/// unit holds the same text and codes.
fn comparable(content: &[stdbridge_content::Item]) -> String {
    marked(content).split_whitespace().collect()
}
