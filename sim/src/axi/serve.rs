//! The slave's per-channel work: accepting addresses, offering R beats and B responses,
//! taking W beats.

use super::lanes::{lane_mask, read_data, read_strobe, write_data};
use super::slave::{Accepted, Access};
use super::{AxiError, AxiResp, AxiSlave, Channel};

impl AxiSlave<'_> {
    /// AR (`write` false) or AW at this edge: checks the payload held while stalled, counts
    /// full stalls, accepts on a handshake. True on a handshake.
    pub(super) fn observe_address(&mut self, write: bool, now: u64, full: bool) -> bool {
        let p = if write { self.ports.aw } else { self.ports.ar };
        let channel = if write { Channel::Aw } else { Channel::Ar };
        let valid = p.valid.is_high();
        if let Some((addr, len)) = self.held[usize::from(write)].take() {
            if !valid || p.addr.get() != addr || p.len.get() != len {
                let bundle = self.ports.bundle.clone();
                self.record(AxiError::Unstable { bundle, channel, addr, cycle: now });
            }
        }
        if !valid {
            return false;
        }
        if !p.ready.is_high() {
            self.held[usize::from(write)] = Some((p.addr.get(), p.len.get()));
            if full {
                let stats = if write { &mut self.stats.write } else { &mut self.stats.read };
                stats.full_stalls += 1;
            }
            return false;
        }
        self.accept(write, now);
        true
    }

    fn accept(&mut self, write: bool, now: u64) {
        let (burst, kind) = self.address_payload(write);
        let channel = if write { Channel::Aw } else { Channel::Ar };
        let bundle = self.ports.bundle.clone();
        let (addr, cycle) = (burst.addr, now);
        let rejected = |slave: &mut Self, error| {
            slave.record(error);
            (AxiResp::SlvErr, None)
        };
        let (resp, buffer) = if kind.is_none() {
            let detail = "reserved AxBURST 3".to_owned();
            rejected(self, AxiError::BadBurst { bundle, channel, addr, detail, cycle })
        } else if let Err(detail) = burst.validate(self.bus_bytes) {
            rejected(self, AxiError::BadBurst { bundle, channel, addr, detail, cycle })
        } else if let Some(boundary) = burst.crossed_page() {
            let (beats, size) = (burst.beats, burst.size);
            rejected(self, AxiError::Crosses4k { bundle, channel, addr, beats, size, boundary, cycle })
        } else {
            match burst.footprint() {
                Some((first, last)) => self.memory.decode(first, last),
                None => (AxiResp::DecErr, None),
            }
        };
        let ready_at = now + u64::from(self.config.read_latency);
        let accepted = Accepted { burst, resp, buffer, beat: 0, cycle: now, ready_at };
        if write {
            self.writes.push_back(accepted);
            let outstanding = self.outstanding_writes();
            self.stats.write.record_burst(burst.beats, burst.size, outstanding);
        } else {
            self.reads.push_back(accepted);
            self.stats.read.record_burst(burst.beats, burst.size, self.reads.len());
        }
    }

    /// Puts the front read burst's next beat on R.
    pub(super) fn offer_r(&mut self) {
        let Some(front) = self.reads.front() else { return };
        let (burst, beat) = (front.burst, front.beat);
        let lanes = burst.lanes(beat, self.bus_bytes);
        self.lane_bytes.fill(0);
        if let (AxiResp::Okay, Some(index)) = (front.resp, front.buffer) {
            if let Some(bytes) = self.memory.slice(index, burst.beat_addr(beat), lanes.len()) {
                self.lane_bytes[lanes].copy_from_slice(bytes);
            }
        }
        let r = self.ports.r;
        write_data(&r.data, &mut self.words, &self.lane_bytes);
        r.resp.set(u64::from(front.resp.code()));
        r.last.set(beat + 1 == burst.beats);
        if let Some(id) = r.id {
            id.set(burst.id);
        }
        self.r_offering = true;
    }

    /// The offered R beat was taken.
    pub(super) fn take_r(&mut self) {
        self.r_offering = false;
        let Some(front) = self.reads.front_mut() else { return };
        self.stats.read.beats += 1;
        let lanes = front.burst.lanes(front.beat, self.bus_bytes).len();
        self.stats.read.bytes += lanes as u64;
        if let (Some(log), AxiResp::Okay) = (&mut self.accesses, front.resp) {
            log.push(Access { write: false, addr: front.burst.beat_addr(front.beat), len: lanes });
        }
        front.beat += 1;
        if front.beat >= front.burst.beats {
            if let Some(done) = self.reads.pop_front() {
                self.stats.read.record_response(done.resp);
            }
        }
    }

    /// Puts the oldest write response on B.
    pub(super) fn offer_b(&mut self) {
        let Some(front) = self.responses.front() else { return };
        self.ports.b.resp.set(u64::from(front.resp.code()));
        if let Some(id) = self.ports.b.id {
            id.set(front.burst.id);
        }
        self.b_offering = true;
    }

    /// The offered B response was taken.
    pub(super) fn take_b(&mut self) {
        self.b_offering = false;
        if let Some(done) = self.responses.pop_front() {
            self.stats.write.record_response(done.resp);
        }
    }

    /// A W beat at this edge: goes to the oldest write burst still wanting data.
    pub(super) fn take_w(&mut self, now: u64) {
        let w = self.ports.w;
        let wlast = w.last.is_high();
        let strobe = read_strobe(&w.strb, &mut self.words);
        let Some(front) = self.writes.front_mut() else { return };
        let (burst, beat) = (front.burst, front.beat);
        let addr = burst.beat_addr(beat);
        let lanes = burst.lanes(beat, self.bus_bytes);
        let allowed = lane_mask(lanes.clone());
        let last = beat + 1 == burst.beats;
        front.beat += 1;
        let bundle = || self.ports.bundle.clone();
        let error = if wlast != last {
            let beats = burst.beats;
            Some(AxiError::WlastMismatch { bundle: bundle(), addr: burst.addr, beat, beats, wlast, cycle: now })
        } else if strobe & !allowed != 0 {
            let lanes = lanes.clone();
            Some(AxiError::StrobeOutsideLanes { bundle: bundle(), addr, beat, strobe, lanes, cycle: now })
        } else {
            None
        };
        self.stats.write.beats += 1;
        self.stats.write.bytes += u64::from((strobe & allowed).count_ones());
        if error.is_some() {
            if front.resp == AxiResp::Okay {
                front.resp = AxiResp::SlvErr;
            }
            front.buffer = None;
        } else if let (AxiResp::Okay, Some(index)) = (front.resp, front.buffer) {
            read_data(&w.data, &mut self.words, &mut self.lane_bytes);
            if let Some(log) = &mut self.accesses {
                log.push(Access { write: true, addr, len: lanes.len() });
            }
            if let Some(bytes) = self.memory.slice_mut(index, addr, lanes.len()) {
                for (byte, lane) in bytes.iter_mut().zip(lanes) {
                    if strobe >> lane & 1 == 1 {
                        *byte = self.lane_bytes[lane];
                    }
                }
            }
        }
        if last {
            if let Some(mut done) = self.writes.pop_front() {
                done.ready_at = now + u64::from(self.config.write_latency);
                self.responses.push_back(done);
            }
        }
        if let Some(error) = error {
            self.record(error);
        }
    }
}
