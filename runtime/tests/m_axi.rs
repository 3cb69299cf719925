//! The cosim m_axi path against vadd_wide's RTL, register by register: a pointer outside
//! every buffer is answered DECERR and the call fails naming the bundle and the cycle; the
//! pointers the runtime writes are 4 KiB-aligned and read back from the register map. And
//! `codesign check` on a broken copy of vadd_wide names each m_axi problem.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use codesign::backends::cosim::{reg, session, Harness};
use codesign::config::CosimConfig;
use codesign::{Error, Kernel};
use codesign_models::Values;

fn inputs(n: usize) -> Values {
    let a: Vec<i32> = (0..n as i32).collect();
    Values::new().with_i32s("a", &a).with_i32s("b", &a).with_scalar("size", n as u64)
}

fn write64(h: &mut Harness<'_>, offset: u64, value: u64) -> Result<(), Error> {
    h.write(offset, value as u32)?;
    h.write(offset + 4, (value >> 32) as u32)
}

/// Writes the pointers (with `a` replaced by `a_override` if given) and size, starts, and
/// waits for the done interrupt; then the end-of-call checks.
fn call(h: &mut Harness<'_>, a_override: Option<u64>, size: u32) -> Result<Values, Error> {
    for (offset, addr) in h.pointers() {
        let addr = if offset == 0x10 { a_override.unwrap_or(addr) } else { addr };
        write64(h, u64::from(offset), addr)?;
    }
    h.write(0x34, size)?;
    h.write(reg::GIE, 1)?;
    h.write(reg::IER, reg::IRQ_DONE)?;
    h.mark_start();
    h.write(reg::AP_CTRL, reg::AP_START)?;
    h.run_until_interrupt()?;
    h.finish()
}

#[test]
fn pointers_are_page_aligned_and_in_the_register_map() {
    let kernel = Kernel::named("vadd_wide").unwrap();
    let inputs = inputs(100);
    session(&kernel, &inputs, &CosimConfig::default(), |h| {
        let pointers = h.pointers();
        assert_eq!(pointers.iter().map(|(o, _)| *o).collect::<Vec<_>>(), [0x10, 0x1c, 0x28]);
        for (offset, addr) in &pointers {
            assert_eq!(addr % 4096, 0, "buffer at {offset:#x}: {addr:#x}");
            write64(h, u64::from(*offset), *addr)?;
            let read = u64::from(h.read(u64::from(*offset))?) | (u64::from(h.read(u64::from(*offset) + 4)?) << 32);
            assert_eq!(read, *addr);
        }
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_pointer_outside_every_buffer_is_a_decerr_naming_bundle_and_cycle() {
    let kernel = Kernel::named("vadd_wide").unwrap();
    let inputs = inputs(64);
    let result = session(&kernel, &inputs, &CosimConfig::default(), |h| call(h, Some(0x4000), 64));
    match result {
        Err(Error::Protocol { port, cycle, message, .. }) => {
            assert_eq!(port, "m_axi_gmem0");
            assert!(cycle > 0);
            assert!(message.contains("DECERR") && message.contains("`a` on gmem0"), "{message}");
        }
        other => panic!("expected a protocol error on m_axi_gmem0, got {other:?}"),
    }
}

#[test]
fn reading_past_the_mapped_pages_is_a_slverr() {
    let kernel = Kernel::named("vadd_wide").unwrap();
    // 1024 elements fill one 4 KiB page exactly; a size of 2048 reads into the unmapped gap.
    let inputs = inputs(1024);
    let result = session(&kernel, &inputs, &CosimConfig::default(), |h| call(h, None, 2048));
    match result {
        Err(Error::Protocol { port, message, .. }) => {
            assert!(port.starts_with("m_axi_gmem"), "{port}");
            assert!(message.contains("SLVERR") || message.contains("DECERR"), "{message}");
        }
        other => panic!("expected an AXI error response, got {other:?}"),
    }
}

#[test]
fn the_same_call_through_the_harness_is_exact() {
    let kernel = Kernel::named("vadd_wide").unwrap();
    let inputs = inputs(40);
    let outputs = session(&kernel, &inputs, &CosimConfig::default(), |h| call(h, None, 40)).unwrap();
    let expected: Vec<i32> = (0..40).map(|i| 2 * i).collect();
    assert_eq!(outputs.i32s("c").unwrap(), expected);
}

#[test]
fn check_names_m_axi_port_and_pointer_problems() {
    let source = codesign::workspace_root().join("hw/kernels/vadd_wide");
    let dir = std::env::temp_dir().join(format!("codesign-check-m-axi-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rtl")).unwrap();
    let yaml = std::fs::read_to_string(source.join("kernel.yaml")).unwrap();
    // Out of tree: no HLS or csim; gmem1 declared 256 bits wide, c's pointer past the map.
    let yaml = yaml.split("\ncsim:").next().unwrap().replace("hls:\n  - hls/vadd_wide.cpp\n", "");
    let yaml = yaml.replace("rtl: m_axi_gmem1, data-bits: 512", "rtl: m_axi_gmem1, data-bits: 256");
    std::fs::write(dir.join("kernel.yaml"), yaml.replace("offset: 0x28, direction: out", "offset: 0x3c, direction: out")).unwrap();
    for entry in std::fs::read_dir(source.join("rtl")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(dir.join("rtl").join(path.file_name().unwrap()), text.replace("m_axi_gmem0_WLAST", "m_axi_gmem0_WLST")).unwrap();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_codesign")).args(["check", "--kernel-dir", dir.to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert_ne!(output.status.code(), Some(0), "{text}");
    for needle in [
        "5 problem(s)",
        "missing port `m_axi_gmem0_WLAST` (m_axi bundle `gmem0`, 512-bit data); did you mean m_axi_gmem0_WLST?",
        "port `m_axi_gmem1_WDATA` is 512 bit(s) wide, the manifest needs 256",
        "port `m_axi_gmem1_WSTRB` is 64 bit(s) wide, the manifest needs 32",
        "buffer `c`: pointer at 0x3c ends at 0x48, beyond the 6-bit control address space",
    ] {
        assert!(text.contains(needle), "`{needle}` not in: {text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
