//! Reference data: ICS and CCS classifications, countries, standards bodies.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One code of the International Classification for Standards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IcsCode {
    /// `13`, `13.020`, `13.020.10`.
    pub code: String,
    /// The code one level up, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Titles by language (`en`, `fr`).
    #[serde(default)]
    pub titles: BTreeMap<String, String>,
}

impl IcsCode {
    /// The level of an ICS code: 1 for a field (`13`), 2 for a group (`13.020`), 3 for a
    /// sub-group (`13.020.10`).
    pub fn level(code: &str) -> usize {
        code.split('.').count()
    }

    /// Whether `code` has the shape of an ICS code (`NN`, `NN.NNN`, `NN.NNN.NN`).
    pub fn is_well_formed(code: &str) -> bool {
        let parts: Vec<&str> = code.split('.').collect();
        let lengths = [2, 3, 2];
        !parts.is_empty()
            && parts.len() <= 3
            && parts
                .iter()
                .zip(lengths)
                .all(|(part, len)| part.len() == len && part.chars().all(|ch| ch.is_ascii_digit()))
    }
}

/// One code of China's Classification for Standards (中国标准文献分类法).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CcsCode {
    /// `A`, `A00/09`, `A01`.
    pub code: String,
    /// 1 (category), 2 (group), 3 (class).
    pub level: u8,
    /// The code one level up, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    #[serde(default)]
    pub name_en: String,
}

/// A country or territory (ISO 3166-1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Country {
    /// Alpha-2 code (`CN`).
    pub alpha2: String,
    /// Alpha-3 code (`CHN`).
    pub alpha3: String,
    /// Numeric code (`156`).
    pub numeric: String,
    /// Names by language (`en`, `zh`, `fr`, `ru`, `es`, `ar`).
    pub names: BTreeMap<String, String>,
    /// UN M49 region (`Asia`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// UN M49 sub-region (`Eastern Asia`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_region: Option<String>,
}

/// A standards body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Body {
    /// Abbreviation (`ISO`, `SAC`, `JISC`).
    pub abbreviation: String,
    /// Names by language.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// Country of a national body (ISO 3166 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// International, regional or national.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<crate::Scope>,
    /// Web site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}
