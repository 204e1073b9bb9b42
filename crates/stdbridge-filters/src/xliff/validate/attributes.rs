//! Attributes: which an element may have, extension ids, required ids, NMTOKENs,
//! languages, prefixed values, and the Format Style module's `fs:fs`/`fs:subFs`.

use std::collections::HashSet;

use super::support::*;
use super::{Check, Checker, FS, Foreign, MODULES};
use crate::error::FilterError;
use crate::xliff::dom::{self, El, XML_NS};

impl Checker<'_> {
    /// Every id of an extension element is unique among those of its file, group or unit.
    pub(super) fn extension_ids(&self, el: &El) -> Check {
        let mut seen: HashSet<String> = HashSet::new();
        for child in el.elements().filter(|c| c.ns != self.core) {
            let mut stack = vec![child];
            while let Some(node) = stack.pop() {
                if node.ns != self.core {
                    for id in node
                        .attrs
                        .iter()
                        .filter(|a| a.local == "id" && (a.ns.is_empty() || a.ns == XML_NS))
                    {
                        if node.ns.starts_with(MODULES) {
                            continue;
                        }
                        if !seen.insert(format!("{}#{}", node.ns, id.value)) {
                            return Err(self.fail(
                                node,
                                format!("id {:?} of an extension element is not unique", id.value),
                            ));
                        }
                    }
                }
                stack.extend(node.elements());
            }
        }
        Ok(())
    }

    pub(super) fn attributes(&self, el: &El, allowed: &[&str], foreign: Foreign) -> Check {
        for attr in &el.attrs {
            let known = if attr.ns.is_empty() {
                allowed.contains(&attr.local.as_str())
            } else if attr.ns == XML_NS {
                allowed.contains(&format!("xml:{}", attr.local).as_str())
            } else {
                match foreign {
                    Foreign::Any => true,
                    Foreign::Modules => attr.ns.starts_with(MODULES),
                    Foreign::None => false,
                }
            };
            if !known {
                return Err(self.fail(
                    el,
                    format!("attribute {} is not allowed on <{}>", attr.name, el.local),
                ));
            }
            if attr.ns == FS {
                self.fs_attribute(el, attr)?;
            }
            if attr.ns == XML_NS
                && attr.local == "space"
                && !matches!(attr.value.as_str(), "default" | "preserve")
            {
                return Err(self.fail(
                    el,
                    format!("xml:space {:?} is not default or preserve", attr.value),
                ));
            }
            if attr.ns.is_empty()
                && matches!(attr.local.as_str(), "translate" | "canResegment")
                && !matches!(attr.value.as_str(), "yes" | "no")
            {
                return Err(self.fail(
                    el,
                    format!("{} {:?} is not yes or no", attr.local, attr.value),
                ));
            }
            if attr.ns.is_empty()
                && matches!(attr.local.as_str(), "srcDir" | "trgDir" | "dir")
                && !matches!(attr.value.as_str(), "ltr" | "rtl" | "auto")
            {
                return Err(self.fail(
                    el,
                    format!("{} {:?} is not ltr, rtl or auto", attr.local, attr.value),
                ));
            }
        }
        Ok(())
    }

    pub(super) fn fs_attribute(&self, el: &El, attr: &dom::Attr) -> Check {
        match attr.local.as_str() {
            "fs" => {
                if !HTML_ELEMENTS.contains(&attr.value.as_str()) {
                    return Err(
                        self.fail(el, format!("fs:fs {:?} is not an HTML element", attr.value))
                    );
                }
                Ok(())
            }
            "subFs" => Ok(()),
            other => Err(self.fail(
                el,
                format!("fs:{other} is not an attribute of the Format Style module"),
            )),
        }
    }

    pub(super) fn required_id<'e>(&self, el: &'e El) -> Result<&'e str, FilterError> {
        let id = el
            .attr("id")
            .ok_or_else(|| self.fail(el, format!("<{}> has no id", el.local)))?;
        self.nmtoken(el, id)?;
        Ok(id)
    }

    pub(super) fn nmtoken(&self, el: &El, value: &str) -> Check {
        if is_nmtoken(value) {
            Ok(())
        } else {
            Err(self.fail(el, format!("{value:?} is not a valid id (NMTOKEN)")))
        }
    }

    pub(super) fn language(&self, el: &El, attribute: &str, value: &str) -> Check {
        let mut parts = value.split('-');
        let primary = parts.next().unwrap_or("");
        let primary_ok =
            (2..=8).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if primary_ok && rest_ok {
            Ok(())
        } else {
            Err(self.fail(
                el,
                format!("{attribute} {value:?} is not a well-formed language tag (BCP 47)"),
            ))
        }
    }

    pub(super) fn prefixed_value(&self, el: &El, attribute: &str, value: &str) -> Check {
        match value.split_once(':') {
            Some((prefix, rest))
                if !prefix.is_empty() && !rest.is_empty() && is_nmtoken(prefix) =>
            {
                Ok(())
            }
            _ => Err(self.fail(el, format!("{attribute} {value:?} is not prefix:value"))),
        }
    }
}
