//! The designation parser: family detection, prefix, number, edition, supplements.

use std::fmt::Write;

use super::lex::{Cursor, Token, tokenize};
use super::normalize::fold;
use super::{Designation, DesignationError, Edition, Family, Supplement, is_stage_word};

/// China's sector prefixes (industry standards administered by ministries), from the list
/// kept by relaton-gb (BSD-2-Clause), plus the national GB family.
const CHINA_PREFIXES: &[&str] = &[
    "GB", "GBN", "GJB", "GSB", "NY", "SC", "SL", "QB", "FZ", "YY", "MZ", "JY", "YC", "YB", "YS",
    "SY", "HG", "SH", "JC", "DZ", "TD", "CH", "JB", "QC", "MH", "WJ", "CB", "HB", "QJ", "EJ", "TB",
    "JT", "LD", "SJ", "YD", "GY", "DY", "DL", "JR", "HY", "DA", "SN", "WH", "TY", "SB", "WB", "HJ",
    "XB", "CJ", "JG", "CY", "MT", "WS", "GA", "BB", "DB", "LB", "QX", "WM", "HS", "YZ", "GM", "AQ",
    "GH", "LS", "TJ", "ZY", "CECS",
];

/// Prefixes of the GOST convention (after transliteration of Cyrillic).
const GOST_PREFIXES: &[&str] = &["GOST", "RMG", "PMG", "STB", "OST", "SNIP", "SP", "PNST"];

/// Document-type words that follow the publishers in ISO-style designations.
const KIND_WORDS: &[&str] = &["TR", "TS", "PAS", "GUIDE", "ISP", "R", "DATA", "TTA", "SUP"];

/// Words that name a supplement, with the canonical word.
const SUPPLEMENT_WORDS: &[(&str, &str)] = &[
    ("AMD", "AMD"),
    ("AMENDMENT", "AMD"),
    ("A", "AMD"),
    ("COR", "COR"),
    ("CORRIGENDUM", "COR"),
    ("AC", "COR"),
    ("ADD", "ADD"),
    ("ADDENDUM", "ADD"),
    ("SUPPL", "SUPPL"),
    ("SUPPLEMENT", "SUPPL"),
    ("EXT", "EXT"),
    ("DAM", "DAM"),
    ("FDAM", "FDAM"),
    ("PDAM", "PDAM"),
    ("DCOR", "DCOR"),
    ("FDCOR", "FDCOR"),
    ("DAD", "DAD"),
    ("ISH", "ISH"),
    ("FRAG", "FRAG"),
    ("EXPL", "EXPL"),
    ("ERR", "ERR"),
    ("ERRATUM", "ERR"),
];

/// Parses one designation, choosing `-YYYY` as the year in `ISO9001-2008`.
pub(crate) fn parse(input: &str) -> Result<Designation, DesignationError> {
    parse_with(input, HyphenYear::Accept)
}

/// Every reading of an ambiguous designation, most likely first: `ISO 8802-2001` may be
/// part 2001 or the 2001 edition of ISO 8802. Unambiguous input gives one reading.
pub fn parse_candidates(input: &str) -> Vec<Designation> {
    let mut candidates = Vec::new();
    if let Ok(first) = parse_with(input, HyphenYear::Accept) {
        candidates.push(first);
    }
    if let Ok(second) = parse_with(input, HyphenYear::Refuse)
        && !candidates.contains(&second)
    {
        candidates.push(second);
    }
    candidates
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HyphenYear {
    Accept,
    Refuse,
}

fn parse_with(input: &str, hyphen_year: HyphenYear) -> Result<Designation, DesignationError> {
    let folded = fold(input);
    let tokens = split_glued_division(tokenize(&folded));
    if !tokens
        .iter()
        .any(|token| matches!(token, Token::Word(_) | Token::Num(_)))
    {
        return Err(DesignationError::Empty);
    }
    let mut parser = Parser {
        input,
        cursor: Cursor::new(tokens),
        hyphen_year,
    };
    let family = detect_family(&parser.cursor);
    match family {
        Family::Itu => parser.itu(),
        _ => parser.general(family),
    }
}

fn detect_family(cursor: &Cursor) -> Family {
    let Some(first) = cursor.peek_word() else {
        return Family::Iso;
    };
    let first = first.to_owned();
    if first == "ITU" || first == "ITUT" || first == "ITUR" || first == "CCITT" {
        return Family::Itu;
    }
    if GOST_PREFIXES.contains(&first.as_str()) {
        return Family::Gost;
    }
    if first == "JIS" || first == "KS" {
        return Family::Jis;
    }
    if (first == "TR" || first == "TS") && looks_like_division(cursor) {
        return Family::Jis;
    }
    if is_china_prefix(&first) || (first == "T" && cursor.peek_at(1) == Some(&Token::Sym('/'))) {
        return Family::China;
    }
    Family::Iso
}

/// `JISA1228` typed without spaces: `JIS`, then the division letter `A`.
fn split_glued_division(mut tokens: Vec<Token>) -> Vec<Token> {
    if let Some(Token::Word(word)) = tokens.first() {
        let prefix = ["JIS", "KS"]
            .into_iter()
            .find(|p| word.len() == p.len() + 1 && word.starts_with(p));
        if let Some(prefix) = prefix {
            let letter = word[prefix.len()..].to_owned();
            tokens.splice(
                0..1,
                [
                    Token::Word(prefix.to_owned()),
                    Token::Space,
                    Token::Word(letter),
                ],
            );
        }
    }
    tokens
}

/// `TR X 0001` (a JIS technical report): word, space, one letter, space, number.
fn looks_like_division(cursor: &Cursor) -> bool {
    matches!(
        (cursor.peek_at(1), cursor.peek_at(2), cursor.peek_at(3), cursor.peek_at(4)),
        (Some(Token::Space), Some(Token::Word(letter)), Some(Token::Space), Some(Token::Num(_)))
            if letter.len() == 1
    )
}

fn is_china_prefix(word: &str) -> bool {
    CHINA_PREFIXES.contains(&word) || china_glued_marker(word).is_some()
}

/// `GBT` → (`GB`, `T`), `JBT` → (`JB`, `T`): the recommended/guidance marker glued on.
fn china_glued_marker(word: &str) -> Option<(&str, &str)> {
    let (stem, marker) = match (word.strip_suffix('T'), word.strip_suffix('Z')) {
        (Some(stem), _) => (stem, "T"),
        (_, Some(stem)) => (stem, "Z"),
        _ => return None,
    };
    CHINA_PREFIXES.contains(&stem).then_some((stem, marker))
}

struct Parser<'a> {
    input: &'a str,
    cursor: Cursor,
    hyphen_year: HyphenYear,
}

impl Parser<'_> {
    fn general(&mut self, family: Family) -> Result<Designation, DesignationError> {
        let (prefix, kind) = self.prefix(family)?;
        let (number, mut edition) = self.number(family)?;
        let mut number = number;
        let mut iteration = None;
        if family == Family::Iso && kind.iter().any(|word| is_stage_word(word)) {
            (number, iteration) = split_iteration(number);
        }
        if self.cursor.eat_sym(':') {
            edition = Some(self.colon_edition()?);
        } else if edition.is_none() && family == Family::Iso {
            edition = self.spaced_year();
        }
        let supplements = self.supplements()?;
        let adopts = self.adoption(family)?;
        self.skip_language_marker();
        let trailer = self.trailer()?;
        Ok(Designation {
            family,
            prefix,
            kind,
            number,
            iteration,
            edition,
            supplements,
            trailer,
            adopts,
        })
    }

    fn prefix(
        &mut self,
        family: Family,
    ) -> Result<(Vec<Vec<String>>, Vec<String>), DesignationError> {
        let mut layers: Vec<Vec<String>> = Vec::new();
        let mut kind = Vec::new();
        let mut joint = false;
        loop {
            match self.cursor.peek().cloned() {
                Some(Token::Word(word)) => {
                    if family == Family::Jis && word.len() == 1 && !layers.is_empty() {
                        break;
                    }
                    self.cursor.bump();
                    let word = self.glue_local_code(family, word);
                    if family == Family::Iso
                        && (KIND_WORDS.contains(&word.as_str()) || is_stage_word(&word))
                    {
                        kind.push(word);
                    } else if family == Family::Iso
                        && let Some((publisher, glued_kind)) = split_glued_kind(&word)
                    {
                        // `ISO/IECTR 10036` typed without its space: `IEC` and `TR`.
                        push_word(&mut layers, publisher.to_owned(), joint);
                        kind.push(glued_kind.to_owned());
                    } else if family == Family::China
                        && let Some((stem, marker)) = china_glued_marker(&word)
                        && !CHINA_PREFIXES.contains(&word.as_str())
                    {
                        push_word(&mut layers, stem.to_owned(), joint);
                        push_word(&mut layers, marker.to_owned(), true);
                    } else {
                        push_word(&mut layers, word, joint);
                    }
                    joint = false;
                }
                Some(Token::Sym('/')) => {
                    self.cursor.bump();
                    joint = true;
                }
                Some(Token::Space) | Some(Token::Sym('-')) => {
                    self.cursor.bump();
                }
                Some(Token::Num(_)) => break,
                Some(_) | None => {
                    return Err(DesignationError::NoNumber {
                        input: self.input.to_owned(),
                    });
                }
            }
        }
        if layers.is_empty() {
            return Err(DesignationError::NoPrefix {
                input: self.input.to_owned(),
            });
        }
        if family == Family::China {
            join_china_markers(&mut layers);
        }
        Ok((layers, kind))
    }

    /// Publisher names with digits glued on: China's local standards (`DB11/T 1234`,
    /// `DB3701/T 5`) and `ISO/HL7 10781`.
    fn glue_local_code(&mut self, family: Family, word: String) -> String {
        let Some(code) = self.cursor.peek_num().map(str::to_owned) else {
            return word;
        };
        let short_enough = code.len() <= 2 || (family == Family::China && word == "DB");
        let then_prefix_ends = matches!(
            (self.cursor.peek_at(1), self.cursor.peek_at(2)),
            (Some(Token::Sym('/')), _) | (Some(Token::Space), Some(Token::Num(_)))
        );
        if short_enough && then_prefix_ends {
            self.cursor.bump();
            return format!("{word}{code}");
        }
        word
    }

    fn number(&mut self, family: Family) -> Result<(String, Option<Edition>), DesignationError> {
        let mut number = String::new();
        if family == Family::Jis
            && let Some(letter) = self.cursor.peek_word().map(str::to_owned)
        {
            self.cursor.bump();
            self.cursor.eat_space();
            number.push_str(&letter);
            number.push(' ');
        }
        let mut previous_glues = false;
        loop {
            match self.cursor.peek().cloned() {
                Some(Token::Num(digits)) => {
                    number.push_str(&digits);
                    previous_glues = true;
                }
                Some(Token::Word(word))
                    if previous_glues
                        && !(is_supplement_glue(&word)
                            && matches!(self.cursor.peek_at(1), Some(Token::Num(_)))) =>
                {
                    // `8802-1AC`, `105-E01`; but `AMD1` after a number starts a supplement.
                    number.push_str(&word);
                }
                Some(Token::Sym(sym @ ('-' | '.')))
                    if matches!(
                        self.cursor.peek_at(1),
                        Some(Token::Num(_)) | Some(Token::Word(_))
                    ) =>
                {
                    number.push(sym);
                    previous_glues = true;
                }
                _ => break,
            }
            self.cursor.bump();
        }
        if !number.chars().any(|ch| ch.is_ascii_digit()) {
            return Err(DesignationError::NoNumber {
                input: self.input.to_owned(),
            });
        }
        Ok(self.split_hyphen_year(family, number))
    }

    /// In China's and GOST's convention the last `-NN` or `-NNNN` is the year; in ISO's, a
    /// `-YYYY` at the end is read as a year only when no colon follows (`ISO9001-2008`).
    fn split_hyphen_year(&self, family: Family, number: String) -> (String, Option<Edition>) {
        let Some((stem, last)) = number.rsplit_once('-') else {
            return (number, None);
        };
        let all_digits = !last.is_empty() && last.chars().all(|ch| ch.is_ascii_digit());
        let year = match family {
            Family::China | Family::Gost if all_digits && (last.len() == 2 || last.len() == 4) => {
                expand_year(last)
            }
            Family::Iso | Family::Jis
                if self.hyphen_year == HyphenYear::Accept
                    && all_digits
                    && last.len() == 4
                    && self.cursor.peek() != Some(&Token::Sym(':')) =>
            {
                last.parse::<u16>()
                    .ok()
                    .filter(|year| (1900..=2099).contains(year))
            }
            _ => None,
        };
        match year {
            Some(year) => (stem.to_owned(), Some(Edition::Year(year))),
            None => (number, None),
        }
    }

    fn colon_edition(&mut self) -> Result<Edition, DesignationError> {
        let Some(digits) = self.cursor.peek_num().map(str::to_owned) else {
            return Err(self.unexpected());
        };
        self.cursor.bump();
        let year = expand_year(&digits).ok_or_else(|| self.unexpected())?;
        let position = self.cursor.position();
        if self.cursor.eat_sym('-')
            && let Some(month) = self.cursor.peek_num().and_then(|m| m.parse::<u8>().ok())
            && (1..=12).contains(&month)
        {
            self.cursor.bump();
            return Ok(Edition::YearMonth(year, month));
        }
        self.cursor.rewind(position);
        Ok(Edition::Year(year))
    }

    /// `ISO 9001 2015`: a lone four-digit year after a space.
    fn spaced_year(&mut self) -> Option<Edition> {
        let position = self.cursor.position();
        if self.cursor.eat_space()
            && let Some(year) = self
                .cursor
                .peek_num()
                .filter(|d| d.len() == 4)
                .and_then(|d| d.parse::<u16>().ok())
            && (1900..=2099).contains(&year)
            && self.cursor.peek_at(1).is_none()
        {
            self.cursor.bump();
            return Some(Edition::Year(year));
        }
        self.cursor.rewind(position);
        None
    }

    fn supplements(&mut self) -> Result<Vec<Supplement>, DesignationError> {
        let mut supplements = Vec::new();
        loop {
            let position = self.cursor.position();
            let consolidated = if self.cursor.eat_sym('/') {
                false
            } else if self.cursor.eat_sym('+') {
                true
            } else {
                break;
            };
            match self.supplement(consolidated)? {
                Some(supplement) => supplements.push(supplement),
                None => {
                    self.cursor.rewind(position);
                    break;
                }
            }
        }
        Ok(supplements)
    }

    fn supplement(&mut self, consolidated: bool) -> Result<Option<Supplement>, DesignationError> {
        let mut words = Vec::new();
        while let Some(word) = self.cursor.peek_word().map(str::to_owned) {
            self.cursor.bump();
            self.cursor.eat_sym('.');
            self.cursor.eat_space();
            words.push(word);
        }
        let Some(last) = words.pop() else {
            return Ok(None);
        };
        let Some(canonical) = supplement_word(&last) else {
            return Ok(None);
        };
        if !words.iter().all(|word| is_stage_word(word)) {
            return Ok(None);
        }
        words.push(canonical.to_owned());
        let number = self.cursor.peek_num().map(str::to_owned);
        if number.is_some() {
            self.cursor.bump();
        }
        let mut iteration = None;
        if self.cursor.peek() == Some(&Token::Sym('.'))
            && let Some(Token::Num(digits)) = self.cursor.peek_at(1)
        {
            iteration = digits.parse().ok();
            self.cursor.bump();
            self.cursor.bump();
        }
        let edition = if self.cursor.eat_sym(':') {
            Some(self.colon_edition()?)
        } else {
            None
        };
        Ok(Some(Supplement {
            consolidated,
            kind: words.join(" "),
            number,
            iteration,
            edition,
        }))
    }

    fn adoption(&mut self, family: Family) -> Result<Option<Box<Designation>>, DesignationError> {
        if !matches!(family, Family::China | Family::Gost) || !self.cursor.eat_sym('/') {
            return Ok(None);
        }
        let rest = self.cursor.rest_text();
        let adopted = parse(&rest).map_err(|_| DesignationError::Unexpected {
            input: self.input.to_owned(),
            rest: rest.clone(),
        })?;
        while self.cursor.bump().is_some() {}
        Ok(Some(Box::new(adopted)))
    }

    /// `(E)`: the language of an ISO reference, which names the same document.
    fn skip_language_marker(&mut self) {
        if let (Some(Token::Sym('(')), Some(Token::Word(letter)), Some(Token::Sym(')'))) = (
            self.cursor.peek(),
            self.cursor.peek_at(1),
            self.cursor.peek_at(2),
        ) && letter.len() == 1
        {
            self.cursor.bump();
            self.cursor.bump();
            self.cursor.bump();
        }
    }

    fn trailer(&mut self) -> Result<Option<String>, DesignationError> {
        if self.cursor.is_done() {
            return Ok(None);
        }
        // `…:2024 CSV`, or `…:2024CSV` typed without the space.
        let glued_word = matches!(self.cursor.peek(), Some(Token::Word(_)));
        if !self.cursor.eat_space() && !glued_word {
            return Err(self.unexpected());
        }
        let rest = self.cursor.rest_text();
        let trailer = rest.trim();
        if trailer.is_empty() {
            return Ok(None);
        }
        if !trailer.starts_with(|ch: char| ch.is_ascii_alphabetic()) {
            return Err(self.unexpected());
        }
        Ok(Some(trailer.to_owned()))
    }

    fn unexpected(&self) -> DesignationError {
        DesignationError::Unexpected {
            input: self.input.to_owned(),
            rest: self.cursor.rest_text(),
        }
    }

    /// `ITU-T X.509 (10/2019)`, `ITU-R SM.1793-0`, `ITU-T G.108.2 (2007) Amd. 1 (10/2007)`.
    fn itu(&mut self) -> Result<Designation, DesignationError> {
        let (sector, glued) = self.itu_sector()?;
        self.cursor.eat_space();
        // `ITU-RBT.709` typed without its space: the series letters are glued to the sector.
        let mut number = glued;
        loop {
            match self.cursor.peek().cloned() {
                None => break,
                Some(Token::Sym('(')) => {
                    // `H.265 (V6)`: a version marker belongs to the number.
                    match (self.cursor.peek_at(1), self.cursor.peek_at(2)) {
                        (Some(Token::Word(v)), Some(Token::Num(version))) if v == "V" => {
                            let _ = write!(number, " (V{version})");
                            self.cursor.bump();
                            self.cursor.bump();
                            self.cursor.bump();
                            if !self.cursor.eat_sym(')') {
                                return Err(self.unexpected());
                            }
                            continue;
                        }
                        _ => break,
                    }
                }
                Some(Token::Word(word))
                    if number.ends_with(' ')
                        && number.chars().any(|ch| ch.is_ascii_digit())
                        && supplement_word(&word).is_some()
                        || word == "TECHNICAL" =>
                {
                    break;
                }
                Some(Token::Space) => {
                    if !number.is_empty() && !number.ends_with(' ') {
                        number.push(' ');
                    }
                }
                Some(Token::Word(text)) | Some(Token::Num(text)) => number.push_str(&text),
                Some(Token::Sym(sym)) => number.push(sym),
            }
            self.cursor.bump();
        }
        let mut number = number.trim_end().to_owned();
        if number.is_empty() {
            return Err(DesignationError::NoNumber {
                input: self.input.to_owned(),
            });
        }
        let mut edition = self.itu_date()?;
        if edition.is_none()
            && sector == "R"
            && let Some((stem, revision)) = number.rsplit_once('-')
            && let Ok(revision) = revision.parse::<u32>()
        {
            edition = Some(Edition::Revision(revision));
            number = stem.to_owned();
        }
        let mut supplements = Vec::new();
        while let Some(supplement) = self.itu_supplement()? {
            supplements.push(supplement);
        }
        if !self.cursor.is_done() {
            return Err(self.unexpected());
        }
        Ok(Designation {
            family: Family::Itu,
            prefix: vec![vec!["ITU".to_owned(), sector]],
            kind: Vec::new(),
            number,
            iteration: None,
            edition,
            supplements,
            trailer: None,
            adopts: None,
        })
    }

    /// The sector (`T`, `R`, `D`) and any series letters glued to it (`RBT` → `R`, `BT`).
    fn itu_sector(&mut self) -> Result<(String, String), DesignationError> {
        let no_prefix = || DesignationError::NoPrefix {
            input: self.input.to_owned(),
        };
        let word = match self.cursor.bump() {
            Some(Token::Word(word)) if word == "ITUT" || word == "CCITT" => {
                return Ok(("T".to_owned(), String::new()));
            }
            Some(Token::Word(word)) if word == "ITUR" => {
                return Ok(("R".to_owned(), String::new()));
            }
            Some(Token::Word(_)) => {
                self.cursor.eat_sym('-');
                self.cursor.eat_space();
                match self.cursor.bump() {
                    Some(Token::Word(word)) => word,
                    _ => return Err(no_prefix()),
                }
            }
            _ => return Err(no_prefix()),
        };
        let (sector, rest) = word.split_at(1);
        if matches!(sector, "T" | "R" | "D") {
            Ok((sector.to_owned(), rest.to_owned()))
        } else {
            Err(no_prefix())
        }
    }

    /// `(10/2019)` or `(2007)`.
    fn itu_date(&mut self) -> Result<Option<Edition>, DesignationError> {
        self.cursor.eat_space();
        if !self.cursor.eat_sym('(') {
            return Ok(None);
        }
        let first = self.cursor.bump();
        let edition = match (first, self.cursor.peek().cloned()) {
            (Some(Token::Num(month)), Some(Token::Sym('/'))) => {
                self.cursor.bump();
                let year = self.cursor.bump();
                match (month.parse::<u8>(), year) {
                    (Ok(month), Some(Token::Num(year))) => {
                        let year = expand_year(&year).ok_or_else(|| self.unexpected())?;
                        Edition::YearMonth(year, month)
                    }
                    _ => return Err(self.unexpected()),
                }
            }
            (Some(Token::Num(year)), _) => {
                Edition::Year(expand_year(&year).ok_or_else(|| self.unexpected())?)
            }
            _ => return Err(self.unexpected()),
        };
        if !self.cursor.eat_sym(')') {
            return Err(self.unexpected());
        }
        Ok(Some(edition))
    }

    fn itu_supplement(&mut self) -> Result<Option<Supplement>, DesignationError> {
        self.cursor.eat_space();
        let mut words = Vec::new();
        while let Some(word) = self.cursor.peek_word().map(str::to_owned) {
            self.cursor.bump();
            self.cursor.eat_sym('.');
            self.cursor.eat_space();
            words.push(word);
        }
        let Some(last) = words.pop() else {
            return Ok(None);
        };
        let Some(canonical) = supplement_word(&last) else {
            return Err(self.unexpected());
        };
        words.push(canonical.to_owned());
        let number = self.cursor.peek_num().map(str::to_owned);
        if number.is_some() {
            self.cursor.bump();
        }
        let edition = self.itu_date()?;
        Ok(Some(Supplement {
            consolidated: false,
            kind: words.join(" "),
            number,
            iteration: None,
            edition,
        }))
    }
}

/// `IECTR` → (`IEC`, `TR`): a known publisher with a document type glued on.
fn split_glued_kind(word: &str) -> Option<(&str, &str)> {
    const PUBLISHERS: &[&str] = &[
        "ISO", "IEC", "IEEE", "CEN", "CLC", "ASTM", "CIE", "SAE", "ITU",
    ];
    PUBLISHERS.iter().find_map(|publisher| {
        let rest = word.strip_prefix(publisher)?;
        (KIND_WORDS.contains(&rest) || is_stage_word(rest)).then_some((*publisher, rest))
    })
}

fn push_word(layers: &mut Vec<Vec<String>>, word: String, joint: bool) {
    match layers.last_mut() {
        Some(layer) if joint => layer.push(word),
        _ => layers.push(vec![word]),
    }
}

/// `GB T` (a space for the slash) is `GB/T`.
fn join_china_markers(layers: &mut Vec<Vec<String>>) {
    let mut joined: Vec<Vec<String>> = Vec::with_capacity(layers.len());
    for layer in layers.drain(..) {
        let is_marker = layer.len() == 1 && matches!(layer[0].as_str(), "T" | "Z");
        match joined.last_mut() {
            Some(previous) if is_marker && previous.len() == 1 => previous.extend(layer),
            _ => joined.push(layer),
        }
    }
    *layers = joined;
}

/// `IEC 60027-1:1971/AMD1:1974`: `AMD` glued to its number is a supplement, not a part.
fn is_supplement_glue(word: &str) -> bool {
    supplement_word(word).is_some() && word.len() > 1
}

fn supplement_word(word: &str) -> Option<&'static str> {
    SUPPLEMENT_WORDS
        .iter()
        .find(|(spelling, _)| *spelling == word)
        .map(|(_, canonical)| *canonical)
}

/// `2015` → 2015; `90` → 1990 (two-digit years in GB and GOST designations are all 19xx).
fn expand_year(digits: &str) -> Option<u16> {
    let value: u16 = digits.parse().ok()?;
    match digits.len() {
        2 => Some(1900 + value),
        4 if (1800..=2199).contains(&value) => Some(value),
        _ => None,
    }
}

/// `10545-24.2` → (`10545-24`, 2): the iteration of a draft.
fn split_iteration(number: String) -> (String, Option<u32>) {
    match number.rsplit_once('.') {
        Some((stem, last)) if !stem.is_empty() && last.chars().all(|ch| ch.is_ascii_digit()) => {
            match last.parse() {
                Ok(iteration) => (stem.to_owned(), Some(iteration)),
                Err(_) => (number, None),
            }
        }
        _ => (number, None),
    }
}
