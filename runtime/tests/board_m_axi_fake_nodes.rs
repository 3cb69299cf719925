//! The real board backends' m_axi paths on fake device nodes (files): zynq carves every buffer
//! from the u-dma-buf and flushes it through sysfs; xdma puts it in card memory by pwrite at
//! the card address. Both write each buffer's 64-bit address to its pointer registers. No
//! kernel answers, so each call ends in a bounded ap_done timeout — after which the files show
//! what the driver did. (board-sim runs the zynq code against the kernel's RTL:
//! runtime/tests/board_sim_m_axi.rs.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::time::{Duration, Instant};

use codesign::{backends, Config, Kernel};
use codesign_models::Values;

/// vadd_wide's inputs: `a` and `b` of 100 elements.
fn vadd_inputs(b: &[i32]) -> Values {
    let a: Vec<i32> = (0..100).map(|i| i * 5).collect();
    Values::new().with_i32s("a", &a).with_i32s("b", b).with_scalar("size", 100)
}

/// A register file (UIO map, user BAR) whose AP_CTRL reads ap_idle and nothing else.
fn idle_registers(path: &Path) -> File {
    let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(path).unwrap();
    file.set_len(0x10000).unwrap();
    file.write_all_at(&4u32.to_le_bytes(), 0).unwrap();
    file
}

/// Calls vadd_wide through `yaml`'s backend: no kernel answers, so the wait times out, bounded.
fn call_until_timeout(yaml: &str, b: &[i32]) {
    let mut backend = backends::open(&Config::parse("fake nodes", yaml).unwrap()).unwrap();
    let started = Instant::now();
    let err = backend.call(&Kernel::named("vadd_wide").unwrap(), &vadd_inputs(b)).unwrap_err().to_string();
    assert!(started.elapsed() < Duration::from_secs(2), "bounded wait: {:?}", started.elapsed());
    assert!(err.contains("no ap_done within"), "{err}");
}

/// a, b and c are one 4 KiB page each from `base`; their pointers at 0x10, 0x1c, 0x28 (low
/// word, high word).
fn assert_pointers(registers: &File, base: u64) {
    let word = |offset: u64| {
        let mut bytes = [0u8; 4];
        registers.read_exact_at(&mut bytes, offset).unwrap();
        u32::from_le_bytes(bytes)
    };
    for (i, offset) in [0x10u64, 0x1c, 0x28].into_iter().enumerate() {
        let address = base + 0x1000 * i as u64;
        assert_eq!((word(offset), word(offset + 4)), (address as u32, (address >> 32) as u32), "pointer at {offset:#x}");
    }
    assert_eq!(word(0x34), 100, "size");
}

fn i32s(bytes: &[u8]) -> Vec<i32> {
    bytes.chunks_exact(4).map(|c| i32::from_le_bytes(c.try_into().unwrap())).collect()
}

#[test]
fn zynq_carves_flushes_and_points_at_64_bit_addresses() {
    let root = std::env::temp_dir().join(format!("codesign-zynq-m-axi-{}", std::process::id()));
    let sys = root.join("sys");
    let map = sys.join("class/uio/uio4/maps/map0");
    std::fs::create_dir_all(&map).unwrap();
    for (name, value) in [("addr", "0xa0000000"), ("size", "0x10000"), ("offset", "0x0")] {
        std::fs::write(map.join(name), format!("{value}\n")).unwrap();
    }
    let uio = idle_registers(&root.join("uio4"));
    // A u-dma-buf above 4 GiB, as on a ZynqMP with high DDR.
    let class = sys.join("class/u-dma-buf/udmabuf0");
    std::fs::create_dir_all(&class).unwrap();
    std::fs::write(class.join("phys_addr"), "0x870000000\n").unwrap();
    std::fs::write(class.join("size"), "65536\n").unwrap();
    std::fs::write(root.join("udmabuf0"), vec![0u8; 65536]).unwrap();
    let b: Vec<i32> = (0..100).map(|i| 7 - i).collect();
    call_until_timeout(
        &format!(
            "backend: zynq\nzynq:\n  kernel: {{ name: vadd_wide, uio: {}, done: poll }}\n  buffer: {}\n  timeout-ms: 50\n  sysfs: {}\n",
            root.join("uio4").display(),
            root.join("udmabuf0").display(),
            sys.display()
        ),
        &b,
    );
    assert_pointers(&uio, 0x8_7000_0000);
    let buffer = std::fs::read(root.join("udmabuf0")).unwrap();
    assert_eq!(i32s(&buffer[0x1000..0x1000 + 400]), b, "b in its page of the u-dma-buf");
    // The last flush was b's: its page offset and length, to the device.
    let attr = |name: &str| std::fs::read_to_string(class.join(name)).unwrap();
    let syncs = (attr("sync_offset"), attr("sync_size"), attr("sync_direction"), attr("sync_for_device"));
    assert_eq!(syncs, ("4096".into(), "400".into(), "1".into(), "1".into()));
}

#[test]
fn xdma_puts_buffers_at_card_addresses_and_pointers_on_the_bar() {
    let dir = std::env::temp_dir().join(format!("codesign-xdma-mm-backend-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let prefix = dir.join("xdma0");
    let node = |what: &str| std::path::PathBuf::from(format!("{}_{what}", prefix.display()));
    let user = idle_registers(&node("user"));
    std::fs::write(node("h2c_0"), b"").unwrap();
    std::fs::hard_link(node("h2c_0"), node("c2h_0")).unwrap(); // one file stands for card DDR
    let b: Vec<i32> = (0..100).map(|i| -i).collect();
    call_until_timeout(
        &format!(
            "backend: xdma\nxdma:\n  kernel: vadd_wide\n  device: {}\n  mmap: false\n  done: poll\n  timeout-ms: 50\n  memory: {{ base: 0x100000000, size: 0x100000 }}\n",
            prefix.display()
        ),
        &b,
    );
    // Above 4 GiB: the high word is 1.
    assert_pointers(&user, 0x1_0000_0000);
    let mut bytes = vec![0u8; 400];
    File::open(node("h2c_0")).unwrap().read_exact_at(&mut bytes, 0x1_0000_1000).unwrap();
    assert_eq!(i32s(&bytes), b, "b at its card address");
}
