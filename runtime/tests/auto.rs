//! The `auto` backend: small calls on the CPU, large ones on the accelerator, by crossover.
#![allow(clippy::unwrap_used)]

use codesign::backends::auto::Auto;
use codesign::config::auto::Target;
use codesign::{Backend, Config, Kernel};
use codesign_models::Values;

fn inputs(n: usize) -> Values {
    let a: Vec<i32> = (0..n as i32).collect();
    Values::new().with_i32s("a", &a).with_i32s("b", &a).with_scalar("op", 0)
}

#[test]
fn dispatches_by_the_configured_crossover() {
    let config = Config::load(&codesign::workspace_root().join("configs/auto.yaml")).unwrap();
    assert_eq!(config.auto.crossover.get("ufunc_i32"), Some(&1024));
    let mut auto = Auto::open(&config).unwrap();
    assert_eq!(auto.target("ufunc_i32", 1023), Target::Cpu);
    assert_eq!(auto.target("ufunc_i32", 1024), Target::Accelerator);
    let kernel = Kernel::named("ufunc_i32").unwrap();

    let small = auto.call(&kernel, &inputs(10)).unwrap();
    assert_eq!(small.report.executed_by.as_deref(), Some("golden"));
    assert_eq!(small.report.cycles, None);
    assert_eq!(small.outputs.i32s("out").unwrap()[9], 18);

    let large = auto.call(&kernel, &inputs(2000)).unwrap();
    assert_eq!(large.report.executed_by.as_deref(), Some("cosim"));
    assert!(large.report.cycles.is_some_and(|c| c >= 2000));
    assert_eq!(large.outputs.i32s("out").unwrap()[1999], 3998);
}

#[test]
fn reads_the_sweep_table_and_the_unmeasured_rule() {
    let dir = std::env::temp_dir().join(format!("codesign-auto-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let table = dir.join("crossover.yaml");
    std::fs::write(&table, "ufunc_i32:\n  crossover_elements: 5000\n  clock_mhz: 300.0\n  overhead_us: 80.0\n").unwrap();
    let text = format!("backend: auto\nauto:\n  crossover-file: {}\n  unmeasured: cpu\n", table.display());
    let auto = Auto::open(&Config::parse("t.yaml", &text).unwrap()).unwrap();
    assert_eq!(auto.target("ufunc_i32", 4999), Target::Cpu);
    assert_eq!(auto.target("ufunc_i32", 5000), Target::Accelerator);
    assert_eq!(auto.target("other", 1 << 30), Target::Cpu, "unmeasured: cpu");

    std::fs::write(&table, "ufunc_i32:\n  crossover_elements: null\n  clock_mhz: 300.0\n  overhead_us: 80.0\n").unwrap();
    let auto = Auto::open(&Config::parse("t.yaml", &text).unwrap()).unwrap();
    assert_eq!(auto.target("ufunc_i32", 1 << 30), Target::Cpu, "the accelerator never wins");
}

#[test]
fn a_broken_table_is_a_config_error_with_its_path() {
    let dir = std::env::temp_dir().join(format!("codesign-auto-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let table = dir.join("crossover.yaml");
    std::fs::write(&table, "ufunc_i32: [1, 2\n").unwrap();
    let text = format!("backend: auto\nauto:\n  crossover-file: {}\n", table.display());
    let err = Auto::open(&Config::parse("t.yaml", &text).unwrap()).err().unwrap().to_string();
    assert!(err.contains("crossover.yaml") && err.contains("line"), "{err}");
}
