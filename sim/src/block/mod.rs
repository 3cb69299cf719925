//! HLS block-level control on bare ports and scalars on their own ports, one type per role
//! as in [`crate::axis`]: [`BlockMaster`] runs a call's transactions through `ap_start`,
//! `ap_ready`, `ap_done` (and `ap_continue`); [`ScalarSource`] drives an input argument
//! (`ap_none`, `ap_vld`, `ap_ack`, `ap_hs`, the `_i` half of `ap_ovld`), one value per
//! transaction; [`ScalarSink`] collects an output argument (`ap_none`, `ap_vld`, `ap_ack`,
//! `ap_hs`, the `_o` half of `ap_ovld`), one value per transaction.

mod master;
mod scalar;

pub use master::{BlockEvent, BlockMaster, BlockPorts};
pub use scalar::{ScalarSink, ScalarSource};
