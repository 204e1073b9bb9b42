//! Measures search quality on a data directory that holds a catalogue (for example the
//! five Relaton files of ../shared imported with `stdbridge import`): designation variants
//! found first, and the mean reciprocal rank of standards searched by words of their
//! English title, with and without a typo. Deterministic: every n-th standard is asked.
//!
//! `cargo run --release -p stdbridge-catalog --example search_quality -- DATA_DIR [SAMPLE]`

use stdbridge_catalog::index::{CatalogIndex, parse_query};
use stdbridge_core::Designation;
use stdbridge_storage::CatalogRepository;
use stdbridge_storage::SqliteStore as Store;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let data_dir = std::path::PathBuf::from(
        args.next()
            .ok_or("usage: search_quality DATA_DIR [SAMPLE]")?,
    );
    let sample: i64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(500);
    let store = Store::open_in(&data_dir).await?;
    let index = CatalogIndex::open(&data_dir)?;
    index.sync(&store).await?;
    let total = store.stats().await?.standards;
    let step = (total / sample).max(1);
    let (mut variants, mut variants_first) = (0u32, 0u32);
    let (mut asked, mut rr, mut typo_rr, mut work_rr) = (0u32, 0f64, 0f64, 0f64);
    let mut after = 0;
    let mut misses = Vec::new();
    let mut variant_misses = Vec::new();
    while let Some((id, key, record)) = store.records_after(after, 1).await?.pop() {
        after = id + step - 1;
        let Ok(parsed) = Designation::parse(&record.designation) else {
            continue;
        };
        if parsed.is_draft() {
            continue;
        }
        for variant in spellings(&record.designation) {
            variants += 1;
            let hits = search(&store, &index, &variant, 1).await?;
            if hits.first().map(|(_, k)| k.as_str()) == Some(key.as_str()) {
                variants_first += 1;
            } else if variant_misses.len() < 12 {
                variant_misses.push(format!(
                    "{variant:?} → {:?} (wanted {})",
                    hits.first().map(|(d, _)| d),
                    record.designation
                ));
            }
        }
        let Some(title) = record.title("en") else {
            continue;
        };
        let words = content_words(title);
        if words.len() < 2 {
            continue;
        }
        asked += 1;
        let query = words.join(" ");
        let hits = search(&store, &index, &query, 10).await?;
        rr += reciprocal_rank(&hits, &key);
        let work = parsed.undated_key();
        let same_work: Vec<(String, String)> = hits
            .iter()
            .map(|(d, k)| {
                (
                    d.clone(),
                    if Designation::parse(d).map(|p| p.undated_key()).as_ref() == Ok(&work) {
                        key.clone()
                    } else {
                        k.clone()
                    },
                )
            })
            .collect();
        work_rr += reciprocal_rank(&same_work, &key);
        if reciprocal_rank(&same_work, &key) < 0.5 && misses.len() < 30 {
            misses.push(format!(
                "{query:?} → {:?} (wanted {})",
                hits.iter()
                    .take(3)
                    .map(|(d, _)| d.as_str())
                    .collect::<Vec<_>>(),
                record.designation
            ));
        }
        let typo = with_typo(&words);
        typo_rr += reciprocal_rank(&search(&store, &index, &typo, 10).await?, &key);
    }
    println!(
        "designation variants found first: {variants_first}/{variants} = {:.1} %",
        100.0 * f64::from(variants_first) / f64::from(variants.max(1))
    );
    println!(
        "English title words, MRR@10: {:.3} over {asked} standards",
        rr / f64::from(asked.max(1))
    );
    println!(
        "English title words, MRR@10 counting any edition of the work: {:.3}",
        work_rr / f64::from(asked.max(1))
    );
    println!(
        "the same with a typo in the longest word, MRR@10: {:.3}",
        typo_rr / f64::from(asked.max(1))
    );
    for miss in variant_misses.iter().chain(&misses) {
        println!("  miss: {miss}");
    }
    Ok(())
}

async fn search(
    store: &Store,
    index: &CatalogIndex,
    text: &str,
    limit: usize,
) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let query = parse_query(text, limit)?;
    let results = index.search(&query)?;
    let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
    let records = store.records_by_ids(&ids).await?;
    Ok(ids
        .iter()
        .filter_map(|id| {
            records
                .iter()
                .find(|(rid, _, _)| rid == id)
                .map(|(_, key, r)| (r.designation.clone(), key.clone()))
        })
        .collect())
}

fn reciprocal_rank(hits: &[(String, String)], key: &str) -> f64 {
    hits.iter()
        .position(|(_, k)| k == key)
        .map_or(0.0, |rank| 1.0 / (rank as f64 + 1.0))
}

/// Spellings people use: lower case, no spaces, full width, an em dash or hyphen for the
/// colon before the year.
fn spellings(designation: &str) -> Vec<String> {
    let full_width: String = designation
        .chars()
        .map(|ch| match ch {
            '!'..='~' => char::from_u32(ch as u32 - 0x21 + 0xFF01).unwrap_or(ch),
            ' ' => '\u{3000}',
            other => other,
        })
        .collect();
    vec![
        designation.to_lowercase(),
        designation.replace(' ', ""),
        full_width,
        designation.replacen(':', "—", 1),
    ]
}

/// Up to three longer words from the end of a title (its most specific element), skipping
/// the most common ones.
fn content_words(title: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "and",
        "the",
        "for",
        "with",
        "part",
        "general",
        "requirements",
        "methods",
        "method",
        "determination",
        "test",
        "specification",
    ];
    let mut words: Vec<String> = title
        .split(|ch: char| !ch.is_alphanumeric())
        .rev()
        .filter(|w| {
            w.len() >= 4
                && w.chars().all(char::is_alphabetic)
                && !COMMON.contains(&w.to_lowercase().as_str())
        })
        .take(3)
        .map(str::to_lowercase)
        .collect();
    words.reverse();
    words
}

/// Drops one letter from the middle of the longest word.
fn with_typo(words: &[String]) -> String {
    let longest = words
        .iter()
        .enumerate()
        .max_by_key(|(_, w)| w.len())
        .map_or(0, |(i, _)| i);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == longest && w.len() >= 5 {
                let mid = w.len() / 2;
                format!("{}{}", &w[..mid], &w[mid + 1..])
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
