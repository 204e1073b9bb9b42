//! `code`: inline codes of the source (bold, links, footnote references, fields) are all
//! in the target, once, paired and nested; codes the source lacks are refused.

use stdbridge_content::codes::{CodeProblem, check as check_codes};

use crate::View;
use crate::finding::{CheckId, Message, Raw, Severity};

/// The code findings of one segment.
pub(crate) fn check(view: &View<'_>) -> Vec<Raw> {
    check_codes(&view.pair.source, view.target_content)
        .into_iter()
        .map(|problem| {
            let zh = match &problem {
                CodeProblem::Unknown(id) => format!("代码 {id} 在原文中没有"),
                CodeProblem::Missing(id) => format!("缺少原文的代码 {id}"),
                CodeProblem::Duplicate(id) => format!("代码 {id} 出现了两次"),
                CodeProblem::WrongKind(id) => format!("代码 {id} 的类型用错了"),
                CodeProblem::Unbalanced(id) => {
                    format!("代码 {id} 未打开就关闭，或与其他成对代码交叉")
                }
                CodeProblem::Unclosed(id) => format!("代码 {id} 打开后没有关闭"),
            };
            Raw::new(
                CheckId::Code,
                Severity::Error,
                Message::new(problem.to_string(), zh),
            )
        })
        .collect()
}
