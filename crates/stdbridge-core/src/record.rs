//! The standard record: what the catalogue knows of one document, from one source or
//! merged from several.

use serde::{Deserialize, Serialize};

use crate::relation::Relation;

/// One standard (or other deliverable) in the catalogue.
///
/// Every field but `designation` may be empty: importers leave a field empty rather than
/// guess. Dates are kept as written by the source (`2015`, `2015-09`, `2015-09-15`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Standard {
    /// The designation as the publisher writes it (`GB/T 17766-2020`, `ISO 9001:2015`).
    pub designation: String,
    /// Other identifiers of the same document: ISO references, URNs, the original
    /// Cyrillic designation, the ISO/IEC common text of an ITU recommendation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// Publishing bodies by abbreviation (`ISO`, `IEC`, `SAC`, `JISC`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub publishers: Vec<String>,
    /// ISO 3166-1 alpha-2 code of a national standard's country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// International, regional or national reach.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Kind of deliverable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<DocType>,
    /// Titles, one per language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<Title>,
    /// Abstract or scope, one per language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub abstracts: Vec<LocalizedText>,
    /// ICS codes (`13.020`, `03.120.10`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ics: Vec<String>,
    /// CCS codes, China's classification (`P13`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ccs: Vec<String>,
    /// Life-cycle status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The publisher's own stage code (ISO's harmonized `90.92`, IEC's `PUBLISHED`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Dates of the life cycle.
    #[serde(skip_serializing_if = "Dates::is_empty")]
    pub dates: Dates,
    /// Edition number as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Number of pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    /// Languages in which the document is available (ISO 639-1).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Responsible technical committee (`ISO/TC 176/SC 2`, `SAC/TC 151`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub committee: Option<Committee>,
    /// Subject keywords.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Web pages about the document.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Typed relations to other documents.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
    /// Free notes (for example where a curated fact comes from).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A secondary identifier of a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Identifier {
    /// What kind of identifier (`iso-reference`, `URN`, `original`, `ISO`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The identifier as written.
    pub value: String,
}

/// Reach of a standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// ISO, IEC, ITU.
    International,
    /// CEN, CENELEC, EASC…
    Regional,
    /// A national body's standard (GB, GOST R, JIS…).
    National,
    /// A ministry's sector standard (China's JB/T, YY/T…).
    Sector,
    /// A standard of an association or group (China's T/…).
    Group,
    /// A province's or city's standard (China's DB…).
    Local,
}

/// Kind of deliverable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum DocType {
    /// A standard (international, national…).
    Standard,
    /// Technical specification.
    TechnicalSpecification,
    /// Technical report.
    TechnicalReport,
    /// Publicly available specification.
    PubliclyAvailableSpecification,
    /// Guide.
    Guide,
    /// Amendment.
    Amendment,
    /// Corrigendum.
    Corrigendum,
    /// Supplement (ITU) or addendum.
    Supplement,
    /// Recommendation (ITU).
    Recommendation,
    /// International workshop agreement.
    WorkshopAgreement,
    /// Directives and other rules of procedure.
    Directive,
    /// Guiding technical document (China's GB/Z) or other guidance.
    GuidanceDocument,
    /// Interstate rules and recommendations (EASC PMG/RMG).
    Rules,
    /// Anything else (handbooks, questions, white papers).
    Other,
}

/// Life-cycle status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// In force.
    Published,
    /// In force, confirmed at a systematic review.
    Confirmed,
    /// Being drafted or revised toward a new edition.
    UnderDevelopment,
    /// Replaced by a newer document.
    Replaced,
    /// Withdrawn without replacement, or replacement unknown.
    Withdrawn,
    /// Announced but not yet in force (published, implementation date ahead).
    Upcoming,
}

impl Status {
    /// Whether the document is in force (published or confirmed).
    pub fn is_current(self) -> bool {
        matches!(self, Status::Published | Status::Confirmed)
    }

    /// Rank for choosing the current edition: lower is more current.
    pub fn currency_rank(self) -> u8 {
        match self {
            Status::Published | Status::Confirmed => 0,
            Status::Upcoming => 1,
            Status::UnderDevelopment => 3,
            Status::Replaced | Status::Withdrawn => 2,
        }
    }

    /// The name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Confirmed => "confirmed",
            Status::UnderDevelopment => "under-development",
            Status::Replaced => "replaced",
            Status::Withdrawn => "withdrawn",
            Status::Upcoming => "upcoming",
        }
    }
}

/// A title in one language, whole and in its parts (ISO's intro — main — part).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Title {
    /// ISO 639-1 language code (`en`, `zh`, `fr`, `ru`, `ja`, `es`).
    pub lang: String,
    /// The whole title.
    pub full: String,
    /// Introductory element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    /// Main element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main: Option<String>,
    /// Complementary (part) element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
}

/// A text in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedText {
    /// ISO 639-1 language code.
    pub lang: String,
    /// The text.
    pub text: String,
}

/// Life-cycle dates, as written by the source (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Dates {
    /// Publication (issue) date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Date the standard comes into force (China's 实施日期).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implemented: Option<String>,
    /// Withdrawal (abolition) date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// Last confirmation at systematic review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<String>,
    /// Last update (amendment or correction folded in).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// Date until which the publication is stable (IEC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stable_until: Option<String>,
}

impl Dates {
    /// Whether no date is known.
    pub fn is_empty(&self) -> bool {
        self == &Dates::default()
    }

    /// The year of publication, if known.
    pub fn published_year(&self) -> Option<u16> {
        year_of(self.published.as_deref()?)
    }
}

/// The year at the start of a date written `YYYY…`.
pub fn year_of(date: &str) -> Option<u16> {
    date.get(..4)?.parse().ok()
}

/// A technical committee.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Committee {
    /// Reference (`ISO/TC 176/SC 2`).
    pub id: String,
    /// Name (`Quality management and quality assurance`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A web page about a document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Link {
    /// What the page is (`src`, `obp`, `rss`, `pdf`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Its address.
    pub url: String,
}

impl Standard {
    /// The title in `lang`, if there is one.
    pub fn title(&self, lang: &str) -> Option<&str> {
        self.titles
            .iter()
            .find(|title| title.lang == lang)
            .map(|title| title.full.as_str())
    }

    /// Settles the status from the relations: a withdrawn document that names the
    /// document replacing it is replaced.
    pub fn settle_status(&mut self) {
        let names_successor = self
            .relations
            .iter()
            .any(|r| r.kind == crate::RelationKind::ReplacedBy);
        if self.status == Some(Status::Withdrawn) && names_successor {
            self.status = Some(Status::Replaced);
        }
    }

    /// The year the document was published: the publication date's, else the
    /// designation's own (an amendment's year, not its base document's).
    pub fn year(&self) -> Option<u16> {
        self.dates.published_year().or_else(|| {
            crate::Designation::parse(&self.designation)
                .ok()
                .and_then(|d| d.own_year())
        })
    }
}
