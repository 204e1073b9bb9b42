//! The document's structure: `xliff`, `file`, `skeleton`, extensions, groups and units,
//! notes, original data, segments and ignorables, languages and `order`.

use std::collections::HashSet;

use super::support::*;
use super::{CORE_22, Check, Checker, FS, Foreign, MODULES, VAL};
use crate::error::FilterError;
use crate::xliff::dom::El;

impl Checker<'_> {
    pub(super) fn xliff(&mut self, root: &El) -> Check {
        if root.ns != self.core || root.local != "xliff" {
            return Err(self.fail(
                root,
                format!(
                    "the root is <{}> in {:?}, not <xliff> in {}",
                    root.local, root.ns, self.core
                ),
            ));
        }
        self.attributes(
            root,
            &["version", "srcLang", "trgLang", "xml:space", "xml:lang"],
            Foreign::Any,
        )?;
        let version = root
            .attr("version")
            .ok_or_else(|| self.fail(root, "<xliff> has no version"))?;
        if !version.starts_with("2.") {
            return Err(self.fail(root, format!("version {version:?} is not XLIFF 2")));
        }
        let src = root
            .attr("srcLang")
            .ok_or_else(|| self.fail(root, "<xliff> has no srcLang"))?;
        self.language(root, "srcLang", src)?;
        self.src_lang = src.to_string();
        if let Some(trg) = root.attr("trgLang") {
            self.language(root, "trgLang", trg)?;
            self.trg_lang = Some(trg.to_string());
        }
        let inherited = Inherited::default().under(root);
        let mut file_ids = HashSet::new();
        let mut files = 0;
        for child in root.elements() {
            // XLIFF 2.2 allows notes and module metadata before the files.
            let before_files = files == 0 && self.core == CORE_22;
            if before_files && child.ns == self.core && child.local == "notes" {
                self.notes(child)?;
                continue;
            }
            if before_files && child.ns.starts_with(MODULES) && child.ns != self.core {
                self.extension(child)?;
                continue;
            }
            if child.ns != self.core || child.local != "file" {
                return Err(self.fail(
                    child,
                    format!("<{}> is not allowed in <xliff>: only <file>", child.local),
                ));
            }
            files += 1;
            let id = self.required_id(child)?;
            if !file_ids.insert(id.to_string()) {
                return Err(self.fail(child, format!("file id {id:?} is not unique")));
            }
            self.file(child, &inherited)?;
        }
        if files == 0 {
            return Err(self.fail(root, "<xliff> has no <file>"));
        }
        Ok(())
    }

    pub(super) fn file(&mut self, file: &El, outer: &Inherited) -> Check {
        self.attributes(
            file,
            &[
                "id",
                "canResegment",
                "original",
                "translate",
                "srcDir",
                "trgDir",
                "xml:space",
                "xml:lang",
            ],
            Foreign::Any,
        )?;
        let inherited = outer.under(file);
        let mut stage = 0; // then 1 skeleton, 2 extensions, 3 notes, 4 units and groups
        let mut units = 0;
        let mut ids = FileIds::default();
        collect_unit_ids(file, self.core, &mut ids.units_all);
        for child in file.elements() {
            let next = match (child.ns == self.core, child.local.as_str()) {
                (true, "skeleton") => 1,
                (true, "notes") => 3,
                (true, "unit" | "group") => 4,
                (true, other) => {
                    return Err(self.fail(child, format!("<{other}> is not allowed in <file>")));
                }
                (false, _) => 2,
            };
            if next < stage || (next == stage && next != 2 && next != 4) {
                return Err(self.fail(child, format!("<{}> is out of place in <file> (order: skeleton, extensions, notes, units)", child.local)));
            }
            stage = next;
            match next {
                1 => self.skeleton(child)?,
                2 => self.extension(child)?,
                3 => self.notes(child)?,
                _ => {
                    units += 1;
                    self.unit_or_group(child, &inherited, &mut ids)?;
                }
            }
        }
        if units == 0 {
            return Err(self.fail(file, "<file> has no <unit> or <group>"));
        }
        self.extension_ids(file)
    }

    pub(super) fn skeleton(&self, el: &El) -> Check {
        self.attributes(el, &["href"], Foreign::None)?;
        let has_content = el.has_text() || el.elements().next().is_some();
        match (el.attr("href"), has_content) {
            (Some(_), true) => Err(self.fail(el, "<skeleton> with href must be empty")),
            (None, false) => Err(self.fail(el, "<skeleton> without href must have content")),
            _ => Ok(()),
        }
    }

    pub(super) fn extension(&self, el: &El) -> Check {
        if el.ns == VAL && !matches!(el.local.as_str(), "validation" | "rule") {
            return Err(self.fail(
                el,
                format!("<{}> is not an element of the Validation module", el.local),
            ));
        }
        if el.ns.is_empty() {
            return Err(self.fail(
                el,
                format!("<{}> has no namespace and is not XLIFF", el.local),
            ));
        }
        for attr in &el.attrs {
            if attr.ns == FS {
                self.fs_attribute(el, attr)?;
            }
        }
        Ok(())
    }

    pub(super) fn unit_or_group(&mut self, el: &El, outer: &Inherited, ids: &mut FileIds) -> Check {
        let allowed = [
            "id",
            "name",
            "canResegment",
            "translate",
            "srcDir",
            "trgDir",
            "type",
            "xml:space",
            "xml:lang",
        ];
        self.attributes(el, &allowed, Foreign::Any)?;
        let inherited = outer.under(el);
        let id = self.required_id(el)?;
        let (set, kind) = if el.local == "group" {
            (&mut ids.groups, "group")
        } else {
            (&mut ids.units, "unit")
        };
        if !set.insert(id.to_string()) {
            return Err(self.fail(el, format!("{kind} id {id:?} is not unique in its file")));
        }
        if el.local == "unit" {
            return self.unit(el, &inherited, &ids.units_all);
        }
        let mut stage = 0;
        for child in el.elements() {
            let next = match (child.ns == self.core, child.local.as_str()) {
                (true, "notes") => 3,
                (true, "unit" | "group") => 4,
                (true, other) => {
                    return Err(self.fail(child, format!("<{other}> is not allowed in <group>")));
                }
                (false, _) => 2,
            };
            if next < stage || (next == 3 && stage == 3) {
                return Err(self.fail(
                    child,
                    format!(
                        "<{}> is out of place in <group> (order: extensions, notes, units)",
                        child.local
                    ),
                ));
            }
            stage = next;
            match next {
                2 => self.extension(child)?,
                3 => self.notes(child)?,
                _ => self.unit_or_group(child, &inherited, ids)?,
            }
        }
        self.extension_ids(el)
    }

    pub(super) fn notes(&self, el: &El) -> Check {
        self.attributes(el, &[], Foreign::None)?;
        let mut ids = HashSet::new();
        let mut count = 0;
        for note in el.elements() {
            if note.ns != self.core || note.local != "note" {
                return Err(self.fail(note, format!("<{}> is not allowed in <notes>", note.local)));
            }
            count += 1;
            let allowed: &[&str] = if self.core == CORE_22 {
                &["id", "appliesTo", "category", "priority", "ref"]
            } else {
                &["id", "appliesTo", "category", "priority"]
            };
            self.attributes(note, allowed, Foreign::Any)?;
            if let Some(id) = note.attr("id") {
                self.nmtoken(note, id)?;
                if !ids.insert(id) {
                    return Err(self.fail(note, format!("note id {id:?} is not unique")));
                }
            }
            if let Some(applies) = note.attr("appliesTo")
                && !matches!(applies, "source" | "target")
            {
                return Err(self.fail(
                    note,
                    format!("appliesTo {applies:?} is not source or target"),
                ));
            }
            if let Some(priority) = note.attr("priority")
                && !matches!(priority.parse::<u8>(), Ok(1..=10))
            {
                return Err(self.fail(note, format!("priority {priority:?} is not 1 to 10")));
            }
            if let Some(child) = note.elements().next() {
                return Err(self.fail(child, "<note> holds text only"));
            }
        }
        if count == 0 {
            return Err(self.fail(el, "<notes> has no <note>"));
        }
        Ok(())
    }

    pub(super) fn unit(
        &self,
        unit: &El,
        inherited: &Inherited,
        unit_ids: &HashSet<String>,
    ) -> Check {
        let mut stage = 0;
        let mut segments = 0;
        let mut data_ids: Option<HashSet<String>> = None;
        let mut note_ids: HashSet<String> = HashSet::new();
        let mut part_ids = HashSet::new();
        let mut parts: Vec<&El> = Vec::new();
        for child in unit.elements() {
            let next = match (child.ns == self.core, child.local.as_str()) {
                (true, "notes") => 3,
                (true, "originalData") => 4,
                (true, "segment" | "ignorable") => 5,
                (true, other) => {
                    return Err(self.fail(child, format!("<{other}> is not allowed in <unit>")));
                }
                (false, _) => 2,
            };
            if next < stage || (next == stage && (next == 3 || next == 4)) {
                return Err(self.fail(child, format!("<{}> is out of place in <unit> (order: extensions, notes, originalData, segments)", child.local)));
            }
            stage = next;
            match next {
                2 => self.extension(child)?,
                3 => {
                    self.notes(child)?;
                    note_ids.extend(
                        child
                            .elements()
                            .filter_map(|n| n.attr("id").map(str::to_string)),
                    );
                }
                4 => data_ids = Some(self.original_data(child)?),
                _ => {
                    if child.local == "segment" {
                        segments += 1;
                    }
                    self.part(child)?;
                    if let Some(id) = child.attr("id")
                        && !part_ids.insert(id.to_string())
                    {
                        return Err(self.fail(
                            child,
                            format!("segment or ignorable id {id:?} is not unique in its unit"),
                        ));
                    }
                    parts.push(child);
                }
            }
        }
        if segments == 0 {
            return Err(self.fail(unit, "<unit> has no <segment>"));
        }
        let context = UnitContext {
            data_ids: data_ids.as_ref(),
            note_ids: &note_ids,
            unit_ids,
        };
        self.languages(&parts, inherited)?;
        self.orders(&parts)?;
        self.inline(unit, &parts, &context)?;
        self.extension_ids(unit)
    }

    pub(super) fn original_data(&self, el: &El) -> Result<HashSet<String>, FilterError> {
        self.attributes(el, &[], Foreign::None)?;
        let mut ids = HashSet::new();
        for data in el.elements() {
            if data.ns != self.core || data.local != "data" {
                return Err(self.fail(
                    data,
                    format!("<{}> is not allowed in <originalData>", data.local),
                ));
            }
            self.attributes(data, &["id", "dir", "xml:space"], Foreign::None)?;
            let id = self.required_id(data)?;
            if !ids.insert(id.to_string()) {
                return Err(self.fail(data, format!("data id {id:?} is not unique")));
            }
            for inner in data.elements() {
                if inner.ns != self.core || inner.local != "cp" {
                    return Err(self.fail(
                        inner,
                        format!(
                            "<{}> is not allowed in <data>: only text and <cp>",
                            inner.local
                        ),
                    ));
                }
                self.cp(inner)?;
            }
        }
        if ids.is_empty() {
            return Err(self.fail(el, "<originalData> has no <data>"));
        }
        Ok(ids)
    }

    pub(super) fn part(&self, el: &El) -> Check {
        if el.local == "segment" {
            self.attributes(
                el,
                &["id", "canResegment", "state", "subState"],
                Foreign::None,
            )?;
            match el.attr("state") {
                Some("initial" | "translated" | "reviewed" | "final") | None => {}
                Some(other) => {
                    return Err(self.fail(
                        el,
                        format!("state {other:?} is not initial, translated, reviewed or final"),
                    ));
                }
            }
            if let Some(sub) = el.attr("subState") {
                if el.attr("state").is_none() {
                    return Err(self.fail(el, "subState needs a state"));
                }
                self.prefixed_value(el, "subState", sub)?;
            }
        } else {
            self.attributes(el, &["id"], Foreign::None)?;
        }
        if let Some(id) = el.attr("id") {
            self.nmtoken(el, id)?;
        }
        let mut sources = 0;
        let mut targets = 0;
        for child in el.elements() {
            match (child.ns == self.core, child.local.as_str()) {
                (true, "source") if targets == 0 => {
                    sources += 1;
                    self.attributes(child, &["xml:lang", "xml:space"], Foreign::None)?;
                }
                (true, "target") => {
                    targets += 1;
                    self.attributes(child, &["xml:lang", "xml:space", "order"], Foreign::None)?;
                }
                _ => {
                    return Err(self.fail(
                        child,
                        format!("<{}> is not allowed in <{}>", child.local, el.local),
                    ));
                }
            }
        }
        if sources != 1 || targets > 1 {
            return Err(self.fail(
                el,
                format!("<{}> needs one <source> and at most one <target>", el.local),
            ));
        }
        if targets == 1 && self.trg_lang.is_none() {
            return Err(self.fail(el, "a <target> needs trgLang on <xliff>"));
        }
        Ok(())
    }

    pub(super) fn languages(&self, parts: &[&El], outer: &Inherited) -> Check {
        let inherited = outer.lang.as_deref();
        for part in parts {
            let source = part.children_named(self.core, "source").next();
            let target = part.children_named(self.core, "target").next();
            if let Some(source) = source {
                let lang = source.xml_attr("lang").or(inherited);
                if let Some(lang) = lang {
                    self.language(source, "xml:lang", lang)?;
                    if !lang.eq_ignore_ascii_case(&self.src_lang) {
                        return Err(self.fail(
                            source,
                            format!("<source> is in {lang:?}, not srcLang {:?}", self.src_lang),
                        ));
                    }
                }
            }
            if let Some(target) = target {
                let lang = target.xml_attr("lang").or(inherited);
                if let (Some(lang), Some(trg)) = (lang, &self.trg_lang) {
                    self.language(target, "xml:lang", lang)?;
                    if !lang.eq_ignore_ascii_case(trg) {
                        return Err(self.fail(
                            target,
                            format!("<target> is in {lang:?}, not trgLang {trg:?}"),
                        ));
                    }
                }
                let default = outer.space.as_deref().unwrap_or("default");
                let source_space = source.and_then(|e| e.xml_attr("space")).unwrap_or(default);
                let target_space = target.xml_attr("space").unwrap_or(default);
                if source_space != target_space {
                    return Err(self.fail(target, "<target> and <source> have different xml:space"));
                }
            }
        }
        Ok(())
    }

    pub(super) fn orders(&self, parts: &[&El]) -> Check {
        let mut seen = HashSet::new();
        for (position, part) in parts.iter().enumerate() {
            let Some(target) = part.children_named(self.core, "target").next() else {
                continue;
            };
            let order = match target.attr("order") {
                Some(value) => value
                    .parse::<u32>()
                    .ok()
                    .filter(|&o| o > 0)
                    .ok_or_else(|| {
                        self.fail(target, format!("order {value:?} is not a positive integer"))
                    })?,
                None => position as u32 + 1,
            };
            if !seen.insert(order) {
                return Err(self.fail(
                    target,
                    format!("target order {order} is used twice in the unit"),
                ));
            }
        }
        Ok(())
    }
}
