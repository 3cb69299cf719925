//! The AXI4 slave memory (`codesign_sim::axi`) against the `mem_copy` fixture: a tiny m_axi
//! master that copies words with INCR bursts (copy mode), or whose bundle outputs the test
//! drives directly (direct mode) to play sequences the copy engine never issues.
//! Every loop is bounded: a hang fails with the slave's state.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, VecDeque};

use codesign_hw::fixtures::mem_copy::MODEL;
use codesign_sim::axi::{AxiError, AxiMemory, AxiPorts, AxiSlave, AxiSlaveConfig, Channel};
use codesign_sim::pause::Pause;
use codesign_sim::verilated::{Bit, Direction, Model, Signal, XInit};
use codesign_sim::{Agent, Clock};

/// xorshift64*: the cases are seeded, so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn input<'m>(model: &'m Model, name: &str) -> Signal<'m> {
    let signal = model.port(name).unwrap();
    assert_eq!(signal.direction(), Direction::Input, "{name}");
    signal
}

fn bit<'m>(model: &'m Model, name: &str, direction: Direction) -> Bit<'m> {
    model.bit(name, direction).unwrap()
}

/// One copy job.
#[derive(Debug, Clone, Copy)]
struct Job {
    src: u64,
    dst: u64,
    words: u32,
    burst: u32,
    bad_4k: bool,
}

/// What a job left behind.
#[derive(Debug)]
struct Outcome {
    cycles: u64,
    error: bool,
    rlast_error: bool,
}

/// The fixture's control and argument ports.
struct Kernel<'m> {
    model: &'m Model,
    rst_n: Bit<'m>,
    start: Bit<'m>,
    done: Bit<'m>,
    error: Bit<'m>,
    rlast_error: Bit<'m>,
    direct: Bit<'m>,
}

impl<'m> Kernel<'m> {
    fn new(model: &'m Model) -> Self {
        let kernel = Kernel {
            model,
            rst_n: bit(model, "ap_rst_n", Direction::Input),
            start: bit(model, "ap_start", Direction::Input),
            done: bit(model, "ap_done", Direction::Output),
            error: bit(model, "error", Direction::Output),
            rlast_error: bit(model, "rlast_error", Direction::Output),
            direct: bit(model, "direct", Direction::Input),
        };
        kernel.start.set(false);
        kernel
    }

    /// Two cycles of reset, with the slave taking part.
    fn reset(&self, clock: &mut Clock<'_>, slave: &mut AxiSlave<'_>, direct: bool) {
        self.direct.set(direct);
        self.rst_n.set(false);
        for _ in 0..2 {
            clock.step(&mut [slave]);
        }
        self.rst_n.set(true);
    }

    /// Runs one job to ap_done, with an `extra` agent beside the slave ([`Idle`] for none).
    fn run(
        &self,
        clock: &mut Clock<'_>,
        slave: &mut AxiSlave<'_>,
        extra: &mut dyn Agent,
        job: Job,
        max_cycles: u64,
    ) -> Outcome {
        for (name, value) in [
            ("src", job.src),
            ("dst", job.dst),
            ("words", u64::from(job.words)),
            ("burst", u64::from(job.burst)),
            ("bad_4k", u64::from(job.bad_4k)),
        ] {
            input(self.model, name).set(value);
        }
        let begin = clock.cycle();
        self.start.set(true);
        for cycle in 0..max_cycles {
            clock.step(&mut [&mut *slave, &mut *extra]);
            if cycle == 0 {
                self.start.set(false);
            }
            if self.done.is_high() {
                return Outcome {
                    cycles: clock.cycle() - begin,
                    error: self.error.is_high(),
                    rlast_error: self.rlast_error.is_high(),
                };
            }
        }
        panic!(
            "{job:x?}: no ap_done within {max_cycles} cycles\n{}\nslave: {:?}\n{}",
            slave.state(),
            slave.finish(),
            self.model.control_state()
        );
    }
}

/// An agent that does nothing.
struct Idle;

impl Agent for Idle {
    fn drive(&mut self) {}

    fn sample(&mut self) -> bool {
        false
    }
}

/// Master back-pressure: drives the fixture's `r_stall` and `b_stall` (RREADY/BREADY low).
struct Stall<'m> {
    r: Bit<'m>,
    b: Bit<'m>,
    r_pause: Pause,
    b_pause: Pause,
}

impl Agent for Stall<'_> {
    fn drive(&mut self) {
        self.r.set(self.r_pause.next_cycle());
        self.b.set(self.b_pause.next_cycle());
    }

    fn sample(&mut self) -> bool {
        false
    }
}

/// Counts outstanding bursts from the raw signals, independently of the slave, and checks
/// that AxREADY is low whenever the limit is reached.
struct OutstandingProbe<'m> {
    ports: AxiPorts<'m>,
    limit: usize,
    reads: usize,
    writes: usize,
    peak: (usize, usize),
    /// Cycles with AxVALID high, the limit reached and AxREADY low: (AR, AW).
    held_full: (u64, u64),
    violations: Vec<String>,
}

impl Agent for OutstandingProbe<'_> {
    fn drive(&mut self) {}

    fn sample(&mut self) -> bool {
        let p = &self.ports;
        for (write, count, valid, ready) in
            [(false, self.reads, p.ar.valid, p.ar.ready), (true, self.writes, p.aw.valid, p.aw.ready)]
        {
            if count >= self.limit && ready.is_high() {
                self.violations.push(format!("{} READY high with {count} outstanding", if write { "AW" } else { "AR" }));
            }
            if count >= self.limit && valid.is_high() {
                if write {
                    self.held_full.1 += 1;
                } else {
                    self.held_full.0 += 1;
                }
            }
        }
        if p.ar.valid.is_high() && p.ar.ready.is_high() {
            self.reads += 1;
        }
        if p.r.valid.is_high() && p.r.ready.is_high() && p.r.last.is_high() {
            self.reads -= 1;
        }
        if p.aw.valid.is_high() && p.aw.ready.is_high() {
            self.writes += 1;
        }
        if p.b.valid.is_high() && p.b.ready.is_high() {
            self.writes -= 1;
        }
        self.peak = (self.peak.0.max(self.reads), self.peak.1.max(self.writes));
        false
    }
}

/// The bursts the fixture issues for `words` words at `addr` (HLS-style 4 KiB splitting).
fn split(addr: u64, words: u32, burst: u32, split_4k: bool) -> Vec<u32> {
    let (mut addr, mut left, mut out) = (addr, words, Vec::new());
    while left > 0 {
        let mut n = left.min(burst.clamp(1, 256));
        if split_4k {
            n = n.min(((4096 - (addr & 0xfff)) / 4) as u32);
        }
        out.push(n);
        addr += u64::from(n) * 4;
        left -= n;
    }
    out
}

fn histogram(lengths: &[u32]) -> BTreeMap<u32, u64> {
    let mut h = BTreeMap::new();
    for &l in lengths {
        *h.entry(l).or_default() += 1;
    }
    h
}

fn pattern(words: usize, seed: u32) -> Vec<u32> {
    (0..words as u32).map(|i| i.wrapping_mul(0x9E37_79B9) ^ seed).collect()
}

/// Allocates `src` and `dst` buffers: `words` words at byte offset `src_off`/`dst_off`,
/// plus `tail` bytes after. `src` holds a pattern, `dst` is filled with 0xee.
fn buffers(memory: &mut AxiMemory, words: u32, src_off: u64, dst_off: u64, tail: u64) -> (u64, u64) {
    let bytes = u64::from(words) * 4;
    let src = memory.alloc("src", (src_off + bytes + tail) as usize).unwrap();
    let dst = memory.alloc("dst", (dst_off + bytes + tail) as usize).unwrap();
    let data = pattern(words as usize, 0x5a5a_0000 ^ words);
    memory.write_words(src + src_off, &data).unwrap();
    memory.buffer_mut("dst").unwrap().bytes_mut().fill(0xee);
    (src + src_off, dst + dst_off)
}

fn setup(model: &Model) -> (Clock<'_>, AxiPorts<'_>, Kernel<'_>) {
    let clock = Clock::new(model, "ap_clk").unwrap();
    let ports = AxiPorts::bind(model, "m_axi_gmem").unwrap();
    (clock, ports, Kernel::new(model))
}

#[test]
fn ports_bind_by_the_vitis_prefix() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let ports = AxiPorts::bind(&model, "m_axi_gmem").unwrap();
    assert_eq!(ports.bundle, "gmem");
    assert_eq!(ports.bus_bytes(), 4);
    assert_eq!(ports.aw.addr.width(), 64);
    assert!(ports.aw.id.is_some() && ports.r.user.is_some() && ports.ar.region.is_some());
    let err = AxiPorts::bind(&model, "m_axi_nope").unwrap_err().to_string();
    assert!(err.contains("m_axi_nope_WDATA"), "{err}");
}

#[test]
fn copies_of_several_lengths_and_alignments_under_random_timing() {
    let cases: [(u32, u64, u64, u32); 12] = [
        (1, 0, 0, 16),
        (2, 4, 0, 1),
        (15, 0, 8, 16),
        (16, 0, 0, 16),
        (17, 0xff0, 0, 16),
        (100, 0xfc0, 0xffc, 64),
        (255, 0, 0x800, 256),
        (256, 0x7fc, 0, 256),
        (257, 0, 0xf00, 256),
        (1000, 0xe00, 0x404, 7),
        (1500, 0xffc, 0x3fc, 256),
        (3000, 0x10, 0xff8, 128),
    ];
    let mut rng = Rng(0x00c0_ffee_d00d_f00d);
    for (index, &(words, src_off, dst_off, burst)) in cases.iter().enumerate() {
        let model = Model::new(&MODEL, XInit::Zeros).unwrap();
        let (mut clock, ports, kernel) = setup(&model);
        let mut memory = AxiMemory::new();
        let (src, dst) = buffers(&mut memory, words, src_off, dst_off, 64);
        let before = memory.clone();
        let config = AxiSlaveConfig {
            read_latency: 1 + rng.below(30) as u32,
            write_latency: 1 + rng.below(30) as u32,
            max_reads: 1 + rng.below(8) as usize,
            max_writes: 1 + rng.below(8) as usize,
            ..AxiSlaveConfig::default()
        }
        .with_random_pauses(rng.next(), rng.below(60) as u8);
        let what = format!("case {index}: {words} words {src:#x} -> {dst:#x}, burst {burst}, {config:?}");
        let mut slave = AxiSlave::new(ports, memory, config, clock.counter());
        let mut stall = Stall {
            r: bit(&model, "r_stall", Direction::Input),
            b: bit(&model, "b_stall", Direction::Input),
            r_pause: Pause::random(rng.next(), rng.below(50) as u8),
            b_pause: Pause::random(rng.next(), rng.below(50) as u8),
        };
        kernel.reset(&mut clock, &mut slave, false);
        let job = Job { src, dst, words, burst, bad_4k: false };
        let out = kernel.run(&mut clock, &mut slave, &mut stall, job, 20_000 + 200 * u64::from(words));
        assert!(!out.error && !out.rlast_error, "{what}: {out:?}");
        slave.finish().unwrap_or_else(|e| panic!("{what}: {e}"));

        let memory = slave.memory();
        let want = before.read_words(src, words as usize).unwrap();
        assert_eq!(memory.read_words(dst, words as usize).unwrap(), want, "{what}: destination");
        assert_eq!(memory.buffer("src"), before.buffer("src"), "{what}: source changed");
        let (dst_buf, dst_before) = (memory.buffer("dst").unwrap(), before.buffer("dst").unwrap());
        let start = (dst - dst_buf.base()) as usize;
        let end = start + 4 * words as usize;
        assert_eq!(dst_buf.bytes()[..start], dst_before.bytes()[..start], "{what}: bytes before dst");
        assert_eq!(dst_buf.bytes()[end..], dst_before.bytes()[end..], "{what}: bytes after dst");

        let stats = slave.stats();
        let (reads, writes) = (split(src, words, burst, true), split(dst, words, burst, true));
        assert_eq!(stats.read.lengths, histogram(&reads), "{what}: read burst lengths\n{stats}");
        assert_eq!(stats.write.lengths, histogram(&writes), "{what}: write burst lengths\n{stats}");
        assert_eq!((stats.read.bursts, stats.write.bursts), (reads.len() as u64, writes.len() as u64), "{what}");
        let all_4_bytes = BTreeMap::from([(4, reads.len() as u64)]);
        assert_eq!(stats.read.sizes, all_4_bytes, "{what}");
        for s in [&stats.read, &stats.write] {
            assert_eq!((s.beats, s.bytes, s.errors()), (u64::from(words), 4 * u64::from(words), 0), "{what}\n{stats}");
        }
        assert!(stats.read.peak_outstanding <= slave.config().max_reads, "{what}\n{stats}");
        assert!(stats.write.peak_outstanding <= slave.config().max_writes, "{what}\n{stats}");
        assert!(out.cycles >= u64::from(words), "{what}: {} cycles", out.cycles);
    }
}

#[test]
fn statistics_print_as_a_table() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let (mut clock, ports, kernel) = setup(&model);
    let mut memory = AxiMemory::new();
    let (src, dst) = buffers(&mut memory, 40, 0, 0, 0);
    let mut slave = AxiSlave::new(ports, memory, AxiSlaveConfig::default(), clock.counter());
    kernel.reset(&mut clock, &mut slave, false);
    kernel.run(&mut clock, &mut slave, &mut Idle, Job { src, dst, words: 40, burst: 16, bad_4k: false }, 5_000);
    let table = slave.stats().to_string();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert!(lines[0].starts_with("| m_axi gmem |"), "{table}");
    assert!(lines[2].starts_with("| read ") && lines[2].contains("8x1 16x2"), "{table}");
    assert!(lines[3].starts_with("| write") && lines[3].contains("| 160 "), "{table}");
}

#[test]
fn unmapped_destination_is_decerr_and_raises_the_kernel_error() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let (mut clock, ports, kernel) = setup(&model);
    let mut memory = AxiMemory::new();
    let (src, _) = buffers(&mut memory, 64, 0, 0, 0);
    let before = memory.clone();
    let mut slave = AxiSlave::new(ports, memory, AxiSlaveConfig::default(), clock.counter());
    kernel.reset(&mut clock, &mut slave, false);
    let dst = 0x7000_0000;
    let out = kernel.run(&mut clock, &mut slave, &mut Idle, Job { src, dst, words: 64, burst: 16, bad_4k: false }, 5_000);
    assert!(out.error, "the fixture latches BRESP != OKAY");
    let stats = slave.stats();
    assert_eq!((stats.write.decerr, stats.write.slverr, stats.write.okay), (4, 0, 0), "{stats}");
    assert_eq!((stats.read.okay, stats.read.errors()), (4, 0), "{stats}");
    assert_eq!(stats.protocol_errors, 0, "a decode error is a response, not a protocol error");
    slave.finish().unwrap();
    assert_eq!(slave.memory().buffers(), before.buffers(), "nothing written anywhere");
}

#[test]
fn bursts_running_past_a_buffer_end_are_slverr_and_never_written() {
    // Writes: dst holds 100 words, the copy writes 150 in bursts of 16. The burst at word
    // 96 starts inside and runs past the end (SLVERR); later ones start in the unmapped gap
    // after the buffer (DECERR).
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let (mut clock, ports, kernel) = setup(&model);
    let mut memory = AxiMemory::new();
    let src = memory.alloc("src", 600).unwrap();
    memory.write_words(src, &pattern(150, 7)).unwrap();
    let dst = memory.alloc("dst", 400).unwrap();
    memory.buffer_mut("dst").unwrap().bytes_mut().fill(0xee);
    let mut slave = AxiSlave::new(ports, memory, AxiSlaveConfig::default(), clock.counter());
    kernel.reset(&mut clock, &mut slave, false);
    let out = kernel.run(&mut clock, &mut slave, &mut Idle, Job { src, dst, words: 150, burst: 16, bad_4k: false }, 10_000);
    assert!(out.error);
    let stats = slave.stats().clone();
    assert_eq!((stats.write.okay, stats.write.slverr, stats.write.decerr), (6, 1, 3), "{stats}");
    let got = slave.memory().read_words(dst, 100).unwrap();
    assert_eq!(got[..96], pattern(150, 7)[..96], "the six OKAY bursts landed");
    assert_eq!(got[96..], [0xeeee_eeee; 4], "the SLVERR burst wrote nothing");

    // Reads: src holds 100 words, the copy reads 120. R beats of error bursts carry zeros.
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let (mut clock, ports, kernel) = setup(&model);
    let mut memory = AxiMemory::new();
    let src = memory.alloc("src", 400).unwrap();
    memory.write_words(src, &pattern(100, 9)).unwrap();
    let dst = memory.alloc("dst", 480).unwrap();
    let mut slave = AxiSlave::new(ports, memory, AxiSlaveConfig::default(), clock.counter());
    kernel.reset(&mut clock, &mut slave, false);
    let out = kernel.run(&mut clock, &mut slave, &mut Idle, Job { src, dst, words: 120, burst: 16, bad_4k: false }, 10_000);
    assert!(out.error);
    let stats = slave.stats();
    assert_eq!((stats.read.okay, stats.read.slverr, stats.read.decerr), (6, 1, 1), "{stats}");
    assert_eq!(stats.write.errors(), 0, "{stats}");
    let got = slave.memory().read_words(dst, 120).unwrap();
    assert_eq!(got[..96], pattern(100, 9)[..96]);
    assert!(got[96..].iter().all(|&w| w == 0), "error beats read as zeros: {:x?}", &got[96..]);
}

#[test]
fn a_burst_across_4_kib_is_a_typed_protocol_error_naming_the_address() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let (mut clock, ports, kernel) = setup(&model);
    let mut memory = AxiMemory::new();
    let (src, dst) = buffers(&mut memory, 16, 0xff0, 0, 0);
    let mut slave = AxiSlave::new(ports, memory, AxiSlaveConfig::default(), clock.counter());
    kernel.reset(&mut clock, &mut slave, false);
    let out = kernel.run(&mut clock, &mut slave, &mut Idle, Job { src, dst, words: 16, burst: 16, bad_4k: true }, 5_000);
    assert!(out.error, "the violating burst is answered SLVERR");
    let err = slave.check().unwrap_err();
    match &err {
        AxiError::Crosses4k { bundle, channel, addr, beats, size, boundary, cycle } => {
            assert_eq!((bundle.as_str(), *channel, *addr, *beats, *size), ("gmem", Channel::Ar, src, 16, 4));
            assert_eq!(*boundary, src + 0x10);
            assert!(*cycle > 2 && *cycle < clock.cycle(), "cycle {cycle}");
        }
        other => panic!("expected Crosses4k, got {other}"),
    }
    let text = err.to_string();
    assert!(text.contains(&format!("{src:#x}")) && text.contains("4 KiB") && text.contains("AR"), "{text}");
    assert_eq!(slave.stats().protocol_errors, 1);
    assert_eq!(slave.stats().read.slverr, 1);
    assert_eq!(slave.errors().len(), 1, "the destination burst does not cross: {:?}", slave.errors());

    // The same job split like HLS does is clean.
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let (mut clock, ports, kernel) = setup(&model);
    let mut memory = AxiMemory::new();
    let (src, dst) = buffers(&mut memory, 16, 0xff0, 0, 0);
    let mut slave = AxiSlave::new(ports, memory, AxiSlaveConfig::default(), clock.counter());
    kernel.reset(&mut clock, &mut slave, false);
    let out = kernel.run(&mut clock, &mut slave, &mut Idle, Job { src, dst, words: 16, burst: 16, bad_4k: false }, 5_000);
    assert!(!out.error);
    slave.finish().unwrap();
    assert_eq!(slave.stats().read.lengths, BTreeMap::from([(4, 1), (12, 1)]));
}

#[test]
fn max_outstanding_holds_address_ready_low() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let (mut clock, ports, kernel) = setup(&model);
    let mut memory = AxiMemory::new();
    let (src, dst) = buffers(&mut memory, 256, 0, 0, 0);
    let config = AxiSlaveConfig { read_latency: 40, write_latency: 40, max_reads: 2, max_writes: 2, ..Default::default() };
    let mut probe = OutstandingProbe {
        ports: ports.clone(),
        limit: 2,
        reads: 0,
        writes: 0,
        peak: (0, 0),
        held_full: (0, 0),
        violations: Vec::new(),
    };
    let mut slave = AxiSlave::new(ports, memory, config, clock.counter());
    kernel.reset(&mut clock, &mut slave, false);
    let out = kernel.run(&mut clock, &mut slave, &mut probe, Job { src, dst, words: 256, burst: 16, bad_4k: false }, 20_000);
    assert!(!out.error);
    slave.finish().unwrap();
    assert!(probe.violations.is_empty(), "{:?}", probe.violations);
    assert_eq!(probe.peak, (2, 2), "the fixture keeps up to 8 bursts in flight: the limit binds");
    assert!(probe.held_full.0 > 0 && probe.held_full.1 > 0, "ARVALID/AWVALID seen waiting: {:?}", probe.held_full);
    let stats = slave.stats();
    assert_eq!((stats.read.peak_outstanding, stats.write.peak_outstanding), (2, 2));
    assert_eq!((stats.read.full_stalls, stats.write.full_stalls), probe.held_full, "{stats}");
    assert_eq!(slave.memory().read_words(dst, 256).unwrap(), slave.memory().read_words(src, 256).unwrap());
}

// ---- direct mode: the test plays the master ------------------------------------------------

/// An AW or AR request: address, beats, bytes per beat, AxBURST code.
#[derive(Debug, Clone, Copy)]
struct Addr {
    addr: u64,
    beats: u32,
    size: u32,
    burst: u64,
}

impl Addr {
    fn incr(addr: u64, beats: u32) -> Self {
        Addr { addr, beats, size: 4, burst: 1 }
    }
}

/// A W beat: data, strobe, WLAST.
type WBeat = (u32, u8, bool);

/// A master driving the fixture's `tb_*` inputs from queues, one channel independent of the
/// others; RREADY and BREADY always high. Records every R beat and B response.
struct Script<'m> {
    ports: AxiPorts<'m>,
    tb: [Signal<'m>; 16],
    aw: VecDeque<Addr>,
    w: VecDeque<WBeat>,
    ar: VecDeque<Addr>,
    /// (RDATA, RRESP, RLAST)
    r: Vec<(u32, u8, bool)>,
    b: Vec<u8>,
}

const TB: [&str; 16] = [
    "tb_awvalid", "tb_awaddr", "tb_awlen", "tb_awsize", "tb_awburst", "tb_wvalid", "tb_wdata", "tb_wstrb", "tb_wlast",
    "tb_bready", "tb_arvalid", "tb_araddr", "tb_arlen", "tb_arsize", "tb_arburst", "tb_rready",
];

impl<'m> Script<'m> {
    fn new(model: &'m Model, ports: AxiPorts<'m>) -> Self {
        let tb = TB.map(|name| input(model, name));
        Script { ports, tb, aw: VecDeque::new(), w: VecDeque::new(), ar: VecDeque::new(), r: Vec::new(), b: Vec::new() }
    }

    fn is_idle(&self) -> bool {
        self.aw.is_empty() && self.w.is_empty() && self.ar.is_empty()
    }

    fn drive_addr(signals: &[Signal<'_>], request: Option<&Addr>) {
        signals[0].set(u64::from(request.is_some()));
        if let Some(a) = request {
            signals[1].set(a.addr);
            signals[2].set(u64::from(a.beats - 1));
            signals[3].set(u64::from(a.size.trailing_zeros()));
            signals[4].set(a.burst);
        }
    }
}

impl Agent for Script<'_> {
    fn drive(&mut self) {
        Self::drive_addr(&self.tb[0..5], self.aw.front());
        Self::drive_addr(&self.tb[10..15], self.ar.front());
        self.tb[5].set(u64::from(!self.w.is_empty()));
        if let Some(&(data, strb, last)) = self.w.front() {
            self.tb[6].set(u64::from(data));
            self.tb[7].set(u64::from(strb));
            self.tb[8].set(u64::from(last));
        }
        self.tb[9].set(1);
        self.tb[15].set(1);
    }

    fn sample(&mut self) -> bool {
        let p = &self.ports;
        let mut progress = false;
        if p.aw.valid.is_high() && p.aw.ready.is_high() {
            self.aw.pop_front();
            progress = true;
        }
        if p.w.valid.is_high() && p.w.ready.is_high() {
            self.w.pop_front();
            progress = true;
        }
        if p.ar.valid.is_high() && p.ar.ready.is_high() {
            self.ar.pop_front();
            progress = true;
        }
        if p.r.valid.is_high() && p.r.ready.is_high() {
            self.r.push((p.r.data.get() as u32, p.r.resp.get() as u8, p.r.last.is_high()));
            progress = true;
        }
        if p.b.valid.is_high() && p.b.ready.is_high() {
            self.b.push(p.b.resp.get() as u8);
            progress = true;
        }
        progress
    }
}

/// Steps until the script has sent everything and the slave has answered it all.
fn play(clock: &mut Clock<'_>, slave: &mut AxiSlave<'_>, script: &mut Script<'_>, max_cycles: u64) {
    for _ in 0..max_cycles {
        clock.step(&mut [slave, script]);
        if script.is_idle() && slave.is_idle() && !slave.ports().r.valid.is_high() && !slave.ports().b.valid.is_high() {
            return;
        }
    }
    panic!("script unfinished after {max_cycles} cycles: {}; {:?}", slave.state(), slave.finish());
}

/// A slave in direct mode over one 64-byte buffer `buf` of bytes 0, 1, 2...
fn direct_setup(model: &Model, config: AxiSlaveConfig) -> (Clock<'_>, AxiSlave<'_>, Script<'_>, u64) {
    let (mut clock, ports, kernel) = setup(model);
    let mut memory = AxiMemory::new();
    let base = memory.alloc("buf", 64).unwrap();
    memory.buffer_mut("buf").unwrap().bytes_mut().iter_mut().enumerate().for_each(|(i, b)| *b = i as u8);
    let script = Script::new(model, ports.clone());
    let mut slave = AxiSlave::new(ports, memory, config, clock.counter());
    kernel.reset(&mut clock, &mut slave, true);
    (clock, slave, script, base)
}

#[test]
fn wstrb_masks_partial_writes() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let (mut clock, mut slave, mut script, base) = direct_setup(&model, AxiSlaveConfig::default());
    script.aw.extend([Addr::incr(base, 3), Addr::incr(base + 16, 1)]);
    script.w.extend([
        (0xaaaa_aaaa, 0b0101, false),
        (0xbbbb_bbbb, 0b0000, false),
        (0xcccc_cccc, 0b1000, true),
        (0xdddd_dddd, 0b0110, true),
    ]);
    play(&mut clock, &mut slave, &mut script, 500);
    slave.finish().unwrap();
    assert_eq!(script.b, [0, 0]);
    let bytes = slave.memory().buffer("buf").unwrap().bytes();
    assert_eq!(bytes[0..12], [0xaa, 1, 0xaa, 3, 4, 5, 6, 7, 8, 9, 10, 0xcc]);
    assert_eq!(bytes[16..20], [16, 0xdd, 0xdd, 19]);
    assert_eq!(slave.stats().write.bytes, 5, "bytes count strobed lanes: 2 + 0 + 1 + 2");

    // Reading back goes through R with RLAST on the last beat only.
    script.ar.push_back(Addr::incr(base, 3));
    play(&mut clock, &mut slave, &mut script, 500);
    let want = [(0x03aa_01aa, 0, false), (0x0706_0504, 0, false), (0xcc0a_0908, 0, true)];
    assert_eq!(script.r, want);
}

#[test]
fn narrow_unaligned_fixed_and_wrap_bursts() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let (mut clock, mut slave, mut script, base) =
        direct_setup(&model, AxiSlaveConfig { read_latency: 3, ..Default::default() });
    // A narrow write: 3 bytes from base + 33, one per beat, in lanes 1, 2, 3.
    script.aw.push_back(Addr { addr: base + 33, beats: 3, size: 1, burst: 1 });
    script.w.extend([(0x0000_1100, 0b0010, false), (0x0022_0000, 0b0100, false), (0x3300_0000, 0b1000, true)]);
    // WRAP: 4 beats of 4 bytes from base + 8 wrap at 16 bytes: 8, 12, 0, 4.
    script.ar.push_back(Addr { addr: base + 8, beats: 4, size: 4, burst: 2 });
    // FIXED: 3 beats at base + 4.
    script.ar.push_back(Addr { addr: base + 4, beats: 3, size: 4, burst: 0 });
    // INCR from an unaligned start: the first beat uses lanes 2..4 only.
    script.ar.push_back(Addr::incr(base + 2, 2));
    play(&mut clock, &mut slave, &mut script, 500);
    slave.finish().unwrap();
    assert_eq!(slave.memory().buffer("buf").unwrap().bytes()[32..36], [32, 0x11, 0x22, 0x33]);
    let data: Vec<u32> = script.r.iter().map(|r| r.0).collect();
    let word = |i: u32| u32::from_le_bytes([4 * i as u8, 4 * i as u8 + 1, 4 * i as u8 + 2, 4 * i as u8 + 3]);
    assert_eq!(data[..4], [word(2), word(3), word(0), word(1)], "WRAP order");
    assert_eq!(data[4..7], [word(1); 3], "FIXED repeats");
    assert_eq!(data[7..], [word(0) & 0xffff_0000, word(1)], "unaligned first beat");
    let lasts: Vec<usize> = script.r.iter().enumerate().filter(|(_, r)| r.2).map(|(i, _)| i).collect();
    assert_eq!(lasts, [3, 6, 8]);
    assert_eq!(slave.stats().read.lengths, BTreeMap::from([(2, 1), (3, 1), (4, 1)]));
    assert_eq!(slave.stats().write.sizes, BTreeMap::from([(1, 1)]));
}

#[test]
fn wlast_on_the_wrong_beat_is_reported_and_answered_slverr() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let (mut clock, mut slave, mut script, base) = direct_setup(&model, AxiSlaveConfig::default());
    // Early WLAST on beat 1 of 3, then a burst whose last beat lacks WLAST.
    script.aw.extend([Addr::incr(base, 3), Addr::incr(base + 32, 2)]);
    script.w.extend([(1, 0xf, false), (2, 0xf, true), (3, 0xf, true), (4, 0xf, false), (5, 0xf, false)]);
    play(&mut clock, &mut slave, &mut script, 500);
    assert_eq!(script.b, [2, 2], "both bursts SLVERR");
    let errors = slave.errors().to_vec();
    assert_eq!(errors.len(), 2, "{errors:?}");
    match &errors[0] {
        AxiError::WlastMismatch { bundle, addr, beat, beats, wlast, .. } => {
            assert_eq!((bundle.as_str(), *addr, *beat, *beats, *wlast), ("gmem", base, 1, 3, true));
        }
        other => panic!("{other}"),
    }
    assert!(matches!(errors[1], AxiError::WlastMismatch { beat: 1, beats: 2, wlast: false, .. }), "{}", errors[1]);
    assert!(errors[0].to_string().contains(&format!("{base:#x}")), "{}", errors[0]);
    let bytes = slave.memory().buffer("buf").unwrap().bytes();
    assert_eq!(bytes[0..4], [1, 0, 0, 0], "beat 0 landed before the error");
    assert_eq!(bytes[4..12], [4, 5, 6, 7, 8, 9, 10, 11], "the rest of the burst was dropped");
    assert_eq!(bytes[32..36], [4, 0, 0, 0]);
    assert_eq!(slave.stats().write.slverr, 2);
}

#[test]
fn w_without_an_address_is_reported_at_finish() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let (mut clock, mut slave, mut script, _) = direct_setup(&model, AxiSlaveConfig::default());
    script.w.push_back((0x1234_5678, 0xf, true));
    for _ in 0..20 {
        clock.step(&mut [&mut slave, &mut script]);
    }
    assert_eq!(script.w.len(), 1, "WREADY stays low without an AW");
    slave.check().unwrap();
    match slave.finish().unwrap_err() {
        AxiError::WriteWithoutAddress { bundle, since, cycle } => {
            assert_eq!(bundle, "gmem");
            assert!(since < cycle, "{since} {cycle}");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn illegal_bursts_and_unstable_addresses_are_typed_errors() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let (mut clock, mut slave, mut script, base) = direct_setup(&model, AxiSlaveConfig::default());
    script.ar.extend([
        Addr { addr: base, beats: 2, size: 4, burst: 3 },
        Addr { addr: base, beats: 3, size: 4, burst: 2 },
        Addr { addr: base, beats: 1, size: 8, burst: 1 },
    ]);
    play(&mut clock, &mut slave, &mut script, 500);
    let resps: Vec<u8> = script.r.iter().map(|r| r.1).collect();
    assert_eq!(resps, [2, 2, 2, 2, 2, 2], "every beat of a rejected burst is SLVERR");
    let details: Vec<String> = slave.errors().iter().map(|e| e.to_string()).collect();
    assert!(details[0].contains("reserved AxBURST"), "{details:?}");
    assert!(details[1].contains("WRAP burst of 3 beats"), "{details:?}");
    assert!(details[2].contains("wider than the 4-byte data bus"), "{details:?}");

    // ARVALID withdrawn before ARREADY: the slave withholds ARREADY for a while.
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let config = AxiSlaveConfig { ar_pause: Pause::pattern(vec![true; 8]), ..Default::default() };
    let (mut clock, mut slave, mut script, base) = direct_setup(&model, config);
    script.ar.push_back(Addr::incr(base + 4, 1));
    clock.step(&mut [&mut slave, &mut script]);
    script.ar.clear();
    clock.step(&mut [&mut slave, &mut script]);
    match slave.check().unwrap_err() {
        AxiError::Unstable { channel, addr, .. } => assert_eq!((channel, addr), (Channel::Ar, base + 4)),
        other => panic!("{other}"),
    }
}
