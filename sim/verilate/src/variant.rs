//! Model variants: one RTL verilated with or without the reliability features, so that their
//! cost is paid only where they are used.
//!
//! The default is [`Variant::FAST`], the flags of the best hand-written Verilator testbench
//! (`-O3 --x-assign fast --x-initial fast`, nothing traced). Tracing (`--trace-fst`) and
//! X randomisation (`--x-assign unique --x-initial unique`, honouring the run-time seed) are
//! separate variants, built when a run asks for them.

/// Arguments every `verilator --cc` run gets, whatever the variant.
///
/// `--no-timing`: Vitis exports contain `#0` delays. `-Wno-fatal`: exported RTL has lint
/// warnings of its own. `-Wno-SYMRSVDWORD`: the `interrupt` port collides with a C++ keyword.
pub const COMMON_ARGS: &[&str] = &["--cc", "--no-timing", "-Wno-fatal", "-Wno-SYMRSVDWORD"];

/// Which reliability features a model is verilated with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Variant {
    /// `--trace-fst`: a waveform can be opened at run time. Verilator 5.006 generates trace
    /// code for one format per model, so traced models write FST and a VCD is converted from it.
    pub traced: bool,
    /// `--x-assign unique --x-initial unique`: X values and uninitialised state come from the
    /// seeded, per-context random reset (`x-init: ones | random`). Without it they are
    /// whatever Verilator finds fastest (in practice zeros), and the seed is not read.
    pub x_random: bool,
}

impl Variant {
    /// Fast flags, nothing traced, X values fixed: what the build links by default.
    pub const FAST: Variant = Variant { traced: false, x_random: false };
    /// Every reliability feature: for test fixtures that exercise them directly.
    pub const RELIABLE: Variant = Variant { traced: true, x_random: true };

    /// The Verilator arguments of this variant, after [`COMMON_ARGS`].
    pub fn verilator_args(self) -> Vec<&'static str> {
        let mut args = COMMON_ARGS.to_vec();
        args.push("-O3");
        if self.traced {
            args.push("--trace-fst");
        }
        let x = if self.x_random { "unique" } else { "fast" };
        args.extend(["--x-assign", x, "--x-initial", x]);
        args
    }

    /// A short name for folders and messages: `fast`, `traced`, `x-random`, `traced-x-random`.
    pub fn label(self) -> &'static str {
        match (self.traced, self.x_random) {
            (false, false) => "fast",
            (true, false) => "traced",
            (false, true) => "x-random",
            (true, true) => "traced-x-random",
        }
    }

    /// The trace switches `V<top>_classes.mk` reports for this variant, which its units are
    /// compiled with (FST only: VCD is never compiled in).
    pub fn trace_switches(self) -> [(&'static str, &'static str); 2] {
        let on = if self.traced { "1" } else { "0" };
        [("VM_TRACE", on), ("VM_TRACE_FST", on)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_is_the_hand_written_testbench_flags_and_variants_add_only_their_feature() {
        let fast = Variant::FAST.verilator_args().join(" ");
        assert!(fast.ends_with("-O3 --x-assign fast --x-initial fast"), "{fast}");
        assert!(!fast.contains("--trace"), "{fast}");
        let traced = Variant { traced: true, x_random: false }.verilator_args().join(" ");
        assert!(traced.contains("--trace-fst") && traced.contains("--x-initial fast"), "{traced}");
        let random = Variant { traced: false, x_random: true }.verilator_args().join(" ");
        assert!(random.contains("--x-assign unique --x-initial unique") && !random.contains("--trace"), "{random}");
        assert_eq!(Variant::RELIABLE.label(), "traced-x-random");
        assert_eq!(Variant::FAST.trace_switches(), [("VM_TRACE", "0"), ("VM_TRACE_FST", "0")]);
    }
}
