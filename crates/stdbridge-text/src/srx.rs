//! Sentence segmentation driven by SRX 2.0 rule files (Segmentation Rules eXchange).
//!
//! An SRX file holds named sets of rules and a map from language patterns to rule sets.
//! Each rule says whether the text may break at a position: a regular expression for the
//! text before the position and one for the text after it. At every position the rules of
//! the language are tried in order and the first that matches decides; with `cascade`
//! the rules of every matching map entry apply, in map order, else only the first
//! entry's. Our own default rules (`rules/default.srx`) are built in; any SRX file, such
//! as OmegaT's or Okapi's, can be loaded instead.
//!
//! SRX files use Java regular expressions; the common Java-only classes
//! (`\p{javaUpperCase}`, `\p{Alpha}`, `\h`…) are translated, and a rule whose expression
//! still cannot be compiled is reported with its rule set, number and expression.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use fancy_regex::Regex;

use crate::xml::{XmlError, XmlEvent, XmlReader};

/// Our default rules, built in.
const DEFAULT_RULES: &str = include_str!("../rules/default.srx");

static DEFAULT: LazyLock<SrxRules> = LazyLock::new(|| {
    match SrxRules::parse_str(DEFAULT_RULES, Path::new("rules/default.srx")) {
        Ok(rules) => rules,
        // The file is part of the crate and tested; failing here is a build defect.
        Err(error) => panic!("the built-in segmentation rules are broken: {error}"),
    }
});

/// An error loading an SRX file.
#[derive(Debug, thiserror::Error)]
pub enum SrxError {
    /// The XML could not be read.
    #[error(transparent)]
    Xml(#[from] XmlError),
    /// A rule's regular expression does not compile.
    #[error(
        "{file}:{line}: rule {number} of {rules:?}: the expression {expression:?} does not compile: {reason}"
    )]
    Regex {
        /// The file.
        file: String,
        /// The line of the rule.
        line: u64,
        /// The language rule set.
        rules: String,
        /// The rule's number within the set (1-based).
        number: usize,
        /// The combined expression.
        expression: String,
        /// Why.
        reason: String,
    },
    /// The map names a rule set that the file does not define.
    #[error("{file}: the map names the rule set {0:?}, which the file does not define", file = .1)]
    UnknownRuleSet(String, String),
}

/// The rules of one SRX file.
#[derive(Debug)]
pub struct SrxRules {
    cascade: bool,
    sets: HashMap<String, Vec<Rule>>,
    map: Vec<(Regex, String)>,
}

#[derive(Debug, Clone)]
struct Rule {
    breaks: bool,
    pattern: Regex,
}

/// Splits text of one language into sentences.
#[derive(Debug, Clone)]
pub struct Segmenter {
    rules: Vec<Rule>,
}

impl SrxRules {
    /// The built-in default rules (zh, ja, en, fr, ru and a fallback for other languages).
    pub fn builtin() -> &'static SrxRules {
        &DEFAULT
    }

    /// Loads an SRX file.
    pub fn load(path: &Path) -> Result<SrxRules, SrxError> {
        let reader = XmlReader::open(path)?;
        Self::parse(reader)
    }

    /// Parses SRX from a string; `path` names it in errors.
    pub fn parse_str(text: &str, path: &Path) -> Result<SrxRules, SrxError> {
        let reader = XmlReader::from_reader(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            path,
        )?;
        Self::parse(reader)
    }

    fn parse(mut reader: XmlReader) -> Result<SrxRules, SrxError> {
        let file = reader.path().display().to_string();
        let mut rules = SrxRules {
            cascade: false,
            sets: HashMap::new(),
            map: Vec::new(),
        };
        let mut current_set: Option<String> = None;
        loop {
            match reader.next_event()? {
                XmlEvent::Start(element) => match element.local_name() {
                    "header" => rules.cascade = element.attr("cascade") == Some("yes"),
                    "languagerule" => {
                        let name = element.attr("languagerulename").unwrap_or("").to_owned();
                        rules.sets.entry(name.clone()).or_default();
                        current_set = Some(name);
                    }
                    "rule" => {
                        let set = current_set.clone().unwrap_or_default();
                        let breaks = element.attr("break") != Some("no");
                        let line = reader.line();
                        let (before, after) = read_rule(&mut reader)?;
                        let number = rules.sets.get(&set).map_or(0, Vec::len) + 1;
                        let expression = rule_expression(&before, &after);
                        let pattern = Regex::new(&expression).map_err(|error| SrxError::Regex {
                            file: file.clone(),
                            line,
                            rules: set.clone(),
                            number,
                            expression: expression.clone(),
                            reason: error.to_string(),
                        })?;
                        if before.is_empty() && after.is_empty() {
                            continue;
                        }
                        rules
                            .sets
                            .entry(set)
                            .or_default()
                            .push(Rule { breaks, pattern });
                    }
                    "languagemap" => {
                        let pattern = element.attr("languagepattern").unwrap_or(".*");
                        let name = element.attr("languagerulename").unwrap_or("").to_owned();
                        let anchored = format!("(?i)^(?:{})$", java_to_rust(pattern));
                        let regex = Regex::new(&anchored).map_err(|error| SrxError::Regex {
                            file: file.clone(),
                            line: reader.line(),
                            rules: "maprules".into(),
                            number: rules.map.len() + 1,
                            expression: anchored.clone(),
                            reason: error.to_string(),
                        })?;
                        rules.map.push((regex, name));
                    }
                    _ => {}
                },
                XmlEvent::End(name) if name == "languagerule" => current_set = None,
                XmlEvent::End(_) | XmlEvent::Text(_) => {}
                XmlEvent::Eof => break,
            }
        }
        for (_, name) in &rules.map {
            if !rules.sets.contains_key(name) {
                return Err(SrxError::UnknownRuleSet(name.clone(), file));
            }
        }
        Ok(rules)
    }

    /// The segmenter for a language (a BCP 47 tag such as `zh-CN`).
    pub fn segmenter(&self, language: &str) -> Segmenter {
        let mut rules = Vec::new();
        for (pattern, name) in &self.map {
            if pattern.is_match(language).unwrap_or(false) {
                if let Some(set) = self.sets.get(name) {
                    rules.extend(set.iter().cloned());
                }
                if !self.cascade {
                    break;
                }
            }
        }
        Segmenter { rules }
    }

    /// How many rules the file holds.
    pub fn rule_count(&self) -> usize {
        self.sets.values().map(Vec::len).sum()
    }
}

impl Segmenter {
    /// The built-in segmenter for a language.
    pub fn for_language(language: &str) -> Segmenter {
        SrxRules::builtin().segmenter(language)
    }

    /// The byte ranges of the sentences of `text`, without the white space between them.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        let mut decided: HashMap<usize, bool> = HashMap::new();
        for rule in &self.rules {
            for found in rule.pattern.find_iter(text) {
                let Ok(found) = found else { break };
                let at = found.end();
                if at == 0 || at >= text.len() {
                    continue;
                }
                decided.entry(at).or_insert(rule.breaks);
            }
        }
        let mut breaks: Vec<usize> = decided
            .into_iter()
            .filter_map(|(at, breaks)| breaks.then_some(at))
            .collect();
        breaks.sort_unstable();
        let mut ranges = Vec::with_capacity(breaks.len() + 1);
        let mut start = 0;
        for at in breaks.into_iter().chain(std::iter::once(text.len())) {
            if let Some(range) = trimmed(text, start..at) {
                ranges.push(range);
            }
            start = at;
        }
        ranges
    }

    /// The sentences of `text`.
    pub fn sentences<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.split(text)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }
}

fn trimmed(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.end - (slice.len() - slice.trim_end().len());
    (start < end).then_some(start..end)
}

fn read_rule(reader: &mut XmlReader) -> Result<(String, String), XmlError> {
    let mut before = String::new();
    let mut after = String::new();
    loop {
        match reader.next_event()? {
            XmlEvent::Start(element) => match element.local_name() {
                "beforebreak" => before = reader.text_until_end()?,
                "afterbreak" => after = reader.text_until_end()?,
                _ => reader.skip_element()?,
            },
            XmlEvent::End(_) => return Ok((before, after)),
            XmlEvent::Text(_) => {}
            XmlEvent::Eof => return Err(reader.error("the file ends inside a <rule>")),
        }
    }
}

/// One expression for a rule: the before-break part, then a look-ahead for the after-break
/// part, so that the end of a match is the position the rule speaks about.
fn rule_expression(before: &str, after: &str) -> String {
    let before = java_to_rust(before);
    let after = java_to_rust(after);
    match (before.is_empty(), after.is_empty()) {
        (_, true) => format!("(?:{before})"),
        (true, false) => format!("(?={after})"),
        (false, false) => format!("(?:{before})(?={after})"),
    }
}

/// Rewrites the Java-only parts of SRX expressions that the Rust engine lacks.
fn java_to_rust(expression: &str) -> String {
    const CLASSES: [(&str, &str); 14] = [
        (r"\p{javaUpperCase}", r"\p{Lu}"),
        (r"\p{javaLowerCase}", r"\p{Ll}"),
        (r"\p{javaLetter}", r"\p{L}"),
        (r"\p{javaDigit}", r"\p{Nd}"),
        (r"\p{IsAlphabetic}", r"\p{Alphabetic}"),
        (r"\p{IsLetter}", r"\p{L}"),
        (r"\p{IsUppercase}", r"\p{Lu}"),
        (r"\p{IsLowercase}", r"\p{Ll}"),
        (r"\p{Alpha}", r"[a-zA-Z]"),
        (r"\p{Upper}", r"[A-Z]"),
        (r"\p{Lower}", r"[a-z]"),
        (r"\p{Digit}", r"[0-9]"),
        (r"\p{Punct}", r"[!-/:-@\[-`{-~]"),
        (
            r"\h",
            r"[ \t\u{A0}\u{1680}\u{180E}\u{2000}-\u{200A}\u{202F}\u{205F}\u{3000}]",
        ),
    ];
    let mut out = expression.to_owned();
    for (java, rust) in CLASSES {
        if out.contains(java) {
            out = out.replace(java, rust);
        }
    }
    // Java's \uXXXX escapes.
    if out.contains("\\u") {
        out = rewrite_unicode_escapes(&out);
    }
    out
}

fn rewrite_unicode_escapes(expression: &str) -> String {
    let mut out = String::with_capacity(expression.len());
    let chars: Vec<char> = expression.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && i + 1 < chars.len() {
            if chars[i + 1] == 'u'
                && i + 5 < chars.len()
                && chars[i + 2..i + 6].iter().all(char::is_ascii_hexdigit)
            {
                let hex: String = chars[i + 2..i + 6].iter().collect();
                out.push_str(&format!("\\u{{{hex}}}"));
                i += 6;
                continue;
            }
            out.push(chars[i]);
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh(text: &str) -> Vec<&str> {
        Segmenter::for_language("zh-CN").sentences(text)
    }

    fn en(text: &str) -> Vec<&str> {
        Segmenter::for_language("en").sentences(text)
    }

    #[test]
    fn chinese_breaks_after_full_stops_and_semicolons() {
        assert_eq!(
            zh("本标准规定了术语。本标准适用于集装箱；不适用于罐箱！是否适用？"),
            vec![
                "本标准规定了术语。",
                "本标准适用于集装箱；",
                "不适用于罐箱！",
                "是否适用？"
            ]
        );
    }

    #[test]
    fn chinese_keeps_closing_quotes_and_clause_numbers() {
        assert_eq!(
            zh("他说：“应符合要求。”见4.2.1条。"),
            vec!["他说：“应符合要求。”", "见4.2.1条。"]
        );
    }

    #[test]
    fn english_keeps_abbreviations_and_clause_numbers() {
        assert_eq!(
            en(
                "See Fig. 3 and No. 4 in 4.2.1 of the standard. Tests, e.g. Type A, apply. It ends here."
            ),
            vec![
                "See Fig. 3 and No. 4 in 4.2.1 of the standard.",
                "Tests, e.g. Type A, apply.",
                "It ends here."
            ]
        );
    }

    #[test]
    fn a_unit_symbol_after_a_number_ends_a_sentence_but_an_initial_does_not() {
        assert_eq!(
            en("Condition the samples at 23 °C. ISO 9001:2015 applies. Ask J. Smith of 5 V. Done."),
            vec![
                "Condition the samples at 23 °C.",
                "ISO 9001:2015 applies.",
                "Ask J. Smith of 5 V.",
                "Done."
            ]
        );
    }

    #[test]
    fn english_does_not_break_before_a_lower_case_word() {
        assert_eq!(
            en("The value is approx. five. Next one."),
            vec!["The value is approx. five.", "Next one."]
        );
    }

    #[test]
    fn russian_and_french_abbreviations() {
        let ru = Segmenter::for_language("ru").sentences("См. рис. 2 и табл. 3. Это всё.");
        assert_eq!(ru, vec!["См. рис. 2 и табл. 3.", "Это всё."]);
        let fr =
            Segmenter::for_language("fr-FR").sentences("Voir fig. 2 et M. Dupont. Fin du texte.");
        assert_eq!(fr, vec!["Voir fig. 2 et M. Dupont.", "Fin du texte."]);
    }

    #[test]
    fn a_user_file_replaces_the_rules() {
        let srx = r#"<srx version="2.0"><header cascade="no"/><body><languagerules>
            <languagerule languagerulename="Comma"><rule break="yes"><beforebreak>,</beforebreak><afterbreak>\s</afterbreak></rule></languagerule>
            </languagerules><maprules><languagemap languagepattern=".*" languagerulename="Comma"/></maprules></body></srx>"#;
        let rules = SrxRules::parse_str(srx, Path::new("comma.srx")).expect("parses");
        assert_eq!(
            rules.segmenter("en").sentences("a, b, c. d"),
            vec!["a,", "b,", "c. d"]
        );
    }

    #[test]
    fn a_bad_expression_names_the_rule() {
        let srx = r#"<srx version="2.0"><header/><body><languagerules>
            <languagerule languagerulename="Bad">
            <rule break="yes"><beforebreak>[</beforebreak><afterbreak></afterbreak></rule></languagerule>
            </languagerules><maprules/></body></srx>"#;
        let error = SrxRules::parse_str(srx, Path::new("bad.srx")).expect_err("rejected");
        let text = error.to_string();
        assert!(
            text.contains("bad.srx:3") && text.contains("rule 1 of \"Bad\""),
            "{text}"
        );
    }

    /// Text of Chinese and Latin words, numbers, clause numbers, abbreviations and the
    /// punctuation sentences end with, in any mix.
    fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
        let pieces = proptest::sample::select(vec![
            "本标准",
            "规定了",
            "集装箱",
            "应",
            "。",
            "！",
            "？",
            "；",
            "，",
            "the",
            "Standard",
            "shall",
            " ",
            "  ",
            "e.g.",
            "No.",
            "4.2.1",
            "3",
            ".",
            "!",
            "?",
            "\u{3000}",
            "GB/T 1.1",
            "ISO 9001:2015",
            "(",
            ")",
            "“",
            "”",
        ]);
        proptest::collection::vec(pieces, 0..40).prop_map(|pieces| pieces.concat())
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        /// Sentences are in order, never overlap, hold no white space at their ends, and
        /// leave out nothing but white space.
        #[test]
        fn sentences_cover_the_text(text in mixed_text(), chinese in proptest::bool::ANY) {
            let segmenter = Segmenter::for_language(if chinese { "zh-CN" } else { "en" });
            let ranges = segmenter.split(&text);
            let mut end = 0;
            for range in &ranges {
                proptest::prop_assert!(range.start >= end && range.start < range.end);
                proptest::prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
                let sentence = &text[range.clone()];
                proptest::prop_assert_eq!(sentence.trim(), sentence);
                proptest::prop_assert!(text[end..range.start].trim().is_empty());
                end = range.end;
            }
            proptest::prop_assert!(text[end..].trim().is_empty());
            let joined: String = ranges.iter().map(|r| &text[r.clone()]).collect();
            let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            proptest::prop_assert_eq!(squeeze(&joined), squeeze(&text));
        }

        /// Text with nothing that ends a sentence is one sentence.
        #[test]
        fn no_end_punctuation_no_break(words in proptest::collection::vec(
            proptest::sample::select(vec!["本标准", "集装箱", "the", "shall", "，", "GB/T 1", " "]), 1..20)
        ) {
            let text = words.concat();
            let sentences = Segmenter::for_language("zh-CN").sentences(&text);
            proptest::prop_assert!(sentences.len() <= 1, "{:?}", sentences);
        }
    }
}
