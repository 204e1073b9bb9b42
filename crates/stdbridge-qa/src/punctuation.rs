//! `punctuation`: full-width punctuation in Chinese and half-width in English, the
//! segment's end punctuation kept, and brackets and quotation marks paired.

use stdbridge_text::is_han;

use crate::View;
use crate::finding::{CheckId, Message, Raw, Severity};

/// The findings of one segment.
pub(crate) fn check(view: &View<'_>) -> Vec<Raw> {
    let mut raw = Vec::new();
    if view.target_zh {
        raw.extend(half_width_in_chinese(&view.target));
    } else {
        raw.extend(full_width_in_english(&view.target));
    }
    raw.extend(end_punctuation(view));
    raw.extend(unpaired(view));
    raw
}

fn half_width_in_chinese(text: &str) -> Option<Raw> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        if !matches!(c, ',' | ';' | ':' | '?' | '!' | '(' | ')') {
            continue;
        }
        let before = i.checked_sub(1).map(|p| chars[p].1);
        let after = chars.get(i + 1).map(|(_, c)| *c);
        let next_to_han = match c {
            '(' => after.is_some_and(is_han),
            _ => before.is_some_and(is_han),
        };
        if next_to_han {
            let wide = match c {
                ',' => '，',
                ';' => '；',
                ':' => '：',
                '?' => '？',
                '!' => '！',
                '(' => '（',
                _ => '）',
            };
            return Some(
                Raw::new(
                    CheckId::Punctuation,
                    Severity::Warning,
                    Message::new(
                        format!("half-width {c:?} in Chinese text: use {wide:?}"),
                        format!("中文中使用了半角“{c}”，应使用全角“{wide}”"),
                    ),
                )
                .in_target(at..at + c.len_utf8()),
            );
        }
    }
    None
}

fn full_width_in_english(text: &str) -> Option<Raw> {
    let (at, c) = text
        .char_indices()
        .find(|(_, c)| "，。；：？！（）【】、《》“”".contains(*c))?;
    Some(
        Raw::new(
            CheckId::Punctuation,
            Severity::Warning,
            Message::new(
                format!("full-width {c:?} in English text"),
                format!("英文中使用了全角“{c}”"),
            ),
        )
        .in_target(at..at + c.len_utf8()),
    )
}

/// The kind of a segment's last punctuation mark.
fn end_kind(text: &str) -> Option<(&'static str, usize)> {
    let trimmed = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '”' | '’' | '\'' | ')' | '）')
    });
    let (at, last) = trimmed.char_indices().last()?;
    let kind = match last {
        '。' | '.' | '．' => "full stop",
        '？' | '?' => "question mark",
        '！' | '!' => "exclamation mark",
        '；' | ';' => "semicolon",
        '：' | ':' => "colon",
        _ => return None,
    };
    Some((kind, at))
}

fn end_punctuation(view: &View<'_>) -> Option<Raw> {
    let source = end_kind(&view.source);
    let target = end_kind(&view.target);
    let (source_kind, at) = source?;
    if target.is_some_and(|(kind, _)| kind == source_kind) {
        return None;
    }
    // An ellipsis or an abbreviation's point is not a sentence's end.
    if view.source.trim_end().ends_with("...") || view.source.trim_end().ends_with('…') {
        return None;
    }
    let found = target.map_or("none", |(kind, _)| kind);
    let zh = |kind: &str| match kind {
        "full stop" => "句号",
        "question mark" => "问号",
        "exclamation mark" => "叹号",
        "semicolon" => "分号",
        "colon" => "冒号",
        _ => "无",
    };
    let raw = Raw::new(
        CheckId::Punctuation,
        Severity::Warning,
        Message::new(
            format!("the source ends with a {source_kind}, the translation with {found}"),
            format!("原文以{}结尾，译文以{}结尾", zh(source_kind), zh(found)),
        ),
    )
    .in_source(at..view.source.trim_end().len());
    Some(match target {
        Some((_, end)) => raw.in_target(end..view.target.trim_end().len()),
        None => raw,
    })
}

/// Opening minus closing marks of each pair kind.
fn balance(text: &str) -> [i32; 5] {
    let mut counts = [0; 5];
    let mut straight_quotes = 0;
    for c in text.chars() {
        match c {
            '(' | '（' => counts[0] += 1,
            ')' | '）' => counts[0] -= 1,
            '[' | '【' | '〔' => counts[1] += 1,
            ']' | '】' | '〕' => counts[1] -= 1,
            '《' => counts[2] += 1,
            '》' => counts[2] -= 1,
            '“' => counts[3] += 1,
            '”' => counts[3] -= 1,
            '"' => straight_quotes += 1,
            _ => {}
        }
    }
    counts[4] = straight_quotes % 2;
    counts
}

fn unpaired(view: &View<'_>) -> Option<Raw> {
    let source = balance(&view.source);
    let target = balance(&view.target);
    let names = [
        ("brackets", "括号"),
        ("square brackets", "方括号"),
        ("title marks", "书名号"),
        ("quotation marks", "引号"),
        ("quotation marks", "引号"),
    ];
    let kind = (0..5).find(|&k| target[k] != 0 && source[k] == 0)?;
    let (en, zh) = names[kind];
    Some(Raw::new(
        CheckId::Punctuation,
        Severity::Warning,
        Message::new(
            format!("unpaired {en} in the translation"),
            format!("译文中的{zh}不成对"),
        ),
    ))
}
