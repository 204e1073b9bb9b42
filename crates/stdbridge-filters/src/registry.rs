//! The registry of filters — the one place that knows every format's implementation —
//! and extract/merge over any filter.

use std::path::Path;

use stdbridge_text::Segmenter;

use crate::api::{DocumentFilter, FilterOptions, Format};
use crate::codes::{self, CodeProblem};
use crate::docx::DocxFilter;
use crate::error::FilterError;
use crate::html::HtmlFilter;
use crate::markdown::MarkdownFilter;
use crate::model::{Content, Paragraph};
use crate::package::Limits;
use crate::segment::TextUnit;
use crate::text::TextFilter;
use crate::xliff::XliffFilter;

/// The filter for a format.
pub fn filter_for(format: Format, options: FilterOptions) -> Box<dyn DocumentFilter> {
    match format {
        Format::Docx => Box::new(DocxFilter {
            tracked_changes: options.tracked_changes,
            comments: options.comments,
            limits: options.limits,
        }),
        Format::Xliff12 | Format::Xliff2 => Box::new(XliffFilter { format }),
        Format::Html => Box::new(HtmlFilter),
        Format::Markdown => Box::new(MarkdownFilter),
        Format::Text => Box::new(TextFilter),
    }
}

/// Reads a whole input file, refusing one larger than the limit before reading it.
pub fn read_input(path: &Path, limits: &Limits) -> Result<Vec<u8>, FilterError> {
    let io = |source| FilterError::Io {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > limits.max_input {
        return Err(FilterError::invalid(
            path.display().to_string(),
            format!(
                "{size} bytes, larger than the limit of {} bytes for one document",
                limits.max_input
            ),
        ));
    }
    std::fs::read(path).map_err(io)
}

/// The text units of a document, cut into segments, in document order.
pub fn extract(
    filter: &dyn DocumentFilter,
    input: &[u8],
    name: &str,
    segmenter: &Segmenter,
) -> Result<Vec<TextUnit>, FilterError> {
    let mut units = Vec::new();
    let mut visit = |paragraph: Paragraph| {
        let id = format!("u{}", units.len() + 1);
        units.push(TextUnit::from_paragraph(id, paragraph, segmenter));
        Ok(None)
    };
    filter.process(input, name, &mut visit, false)?;
    Ok(units)
}

/// Merges translations into a document. `translate` gives each unit's segment
/// translations (`None` keeps a segment's source). A translation whose codes do not fit
/// its source is refused, or repaired when `repair` is set.
pub fn merge(
    filter: &dyn DocumentFilter,
    input: &[u8],
    name: &str,
    segmenter: &Segmenter,
    target_lang: &str,
    repair: bool,
    translate: &mut dyn FnMut(&TextUnit) -> Vec<Option<Content>>,
) -> Result<Vec<u8>, FilterError> {
    let mut by_segment = |unit: &TextUnit| UnitTranslation::Segments(translate(unit));
    merge_units(
        filter,
        input,
        name,
        segmenter,
        target_lang,
        repair,
        &mut by_segment,
    )
}

/// The translation of one text unit: segment by segment, or the whole paragraph at once
/// (from a tool that does not segment).
#[derive(Debug, Clone)]
pub enum UnitTranslation {
    /// Each segment's translation; `None` keeps its source.
    Segments(Vec<Option<Content>>),
    /// The translation of the whole paragraph, every segment and what lies between.
    Whole(Content),
}

/// [`merge`], where a unit may be translated as a whole.
pub fn merge_units(
    filter: &dyn DocumentFilter,
    input: &[u8],
    name: &str,
    segmenter: &Segmenter,
    target_lang: &str,
    repair: bool,
    translate: &mut dyn FnMut(&TextUnit) -> UnitTranslation,
) -> Result<Vec<u8>, FilterError> {
    let mut count = 0usize;
    let mut visit = |paragraph: Paragraph| {
        count += 1;
        let unit = TextUnit::from_paragraph(format!("u{count}"), paragraph, segmenter);
        let mut targets = match translate(&unit) {
            UnitTranslation::Segments(targets) => targets,
            UnitTranslation::Whole(whole) => return whole_target(&unit, whole, repair).map(Some),
        };
        if targets.iter().all(Option::is_none) {
            return Ok(None);
        }
        for (index, (source, target)) in unit.segments().zip(targets.iter_mut()).enumerate() {
            let Some(content) = target else { continue };
            if let Some(restored) = codes::restore_stripped(source, content) {
                *content = restored;
            }
            let problems = codes::check(source, content);
            if problems.is_empty() {
                continue;
            }
            if repair {
                *content = codes::repair(source, content);
            } else {
                return Err(FilterError::Codes {
                    unit: unit.id.clone(),
                    segment: index + 1,
                    problems: describe(&problems),
                });
            }
        }
        Ok(Some(unit.joined(&targets, target_lang)))
    };
    filter.process(input, name, &mut visit, true)
}

/// A whole paragraph's translation, its codes checked against the whole source.
fn whole_target(unit: &TextUnit, whole: Content, repair: bool) -> Result<Content, FilterError> {
    let source = unit.source();
    let whole = codes::restore_stripped(&source, &whole).unwrap_or(whole);
    let problems = codes::check(&source, &whole);
    if problems.is_empty() {
        return Ok(whole);
    }
    if repair {
        return Ok(codes::repair(&source, &whole));
    }
    Err(FilterError::Codes {
        unit: unit.id.clone(),
        segment: 0,
        problems: describe(&problems),
    })
}

fn describe(problems: &[CodeProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
