//! The legal nature of a Chinese standard, as its prefix states it (Standardization Law
//! of the PRC, 2017, art. 2 and 10–12): `GB` mandatory (强制性), `GB/T` recommended
//! (推荐性), `GB/Z` a guidance technical document (指导性技术文件); sector (`JB`, `JB/T`)
//! and local (`DB11`, `DB11/T`) standards likewise. Group standards (`T/CECS`) are
//! voluntary by their own rules and have no nature of this kind.

use serde::{Deserialize, Serialize};

use super::{Designation, Family};

/// 强制性 / 推荐性 / 指导性技术文件.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Nature {
    /// 强制性: mandatory (`GB`, a sector or local prefix without `/T`).
    Mandatory,
    /// 推荐性: recommended (`GB/T`, `JB/T`, `DB11/T`).
    Recommended,
    /// 指导性技术文件: guidance technical document (`GB/Z`).
    Guidance,
}

impl Nature {
    /// Every nature, in the order a facet lists them.
    pub const ALL: [Nature; 3] = [Nature::Mandatory, Nature::Recommended, Nature::Guidance];

    /// The name in queries, facets and JSON (`mandatory`, `recommended`, `guidance`).
    pub fn as_str(self) -> &'static str {
        match self {
            Nature::Mandatory => "mandatory",
            Nature::Recommended => "recommended",
            Nature::Guidance => "guidance",
        }
    }

    /// The nature a name gives.
    pub fn parse(name: &str) -> Option<Nature> {
        Nature::ALL
            .into_iter()
            .find(|nature| nature.as_str() == name)
    }
}

impl Designation {
    /// The nature of a Chinese national, sector or local standard from its prefix; `None`
    /// for other designations and for group standards.
    pub fn nature(&self) -> Option<Nature> {
        if self.family != Family::China {
            return None;
        }
        let layer = self.prefix.first()?;
        let (publisher, marker) = (layer.first()?, layer.get(1).map(String::as_str));
        if publisher == "T" {
            return None;
        }
        match marker {
            None => Some(Nature::Mandatory),
            Some("T") => Some(Nature::Recommended),
            Some("Z") => Some(Nature::Guidance),
            Some(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nature(designation: &str) -> Option<Nature> {
        Designation::parse(designation)
            .unwrap_or_else(|error| panic!("{designation}: {error}"))
            .nature()
    }

    #[test]
    fn the_prefix_gives_the_nature_of_national_sector_and_local_standards() {
        assert_eq!(nature("GB 21455-2019"), Some(Nature::Mandatory));
        assert_eq!(nature("GB 50016-2014"), Some(Nature::Mandatory));
        assert_eq!(nature("GB/T 19001-2016"), Some(Nature::Recommended));
        assert_eq!(nature("GBT 1.1-2020"), Some(Nature::Recommended));
        assert_eq!(nature("GB/Z 20000.8-2014"), Some(Nature::Guidance));
        assert_eq!(nature("JB/T 10001-2018"), Some(Nature::Recommended));
        assert_eq!(nature("YY 0505-2012"), Some(Nature::Mandatory));
        assert_eq!(nature("DB11/T 1000-2013"), Some(Nature::Recommended));
    }

    #[test]
    fn group_and_foreign_standards_have_no_nature() {
        assert_eq!(nature("T/CECS 10001-2019"), None);
        assert_eq!(nature("ISO 9001:2015"), None);
        assert_eq!(nature("GOST R 34.11-2012"), None);
    }

    #[test]
    fn names_read_back() {
        for nature in Nature::ALL {
            assert_eq!(Nature::parse(nature.as_str()), Some(nature));
        }
        assert_eq!(Nature::parse("voluntary"), None);
    }
}
