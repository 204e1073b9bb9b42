//! Derives the statistical profile that `stdbridge gen-catalog` follows
//! (`demo/profile/catalog-profile.json`) from the real catalogue data in
//! `../shared/data/catalog` and the curated demo data.
//!
//! Kept: counts only (years, statuses, document types, ICS fields, title lengths, editions
//! per work, parts per series, supplements), per family, and word frequencies of titles
//! whose text is openly licensed: English and French from the ISO records (the facts ISO
//! Open Data publishes under ODC-By 1.0), Chinese from the curated demo standards and the
//! CCS names. No title is kept whole.
//!
//! ```text
//! cargo run --release -p stdbridge-catalog --example derive_profile -- ../shared/data/catalog demo > demo/profile/catalog-profile.json
//! ```

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

use stdbridge_catalog::relaton::read_json_line;
use stdbridge_core::{Designation, Standard};

/// Counts of one family's records.
#[derive(Default)]
struct Family {
    records: u64,
    years: BTreeMap<u16, u64>,
    status: BTreeMap<String, u64>,
    doc_types: BTreeMap<String, u64>,
    ics_fields: BTreeMap<String, u64>,
    title_words: BTreeMap<usize, u64>,
    works: HashMap<String, u64>,
    series: HashMap<String, u64>,
    supplements: u64,
    with_parts: u64,
}

impl Family {
    fn add(&mut self, record: &Standard) {
        self.records += 1;
        if let Some(year) = record.year() {
            *self.years.entry(year).or_default() += 1;
        }
        let status = record.status.map_or("unknown", |s| s.as_str());
        *self.status.entry(status.to_owned()).or_default() += 1;
        let doc_type = record
            .doc_type
            .and_then(|d| serde_json::to_value(d).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "unknown".to_owned());
        *self.doc_types.entry(doc_type).or_default() += 1;
        for code in record.ics.iter().take(1) {
            let field = code.split('.').next().unwrap_or(code);
            *self.ics_fields.entry(field.to_owned()).or_default() += 1;
        }
        if let Some(title) = record
            .title("en")
            .or_else(|| record.titles.first().map(|t| t.full.as_str()))
        {
            let words = title.split_whitespace().count();
            *self.title_words.entry(words.min(60)).or_default() += 1;
        }
        let Ok(parsed) = Designation::parse(&record.designation) else {
            return;
        };
        if !parsed.supplements.is_empty() {
            self.supplements += 1;
            return;
        }
        *self.works.entry(parsed.undated_key()).or_default() += 1;
        // ITU numbers are written `X.509`: the series letter is not a part.
        let number = match parsed.number.split_once('.') {
            Some((letter, rest)) if letter.chars().all(|c| c.is_ascii_alphabetic()) => rest,
            _ => parsed.number.as_str(),
        };
        if let Some((series, _)) = number.split_once(['-', '.']) {
            self.with_parts += 1;
            *self
                .series
                .entry(format!("{:?}{series}", parsed.prefix))
                .or_default() += 1;
        }
    }

    fn to_json(&self) -> serde_json::Value {
        let histogram = |counts: &HashMap<String, u64>| {
            let mut by_size: BTreeMap<u64, u64> = BTreeMap::new();
            for count in counts.values() {
                *by_size.entry((*count).min(50)).or_default() += 1;
            }
            by_size.into_iter().collect::<Vec<_>>()
        };
        let works = self.records - self.supplements;
        serde_json::json!({
            "records": self.records,
            "years": self.years.iter().collect::<Vec<_>>(),
            "status": self.status.iter().collect::<Vec<_>>(),
            "doc_types": self.doc_types.iter().collect::<Vec<_>>(),
            "ics_fields": self.ics_fields.iter().collect::<Vec<_>>(),
            "title_words": self.title_words.iter().collect::<Vec<_>>(),
            "editions_per_work": histogram(&self.works),
            "parts_per_series": histogram(&self.series),
            "part_share": ratio(self.with_parts, works),
            "supplement_share": ratio(self.supplements, self.records),
        })
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        ((part as f64 / whole as f64) * 1000.0).round() / 1000.0
    }
}

fn read_relaton(path: &Path, family: &mut Family, words: &mut [(&str, HashMap<String, u64>)]) {
    let Ok(file) = std::fs::File::open(path) else {
        eprintln!("skipped {}: cannot be opened", path.display());
        return;
    };
    let reader: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(std::io::BufReader::new(flate2::read::GzDecoder::new(file)))
    } else {
        Box::new(std::io::BufReader::new(file))
    };
    for line in reader.lines().map_while(Result::ok) {
        let Ok((record, _)) = read_json_line(&line) else {
            continue;
        };
        family.add(&record);
        for (lang, counts) in words.iter_mut() {
            if let Some(title) = record.title(lang) {
                count_words(title, counts);
            }
        }
    }
}

fn count_words(title: &str, counts: &mut HashMap<String, u64>) {
    for word in title.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-')) {
        let word = word.trim_matches(|c: char| c == '-' || c == '\'');
        if word.chars().count() > 1 && !word.chars().all(|c| c.is_ascii_digit()) {
            *counts.entry(word.to_lowercase()).or_default() += 1;
        }
    }
}

fn top(counts: HashMap<String, u64>, most: usize) -> Vec<(String, u64)> {
    let mut sorted: Vec<(String, u64)> = counts.into_iter().filter(|(_, c)| *c > 1).collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sorted.truncate(most);
    sorted
}

fn chinese_words(demo: &Path) -> Result<Vec<(String, u64)>, Box<dyn std::error::Error>> {
    let jieba = jieba_rs::Jieba::new();
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut texts = Vec::new();
    let mut standards = csv::Reader::from_path(demo.join("catalog/cn-standards.csv"))?;
    for row in standards.records() {
        texts.push(row?.get(1).unwrap_or_default().to_owned());
    }
    for level in 1..=3 {
        let mut names =
            csv::Reader::from_path(demo.join(format!("reference/ccs-level{level}.csv")))?;
        for row in names.records() {
            texts.push(row?.get(1).unwrap_or_default().to_owned());
        }
    }
    for text in texts {
        for token in jieba.cut(&text, false) {
            let word = token.word;
            let chinese = word.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
            if chinese && word.chars().count() >= 2 {
                *counts.entry(word.to_owned()).or_default() += 1;
            }
        }
    }
    let mut sorted: Vec<(String, u64)> = counts.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sorted.truncate(2_000);
    Ok(sorted)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(catalog), Some(demo)) = (args.get(1), args.get(2)) else {
        return Err("usage: derive_profile CATALOG_DIR DEMO_DIR".into());
    };
    let catalog = Path::new(catalog);
    let mut families = serde_json::Map::new();
    let mut english = HashMap::new();
    let mut french = HashMap::new();
    let sources = [
        ("ISO", "relaton-iso/iso.relaton.jsonl.gz", true),
        ("IEC", "relaton-iec/iec.relaton.jsonl.gz", false),
        ("ITU", "relaton-itu/itu.relaton.jsonl.gz", false),
        ("JIS", "relaton-jis/jis.relaton.jsonl.gz", false),
        ("EASC", "relaton-easc/easc.relaton.jsonl", false),
    ];
    for (name, file, keep_words) in sources {
        let mut family = Family::default();
        let mut words = vec![("en", HashMap::new()), ("fr", HashMap::new())];
        read_relaton(&catalog.join(file), &mut family, &mut words);
        if keep_words {
            english = std::mem::take(&mut words[0].1);
            french = std::mem::take(&mut words[1].1);
        }
        eprintln!("{name}: {} records", family.records);
        families.insert(name.to_owned(), family.to_json());
    }
    let demo = Path::new(demo);
    let mut china = Family::default();
    let mut standards = csv::Reader::from_path(demo.join("catalog/cn-standards.csv"))?;
    let header = standards.headers()?.clone();
    for row in standards.records() {
        let row = row?;
        let fields: HashMap<&str, &str> = header.iter().zip(row.iter()).collect();
        if let Ok(record) = stdbridge_catalog::generic::standard_from_row(&fields) {
            china.add(&record);
        }
    }
    families.insert("GB".to_owned(), china.to_json());
    let profile = serde_json::json!({
        "about": "Counts that `stdbridge gen-catalog` follows. Made by crates/stdbridge-catalog/examples/derive_profile.rs from relaton-data-iso/iec/itu/jis/easc (counts only) and the demo data. English and French word frequencies: contains information from ISO Open Data, made available under the Open Data Commons Attribution License (ODC-By 1.0). Chinese word frequencies: from demo/catalog/cn-standards.csv and the CCS names.",
        "families": families,
        "words": {
            "en": top(english, 4_000),
            "fr": top(french, 3_000),
            "zh": chinese_words(demo)?,
        },
    });
    println!("{}", serde_json::to_string(&profile)?);
    Ok(())
}
