//! A cycle-level AXI4-Lite master executing a queue of single-beat reads and writes.

use std::collections::VecDeque;

use super::AxilPorts;
use crate::Agent;

/// The outcome of one transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AxilResponse {
    /// Byte address.
    pub addr: u64,
    /// Data read (for writes: the data written).
    pub data: u32,
    /// BRESP or RRESP (0 OKAY).
    pub resp: u8,
    /// True for a write.
    pub write: bool,
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Write { addr: u64, data: u32 },
    Read { addr: u64 },
}

#[derive(Debug, Clone, Copy)]
enum State {
    Idle,
    /// AW and W offered together; each drops after its own handshake.
    Write { addr: u64, data: u32, aw_done: bool, w_done: bool },
    WriteResponse { addr: u64, data: u32 },
    ReadAddress { addr: u64 },
    ReadData { addr: u64 },
}

/// Drives AW/W/AR VALID, addresses, data, WSTRB (all four bytes), BREADY and RREADY.
/// Transactions run one at a time, in the order queued.
#[derive(Debug)]
pub struct AxilMaster<'m> {
    ports: AxilPorts<'m>,
    queue: VecDeque<Op>,
    state: State,
    responses: VecDeque<AxilResponse>,
    /// All VALID/READY outputs are low: an idle master has nothing to drive.
    quiet: bool,
}

impl<'m> AxilMaster<'m> {
    /// An idle master on `ports`.
    pub fn new(ports: AxilPorts<'m>) -> Self {
        for s in [ports.awvalid, ports.wvalid, ports.arvalid, ports.bready, ports.rready] {
            s.set(false);
        }
        AxilMaster { ports, queue: VecDeque::new(), state: State::Idle, responses: VecDeque::new(), quiet: true }
    }

    /// Queues a 32-bit write.
    pub fn write(&mut self, addr: u64, data: u32) {
        self.queue.push_back(Op::Write { addr, data });
    }

    /// Queues a 32-bit read.
    pub fn read(&mut self, addr: u64) {
        self.queue.push_back(Op::Read { addr });
    }

    /// True when nothing is queued or in flight and every VALID/READY it drives is low: its
    /// `drive` and `sample` do nothing until the next request.
    pub fn is_quiet(&self) -> bool {
        self.quiet && self.is_idle()
    }

    /// True when nothing is queued or in flight.
    pub fn is_idle(&self) -> bool {
        self.queue.is_empty() && matches!(self.state, State::Idle)
    }

    /// The oldest completed transaction, if any.
    pub fn pop_response(&mut self) -> Option<AxilResponse> {
        self.responses.pop_front()
    }

    /// Which channel is waiting, for hang reports.
    pub fn state(&self) -> String {
        let p = &self.ports;
        format!(
            "s_axi: AWVALID={} AWREADY={} WVALID={} WREADY={} BVALID={} ARVALID={} ARREADY={} RVALID={}",
            p.awvalid.get(),
            p.awready.get(),
            p.wvalid.get(),
            p.wready.get(),
            p.bvalid.get(),
            p.arvalid.get(),
            p.arready.get(),
            p.rvalid.get()
        )
    }
}

impl AxilMaster<'_> {
    #[inline(never)]
    fn drive_busy(&mut self) {
        if let State::Idle = self.state {
            self.state = match self.queue.pop_front() {
                Some(Op::Write { addr, data }) => State::Write { addr, data, aw_done: false, w_done: false },
                Some(Op::Read { addr }) => State::ReadAddress { addr },
                None => State::Idle,
            };
        }
        let p = &self.ports;
        let (mut awvalid, mut wvalid, mut bready, mut arvalid, mut rready) = (false, false, false, false, false);
        match self.state {
            State::Idle => {}
            State::Write { addr, data, aw_done, w_done } => {
                awvalid = !aw_done;
                wvalid = !w_done;
                p.awaddr.set(addr);
                p.wdata.set(u64::from(data));
                p.wstrb.set(0xf);
            }
            State::WriteResponse { .. } => bready = true,
            State::ReadAddress { addr } => {
                arvalid = true;
                p.araddr.set(addr);
            }
            State::ReadData { .. } => rready = true,
        }
        p.awvalid.set(awvalid);
        p.wvalid.set(wvalid);
        p.bready.set(bready);
        p.arvalid.set(arvalid);
        p.rready.set(rready);
        self.quiet = !(awvalid || wvalid || bready || arvalid || rready);
    }

    #[inline(never)]
    fn sample_busy(&mut self) -> bool {
        let p = &self.ports;
        let fire = |valid: &crate::verilated::Bit<'_>, ready: &crate::verilated::Bit<'_>| {
            valid.is_high() && ready.is_high()
        };
        let (next, progress) = match self.state {
            State::Idle => (State::Idle, false),
            State::Write { addr, data, aw_done, w_done } => {
                let aw = aw_done || fire(&p.awvalid, &p.awready);
                let w = w_done || fire(&p.wvalid, &p.wready);
                let moved = aw != aw_done || w != w_done;
                if aw && w {
                    (State::WriteResponse { addr, data }, moved)
                } else {
                    (State::Write { addr, data, aw_done: aw, w_done: w }, moved)
                }
            }
            State::WriteResponse { addr, data } => {
                if fire(&p.bvalid, &p.bready) {
                    self.responses.push_back(AxilResponse { addr, data, resp: p.bresp.get() as u8, write: true });
                    (State::Idle, true)
                } else {
                    (self.state, false)
                }
            }
            State::ReadAddress { addr } => {
                if fire(&p.arvalid, &p.arready) {
                    (State::ReadData { addr }, true)
                } else {
                    (self.state, false)
                }
            }
            State::ReadData { addr } => {
                if fire(&p.rvalid, &p.rready) {
                    let data = p.rdata.get() as u32;
                    self.responses.push_back(AxilResponse { addr, data, resp: p.rresp.get() as u8, write: false });
                    (State::Idle, true)
                } else {
                    (self.state, false)
                }
            }
        };
        self.state = next;
        progress
    }
}

impl Agent for AxilMaster<'_> {
    /// Inlined fast path: an idle master with its outputs low drives nothing.
    #[inline(always)]
    fn drive(&mut self) {
        if !(self.quiet && self.queue.is_empty() && matches!(self.state, State::Idle)) {
            self.drive_busy();
        }
    }

    #[inline(always)]
    fn sample(&mut self) -> bool {
        !matches!(self.state, State::Idle) && self.sample_busy()
    }
}
