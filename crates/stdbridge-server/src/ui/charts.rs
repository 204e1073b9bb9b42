//! Charts. Counts by year are lines drawn as SVG on the server by charts-rs, on a year
//! axis without gaps (a year with nothing published is a zero, not a missing step).
//! Counts by category are bars in the page's own markup (see `bars`), so that their
//! labels are set in the page's font, Chinese included, and wrap on a narrow screen.

use charts_rs::{Color, LineChart, Series};
use serde::Serialize;

/// Width of a line chart, in SVG units (the page scales it down to a narrow screen).
const WIDTH: f32 = 440.0;

/// Colours of the series, in order; the page's legend repeats them.
pub const SERIES_COLOURS: [&str; 8] = [
    "#1f5fbf", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#475569",
];

/// One bar of a category chart: its label, its count, and its length as a percentage of
/// the longest.
#[derive(Debug, Serialize, PartialEq)]
pub struct Bar {
    /// What is counted.
    pub label: String,
    /// How many.
    pub count: u64,
    /// Length, 0–100, relative to the largest count.
    pub percent: f64,
}

/// Bars for `buckets`, in the order given.
pub fn bars(buckets: &[(String, u64)]) -> Vec<Bar> {
    let largest = buckets.iter().map(|(_, c)| *c).max().unwrap_or(0).max(1) as f64;
    buckets
        .iter()
        .map(|(label, count)| Bar {
            label: label.clone(),
            count: *count,
            percent: (*count as f64 * 1000.0 / largest).round() / 10.0,
        })
        .collect()
}

/// Every year from the first to the last of `years` (numeric labels only, ascending),
/// with each series' counts aligned to them: a missing year counts zero.
pub fn every_year(years: &[String], series: &[Vec<u64>]) -> (Vec<String>, Vec<Vec<u64>>) {
    let numeric: Vec<(usize, i32)> = years
        .iter()
        .enumerate()
        .filter_map(|(i, y)| y.parse::<i32>().ok().map(|y| (i, y)))
        .collect();
    let (Some(first), Some(last)) = (
        numeric.iter().map(|(_, y)| *y).min(),
        numeric.iter().map(|(_, y)| *y).max(),
    ) else {
        return (Vec::new(), series.iter().map(|_| Vec::new()).collect());
    };
    let span = (last - first) as usize + 1;
    let filled = series
        .iter()
        .map(|values| {
            let mut out = vec![0; span];
            for (i, year) in &numeric {
                out[(year - first) as usize] += values.get(*i).copied().unwrap_or(0);
            }
            out
        })
        .collect();
    ((first..=last).map(|y| y.to_string()).collect(), filled)
}

/// One line per series over the same year labels; the legend is left to the page (its
/// names may be Chinese, which the chart's own font cannot measure).
pub fn lines(series: &[(String, Vec<u64>)], labels: &[String]) -> String {
    let series = series
        .iter()
        .map(|(name, values)| Series::new(name.clone(), values.iter().map(|v| *v as f32).collect()))
        .collect();
    let mut chart = LineChart::new(series, labels.to_vec());
    chart.base.width = WIDTH;
    chart.base.height = 300.0;
    chart.base.font_family = "sans-serif".to_owned();
    chart.base.legend.show = Some(false);
    chart.base.series.colors = SERIES_COLOURS.iter().map(|c| Color::from(*c)).collect();
    chart.base.x_axis.font.size = 13.0;
    for axis in &mut chart.y_axis_configs {
        axis.font.size = 13.0;
    }
    chart.svg().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_year_fills_the_gaps_with_zero_and_keeps_each_series_aligned() {
        let years = vec!["2010".to_owned(), "2013".to_owned(), "unknown".to_owned()];
        let (labels, values) = every_year(&years, &[vec![4, 2, 9], vec![1, 0, 0]]);
        assert_eq!(labels, ["2010", "2011", "2012", "2013"]);
        assert_eq!(values, [vec![4, 0, 0, 2], vec![1, 0, 0, 0]]);
    }

    #[test]
    fn bars_are_relative_to_the_largest_count() {
        let bars = bars(&[
            ("要求".to_owned(), 8),
            ("b".to_owned(), 3),
            ("c".to_owned(), 0),
        ]);
        let percents: Vec<f64> = bars.iter().map(|b| b.percent).collect();
        assert_eq!(percents, [100.0, 37.5, 0.0]);
        assert_eq!(bars[0].label, "要求");
    }
}
