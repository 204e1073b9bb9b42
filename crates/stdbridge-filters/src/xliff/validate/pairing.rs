//! Pairing and order of codes: start and end codes, their flags in source and target,
//! `canReorder` sequences, codes that may not be removed, and `cp`.

use std::collections::{HashMap, HashSet};

use super::support::*;
use super::{Check, Checker, Foreign};
use crate::xliff::dom::El;

impl Checker<'_> {
    /// `sc`/`ec` and `sm`/`em` pairing in the sources of a unit.
    pub(super) fn pairs(&self, codes: &[&El]) -> Check {
        let starts: HashMap<&str, (usize, &El)> = codes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.local == "sc" || c.local == "sm")
            .filter_map(|(i, c)| c.attr("id").map(|id| (id, (i, *c))))
            .collect();
        let mut ended: HashSet<&str> = HashSet::new();
        for (index, code) in codes.iter().enumerate() {
            match code.local.as_str() {
                "ec" => {
                    let isolated = code.attr("isolated");
                    match isolated {
                        Some("yes") => {
                            if code.attr("startRef").is_some() || code.attr("id").is_none() {
                                return Err(
                                    self.fail(code, "an isolated <ec> has an id and no startRef")
                                );
                            }
                            if let Some(id) = code.attr("id")
                                && starts.get(id).is_some_and(|(_, s)| s.local == "sc")
                            {
                                return Err(self.fail(
                                    code,
                                    "<ec> is marked isolated but its <sc> is in the unit",
                                ));
                            }
                        }
                        Some("no") | None => {
                            let Some(start) = code.attr("startRef") else {
                                return Err(self.fail(
                                    code,
                                    "<ec> needs startRef, or isolated=\"yes\" with an id",
                                ));
                            };
                            if code.attr("id").is_some() {
                                return Err(
                                    self.fail(code, "a non-isolated <ec> uses startRef, not id")
                                );
                            }
                            match starts.get(start) {
                                Some((at, sc)) if *at < index && sc.local == "sc" => {
                                    self.same_flags(sc, code)?;
                                    ended.insert(start);
                                }
                                Some(_) => {
                                    return Err(self.fail(
                                        code,
                                        format!("<ec> comes before its <sc> {start:?}"),
                                    ));
                                }
                                None => {
                                    return Err(self.fail(
                                        code,
                                        format!(
                                            "<ec> startRef {start:?} names no <sc> of the unit"
                                        ),
                                    ));
                                }
                            }
                        }
                        Some(other) => {
                            return Err(
                                self.fail(code, format!("isolated {other:?} is not yes or no"))
                            );
                        }
                    }
                }
                "em" => {
                    let Some(start) = code.attr("startRef") else {
                        return Err(self.fail(code, "<em> needs startRef"));
                    };
                    match starts.get(start) {
                        Some((at, sm)) if *at < index && sm.local == "sm" => {
                            ended.insert(start);
                        }
                        Some(_) => {
                            return Err(
                                self.fail(code, format!("<em> comes before its <sm> {start:?}"))
                            );
                        }
                        None => {
                            return Err(
                                self.fail(code, format!("<em> startRef {start:?} names no <sm>"))
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        for (id, (_, start)) in &starts {
            let closed = ended.contains(id);
            match (start.local.as_str(), start.attr("isolated"), closed) {
                ("sm", _, false) => {
                    return Err(self.fail(start, format!("<sm> {id:?} has no <em>")));
                }
                ("sc", Some("yes"), true) => {
                    return Err(self.fail(
                        start,
                        format!("<sc> {id:?} is marked isolated but its <ec> is in the unit"),
                    ));
                }
                ("sc", Some("no") | None, false) => {
                    return Err(self.fail(
                        start,
                        format!("<sc> {id:?} has no <ec> in the unit and is not marked isolated"),
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// An `<ec>` repeats its `<sc>`'s canCopy, canDelete, canOverlap and canReorder
    /// (`firstNo` ends as `no`).
    pub(super) fn same_flags(&self, sc: &El, ec: &El) -> Check {
        for attr in ["canCopy", "canDelete", "canOverlap", "canReorder"] {
            let value = |found: Option<&str>| match found.unwrap_or("yes") {
                "firstNo" => "no".to_string(),
                other => other.to_string(),
            };
            let unset_reorder = attr == "canReorder" && sc.attr(attr).is_none();
            if value(sc.attr(attr)) != value(ec.attr(attr)) && !unset_reorder {
                return Err(self.fail(ec, format!("{attr} of <ec> differs from its <sc>")));
            }
        }
        Ok(())
    }

    pub(super) fn pairs_in_target(&self, codes: &[&El], _source: &[&El]) -> Check {
        for code in codes {
            if code.local == "ec"
                && code.attr("isolated") != Some("yes")
                && code.attr("startRef").is_none()
            {
                return Err(self.fail(code, "<ec> needs startRef, or isolated=\"yes\" with an id"));
            }
        }
        Ok(())
    }

    /// `canReorder`: `firstNo` and `no` need `canCopy="no"` and `canDelete="no"`, and a
    /// `no` must follow a `firstNo` or another `no`.
    pub(super) fn reordering(&self, codes: &[&El]) -> Check {
        let mut in_sequence = false;
        for code in codes {
            if matches!(code.local.as_str(), "mrk" | "sm" | "em") {
                continue;
            }
            let value = code.attr("canReorder").unwrap_or("yes");
            if code.local == "ec" && code.attr("isolated") != Some("yes") {
                continue;
            }
            match value {
                "yes" => in_sequence = false,
                "firstNo" | "no" => {
                    if code.attr("canCopy") != Some("no") || code.attr("canDelete") != Some("no") {
                        return Err(self.fail(
                            code,
                            format!(
                                "canReorder=\"{value}\" needs canCopy=\"no\" and canDelete=\"no\""
                            ),
                        ));
                    }
                    if value == "no" && !in_sequence {
                        return Err(self.fail(
                            code,
                            "canReorder=\"no\" must follow a code with canReorder=\"firstNo\"",
                        ));
                    }
                    in_sequence = true;
                }
                other => {
                    return Err(self.fail(
                        code,
                        format!("canReorder {other:?} is not yes, firstNo or no"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// A segment's source and target, when it has a target.
    pub(super) fn source_and_target<'p>(&self, part: &'p El) -> Option<(&'p El, &'p El)> {
        let source = part.children_named(self.core, "source").next()?;
        let target = part.children_named(self.core, "target").next()?;
        Some((source, target))
    }

    /// Codes that cannot be deleted are in every target.
    pub(super) fn non_removable(&self, parts: &[&El]) -> Check {
        for part in parts {
            let Some((source, target)) = self.source_and_target(part) else {
                continue;
            };
            let mut in_source = Vec::new();
            self.inline_content(source, &mut in_source)?;
            let mut in_target = Vec::new();
            self.inline_content(target, &mut in_target)?;
            let target_ids: HashSet<(&str, &str)> =
                in_target.iter().filter_map(|c| code_key(c)).collect();
            for code in in_source {
                if code.attr("canDelete") == Some("no")
                    && let Some(key) = code_key(code)
                    && !target_ids.contains(&key)
                {
                    return Err(self.fail(
                        target,
                        format!("the target lacks code {:?}, which cannot be deleted", key.1),
                    ));
                }
            }
        }
        Ok(())
    }

    /// A sequence that starts with `firstNo` keeps its order, contiguous, in the target.
    pub(super) fn reorder_sequences(&self, parts: &[&El]) -> Check {
        for part in parts {
            let Some((source, target)) = self.source_and_target(part) else {
                continue;
            };
            let source_events = code_events(source);
            let target_events = code_events(target);
            let mut i = 0;
            while i < source_events.len() {
                if source_events[i].1 != "firstNo" {
                    i += 1;
                    continue;
                }
                let mut end = i + 1;
                while end < source_events.len() && source_events[end].1 == "no" {
                    end += 1;
                }
                let sequence: Vec<&String> = source_events[i..end].iter().map(|(k, _)| k).collect();
                let found = target_events
                    .windows(sequence.len())
                    .any(|w| w.iter().map(|(k, _)| k).eq(sequence.iter().copied()));
                if !found {
                    return Err(self.fail(target, "codes that cannot be reordered are not in their source order in the target"));
                }
                i = end;
            }
        }
        Ok(())
    }

    pub(super) fn cp(&self, el: &El) -> Check {
        self.attributes(el, &["hex"], Foreign::None)?;
        let hex = el
            .attr("hex")
            .ok_or_else(|| self.fail(el, "<cp> has no hex"))?;
        let code = u32::from_str_radix(hex, 16)
            .map_err(|_| self.fail(el, format!("hex {hex:?} is not hexadecimal")))?;
        let valid_xml =
            matches!(code, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
        if valid_xml {
            return Err(self.fail(
                el,
                format!("<cp hex=\"{hex}\"/> is a character XML can hold: write it as text"),
            ));
        }
        Ok(())
    }
}
