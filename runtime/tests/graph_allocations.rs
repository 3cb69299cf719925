//! A graph in cosim allocates per call, never per beat: the number of heap allocations of a
//! call does not grow with the data. A counting global allocator wraps the system one, so
//! this is its own test binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use codesign::backends::cosim::Cosim;
use codesign::config::CosimConfig;
use codesign::{Backend, Kernel};
use codesign_models::Values;

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap allocations of one cosim call of `graph` on a `width` x `height` grid, and its cycles.
fn allocations(backend: &mut Cosim, graph: &Kernel, width: usize, height: usize) -> (u64, u64) {
    let x: Vec<i32> = (0..width * height).map(|i| (i as i32).wrapping_mul(40_503) >> 4).collect();
    let inputs = Values::new().with_i32s("x", &x).with_scalar("width", width as u64).with_scalar("height", height as u64);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let outcome = backend.call(graph, &inputs).unwrap();
    (ALLOCATIONS.load(Ordering::Relaxed) - before, outcome.report.cycles.unwrap())
}

#[test]
fn graph_cosim_allocates_per_call_not_per_beat() {
    let mut backend = Cosim::new(CosimConfig::default());
    // jacobi: a broadcast and a deep branch FIFO; jacobi_l2: four stages, two broadcasts.
    for name in ["jacobi", "jacobi_l2"] {
        let graph = Kernel::named(name).unwrap();
        allocations(&mut backend, &graph, 16, 8); // first call: lazily built state
        let (small, small_cycles) = allocations(&mut backend, &graph, 64, 12);
        let (large, large_cycles) = allocations(&mut backend, &graph, 64, 240);
        assert!(large_cycles > small_cycles + 14_000, "{name}: {small_cycles} vs {large_cycles} cycles");
        // Tens of thousands more beats through every FIFO; a handful of growing buffers
        // (the graph output, the inputs' copies) may reallocate a few times more.
        assert!(large <= small + 16, "{name}: {small} allocations for 64x12, {large} for 64x240: something allocates per beat");
    }
}
