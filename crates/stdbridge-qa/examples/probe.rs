//! Runs the checks over a parallel corpus (a Chinese file and an English file, one
//! sentence per line) and prints how many pairs each check flags, with examples: a way
//! to look for false alarms on real translations.
//!
//! `cargo run --release -p stdbridge-qa --example probe -- ZH_FILE EN_FILE [CHECK] [SHOW]`

use std::collections::BTreeMap;

use stdbridge_qa::{CheckId, NoCatalog, NoTerms, Options, Pair, check};

fn join_tokens(line: &str) -> String {
    let chars: Vec<char> = line.trim().chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' {
            let before = i.checked_sub(1).map(|p| chars[p]);
            let after = chars.get(i + 1);
            if before.is_some_and(|b| !b.is_ascii()) || after.is_some_and(|a| !a.is_ascii()) {
                continue;
            }
        }
        if *c == ' ' && out.ends_with(' ') {
            continue;
        }
        out.push(*c);
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(zh), Some(en)) = (args.get(1), args.get(2)) else {
        return Err("usage: probe ZH_FILE EN_FILE [CHECK] [SHOW]".into());
    };
    let only = args.get(3).and_then(|name| CheckId::parse(name));
    let show: usize = args.get(4).and_then(|n| n.parse().ok()).unwrap_or(10);
    let zh = std::fs::read_to_string(zh)?;
    let en = std::fs::read_to_string(en)?;
    let pairs: Vec<Pair> = zh
        .lines()
        .zip(en.lines())
        .enumerate()
        .map(|(index, (zh, en))| {
            Pair::text(
                format!("{}", index + 1),
                index + 1,
                &join_tokens(zh),
                en.trim(),
            )
        })
        .collect();
    let mut options = Options::new("zh-CN", "en");
    for id in [
        CheckId::VerbalForm,
        CheckId::Number,
        CheckId::Unit,
        CheckId::Designation,
    ] {
        if only.is_none_or(|only| only == id) {
            options.checks.insert(id);
        }
    }
    let findings = check(&pairs, &options, &NoTerms, &NoCatalog);
    let mut flagged: BTreeMap<CheckId, std::collections::BTreeSet<usize>> = BTreeMap::new();
    for finding in &findings {
        flagged
            .entry(finding.check)
            .or_default()
            .insert(finding.segment);
    }
    println!("{} pairs", pairs.len());
    for (id, segments) in &flagged {
        println!(
            "{id}: {} pairs flagged ({:.1} %)",
            segments.len(),
            100.0 * segments.len() as f64 / pairs.len() as f64
        );
    }
    for finding in findings.iter().take(show) {
        let pair = &pairs[finding.segment - 1];
        println!(
            "\n[{}] {} {:?}",
            finding.check, finding.message, finding.severity
        );
        println!(
            "  zh: {}",
            stdbridge_content::model::plain_text(&pair.source)
        );
        println!(
            "  en: {}",
            stdbridge_content::model::plain_text(pair.target.as_deref().unwrap_or_default())
        );
    }
    Ok(())
}
