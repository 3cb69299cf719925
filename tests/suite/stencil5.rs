//! stencil5 (both fixed-point formats) against a NumPy-style reference written here: the
//! output is `0.2 * (x[1:-1,1:-1] + x[:-2,1:-1] + x[2:,1:-1] + x[1:-1,:-2] + x[1:-1,2:])`, in
//! ap_fixed arithmetic (AP_TRN, AP_WRAP, 0.2 truncated to F bits), on grids from 3x3 to the
//! maximum width.

use codesign::Config;
use codesign_models::Values;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::case::{call, expect_eq, open, Case};

/// (kernel, total bits, fractional bits, max width from the manifest description).
const FORMATS: &[(&str, u32, u32)] = &[("stencil5_q8_8", 16, 8), ("stencil5_q16_16", 32, 16)];

pub fn cases() -> Vec<Case> {
    FORMATS
        .iter()
        .map(|&(kernel, bits, frac)| Case {
            kernel: kernel.to_owned(),
            name: "grids_match_a_numpy_style_reference".to_owned(),
            needs: None,
            body: Box::new(move |config| grids(config, kernel, bits, frac)),
        })
        .collect()
}

/// Whole-array shifts, as NumPy would: the five views summed, then scaled.
fn numpy_style(grid: &[Vec<i64>], bits: u32, frac: u32) -> Vec<u64> {
    let (h, w) = (grid.len(), grid[0].len());
    let view = |dy: isize, dx: isize| -> Vec<i64> {
        (1..h - 1)
            .flat_map(|y| (1..w - 1).map(move |x| (y, x)))
            .map(|(y, x)| grid[(y as isize + dy) as usize][(x as isize + dx) as usize])
            .collect()
    };
    let views = [view(0, 0), view(-1, 0), view(1, 0), view(0, -1), view(0, 1)];
    let fifth = (1i64 << frac) / 5;
    let mask = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
    (0..views[0].len())
        .map(|i| {
            let sum: i64 = views.iter().map(|v| v[i]).sum();
            ((sum * fifth).div_euclid(1 << frac) as u64) & mask
        })
        .collect()
}

fn grids(config: &Config, kernel: &str, bits: u32, frac: u32) -> Result<(), String> {
    let (mut backend, k) = open(config, kernel)?;
    // The manifest documents the maximum width on the `width` argument: "3..1024".
    let max_width = k
        .manifest
        .arg("width")
        .and_then(|a| a.description.split("3..").nth(1))
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<usize>().ok())
        .ok_or("the width argument's description does not state its range (3..MAX)")?;
    let mut rng = ChaCha8Rng::seed_from_u64(u64::from(bits));
    let half = 1i64 << (bits - 1);
    for (w, h) in [(3, 3), (3, 7), (7, 3), (17, 9), (64, 5), (max_width, 3)] {
        let extremes = [-half, half - 1, 0, -1];
        let grid: Vec<Vec<i64>> = (0..h)
            .map(|_| {
                (0..w)
                    .map(|_| if rng.gen_bool(0.1) { extremes[rng.gen_range(0..4)] } else { rng.gen_range(-half..half) })
                    .collect()
            })
            .collect();
        let mask = (1u64 << bits) - 1;
        let raw: Vec<u64> = grid.iter().flatten().map(|&v| v as u64 & mask).collect();
        let mut inputs = Values::new().with_scalar("width", w as u64).with_scalar("height", h as u64);
        inputs.streams.insert("in".into(), raw);
        let outcome = call(&mut *backend, &k, &inputs)?;
        let got = outcome.outputs.stream("out").map_err(|e| e.to_string())?;
        expect_eq(&format!("{w} x {h} grid"), &numpy_style(&grid, bits, frac), got)?;
    }
    Ok(())
}
