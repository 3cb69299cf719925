//! Pause patterns: one bool per clock, `true` = this agent idles (a source withholds TVALID,
//! a sink withholds TREADY). Profiles: never (always active), fixed duty, seeded random,
//! bursty, and a user-given pattern. Cycle-count baselines use [`Pause::never`].

/// A per-cycle pause pattern.
#[derive(Debug, Clone)]
// An explicit tag: `next_cycle` branches on it for every port every cycle, and the niche
// in the pattern's Vec capacity that Rust would use instead takes several instructions to decode.
#[repr(u8)]
pub enum Pause {
    /// Never pause: full rate.
    Never,
    /// A period that divides 64 cycles (duty profiles and short patterns, what benchmarks
    /// run), unrolled into 64 bits that rotate by one each cycle: bit 0 = this cycle.
    Repeat64 {
        /// The next 64 cycles.
        bits: u64,
    },
    /// Fixed duty: `active` cycles on, then `paused` cycles off, repeating, for a period
    /// that does not divide 64 (a counter).
    Duty {
        /// Active cycles per period (> 0).
        active: u32,
        /// Cycles in a period (> `active`).
        period: u32,
        /// Position in the period.
        position: u32,
    },
    /// Repeat a pattern forever.
    Pattern {
        /// The pattern.
        pattern: Vec<bool>,
        /// Position in it.
        position: usize,
    },
    /// Pause with probability `percent`/100 each cycle, from a seeded generator.
    Random {
        /// xorshift64* state (never 0).
        state: u64,
        /// Pause probability in percent.
        percent: u8,
    },
    /// Alternating active and paused runs whose lengths are drawn uniformly from
    /// `1..=2*mean - 1` (so the means are `active` and `paused`), from a seeded generator.
    Bursty {
        /// xorshift64* state (never 0).
        state: u64,
        /// Mean active run, cycles.
        active: u32,
        /// Mean paused run, cycles.
        paused: u32,
        /// Cycles left in the current run.
        left: u32,
        /// Whether the current run is a pause.
        pausing: bool,
    },
}

/// splitmix64 of a seed: well-mixed, non-zero generator states from small seeds.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) | 1
}

/// One xorshift64* draw.
fn draw(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32
}

impl Pause {
    /// Full rate.
    pub fn never() -> Self {
        Pause::Never
    }

    /// A repeating pattern; an empty pattern never pauses.
    pub fn pattern(pattern: Vec<bool>) -> Self {
        match pattern.len() {
            0 => Pause::Never,
            n if 64 % n == 0 => Pause::repeat64(|i| pattern[i % n]),
            _ => Pause::Pattern { pattern, position: 0 },
        }
    }

    /// [`Pause::Repeat64`] of `paused(i)` for cycles i = 0..64.
    fn repeat64(paused: impl Fn(usize) -> bool) -> Self {
        Pause::Repeat64 { bits: (0..64).filter(|&i| paused(i)).fold(0, |bits, i| bits | 1 << i) }
    }

    /// Seeded random pauses: the same seed gives the same pattern.
    pub fn random(seed: u64, percent: u8) -> Self {
        match percent {
            0 => Pause::Never,
            100.. => Pause::pattern(vec![true]),
            _ => Pause::Random { state: mix(seed), percent },
        }
    }

    /// Fixed duty: `active` cycles on, then `paused` cycles off, repeating.
    pub fn duty(active: u32, paused: u32) -> Self {
        match (active, paused) {
            (_, 0) => Pause::Never,
            (0, _) => Pause::pattern(vec![true]),
            _ => match active.saturating_add(paused) {
                period if 64 % period == 0 => Pause::repeat64(|i| i as u32 % period >= active),
                period => Pause::Duty { active, period, position: 0 },
            },
        }
    }

    /// Bursts: active runs of mean `active` cycles separated by pauses of mean `paused`.
    pub fn bursty(seed: u64, active: u32, paused: u32) -> Self {
        match (active, paused) {
            (_, 0) => Pause::Never,
            (0, _) => Pause::pattern(vec![true]),
            _ => Pause::Bursty { state: mix(seed), active, paused, left: 0, pausing: true },
        }
    }

    /// Whether to pause this cycle; advances the pattern.
    #[inline(always)]
    pub fn next_cycle(&mut self) -> bool {
        // Tests in a row, not a `match`: LLVM makes a jump table of four arms, an indirect
        // branch per port per cycle.
        if let Pause::Never = self {
            return false;
        }
        // In line: duty profiles and short patterns are what benchmarks run every cycle.
        if let Pause::Repeat64 { bits } = self {
            let paused = *bits & 1 != 0;
            *bits = bits.rotate_right(1);
            return paused;
        }
        self.next_other_cycle()
    }

    /// [`Pause::next_cycle`] of the profiles kept out of line.
    #[inline(never)]
    fn next_other_cycle(&mut self) -> bool {
        match self {
            Pause::Never | Pause::Repeat64 { .. } => false,
            Pause::Duty { active, period, position } => {
                let paused = *position >= *active;
                *position += 1;
                if *position == *period {
                    *position = 0;
                }
                paused
            }
            Pause::Pattern { pattern, position } => {
                let paused = pattern[*position];
                // A compare, not `%`: a division every cycle per port costs more than the rest.
                *position += 1;
                if *position == pattern.len() {
                    *position = 0;
                }
                paused
            }
            Pause::Random { state, percent } => draw(state) % 100 < u64::from(*percent),
            Pause::Bursty { state, active, paused, left, pausing } => {
                while *left == 0 {
                    *pausing = !*pausing;
                    let mean = if *pausing { *paused } else { *active };
                    *left = 1 + (draw(state) % u64::from(2 * mean - 1)) as u32;
                }
                *left -= 1;
                *pausing
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_repeat_and_random_is_seeded() {
        let mut p = Pause::pattern(vec![true, false, false]);
        let got: Vec<bool> = (0..6).map(|_| p.next_cycle()).collect();
        assert_eq!(got, [true, false, false, true, false, false]);
        let draw = |seed| {
            let mut p = Pause::random(seed, 50);
            (0..64).map(|_| p.next_cycle()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
        let paused = draw(7).iter().filter(|&&b| b).count();
        assert!((16..=48).contains(&paused), "{paused} of 64 paused at 50%");
        assert!(!Pause::random(1, 0).next_cycle());
    }

    #[test]
    fn duties_and_patterns_repeat_whatever_their_period() {
        // Periods that divide 64 are kept as rotating bits, the others as counters: both
        // must give the plain definition, past the 64th cycle.
        for (active, paused) in [(1, 1), (3, 1), (1, 3), (2, 1), (5, 3), (31, 33), (7, 9), (40, 30)] {
            let mut duty = Pause::duty(active, paused);
            for i in 0..300u32 {
                assert_eq!(duty.next_cycle(), i % (active + paused) >= active, "duty({active}, {paused}) cycle {i}");
            }
        }
        for n in 1..=10 {
            let pattern: Vec<bool> = (0..n).map(|i| i % 3 == 1).collect();
            let mut p = Pause::pattern(pattern.clone());
            for i in 0..300 {
                assert_eq!(p.next_cycle(), pattern[i % n], "pattern of {n} cycle {i}");
            }
        }
    }

    #[test]
    fn duty_and_bursty_profiles() {
        let mut duty = Pause::duty(3, 1);
        let got: Vec<bool> = (0..8).map(|_| duty.next_cycle()).collect();
        assert_eq!(got, [false, false, false, true, false, false, false, true]);
        let mut bursty = Pause::bursty(5, 8, 4);
        let got: Vec<bool> = (0..12_000).map(|_| bursty.next_cycle()).collect();
        let paused = got.iter().filter(|&&b| b).count() as f64 / got.len() as f64;
        assert!((0.28..0.39).contains(&paused), "mean 4 of 12 cycles paused, got {paused}");
        let runs = got.windows(2).filter(|w| w[0] != w[1]).count();
        assert!(runs > 1000 && runs < 3000, "{runs} run changes");
        assert!(!Pause::bursty(1, 4, 0).next_cycle());
    }
}
