//! The one trait every backend implements: golden model, cosim, and (later) csim and boards.

use std::time::Duration;

use codesign_models::Values;

use crate::{Error, Kernel};

/// What a backend can say about a call besides its outputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Cycles from the start of the call to its end (cosim: from the write of `ap_start` to
    /// the interrupt). `None` where the backend has no clock.
    pub cycles: Option<u64>,
    /// Every clock cycle the backend simulated for the call, reset and register accesses
    /// included (for simulated cycles per second).
    pub simulated_cycles: Option<u64>,
    /// Wall time of the call.
    pub wall: Duration,
}

/// Outputs of one call and its report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Output streams and scalars.
    pub outputs: Values,
    /// Cycles, wall time and whatever else the backend knows.
    pub report: Report,
}

/// A way to run kernels: the CPU golden model, Verilator cosim, a board.
///
/// Object-safe: a config picks the backend at run time as a `Box<dyn Backend>`.
///
/// ```
/// use codesign::{backends, Config, Kernel};
/// use codesign_models::Values;
///
/// let config = Config::builtin("golden").unwrap();
/// let mut backend = backends::open(&config).unwrap();
/// let kernel = Kernel::named("ufunc_i32").unwrap();
/// let inputs = Values::new().with_i32s("a", &[1, 2]).with_i32s("b", &[10, 20]).with_scalar("op", 0);
/// let outcome = backend.call(&kernel, &inputs).unwrap();
/// assert_eq!(outcome.outputs.i32s("out").unwrap(), [11, 22]);
/// ```
pub trait Backend {
    /// The name configs use for this backend.
    ///
    /// # Contract
    /// Constant for the life of the backend.
    fn name(&self) -> &str;

    /// Runs one call of `kernel` on `inputs` (its input streams and scalar arguments) and
    /// returns the output streams with a report.
    ///
    /// # Contract
    /// - Inputs are checked against the manifest first ([`Kernel::check_inputs`]): a
    ///   missing, unknown or empty stream or argument is [`Error::Input`], never a hang.
    /// - Every wait is bounded: a kernel that stops making progress is [`Error::Timeout`]
    ///   naming the cycle and port states.
    /// - Calls are independent: nothing carries over from one call to the next.
    fn call(&mut self, kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error>;

    /// Whether [`Report::cycles`] is exact (cycle-accurate simulation).
    ///
    /// # Contract
    /// When true, every successful call reports `Some` cycles, and the same inputs and
    /// config give the same count.
    fn counts_cycles(&self) -> bool {
        false
    }
}

impl<B: Backend + ?Sized> Backend for Box<B> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn call(&mut self, kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error> {
        (**self).call(kernel, inputs)
    }
    fn counts_cycles(&self) -> bool {
        (**self).counts_cycles()
    }
}
