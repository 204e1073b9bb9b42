//! Who publishes the generated standards: 6 international and regional bodies and 59
//! countries, each with its designation pattern, title languages, the real family whose
//! counts it follows, and its share of the catalogue.
//!
//! Shares are rough orders of magnitude of each body's catalogue (current and historical
//! documents); designation prefixes are the bodies' own.

use stdbridge_core::Scope;

/// How an issuer writes designations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// `PREFIX 1234-2:2019` (ISO, BS, DIN, AS…).
    Colon,
    /// `PREFIX 1234.2-2019` (GB/T, GOST R, STB…).
    Dash,
    /// `PREFIX X 1234-2:2019` (JIS, KS): a letter for the field.
    Letter,
    /// `ITU-T X.1234 (05/2019)`.
    Itu,
}

/// One publisher of generated standards.
#[derive(Debug, Clone, Copy)]
pub struct Issuer {
    /// The publishing body's abbreviation.
    pub body: &'static str,
    /// ISO 3166 alpha-2 code; none for international and regional bodies.
    pub country: Option<&'static str>,
    /// International, regional or national.
    pub scope: Scope,
    /// The designation prefix.
    pub prefix: &'static str,
    /// How designations are written.
    pub pattern: Pattern,
    /// Title languages: the first always, English for national bodies most of the time.
    pub languages: &'static [&'static str],
    /// The real family whose counts (years, statuses, ICS fields…) this issuer follows.
    pub family: &'static str,
    /// Relative share of the catalogue.
    pub weight: u32,
    /// Lowest main number.
    pub first_number: u32,
}

const fn body(
    body: &'static str,
    scope: Scope,
    prefix: &'static str,
    pattern: Pattern,
    languages: &'static [&'static str],
    family: &'static str,
    weight: u32,
) -> Issuer {
    Issuer {
        body,
        country: None,
        scope,
        prefix,
        pattern,
        languages,
        family,
        weight,
        first_number: 1,
    }
}

impl Issuer {
    /// The same issuer with main numbers from `first` (IEC's 60000s, CENELEC's 50000s).
    const fn numbered_from(self, first: u32) -> Issuer {
        Issuer {
            first_number: first,
            ..self
        }
    }
}

const fn nation(
    country: &'static str,
    name: &'static str,
    prefix: &'static str,
    pattern: Pattern,
    languages: &'static [&'static str],
    family: &'static str,
    weight: u32,
) -> Issuer {
    Issuer {
        country: Some(country),
        ..body(
            name,
            Scope::National,
            prefix,
            pattern,
            languages,
            family,
            weight,
        )
    }
}

use Pattern::{Colon, Dash, Letter};

const EN: &[&str] = &["en"];

/// The 6 international and regional bodies and 59 countries.
pub const ISSUERS: [Issuer; 65] = [
    body(
        "ISO",
        Scope::International,
        "ISO",
        Colon,
        &["en", "fr"],
        "ISO",
        72,
    ),
    body(
        "IEC",
        Scope::International,
        "IEC",
        Colon,
        &["en", "fr"],
        "IEC",
        33,
    )
    .numbered_from(60_000),
    body(
        "ITU",
        Scope::International,
        "ITU-T",
        Pattern::Itu,
        EN,
        "ITU",
        22,
    ),
    body(
        "CEN",
        Scope::Regional,
        "EN",
        Colon,
        &["en", "fr", "de"],
        "ISO",
        30,
    ),
    body(
        "CENELEC",
        Scope::Regional,
        "EN",
        Colon,
        &["en", "fr", "de"],
        "IEC",
        9,
    )
    .numbered_from(50_000),
    body("EASC", Scope::Regional, "GOST", Dash, &["ru"], "EASC", 25),
    nation("CN", "SAC", "GB/T", Dash, &["zh", "en"], "GB", 200),
    nation("JP", "JISC", "JIS", Letter, &["ja", "en"], "JIS", 21),
    nation("KR", "KATS", "KS", Letter, EN, "JIS", 20),
    nation("RU", "Rosstandart", "GOST R", Dash, &["ru"], "EASC", 35),
    nation("DE", "DIN", "DIN", Colon, &["de", "en"], "ISO", 35),
    nation("GB", "BSI", "BS", Colon, EN, "ISO", 45),
    nation("FR", "AFNOR", "NF", Colon, &["fr"], "ISO", 30),
    nation("US", "ANSI", "ANSI", Colon, EN, "ISO", 60),
    nation("IN", "BIS", "IS", Colon, EN, "ISO", 20),
    nation("IT", "UNI", "UNI", Colon, EN, "ISO", 20),
    nation("ES", "UNE", "UNE", Colon, &["es"], "ISO", 20),
    nation("NL", "NEN", "NEN", Colon, EN, "ISO", 15),
    nation("SE", "SIS", "SS", Colon, EN, "ISO", 12),
    nation("NO", "SN", "NS", Colon, EN, "ISO", 8),
    nation("DK", "DS", "DS", Colon, EN, "ISO", 8),
    nation("FI", "SFS", "SFS", Colon, EN, "ISO", 8),
    nation("AT", "ASI", "ONORM", Colon, &["de"], "ISO", 10),
    nation("CH", "SNV", "SN", Colon, &["de", "fr"], "ISO", 8),
    nation("BE", "NBN", "NBN", Colon, &["fr"], "ISO", 8),
    nation("PL", "PKN", "PN", Colon, EN, "ISO", 12),
    nation("CZ", "UNMZ", "CSN", Colon, EN, "ISO", 10),
    nation("HU", "MSZT", "MSZ", Colon, EN, "ISO", 6),
    nation("PT", "IPQ", "NP", Colon, EN, "ISO", 5),
    nation("IE", "NSAI", "I.S.", Colon, EN, "ISO", 5),
    nation("GR", "NQIS", "ELOT", Colon, EN, "ISO", 4),
    nation("RO", "ASRO", "SR", Colon, EN, "ISO", 6),
    nation("BG", "BDS", "BDS", Colon, EN, "ISO", 5),
    nation("TR", "TSE", "TS", Colon, EN, "ISO", 10),
    nation("IL", "SII", "SI", Colon, EN, "ISO", 3),
    nation("SA", "SASO", "SASO", Colon, EN, "ISO", 4),
    nation("AE", "MoIAT", "UAE.S", Colon, EN, "ISO", 3),
    nation("EG", "EOS", "ES", Colon, EN, "ISO", 3),
    nation("ZA", "SABS", "SANS", Colon, EN, "ISO", 6),
    nation("NG", "SON", "NIS", Colon, EN, "ISO", 2),
    nation("KE", "KEBS", "KS EAS", Colon, EN, "ISO", 2),
    nation("AU", "SA", "AS", Colon, EN, "ISO", 8),
    nation("NZ", "SNZ", "NZS", Colon, EN, "ISO", 3),
    nation("CA", "CSA", "CSA", Colon, EN, "ISO", 8),
    nation("MX", "DGN", "NMX", Dash, &["es"], "ISO", 5),
    nation("BR", "ABNT", "ABNT NBR", Colon, EN, "ISO", 10),
    nation("AR", "IRAM", "IRAM", Colon, &["es"], "ISO", 4),
    nation("CL", "INN", "NCh", Colon, &["es"], "ISO", 3),
    nation("CO", "ICONTEC", "NTC", Colon, &["es"], "ISO", 4),
    nation("PE", "INACAL", "NTP", Colon, &["es"], "ISO", 3),
    nation("CU", "ONN", "NC", Colon, &["es"], "ISO", 2),
    nation("SG", "SSC", "SS", Colon, EN, "ISO", 2),
    nation("MY", "DSM", "MS", Colon, EN, "ISO", 5),
    nation("TH", "TISI", "TIS", Dash, EN, "ISO", 4),
    nation("VN", "STAMEQ", "TCVN", Colon, EN, "ISO", 8),
    nation("ID", "BSN", "SNI", Colon, EN, "ISO", 8),
    nation("PH", "BPS", "PNS", Colon, EN, "ISO", 3),
    nation("PK", "PSQCA", "PS", Colon, EN, "ISO", 2),
    nation("BD", "BSTI", "BDS", Dash, EN, "ISO", 2),
    nation("IR", "INSO", "INSO", Colon, EN, "ISO", 6),
    nation("KZ", "KazStandard", "ST RK", Dash, &["ru"], "EASC", 6),
    nation("BY", "BelGISS", "STB", Dash, &["ru"], "EASC", 5),
    nation("UZ", "UzStandard", "O'z DSt", Dash, &["ru"], "EASC", 3),
    nation("UA", "DSTU", "DSTU", Dash, EN, "EASC", 8),
    nation("MN", "MASM", "MNS", Colon, EN, "EASC", 2),
];

/// Chinese sector and group prefixes, with their share of China's records and scope.
pub const CHINA_PREFIXES: [(&str, Scope, &str, u32); 12] = [
    ("GB/T", Scope::National, "SAC", 40),
    ("GB", Scope::National, "SAC", 8),
    ("GB/Z", Scope::National, "SAC", 2),
    ("JB/T", Scope::Sector, "MIIT", 10),
    ("HG/T", Scope::Sector, "MIIT", 5),
    ("YY/T", Scope::Sector, "NMPA", 4),
    ("SN/T", Scope::Sector, "GACC", 6),
    ("JR/T", Scope::Sector, "PBC", 2),
    ("HJ", Scope::Sector, "MEE", 3),
    ("DL/T", Scope::Sector, "NEA", 5),
    ("QC/T", Scope::Sector, "MIIT", 3),
    ("T/CAS", Scope::Group, "CAS", 12),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_nine_countries_and_six_bodies() {
        let countries: std::collections::BTreeSet<_> =
            ISSUERS.iter().filter_map(|i| i.country).collect();
        assert_eq!(countries.len(), 59);
        assert_eq!(ISSUERS.iter().filter(|i| i.country.is_none()).count(), 6);
    }
}
