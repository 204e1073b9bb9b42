//! Canonical display of designations and their lookup keys.

use super::{Designation, Edition, Family, KeyMode, Supplement, is_stage_word};
use std::fmt::Write;

/// The designation as its publisher writes it today.
pub(crate) fn canonical(d: &Designation) -> String {
    let mut out = String::new();
    write_prefix(&mut out, d);
    write_kind(&mut out, d);
    out.push(' ');
    out.push_str(&d.number);
    if let Some(iteration) = d.iteration {
        let _ = write!(out, ".{iteration}");
    }
    if let Some(edition) = d.edition {
        write_edition(&mut out, d.family, edition);
    }
    for supplement in &d.supplements {
        write_supplement(&mut out, d.family, supplement);
    }
    if let Some(adopted) = &d.adopts {
        out.push('/');
        out.push_str(&canonical(adopted));
    }
    if let Some(trailer) = &d.trailer {
        out.push(' ');
        out.push_str(trailer);
    }
    out
}

fn write_prefix(out: &mut String, d: &Designation) {
    let joiner = if d.family == Family::Itu { "-" } else { "/" };
    let layers: Vec<String> = d.prefix.iter().map(|layer| layer.join(joiner)).collect();
    out.push_str(&layers.join(" "));
}

fn write_kind(out: &mut String, d: &Designation) {
    if d.kind.is_empty() {
        return;
    }
    let words: Vec<&str> = d.kind.iter().map(|word| display_word(word)).collect();
    let single_publisher = d.prefix.len() == 1 && d.prefix[0].len() == 1;
    let slash = single_publisher && d.prefix[0][0] != "IEC" && !d.kind.iter().any(|w| w == "GUIDE");
    out.push(if slash { '/' } else { ' ' });
    out.push_str(&words.join(" "));
}

fn display_word(word: &str) -> &str {
    match word {
        "GUIDE" => "Guide",
        "DGUIDE" => "DGuide",
        "AMD" => "Amd",
        "COR" => "Cor",
        "ADD" => "Add",
        "SUPPL" => "Suppl",
        "EXT" => "Ext",
        other => other,
    }
}

fn write_edition(out: &mut String, family: Family, edition: Edition) {
    match (family, edition) {
        (Family::Itu, Edition::Year(year)) => {
            let _ = write!(out, " ({year})");
        }
        (Family::Itu, Edition::YearMonth(year, month)) => {
            let _ = write!(out, " ({month:02}/{year})");
        }
        (_, Edition::Revision(revision)) => {
            let _ = write!(out, "-{revision}");
        }
        (Family::China, Edition::Year(year)) => {
            let _ = write!(out, "-{year}");
        }
        (Family::Gost, Edition::Year(year)) if year < 2000 => {
            let _ = write!(out, "-{:02}", year % 100);
        }
        (Family::Gost, Edition::Year(year)) => {
            let _ = write!(out, "-{year}");
        }
        (_, Edition::Year(year)) => {
            let _ = write!(out, ":{year}");
        }
        (_, Edition::YearMonth(year, month)) => {
            let _ = write!(out, ":{year}-{month:02}");
        }
    }
}

fn write_supplement(out: &mut String, family: Family, supplement: &Supplement) {
    if family == Family::Itu {
        out.push(' ');
        let words: Vec<String> = supplement
            .kind
            .split(' ')
            .map(|word| format!("{}.", title_case(display_word(word))))
            .collect();
        out.push_str(&words.join(" "));
        if let Some(number) = &supplement.number {
            let _ = write!(out, " {number}");
        }
        if let Some(edition) = supplement.edition {
            write_edition(out, family, edition);
        }
        return;
    }
    let words: Vec<&str> = supplement
        .kind
        .split(' ')
        .map(|word| match (family, word) {
            (Family::Jis, "AMD") => "AMENDMENT",
            (_, word) => display_word(word),
        })
        .collect();
    if supplement.consolidated {
        out.push('+');
        out.push_str(&words.join(" ").to_uppercase());
        if let Some(number) = &supplement.number {
            out.push_str(number);
        }
    } else {
        out.push('/');
        out.push_str(&words.join(" "));
        if let Some(number) = &supplement.number {
            let _ = write!(out, " {number}");
        }
    }
    if let Some(iteration) = supplement.iteration {
        let _ = write!(out, ".{iteration}");
    }
    if let Some(edition) = supplement.edition {
        match edition {
            Edition::Year(year) => {
                let _ = write!(out, ":{year}");
            }
            Edition::YearMonth(year, month) => {
                let _ = write!(out, ":{year}-{month:02}");
            }
            Edition::Revision(revision) => {
                let _ = write!(out, "-{revision}");
            }
        }
    }
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// The key of a designation: every publisher and type word joined by `/`, then the number,
/// the edition after `:` and the supplements. Undated keys leave out the edition of the
/// last part, the draft stage and the iteration.
pub(crate) fn key(d: &Designation, mode: KeyMode) -> String {
    let mut out = String::new();
    let mut words: Vec<&str> = d.prefix.iter().flatten().map(String::as_str).collect();
    for word in &d.kind {
        match mode {
            KeyMode::Dated => words.push(word),
            KeyMode::Undated => {
                if let Some(kept) = undated_kind_word(word) {
                    words.push(kept);
                }
            }
        }
    }
    out.push_str(&words.join("/"));
    out.push(' ');
    if d.family == Family::Itu {
        // ITU numbers hold words (`D.301 R`, `H Suppl. 9`, `Q.765.1 bis`) that people
        // type with or without spaces.
        out.push_str(&d.number.replace(' ', ""));
    } else {
        out.push_str(&d.number);
    }
    let undated_base = mode == KeyMode::Undated && d.supplements.is_empty();
    if mode == KeyMode::Dated
        && let Some(iteration) = d.iteration
    {
        let _ = write!(out, ".{iteration}");
    }
    if let Some(edition) = d.edition
        && !undated_base
    {
        write_key_edition(&mut out, edition);
    }
    let last = d.supplements.len().saturating_sub(1);
    for (index, supplement) in d.supplements.iter().enumerate() {
        let undated = mode == KeyMode::Undated && index == last;
        out.push(if supplement.consolidated { '+' } else { '/' });
        if undated {
            out.push_str(undated_supplement_kind(&supplement.kind));
        } else {
            out.push_str(&supplement.kind);
        }
        if let Some(number) = &supplement.number {
            let _ = write!(out, " {number}");
        }
        if !undated {
            if let Some(iteration) = supplement.iteration {
                let _ = write!(out, ".{iteration}");
            }
            if let Some(edition) = supplement.edition {
                write_key_edition(&mut out, edition);
            }
        }
    }
    if let Some(trailer) = &d.trailer {
        out.push(' ');
        out.push_str(trailer);
    }
    out
}

fn write_key_edition(out: &mut String, edition: Edition) {
    match edition {
        Edition::Year(year) => {
            let _ = write!(out, ":{year}");
        }
        Edition::YearMonth(year, month) => {
            let _ = write!(out, ":{year}-{month:02}");
        }
        Edition::Revision(revision) => {
            let _ = write!(out, ":R{revision}");
        }
    }
}

/// Draft-stage words vanish from the undated key; draft types become their final type.
fn undated_kind_word(word: &str) -> Option<&str> {
    match word {
        "DTR" | "PDTR" => Some("TR"),
        "DTS" | "PDTS" => Some("TS"),
        "DPAS" => Some("PAS"),
        "DGUIDE" => Some("GUIDE"),
        "DTTA" => Some("TTA"),
        "DISP" | "FDISP" => Some("ISP"),
        word if is_stage_word(word) => None,
        word => Some(word),
    }
}

fn undated_supplement_kind(kind: &str) -> &str {
    let last = kind.rsplit(' ').next().unwrap_or(kind);
    match last {
        "DAM" | "FDAM" | "PDAM" => "AMD",
        "DCOR" | "FDCOR" => "COR",
        "DAD" | "FDAD" => "ADD",
        other => other,
    }
}
