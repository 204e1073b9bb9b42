//! Inline content: codes (`ph`, `pc`, `sc`, `ec`) and annotations (`mrk`, `sm`, `em`),
//! their types and sub-types, and the fragment identifiers they point with.

use std::collections::HashMap;

use super::support::*;
use super::{Check, Checker, FS, Foreign};
use crate::xliff::dom::El;

impl Checker<'_> {
    /// Inline codes and annotations of a unit's sources and targets.
    pub(super) fn inline(&self, unit: &El, parts: &[&El], context: &UnitContext<'_>) -> Check {
        let mut source_codes: Vec<&El> = Vec::new();
        let mut target_codes: Vec<Vec<&El>> = Vec::new();
        for part in parts {
            if let Some(source) = part.children_named(self.core, "source").next() {
                self.inline_content(source, &mut source_codes)?;
            }
            if let Some(target) = part.children_named(self.core, "target").next() {
                let mut codes = Vec::new();
                self.inline_content(target, &mut codes)?;
                target_codes.push(codes);
            } else {
                target_codes.push(Vec::new());
            }
        }
        let mut ids: HashMap<&str, &El> = HashMap::new();
        for code in &source_codes {
            if let Some(id) = code.attr("id") {
                if matches!(code.local.as_str(), "ec") && code.attr("isolated") != Some("yes") {
                    continue;
                }
                if ids.insert(id, code).is_some() {
                    return Err(
                        self.fail(code, format!("inline id {id:?} is not unique in its unit"))
                    );
                }
            }
        }
        for code in source_codes.iter().chain(target_codes.iter().flatten()) {
            self.code(code, context, &ids)?;
        }
        for part in parts {
            if let Some(id) = part.attr("id")
                && ids.contains_key(id)
            {
                return Err(self.fail(
                    part,
                    format!("id {id:?} is used by a segment and an inline element"),
                ));
            }
        }
        self.pairs(&source_codes)?;
        for codes in &target_codes {
            self.pairs_in_target(codes, &source_codes)?;
        }
        self.reordering(&source_codes)?;
        self.non_removable(parts)?;
        self.reorder_sequences(parts)?;
        let _ = unit;
        Ok(())
    }

    pub(super) fn inline_content<'e>(&self, el: &'e El, codes: &mut Vec<&'e El>) -> Check {
        for child in el.elements() {
            if child.ns != self.core {
                return Err(self.fail(
                    child,
                    format!("<{}> is not allowed in inline content", child.local),
                ));
            }
            match child.local.as_str() {
                "cp" => self.cp(child)?,
                "ph" | "sc" | "ec" | "sm" | "em" => {
                    if child.elements().next().is_some() || child.has_text() {
                        return Err(self.fail(child, format!("<{}> must be empty", child.local)));
                    }
                    codes.push(child);
                }
                "pc" | "mrk" => {
                    codes.push(child);
                    self.inline_content(child, codes)?;
                }
                other => {
                    return Err(
                        self.fail(child, format!("<{other}> is not allowed in inline content"))
                    );
                }
            }
        }
        Ok(())
    }

    pub(super) fn code(
        &self,
        code: &El,
        context: &UnitContext<'_>,
        ids: &HashMap<&str, &El>,
    ) -> Check {
        let common = [
            "id",
            "canCopy",
            "canDelete",
            "canReorder",
            "copyOf",
            "disp",
            "equiv",
            "subType",
            "type",
        ];
        let (extra, foreign): (&[&str], Foreign) = match code.local.as_str() {
            "pc" => (
                &[
                    "canOverlap",
                    "dataRefEnd",
                    "dataRefStart",
                    "dir",
                    "dispEnd",
                    "dispStart",
                    "equivEnd",
                    "equivStart",
                    "subFlowsEnd",
                    "subFlowsStart",
                ],
                Foreign::Modules,
            ),
            "ph" => (&["dataRef", "subFlows"], Foreign::Modules),
            "sc" => (
                &["canOverlap", "dataRef", "dir", "isolated", "subFlows"],
                Foreign::Modules,
            ),
            "ec" => (
                &[
                    "canOverlap",
                    "dataRef",
                    "dir",
                    "isolated",
                    "startRef",
                    "subFlows",
                ],
                Foreign::Modules,
            ),
            "mrk" | "sm" => (&["translate", "value", "ref"], Foreign::Any),
            _ => (&["startRef"], Foreign::None),
        };
        let allowed: Vec<&str> = if matches!(code.local.as_str(), "mrk" | "sm") {
            ["id", "type"]
                .into_iter()
                .chain(extra.iter().copied())
                .collect()
        } else if code.local == "em" {
            extra.to_vec()
        } else {
            common.into_iter().chain(extra.iter().copied()).collect()
        };
        self.attributes(code, &allowed, foreign)?;
        if code.local == "ec"
            && code.attr("isolated") != Some("yes")
            && code.attrs.iter().any(|a| a.ns == FS)
        {
            return Err(self.fail(
                code,
                "Format Style attributes are not allowed on an <ec> that is not isolated",
            ));
        }
        if let Some(id) = code.attr("id") {
            self.nmtoken(code, id)?;
        } else if !matches!(code.local.as_str(), "ec" | "em") {
            return Err(self.fail(code, format!("<{}> has no id", code.local)));
        }
        for attr in ["canCopy", "canDelete", "canOverlap"] {
            if let Some(value) = code.attr(attr)
                && !matches!(value, "yes" | "no")
            {
                return Err(self.fail(code, format!("{attr} {value:?} is not yes or no")));
            }
        }
        for attr in ["dataRef", "dataRefStart", "dataRefEnd"] {
            if let Some(reference) = code.attr(attr) {
                match context.data_ids {
                    Some(data) if data.contains(reference) => {}
                    Some(_) => {
                        return Err(self.fail(
                            code,
                            format!("{attr} {reference:?} names no <data> of the unit"),
                        ));
                    }
                    None => {
                        return Err(self.fail(
                            code,
                            format!("{attr} {reference:?} but the unit has no <originalData>"),
                        ));
                    }
                }
            }
        }
        if let Some(copy_of) = code.attr("copyOf") {
            if code.attr("dataRef").is_some() || code.attr("dataRefStart").is_some() {
                return Err(self.fail(code, "copyOf and dataRef cannot be used together"));
            }
            match ids.get(copy_of) {
                None => {
                    return Err(self.fail(
                        code,
                        format!("copyOf {copy_of:?} names no code of the unit"),
                    ));
                }
                Some(original) if original.attr("canCopy") == Some("no") => {
                    return Err(self.fail(
                        code,
                        format!("copyOf {copy_of:?} names a code that cannot be copied"),
                    ));
                }
                Some(_) => {}
            }
        }
        self.type_and_subtype(code)?;
        for attr in ["subFlows", "subFlowsStart", "subFlowsEnd"] {
            if let Some(flows) = code.attr(attr) {
                for flow in flows.split(' ') {
                    self.nmtoken(code, flow)?;
                    if !context.unit_ids.contains(flow) {
                        return Err(self.fail(
                            code,
                            format!("{attr} names unit {flow:?}, which is not in the file"),
                        ));
                    }
                }
            }
        }
        if matches!(code.local.as_str(), "mrk" | "sm") {
            self.annotation(code, context)?;
        }
        Ok(())
    }

    pub(super) fn type_and_subtype(&self, code: &El) -> Check {
        if matches!(code.local.as_str(), "mrk" | "sm") {
            return Ok(());
        }
        let kind = code.attr("type");
        if let Some(kind) = kind
            && !matches!(kind, "fmt" | "ui" | "quote" | "link" | "image" | "other")
        {
            return Err(self.fail(
                code,
                format!("type {kind:?} is not fmt, ui, quote, link, image or other"),
            ));
        }
        if let Some(sub) = code.attr("subType") {
            let Some(kind) = kind else {
                return Err(self.fail(code, "subType needs a type"));
            };
            self.prefixed_value(code, "subType", sub)?;
            let needed = match sub {
                "xlf:lb" | "xlf:pb" | "xlf:b" | "xlf:i" | "xlf:u" => Some("fmt"),
                "xlf:var" => Some("ui"),
                s if s.starts_with("xlf:") => {
                    return Err(self.fail(code, format!("subType {s:?} is not defined by XLIFF")));
                }
                _ => None,
            };
            if let Some(needed) = needed
                && needed != kind
            {
                return Err(self.fail(
                    code,
                    format!("subType {sub:?} needs type {needed:?}, not {kind:?}"),
                ));
            }
        }
        Ok(())
    }

    pub(super) fn annotation(&self, code: &El, context: &UnitContext<'_>) -> Check {
        if let Some(reference) = code.attr("ref")
            && let Some(fragment) = reference.strip_prefix('#')
        {
            self.fragment(code, fragment)?;
        }
        if code.attr("type") == Some("comment") {
            match (code.attr("value"), code.attr("ref")) {
                (Some(_), Some(_)) => {
                    return Err(self.fail(code, "a comment annotation has value or ref, not both"));
                }
                (None, None) => {
                    return Err(self.fail(code, "a comment annotation needs value or ref"));
                }
                (None, Some(reference)) => {
                    let note = reference.strip_prefix('#').and_then(note_of_unit);
                    match note {
                        Some(id) if context.note_ids.contains(id) => {}
                        _ => {
                            return Err(self.fail(
                                code,
                                format!(
                                    "comment ref {reference:?} is not a note of this unit (#n=ID)"
                                ),
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
        if let Some(translate) = code.attr("translate")
            && !matches!(translate, "yes" | "no")
        {
            return Err(self.fail(code, format!("translate {translate:?} is not yes or no")));
        }
        Ok(())
    }

    /// XLIFF fragment identifiers: `[/]prefix=id/…`, core prefixes f, g, u, n, d, t in that
    /// order, a leaf last.
    pub(super) fn fragment(&self, el: &El, fragment: &str) -> Check {
        let body = fragment.strip_prefix('/').unwrap_or(fragment);
        let parts: Vec<&str> = body.split('/').collect();
        let bad = |why: &str| self.fail(el, format!("fragment identifier #{fragment}: {why}"));
        if parts.iter().any(|p| p.is_empty()) {
            return Err(bad("empty selector"));
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut leaf_seen = false;
        for (index, part) in parts.iter().enumerate() {
            let last = index + 1 == parts.len();
            let (prefix, id) = match part.split_once('=') {
                Some((prefix, id)) => (prefix, id),
                None if last && parts.len() == 1 => ("", *part),
                None => return Err(bad("a selector without prefix must be the only one")),
            };
            if !prefix.is_empty() {
                if !prefix
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                {
                    return Err(bad(&format!("prefix {prefix:?} is not a name")));
                }
                let core = ["f", "g", "u", "n", "d", "t"];
                let modules = [
                    "ctr", "gls", "mtc", "res", "slr", "val", "mda", "its", "fs", "tbx",
                ];
                if !core.contains(&prefix) && !modules.contains(&prefix) {
                    return Err(bad(&format!("prefix {prefix:?} is not registered")));
                }
                if prefix != "g" && seen.contains(&prefix) {
                    return Err(bad(&format!("prefix {prefix:?} appears twice")));
                }
                let rank = |p: &str| match p {
                    "f" => 0,
                    "g" => 1,
                    "u" => 2,
                    _ => 3,
                };
                if leaf_seen {
                    return Err(bad("nothing may follow a note, data or module selector"));
                }
                if let Some(previous) = seen.last()
                    && rank(previous) > rank(prefix)
                {
                    return Err(bad(&format!("{prefix}= cannot follow {previous}=")));
                }
                leaf_seen = rank(prefix) == 3;
                seen.push(prefix);
            }
            if id.is_empty() || !is_nmtoken(id) {
                return Err(bad(&format!("{id:?} is not an id")));
            }
        }
        Ok(())
    }
}
