//! crop against NumPy's `x[1:-1, 1:-1]` written here as row and column slicing: grids from
//! 3x3 to the maximum width with extreme values mixed in, every extreme bit pattern, and the
//! sizes the kernel must ignore (it reads nothing and writes nothing).

use codesign::{Config, Error};
use codesign_models::Values;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::case::{call, expect_eq, open, Case};

const KERNEL: &str = "crop";

/// Widest grid the manifest allows (`width`: "3..1024").
const MAX_WIDTH: usize = 1024;

pub fn cases() -> Vec<Case> {
    let case = |name, body| Case::any_backend(KERNEL, name, body);
    vec![
        case("grids_match_numpy_slicing", grids_match_numpy_slicing),
        case("extreme_values_pass_unchanged", extreme_values_pass_unchanged),
        case("out_of_range_sizes_read_and_write_nothing", out_of_range_sizes_read_and_write_nothing),
    ]
}

/// `grid[1:-1, 1:-1]`, row-major, as NumPy slices it.
fn numpy_interior(grid: &[Vec<i32>]) -> Vec<i32> {
    let rows = &grid[1..grid.len() - 1];
    rows.iter().flat_map(|row| row[1..row.len() - 1].iter().copied()).collect()
}

/// Runs the kernel on `grid` (rows of equal length) and checks it against the reference.
fn check(config: &Config, what: &str, grid: &[Vec<i32>]) -> Result<(), String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let (w, h) = (grid[0].len(), grid.len());
    let flat: Vec<i32> = grid.iter().flatten().copied().collect();
    let inputs =
        Values::new().with_i32s("in", &flat).with_scalar("width", w as u64).with_scalar("height", h as u64);
    let outcome = call(&mut *backend, &kernel, &inputs)?;
    let got = outcome.outputs.i32s("out").map_err(|e| e.to_string())?;
    expect_eq(&format!("{what}, {w} x {h} grid"), &numpy_interior(grid), &got)
}

fn grids_match_numpy_slicing(config: &Config) -> Result<(), String> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let extremes = [i32::MIN, i32::MAX, 0, -1];
    for (w, h) in [(3, 3), (3, 8), (8, 3), (4, 4), (17, 9), (64, 5), (MAX_WIDTH, 3), (MAX_WIDTH, 6)] {
        let grid: Vec<Vec<i32>> = (0..h)
            .map(|_| {
                (0..w)
                    .map(|_| if rng.gen_bool(0.1) { extremes[rng.gen_range(0..4)] } else { rng.gen() })
                    .collect()
            })
            .collect();
        check(config, "random words", &grid)?;
    }
    Ok(())
}

fn extreme_values_pass_unchanged(config: &Config) -> Result<(), String> {
    // Every word a bit pattern a sign or width slip would change; the border holds other
    // extremes, so a border word leaking into the output is caught too.
    let interior = [i32::MIN, i32::MAX, -1, 0, 1, i32::MIN + 1, 0x5555_5555, 0xAAAA_AAAAu32 as i32];
    let (w, h) = (10, 5);
    let grid: Vec<Vec<i32>> = (0..h)
        .map(|y| {
            (0..w)
                .map(|x| {
                    let border = y == 0 || y == h - 1 || x == 0 || x == w - 1;
                    if border { [i32::MAX, i32::MIN][(x + y) % 2] } else { interior[(y * w + x) % interior.len()] }
                })
                .collect()
        })
        .collect();
    check(config, "extreme words", &grid)
}

/// Beats the RTL's input register slice (a two-entry skid buffer, like Vitis's
/// `<top>_regslice_both`) accepts on its own, before the core reads anything.
const INPUT_SLICE_DEPTH: usize = 2;

/// How many of its `n` input beats a cosim protocol error says were taken, if it is the
/// "finished with L of N input beats not consumed" error for all `n` of them.
fn beats_taken(message: &str, n: usize) -> Option<usize> {
    let counts = message.split("finished with ").nth(1)?;
    let mut words = counts.split(' ');
    let left: usize = words.next()?.parse().ok()?;
    let total: usize = words.nth(1)?.parse().ok()?;
    (total == n && left <= total && counts.contains("input beats not consumed")).then(|| total - left)
}

/// Outside `3 <= width <= 1024, height >= 3` (as signed `int`s) the kernel reads nothing and
/// writes nothing. Each backend shows that its own way, and each way is checked exactly: the
/// golden model refuses the sizes (`Error::Input`), the C++ returns with `out` empty, and the
/// RTL finishes with the input unread (a protocol error counting the beats left; only the
/// input register slice's two entries may have been taken, as they would be on hardware). A
/// hang, a read by the core or any output fails.
fn out_of_range_sizes_read_and_write_nothing(config: &Config) -> Result<(), String> {
    let (mut backend, kernel) = open(config, KERNEL)?;
    let minus = |v: i32| u64::from(v as u32);
    let sizes: [(u64, u64, usize); 8] = [
        (2, 3, 6),
        (3, 2, 6),
        (0, 5, 5),
        (1, 1, 1),
        (MAX_WIDTH as u64 + 1, 3, (MAX_WIDTH + 1) * 3),
        (minus(-3), 3, 9),
        (3, minus(-3), 9),
        (minus(i32::MIN), minus(i32::MIN), 9),
    ];
    for (w, h, n) in sizes {
        let what = format!("width {}, height {}", w as u32 as i32, h as u32 as i32);
        let words: Vec<i32> = (1..=n as i32).collect();
        let inputs = Values::new().with_i32s("in", &words).with_scalar("width", w).with_scalar("height", h);
        match backend.call(&kernel, &inputs) {
            Ok(outcome) => {
                let out = outcome.outputs.stream("out").map_err(|e| e.to_string())?;
                if !out.is_empty() {
                    return Err(format!("{what}: expected no output, got {} elements", out.len()));
                }
            }
            Err(Error::Input { message, .. }) if message.contains("crop needs") => {}
            Err(Error::Protocol { message, .. })
                if beats_taken(&message, n).is_some_and(|taken| taken <= INPUT_SLICE_DEPTH) => {}
            // On a board the input DMA never finishes, as the kernel takes at most the two
            // beats of its input slice: the driver's bounded wait reports it.
            Err(Error::Backend { backend, source })
                if backend == "board-sim" && source.to_string().contains("MM2S") && source.to_string().contains("did not happen within") => {}
            Err(other) => return Err(format!("{what}: expected nothing read and nothing written, got: {other}")),
        }
    }
    Ok(())
}
