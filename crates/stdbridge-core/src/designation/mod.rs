//! Designations of standards ("GB/T 17766-2020", "ISO/IEC 27001:2022/Amd 1:2024",
//! "ГОСТ Р 34.11-2012", "ITU-T X.509 (10/2019)"): parsing, canonical display and the
//! lookup keys under which every spelling of one designation meets.

mod display;
mod lex;
mod nature;
mod normalize;
mod parse;
#[cfg(test)]
mod tests;

pub use nature::Nature;
pub use normalize::fold;
pub use parse::parse_candidates;

use serde::{Deserialize, Serialize};

/// The convention a designation follows, which decides how its year and parts are
/// written: `ISO 9001:2015` and `JIS C 60068-2-82:2021` put the year after a colon and
/// parts after hyphens; `GB/T 1.1-2020` and `GOST R 34.11-2012` put parts after dots and
/// the year after a hyphen; ITU writes `X.509 (10/2019)` or `SM.1793-0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// ISO, IEC, CEN, national bodies that follow ISO's form (BS, DIN, EN…).
    Iso,
    /// China: GB, GB/T, GB/Z, sector (JB/T, YY/T…), group (T/CECS) and local (DB11/T).
    China,
    /// GOST, GOST R, interstate (EASC) PMG/RMG documents, STB.
    Gost,
    /// Japan's JIS and Korea's KS, with their division letter.
    Jis,
    /// ITU-T and ITU-R recommendations.
    Itu,
}

/// The edition part of a designation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Edition {
    /// A year (`:2015`, `-2020`, `-90`).
    Year(u16),
    /// A year and month (`(10/2019)` in ITU, `:2015-11` in DIN).
    YearMonth(u16, u8),
    /// A revision number (ITU-R `SM.1793-0`).
    Revision(u32),
}

impl Edition {
    /// The year of the edition, when it has one.
    pub fn year(self) -> Option<u16> {
        match self {
            Edition::Year(year) | Edition::YearMonth(year, _) => Some(year),
            Edition::Revision(_) => None,
        }
    }
}

/// An amendment, corrigendum or other supplement to a base document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Supplement {
    /// Joined by `+` (a consolidated version, `IEC 60335-1:2010+AMD1:2013 CSV`) rather than `/`.
    pub consolidated: bool,
    /// Upper-case words: `AMD`, `COR`, `ADD`, `SUPPL`, `EXT`, `DAM`, `CD AMD`, `TECHNICAL COR`.
    pub kind: String,
    /// The supplement's number (`1` in `Amd 1`), absent in `Suppl:1993`.
    pub number: Option<String>,
    /// Draft iteration (`.2` in `CD Amd 1.2`).
    pub iteration: Option<u32>,
    /// Its year or date.
    pub edition: Option<Edition>,
}

/// A parsed designation. Build one with [`Designation::parse`]; compare spellings with
/// [`Designation::key`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Designation {
    /// How the designation is written.
    pub family: Family,
    /// Publishers and markers, in layers: `BS EN ISO` is three layers of one, `ISO/IEC` one
    /// layer of two, `GB/T` one layer of `GB` and `T`.
    pub prefix: Vec<Vec<String>>,
    /// Document type and stage words after the publishers: `TR`, `TS`, `GUIDE`, `DIS`, `CD`.
    pub kind: Vec<String>,
    /// The number with its parts as written (`9001`, `10033-1`, `1.1`, `X.509`, `C 60068-2-82`).
    pub number: String,
    /// Draft iteration (`ISO/DIS 10545-24.2`).
    pub iteration: Option<u32>,
    /// The year, date or revision.
    pub edition: Option<Edition>,
    /// Amendments and corrigenda, in order.
    pub supplements: Vec<Supplement>,
    /// Words after the designation proper (`CSV`, `RLV`, `SYMBOL 51100`).
    pub trailer: Option<String>,
    /// The international standard named after a national one (`GB/T 19001-2016/ISO 9001:2015`).
    pub adopts: Option<Box<Designation>>,
}

/// Why text could not be read as a designation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DesignationError {
    /// Nothing but spaces or punctuation.
    #[error("empty designation")]
    Empty,
    /// No publisher prefix before the number.
    #[error("{input:?}: no publisher before the number")]
    NoPrefix {
        /// The text as given.
        input: String,
    },
    /// No document number.
    #[error("{input:?}: no document number")]
    NoNumber {
        /// The text as given.
        input: String,
    },
    /// Text after the designation that is not a supplement, year or known trailer.
    #[error("{input:?}: cannot read {rest:?}")]
    Unexpected {
        /// The text as given.
        input: String,
        /// The part that could not be read, as folded.
        rest: String,
    },
}

/// Stage words: they mark a draft of a document, not another document type.
const STAGE_WORDS: &[&str] = &[
    "NP", "PWI", "AWI", "WD", "CD", "DIS", "FDIS", "PRF", "PR", "DTR", "DTS", "DPAS", "DTTA",
    "DISP", "FDISP", "PDTR", "PDTS", "DGUIDE", "DIR", "FD",
];

impl Designation {
    /// Parses a designation in any spelling: case, spacing, full-width characters, dashes,
    /// Cyrillic prefixes and `GBT`/`GB T` for `GB/T` all give the same result.
    pub fn parse(input: &str) -> Result<Self, DesignationError> {
        parse::parse(input)
    }

    /// The lookup key: one string for all spellings of this designation (upper case,
    /// publishers joined by `/`, year after `:`). Not meant for display.
    pub fn key(&self) -> String {
        display::key(self, KeyMode::Dated)
    }

    /// The key of the work regardless of edition: the year (of the last supplement, if
    /// any) and draft stage removed, so that `ISO 9001` meets every edition of ISO 9001
    /// and `ISO/DIS 9001`.
    pub fn undated_key(&self) -> String {
        display::key(self, KeyMode::Undated)
    }

    /// The year of the edition the designation names, if any (the base document's year).
    pub fn year(&self) -> Option<u16> {
        self.edition.and_then(Edition::year)
    }

    /// The year of the document the designation names: a supplement's own year
    /// (`ISO 9001:2015/Amd 1:2024` → 2024; none for an undated `/Amd 1`), else the
    /// edition's.
    pub fn own_year(&self) -> Option<u16> {
        match self.supplements.last() {
            Some(supplement) => supplement.edition.and_then(Edition::year),
            None => self.year(),
        }
    }

    /// Whether the designation names an edition (year, date or revision) of its last part.
    pub fn is_dated(&self) -> bool {
        match self.supplements.last() {
            Some(supplement) => supplement.edition.is_some(),
            None => self.edition.is_some(),
        }
    }

    /// The publishers in order (`["BS", "EN", "ISO"]`, `["ISO", "IEC"]`, `["GB"]`), without
    /// China's `T`/`Z` markers.
    pub fn publishers(&self) -> Vec<&str> {
        self.prefix
            .iter()
            .flatten()
            .map(String::as_str)
            .filter(|word| !(self.family == Family::China && matches!(*word, "T" | "Z")))
            .collect()
    }

    /// Whether a stage word marks this as a draft (`ISO/DIS 10012`, `ISO 9001:2015/DAM 1`).
    pub fn is_draft(&self) -> bool {
        self.kind.iter().any(|word| is_stage_word(word))
            || self
                .supplements
                .iter()
                .any(|supplement| supplement_is_draft(&supplement.kind))
    }

    /// The designation of the base document of a supplement (`ISO 9001:2015` for
    /// `ISO 9001:2015/Amd 1:2024`), or `None` when there is no supplement.
    pub fn base(&self) -> Option<Designation> {
        if self.supplements.is_empty() {
            return None;
        }
        let mut base = self.clone();
        base.supplements.pop();
        base.trailer = None;
        Some(base)
    }
}

impl std::fmt::Display for Designation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&display::canonical(self))
    }
}

impl std::str::FromStr for Designation {
    type Err = DesignationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Designation::parse(text)
    }
}

/// Which key [`display::key`] writes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyMode {
    Dated,
    Undated,
}

pub(crate) fn is_stage_word(word: &str) -> bool {
    STAGE_WORDS.contains(&word)
}

fn supplement_is_draft(kind: &str) -> bool {
    kind.split(' ').count() > 1 && !kind.starts_with("TECHNICAL")
        || matches!(
            kind,
            "DAM" | "FDAM" | "PDAM" | "DCOR" | "FDCOR" | "DAD" | "FDAD"
        )
}

/// The lookup keys of any text used as a designation: the parsed keys when it parses,
/// else the folded text itself (so that unusual designations still meet their spellings).
pub fn lenient_keys(text: &str) -> (String, String) {
    match Designation::parse(text) {
        Ok(designation) => (designation.key(), designation.undated_key()),
        Err(_) => {
            let folded = fold(text);
            (folded.clone(), folded)
        }
    }
}
