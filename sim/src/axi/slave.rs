//! The AXI4 slave: answers a kernel's `m_axi` master from an [`AxiMemory`].

use std::collections::VecDeque;

use super::burst::{Burst, BurstKind};
use super::{AxiError, AxiMemory, AxiPorts, AxiResp, AxiStats, Channel};
use crate::pause::Pause;
use crate::{Agent, CycleCounter};

/// Timing and back-pressure of an [`AxiSlave`].
#[derive(Debug, Clone)]
pub struct AxiSlaveConfig {
    /// Cycles from the AR handshake to the first cycle RVALID may be high (at least 1;
    /// 0 counts as 1). Later beats of a burst may follow back to back.
    pub read_latency: u32,
    /// Cycles from the last W handshake to the first cycle BVALID may be high (at least 1).
    pub write_latency: u32,
    /// Read bursts outstanding at most (AR accepted, last R beat not yet taken); ARREADY is
    /// low while the limit is reached. At least 1.
    pub max_reads: usize,
    /// Write bursts outstanding at most (AW accepted, B not yet taken); AWREADY is low while
    /// the limit is reached. At least 1.
    pub max_writes: usize,
    /// Cycles ARREADY is withheld.
    pub ar_pause: Pause,
    /// Cycles AWREADY is withheld.
    pub aw_pause: Pause,
    /// Cycles WREADY is withheld.
    pub w_pause: Pause,
    /// Cycles a ready R beat is held back (never once RVALID is up: it stays until taken).
    pub r_pause: Pause,
    /// Cycles a ready B response is held back (same rule).
    pub b_pause: Pause,
}

impl Default for AxiSlaveConfig {
    /// Latency 1, 16 outstanding bursts each way, no pauses.
    fn default() -> Self {
        AxiSlaveConfig {
            read_latency: 1,
            write_latency: 1,
            max_reads: 16,
            max_writes: 16,
            ar_pause: Pause::never(),
            aw_pause: Pause::never(),
            w_pause: Pause::never(),
            r_pause: Pause::never(),
            b_pause: Pause::never(),
        }
    }
}

impl AxiSlaveConfig {
    /// The same pause pattern (seeded random, `percent` of cycles) on every channel, each
    /// channel with its own seed derived from `seed`.
    pub fn with_random_pauses(mut self, seed: u64, percent: u8) -> Self {
        let p = |i: u64| Pause::random(seed.wrapping_mul(31).wrapping_add(i), percent);
        (self.ar_pause, self.aw_pause, self.w_pause, self.r_pause, self.b_pause) = (p(0), p(1), p(2), p(3), p(4));
        self
    }
}

/// A burst accepted on AR or AW.
#[derive(Debug, Clone)]
pub(super) struct Accepted {
    pub(super) burst: Burst,
    /// The response decided at the address (OKAY, SLVERR or DECERR).
    pub(super) resp: AxiResp,
    /// The buffer serving it when `resp` is OKAY.
    pub(super) buffer: Option<usize>,
    /// Beats transferred so far.
    pub(super) beat: u32,
    /// Cycle of the address handshake.
    pub(super) cycle: u64,
    /// First cycle a response (first R beat, B) may be offered.
    pub(super) ready_at: u64,
}

/// Most protocol errors kept (later ones are counted in the statistics only).
const MAX_ERRORS: usize = 64;

/// An AXI4 slave memory on one `m_axi` bundle: drives AWREADY, WREADY, ARREADY, the R channel
/// (RVALID, RDATA, RLAST, RRESP, RID) and the B channel (BVALID, BRESP, BID).
///
/// Responses come in address order on each side (legal for any ID). Every burst is decoded
/// by [`AxiMemory::decode`] at its address handshake; error bursts (SLVERR, DECERR, or a
/// protocol error) never touch memory: R beats carry zeros, W beats are dropped. WREADY rises
/// only for an accepted AW that still wants data. WSTRB masks every written byte. Bursts are
/// framed by AxLEN; a wrong WLAST is reported and answered SLVERR, and the rest of that
/// burst's data is dropped. Protocol errors are recorded, never panicked on: read them with
/// [`AxiSlave::check`] (during the run) or [`AxiSlave::finish`] (at the end).
#[derive(Debug)]
pub struct AxiSlave<'m> {
    pub(super) ports: AxiPorts<'m>,
    pub(super) memory: AxiMemory,
    pub(super) config: AxiSlaveConfig,
    pub(super) now: CycleCounter,
    pub(super) bus_bytes: u32,
    /// Read bursts in AR order; the front one is being answered.
    pub(super) reads: VecDeque<Accepted>,
    /// Write bursts whose data is not complete, in AW order; the front one takes W beats.
    pub(super) writes: VecDeque<Accepted>,
    /// Write bursts waiting for their B, in order.
    pub(super) responses: VecDeque<Accepted>,
    pub(super) r_offering: bool,
    pub(super) b_offering: bool,
    /// The AR and AW payload held while VALID && !READY, to check it stays.
    pub(super) held: [Option<(u64, u64)>; 2],
    /// Since when WVALID has been up with no accepted AW waiting for data.
    pub(super) orphan_w_since: Option<u64>,
    pub(super) stats: AxiStats,
    pub(super) errors: Vec<AxiError>,
    /// Scratch: the data bus as bytes, and as 32-bit words.
    pub(super) lane_bytes: Vec<u8>,
    pub(super) words: Vec<u32>,
    /// Beats served since the last [`AxiSlave::take_accesses`], when recording is on.
    pub(super) accesses: Option<Vec<Access>>,
}

/// One data beat the slave served from or into memory (recorded on request, for a host
/// model that tracks what the master touched: caches, coherence checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    /// A W beat (true) or an R beat (false).
    pub write: bool,
    /// Address of the beat's first active lane.
    pub addr: u64,
    /// Active lanes (bytes).
    pub len: usize,
}

impl<'m> AxiSlave<'m> {
    /// A slave on `ports` serving `memory`, reporting cycles from `now` (`Clock::counter`).
    pub fn new(ports: AxiPorts<'m>, memory: AxiMemory, config: AxiSlaveConfig, now: CycleCounter) -> Self {
        let bus_bytes = ports.bus_bytes();
        let mut config = config;
        config.read_latency = config.read_latency.max(1);
        config.write_latency = config.write_latency.max(1);
        config.max_reads = config.max_reads.max(1);
        config.max_writes = config.max_writes.max(1);
        for bit in [ports.aw.ready, ports.w.ready, ports.ar.ready, ports.r.valid, ports.b.valid, ports.r.last] {
            bit.set(false);
        }
        let outputs = [Some(ports.r.resp), Some(ports.b.resp), ports.r.id, ports.b.id, ports.r.user, ports.b.user];
        for signal in outputs.into_iter().flatten() {
            signal.set_words(&[]);
        }
        let stats = AxiStats { bundle: ports.bundle.clone(), ..AxiStats::default() };
        AxiSlave {
            memory,
            config,
            now,
            bus_bytes,
            reads: VecDeque::new(),
            writes: VecDeque::new(),
            responses: VecDeque::new(),
            r_offering: false,
            b_offering: false,
            held: [None, None],
            orphan_w_since: None,
            stats,
            errors: Vec::new(),
            lane_bytes: vec![0; bus_bytes as usize],
            words: vec![0; (bus_bytes as usize).div_ceil(4).max(4)],
            accesses: None,
            ports,
        }
    }

    /// Bundle name (`gmem`).
    pub fn bundle(&self) -> &str {
        &self.ports.bundle
    }

    /// The bound ports.
    pub fn ports(&self) -> &AxiPorts<'m> {
        &self.ports
    }

    /// The configuration (latencies and limits raised to their minimum of 1).
    pub fn config(&self) -> &AxiSlaveConfig {
        &self.config
    }

    /// The address space served.
    pub fn memory(&self) -> &AxiMemory {
        &self.memory
    }

    /// The address space served, writable between cycles (fill inputs, map buffers).
    pub fn memory_mut(&mut self) -> &mut AxiMemory {
        &mut self.memory
    }

    /// Gives the memory back.
    pub fn into_memory(self) -> AxiMemory {
        self.memory
    }

    /// Starts recording every served beat (off by default: cosim does not pay for it).
    pub fn record_accesses(&mut self) {
        self.accesses.get_or_insert_with(Vec::new);
    }

    /// The beats served since the last call, in order (empty unless recording).
    pub fn take_accesses(&mut self) -> Vec<Access> {
        self.accesses.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Traffic so far.
    pub fn stats(&self) -> &AxiStats {
        &self.stats
    }

    /// Starts counting anew; bursts in flight are not recounted.
    pub fn reset_stats(&mut self) {
        self.stats = AxiStats { bundle: self.ports.bundle.clone(), ..AxiStats::default() };
    }

    /// Read bursts outstanding.
    pub fn outstanding_reads(&self) -> usize {
        self.reads.len()
    }

    /// Write bursts outstanding (data still arriving, or B not yet taken).
    pub fn outstanding_writes(&self) -> usize {
        self.writes.len() + self.responses.len()
    }

    /// True when no burst is outstanding.
    pub fn is_idle(&self) -> bool {
        self.reads.is_empty() && self.writes.is_empty() && self.responses.is_empty()
    }

    /// Every protocol error recorded so far (at most 64 are kept).
    pub fn errors(&self) -> &[AxiError] {
        &self.errors
    }

    /// The first protocol error recorded so far, if any. Safe to call mid-run.
    pub fn check(&self) -> Result<(), AxiError> {
        self.errors.first().cloned().map_or(Ok(()), Err)
    }

    /// End of a job: the first protocol error; else a WVALID left up with no AW to take it
    /// ([`AxiError::WriteWithoutAddress`]); else the oldest burst still in flight
    /// ([`AxiError::Incomplete`]).
    pub fn finish(&self) -> Result<(), AxiError> {
        self.check()?;
        let bundle = || self.ports.bundle.clone();
        if let Some(since) = self.orphan_w_since {
            return Err(AxiError::WriteWithoutAddress { bundle: bundle(), since, cycle: self.now.get() });
        }
        let incomplete = |channel, a: &Accepted, detail: String| AxiError::Incomplete {
            bundle: bundle(),
            channel,
            addr: a.burst.addr,
            cycle: a.cycle,
            detail,
        };
        if let Some(a) = self.reads.front() {
            return Err(incomplete(Channel::Ar, a, format!("{} of {} R beats taken", a.beat, a.burst.beats)));
        }
        if let Some(a) = self.writes.front() {
            return Err(incomplete(Channel::Aw, a, format!("{} of {} W beats received", a.beat, a.burst.beats)));
        }
        if let Some(a) = self.responses.front() {
            return Err(incomplete(Channel::Aw, a, "B not taken".to_owned()));
        }
        Ok(())
    }

    /// Channel handshake signals and queue depths, for hang reports.
    pub fn state(&self) -> String {
        format!(
            "{}; outstanding reads {} writes {} (awaiting data {}, B {})",
            self.ports.state(),
            self.reads.len(),
            self.outstanding_writes(),
            self.writes.len(),
            self.responses.len()
        )
    }

    pub(super) fn record(&mut self, error: AxiError) {
        self.stats.protocol_errors += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(error);
        }
    }

    /// Reads the address channel's payload into a burst; `None` for a reserved AxBURST.
    pub(super) fn address_payload(&self, write: bool) -> (Burst, Option<BurstKind>) {
        let p = if write { &self.ports.aw } else { &self.ports.ar };
        let size = p.size.map_or(self.bus_bytes, |s| 1u32 << s.get().min(7));
        let kind = p.burst.map_or(Some(BurstKind::Incr), |b| BurstKind::from_code(b.get()));
        let burst = Burst {
            addr: p.addr.get(),
            beats: p.len.get() as u32 + 1,
            size,
            kind: kind.unwrap_or(BurstKind::Incr),
            id: p.id.map_or(0, |s| s.get()),
        };
        (burst, kind)
    }
}

impl Agent for AxiSlave<'_> {
    fn drive(&mut self) {
        let now = self.now.get();
        let c = &mut self.config;
        let (ar_pause, aw_pause, w_pause) = (c.ar_pause.next_cycle(), c.aw_pause.next_cycle(), c.w_pause.next_cycle());
        let (r_pause, b_pause) = (c.r_pause.next_cycle(), c.b_pause.next_cycle());
        let p = &self.ports;
        p.ar.ready.set(!ar_pause && self.reads.len() < self.config.max_reads);
        p.aw.ready.set(!aw_pause && self.outstanding_writes() < self.config.max_writes);
        p.w.ready.set(!w_pause && !self.writes.is_empty());
        if !self.r_offering && !r_pause && self.reads.front().is_some_and(|r| r.ready_at <= now) {
            self.offer_r();
        }
        if !self.b_offering && !b_pause && self.responses.front().is_some_and(|b| b.ready_at <= now) {
            self.offer_b();
        }
        self.ports.r.valid.set(self.r_offering);
        self.ports.b.valid.set(self.b_offering);
    }

    fn sample(&mut self) -> bool {
        let now = self.now.get();
        let mut progress = false;
        // Whether AxREADY was held low by the outstanding limit, before R/B retire bursts.
        let full = [self.reads.len() >= self.config.max_reads, self.outstanding_writes() >= self.config.max_writes];
        if self.r_offering && self.ports.r.ready.is_high() {
            self.take_r();
            progress = true;
        }
        if self.b_offering && self.ports.b.ready.is_high() {
            self.take_b();
            progress = true;
        }
        if !self.ports.w.valid.is_high() || !self.writes.is_empty() {
            self.orphan_w_since = None;
        } else {
            self.orphan_w_since.get_or_insert(now);
        }
        if self.ports.w.valid.is_high() && self.ports.w.ready.is_high() {
            self.take_w(now);
            progress = true;
        }
        progress |= self.observe_address(false, now, full[0]);
        progress |= self.observe_address(true, now, full[1]);
        progress
    }
}
