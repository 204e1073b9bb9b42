//! `unit`: the unit of each quantity is the same quantity at the same scale in source and
//! target (kg ≠ g, MPa ≠ kPa; ℃ = °C, 小时 = h, 个月 = months), from a table of SI and
//! common units in their symbols, English names and Chinese names; and, in an English
//! translation, a space between a number and its unit symbol as ISO 80000-1 writes it
//! (none before °, ′ and ″).

use crate::View;
use crate::finding::{CheckId, Message, Raw, Severity};
use crate::numbers::{Quantity, format_value};

/// A unit: its canonical symbol, the quantity it measures and its factor to the
/// quantity's base unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The symbol reports show.
    pub symbol: String,
    /// The quantity it measures.
    pub quantity: String,
    /// Its size in the quantity's base unit.
    pub factor: f64,
}

impl Unit {
    fn same_as(&self, other: &Unit) -> bool {
        self.quantity == other.quantity
            && (self.factor - other.factor).abs()
                <= 1e-12 * self.factor.abs().max(other.factor.abs())
    }
}

/// Every way a unit is written: (written form, canonical symbol, quantity, factor).
const UNITS: &[(&str, &str, &str, f64)] = &[
    // length
    ("nm", "nm", "length", 1e-9),
    ("μm", "μm", "length", 1e-6),
    ("µm", "μm", "length", 1e-6),
    ("um", "μm", "length", 1e-6),
    ("mm", "mm", "length", 1e-3),
    ("cm", "cm", "length", 1e-2),
    ("dm", "dm", "length", 1e-1),
    ("m", "m", "length", 1.0),
    ("km", "km", "length", 1e3),
    ("纳米", "nm", "length", 1e-9),
    ("微米", "μm", "length", 1e-6),
    ("毫米", "mm", "length", 1e-3),
    ("厘米", "cm", "length", 1e-2),
    ("分米", "dm", "length", 1e-1),
    ("米", "m", "length", 1.0),
    ("千米", "km", "length", 1e3),
    ("公里", "km", "length", 1e3),
    ("inches", "in", "length", 0.0254),
    ("inch", "in", "length", 0.0254),
    ("feet", "ft", "length", 0.3048),
    ("ft", "ft", "length", 0.3048),
    // area and volume
    ("mm²", "mm²", "area", 1e-6),
    ("mm2", "mm²", "area", 1e-6),
    ("cm²", "cm²", "area", 1e-4),
    ("m²", "m²", "area", 1.0),
    ("m2", "m²", "area", 1.0),
    ("km²", "km²", "area", 1e6),
    ("平方毫米", "mm²", "area", 1e-6),
    ("平方厘米", "cm²", "area", 1e-4),
    ("平方米", "m²", "area", 1.0),
    ("平方千米", "km²", "area", 1e6),
    ("mm³", "mm³", "volume", 1e-9),
    ("cm³", "cm³", "volume", 1e-6),
    ("m³", "m³", "volume", 1.0),
    ("m3", "m³", "volume", 1.0),
    ("mL", "mL", "volume", 1e-6),
    ("ml", "mL", "volume", 1e-6),
    ("μL", "μL", "volume", 1e-9),
    ("L", "L", "volume", 1e-3),
    ("立方米", "m³", "volume", 1.0),
    ("立方厘米", "cm³", "volume", 1e-6),
    ("毫升", "mL", "volume", 1e-6),
    ("微升", "μL", "volume", 1e-9),
    ("升", "L", "volume", 1e-3),
    ("litres", "L", "volume", 1e-3),
    ("liters", "L", "volume", 1e-3),
    // mass
    ("μg", "μg", "mass", 1e-9),
    ("mg", "mg", "mass", 1e-6),
    ("g", "g", "mass", 1e-3),
    ("kg", "kg", "mass", 1.0),
    ("t", "t", "mass", 1e3),
    ("微克", "μg", "mass", 1e-9),
    ("毫克", "mg", "mass", 1e-6),
    ("克", "g", "mass", 1e-3),
    ("千克", "kg", "mass", 1.0),
    ("公斤", "kg", "mass", 1.0),
    ("吨", "t", "mass", 1e3),
    ("tonnes", "t", "mass", 1e3),
    // time
    ("ms", "ms", "time", 1e-3),
    ("s", "s", "time", 1.0),
    ("min", "min", "time", 60.0),
    ("h", "h", "time", 3600.0),
    ("d", "d", "time", 86400.0),
    ("毫秒", "ms", "time", 1e-3),
    ("秒", "s", "time", 1.0),
    ("秒钟", "s", "time", 1.0),
    ("分钟", "min", "time", 60.0),
    ("小时", "h", "time", 3600.0),
    ("天", "d", "time", 86400.0),
    ("周", "week", "time", 604800.0),
    ("个月", "month", "month", 1.0),
    ("年", "year", "month", 12.0),
    ("milliseconds", "ms", "time", 1e-3),
    ("seconds", "s", "time", 1.0),
    ("second", "s", "time", 1.0),
    ("minutes", "min", "time", 60.0),
    ("minute", "min", "time", 60.0),
    ("hours", "h", "time", 3600.0),
    ("hour", "h", "time", 3600.0),
    ("days", "d", "time", 86400.0),
    ("day", "d", "time", 86400.0),
    ("weeks", "week", "time", 604800.0),
    ("week", "week", "time", 604800.0),
    ("months", "month", "month", 1.0),
    ("month", "month", "month", 1.0),
    ("years", "year", "month", 12.0),
    ("year", "year", "month", 12.0),
    // temperature
    ("°C", "°C", "temperature", 1.0),
    ("° C", "°C", "temperature", 1.0),
    ("℃", "°C", "temperature", 1.0),
    ("摄氏度", "°C", "temperature", 1.0),
    ("degrees Celsius", "°C", "temperature", 1.0),
    ("K", "K", "kelvin", 1.0),
    // pressure, force, energy, power
    ("Pa", "Pa", "pressure", 1.0),
    ("kPa", "kPa", "pressure", 1e3),
    ("MPa", "MPa", "pressure", 1e6),
    ("GPa", "GPa", "pressure", 1e9),
    ("bar", "bar", "pressure", 1e5),
    ("mbar", "mbar", "pressure", 1e2),
    ("帕", "Pa", "pressure", 1.0),
    ("千帕", "kPa", "pressure", 1e3),
    ("兆帕", "MPa", "pressure", 1e6),
    ("N", "N", "force", 1.0),
    ("kN", "kN", "force", 1e3),
    ("MN", "MN", "force", 1e6),
    ("牛", "N", "force", 1.0),
    ("千牛", "kN", "force", 1e3),
    ("J", "J", "energy", 1.0),
    ("kJ", "kJ", "energy", 1e3),
    ("MJ", "MJ", "energy", 1e6),
    ("kWh", "kW·h", "energy", 3.6e6),
    ("kW·h", "kW·h", "energy", 3.6e6),
    ("焦", "J", "energy", 1.0),
    ("千焦", "kJ", "energy", 1e3),
    ("mW", "mW", "power", 1e-3),
    ("W", "W", "power", 1.0),
    ("kW", "kW", "power", 1e3),
    ("MW", "MW", "power", 1e6),
    ("瓦", "W", "power", 1.0),
    ("千瓦", "kW", "power", 1e3),
    // electricity
    ("mV", "mV", "voltage", 1e-3),
    ("V", "V", "voltage", 1.0),
    ("kV", "kV", "voltage", 1e3),
    ("伏", "V", "voltage", 1.0),
    ("千伏", "kV", "voltage", 1e3),
    ("mA", "mA", "current", 1e-3),
    ("A", "A", "current", 1.0),
    ("kA", "kA", "current", 1e3),
    ("安", "A", "current", 1.0),
    ("毫安", "mA", "current", 1e-3),
    ("Ω", "Ω", "resistance", 1.0),
    ("kΩ", "kΩ", "resistance", 1e3),
    ("MΩ", "MΩ", "resistance", 1e6),
    ("欧", "Ω", "resistance", 1.0),
    ("Hz", "Hz", "frequency", 1.0),
    ("kHz", "kHz", "frequency", 1e3),
    ("MHz", "MHz", "frequency", 1e6),
    ("GHz", "GHz", "frequency", 1e9),
    ("赫兹", "Hz", "frequency", 1.0),
    // rates, ratios and others
    ("m/s", "m/s", "speed", 1.0),
    ("km/h", "km/h", "speed", 1.0 / 3.6),
    ("r/min", "r/min", "rotation", 1.0),
    ("rpm", "r/min", "rotation", 1.0),
    ("转/分", "r/min", "rotation", 1.0),
    ("kg/m³", "kg/m³", "density", 1.0),
    ("g/cm³", "g/cm³", "density", 1e3),
    ("%", "%", "ratio", 1e-2),
    ("％", "%", "ratio", 1e-2),
    ("‰", "‰", "ratio", 1e-3),
    ("ppm", "ppm", "ratio", 1e-6),
    ("dB", "dB", "level", 1.0),
    ("lx", "lx", "illuminance", 1.0),
    ("mol", "mol", "amount", 1.0),
    ("mmol", "mmol", "amount", 1e-3),
    ("°", "°", "angle", 1.0),
];

/// The unit written at byte `at` of `text`, if any: the longest written form there, not
/// followed by a Latin letter; a unit over another (`℃/min`, `mg/L`) is one unit.
pub fn unit_at(text: &str, at: usize) -> Option<(Unit, std::ops::Range<usize>)> {
    let (unit, range) = simple_unit_at(text, at)?;
    let rest = &text[range.end..];
    if rest.starts_with('/')
        && let Some((below, below_range)) = simple_unit_at(text, range.end + 1)
    {
        let combined = Unit {
            symbol: format!("{}/{}", unit.symbol, below.symbol),
            quantity: format!("{}/{}", unit.quantity, below.quantity),
            factor: unit.factor / below.factor,
        };
        return Some((combined, range.start..below_range.end));
    }
    Some((unit, range))
}

fn simple_unit_at(text: &str, at: usize) -> Option<(Unit, std::ops::Range<usize>)> {
    let rest = text.get(at..)?;
    UNITS
        .iter()
        .filter(|(written, ..)| rest.starts_with(written))
        .filter(|(written, ..)| {
            let after = rest[written.len()..].chars().next();
            let latin = written
                .chars()
                .all(|c| c.is_ascii() || c == '·' || c == '²' || c == '³');
            !(latin && after.is_some_and(|c| c.is_ascii_alphabetic()))
        })
        .max_by_key(|(written, ..)| written.len())
        .map(|(written, symbol, quantity, factor)| {
            (
                Unit {
                    symbol: (*symbol).to_owned(),
                    quantity: (*quantity).to_owned(),
                    factor: *factor,
                },
                at..at + written.len(),
            )
        })
}

/// The findings of one segment's units.
pub(crate) fn check(view: &View<'_>, source: &[Quantity], target: &[Quantity]) -> Vec<Raw> {
    let mut raw = Vec::new();
    for quantity in source {
        let Some((unit, unit_range)) = &quantity.unit else {
            continue;
        };
        let same_number: Vec<&Quantity> =
            target.iter().filter(|t| t.same_number(quantity)).collect();
        if same_number.iter().any(|t| {
            t.unit
                .as_ref()
                .is_some_and(|(theirs, _)| theirs.same_as(unit))
        }) {
            continue;
        }
        let Some((instead, instead_range)) = same_number.iter().find_map(|t| t.unit.clone()) else {
            continue;
        };
        let value = quantity
            .values
            .first()
            .map(|v| format_value(v.abs()))
            .unwrap_or_default();
        raw.push(
            Raw::new(
                CheckId::Unit,
                Severity::Error,
                Message::new(
                    format!(
                        "{value} {} in the source is {value} {} in the translation",
                        unit.symbol, instead.symbol
                    ),
                    format!(
                        "原文的 {value} {} 在译文中是 {value} {}",
                        unit.symbol, instead.symbol
                    ),
                ),
            )
            .in_source(quantity.range.start..unit_range.end)
            .in_target(instead_range),
        );
    }
    if !view.target_zh {
        raw.extend(missing_spaces(view, target));
    }
    raw
}

/// Numbers glued to a unit symbol in an English translation (`5mm`): ISO 80000-1 puts a
/// space between them, except before °, ′ and ″.
fn missing_spaces(view: &View<'_>, target: &[Quantity]) -> Vec<Raw> {
    target
        .iter()
        .filter(|quantity| quantity.digits && quantity.glued)
        .filter_map(|quantity| {
            let (unit, range) = quantity.unit.as_ref()?;
            let written = view.target.get(range.clone())?;
            let symbol = written
                .chars()
                .all(|c| c.is_ascii_alphabetic() || "°·²³/ΩμµC".contains(c));
            if !symbol || written == "°" || written.len() > 6 {
                return None;
            }
            let number = view.target.get(quantity.range.clone())?;
            Some(
                Raw::new(
                    CheckId::Unit,
                    Severity::Warning,
                    Message::new(
                        format!(
                            "write a space between {number} and {} (ISO 80000-1: {number} {})",
                            unit.symbol, unit.symbol
                        ),
                        format!(
                            "数值 {number} 与单位 {} 之间应有空格（ISO 80000-1：{number} {}）",
                            unit.symbol, unit.symbol
                        ),
                    ),
                )
                .in_target(quantity.range.start..range.end),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_unit_is_read_and_words_are_not_units() {
        let text = "5 mm 3 min 20 ℃ 7 MPa 2 months 4 mice";
        let at = |needle: &str| {
            text.find(needle)
                .map(|i| unit_at(text, i).map(|(u, _)| u.symbol))
        };
        let some = |symbol: &str| Some(Some(symbol.to_owned()));
        assert_eq!(at("mm "), some("mm"));
        assert_eq!(at("min"), some("min"));
        assert_eq!(at("℃"), some("°C"));
        assert_eq!(at("MPa"), some("MPa"));
        assert_eq!(at("months"), some("month"));
        assert_eq!(at("mice"), Some(None));
        let rate = "5 ℃/min";
        assert_eq!(
            unit_at(rate, 2).map(|(u, _)| u.symbol),
            Some("°C/min".to_owned())
        );
    }

    #[test]
    fn chinese_names_meet_their_symbols() {
        let (hours, _) = unit_at("3小时", 1).unwrap_or_else(|| panic!("小时 is a unit"));
        let (h, _) = unit_at("3 h", 2).unwrap_or_else(|| panic!("h is a unit"));
        assert!(hours.same_as(&h));
        let (kg, _) = unit_at("5千克", 1).unwrap_or_else(|| panic!("千克 is a unit"));
        let (g, _) = unit_at("5 g", 2).unwrap_or_else(|| panic!("g is a unit"));
        assert!(!kg.same_as(&g));
    }
}
