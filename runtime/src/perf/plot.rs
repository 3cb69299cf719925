//! The `codesign sweep` plot: accelerator and CPU time per call against N, log-log, with the
//! crossover marked. SVG only, drawn by plotters without its font features: the SVG backend
//! writes labels as `<text>` elements that the viewer lays out, and plotters places them with
//! its built-in size estimate (no system font libraries needed).

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::crossover::Point;

/// What to plot.
#[derive(Debug, Clone, Copy)]
pub struct SweepPlot<'a> {
    /// Kernel name, for the caption.
    pub kernel: &'a str,
    /// Measured sizes.
    pub points: &'a [Point],
    /// The interpolated crossover N, if the accelerator wins somewhere.
    pub crossover: Option<f64>,
    /// Accelerator clock assumed, in MHz.
    pub clock_mhz: f64,
    /// Per-call overhead assumed, in microseconds.
    pub overhead_us: f64,
}

impl SweepPlot<'_> {
    /// The accelerator curve's legend label.
    pub fn accelerator_label(&self) -> String {
        format!("accelerator: cosim cycles at {} MHz + {} µs per call", self.clock_mhz, self.overhead_us)
    }

    /// The CPU curve's legend label.
    pub fn cpu_label(&self) -> String {
        "CPU: golden model, median wall time".to_owned()
    }

    /// The crossover marker's label, if there is a crossover.
    pub fn crossover_label(&self) -> Option<String> {
        let n = self.crossover?;
        let smallest = self.points.iter().map(|p| p.n).min();
        Some(if smallest.is_some_and(|s| s as f64 == n) {
            format!("crossover at the smallest size, N = {n}")
        } else {
            format!("crossover N ≈ {}", n.ceil())
        })
    }

    /// Sizes below the crossover where the accelerator wins anyway, if any (see
    /// [`crossover::accelerator_wins_below`](super::crossover::accelerator_wins_below)).
    pub fn accelerator_wins_below(&self) -> Vec<u64> {
        self.crossover.map(|n| super::crossover::accelerator_wins_below(self.points, n)).unwrap_or_default()
    }
}

/// Why the plot could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// plotters failed to lay out or draw the chart.
    #[error("drawing the sweep plot: {0}")]
    Draw(String),
    /// The SVG could not be written.
    #[error("{path}: {source}")]
    Write {
        /// The SVG's path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Width and height of the SVG, in pixels.
pub const SIZE: (u32, u32) = (960, 640);

/// The plot as SVG text.
pub fn render_svg(plot: &SweepPlot) -> Result<String, PlotError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&root, plot).map_err(|e| PlotError::Draw(e.to_string()))?;
        root.present().map_err(|e| PlotError::Draw(e.to_string()))?;
    }
    Ok(svg)
}

/// Renders the plot and writes it to `path`.
pub fn write_svg(path: &Path, plot: &SweepPlot) -> Result<(), PlotError> {
    let svg = render_svg(plot)?;
    crate::output::write_atomic(path, svg).map_err(|source| PlotError::Write { path: path.to_owned(), source })
}

/// Whole decades around the positive finite values (at least one decade wide).
fn decades(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (min, max) = values
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !min.is_finite() {
        return (1.0, 10.0);
    }
    let lo = 10f64.powf(min.log10().floor());
    let hi = 10f64.powf(max.log10().ceil());
    (lo, if hi > lo { hi } else { lo * 10.0 })
}

/// An axis range: the decades, widened by a fifth of a decade on each side so that points and
/// the crossover marker stay off the axes (and plotters' log key points, which start at
/// `10^ceil(log10(start))` computed in floating point, include the end decades).
fn axis_range((lo, hi): (f64, f64)) -> std::ops::Range<f64> {
    let pad = 10f64.powf(0.2);
    lo / pad..hi * pad
}

/// The polyline through `points` (sorted by N) as [`crossover`](super::crossover::crossover)
/// models it: straight between measured sizes in linear N, so drawn on log axes as curves
/// sampled at log-spaced N, and the two curves cross exactly at the marked crossover.
fn linear_in_n(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    const STEPS: usize = 32;
    let mut sorted = points.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut line = Vec::with_capacity(sorted.len() * STEPS);
    for pair in sorted.windows(2) {
        let ((n0, t0), (n1, t1)) = (pair[0], pair[1]);
        for step in 0..STEPS {
            let n = n0 * (n1 / n0).powf(step as f64 / STEPS as f64);
            line.push((n, t0 + (t1 - t0) * (n - n0) / (n1 - n0)));
        }
    }
    line.extend(sorted.last().copied());
    line
}

/// An axis number without float noise: `100000`, `2`, `0.05`.
fn axis_number(value: f64) -> String {
    if value >= 1.0 {
        return format!("{value:.0}");
    }
    let decimals = (-value.log10().floor()).clamp(0.0, 12.0) as usize;
    let text = format!("{value:.decimals$}");
    let text = text.trim_end_matches('0');
    text.strip_suffix('.').unwrap_or(text).to_owned()
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &SweepPlot,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    const US: f64 = 1e6;
    let accelerator = RGBColor(0xd6, 0x27, 0x28);
    let cpu = RGBColor(0x1f, 0x77, 0xb4);
    let marker = RGBColor(0x2c, 0xa0, 0x2c);

    root.fill(&WHITE)?;
    let x = axis_range(decades(plot.points.iter().map(|p| p.n as f64).chain(plot.crossover)));
    let y = axis_range(decades(plot.points.iter().flat_map(|p| [p.accelerator_s * US, p.cpu_s * US])));
    let (x0, x1, y0, y1) = (x.start, x.end, y.start, y.end);
    let max_n = plot.points.iter().map(|p| p.n).max().unwrap_or(0);
    let caption = match plot.crossover_label() {
        Some(label) => format!("{}: time per call against N, {label}", plot.kernel),
        None => format!("{}: time per call against N, no crossover up to N = {max_n}", plot.kernel),
    };
    let mut chart = ChartBuilder::on(root)
        .caption(caption, ("sans-serif", 22))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(x.log_scale(), y.log_scale())?;
    chart
        .configure_mesh()
        .x_desc("N (elements per input stream)")
        .y_desc("time per call (µs)")
        .x_label_formatter(&|x| axis_number(*x))
        .y_label_formatter(&|y| axis_number(*y))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .draw()?;

    let curves = [
        (
            plot.accelerator_label(),
            accelerator,
            plot.points.iter().map(|p| (p.n as f64, p.accelerator_s * US)).collect::<Vec<_>>(),
        ),
        (plot.cpu_label(), cpu, plot.points.iter().map(|p| (p.n as f64, p.cpu_s * US)).collect()),
    ];
    for (label, color, data) in curves {
        chart
            .draw_series(LineSeries::new(linear_in_n(&data), color.stroke_width(2)))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(2)));
        chart.draw_series(data.into_iter().map(|xy| Circle::new(xy, 3, color.filled())))?;
    }

    if let (Some(n), Some(label)) = (plot.crossover, plot.crossover_label()) {
        chart
            .draw_series(DashedLineSeries::new([(n, y0), (n, y1)], 8, 5, marker.stroke_width(2)))?
            .label(label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], marker.stroke_width(2)));
        // Right of the line, near the top; left of it when the line is in the right third.
        let right_side = n.log10() < x0.log10() + (x1.log10() - x0.log10()) * 0.66;
        let style = TextStyle::from(("sans-serif", 16).into_font()).color(&marker);
        let (x, style) = if right_side {
            (n * 1.15, style.pos(Pos::new(HPos::Left, VPos::Top)))
        } else {
            (n / 1.15, style.pos(Pos::new(HPos::Right, VPos::Top)))
        };
        let top = y1 / 10f64.powf((y1 / y0).log10() * 0.04);
        chart.draw_series(std::iter::once(Text::new(label, (x, top), style.clone())))?;
        let early = plot.accelerator_wins_below();
        if !early.is_empty() {
            let sizes = early.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
            let below = top / 10f64.powf((y1 / y0).log10() * 0.05);
            let note = format!("not monotonic: accelerator also faster at N = {sizes}");
            chart.draw_series(std::iter::once(Text::new(note, (x, below), style)))?;
        }
    }

    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .label_font(("sans-serif", 15))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plot(points: &[Point], crossover: Option<f64>) -> String {
        render_svg(&SweepPlot { kernel: "k", points, crossover, clock_mhz: 300.0, overhead_us: 80.0 }).unwrap()
    }

    #[test]
    fn svg_has_both_curves_labels_and_the_crossover_marker() {
        let points = [
            Point { n: 1, accelerator_s: 80e-6, cpu_s: 0.02e-6 },
            Point { n: 100_000, accelerator_s: 400e-6, cpu_s: 800e-6 },
        ];
        let svg = plot(&points, Some(51_234.5));
        for text in [
            "accelerator: cosim cycles at 300 MHz + 80 µs per call",
            "CPU: golden model, median wall time",
            "crossover N ≈ 51235",
            "N (elements per input stream)",
            "time per call (µs)",
            "100000",
        ] {
            assert!(svg.contains(text), "missing `{text}` in\n{svg}");
        }
        assert!(svg.contains("<polyline"), "curves are drawn");
    }

    #[test]
    fn svg_without_crossover_says_so() {
        let points =
            [Point { n: 10, accelerator_s: 80e-6, cpu_s: 1e-7 }, Point { n: 1000, accelerator_s: 81e-6, cpu_s: 1e-5 }];
        let svg = plot(&points, None);
        assert!(svg.contains("no crossover up to N = 1000"), "{svg}");
        assert!(!svg.contains("crossover N"), "{svg}");
    }

    #[test]
    fn svg_marks_a_crossover_at_the_smallest_size_and_a_non_monotonic_sweep() {
        let points = [
            Point { n: 1, accelerator_s: 0.02e-6, cpu_s: 0.3e-6 },
            Point { n: 1000, accelerator_s: 3.3e-6, cpu_s: 2e-6 },
            Point { n: 100_000, accelerator_s: 333e-6, cpu_s: 700e-6 },
        ];
        let svg = plot(&points[..1], Some(1.0));
        assert!(svg.contains("crossover at the smallest size, N = 1"), "{svg}");
        let svg = plot(&points, super::super::crossover::crossover(&points));
        assert!(svg.contains("not monotonic: accelerator also faster at N = 1"), "{svg}");
    }

    #[test]
    fn curves_are_straight_in_linear_n_between_measured_sizes() {
        let line = linear_in_n(&[(1000.0, 5.0), (10.0, 1.0), (100.0, 2.0)]);
        assert_eq!(line.first(), Some(&(10.0, 1.0)));
        assert_eq!(line.last(), Some(&(1000.0, 5.0)));
        assert!(line.windows(2).all(|w| w[0].0 < w[1].0), "increasing N");
        for &(n, t) in &line {
            let want = if n <= 100.0 { 1.0 + (n - 10.0) / 90.0 } else { 2.0 + 3.0 * (n - 100.0) / 900.0 };
            assert!((t - want).abs() < 1e-9, "({n}, {t}) != {want}");
        }
        assert_eq!(linear_in_n(&[(4.0, 1.0)]), [(4.0, 1.0)]);
    }

    #[test]
    fn axis_numbers_have_no_float_noise() {
        assert_eq!(axis_number(100_000.0), "100000");
        assert_eq!(axis_number(1.0), "1");
        assert_eq!(axis_number(0.1 * 0.5), "0.05");
        assert_eq!(axis_number(0.010000000000000002), "0.01");
        assert_eq!(decades([0.03, 250.0].into_iter()), (0.01, 1000.0));
        let range = axis_range((0.1, 1000.0));
        assert!(range.start < 0.1 && range.end > 1000.0);
        assert_eq!(decades([10.0].into_iter()), (10.0, 100.0));
    }
}
