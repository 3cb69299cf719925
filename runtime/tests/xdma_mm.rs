//! The xdma backend's memory-mapped path on fake device nodes (files): an m_axi kernel's
//! buffers land in card memory at the configured addresses (pwrite on h2c at the card
//! address), their 64-bit addresses in the pointer registers on the user BAR. No kernel
//! answers, so the call ends in a bounded ap_done timeout — after which the files show what
//! the driver did.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::FileExt;
use std::time::{Duration, Instant};

use codesign::{backends, Config, Kernel};
use codesign_models::Values;

#[test]
fn buffers_go_to_card_addresses_and_pointers_to_the_bar() {
    let dir = std::env::temp_dir().join(format!("codesign-xdma-mm-backend-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let prefix = dir.join("xdma0");
    let node = |what: &str| std::path::PathBuf::from(format!("{}_{what}", prefix.display()));
    let user = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(node("user")).unwrap();
    user.set_len(0x10000).unwrap();
    user.write_all_at(&4u32.to_le_bytes(), 0).unwrap(); // AP_CTRL: ap_idle
    std::fs::write(node("h2c_0"), b"").unwrap();
    std::fs::hard_link(node("h2c_0"), node("c2h_0")).unwrap(); // one file stands for card DDR
    let yaml = format!(
        "backend: xdma\nxdma:\n  kernel: vadd_wide\n  device: {}\n  mmap: false\n  done: poll\n  timeout-ms: 50\n  memory: {{ base: 0x100000000, size: 0x100000 }}\n",
        prefix.display()
    );
    let config = Config::parse("xdma-mm test", &yaml).unwrap();
    let mut xdma = backends::open(&config).unwrap();
    let a: Vec<i32> = (0..100).collect();
    let b: Vec<i32> = (0..100).map(|i| -i).collect();
    let inputs = Values::new().with_i32s("a", &a).with_i32s("b", &b).with_scalar("size", 100);
    let started = Instant::now();
    let err = xdma.call(&Kernel::named("vadd_wide").unwrap(), &inputs).unwrap_err().to_string();
    assert!(started.elapsed() < Duration::from_secs(2), "bounded wait: {:?}", started.elapsed());
    assert!(err.contains("no ap_done within"), "{err}");

    let word = |offset: u64| {
        let mut bytes = [0u8; 4];
        user.read_exact_at(&mut bytes, offset).unwrap();
        u32::from_le_bytes(bytes)
    };
    // a, b, c: one 4 KiB page each from the window's base, above 4 GiB (the high word is 1).
    for (offset, address) in [(0x10u64, 0x1_0000_0000u64), (0x1c, 0x1_0000_1000), (0x28, 0x1_0000_2000)] {
        assert_eq!((word(offset), word(offset + 4)), (address as u32, (address >> 32) as u32), "pointer at {offset:#x}");
    }
    assert_eq!(word(0x34), 100, "size");
    let card = std::fs::File::open(node("h2c_0")).unwrap();
    let mut bytes = vec![0u8; 400];
    card.read_exact_at(&mut bytes, 0x1_0000_1000).unwrap();
    let got: Vec<i32> = bytes.chunks_exact(4).map(|c| i32::from_le_bytes(c.try_into().unwrap())).collect();
    assert_eq!(got, b, "b at its card address");
}
