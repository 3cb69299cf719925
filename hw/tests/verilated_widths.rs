//! Every Verilator storage class crosses the Rust <-> C++ boundary intact: the `widths`
//! fixture inverts 1-, 12-, 33-, 64-, 65- and 4096-bit inputs; wide ports go by pointer.
#![allow(clippy::unwrap_used)]

use codesign_hw::fixtures::widths::MODEL;
use codesign_sim::verilated::{Direction, Model, XInit};

fn mask(width: u32) -> u64 {
    if width >= 64 { u64::MAX } else { (1 << width) - 1 }
}

#[test]
fn narrow_ports_round_trip_and_mask_to_width() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let values = [0u64, 1, 0x5555_5555_5555_5555, 0xdead_beef_0bad_f00d, u64::MAX];
    for width in [1u32, 12, 33, 64] {
        let input = model.port_checked(&format!("i{width}"), Direction::Input, width).unwrap();
        let output = model.port_checked(&format!("o{width}"), Direction::Output, width).unwrap();
        for value in values {
            input.set(value);
            model.eval();
            assert_eq!(input.get(), value & mask(width), "i{width} keeps only its width");
            assert_eq!(output.get(), !value & mask(width), "o{width} for {value:#x}");
        }
    }
}

#[test]
fn wide_ports_round_trip_word_by_word() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    for width in [65u32, 4096] {
        let input = model.port(&format!("i{width}")).unwrap();
        let output = model.port(&format!("o{width}")).unwrap();
        let words = width.div_ceil(32) as usize;
        let value: Vec<u32> = (0..words as u32).map(|i| i.wrapping_mul(0x9E37_79B9) ^ 0xA5A5_0F0F).collect();
        input.set_words(&value);
        model.eval();
        let top_mask = if width % 32 == 0 { u32::MAX } else { (1 << (width % 32)) - 1 };
        let mut want_in = value.clone();
        want_in[words - 1] &= top_mask;
        let want_out: Vec<u32> = value.iter().enumerate().map(|(i, w)| if i == words - 1 { !w & top_mask } else { !w }).collect();
        assert_eq!(input.get_words(), want_in, "i{width}");
        assert_eq!(output.get_words(), want_out, "o{width}");
        // The 64-bit view of a wide port is its low two words.
        assert_eq!(output.get(), u64::from(want_out[0]) | (u64::from(want_out[1]) << 32));
    }
}

#[test]
fn unknown_port_lists_the_real_ones() {
    let model = Model::new(&MODEL, XInit::Zeros).unwrap();
    let err = model.port("o128").unwrap_err().to_string();
    assert!(err.contains("no port `o128`") && err.contains("o4096"), "{err}");
    let err = model.port_checked("o12", Direction::Input, 12).unwrap_err().to_string();
    assert!(err.contains("expected Input of 12 bit(s), found Output"), "{err}");
}

#[test]
fn each_model_has_its_own_context() {
    let first = Model::new(&MODEL, XInit::Zeros).unwrap();
    let second = Model::new(&MODEL, XInit::Ones).unwrap();
    first.port("i64").unwrap().set(7);
    second.port("i64").unwrap().set(9);
    first.eval();
    second.eval();
    assert_eq!(first.port("o64").unwrap().get(), !7);
    assert_eq!(second.port("o64").unwrap().get(), !9);
}
