//! `verbal-form`: the requirement level of each clause is the same in source and target.
//!
//! ISO/IEC Directives Part 2 (Tables 3–7) and GB/T 1.1-2020 (Annex C) give each level its
//! verbal form and equivalents: 应/应该/只准许 = shall, 不应/不得/不准许 = shall not,
//! 宜/推荐/建议 = should, 不宜 = should not, 可/可以/允许 = may, 不必/无须 = need not,
//! 能/可能 = can, 不能/不可能 = cannot. 必须 and "must" express external constraints only
//! and are flagged as a drafting issue. Engineering-construction codes (GB 50xxx) use
//! 必须/严禁 as levels of their own (must, must not): [`Rules::Construction`].
//!
//! Chinese forms are read on word boundaries from the segmenter, so that 应 in 应用
//! (application), 可 in 可靠 (reliable) or 能 in 性能 (performance) are not verbal forms.
//! A level of the source is matched when the target has the same level, or one that the
//! form admits (可 admits "can"; 应不大于 admits "shall not exceed"). Levels of the source
//! that the target lacks, faced with levels of the target the source lacks, are a changed
//! verbal form (an error when a requirement or recommendation is involved); a level that
//! only disappears or only appears is a warning.

use std::sync::LazyLock;

use regex::Regex;
use stdbridge_text::WordSegmenter;

use crate::View;
use crate::finding::{CheckId, Message, Raw, Severity};

/// Which verbal forms apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rules {
    /// ISO/IEC Directives Part 2 and GB/T 1.1: 必须/must are a drafting issue.
    #[default]
    Standards,
    /// Engineering-construction codes (GB 50xxx, JGJ, CJJ): 必须 = must, 严禁 = must not.
    Construction,
}

impl Rules {
    /// Reads `standards` or `construction`.
    pub fn parse(text: &str) -> Option<Rules> {
        match text.trim().to_ascii_lowercase().as_str() {
            "standards" | "standard" => Some(Rules::Standards),
            "construction" => Some(Rules::Construction),
            _ => None,
        }
    }

    /// The rules a standard's designation calls for: construction codes for GB 50xxx,
    /// GB/T 50xxx, JGJ, CJJ and CECS; standards otherwise.
    pub fn for_designation(designation: &str) -> Rules {
        static CONSTRUCTION: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)^\s*(?:GB(?:/T)?\s*50\d{3}|JGJ|CJJ|(?:T/)?CECS)\b")
                .unwrap_or_else(|error| panic!("built-in pattern: {error}"))
        });
        if CONSTRUCTION.is_match(designation) {
            Rules::Construction
        } else {
            Rules::Standards
        }
    }
}

/// A requirement level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Requirement.
    Shall,
    /// Prohibition.
    ShallNot,
    /// Recommendation.
    Should,
    /// Recommendation against.
    ShouldNot,
    /// Permission.
    May,
    /// No obligation.
    NeedNot,
    /// Possibility or capability.
    Can,
    /// Impossibility or incapability.
    Cannot,
    /// External constraint (or, in construction codes, the strictest requirement).
    Must,
    /// External prohibition (or 严禁 in construction codes).
    MustNot,
}

impl Level {
    /// The English form.
    pub fn english(self) -> &'static str {
        match self {
            Level::Shall => "shall",
            Level::ShallNot => "shall not",
            Level::Should => "should",
            Level::ShouldNot => "should not",
            Level::May => "may",
            Level::NeedNot => "need not",
            Level::Can => "can",
            Level::Cannot => "cannot",
            Level::Must => "must",
            Level::MustNot => "must not",
        }
    }

    /// The Chinese form.
    pub fn chinese(self) -> &'static str {
        match self {
            Level::Shall => "应",
            Level::ShallNot => "不应",
            Level::Should => "宜",
            Level::ShouldNot => "不宜",
            Level::May => "可",
            Level::NeedNot => "不必",
            Level::Can => "能",
            Level::Cannot => "不能",
            Level::Must => "必须",
            Level::MustNot => "严禁",
        }
    }

    /// Whether the level binds (a requirement or a recommendation, for or against):
    /// changing it changes what conformity means.
    fn binds(self) -> bool {
        !matches!(
            self,
            Level::May | Level::NeedNot | Level::Can | Level::Cannot
        )
    }
}

/// A verbal form found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// Byte range in the plain text.
    pub range: std::ops::Range<usize>,
    /// The level it expresses.
    pub level: Level,
    /// Levels of the other language it may also be rendered by without a finding.
    pub admits: Vec<Level>,
    /// Whether it is the form of its level (reported when it disappears), rather than an
    /// equivalent expression that translations often leave out.
    pub strong: bool,
}

impl Form {
    fn matches(&self, other: &Form) -> bool {
        self.level == other.level
            || self.admits.contains(&other.level)
            || other.admits.contains(&self.level)
    }
}

/// The verbal-form check with its rule set and word segmenter.
pub struct VerbalForms {
    rules: Rules,
    words: WordSegmenter,
}

impl VerbalForms {
    /// The check under `rules`.
    pub fn new(rules: Rules) -> VerbalForms {
        VerbalForms {
            rules,
            words: WordSegmenter::default(),
        }
    }

    /// The verbal forms of a text in a language.
    pub fn forms(&self, text: &str, chinese: bool) -> Vec<Form> {
        if chinese {
            chinese_forms(text, &self.words, self.rules)
        } else {
            english_forms(text, self.rules)
        }
    }

    /// The findings of one segment.
    pub(crate) fn check(&self, view: &View<'_>) -> Vec<Raw> {
        let source = self.forms(&view.source, view.source_zh);
        let target = self.forms(&view.target, view.target_zh);
        let mut raw = Vec::new();
        if self.rules == Rules::Standards {
            raw.extend(drafting_issues(&source, true));
            raw.extend(drafting_issues(&target, false));
        }
        let lost = unmatched(&source, &target);
        let mut added = unmatched(&target, &source);
        for form in &lost {
            // A lost level is paired with an added one of the same kind (binding or not)
            // when there is one.
            let pick = added
                .iter()
                .position(|theirs| theirs.level.binds() == form.level.binds())
                .or(if added.is_empty() { None } else { Some(0) });
            match pick.map(|index| added.remove(index)) {
                Some(instead) => raw.push(changed(view, form, instead)),
                None if form.strong && form.level.binds() => raw.push(
                    Raw::new(
                        CheckId::VerbalForm,
                        Severity::Warning,
                        Message::new(
                            format!(
                                "the source's {} ({}) has no verbal form in the translation",
                                quote(view, form, true),
                                form.level.english()
                            ),
                            format!(
                                "原文的“{}”（{}）在译文中没有对应的助动词",
                                quote(view, form, true),
                                form.level.chinese()
                            ),
                        ),
                    )
                    .in_source(form.range.clone()),
                ),
                None => {}
            }
        }
        for form in added
            .iter()
            .filter(|form| form.strong && form.level.binds())
        {
            raw.push(
                Raw::new(
                    CheckId::VerbalForm,
                    Severity::Warning,
                    Message::new(
                        format!(
                            "the translation adds {} ({}), which the source does not express",
                            quote(view, form, false),
                            form.level.english()
                        ),
                        format!(
                            "译文增加了原文没有的“{}”（{}）",
                            quote(view, form, false),
                            form.level.chinese()
                        ),
                    ),
                )
                .in_target(form.range.clone()),
            );
        }
        raw
    }
}

/// The forms of `side` whose level the other side lacks, one per level.
fn unmatched<'f>(side: &'f [Form], other: &[Form]) -> Vec<&'f Form> {
    let mut out: Vec<&Form> = Vec::new();
    for form in side {
        let matched = other.iter().any(|theirs| form.matches(theirs))
            || side
                .iter()
                .any(|mine| mine.level == form.level && other.iter().any(|t| mine.matches(t)));
        if !matched && !out.iter().any(|seen| seen.level == form.level) {
            out.push(form);
        }
    }
    out
}

fn changed(view: &View<'_>, form: &Form, instead: &Form) -> Raw {
    let severity = if form.level.binds() || instead.level.binds() {
        Severity::Error
    } else {
        Severity::Warning
    };
    Raw::new(
        CheckId::VerbalForm,
        severity,
        Message::new(
            format!(
                "{} ({}) in the source is rendered as {} ({}): the requirement level changed \
                 (ISO/IEC Directives Part 2; GB/T 1.1-2020 Annex C)",
                quote(view, form, true),
                form.level.english(),
                quote(view, instead, false),
                instead.level.english()
            ),
            format!(
                "原文的“{}”（{}）译为“{}”（{}）：要求的等级改变了（GB/T 1.1—2020 附录 C；ISO/IEC 导则 第2部分）",
                quote(view, form, true),
                form.level.chinese(),
                quote(view, instead, false),
                instead.level.chinese()
            ),
        ),
    )
    .in_source(form.range.clone())
    .in_target(instead.range.clone())
}

fn drafting_issues(forms: &[Form], in_source: bool) -> Vec<Raw> {
    forms
        .iter()
        .filter(|form| matches!(form.level, Level::Must | Level::MustNot) && form.strong)
        .take(1)
        .map(|form| {
            let raw = Raw::new(
                CheckId::VerbalForm,
                Severity::Warning,
                Message::new(
                    "必须/must express an external constraint, not a requirement of the \
                     document: a requirement is written with 应/shall (ISO/IEC Directives \
                     Part 2, 7.5)",
                    "“必须/must”表示外部约束，不是文件的要求：要求应使用“应/shall”\
                     （ISO/IEC 导则 第2部分 7.5）",
                ),
            );
            if in_source {
                raw.in_source(form.range.clone())
            } else {
                raw.in_target(form.range.clone())
            }
        })
        .collect()
}

fn quote(view: &View<'_>, form: &Form, source: bool) -> String {
    let text = if source { &view.source } else { &view.target };
    text.get(form.range.clone()).unwrap_or_default().to_owned()
}

/// Chinese words that are verbal forms: the word, its level, the levels it admits in
/// English, whether it is the level's own form.
const CHINESE_WORDS: &[(&str, Level, &[Level], bool)] = &[
    ("应", Level::Shall, &[], true),
    ("应该", Level::Shall, &[], true),
    ("应当", Level::Shall, &[], true),
    ("应予", Level::Shall, &[], true),
    ("只准许", Level::Shall, &[], true),
    ("不应", Level::ShallNot, &[], true),
    ("不应该", Level::ShallNot, &[], true),
    ("不应当", Level::ShallNot, &[], true),
    ("不得", Level::ShallNot, &[], true),
    ("不准许", Level::ShallNot, &[], true),
    ("不允许", Level::ShallNot, &[], true),
    ("不许", Level::ShallNot, &[], true),
    ("禁止", Level::ShallNot, &[Level::MustNot], false),
    ("不可", Level::ShallNot, &[Level::Cannot], true),
    ("宜", Level::Should, &[], true),
    ("推荐", Level::Should, &[], false),
    ("建议", Level::Should, &[], false),
    ("不宜", Level::ShouldNot, &[], true),
    ("不推荐", Level::ShouldNot, &[], false),
    ("不建议", Level::ShouldNot, &[], false),
    ("可", Level::May, &[Level::Can], true),
    ("可以", Level::May, &[Level::Can], true),
    ("允许", Level::May, &[Level::Can], false),
    ("准许", Level::May, &[], false),
    ("可用", Level::May, &[Level::Can], false),
    ("不必", Level::NeedNot, &[], true),
    ("无须", Level::NeedNot, &[], true),
    ("无需", Level::NeedNot, &[], true),
    ("不需要", Level::NeedNot, &[], true),
    ("不需", Level::NeedNot, &[], true),
    ("能", Level::Can, &[Level::May], true),
    ("能够", Level::Can, &[Level::May], true),
    ("可能", Level::Can, &[Level::May], true),
    ("不能", Level::Cannot, &[Level::ShallNot], true),
    ("不能够", Level::Cannot, &[Level::ShallNot], true),
    ("不可能", Level::Cannot, &[], true),
    ("无法", Level::Cannot, &[], false),
    ("必须", Level::Must, &[], true),
    ("严禁", Level::ShallNot, &[Level::MustNot], true),
];

/// What 不 before a word makes of it, when the segmenter keeps them apart.
const NEGATED: &[(&str, Level, &[Level])] = &[
    ("应", Level::ShallNot, &[]),
    ("应该", Level::ShallNot, &[]),
    ("得", Level::ShallNot, &[]),
    ("允许", Level::ShallNot, &[]),
    ("准许", Level::ShallNot, &[]),
    ("宜", Level::ShouldNot, &[]),
    ("推荐", Level::ShouldNot, &[]),
    ("建议", Level::ShouldNot, &[]),
    ("可", Level::ShallNot, &[Level::Cannot]),
    ("必", Level::NeedNot, &[]),
    ("需要", Level::NeedNot, &[]),
    ("能", Level::Cannot, &[Level::ShallNot]),
    ("能够", Level::Cannot, &[Level::ShallNot]),
];

/// Comparisons after which a prohibition is as well a requirement ("不应大于" = "shall
/// not exceed" = "shall be at most").
const COMPARISONS: &[&str] = &[
    "大于", "小于", "低于", "高于", "超过", "少于", "多于", "超出", "短于", "长于", "早于", "晚于",
];

/// Words that begin with 应 and are not the verbal form (应用 "application", 应力
/// "stress"…); any other word the segmenter made of 应 and what follows (应有, 应为, 应能,
/// 应予以) begins with the verbal form.
const NOT_YING: &[&str] = &[
    "应用",
    "应力",
    "应变",
    "应急",
    "应对",
    "应聘",
    "应邀",
    "应届",
    "应酬",
    "应答",
    "应付",
    "应征",
    "应试",
    "应运",
    "应和",
    "应接",
    "应景",
    "应声",
    "应时",
    "应诉",
    "应战",
    "应召",
    "应考",
    "应变力",
    "应用于",
    "应急预案",
    "应力腐蚀",
];

/// Characters the segmenter joins to a verbal form after them (时应 "shall … when",
/// 时不应, 亦可 "may also", 方可 "only then may", 均应 "shall all").
const ADVERBS: &[char] = &[
    '时', '则', '均', '也', '还', '都', '亦', '并', '且', '即', '仍', '就', '理', '尚', '前', '后',
    '方', '皆', '才', '再',
];

/// Words that begin with 可 as the verbal form "may" (可用 "may be used", 可按 "may
/// follow"); 可靠, 可燃, 可选 and the like are left alone.
const KE_WORDS: &[&str] = &[
    "可用",
    "可供",
    "可按",
    "可采用",
    "可在",
    "可由",
    "可作",
    "可作为",
    "可使用",
    "可进行",
    "可不",
];

/// Words after a lone 可 that make an adjective of it (可持续 "sustainable", 可接受
/// "acceptable"), not the verbal form "may".
const NOT_KE_NEXT: &[&str] = &[
    "持续", "接受", "靠", "燃", "见", "逆", "调", "行", "选", "控", "比", "塑", "溶", "焊", "测",
    "视", "读", "编程", "移动", "拆卸", "更换", "追溯", "信", "观", "贵", "拆", "调节", "回收",
    "再生", "降解", "燃性", "燃物",
];

/// Words after 推荐/建议 that make them the verbal form "should".
const RECOMMENDED_VERBS: &[&str] = &[
    "采用", "使用", "选用", "按", "按照", "用", "进行", "设置", "在", "将", "对", "以", "优先",
    "每", "定期", "不", "由", "根据", "参照", "配备", "安装", "增加", "保持",
];

/// The verbal form a word begins with (or follows an adverb in, as in 时应): its byte
/// range in the word, level, admitted levels and strength.
fn form_in_word(word: &str) -> Option<(std::ops::Range<usize>, Level, Vec<Level>, bool)> {
    if let Some((_, level, admits, strong)) = CHINESE_WORDS.iter().find(|(form, ..)| *form == word)
    {
        return Some((0..word.len(), *level, admits.to_vec(), *strong));
    }
    let ying = "应".len();
    if word.starts_with("不应") {
        return Some((0..2 * ying, Level::ShallNot, Vec::new(), true));
    }
    if word.starts_with("严禁") {
        return Some((0..2 * ying, Level::ShallNot, vec![Level::MustNot], true));
    }
    if word.starts_with("禁止") {
        return Some((0..2 * ying, Level::ShallNot, vec![Level::MustNot], false));
    }
    if word.starts_with('应') && !NOT_YING.iter().any(|not| word.starts_with(not)) {
        let rest = &word[ying..];
        let mut admits = Vec::new();
        if rest.starts_with('不') || rest.starts_with('无') {
            admits.push(Level::ShallNot);
        }
        return Some((0..ying, Level::Shall, admits, true));
    }
    if word.starts_with('宜') && word != "宜人" {
        return Some((0..ying, Level::Should, Vec::new(), true));
    }
    if let Some(first) = word.chars().next()
        && ADVERBS.contains(&first)
        && word.chars().count() > 1
    {
        let shift = first.len_utf8();
        if let Some((range, level, admits, strong)) = form_in_word(&word[shift..]) {
            // 即可 "will do" is as often "is sufficient" as "may".
            let strong = strong && word != "即可";
            return Some((
                range.start + shift..range.end + shift,
                level,
                admits,
                strong,
            ));
        }
    }
    if KE_WORDS.contains(&word) {
        let level = if word == "可不" {
            Level::NeedNot
        } else {
            Level::May
        };
        return Some((0..ying, level, vec![Level::Can], true));
    }
    None
}

fn chinese_forms(text: &str, words: &WordSegmenter, rules: Rules) -> Vec<Form> {
    let spans = words.word_spans(text);
    let mut forms = Vec::new();
    let mut index = 0;
    while index < spans.len() {
        let span = spans[index].clone();
        let word = &text[span.clone()];
        let next = spans.get(index + 1).map(|span| &text[span.clone()]);
        let mut consumed = 1;
        let mut found = form_in_word(word).map(|(range, level, admits, strong)| {
            (
                span.start + range.start..span.start + range.end,
                level,
                admits,
                strong,
            )
        });
        if word == "不"
            && let Some(next) = next
            && let Some((form, level, admits)) = NEGATED
                .iter()
                .filter(|(form, ..)| next.starts_with(form))
                .max_by_key(|(form, ..)| form.len())
            && !(next.starts_with('应') && NOT_YING.iter().any(|not| next.starts_with(not)))
        {
            let next_start = spans[index + 1].start;
            found = Some((
                span.start..next_start + form.len(),
                *level,
                admits.to_vec(),
                true,
            ));
            consumed = 2;
        }
        if matches!(word, "可" | "不可")
            && next.is_some_and(|next| NOT_KE_NEXT.iter().any(|not| next.starts_with(not)))
        {
            found = None;
        }
        // 推荐/建议 are "should" before what is recommended (推荐采用 "should be used"),
        // nouns elsewhere (提出建议 "make proposals", 推荐性标准).
        if matches!(word, "推荐" | "建议" | "不推荐" | "不建议")
            && !next.is_some_and(|next| RECOMMENDED_VERBS.contains(&next))
        {
            found = None;
        }
        if let Some((mut range, level, mut admits, strong)) = found {
            let after = spans.get(index + consumed).map(|span| &text[span.clone()]);
            adjust_chinese(word, after, rules, level, &mut admits);
            let level = construction_level(word, level, rules);
            if word == "可以" && after == Some("不") {
                range.end = spans[index + 1].end;
                consumed = 2;
                forms.push(Form {
                    range,
                    level: Level::NeedNot,
                    admits: Vec::new(),
                    strong: true,
                });
            } else {
                forms.push(Form {
                    range: range.clone(),
                    level,
                    admits,
                    strong,
                });
                // 应能 "shall be able to": the capability after the requirement.
                if word.starts_with("应能") {
                    let end = range.end + "能".len();
                    forms.push(Form {
                        range: range.end..end,
                        level: Level::Can,
                        admits: vec![Level::May],
                        strong: false,
                    });
                }
            }
        }
        index += consumed;
    }
    forms
}

/// What the word after a form admits: 应不大于 / 应无 are also "shall not exceed" /
/// "shall not have"; 不应大于 is also "shall be at most".
fn adjust_chinese(
    word: &str,
    after: Option<&str>,
    rules: Rules,
    level: Level,
    admits: &mut Vec<Level>,
) {
    let Some(after) = after else { return };
    let negative_after = after.starts_with('不') || after.starts_with('无') || after == "没有";
    if level == Level::Shall && negative_after {
        admits.push(Level::ShallNot);
    }
    if level == Level::Should && negative_after {
        admits.push(Level::ShouldNot);
    }
    if level == Level::ShallNot && COMPARISONS.iter().any(|c| after.starts_with(c)) {
        admits.push(Level::Shall);
    }
    if rules == Rules::Standards && word == "必须" {
        admits.push(Level::Shall);
    }
}

fn construction_level(word: &str, level: Level, rules: Rules) -> Level {
    if rules == Rules::Construction && word.starts_with("严禁") {
        Level::MustNot
    } else {
        level
    }
}

/// English expressions: the pattern (lower case, whole words), its level, the levels it
/// admits in Chinese, whether it is the level's own form.
const ENGLISH_FORMS: &[(&str, Level, &[Level], bool)] = &[
    (r"shall\s+not\s+only", Level::Shall, &[], true),
    (
        r"(?:under\s+no\s+circumstances|in\s+no\s+case|on\s+no\s+account)\s*,?\s+(?:shall|may|can|should)",
        Level::ShallNot,
        &[],
        true,
    ),
    (
        r"shall\s+(?:not|never|neither|in\s+no\s+case|no\s+longer)|shan't",
        Level::ShallNot,
        &[],
        true,
    ),
    (r"shall", Level::Shall, &[], true),
    (
        r"(?:is|are|be)\s+required\s+to|it\s+is\s+required\s+that|(?:is|are)\s+to\s+be|ha(?:s|ve)\s+to|it\s+is\s+necessary",
        Level::Shall,
        &[],
        false,
    ),
    (
        r"must\s+not|mustn't",
        Level::MustNot,
        &[Level::ShallNot],
        true,
    ),
    (r"must", Level::Must, &[Level::Shall], true),
    (
        r"should\s+not|shouldn't|ought\s+not\s+to",
        Level::ShouldNot,
        &[],
        true,
    ),
    (r"should|ought\s+to", Level::Should, &[], true),
    (
        r"it\s+is\s+not\s+recommended|(?:is|are)\s+not\s+recommended",
        Level::ShouldNot,
        &[],
        false,
    ),
    (
        r"it\s+is\s+recommended|(?:is|are)\s+recommended",
        Level::Should,
        &[],
        false,
    ),
    (
        r"need\s+not|needn't|(?:do|does)\s+not\s+need\s+to|(?:is|are)\s+not\s+required|it\s+is\s+not\s+necessary",
        Level::NeedNot,
        &[],
        true,
    ),
    (
        r"(?:is|are)\s+(?:not\s+(?:permitted|allowed|permissible|acceptable)|prohibited|forbidden|strictly\s+prohibited)",
        Level::ShallNot,
        &[Level::MustNot],
        false,
    ),
    (
        r"may\s+not",
        Level::ShallNot,
        &[Level::NeedNot, Level::Cannot],
        true,
    ),
    (r"may", Level::May, &[Level::Can], true),
    (
        r"(?:is|are)\s+(?:permitted|allowed|permissible)",
        Level::May,
        &[],
        false,
    ),
    (
        r"cannot|can\s+not|can't|(?:is|are|be)\s+unable\s+to|it\s+is\s+not\s+possible",
        Level::Cannot,
        &[Level::ShallNot],
        true,
    ),
    (r"can", Level::Can, &[Level::May], true),
    (r"could|might", Level::Can, &[Level::May], false),
    (
        r"(?:is|are|be)\s+able\s+to|it\s+is\s+possible",
        Level::Can,
        &[Level::May],
        false,
    ),
];

/// A compiled English expression: pattern, level, admitted levels, strength.
type EnglishForm = (Regex, Level, &'static [Level], bool);

static ENGLISH: LazyLock<Vec<EnglishForm>> = LazyLock::new(|| {
    ENGLISH_FORMS
        .iter()
        .map(|(pattern, level, admits, strong)| {
            let regex = Regex::new(&format!(r"(?i)\b(?:{pattern})\b"))
                .unwrap_or_else(|error| panic!("built-in pattern {pattern}: {error}"));
            (regex, *level, *admits, *strong)
        })
        .collect()
});

/// Words after "shall" that make a requirement a prohibition ("shall be free from",
/// "there shall be no").
static NEGATIVE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:\s+\w+){0,3}?\s+(?:no|none|not|free\s+(?:from|of)|without|neither|nor|never)\b",
    )
    .unwrap_or_else(|error| panic!("built-in pattern: {error}"))
});

static MONTH_MAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^May\s+\d|^May,?\s+\d").unwrap_or_else(|error| panic!("built-in pattern: {error}"))
});

fn english_forms(text: &str, rules: Rules) -> Vec<Form> {
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    let mut forms = Vec::new();
    for (regex, level, admits, strong) in ENGLISH.iter() {
        for found in regex.find_iter(text) {
            let range = found.range();
            if taken
                .iter()
                .any(|seen| seen.start < range.end && range.start < seen.end)
            {
                continue;
            }
            if !english_form_applies(text, &range, *level) {
                continue;
            }
            taken.push(range.clone());
            let mut admits = admits.to_vec();
            let tail = &text[range.end..];
            if *level == Level::Must && rules == Rules::Construction {
                admits.retain(|admitted| *admitted != Level::Shall);
            }
            if matches!(level, Level::Shall | Level::Must) && NEGATIVE_TAIL.is_match(tail) {
                admits.push(Level::ShallNot);
            }
            if matches!(level, Level::Shall | Level::Should)
                && negative_subject(&text[..range.start])
            {
                // "No two members shall be …", "Neither party shall …".
                admits.push(if *level == Level::Shall {
                    Level::ShallNot
                } else {
                    Level::ShouldNot
                });
            }
            if *level == Level::Should && NEGATIVE_TAIL.is_match(tail) {
                admits.push(Level::ShouldNot);
            }
            if *level == Level::ShallNot && comparison_follows(tail) {
                admits.push(Level::Shall);
            }
            let level = match (rules, *level) {
                (Rules::Construction, Level::ShallNot) if !*strong => Level::MustNot,
                (_, level) => level,
            };
            forms.push(Form {
                range,
                level,
                admits,
                strong: *strong,
            });
        }
    }
    forms.sort_by_key(|form| form.range.start);
    forms
}

/// Whether the clause before a verbal form starts with a negative ("No person shall",
/// "Neither party shall", "None of the … shall").
fn negative_subject(before: &str) -> bool {
    static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:no|neither|none|nothing|nobody|no\s+one)\b")
            .unwrap_or_else(|error| panic!("built-in pattern: {error}"))
    });
    let clause = before.rsplit([',', ';', ':', '.']).next().unwrap_or(before);
    clause.split_whitespace().count() <= 8 && NEGATIVE.is_match(clause)
}

/// "shall not exceed", "shall not be less than": a prohibition that is a bound.
fn comparison_follows(tail: &str) -> bool {
    static BOUND: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s+(?:exceed|be\s+(?:more|less|greater|higher|lower|longer|shorter|earlier|later))\b")
            .unwrap_or_else(|error| panic!("built-in pattern: {error}"))
    });
    BOUND.is_match(tail)
}

/// Rules out what only looks like a verbal form: the month May, "a can", an inverted
/// conditional ("Should the test fail, …").
fn english_form_applies(text: &str, range: &std::ops::Range<usize>, level: Level) -> bool {
    let word = &text[range.clone()];
    let before = text[..range.start].trim_end();
    match level {
        Level::May if word.starts_with('M') => {
            !MONTH_MAY.is_match(&text[range.start..])
                && !before.ends_with(|c: char| c.is_ascii_digit())
        }
        Level::Can => {
            let previous = before
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            !matches!(previous.as_str(), "a" | "the" | "each" | "per")
        }
        Level::Should if word.starts_with('S') => {
            let sentence_start = before.is_empty() || before.ends_with(['.', ':', ';']);
            let next = text[range.end..]
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            !(sentence_start
                && matches!(
                    next.as_str(),
                    "the" | "a" | "an" | "any" | "it" | "there" | "this" | "one"
                ))
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests;
