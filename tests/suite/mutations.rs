//! Mutation tests: deliberately broken copies of ufunc_i32 (hw/fixtures/ufunc_i32_*), each
//! caught as its own error within the watchdog bound, naming the port and the waveform. None
//! may hang.

use codesign::{backends, Config, Error, Kernel};
use codesign_models::Values;

use crate::case::{Ability, Case};

/// What a broken kernel must produce.
struct Expect {
    fixture: &'static str,
    /// Back-pressure on the output (some faults only show while stalled).
    stall_outputs: u8,
    /// Substrings the error must contain.
    needles: &'static [&'static str],
    timeout: bool,
}

const MUTATIONS: &[Expect] = &[
    Expect {
        fixture: "ufunc_i32_tdata_unstable",
        stall_outputs: 50,
        needles: &["`out`", "TDATA changed while TVALID && !TREADY", "beat ", "at cycle "],
        timeout: false,
    },
    Expect {
        fixture: "ufunc_i32_tvalid_drop",
        stall_outputs: 50,
        needles: &["`out`", "TVALID withdrawn before the handshake", "beat ", "at cycle "],
        timeout: false,
    },
    Expect {
        fixture: "ufunc_i32_no_tlast",
        stall_outputs: 0,
        needles: &["`out`", "ended inside a packet", "beat "],
        timeout: false,
    },
    Expect {
        fixture: "ufunc_i32_never_valid",
        stall_outputs: 0,
        needles: &["hung", "no output beat ever became valid", "out: TVALID=0", "(cycle "],
        timeout: true,
    },
    Expect {
        fixture: "ufunc_i32_no_done",
        stall_outputs: 0,
        needles: &["hung", "ap_done never came", "interrupt=0", "(cycle "],
        timeout: true,
    },
];

/// Watchdog for these cases: small, so a hang costs milliseconds.
const WATCHDOG: u64 = 300;

pub fn cases() -> Vec<Case> {
    MUTATIONS
        .iter()
        .map(|expect| Case {
            kernel: expect.fixture.to_owned(),
            name: "caught_as_its_own_error".to_owned(),
            needs: Some(Ability::ExactCycles),
            body: Box::new(move |config| caught(config, expect)),
        })
        .collect()
}

fn caught(config: &Config, expect: &Expect) -> Result<(), String> {
    let mut config = config.clone();
    config.cosim.watchdog_cycles = WATCHDOG;
    config.cosim.backpressure.outputs = expect.stall_outputs.into();
    config.cosim.backpressure.seed = 7;
    let kernel = Kernel::fixture(expect.fixture).map_err(|e| e.to_string())?;
    let mut backend = backends::open(&config).map_err(|e| e.to_string())?;
    let a: Vec<i32> = (0..200).collect();
    let inputs = Values::new().with_i32s("a", &a).with_i32s("b", &a).with_scalar("op", 0);
    let error = match backend.call(&kernel, &inputs) {
        Ok(_) => return Err(format!("the broken kernel `{}` passed", expect.fixture)),
        Err(error) => error,
    };
    let kind_ok = match &error {
        Error::Timeout { waited, .. } => expect.timeout && *waited <= WATCHDOG + 1,
        Error::Protocol { .. } => !expect.timeout,
        _ => false,
    };
    let text = error.to_string();
    if !kind_ok {
        return Err(format!("`{}`: wrong kind of error: {text}", expect.fixture));
    }
    for needle in expect.needles {
        if !text.contains(needle) {
            return Err(format!("`{}`: error lacks `{needle}`: {text}", expect.fixture));
        }
    }
    // The failed call was re-run with a trace: the error names a waveform file that exists.
    let path = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("waveform: "))
        .ok_or_else(|| format!("`{}`: error names no waveform: {text}", expect.fixture))?;
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > 0 => Ok(()),
        _ => Err(format!("`{}`: waveform `{path}` is missing or empty", expect.fixture)),
    }
}
