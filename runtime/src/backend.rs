//! The one trait every backend implements: golden model, cosim, and (later) csim and boards.

use std::time::Duration;

use codesign_models::Values;

use crate::{Error, Kernel};

/// Handshake statistics of one stream port during a call (from `ap_start` to done).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortReport {
    /// Stream name (the manifest's, not the RTL prefix).
    pub name: String,
    /// True for a kernel input.
    pub input: bool,
    /// Beats transferred.
    pub transfers: u64,
    /// Cycles with VALID && !READY: this port's transfer was held back. On an input, only
    /// the cycles the kernel was not ready of its own accord (see `blocked_by_output`).
    pub stalled: u64,
    /// Inputs: stall cycles while one of the kernel's outputs was itself held back by the
    /// downstream (back-pressure passed through the kernel, not the kernel's own pace).
    pub blocked_by_output: u64,
    /// Cycle (counted from the start of the call) of the first transfer, if any.
    pub first: Option<u64>,
    /// Cycle of the last transfer, if any.
    pub last: Option<u64>,
}

impl PortReport {
    /// Cycles per beat between the first and the last transfer: the achieved II.
    pub fn achieved_ii(&self) -> Option<f64> {
        match (self.first, self.last) {
            (Some(first), Some(last)) if self.transfers > 1 => Some((last - first) as f64 / (self.transfers - 1) as f64),
            _ => None,
        }
    }
}

/// What one stream connection of a graph saw during a call (cosim of a graph).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionReport {
    /// `from -> to`, as in the graph file.
    pub name: String,
    /// FIFO depth in beats.
    pub depth: usize,
    /// Highest occupancy reached.
    pub high_water: usize,
    /// Beats that went through.
    pub transfers: u64,
    /// Cycles the producer offered a beat while the FIFO was full.
    pub producer_stalls: u64,
    /// Cycles the FIFO offered a beat the consumer did not take.
    pub consumer_stalls: u64,
    /// Cycles the consumer was ready while the FIFO was empty.
    pub consumer_waits: u64,
}

/// What one kernel instance of a graph did during a call (cosim of a graph). Cycles count
/// from the start of the call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageReport {
    /// Instance name.
    pub instance: String,
    /// Kernel name.
    pub kernel: String,
    /// Cycle of its first input transfer.
    pub first_input: Option<u64>,
    /// Cycle of its last input transfer.
    pub last_input: Option<u64>,
    /// Cycle its done interrupt rose.
    pub done: Option<u64>,
    /// Cycles up to its last input that it was ready on an input whose FIFO was empty.
    pub starved: u64,
    /// Cycles up to its last input that one of its outputs offered a beat no FIFO could take.
    pub blocked: u64,
}

impl StageReport {
    /// Cycles it took its inputs at its own pace: from its first input to its last, less the
    /// cycles it waited on its neighbours.
    pub fn busy(&self) -> u64 {
        match (self.first_input, self.last_input) {
            (Some(first), Some(last)) => (last + 1 - first).saturating_sub(self.starved + self.blocked),
            _ => 0,
        }
    }
}

/// Traffic of one direction (reads or writes) of an `m_axi` bundle during a call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemoryTraffic {
    /// Bursts (AR or AW handshakes).
    pub bursts: u64,
    /// Data beats (R or W handshakes).
    pub beats: u64,
    /// Bytes moved (active lanes of R beats, strobed lanes of W beats).
    pub bytes: u64,
    /// Longest burst, in beats.
    pub max_burst: u32,
    /// Mean burst length, in beats.
    pub mean_burst: f64,
    /// Bytes per beat of the most common burst size.
    pub beat_bytes: u32,
    /// Bursts answered SLVERR or DECERR.
    pub errors: u64,
}

/// Memory statistics of one `m_axi` bundle during a call (from `ap_start` to done).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemoryReport {
    /// Bundle name (`gmem0`).
    pub bundle: String,
    /// AR/R traffic.
    pub read: MemoryTraffic,
    /// AW/W/B traffic.
    pub write: MemoryTraffic,
    /// The memory timing served (board-sim's preset), where the backend models one.
    pub timing: Option<String>,
}

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
    /// Per-port statistics, where the backend sees the ports (empty otherwise).
    pub ports: Vec<PortReport>,
    /// The backend that executed the call, when it is not the one called (dispatchers).
    pub executed_by: Option<String>,
    /// The waveform file of the call, when it was traced.
    pub waveform: Option<std::path::PathBuf>,
    /// Per-connection statistics of a graph (empty for a single kernel).
    pub connections: Vec<ConnectionReport>,
    /// Per-instance statistics of a graph (empty for a single kernel).
    pub stages: Vec<StageReport>,
    /// Per-bundle memory statistics, where the backend sees the `m_axi` ports (empty
    /// otherwise).
    pub memories: Vec<MemoryReport>,
    /// Latency and interval over the call's transactions, for a kernel with bare block
    /// control (`ap_start`/`ap_done` ports), as a Vitis cosim report gives them.
    pub transactions: Option<TransactionReport>,
}

/// Minimum, mean and maximum of a cycle count over transactions.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Spread {
    /// Smallest.
    pub min: u64,
    /// Mean.
    pub avg: f64,
    /// Largest.
    pub max: u64,
}

impl Spread {
    /// The spread of `values`; `None` when there are none.
    pub fn of(values: impl IntoIterator<Item = u64>) -> Option<Spread> {
        let (mut min, mut max, mut sum, mut n) = (u64::MAX, 0, 0u128, 0u64);
        for v in values {
            min = min.min(v);
            max = max.max(v);
            sum += u128::from(v);
            n += 1;
        }
        (n > 0).then(|| Spread { min, avg: sum as f64 / n as f64, max })
    }
}

/// The transactions of one call of a block-level kernel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransactionReport {
    /// Transactions in the call.
    pub count: usize,
    /// Cycles from a transaction's `ap_start` (the first cycle it is presented) to its
    /// `ap_done`.
    pub latency: Spread,
    /// Cycles between successive transactions' starts; `None` for a single transaction.
    pub interval: Option<Spread>,
}

impl TransactionReport {
    /// From each transaction's start and done cycle.
    pub fn from_cycles(starts: &[u64], dones: &[u64]) -> Option<TransactionReport> {
        let latency = Spread::of(starts.iter().zip(dones).map(|(s, d)| d - s))?;
        let interval = Spread::of(starts.windows(2).map(|w| w[1] - w[0]));
        Some(TransactionReport { count: dones.len(), latency, interval })
    }

    /// The Vitis cosim report's line: `transactions 64: latency min 2 avg 2.0 max 2,
    /// interval min 1 avg 1.0 max 1`.
    pub fn describe(&self) -> String {
        let spread = |s: &Spread| format!("min {} avg {:.1} max {}", s.min, s.avg, s.max);
        let interval = match &self.interval {
            Some(i) => spread(i),
            None => "n/a (one transaction)".to_owned(),
        };
        format!("transactions {}: latency {}, interval {interval}", self.count, spread(&self.latency))
    }
}

impl Report {
    /// Cycles from the first input transfer to the first output transfer.
    pub fn latency(&self) -> Option<u64> {
        let first_in = self.ports.iter().filter(|p| p.input).filter_map(|p| p.first).min()?;
        let first_out = self.ports.iter().filter(|p| !p.input).filter_map(|p| p.first).min()?;
        first_out.checked_sub(first_in)
    }

    /// The graph stage that limits throughput: the one busy for the most cycles at its own
    /// pace (neither starved by its producers nor blocked by its consumers); between stages
    /// within 1% of that (equally fast: a cycle's jitter is not a bottleneck), the one that
    /// finishes last, whose latency is on the critical path.
    pub fn limiting_stage(&self) -> Option<&StageReport> {
        let most = self.stages.iter().map(StageReport::busy).max()?;
        self.stages.iter().filter(|s| s.busy() * 100 >= most * 99).max_by_key(|s| s.done)
    }

    /// The achieved II at the (first) output port.
    pub fn output_ii(&self) -> Option<f64> {
        self.ports.iter().find(|p| !p.input)?.achieved_ii()
    }
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

    /// Whether it runs kernels that read or write memory over m_axi (manifest `buffers`).
    ///
    /// # Contract
    /// When false, a call of such a kernel is [`Error::Unsupported`].
    fn runs_m_axi(&self) -> bool {
        true
    }

    /// Whether it runs kernels with AXI4-Stream ports (XRT needs a platform with stream
    /// support for those; the other backends move streams).
    ///
    /// # Contract
    /// When false, a call of such a kernel is [`Error::Unsupported`].
    fn runs_streams(&self) -> bool {
        true
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
    fn runs_m_axi(&self) -> bool {
        (**self).runs_m_axi()
    }
    fn runs_streams(&self) -> bool {
        (**self).runs_streams()
    }
}
