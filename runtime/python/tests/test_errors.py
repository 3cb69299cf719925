"""Errors: TypeError/ValueError for inputs with the CLI's wording, one codesign.Error
subclass per exit code for the rest."""

from __future__ import annotations

import numpy as np
import pytest

import codesign


def i32(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.int32)


def test_wrong_dtype_is_a_type_error_in_the_clis_words(golden: codesign.Backend) -> None:
    k = golden.kernel("ufunc_i32")
    with pytest.raises(TypeError) as caught:
        k(a=np.ones(3, dtype=np.float32), b=i32(1, 2, 3), op=0)
    assert str(caught.value) == (
        "kernel `ufunc_i32` input stream `a`: dtype mismatch: the stream's element type i32 needs dtype `<i4`, "
        "the array has `<f4`"
    )
    with pytest.raises(TypeError, match="needs dtype `<i4`, the array has `>i4`"):
        k(a=i32(1).astype(">i4"), b=i32(1), op=0)
    with pytest.raises(TypeError, match="must be a NumPy array, got list"):
        k(a=[1, 2], b=i32(1, 2), op=0)


def test_lengths_that_differ_are_an_input_error(golden: codesign.Backend) -> None:
    with pytest.raises(codesign.InputError) as caught:
        golden.kernel("ufunc_i32")(a=i32(1, 2), b=i32(1), op=0)
    error = caught.value
    assert isinstance(error, ValueError) and isinstance(error, codesign.SetupError) and error.exit_code == 2
    assert str(error) == "kernel `ufunc_i32`: input stream `b` has 1 elements but must have as many as `a` (2)"


def test_missing_unknown_and_empty_inputs_are_named(golden: codesign.Backend) -> None:
    k = golden.kernel("ufunc_i32")
    with pytest.raises(codesign.InputError, match="missing argument `op`"):
        k(a=i32(1), b=i32(1))
    with pytest.raises(codesign.InputError, match=r"no argument `opp` \(args: op\)"):
        k(a=i32(1), b=i32(1), op=0, opp=1)
    with pytest.raises(codesign.InputError, match=r"no input stream `c` \(inputs: a, b\)"):
        k(a=i32(1), b=i32(1), c=i32(1), op=0)
    with pytest.raises(codesign.InputError, match="is empty"):
        k(a=i32(), b=i32(), op=0)
    with pytest.raises(ValueError, match="does not fit an unsigned 64-bit register word"):
        k(a=i32(1), b=i32(1), op=-1)


def test_setup_errors_have_exit_code_2(tmp_path) -> None:
    with pytest.raises(codesign.SetupError, match="unknown kernel `nope`") as caught:
        codesign.open("golden").kernel("nope")
    assert caught.value.exit_code == 2 and not isinstance(caught.value, codesign.InputError)
    with pytest.raises(codesign.SetupError, match="no-such.yaml"):
        codesign.open(tmp_path / "no-such.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("backend: warp-drive\n")
    with pytest.raises(codesign.SetupError, match="unknown backend `warp-drive`"):
        codesign.open(bad)


def test_a_hung_kernel_is_a_hang_error_naming_its_waveform(cosim: codesign.Backend, root) -> None:
    k = cosim.kernel_dir(root / "hw" / "fixtures" / "ufunc_i32_never_valid")
    with pytest.raises(codesign.HangError) as caught:
        k(a=i32(1, 2, 3), b=i32(4, 5, 6), op=0)
    error = caught.value
    assert isinstance(error, codesign.BackendError) and error.exit_code == 3
    assert "hung" in str(error)
    assert error.waveform is not None and error.waveform.endswith(".fst"), str(error)


def test_every_exit_code_has_one_class() -> None:
    classes = [codesign.VerificationError, codesign.SetupError, codesign.BackendError, codesign.PerfRegressionError]
    assert [c.exit_code for c in classes] == [1, 2, 3, 4]
    assert all(issubclass(c, codesign.Error) for c in classes)
