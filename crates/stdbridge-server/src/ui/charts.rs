//! Charts as SVG, drawn on the server by charts-rs: horizontal bars for counts by a
//! category, lines for counts by year.

use charts_rs::{HorizontalBarChart, LineChart, Series};

/// Width of every chart, in SVG units (the page scales it).
const WIDTH: f32 = 640.0;

/// Horizontal bars, one per label, largest first as given.
pub fn bars(name: &str, labels: &[String], values: &[u64]) -> String {
    let height = 80.0 + 26.0 * labels.len() as f32;
    // Drawn bottom-up: reverse so that the first label is on top.
    let labels: Vec<String> = labels.iter().rev().cloned().collect();
    let data: Vec<f32> = values.iter().rev().map(|v| *v as f32).collect();
    let mut chart = HorizontalBarChart::new(vec![Series::new(name.to_owned(), data)], labels);
    chart.base.width = WIDTH;
    chart.base.height = height;
    chart.svg().unwrap_or_default()
}

/// One line per series over the same labels (years).
pub fn lines(series: &[(String, Vec<u64>)], labels: &[String]) -> String {
    let series = series
        .iter()
        .map(|(name, values)| Series::new(name.clone(), values.iter().map(|v| *v as f32).collect()))
        .collect();
    let mut chart = LineChart::new(series, labels.to_vec());
    chart.base.width = WIDTH;
    chart.base.height = 360.0;
    chart.svg().unwrap_or_default()
}
