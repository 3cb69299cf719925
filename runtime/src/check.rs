//! `codesign check`: a kernel folder's manifest against the port list Verilator reads from its
//! RTL. Every disagreement is its own problem, named by port: a missing or misnamed port, a
//! wrong direction, a TDATA width that does not fit the manifest's element type and lanes, an
//! argument outside the control bundle's address range. Argument offset clashes are manifest
//! errors caught before Verilator runs.

use std::path::{Path, PathBuf};

use codesign_hw::manifest::{StreamDirection, StreamProtocol, FP_UNITS};
use codesign_hw::Manifest;
use codesign_verilate::{Builder, Direction, FpUnits, ModelSpec, Port, Verilator};

use crate::Error;

/// What `check` found: the manifest and every problem with it.
#[derive(Debug)]
pub struct CheckReport {
    /// The manifest, parsed and validated.
    pub manifest: Manifest,
    /// Ports Verilator read from the RTL.
    pub ports: Vec<Port>,
    /// One line per disagreement (empty: the kernel is consistent).
    pub problems: Vec<String>,
}

/// Checks the kernels in `dir` (one, or one per parameter set; only `name` when given);
/// `scratch` receives Verilator's output.
pub fn check_kernel_dir(dir: &Path, name: Option<&str>, scratch: &Path) -> Result<Vec<CheckReport>, Error> {
    let manifests = Manifest::load_all(&dir.join("kernel.yaml"))?;
    let folder_error = |e: codesign_verilate::BuildError| Error::KernelDir { dir: dir.to_owned(), message: e.to_string() };
    let verilator = Verilator::detect().map_err(folder_error)?;
    let builder = Builder::new(verilator, PathBuf::from(scratch));
    let mut reports = Vec::new();
    for manifest in manifests.into_iter().filter(|m| name.is_none_or(|n| m.name == n)) {
        let spec = model_spec(dir, &manifest).map_err(folder_error)?;
        let ports = builder.ports(&spec, &scratch.join(&manifest.name)).map_err(folder_error)?;
        let problems = problems(&manifest, &ports);
        reports.push(CheckReport { manifest, ports, problems });
    }
    Ok(reports)
}

/// What Verilator builds for the kernel in `dir`: its top, RTL (globs expanded), include
/// folders, extra arguments and parameters, Floating-Point Operator IP mapped to the
/// library's units. Fails on a glob that matches nothing.
pub(crate) fn model_spec(dir: &Path, manifest: &Manifest) -> Result<ModelSpec, codesign_verilate::BuildError> {
    let mut spec = spec_for(dir, &manifest.top, &manifest.rtl, &manifest.include_dirs, &manifest.verilator_args)?
        .with_parameters(&manifest.parameters);
    // The `bench:` C++ testbench is compiled beside the model, as the build script does.
    spec.testbench = manifest.bench.iter().flat_map(|b| b.testbench.iter().map(|f| dir.join(f))).collect();
    Ok(spec)
}

/// [`model_spec`] from the manifest's file keys (also what `init` verilates before a manifest
/// exists).
pub(crate) fn spec_for(
    dir: &Path,
    top: &str,
    rtl: &[PathBuf],
    include_dirs: &[PathBuf],
    verilator_args: &[String],
) -> Result<ModelSpec, codesign_verilate::BuildError> {
    let sources = codesign_verilate::expand_rtl(dir, rtl)?;
    let unit = |(file, module, latency): (&str, &str, u32)| (codesign_hw::hw_dir().join(file), module.to_owned(), latency);
    let mut spec = ModelSpec::new(top, sources);
    spec.include_dirs = include_dirs.iter().map(|d| dir.join(d)).collect();
    spec.verilator_args = verilator_args.to_vec();
    spec.fp_units = Some(FpUnits { mul: unit(FP_UNITS[0]), addsub: unit(FP_UNITS[1]) });
    Ok(spec)
}

/// The problems found in `dir` as one error (exit code 2), a line each.
pub fn problems_error(dir: &Path, manifest: &Manifest, problems: &[String]) -> Error {
    Error::Input {
        kernel: manifest.name.clone(),
        message: format!(
            "{} problem(s) between {} and the RTL:\n  {}",
            problems.len(),
            dir.join("kernel.yaml").display(),
            problems.join("\n  ")
        ),
    }
}

/// Signal suffixes of AXI4-Stream and AXI4-Lite ports.
const KNOWN_SUFFIXES: &[&str] = &[
    "TDATA", "TVALID", "TREADY", "TKEEP", "TSTRB", "TLAST", "TUSER", "TID", "TDEST", "AWVALID", "AWREADY", "AWADDR",
    "WVALID", "WREADY", "WDATA", "WSTRB", "BVALID", "BREADY", "BRESP", "ARVALID", "ARREADY", "ARADDR", "RVALID",
    "RREADY", "RDATA", "RRESP", "AWID", "AWLEN", "AWSIZE", "AWBURST", "AWLOCK", "AWCACHE", "AWPROT", "AWQOS", "AWREGION",
    "AWUSER", "WLAST", "WID", "WUSER", "ARID", "ARLEN", "ARSIZE", "ARBURST", "ARLOCK", "ARCACHE", "ARPROT", "ARQOS",
    "ARREGION", "ARUSER", "RLAST", "RID", "RUSER", "BID", "BUSER",
];

/// The m_axi signals of one bundle (hls-rtl-contract.md): name, kernel output?, width
/// (`None`: any; `Some(0)`: the data width; `Some(1)` with a `/8` marker below: the strobe).
const M_AXI_SIGNALS: &[(&str, bool, Option<u32>)] = &[
    ("AWVALID", true, Some(1)),
    ("AWREADY", false, Some(1)),
    ("AWADDR", true, Some(64)),
    ("AWID", true, None),
    ("AWLEN", true, Some(8)),
    ("AWSIZE", true, Some(3)),
    ("AWBURST", true, Some(2)),
    ("AWLOCK", true, Some(2)),
    ("AWCACHE", true, Some(4)),
    ("AWPROT", true, Some(3)),
    ("AWQOS", true, Some(4)),
    ("AWREGION", true, Some(4)),
    ("AWUSER", true, None),
    ("WVALID", true, Some(1)),
    ("WREADY", false, Some(1)),
    ("WDATA", true, Some(0)),
    ("WSTRB", true, Some(u32::MAX)),
    ("WLAST", true, Some(1)),
    ("WID", true, None),
    ("WUSER", true, None),
    ("ARVALID", true, Some(1)),
    ("ARREADY", false, Some(1)),
    ("ARADDR", true, Some(64)),
    ("ARID", true, None),
    ("ARLEN", true, Some(8)),
    ("ARSIZE", true, Some(3)),
    ("ARBURST", true, Some(2)),
    ("ARLOCK", true, Some(2)),
    ("ARCACHE", true, Some(4)),
    ("ARPROT", true, Some(3)),
    ("ARQOS", true, Some(4)),
    ("ARREGION", true, Some(4)),
    ("ARUSER", true, None),
    ("RVALID", false, Some(1)),
    ("RREADY", true, Some(1)),
    ("RDATA", false, Some(0)),
    ("RLAST", false, Some(1)),
    ("RID", false, None),
    ("RUSER", false, None),
    ("RRESP", false, Some(2)),
    ("BVALID", false, Some(1)),
    ("BREADY", true, Some(1)),
    ("BRESP", false, Some(2)),
    ("BID", false, None),
    ("BUSER", false, None),
];

/// The ports of bare block control (`ap_start`, `ap_done`, `ap_idle`, `ap_ready`,
/// `ap_continue`) and of bare scalar arguments (`<rtl>`, `_ap_vld`, `_ap_ack`, `_i`/`_o`/
/// `_o_ap_vld`): name, direction, width, why.
fn bare_ports(m: &Manifest) -> Vec<(String, Direction, u32, String)> {
    use codesign_hw::manifest::{ArgDirection, BlockProtocol, ScalarProtocol};
    let mut ports = Vec::new();
    if m.bare_control() {
        let why = format!("{} on bare ports (no control.bundle)", m.control.protocol.as_str());
        ports.push(("ap_start".to_owned(), Direction::Input, 1, why.clone()));
        for out in ["ap_done", "ap_idle", "ap_ready"] {
            ports.push((out.to_owned(), Direction::Output, 1, why.clone()));
        }
        if m.control.protocol == BlockProtocol::ApCtrlChain {
            ports.push(("ap_continue".to_owned(), Direction::Input, 1, why));
        }
    }
    for a in m.args.iter().filter(|a| a.register().is_none()) {
        let p = a.protocol();
        let why = format!("arg `{}`: {}, {} bit(s)", a.name, p.as_str(), a.width);
        let rtl = a.rtl();
        let (input, output) = match a.direction {
            ArgDirection::In => (Some(rtl.to_owned()), None),
            ArgDirection::Out => (None, Some(rtl.to_owned())),
            ArgDirection::Inout => (Some(format!("{rtl}_i")), Some(format!("{rtl}_o"))),
        };
        // `_ap_vld` travels with the data; `_ap_ack` comes back from its receiver.
        let handshake = |port: &str, ours: Direction, theirs: Direction, ports: &mut Vec<_>| {
            if matches!(p, ScalarProtocol::ApVld | ScalarProtocol::ApHs | ScalarProtocol::ApOvld) {
                ports.push((format!("{port}_ap_vld"), ours, 1, why.clone()));
            }
            if matches!(p, ScalarProtocol::ApAck | ScalarProtocol::ApHs) {
                ports.push((format!("{port}_ap_ack"), theirs, 1, why.clone()));
            }
        };
        if let Some(port) = input {
            ports.push((port.clone(), Direction::Input, a.width, why.clone()));
            if a.direction == ArgDirection::In {
                handshake(&port, Direction::Input, Direction::Output, &mut ports);
            }
        }
        if let Some(port) = output {
            ports.push((port.clone(), Direction::Output, a.width, why.clone()));
            handshake(&port, Direction::Output, Direction::Input, &mut ports);
        }
    }
    ports
}

/// Every disagreement between the manifest `m` and the RTL's `ports`, one line each.
pub(crate) fn problems(m: &Manifest, ports: &[Port]) -> Vec<String> {
    let mut found = Vec::new();
    // Problems found outside `expect` (it borrows `found`), appended at the end.
    let mut narrow = Vec::new();
    let mut expect = |name: &str, direction: Direction, width: Option<u32>, why: &str| {
        match ports.iter().find(|p| p.name == name) {
            None => {
                // Suggest the ports with the same prefix whose suffix is not a known signal:
                // the likely misspellings (`out_r_TRDY` for `out_r_TREADY`).
                let prefix = name.rsplit_once('_').map_or("", |(p, _)| p);
                let unknown: Vec<&str> = ports
                    .iter()
                    .map(|p| p.name.as_str())
                    .filter(|p| p.rsplit_once('_').is_some_and(|(pre, suffix)| pre == prefix && !KNOWN_SUFFIXES.contains(&suffix)))
                    .collect();
                let hint = if unknown.is_empty() { String::new() } else { format!("; did you mean {}?", unknown.join(" or ")) };
                found.push(format!("missing port `{name}` ({why}){hint}"));
            }
            Some(p) if p.direction != direction => {
                found.push(format!("port `{name}` is an {:?}, the manifest needs an {direction:?} ({why})", p.direction));
            }
            Some(p) if width.is_some_and(|w| w != p.width) => {
                found.push(format!(
                    "port `{name}` is {} bit(s) wide, the manifest needs {} ({why})",
                    p.width,
                    width.unwrap_or(0)
                ));
            }
            Some(_) => {}
        }
    };
    expect(&m.clock, Direction::Input, Some(1), "clock");
    expect(&m.reset.port, Direction::Input, Some(1), "reset");
    for s in &m.streams {
        let (drive, observe) = match s.direction {
            StreamDirection::In => (Direction::Input, Direction::Output),
            StreamDirection::Out => (Direction::Output, Direction::Input),
        };
        let bits = s.element.bits() * s.lanes;
        // TDATA is padded to whole bytes (Vitis: 12 bits -> 16).
        let tdata = bits.div_ceil(8) * 8;
        let why = format!("stream `{}`: {} x {}", s.name, s.lanes, s.element.as_str());
        if s.protocol == StreamProtocol::ApFifo {
            // HLS FIFO: data as wide as the element(s), exactly; no side channels.
            let why = format!("ap_fifo {why}");
            let (data, valid, ready) = match s.direction {
                StreamDirection::In => ("dout", "empty_n", "read"),
                StreamDirection::Out => ("din", "write", "full_n"),
            };
            expect(&format!("{}_{data}", s.rtl), drive, Some(bits), &why);
            expect(&format!("{}_{valid}", s.rtl), drive, Some(1), &why);
            expect(&format!("{}_{ready}", s.rtl), observe, Some(1), &why);
            continue;
        }
        expect(&format!("{}_TDATA", s.rtl), drive, Some(tdata), &why);
        expect(&format!("{}_TVALID", s.rtl), drive, Some(1), &why);
        expect(&format!("{}_TREADY", s.rtl), observe, Some(1), &why);
        for optional in ["TKEEP", "TSTRB"] {
            if ports.iter().any(|p| p.name == format!("{}_{optional}", s.rtl)) {
                expect(&format!("{}_{optional}", s.rtl), drive, Some(tdata / 8), &why);
            }
        }
    }
    for a in &m.arrays {
        // ap_memory: the kernel drives address/ce (and we/d when it writes), we drive q.
        let why = format!("ap_memory array `{}`: {} x {}", a.name, a.depth, a.element.as_str());
        let bits = a.element.bits();
        let address_bits = (usize::BITS - a.depth.saturating_sub(1).leading_zeros()).max(1);
        let second = ports.iter().any(|p| p.name == format!("{}_address1", a.rtl));
        for n in if second { &[0, 1][..] } else { &[0][..] } {
            let port = |signal: &str| format!("{}_{signal}{n}", a.rtl);
            match ports.iter().find(|p| p.name == port("address")) {
                Some(p) if p.width < address_bits => narrow.push(format!(
                    "port `{}` is {} bit(s) wide: too narrow for {} elements ({why})",
                    p.name, p.width, a.depth
                )),
                _ => expect(&port("address"), Direction::Output, None, &why),
            }
            expect(&port("ce"), Direction::Output, Some(1), &why);
            if a.direction.is_output() {
                let we_bits = ports.iter().find(|p| p.name == port("we")).map(|p| p.width);
                let per_byte = bits.div_ceil(8);
                expect(&port("we"), Direction::Output, we_bits.filter(|w| *w == 1 || *w == per_byte).or(Some(1)), &why);
                expect(&port("d"), Direction::Output, Some(bits), &why);
            }
            if a.direction.is_input() {
                expect(&port("q"), Direction::Input, Some(bits), &why);
            }
        }
    }
    for bundle in &m.memory {
        let why = format!("m_axi bundle `{}`, {}-bit data", bundle.bundle, bundle.data_bits);
        for (signal, kernel_drives, width) in M_AXI_SIGNALS {
            let direction = if *kernel_drives { Direction::Output } else { Direction::Input };
            let width = match width {
                Some(0) => Some(bundle.data_bits),
                Some(u32::MAX) => Some(bundle.data_bits / 8),
                other => *other,
            };
            expect(&format!("{}_{signal}", bundle.rtl), direction, width, &why);
        }
    }
    for (name, direction, width, why) in bare_ports(m) {
        expect(&name, direction, Some(width), &why);
    }
    if let Some(bundle) = m.axilite_bundle() {
        for (signal, direction) in [
            ("AWVALID", Direction::Input),
            ("AWREADY", Direction::Output),
            ("AWADDR", Direction::Input),
            ("WVALID", Direction::Input),
            ("WREADY", Direction::Output),
            ("WDATA", Direction::Input),
            ("WSTRB", Direction::Input),
            ("BVALID", Direction::Output),
            ("BREADY", Direction::Input),
            ("BRESP", Direction::Output),
            ("ARVALID", Direction::Input),
            ("ARREADY", Direction::Output),
            ("ARADDR", Direction::Input),
            ("RVALID", Direction::Output),
            ("RREADY", Direction::Input),
            ("RDATA", Direction::Output),
            ("RRESP", Direction::Output),
        ] {
            expect(&format!("{bundle}_{signal}"), direction, None, "s_axilite control bundle");
        }
        if m.control.bundle.is_some() {
            expect("interrupt", Direction::Output, Some(1), "ap_ctrl on s_axilite: port=return bundle=control");
        }
        if let Some(addr) = ports.iter().find(|p| p.name == format!("{bundle}_AWADDR")) {
            let span = 1u64 << addr.width;
            for a in &m.args {
                let Some(offset) = a.register() else { continue };
                let end = u64::from(offset) + u64::from(a.width / 8) + 4;
                if end > span {
                    found.push(format!(
                        "arg `{}` at {offset:#x} ends at {end:#x}, beyond the {}-bit control address space ({span:#x})",
                        a.name, addr.width
                    ));
                }
            }
            for b in &m.buffers {
                let end = u64::from(b.offset) + 12;
                if end > span {
                    found.push(format!(
                        "buffer `{}`: pointer at {:#x} ends at {end:#x}, beyond the {}-bit control address space ({span:#x})",
                        b.name, b.offset, addr.width
                    ));
                }
            }
        }
    }
    for s in m.streams.iter().filter(|s| s.end == Some(codesign_hw::manifest::EndRule::Tlast)) {
        if !ports.iter().any(|p| p.name == format!("{}_TLAST", s.rtl)) {
            found.push(format!("stream `{}`: end: tlast, but the RTL has no `{}_TLAST` port", s.name, s.rtl));
        }
    }
    found.extend(narrow);
    found.extend(unrunnable_workloads(m));
    found
}

/// Workloads cosim cannot replay (runtime/src/backends/cosim/control.rs), one line each.
fn unrunnable_workloads(m: &Manifest) -> Vec<String> {
    let output_register = m.args.iter().find(|a| a.direction.is_output() && a.register().is_some());
    m.workloads
        .iter()
        .filter(|w| w.transactions > 1 && !m.arrays.is_empty())
        .filter_map(|w| {
            if m.bare_control() {
                Some(format!(
                    "workload `{}`: {} transactions with ap_memory arrays on bare block ports: they overlap (ap_start held high) and one array image cannot serve two; cosim takes one per call",
                    w.name, w.transactions
                ))
            } else {
                output_register.map(|a| {
                    format!(
                        "workload `{}`: {} transactions with ap_memory arrays, but output register `{}` keeps only the last one's value; cosim takes one per call",
                        w.name, w.transactions, a.name
                    )
                })
            }
        })
        .collect()
}
