"""codesign.numpy against NumPy itself: every function, on the accelerator (cosim) and under
dispatch="auto", on random and edge inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import codesign
import codesign.numpy as cnp

I32 = np.iinfo(np.int32)
EDGES_I32 = np.array([0, 1, -1, I32.max, I32.min, I32.max - 1, I32.min + 1, 46341, -46341, 65536], dtype=np.int32)
PROPERTY = settings(max_examples=40, deadline=None)


@pytest.fixture(autouse=True, scope="module")
def on_cosim():
    cnp.configure("cosim")
    yield


def same(got, want) -> None:
    """Equal values, dtype and shape, NaNs at the same places (bit-exact otherwise)."""
    assert type(got) is type(want), (type(got), type(want))
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    if got.dtype == np.float32:
        assert np.array_equal(np.isnan(got), np.isnan(want))
        mask = ~np.isnan(want)
        np.testing.assert_array_equal(got[mask].view(np.uint32), want[mask].view(np.uint32))
    else:
        np.testing.assert_array_equal(got, want)


int32_arrays = hnp.arrays(np.int32, st.integers(1, 300), elements=st.integers(I32.min, I32.max))
# Normal float32 numbers whose sums, differences and products stay normal or overflow.
BIG = float(np.float32(1e18))
normal_f32 = st.floats(min_value=-BIG, max_value=BIG, width=32, allow_nan=False, allow_infinity=False).filter(
    lambda x: x == 0 or abs(x) >= 1e-18
)


@PROPERTY
@given(int32_arrays, st.data())
def test_int32_elementwise_equals_numpy(a, data) -> None:
    b = data.draw(hnp.arrays(np.int32, a.shape, elements=st.integers(I32.min, I32.max)))
    for ours, theirs in [(cnp.add, np.add), (cnp.subtract, np.subtract), (cnp.multiply, np.multiply)]:
        same(ours(a, b, dispatch="accelerator"), theirs(a, b))


@PROPERTY
@given(st.data(), st.integers(1, 300))
def test_float32_elementwise_equals_numpy_on_normals(data, n) -> None:
    a = data.draw(hnp.arrays(np.float32, n, elements=normal_f32))
    b = data.draw(hnp.arrays(np.float32, n, elements=normal_f32))
    for ours, theirs in [(cnp.add, np.add), (cnp.subtract, np.subtract), (cnp.multiply, np.multiply)]:
        want = theirs(a, b)
        if np.any((want != 0) & (np.abs(want) < np.finfo(np.float32).tiny)):
            continue  # a subnormal result: the FTZ case, tested below
        same(ours(a, b, dispatch="accelerator"), want)


def test_int32_edges_wrap_like_numpy() -> None:
    a, b = np.meshgrid(EDGES_I32, EDGES_I32)
    for ours, theirs in [(cnp.add, np.add), (cnp.subtract, np.subtract), (cnp.multiply, np.multiply)]:
        same(ours(a, b, dispatch="accelerator"), theirs(a, b))


def test_float32_specials_and_the_ftz_cases() -> None:
    tiny = np.finfo(np.float32).tiny  # smallest normal
    sub = np.float32(1e-40)  # subnormal
    values = np.array([0.0, -0.0, 1.0, -1.5, np.inf, -np.inf, np.nan, 3.4e38, -3.4e38, tiny, -tiny, sub, -sub], np.float32)
    a, b = np.meshgrid(values, values)
    for ours, theirs in [(cnp.add, np.add), (cnp.subtract, np.subtract), (cnp.multiply, np.multiply)]:
        got = ours(a, b, dispatch="accelerator")
        # The kernel's arithmetic: DAZ (subnormal inputs read as zero with their sign), IEEE
        # with round to nearest even, FTZ (subnormal results to zero with their sign).
        daz = lambda x: np.where(np.abs(x) < tiny, np.copysign(np.float32(0), x), x).astype(np.float32)  # noqa: E731
        with np.errstate(all="ignore"):
            want = theirs(daz(a), daz(b))
        want = daz(want)
        same(got, want)
        # NaN results are the canonical quiet NaN.
        assert set(got[np.isnan(got)].view(np.uint32).tolist()) <= {0x7FC00000}
        # And where nothing is subnormal, it is NumPy's result exactly.
        normal = (np.abs(a) >= tiny) | (a == 0) | ~np.isfinite(a)
        normal &= (np.abs(b) >= tiny) | (b == 0) | ~np.isfinite(b)
        with np.errstate(all="ignore"):
            plain = theirs(a, b)
        normal &= ~((plain != 0) & (np.abs(plain) < tiny))
        same(got[normal], plain[normal])


def test_a_million_elements_equal_numpy() -> None:
    rng = np.random.default_rng(7)
    a, b = (rng.integers(I32.min, I32.max, 10**6, dtype=np.int32, endpoint=True) for _ in range(2))
    same(cnp.add(a, b, dispatch="accelerator"), np.add(a, b))
    a, b = (rng.standard_normal(10**6).astype(np.float32) * np.float32(1e3) for _ in range(2))
    assert np.all(np.abs(np.add(a, b)[np.add(a, b) != 0]) >= np.finfo(np.float32).tiny)  # finite normals
    same(cnp.add(a, b, dispatch="accelerator"), np.add(a, b))


def test_broadcasting_and_0d_follow_numpy() -> None:
    a = np.arange(12, dtype=np.int32).reshape(3, 4)
    same(cnp.add(a, np.int32(5), dispatch="accelerator"), np.add(a, np.int32(5)))
    same(cnp.multiply(a, np.arange(4, dtype=np.int32), dispatch="accelerator"), np.multiply(a, np.arange(4, dtype=np.int32)))
    x, y = np.array(3, dtype=np.int32), np.array(4, dtype=np.int32)
    same(cnp.add(x, y, dispatch="accelerator"), np.add(x, y))  # a NumPy scalar, as np.add gives
    with pytest.raises(ValueError):
        cnp.add(a, np.arange(3, dtype=np.int32))


def test_dtypes_numpy_would_promote_are_refused() -> None:
    with pytest.raises(TypeError, match="two int32 or two float32 arrays, got int32 and float32"):
        cnp.add(np.ones(2, np.int32), np.ones(2, np.float32))
    with pytest.raises(TypeError, match="got int64"):
        cnp.sum(np.ones(2, np.int64))
    with pytest.raises(ValueError, match="dispatch must be one of"):
        cnp.add(np.ones(2, np.int32), np.ones(2, np.int32), dispatch="fpga")


@PROPERTY
@given(hnp.arrays(np.int32, st.integers(1, 300), elements=st.integers(I32.min, I32.max)), st.data())
def test_reductions_equal_numpy(a, data) -> None:
    b = data.draw(hnp.arrays(np.int32, a.shape, elements=st.integers(I32.min, I32.max)))
    same(cnp.sum(a, dispatch="accelerator"), np.sum(a))
    same(cnp.sum_squares(a, dispatch="accelerator"), np.sum(np.square(a, dtype=np.int64)))
    same(cnp.sad(a, b, dispatch="accelerator"), np.sum(np.abs(np.subtract(a, b, dtype=np.int64))))


def test_reduction_edges() -> None:
    worst = np.full(1000, I32.min, dtype=np.int32)
    same(cnp.sum(worst, dispatch="accelerator"), np.sum(worst))
    same(cnp.sum_squares(worst, dispatch="accelerator"), np.sum(np.square(worst, dtype=np.int64)))
    same(cnp.sad(worst, worst + I32.max, dispatch="accelerator"), np.sum(np.abs(np.subtract(worst, worst + I32.max, dtype=np.int64))))
    same(cnp.sum(EDGES_I32.reshape(2, 5), dispatch="accelerator"), np.sum(EDGES_I32.reshape(2, 5)))


@PROPERTY
@given(st.sampled_from([np.int16, np.int32]), st.integers(3, 40), st.integers(3, 20), st.data())
def test_stencil5_equals_its_numpy_expression(dtype, width, height, data) -> None:
    info = np.iinfo(dtype)
    x = data.draw(hnp.arrays(dtype, (height, width), elements=st.integers(info.min, info.max)))
    same(cnp.stencil5(x, dispatch="accelerator"), cnp.stencil5_reference(x))


def test_stencil5_reference_is_the_filter_on_exact_values() -> None:
    x = np.full((3, 3), 5 << 16, dtype=np.int32)  # 5.0 everywhere in Q16.16
    # 0.2 is floor(0.2 * 2^16) / 2^16, a little under: 25 * 13107 / 65536 = 4.99992...
    assert cnp.stencil5_reference(x)[0, 0] == 25 * 13107
    assert cnp.stencil5(x, dispatch="accelerator").tolist() == [[(5 * (5 << 16) * 13107) >> 16]]
    with pytest.raises(ValueError, match="widths 3..1024"):
        cnp.stencil5(np.zeros((3, 1025), np.int32), dispatch="accelerator")
    same(cnp.stencil5(np.ones((3, 1025), np.int32)), cnp.stencil5_reference(np.ones((3, 1025), np.int32)))


def test_auto_dispatch_follows_the_crossover(tmp_path) -> None:
    table = tmp_path / "crossover.yaml"
    table.write_text("ufunc_i32:\n  crossover_elements: 5000\n  clock_mhz: 300.0\n  overhead_us: 80.0\n")
    config = tmp_path / "auto.yaml"
    config.write_text(
        f"backend: auto\nauto:\n  accelerator: cosim\n  crossover-file: {table}\n"
        "  crossover:\n    ufunc_f32: 100\n  unmeasured: cpu\n"
    )
    cnp.configure(str(config))
    try:
        assert not cnp.on_accelerator("ufunc_i32", 4999) and cnp.on_accelerator("ufunc_i32", 5000)
        assert not cnp.on_accelerator("ufunc_f32", 99) and cnp.on_accelerator("ufunc_f32", 100)
        assert not cnp.on_accelerator("reduce_all", 10**9), "unmeasured: cpu"
        assert cnp.on_accelerator("reduce_all", 1, dispatch="accelerator")
        assert not cnp.on_accelerator("ufunc_i32", 10**9, dispatch="numpy")
        for n in [10, 6000]:  # one each side: the same answer
            a, b = np.arange(n, dtype=np.int32), np.full(n, 3, dtype=np.int32)
            same(cnp.add(a, b), np.add(a, b))
        same(cnp.add(np.zeros(0, np.int32), np.zeros(0, np.int32)), np.add(np.zeros(0, np.int32), np.zeros(0, np.int32)))
    finally:
        cnp.configure("cosim")


def test_configure_names_a_bad_config() -> None:
    with pytest.raises(codesign.SetupError):
        cnp.configure("/nonexistent/config.yaml")
    cnp.configure("cosim")
