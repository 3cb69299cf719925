//! Simulation side of codesign: Verilator 5 models at run time ([`verilated`]), the clock that
//! steps them ([`Clock`]), and the bus models that drive their ports ([`axis`], [`axil`], [`block`],
//! [`apmem`]).
//!
//! Every bus model is an [`Agent`]: once per cycle it drives the inputs it owns, then samples
//! the settled signals before the rising edge. This crate knows nothing of the runtime.

pub mod apmem;
pub mod axi;
pub mod axil;
pub mod axis;
pub mod block;
mod clock;
pub mod pause;
pub mod verilated;

pub use clock::{rise_each, settle_each, Agent, Clock, CycleCounter, Edges};
