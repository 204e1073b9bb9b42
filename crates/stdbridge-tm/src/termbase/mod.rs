//! Concept-oriented termbases: a concept holds one section per language, each with its
//! terms; a term has a status (preferred, admitted, deprecated, forbidden), part of
//! speech, context and source (for standards, the standard and clause it is defined in).
//! Imported from TBX (v3 TBX-Basic in DCA and DCT style, v2 `martif`) and CSV/TSV
//! glossaries, exported as TBX v3; terms are recognized in segments by [`TermMatcher`].

mod glossary;
mod recognize;
pub mod tbx;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

use stdbridge_storage::{Collection, ConceptWrite, TermbaseRepository, Visibility};

pub use glossary::GlossaryLanguages;
pub use recognize::{TargetTerm, TermHit, TermMatcher};

use crate::error::TmError;
use crate::memory::now_rfc3339;

/// How a term may be used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermStatus {
    /// The term to use.
    Preferred,
    /// Acceptable (also when the source says nothing).
    #[default]
    Admitted,
    /// Not to be used any more (deprecated or superseded).
    Deprecated,
    /// Never to be used.
    Forbidden,
}

impl TermStatus {
    /// Reads a status as TBX and vendor files write it
    /// (`preferredTerm-admn-sts`, `deprecatedTerm`, `forbidden`…).
    pub fn parse(text: &str) -> TermStatus {
        let lower = text.trim().to_ascii_lowercase();
        if lower.contains("forbid") {
            TermStatus::Forbidden
        } else if lower.contains("deprecat")
            || lower.contains("supersed")
            || lower.contains("obsolete")
        {
            TermStatus::Deprecated
        } else if lower.contains("prefer")
            || lower.contains("standardized")
            || lower.contains("legal")
            || lower.contains("regulated")
        {
            TermStatus::Preferred
        } else {
            TermStatus::Admitted
        }
    }

    /// The TBX-Basic value.
    pub fn tbx_value(self) -> &'static str {
        match self {
            TermStatus::Preferred => "preferredTerm-admn-sts",
            TermStatus::Admitted => "admittedTerm-admn-sts",
            TermStatus::Deprecated | TermStatus::Forbidden => "deprecatedTerm-admn-sts",
        }
    }

    /// Whether the term must not be used in a translation.
    pub fn is_unwanted(self) -> bool {
        matches!(self, TermStatus::Deprecated | TermStatus::Forbidden)
    }
}

/// A term.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// The term as written.
    pub text: String,
    /// How it may be used.
    #[serde(default)]
    pub status: TermStatus,
    /// noun, verb, adjective…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of_speech: Option<String>,
    /// fullForm, abbreviation, acronym…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_type: Option<String>,
    /// A sentence that shows the term in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Where the term comes from (a standard and clause: "GB/T 1992—2006, 3.1").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Other data categories as (name, value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<(String, String)>,
}

/// One language's section of a concept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LangSection {
    /// Language tag.
    pub lang: String,
    /// Definition in this language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Source of the definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Other data categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<(String, String)>,
    /// The terms.
    pub terms: Vec<Term>,
}

/// A concept: one meaning, named by terms in several languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    /// The id in the source file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Subject field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_field: Option<String>,
    /// Definition (language-independent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Other data categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<(String, String)>,
    /// Language sections.
    pub languages: Vec<LangSection>,
}

/// Most characters of a term.
pub const MAX_TERM: usize = 1_000;
/// Most characters of a definition, note or other data category.
pub const MAX_TERM_TEXT: usize = 10_000;

impl Concept {
    /// The first field over its limit, named: a term of more than [`MAX_TERM`]
    /// characters, any other text of more than [`MAX_TERM_TEXT`].
    pub fn oversized(&self) -> Option<String> {
        let too_long = |what: String, text: &str, limit: usize| {
            let chars = text.chars().count();
            (chars > limit)
                .then(|| format!("{what} has {chars} characters; at most {limit} are allowed"))
        };
        let mut texts: Vec<(String, &str)> = Vec::new();
        for field in [&self.definition, &self.subject_field]
            .into_iter()
            .flatten()
        {
            texts.push(("a definition or subject field".into(), field));
        }
        for section in &self.languages {
            for term in &section.terms {
                if let Some(problem) =
                    too_long(format!("a {} term", section.lang), &term.text, MAX_TERM)
                {
                    return Some(problem);
                }
                for text in [&term.context, &term.source].into_iter().flatten() {
                    texts.push((format!("a {} term's context or source", section.lang), text));
                }
            }
            if let Some(definition) = &section.definition {
                texts.push((format!("the {} definition", section.lang), definition));
            }
        }
        texts
            .into_iter()
            .find_map(|(what, text)| too_long(what, text, MAX_TERM_TEXT))
    }

    /// The section of a language (exact tag, else same primary language).
    pub fn section(&self, lang: &str) -> Option<&LangSection> {
        let primary = crate::unit::primary_language(lang);
        self.languages
            .iter()
            .find(|section| section.lang.eq_ignore_ascii_case(lang))
            .or_else(|| {
                self.languages
                    .iter()
                    .find(|section| crate::unit::primary_language(&section.lang) == primary)
            })
    }

    /// The key the concept is stored under: its id, else a hash of its terms.
    pub fn key(&self) -> String {
        if let Some(id) = self.id.as_deref().filter(|id| !id.trim().is_empty()) {
            return id.to_owned();
        }
        let mut terms: Vec<String> = self
            .languages
            .iter()
            .flat_map(|section| {
                section.terms.iter().map(move |term| {
                    format!("{}\u{1}{}", section.lang.to_ascii_lowercase(), term.text)
                })
            })
            .collect();
        terms.sort();
        let digest = Sha256::digest(terms.join("\u{2}").as_bytes());
        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        format!("h{hex}")
    }
}

/// What a termbase import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TermImportReport {
    /// The termbase.
    pub termbase: String,
    /// Concepts read.
    pub read: u64,
    /// New concepts.
    pub inserted: u64,
    /// Concepts that replaced a stored one with the same id.
    pub updated: u64,
    /// Concepts identical to the stored ones.
    pub unchanged: u64,
    /// Entries not stored: `FILE:LINE: reason`.
    pub rejected: Vec<String>,
    /// Terms per language.
    pub languages: BTreeMap<String, u64>,
}

/// The termbases of a store.
pub struct Termbases {
    store: Arc<dyn TermbaseRepository>,
}

impl Termbases {
    /// Termbases in this store.
    pub fn new(store: Arc<dyn TermbaseRepository>) -> Termbases {
        Termbases { store }
    }

    /// All termbases.
    pub async fn list(&self) -> Result<Vec<Collection>, TmError> {
        Ok(self.store.termbases().await?)
    }

    /// The termbase of this name, made (personal) if missing.
    pub async fn get_or_create(&self, name: &str) -> Result<Collection, TmError> {
        if let Some(found) = self.store.termbase(name).await? {
            return Ok(found);
        }
        Ok(self
            .store
            .create_termbase(name, None, Visibility::Private, None, &now_rfc3339())
            .await?)
    }

    async fn named(&self, name: &str) -> Result<Collection, TmError> {
        self.store
            .termbase(name)
            .await?
            .ok_or_else(|| TmError::NotFound {
                kind: "termbase",
                name: name.to_owned(),
            })
    }

    /// Imports a TBX file or a CSV/TSV glossary (told apart by content) into a termbase,
    /// in one transaction. Concepts with an id already stored replace the stored ones.
    pub async fn import(
        &self,
        name: &str,
        path: &Path,
        languages: &GlossaryLanguages,
    ) -> Result<TermImportReport, TmError> {
        let (concepts, rejected) = if looks_like_xml(path)? {
            (tbx::read(path)?, Vec::new())
        } else {
            glossary::read(path, languages)?
        };
        self.store_concepts(name, concepts, rejected).await
    }

    /// Stores concepts in a termbase (made if missing), in one transaction.
    pub async fn store_concepts(
        &self,
        name: &str,
        concepts: Vec<Concept>,
        rejected: Vec<String>,
    ) -> Result<TermImportReport, TmError> {
        let termbase = self.get_or_create(name).await?;
        let mut report = TermImportReport {
            termbase: termbase.name.clone(),
            rejected,
            ..TermImportReport::default()
        };
        let mut writer = self.store.termbase_writer(termbase.id).await?;
        let now = now_rfc3339();
        for concept in concepts {
            report.read += 1;
            if let Some(reason) = concept.oversized() {
                let id = concept.id.as_deref().unwrap_or("without id");
                report.rejected.push(format!("concept {id}: {reason}"));
                continue;
            }
            for section in &concept.languages {
                *report.languages.entry(section.lang.clone()).or_default() +=
                    section.terms.len() as u64;
            }
            let body = serde_json::to_string(&concept).unwrap_or_default();
            match writer.upsert(&concept.key(), &body, &now).await? {
                ConceptWrite::Inserted => report.inserted += 1,
                ConceptWrite::Updated => report.updated += 1,
                ConceptWrite::Unchanged => report.unchanged += 1,
            }
        }
        writer.commit().await?;
        Ok(report)
    }

    /// The concepts of a termbase.
    pub async fn concepts(&self, name: &str) -> Result<Vec<Concept>, TmError> {
        Ok(self
            .entries(name)
            .await?
            .into_iter()
            .map(|(_, concept)| concept)
            .collect())
    }

    /// The concepts of a termbase with the keys they are stored under (what an edit
    /// names), in the order they were added.
    pub async fn entries(&self, name: &str) -> Result<Vec<(String, Concept)>, TmError> {
        let termbase = self.named(name).await?;
        self.store
            .concepts(termbase.id)
            .await?
            .into_iter()
            .map(|(key, body)| {
                let concept = serde_json::from_str(&body).map_err(|source| TmError::Corrupt {
                    what: format!("concept {key} of termbase {name}"),
                    source,
                })?;
                Ok((key, concept))
            })
            .collect()
    }

    /// Stores one concept of an existing termbase in its own transaction: under `key`
    /// (replacing the concept stored there), or, for a new one, under its own key. A
    /// concept without a term, or with a field over its limit, is refused. Returns the
    /// key and what the write did.
    pub async fn put_concept(
        &self,
        name: &str,
        key: Option<&str>,
        mut concept: Concept,
    ) -> Result<(String, ConceptWrite), TmError> {
        let termbase = self.named(name).await?;
        concept
            .languages
            .retain(|section| !section.terms.is_empty());
        if concept.languages.is_empty() {
            return Err(TmError::Invalid(
                "a concept needs at least one term".to_owned(),
            ));
        }
        if let Some(reason) = concept.oversized() {
            return Err(TmError::Invalid(reason));
        }
        let key = match key {
            Some(key) => key.to_owned(),
            None => concept.key(),
        };
        // The key is kept as the concept's id, so that an edit of its terms (which a
        // key made from the terms would follow) stays the same concept.
        concept.id = Some(key.clone());
        let body = serde_json::to_string(&concept).unwrap_or_default();
        let mut writer = self.store.termbase_writer(termbase.id).await?;
        let write = writer.upsert(&key, &body, &now_rfc3339()).await?;
        writer.commit().await?;
        Ok((key, write))
    }

    /// Writes a termbase as TBX v3 (TBX-Basic, DCA style); returns the concepts written.
    pub async fn export_tbx<W: Write>(&self, name: &str, out: W) -> Result<u64, TmError> {
        let concepts = self.concepts(name).await?;
        tbx::write(out, name, &concepts).map_err(|source| TmError::Write {
            format: "TBX",
            source,
        })?;
        Ok(concepts.len() as u64)
    }

    /// A matcher for terms of `source_lang` with their `target_lang` equivalents.
    pub async fn matcher(
        &self,
        names: &[String],
        source_lang: &str,
        target_lang: &str,
    ) -> Result<TermMatcher, TmError> {
        let mut concepts = Vec::new();
        for name in names {
            concepts.extend(self.concepts(name).await?);
        }
        Ok(TermMatcher::new(concepts, source_lang, target_lang))
    }
}

fn looks_like_xml(path: &Path) -> Result<bool, TmError> {
    use std::io::Read;
    let mut head = [0u8; 512];
    let mut file = std::fs::File::open(path).map_err(|e| TmError::io(path, e))?;
    let n = file.read(&mut head).map_err(|e| TmError::io(path, e))?;
    let text = String::from_utf8_lossy(&head[..n]);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    Ok(text.starts_with('<') || head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]))
}
