//! The zynq backend's m_axi path on a fake device tree (files): every buffer carved from the
//! u-dma-buf, flushed through its sysfs attributes, its 64-bit physical address in the pointer
//! registers on the UIO map. No kernel answers, so the call ends in a bounded ap_done timeout —
//! after which the files show what the driver did. (board-sim runs the same code against the
//! kernel's RTL: runtime/tests/board_sim_m_axi.rs.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::FileExt;
use std::time::{Duration, Instant};

use codesign::{backends, Config, Kernel};
use codesign_models::Values;

#[test]
fn buffers_are_carved_flushed_and_pointed_at_with_64_bit_addresses() {
    let root = std::env::temp_dir().join(format!("codesign-zynq-m-axi-{}", std::process::id()));
    let sys = root.join("sys");
    let map = sys.join("class/uio/uio4/maps/map0");
    std::fs::create_dir_all(&map).unwrap();
    for (name, value) in [("addr", "0xa0000000"), ("size", "0x10000"), ("offset", "0x0")] {
        std::fs::write(map.join(name), format!("{value}\n")).unwrap();
    }
    let uio = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(root.join("uio4")).unwrap();
    uio.set_len(0x10000).unwrap();
    uio.write_all_at(&4u32.to_le_bytes(), 0).unwrap(); // AP_CTRL: ap_idle
    // A u-dma-buf above 4 GiB, as on a ZynqMP with high DDR.
    let class = sys.join("class/u-dma-buf/udmabuf0");
    std::fs::create_dir_all(&class).unwrap();
    std::fs::write(class.join("phys_addr"), "0x870000000\n").unwrap();
    std::fs::write(class.join("size"), "65536\n").unwrap();
    std::fs::write(root.join("udmabuf0"), vec![0u8; 65536]).unwrap();
    let yaml = format!(
        "backend: zynq\nzynq:\n  kernel: {{ name: vadd_wide, uio: {}, done: poll }}\n  buffer: {}\n  timeout-ms: 50\n  sysfs: {}\n",
        root.join("uio4").display(),
        root.join("udmabuf0").display(),
        sys.display()
    );
    let config = Config::parse("zynq m_axi test", &yaml).unwrap();
    let mut zynq = backends::open(&config).unwrap();
    let a: Vec<i32> = (0..100).map(|i| i * 5).collect();
    let b: Vec<i32> = (0..100).map(|i| 7 - i).collect();
    let inputs = Values::new().with_i32s("a", &a).with_i32s("b", &b).with_scalar("size", 100);
    let started = Instant::now();
    let err = zynq.call(&Kernel::named("vadd_wide").unwrap(), &inputs).unwrap_err().to_string();
    assert!(started.elapsed() < Duration::from_secs(2), "bounded wait: {:?}", started.elapsed());
    assert!(err.contains("no ap_done within"), "{err}");

    let word = |offset: u64| {
        let mut bytes = [0u8; 4];
        uio.read_exact_at(&mut bytes, offset).unwrap();
        u32::from_le_bytes(bytes)
    };
    // a, b, c: one page each from the u-dma-buf's base; the high word is 8.
    for (offset, address) in [(0x10u64, 0x8_7000_0000u64), (0x1c, 0x8_7000_1000), (0x28, 0x8_7000_2000)] {
        assert_eq!((word(offset), word(offset + 4)), (address as u32, (address >> 32) as u32), "pointer at {offset:#x}");
    }
    let buffer = std::fs::read(root.join("udmabuf0")).unwrap();
    let got: Vec<i32> = buffer[0x1000..0x1000 + 400].chunks_exact(4).map(|c| i32::from_le_bytes(c.try_into().unwrap())).collect();
    assert_eq!(got, b, "b in its page of the u-dma-buf");
    // The last flush was b's: its page offset and length, to the device.
    let attr = |name: &str| std::fs::read_to_string(class.join(name)).unwrap();
    assert_eq!((attr("sync_offset"), attr("sync_size"), attr("sync_direction"), attr("sync_for_device")), ("4096".into(), "400".into(), "1".into(), "1".into()));
}
