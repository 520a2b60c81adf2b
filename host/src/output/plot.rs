//! Output stage: PNG plots with plotters (bitmap backend, embedded font: no system fonts needed).

use std::path::Path;
use std::sync::Once;

use plotters::prelude::*;

use crate::error::{HostError, Result};

/// Plot colours (matplotlib's first four).
pub const BLUE: RGBColor = RGBColor(31, 119, 180);
/// Second colour.
pub const ORANGE: RGBColor = RGBColor(255, 127, 14);
/// Third colour.
pub const GREEN: RGBColor = RGBColor(44, 160, 44);
/// Fourth colour.
pub const RED: RGBColor = RGBColor(214, 39, 40);
/// Reference curves and bounds.
pub const GREY: RGBColor = RGBColor(150, 150, 150);

/// Most points drawn per curve.
pub const PLOT_POINTS: usize = 4000;

static FONT: Once = Once::new();

fn register_font() {
    FONT.call_once(|| {
        // Ubuntu Light, shipped inside the epaint_default_fonts crate (OFL/UFL licence).
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
    });
}

/// One curve.
pub struct Series<'a> {
    /// Legend label.
    pub label: &'a str,
    /// (x, y) points.
    pub points: Vec<(f64, f64)>,
    /// Colour.
    pub color: RGBColor,
}

/// One panel.
pub struct Panel<'a> {
    /// Title above the panel.
    pub title: String,
    /// X-axis label.
    pub x_label: &'a str,
    /// Y-axis label.
    pub y_label: &'a str,
    /// Curves.
    pub series: Vec<Series<'a>>,
    /// Logarithmic y axis.
    pub log_y: bool,
    /// Fixed y range (auto when `None`).
    pub y_range: Option<(f64, f64)>,
}

impl<'a> Series<'a> {
    /// A curve of `points` labelled `label` in `color`.
    pub fn new(label: &'a str, points: Vec<(f64, f64)>, color: RGBColor) -> Self {
        Self {
            label,
            points,
            color,
        }
    }
}

impl<'a> Panel<'a> {
    /// A panel with linear axes and an automatic y range.
    pub fn new(
        title: impl Into<String>,
        x_label: &'a str,
        y_label: &'a str,
        series: Vec<Series<'a>>,
    ) -> Self {
        Self {
            title: title.into(),
            x_label,
            y_label,
            series,
            log_y: false,
            y_range: None,
        }
    }

    /// The same panel with a logarithmic y axis.
    pub fn log_y(self) -> Self {
        Self {
            log_y: true,
            ..self
        }
    }

    /// The same panel with the y axis fixed to `[lo, hi]`.
    pub fn y_range(self, lo: f64, hi: f64) -> Self {
        Self {
            y_range: Some((lo, hi)),
            ..self
        }
    }
}

fn bounds(panel: &Panel<'_>) -> ((f64, f64), (f64, f64)) {
    let mut xr = (f64::INFINITY, f64::NEG_INFINITY);
    let mut yr = (f64::INFINITY, f64::NEG_INFINITY);
    for s in &panel.series {
        for &(x, y) in &s.points {
            if x.is_finite() && y.is_finite() && (!panel.log_y || y > 0.0) {
                xr = (xr.0.min(x), xr.1.max(x));
                yr = (yr.0.min(y), yr.1.max(y));
            }
        }
    }
    if !xr.0.is_finite() {
        xr = (0.0, 1.0);
    }
    if !yr.0.is_finite() {
        yr = if panel.log_y { (1e-6, 1.0) } else { (0.0, 1.0) };
    }
    if xr.1 <= xr.0 {
        xr.1 = xr.0 + 1.0;
    }
    if let Some(r) = panel.y_range {
        yr = r;
    } else if panel.log_y {
        yr = (yr.0 * 0.5, yr.1 * 2.0);
    } else {
        let pad = 0.05 * (yr.1 - yr.0).max(1e-12);
        yr = (yr.0 - pad, yr.1 + pad);
    }
    (xr, yr)
}

/// Draws panels side by side (one row) into a PNG.
pub fn draw(path: &Path, panels: &[Panel<'_>]) -> Result<()> {
    register_font();
    let w = 900 * panels.len().max(1) as u32;
    let err =
        |e: &dyn std::fmt::Display| HostError::runtime(format!("plotting {}: {e}", path.display()));
    let h = 600u32;
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let areas = root.split_evenly((1, panels.len().max(1)));
        for (area, panel) in areas.iter().zip(panels) {
            let ((x0, x1), (y0, y1)) = bounds(panel);
            let mut b = ChartBuilder::on(area);
            b.caption(&panel.title, ("sans-serif", 22))
                .margin(12)
                .x_label_area_size(45)
                .y_label_area_size(70);
            macro_rules! body {
                ($chart:expr) => {{
                    let mut chart = $chart;
                    chart
                        .configure_mesh()
                        .x_desc(panel.x_label)
                        .y_desc(panel.y_label)
                        .x_label_formatter(&|v| tick(snap(*v, x1 - x0)))
                        .y_label_formatter(&|v| {
                            tick(if panel.log_y { *v } else { snap(*v, y1 - y0) })
                        })
                        .label_style(("sans-serif", 15))
                        .draw()
                        .map_err(|e| err(&e))?;
                    for s in &panel.series {
                        let pts = s.points.iter().copied().filter(|(x, y)| {
                            x.is_finite() && y.is_finite() && (!panel.log_y || *y > 0.0)
                        });
                        let color = s.color;
                        chart
                            .draw_series(LineSeries::new(pts, color.stroke_width(2)))
                            .map_err(|e| err(&e))?
                            .label(s.label)
                            .legend(move |(x, y)| {
                                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                            });
                    }
                    chart
                        .configure_series_labels()
                        .background_style(WHITE.mix(0.85))
                        .border_style(BLACK)
                        .label_font(("sans-serif", 15))
                        .draw()
                        .map_err(|e| err(&e))?;
                }};
            }
            if panel.log_y {
                body!(b
                    .build_cartesian_2d(x0..x1, (y0..y1).log_scale())
                    .map_err(|e| err(&e))?);
            } else {
                body!(b.build_cartesian_2d(x0..x1, y0..y1).map_err(|e| err(&e))?);
            }
        }
        root.present().map_err(|e| err(&e))?;
    }
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &buf,
        w,
        h,
        image::ColorType::Rgb8,
    )
    .map_err(|e| err(&e))?;
    crate::output::write_atomic(path, &png)
}

/// A linear-axis tick within 1e-9 of the axis span from zero is zero (plotters' tick values
/// carry rounding, e.g. -2.2e-16 for 0).
fn snap(v: f64, span: f64) -> f64 {
    if v.abs() < 1e-9 * span.abs() {
        0.0
    } else {
        v
    }
}

/// Axis tick text: plain for moderate numbers, scientific for large or small ones.
pub fn tick(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0".into()
    } else if !(1e-3..1e4).contains(&a) {
        let s = format!("{v:.1e}");
        s.replace(".0e", "e")
    } else {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

/// Column `i` of sampled rows against their first column (the time), reduced to at most
/// [`PLOT_POINTS`] points.
pub fn column<R: AsRef<[f64]>>(rows: &[R], i: usize) -> Vec<(f64, f64)> {
    let points: Vec<(f64, f64)> = rows
        .iter()
        .map(|r| {
            let r = r.as_ref();
            (r[0], r[i])
        })
        .collect();
    decimate(&points, PLOT_POINTS)
}

/// Reduces a long series to at most `n` points (keeps every k-th and the last).
pub fn decimate(points: &[(f64, f64)], n: usize) -> Vec<(f64, f64)> {
    if points.len() <= n || n < 2 {
        return points.to_vec();
    }
    let k = points.len().div_ceil(n);
    let mut v: Vec<_> = points.iter().step_by(k).copied().collect();
    if let Some(&last) = points.last() {
        v.push(last);
    }
    v
}
