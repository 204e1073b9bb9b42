//! `stdbridge bench docs`: extract and merge a long Chinese standard in DOCX, against the
//! least any merge has to do (inflate every part and deflate it again).

use std::io::{Cursor, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::rounds::RoundRatios;
use crate::tm_gen::MemoryGenerator;
use anyhow::Context;
use serde_json::json;
use stdbridge_filters::docx::DocxFilter;
use stdbridge_filters::docx_build::package;
use stdbridge_filters::model::plain_text;
use stdbridge_filters::{TextUnit, extract, merge, pseudo_translate};
use stdbridge_text::Segmenter;
use stdbridge_tm::pretranslate::word_count;

/// What `bench docs` does.
pub struct DocsBenchOptions {
    /// Pages of the document.
    pub pages: usize,
    /// Generator seed.
    pub seed: u64,
    /// Timed runs (the median is reported).
    pub runs: usize,
    /// Where to write the generated document.
    pub output: Option<PathBuf>,
    /// Print JSON.
    pub json: bool,
}

/// Characters of text on a page as LibreOffice lays this document out (A4, its default
/// styles): calibrated by converting `--pages 300` to PDF, which gave 144 pages at 1,000.
const CHARACTERS_PER_PAGE: usize = 2_100;

/// A Chinese standard of about `pages` pages: numbered headings, paragraphs of two or three
/// sentences with bold designations, cross-reference fields and footnote references, and
/// a table every few pages.
pub fn standard_docx(pages: usize, seed: u64) -> anyhow::Result<Vec<u8>> {
    let mut generator = MemoryGenerator::new(seed);
    let mut body = String::new();
    let mut footnotes = String::from(
        r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"#,
    );
    let mut characters = 0usize;
    let mut number = 0u64;
    let sentence = |generator: &mut MemoryGenerator, number: &mut u64| {
        *number += 1;
        let unit = generator.unit(*number);
        let text = unit
            .variant("zh-CN")
            .map(|v| v.seg.plain())
            .unwrap_or_default();
        let text = text.trim_end_matches(['。', '.', '！', '？']).to_string();
        format!("{text}。")
    };
    let mut clause = 0;
    let mut footnote = 0;
    while characters < pages * CHARACTERS_PER_PAGE {
        clause += 1;
        let heading = format!(
            "{clause} {}",
            sentence(&mut generator, &mut number)
                .trim_end_matches('。')
                .chars()
                .take(12)
                .collect::<String>()
        );
        characters += heading.chars().count();
        body.push_str(&format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:bookmarkStart w:id="{clause}" w:name="_Ref{clause}"/><w:r><w:t>{heading}</w:t></w:r><w:bookmarkEnd w:id="{clause}"/></w:p>"#
        ));
        for paragraph in 0..8 {
            let first = sentence(&mut generator, &mut number);
            let second = sentence(&mut generator, &mut number);
            characters += first.chars().count() + second.chars().count() + 12;
            let designation = format!("GB/T {}", 1000 + number % 9000);
            let mut runs = format!(
                r#"<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>{clause}.{} {first}</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>按</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{designation}</w:t></w:r><w:proofErr w:type="spellEnd"/><w:r><w:t>{second}</w:t></w:r>"#,
                paragraph + 1
            );
            if paragraph % 3 == 1 {
                runs.push_str(&format!(
                    r#"<w:r><w:t xml:space="preserve">见</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> REF _Ref{clause} \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>第{clause}章</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>。</w:t></w:r>"#
                ));
            }
            if paragraph % 4 == 2 {
                footnote += 1;
                runs.push_str(&format!(r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{footnote}"/></w:r>"#));
                let note = sentence(&mut generator, &mut number);
                characters += note.chars().count();
                footnotes.push_str(&format!(
                    r#"<w:footnote w:id="{footnote}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {note}</w:t></w:r></w:p></w:footnote>"#
                ));
            }
            body.push_str(&format!(
                r#"<w:p><w:pPr><w:jc w:val="both"/></w:pPr>{runs}</w:p>"#
            ));
        }
        if clause % 3 == 0 {
            body.push_str(r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>"#);
            for _ in 0..4 {
                body.push_str("<w:tr>");
                for _ in 0..3 {
                    let cell: String = sentence(&mut generator, &mut number)
                        .chars()
                        .take(10)
                        .collect();
                    characters += cell.chars().count();
                    body.push_str(&format!(
                        r#"<w:tc><w:p><w:r><w:t>{cell}</w:t></w:r></w:p></w:tc>"#
                    ));
                }
                body.push_str("</w:tr>");
            }
            body.push_str("</w:tbl>");
        }
    }
    Ok(package(&body, Some(&footnotes))?)
}

/// Inflates every entry of a package and deflates it again: the floor for any merge.
fn repack(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index)?;
        let name = entry.name()?.to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        writer.start_file(name, zip::write::SimpleFileOptions::default())?;
        writer.write_all(&data)?;
    }
    Ok(writer.finish()?.into_inner())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Runs the benchmark.
pub fn run(options: DocsBenchOptions) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let bytes = standard_docx(options.pages, options.seed)?;
    let generated_ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Some(path) = &options.output {
        std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    let filter = DocxFilter::default();
    let segmenter = Segmenter::for_language("zh-CN");
    let units = extract(&filter, &bytes, "bench.docx", &segmenter)?;
    let segments: usize = units.iter().map(|u| u.segments().count()).sum();
    let words: u64 = units
        .iter()
        .flat_map(|u| u.segments())
        .map(|s| word_count(&plain_text(s)))
        .sum();
    let (mut extract_ms, mut merge_ms, mut repack_ms) = (Vec::new(), Vec::new(), Vec::new());
    let mut merged_size = 0;
    for _ in 0..options.runs.max(1) {
        let start = Instant::now();
        repack(&bytes)?;
        repack_ms.push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        let units = extract(&filter, &bytes, "bench.docx", &segmenter)?;
        extract_ms.push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        let mut pseudo =
            |unit: &TextUnit| unit.segments().map(|s| Some(pseudo_translate(s))).collect();
        let merged = merge(
            &filter,
            &bytes,
            "bench.docx",
            &segmenter,
            "en",
            false,
            &mut pseudo,
        )?;
        merge_ms.push(start.elapsed().as_secs_f64() * 1000.0);
        merged_size = merged.len();
        drop(units);
    }
    // Each run measures the baseline and then our extract and merge: one ratio a round.
    let rounds = RoundRatios::of(
        &extract_ms
            .iter()
            .zip(&merge_ms)
            .zip(&repack_ms)
            .map(|((extract, merge), repack)| (extract + merge) / repack.max(0.001))
            .collect::<Vec<_>>(),
    );
    let (extract_ms, merge_ms, repack_ms) =
        (median(extract_ms), median(merge_ms), median(repack_ms));
    let total = extract_ms + merge_ms;
    let report = json!({
        "pages": options.pages,
        "characters_per_page": CHARACTERS_PER_PAGE,
        "docx_bytes": bytes.len(),
        "merged_bytes": merged_size,
        "units": units.len(),
        "segments": segments,
        "words": words,
        "generated_ms": generated_ms,
        "runs": options.runs.max(1),
        "extract_ms": extract_ms,
        "merge_ms": merge_ms,
        "extract_and_merge_ms": total,
        "repack_baseline_ms": repack_ms,
        "ratio_to_repack": total / repack_ms.max(0.001),
        "ratio_to_repack_rounds": rounds,
    });
    if options.json {
        crate::print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "DOCX of {} pages: {} KB, {} paragraphs, {} segments, {} words (CJK characters counted as words)",
        options.pages,
        bytes.len() / 1024,
        units.len(),
        segments,
        words
    );
    println!("median of {} runs:", options.runs.max(1));
    println!("  extract                      {extract_ms:>9.1} ms");
    println!("  merge (pseudo-translation)   {merge_ms:>9.1} ms");
    println!("  extract + merge              {total:>9.1} ms");
    println!(
        "  baseline: unzip + zip again  {repack_ms:>9.1} ms  ({:.1}× the baseline)",
        total / repack_ms.max(0.001)
    );
    println!(
        "  per run (baseline, then extract + merge): {} the baseline",
        rounds.describe()
    );
    Ok(ExitCode::SUCCESS)
}
