//! Typed relations between documents: replacement, amendment, adoption, equivalence.

use serde::{Deserialize, Serialize};

/// A relation from one document to another, named by designation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Relation {
    /// What the relation is.
    #[serde(rename = "type")]
    pub kind: RelationKind,
    /// The other document's designation, as the source writes it.
    pub target: String,
    /// For adoptions: how closely the national text follows the adopted one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degree: Option<Degree>,
    /// For mutual recognition: the name of the catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<String>,
}

/// Kinds of relation. Each has an inverse, so a relation stored on one side can be shown
/// on the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RelationKind {
    /// This document replaces (obsoletes) the target.
    Replaces,
    /// This document is replaced by the target.
    ReplacedBy,
    /// This document amends the target.
    Amends,
    /// This document is amended by the target.
    AmendedBy,
    /// This document corrects the target (a corrigendum).
    Corrects,
    /// This document is corrected by the target.
    CorrectedBy,
    /// This document is a part of the target (a multi-part series).
    PartOf,
    /// This document adopts the target (a national adoption of ISO/IEC), with a degree.
    Adopts,
    /// This document is adopted by the target.
    AdoptedBy,
    /// The texts are equivalent (ITU-T X.509 and ISO/IEC 9594-8).
    Equivalent,
    /// This document cites the target as a normative reference.
    NormativeReference,
    /// Both belong to a mutual-recognition catalogue (named in `catalogue`).
    MutualRecognition,
    /// Another edition of the same work.
    HasEdition,
}

impl RelationKind {
    /// The relation seen from the target.
    pub fn inverse(self) -> RelationKind {
        use RelationKind::*;
        match self {
            Replaces => ReplacedBy,
            ReplacedBy => Replaces,
            Amends => AmendedBy,
            AmendedBy => Amends,
            Corrects => CorrectedBy,
            CorrectedBy => Corrects,
            Adopts => AdoptedBy,
            AdoptedBy => Adopts,
            PartOf | Equivalent | NormativeReference | MutualRecognition | HasEdition => self,
        }
    }

    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        use RelationKind::*;
        match self {
            Replaces => "replaces",
            ReplacedBy => "replaced-by",
            Amends => "amends",
            AmendedBy => "amended-by",
            Corrects => "corrects",
            CorrectedBy => "corrected-by",
            PartOf => "part-of",
            Adopts => "adopts",
            AdoptedBy => "adopted-by",
            Equivalent => "equivalent",
            NormativeReference => "normative-reference",
            MutualRecognition => "mutual-recognition",
            HasEdition => "has-edition",
        }
    }

    /// Parses the JSON name (the serde name is the one spelling of each kind).
    pub fn parse(text: &str) -> Option<RelationKind> {
        serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
    }
}

/// Degree of correspondence of an adoption (ISO/IEC Guide 21-1, as China's national
/// standards platform gives it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Degree {
    /// Identical (等同采用).
    #[serde(rename = "IDT")]
    Identical,
    /// Modified (修改采用).
    #[serde(rename = "MOD")]
    Modified,
    /// Not equivalent (非等效).
    #[serde(rename = "NEQ")]
    NotEquivalent,
    /// Equivalent (等效, used before 2001).
    #[serde(rename = "EQV")]
    Equivalent,
}

impl Degree {
    /// Parses `IDT`, `MOD`, `NEQ`, `EQV` in any case, or the Chinese terms.
    pub fn parse(text: &str) -> Option<Degree> {
        match text.trim().to_uppercase().as_str() {
            "IDT" | "等同" | "等同采用" => Some(Degree::Identical),
            "MOD" | "修改" | "修改采用" => Some(Degree::Modified),
            "NEQ" | "非等效" | "非等效采用" => Some(Degree::NotEquivalent),
            "EQV" | "等效" | "等效采用" => Some(Degree::Equivalent),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RelationKind;

    #[test]
    fn every_kind_parses_from_its_name_and_inverts_back() {
        use RelationKind::*;
        for kind in [
            Replaces,
            ReplacedBy,
            Amends,
            AmendedBy,
            Corrects,
            CorrectedBy,
            PartOf,
            Adopts,
            AdoptedBy,
            Equivalent,
            NormativeReference,
            MutualRecognition,
            HasEdition,
        ] {
            assert_eq!(RelationKind::parse(kind.as_str()), Some(kind));
            assert_eq!(kind.inverse().inverse(), kind);
        }
        assert_eq!(RelationKind::parse("obsoletes"), None);
    }
}
