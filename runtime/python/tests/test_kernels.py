"""Any kernel from Python: arrays in and out with the manifest's dtypes, and the report."""

from __future__ import annotations

import numpy as np
import pytest

import codesign


def pairs(n: int, seed: int = 1) -> tuple:
    rng = np.random.default_rng(seed)
    return tuple(rng.integers(-(2**31), 2**31, n, dtype=np.int32) for _ in range(2))


@pytest.mark.parametrize("backend_name", ["golden", "cosim", "csim"])
def test_ufunc_i32_on_every_simulated_backend(backend_name: str) -> None:
    a, b = pairs(1000)
    k = codesign.open(backend_name).kernel("ufunc_i32")
    for op, want in [(0, a + b), (1, a - b), (2, a * b)]:
        out = k(a=a, b=b, op=op).out
        assert out.dtype == np.int32 and out.shape == (1000,)
        np.testing.assert_array_equal(out, want)


def test_cosim_report_has_cycles_efficiency_and_stalls(cosim: codesign.Backend) -> None:
    a, b = pairs(4096)
    outputs, report = cosim.kernel("ufunc_i32")(a=a, b=b, op=0)
    np.testing.assert_array_equal(outputs["out"], a + b)
    assert report.cycles == 4096 + 6  # the manifest's bound: II x N + latency
    assert report.bound == 4096 + 6 and report.efficiency == 1.0
    assert report.stalls == {"a": 2, "b": 2, "out": 0}  # the inputs wait while the pipeline fills
    assert {p.name: p.transfers for p in report.ports} == {"a": 4096, "b": 4096, "out": 4096}
    assert report.latency is not None and report.output_ii == 1.0
    assert report.waveform is None and report.wall_s > 0


def test_golden_report_has_no_cycles(golden: codesign.Backend) -> None:
    a, b = pairs(10)
    report = golden.kernel("ufunc_i32")(a=a, b=b, op=0).report
    assert report.cycles is None and report.efficiency is None and report.ports == []


def test_outputs_take_the_manifests_dtypes(cosim: codesign.Backend) -> None:
    a = np.array([1.5, -2.0], dtype=np.float32)
    out = cosim.kernel("ufunc_f32")(a=a, b=a, op=2).out
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, a * a)
    a, b = pairs(100)
    result = cosim.kernel("reduce_all")(a=a, b=b, op=0).result
    assert result.dtype == np.int64 and result.shape == (2,)  # one 128-bit beat: two i64 lanes
    total = int(np.sum(a.astype(np.int64)))
    assert int(result[0]) == total and int(result[1]) == (-1 if total < 0 else 0)
    grid = np.arange(5 * 4, dtype=np.int16).reshape(4, 5) * 256  # Q8.8
    out = cosim.kernel("stencil5_q8_8")(**{"in": grid, "width": 5, "height": 4}).out
    assert out.dtype == np.int16
    np.testing.assert_array_equal(out.reshape(2, 3), codesign.numpy.stencil5_reference(grid))


def test_any_layout_is_read_in_c_order(golden: codesign.Backend) -> None:
    a = np.arange(12, dtype=np.int32).reshape(3, 4)
    b = np.ones((4, 3), dtype=np.int32).T  # Fortran-ordered view
    out = golden.kernel("ufunc_i32")(a=a, b=b, op=0).out
    np.testing.assert_array_equal(out, (a + b).ravel())
    out = golden.kernel("ufunc_i32")(a=a[:, ::2], b=b[:, ::2], op=0).out  # strided
    np.testing.assert_array_equal(out, (a[:, ::2] + 1).ravel())


def test_a_kernel_folder_runs_on_cosim(cosim: codesign.Backend, root) -> None:
    k = cosim.kernel_dir(root / "hw" / "kernels" / "ufunc_i32")
    a, b = pairs(64)
    call = k(a=a, b=b, op=1)
    np.testing.assert_array_equal(call.out, a - b)
    assert call.report.cycles == 64 + 6


def test_a_parameter_set_of_a_kernel_folder_is_picked_by_name(cosim: codesign.Backend, root) -> None:
    folder = root / "hw" / "kernels" / "gemm"
    with pytest.raises(codesign.SetupError, match="gemm_pe4_w16, gemm_pe8_w8"):
        cosim.kernel_dir(folder)
    k = cosim.kernel_dir(folder, "gemm_pe8_w8")
    rng = np.random.default_rng(3)
    a = rng.integers(-128, 128, size=(4, 8), dtype=np.int8)
    b = rng.integers(-128, 128, size=(8, 5), dtype=np.int8)
    call = k(a=a, b=b, m=4, n=5, k=8)
    np.testing.assert_array_equal(call.c, (a.astype(np.int32) @ b.astype(np.int32)).ravel())


def test_graphs_are_kernels_too(golden: codesign.Backend) -> None:
    k = golden.kernel("jacobi")
    assert k.name == "jacobi" and "Kernel(jacobi(" in repr(k)


def test_repr_shows_the_signature(golden: codesign.Backend) -> None:
    assert repr(golden.kernel("ufunc_i32")) == "Kernel(ufunc_i32(a: <i4, b: <i4, op: int) -> out: <i4)"
