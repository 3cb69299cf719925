//! Pause patterns: one bool per clock, `true` = this agent idles (a source withholds TVALID,
//! a sink withholds TREADY). Cycle-count baselines use [`Pause::never`].

/// A per-cycle pause pattern.
#[derive(Debug, Clone)]
pub enum Pause {
    /// Never pause: full rate.
    Never,
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
}

impl Pause {
    /// Full rate.
    pub fn never() -> Self {
        Pause::Never
    }

    /// A repeating pattern; an empty pattern never pauses.
    pub fn pattern(pattern: Vec<bool>) -> Self {
        if pattern.is_empty() { Pause::Never } else { Pause::Pattern { pattern, position: 0 } }
    }

    /// Seeded random pauses: the same seed gives the same pattern.
    pub fn random(seed: u64, percent: u8) -> Self {
        // splitmix64 of the seed, so that small seeds give well-mixed, non-zero states.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        match percent {
            0 => Pause::Never,
            100.. => Pause::pattern(vec![true]),
            _ => Pause::Random { state: (z ^ (z >> 31)) | 1, percent },
        }
    }

    /// Whether to pause this cycle; advances the pattern.
    #[inline(always)]
    pub fn next_cycle(&mut self) -> bool {
        if let Pause::Never = self {
            return false;
        }
        self.next_paused_cycle()
    }

    #[inline(never)]
    fn next_paused_cycle(&mut self) -> bool {
        match self {
            Pause::Never => false,
            Pause::Pattern { pattern, position } => {
                let paused = pattern[*position];
                *position = (*position + 1) % pattern.len();
                paused
            }
            Pause::Random { state, percent } => {
                *state ^= *state >> 12;
                *state ^= *state << 25;
                *state ^= *state >> 27;
                let draw = state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32;
                draw % 100 < u64::from(*percent)
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
}
