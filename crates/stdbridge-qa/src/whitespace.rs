//! `whitespace`: doubled spaces, leading or trailing white space the source does not
//! have, and spaces between Chinese characters.

use stdbridge_text::is_han;

use crate::View;
use crate::finding::{CheckId, Message, Raw, Severity};

/// The findings of one segment.
pub(crate) fn check(view: &View<'_>) -> Vec<Raw> {
    let mut raw = Vec::new();
    let target = &view.target;
    if let Some(at) = target.find("  ").filter(|_| !view.source.contains("  ")) {
        let end = at + target[at..].chars().take_while(|c| *c == ' ').count();
        raw.push(
            Raw::new(
                CheckId::Whitespace,
                Severity::Warning,
                Message::new("doubled space in the translation", "译文中有连续的空格"),
            )
            .in_target(at..end),
        );
    }
    let leading = |text: &str| text.len() - text.trim_start().len();
    let trailing = |text: &str| text.len() - text.trim_end().len();
    if leading(target) != leading(&view.source) && !target.trim().is_empty() {
        raw.push(
            Raw::new(
                CheckId::Whitespace,
                Severity::Warning,
                Message::new(
                    "leading white space differs from the source's",
                    "译文开头的空白与原文不同",
                ),
            )
            .in_target(0..leading(target)),
        );
    }
    if trailing(target) != trailing(&view.source) && !target.trim().is_empty() {
        let end = target.len();
        raw.push(
            Raw::new(
                CheckId::Whitespace,
                Severity::Warning,
                Message::new(
                    "trailing white space differs from the source's",
                    "译文末尾的空白与原文不同",
                ),
            )
            .in_target(end - trailing(target)..end),
        );
    }
    if view.target_zh
        && let Some(range) = space_between_han(target)
    {
        raw.push(
            Raw::new(
                CheckId::Whitespace,
                Severity::Warning,
                Message::new("a space between Chinese characters", "汉字之间有空格"),
            )
            .in_target(range),
        );
    }
    raw
}

fn space_between_han(text: &str) -> Option<std::ops::Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    chars.windows(3).find_map(|window| {
        let [(_, a), (at, space), (_, b)] = window else {
            return None;
        };
        (is_han(*a) && is_han(*b) && (*space == ' ' || *space == '\u{3000}'))
            .then(|| *at..*at + space.len_utf8())
    })
}
