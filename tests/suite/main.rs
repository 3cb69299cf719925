//! The shared suite. Every case is written once and runs on every backend the config selects
//! (`$CODESIGN_CONFIG`, or all simulated backends), named `<kernel>::<case>::<backend>` so
//! that `cargo nextest run -E 'test(/::cosim$/)'` picks one backend.
//!
//! A case that needs an ability (exact cycles) is generated only for backends that have it;
//! the reason is data in the case table, never a branch in a test body.

mod adders;
mod bdt;
mod board_sim;
mod case;
mod crop;
mod gemm;
mod generic;
mod mutations;
mod perf;
mod reduce_all;
mod stencil5;
mod ufunc_f32;
mod ufunc_i32;
mod vadd_wide;

use std::process::ExitCode;

use codesign::{backends, Config};
use libtest_mimic::{Arguments, Failed, Trial};

use case::Case;

/// Every kernel's cases. Adding a kernel's tests adds one line here; the cycle-baseline
/// cases come from every manifest's workloads without any line.
fn all_cases() -> Vec<Case> {
    [
        ufunc_i32::cases(),
        ufunc_f32::cases(),
        reduce_all::cases(),
        stencil5::cases(),
        crop::cases(),
        gemm::cases(),
        vadd_wide::cases(),
        adders::cases(),
        bdt::cases(),
        generic::cases(),
        vec![generic::self_check()],
        perf::cases(),
        mutations::cases(),
        board_sim::cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let configs = match Config::selected() {
        Ok(configs) => configs,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    // Kernels reading or writing memory over m_axi run only on backends that place buffers;
    // kernels with AXI4-Stream ports only on backends that move streams (not XRT).
    let kernels = codesign::Kernel::all().unwrap_or_default();
    let names = |keep: fn(&codesign::Kernel) -> bool| -> std::collections::BTreeSet<String> {
        kernels.iter().filter(|k| keep(k)).map(|k| k.name().to_owned()).collect()
    };
    let m_axi_kernels = names(|k| !k.manifest.buffers.is_empty());
    let stream_kernels = names(|k| !k.manifest.streams.is_empty());
    let mut trials = Vec::new();
    for config in configs {
        let backend = match backends::open(&config) {
            Ok(backend) => backend,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
        };
        for case in all_cases() {
            let refused = (m_axi_kernels.contains(&case.kernel) && !backend.runs_m_axi())
                || (stream_kernels.contains(&case.kernel) && !backend.runs_streams());
            if !case::has_ability(case.needs, &config, backend.as_ref()) || refused {
                continue;
            }
            let name = format!("{}::{}::{}", case.kernel, case.name, config.backend);
            let config = config.clone();
            let body = case.body;
            trials.push(Trial::test(name, move || body(&config).map_err(Failed::from)));
        }
    }
    libtest_mimic::run(&args, trials).exit_code()
}
