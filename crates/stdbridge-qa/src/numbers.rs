//! `number`: every number of the source is in the target and the target adds none.
//!
//! Numbers are read in every way the two languages write them: digits half- or
//! full-width, thousands separated by spaces (30 480, as ISO and GB write them) or commas,
//! a decimal point or comma (0,5 in ISO English), signs (−40, ±0.5), ranges
//! (40 mm～60 mm, 40-60, 40 to 60), percentages, Chinese numerals (三, 两, 十二, 百分之五)
//! and English number words (three, twelfth, twice). A number written with digits must be
//! found on the other side; numerals and number words only answer for digits (so that 一
//! in 一般 "general" or "one of" never raise a finding). Numbers inside designations,
//! grades and codes (GB/T 191-2008, Q235, M8, CO2) are left to the designation check.

use std::sync::LazyLock;

use regex::Regex;

use crate::finding::{CheckId, Message, Raw, Severity};
use crate::units::{Unit, unit_at};

/// A number found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Byte range of the number in the text.
    pub range: std::ops::Range<usize>,
    /// The values it may stand for (1,500 is 1500 or 1.5).
    pub values: Vec<f64>,
    /// A clause-like number (5.2.3) compared as written.
    pub dotted: Option<String>,
    /// Written with digits: it must be found on the other side.
    pub digits: bool,
    /// The unit after it, with its byte range.
    pub unit: Option<(Unit, std::ops::Range<usize>)>,
    /// Whether the unit follows with no space.
    pub glued: bool,
}

impl Quantity {
    /// Whether two quantities are the same number.
    pub fn same_number(&self, other: &Quantity) -> bool {
        match (&self.dotted, &other.dotted) {
            (Some(mine), Some(theirs)) => mine == theirs,
            (None, None) => self
                .values
                .iter()
                .any(|mine| other.values.iter().any(|theirs| close(*mine, *theirs))),
            _ => false,
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The numbers of a text, leaving out the byte ranges in `masked` (designations).
pub fn quantities(text: &str, chinese: bool, masked: &[std::ops::Range<usize>]) -> Vec<Quantity> {
    let mut found = digit_numbers(text, masked);
    found.extend(word_numbers(text, chinese, masked, &found));
    found.sort_by_key(|quantity| quantity.range.start);
    found
}

/// Half- and full-width digits, as ASCII.
fn ascii_digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}')
}

/// Numbers written with digits.
fn digit_numbers(text: &str, masked: &[std::ops::Range<usize>]) -> Vec<Quantity> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if ascii_digit(c).is_none() || masked.iter().any(|range| range.contains(&start)) {
            i += 1;
            continue;
        }
        let previous = i.checked_sub(1).map(|p| chars[p].1);
        if previous.is_some_and(|p| p.is_ascii_alphabetic() || p == '_' || ascii_digit(p).is_some())
        {
            // Part of a code or grade (Q235, M8, CO2): skip the whole run.
            while i < chars.len() && (ascii_digit(chars[i].1).is_some() || chars[i].1 == '.') {
                i += 1;
            }
            continue;
        }
        let (quantity, next) = read_number(text, &chars, i);
        out.push(quantity);
        i = next;
    }
    out
}

/// Reads the number that starts at `chars[i]`; returns it and the index after it.
fn read_number(text: &str, chars: &[(usize, char)], i: usize) -> (Quantity, usize) {
    let digits_from = |mut j: usize| {
        let mut digits = String::new();
        while j < chars.len()
            && let Some(d) = ascii_digit(chars[j].1)
        {
            digits.push(char::from(b'0' + d));
            j += 1;
        }
        (digits, j)
    };
    let (mut integer, mut j) = digits_from(i);
    let mut alternatives: Vec<String> = Vec::new();
    // Thousands groups of three digits after a space (30 480) — only after 1–3 digits.
    if integer.len() <= 3 {
        while let Some(&(_, gap)) = chars.get(j)
            && is_group_space(gap)
        {
            let (group, after) = digits_from(j + 1);
            let followed_by_digit = chars
                .get(after)
                .is_some_and(|(_, c)| ascii_digit(*c).is_some());
            if group.len() == 3 && !followed_by_digit {
                integer.push_str(&group);
                j = after;
            } else {
                break;
            }
        }
    }
    let mut fraction: Option<String> = None;
    let mut dotted: Option<String> = None;
    if let Some(&(_, mark)) = chars.get(j)
        && matches!(mark, '.' | ',' | '．')
    {
        let (digits, after) = digits_from(j + 1);
        if !digits.is_empty() {
            let another_dot = chars.get(after).is_some_and(|(_, c)| *c == '.')
                && chars
                    .get(after + 1)
                    .and_then(|(_, c)| ascii_digit(*c))
                    .is_some();
            if mark == '.' && another_dot {
                let mut written = format!("{integer}.{digits}");
                let mut k = after;
                while chars.get(k).is_some_and(|(_, c)| *c == '.') {
                    let (more, end) = digits_from(k + 1);
                    if more.is_empty() {
                        break;
                    }
                    written.push('.');
                    written.push_str(&more);
                    k = end;
                }
                dotted = Some(written);
                j = k;
            } else if mark == ',' && digits.len() == 3 {
                // 1,500: thousands or 1.5 with a decimal comma.
                alternatives.push(format!("{integer}.{digits}"));
                integer.push_str(&digits);
                j = after;
                while chars.get(j).is_some_and(|(_, c)| *c == ',') {
                    let (group, end) = digits_from(j + 1);
                    if group.len() != 3 {
                        break;
                    }
                    integer.push_str(&group);
                    alternatives.clear();
                    j = end;
                }
            } else {
                fraction = Some(digits);
                j = after;
            }
        }
    }
    let negative = is_negative(chars, i);
    let start = chars[i].0;
    let end = chars.get(j).map_or(text.len(), |(at, _)| *at);
    let mut values = Vec::new();
    let main = match &fraction {
        Some(fraction) => format!("{integer}.{fraction}"),
        None => integer.clone(),
    };
    values.extend(main.parse::<f64>().ok());
    values.extend(
        alternatives
            .iter()
            .filter_map(|text| text.parse::<f64>().ok()),
    );
    if negative {
        values.iter_mut().for_each(|value| *value = -*value);
    }
    let unit_from = skip_one_space(text, end);
    let unit = if dotted.is_none() {
        unit_at(text, unit_from)
    } else {
        None
    };
    let glued = unit.is_some() && unit_from == end;
    (
        Quantity {
            range: start..end,
            values,
            dotted,
            digits: true,
            unit,
            glued,
        },
        j,
    )
}

/// A minus sign directly before the number: U+2212 always; a hyphen after a space, an
/// opening bracket, a range mark or the start ("-40 ℃", "(-5)", "～-10"), but not after a
/// number or its unit ("5 mm - 10 mm" is a range).
fn is_negative(chars: &[(usize, char)], i: usize) -> bool {
    let Some(sign_index) = i.checked_sub(1) else {
        return false;
    };
    let sign = chars[sign_index].1;
    if sign == '−' {
        return true;
    }
    if !matches!(sign, '-' | '－' | '﹣') {
        return false;
    }
    let Some(before) = sign_index.checked_sub(1).map(|p| chars[p].1) else {
        return true;
    };
    if matches!(
        before,
        '(' | '（' | '[' | '～' | '~' | '〜' | '至' | '：' | ':' | '=' | '为' | '到'
    ) {
        return true;
    }
    if !before.is_whitespace() {
        return false;
    }
    // After a space: a range when a number, or a number's unit, comes before it.
    let mut k = sign_index - 1;
    while k > 0 && chars[k].1.is_whitespace() {
        k -= 1;
    }
    let mut word_start = k;
    while word_start > 0 && !chars[word_start - 1].1.is_whitespace() {
        word_start -= 1;
    }
    let word: String = chars[word_start..=k].iter().map(|(_, c)| c).collect();
    let ends_in_number = word
        .chars()
        .last()
        .is_some_and(|c| ascii_digit(c).is_some());
    let is_unit_after_number = word.chars().count() <= 4
        && word_start >= 2
        && ascii_digit(chars[word_start - 2].1).is_some();
    !(ends_in_number || is_unit_after_number || matches!(word.as_str(), "%" | "℃" | "°C"))
}

fn skip_one_space(text: &str, at: usize) -> usize {
    match text[at..].chars().next() {
        Some(c) if is_group_space(c) => at + c.len_utf8(),
        _ => at,
    }
}

static ENGLISH_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](one|two|three|four|five|six|seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred|thousand|million|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|once|twice|double|half|dozen)\b",
    )
    .unwrap_or_else(|error| panic!("built-in pattern: {error}"))
});

/// Month names: 1 May 2020 answers for 2020年5月1日.
static MONTHS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?")
        .unwrap_or_else(|error| panic!("built-in pattern: {error}"))
});

static CHINESE_NUMERALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(百分之)?([零〇一二两三四五六七八九十百千万亿]+)")
        .unwrap_or_else(|error| panic!("built-in pattern: {error}"))
});

/// Numbers written as words or Chinese numerals: they may answer for digits of the other
/// side, never raise a finding themselves.
fn word_numbers(
    text: &str,
    chinese: bool,
    masked: &[std::ops::Range<usize>],
    digits: &[Quantity],
) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut push = |range: std::ops::Range<usize>, value: f64| {
        if masked.iter().any(|m| m.contains(&range.start))
            || digits.iter().any(|d| d.range.contains(&range.start))
        {
            return;
        }
        let unit_from = skip_one_space(text, range.end);
        let unit = unit_at(text, unit_from);
        out.push(Quantity {
            range,
            values: vec![value],
            dotted: None,
            digits: false,
            unit,
            glued: false,
        });
    };
    if chinese {
        for found in CHINESE_NUMERALS.captures_iter(text) {
            let Some(numeral) = found.get(2) else {
                continue;
            };
            if let Some(value) = chinese_value(numeral.as_str()) {
                let range = found.get(0).map_or(numeral.range(), |whole| whole.range());
                push(range, value);
            }
        }
    } else {
        for found in ENGLISH_WORDS.find_iter(text) {
            if let Some(value) = english_value(&found.as_str().to_ascii_lowercase()) {
                push(found.range(), value);
            }
        }
        for found in MONTHS.find_iter(text) {
            let name = found
                .as_str()
                .get(..3)
                .unwrap_or_default()
                .to_ascii_lowercase();
            let months = [
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ];
            if let Some(month) = months.iter().position(|m| *m == name) {
                push(found.range(), month as f64 + 1.0);
            }
        }
    }
    out
}

/// The value of an English number word ("twenty-five" = 25, "twelfth" = 12, "twice" = 2).
pub fn english_value(word: &str) -> Option<f64> {
    let units = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    let tens = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let ordinals = [
        "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth", "eleventh", "twelfth",
    ];
    let mut parts = word.split(['-', ' ']);
    let first = parts.next()?;
    if let Some(value) = tens.iter().position(|t| *t == first) {
        let ten = (value as f64 + 2.0) * 10.0;
        let unit = parts
            .next()
            .and_then(|unit| units.iter().position(|u| *u == unit))
            .unwrap_or(0);
        return Some(ten + unit as f64);
    }
    if let Some(value) = units.iter().position(|u| *u == first) {
        return Some(value as f64);
    }
    if let Some(value) = ordinals.iter().position(|o| *o == first).filter(|v| *v > 0) {
        return Some(value as f64);
    }
    match first {
        "hundred" => Some(100.0),
        "thousand" => Some(1000.0),
        "million" => Some(1e6),
        "once" => Some(1.0),
        "twice" | "double" => Some(2.0),
        "half" => Some(0.5),
        "dozen" => Some(12.0),
        _ => None,
    }
}

/// The value of a Chinese numeral (三 = 3, 十二 = 12, 两千零五 = 2005, 三万 = 30000).
pub fn chinese_value(numeral: &str) -> Option<f64> {
    let digit = |c: char| match c {
        '零' | '〇' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    };
    let has_multiplier = numeral
        .chars()
        .any(|c| matches!(c, '十' | '百' | '千' | '万' | '亿'));
    if !has_multiplier {
        // 二〇二〇 (a year written digit by digit).
        let mut value = 0.0;
        for c in numeral.chars() {
            value = value * 10.0 + f64::from(digit(c)?);
        }
        return Some(value);
    }
    let mut total = 0.0;
    let mut section = 0.0;
    let mut current: Option<f64> = None;
    for c in numeral.chars() {
        if let Some(d) = digit(c) {
            current = Some(f64::from(d));
            continue;
        }
        let scale = match c {
            '十' => 10.0,
            '百' => 100.0,
            '千' => 1000.0,
            '万' => 1e4,
            '亿' => 1e8,
            _ => return None,
        };
        if scale >= 1e4 {
            section += current.take().unwrap_or(0.0);
            if section == 0.0 {
                section = 1.0;
            }
            total += section * scale;
            section = 0.0;
        } else {
            section += current.take().unwrap_or(1.0) * scale;
        }
    }
    Some(total + section + current.unwrap_or(0.0))
}

/// The findings of one segment's numbers: digits of the source the target lacks, digits
/// of the target the source lacks — paired as one "changed" finding where both exist.
pub(crate) fn check(source: &[Quantity], target: &[Quantity]) -> Vec<Raw> {
    let lost: Vec<&Quantity> = source
        .iter()
        .filter(|q| q.digits && !target.iter().any(|t| t.same_number(q)))
        .collect();
    let added: Vec<&Quantity> = target
        .iter()
        .filter(|q| q.digits && !source.iter().any(|s| s.same_number(q)))
        .collect();
    let mut raw = Vec::new();
    let mut added_iter = added.into_iter();
    for number in lost {
        let shown = shown(number);
        match added_iter.next() {
            Some(instead) => raw.push(
                Raw::new(
                    CheckId::Number,
                    Severity::Error,
                    Message::new(
                        format!(
                            "{shown} in the source is {} in the translation",
                            self::shown(instead)
                        ),
                        format!("原文的 {shown} 在译文中是 {}", self::shown(instead)),
                    ),
                )
                .in_source(number.range.clone())
                .in_target(instead.range.clone()),
            ),
            None => raw.push(
                Raw::new(
                    CheckId::Number,
                    Severity::Error,
                    Message::new(
                        format!("{shown} of the source is missing from the translation"),
                        format!("原文的 {shown} 在译文中缺失"),
                    ),
                )
                .in_source(number.range.clone()),
            ),
        }
    }
    for extra in added_iter {
        let shown = shown(extra);
        raw.push(
            Raw::new(
                CheckId::Number,
                Severity::Error,
                Message::new(
                    format!("the translation has {shown}, which the source does not"),
                    format!("译文中的 {shown} 在原文中没有"),
                ),
            )
            .in_target(extra.range.clone()),
        );
    }
    raw
}

fn shown(quantity: &Quantity) -> String {
    if let Some(dotted) = &quantity.dotted {
        return dotted.clone();
    }
    quantity
        .values
        .first()
        .map(|value| format_value(*value))
        .unwrap_or_default()
}

/// A value as a plain number (no exponent, no trailing zeros).
pub fn format_value(value: f64) -> String {
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_owned()
}

#[cfg(test)]
mod tests;
