//! XLIFF 2.x validation: the core schema (elements, attributes, their order) and the core
//! processing constraints (ids, languages, inline codes, references, reordering), and the
//! Format Style and Validation modules' attributes. Each problem names its line.

use std::collections::{HashMap, HashSet};

use super::dom::{self, El, XML_NS};
use crate::error::FilterError;
use crate::xmltok::XmlDoc;

/// The XLIFF 2.0 and 2.1 core namespace.
pub const CORE: &str = "urn:oasis:names:tc:xliff:document:2.0";
/// The XLIFF 2.2 core namespace.
pub const CORE_22: &str = "urn:oasis:names:tc:xliff:document:2.2";
const FS: &str = "urn:oasis:names:tc:xliff:fs:2.0";
const VAL: &str = "urn:oasis:names:tc:xliff:validation:2.0";
const MODULES: &str = "urn:oasis:names:tc:xliff:";

/// Checks an XLIFF 2 document; the first problem found is the error.
pub fn validate(input: &str, name: &str) -> Result<(), FilterError> {
    let doc = XmlDoc::parse(input, name)?;
    let root = dom::build(&doc, name)?;
    let core = if root.ns == CORE_22 { CORE_22 } else { CORE };
    let mut checker = Checker {
        name,
        core,
        src_lang: String::new(),
        trg_lang: None,
    };
    checker.xliff(&root)
}

struct Checker<'n> {
    name: &'n str,
    core: &'static str,
    src_lang: String,
    trg_lang: Option<String>,
}

type Check = Result<(), FilterError>;

/// Which attributes from other namespaces an element may have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Foreign {
    /// Any namespace (extension points).
    Any,
    /// Only the XLIFF modules' namespaces.
    Modules,
    /// None.
    None,
}

impl Checker<'_> {
    fn fail(&self, el: &El, message: impl Into<String>) -> FilterError {
        FilterError::xml(self.name, el.line, message)
    }

    fn xliff(&mut self, root: &El) -> Check {
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

    fn file(&mut self, file: &El, outer: &Inherited) -> Check {
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

    fn skeleton(&self, el: &El) -> Check {
        self.attributes(el, &["href"], Foreign::None)?;
        let has_content = el.has_text() || el.elements().next().is_some();
        match (el.attr("href"), has_content) {
            (Some(_), true) => Err(self.fail(el, "<skeleton> with href must be empty")),
            (None, false) => Err(self.fail(el, "<skeleton> without href must have content")),
            _ => Ok(()),
        }
    }

    fn extension(&self, el: &El) -> Check {
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

    fn unit_or_group(&mut self, el: &El, outer: &Inherited, ids: &mut FileIds) -> Check {
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

    fn notes(&self, el: &El) -> Check {
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

    fn unit(&self, unit: &El, inherited: &Inherited, unit_ids: &HashSet<String>) -> Check {
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

    fn original_data(&self, el: &El) -> Result<HashSet<String>, FilterError> {
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

    fn part(&self, el: &El) -> Check {
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

    fn languages(&self, parts: &[&El], outer: &Inherited) -> Check {
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

    fn orders(&self, parts: &[&El]) -> Check {
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

    /// Inline codes and annotations of a unit's sources and targets.
    fn inline(&self, unit: &El, parts: &[&El], context: &UnitContext<'_>) -> Check {
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

    fn inline_content<'e>(&self, el: &'e El, codes: &mut Vec<&'e El>) -> Check {
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

    fn code(&self, code: &El, context: &UnitContext<'_>, ids: &HashMap<&str, &El>) -> Check {
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

    fn type_and_subtype(&self, code: &El) -> Check {
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

    fn annotation(&self, code: &El, context: &UnitContext<'_>) -> Check {
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
    fn fragment(&self, el: &El, fragment: &str) -> Check {
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

    /// `sc`/`ec` and `sm`/`em` pairing in the sources of a unit.
    fn pairs(&self, codes: &[&El]) -> Check {
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
    fn same_flags(&self, sc: &El, ec: &El) -> Check {
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

    fn pairs_in_target(&self, codes: &[&El], _source: &[&El]) -> Check {
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
    fn reordering(&self, codes: &[&El]) -> Check {
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
    fn source_and_target<'p>(&self, part: &'p El) -> Option<(&'p El, &'p El)> {
        let source = part.children_named(self.core, "source").next()?;
        let target = part.children_named(self.core, "target").next()?;
        Some((source, target))
    }

    /// Codes that cannot be deleted are in every target.
    fn non_removable(&self, parts: &[&El]) -> Check {
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
    fn reorder_sequences(&self, parts: &[&El]) -> Check {
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

    fn cp(&self, el: &El) -> Check {
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

    /// Every id of an extension element is unique among those of its file, group or unit.
    fn extension_ids(&self, el: &El) -> Check {
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

    fn attributes(&self, el: &El, allowed: &[&str], foreign: Foreign) -> Check {
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

    fn fs_attribute(&self, el: &El, attr: &dom::Attr) -> Check {
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

    fn required_id<'e>(&self, el: &'e El) -> Result<&'e str, FilterError> {
        let id = el
            .attr("id")
            .ok_or_else(|| self.fail(el, format!("<{}> has no id", el.local)))?;
        self.nmtoken(el, id)?;
        Ok(id)
    }

    fn nmtoken(&self, el: &El, value: &str) -> Check {
        if is_nmtoken(value) {
            Ok(())
        } else {
            Err(self.fail(el, format!("{value:?} is not a valid id (NMTOKEN)")))
        }
    }

    fn language(&self, el: &El, attribute: &str, value: &str) -> Check {
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

    fn prefixed_value(&self, el: &El, attribute: &str, value: &str) -> Check {
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

#[derive(Default)]
struct FileIds {
    units: HashSet<String>,
    groups: HashSet<String>,
    units_all: HashSet<String>,
}

struct UnitContext<'c> {
    data_ids: Option<&'c HashSet<String>>,
    note_ids: &'c HashSet<String>,
    unit_ids: &'c HashSet<String>,
}

/// `xml:lang` and `xml:space` as inherited from the elements above.
#[derive(Debug, Clone, Default)]
struct Inherited {
    lang: Option<String>,
    space: Option<String>,
}

impl Inherited {
    fn under(&self, el: &El) -> Inherited {
        Inherited {
            lang: el
                .xml_attr("lang")
                .map(str::to_string)
                .or_else(|| self.lang.clone()),
            space: el
                .xml_attr("space")
                .map(str::to_string)
                .or_else(|| self.space.clone()),
        }
    }
}

fn collect_unit_ids(el: &El, core: &str, out: &mut HashSet<String>) {
    for child in el.elements().filter(|c| c.ns == core) {
        match child.local.as_str() {
            "unit" => {
                if let Some(id) = child.attr("id") {
                    out.insert(id.to_string());
                }
            }
            "group" => collect_unit_ids(child, core, out),
            _ => {}
        }
    }
}

/// The note id of a fragment that points at a note of the current unit: `n=ID` or
/// `/f=…/u=…/n=ID`.
fn note_of_unit(fragment: &str) -> Option<&str> {
    let body = fragment.strip_prefix('/').unwrap_or(fragment);
    let parts: Vec<&str> = body.split('/').collect();
    let last = parts.last()?.strip_prefix("n=")?;
    let outer_ok = parts[..parts.len() - 1].iter().any(|p| p.starts_with("u=")) || parts.len() == 1;
    outer_ok.then_some(last)
}

/// A code's identity for matching source and target: kind and id.
fn code_key(code: &El) -> Option<(&str, &str)> {
    let kind = code.local.as_str();
    code.attr("id")
        .or_else(|| code.attr("startRef"))
        .map(|id| (kind, id))
}

/// The codes of inline content as events (`ph:1`, `pc:1`, `/pc:1`) with their
/// canReorder value; a closing `pc` counts as `no`.
fn code_events(el: &El) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for child in el.elements() {
        let id = child
            .attr("id")
            .or_else(|| child.attr("startRef"))
            .unwrap_or("");
        let reorder = child.attr("canReorder").unwrap_or("yes").to_string();
        match child.local.as_str() {
            "pc" => {
                out.push((format!("pc:{id}"), reorder.clone()));
                out.extend(code_events(child));
                let end = if reorder == "yes" { "yes" } else { "no" };
                out.push((format!("/pc:{id}"), end.to_string()));
            }
            "mrk" => out.extend(code_events(child)),
            "ph" | "sc" | "ec" => out.push((format!("{}:{id}", child.local), reorder)),
            _ => {}
        }
    }
    out
}

fn is_nmtoken(value: &str) -> bool {
    !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '\u{b7}'))
}

/// Element names the Format Style module's `fs:fs` accepts (HTML 4/5).
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "command",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "keygen",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "menu",
    "meta",
    "meter",
    "nav",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];
