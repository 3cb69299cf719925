"""codesign's kernels as NumPy functions, with transparent CPU/accelerator dispatch.

Every function returns what NumPy returns for the same call (same dtype, shape and values),
whichever side runs it:

==========================  =================================  ==========================
function                    NumPy equivalent                   kernel
==========================  =================================  ==========================
``add(a, b)``               ``np.add(a, b)``                   ``ufunc_i32`` / ``ufunc_f32``
``subtract(a, b)``          ``np.subtract(a, b)``              (``op`` 0 / 1 / 2)
``multiply(a, b)``          ``np.multiply(a, b)``
``sum(a)``                  ``np.sum(a)`` (int64)              ``reduce_all`` op 0
``sum_squares(a)``          ``np.sum(np.square(a, dtype=np.int64))``  ``reduce_all`` op 1
``sad(a, b)``               ``np.sum(np.abs(np.subtract(a, b, dtype=np.int64)))``  op 2
``stencil5(x)``             :func:`stencil5_reference`         ``stencil5_q8_8`` (int16),
                                                               ``stencil5_q16_16`` (int32)
==========================  =================================  ==========================

Dtypes: the element-wise functions take two int32 or two float32 arrays (broadcast as NumPy
does; int32 wraps on overflow, as NumPy's does); the reductions take int32 (their int64 result
wraps modulo 2^64 as NumPy's does, and the kernel's total is exact in 128 bits, so the two
agree); ``stencil5`` takes a 2-D int16 (Q8.8) or int32 (Q16.16) grid. Other dtypes are a
``TypeError``: nothing is converted silently.

float32 on the accelerator is the hardware's arithmetic, identical to NumPy's for normal
numbers, with three documented differences: subnormal inputs are read as zero (DAZ),
subnormal results are flushed to zero with their sign (FTZ), and every NaN result is the
canonical quiet NaN 0x7FC00000 (NumPy keeps payloads). Results equal NumPy's bit for bit
whenever inputs and exact results are normal, zero or infinite; the tests state the FTZ cases.

``dispatch``: ``"auto"`` (default) runs NumPy below the kernel's crossover and the
accelerator at or above it, the rule of ``backend: auto`` (``configs/auto.yaml``): inline
``auto.crossover`` first, then ``crossover.yaml`` written by ``codesign sweep``, then
``auto.unmeasured`` (default: the accelerator). ``"numpy"`` and ``"accelerator"`` force a side.
Empty inputs and grids the kernel cannot take run on NumPy under ``"auto"``. The accelerator
and the rule come from :func:`configure` (default: ``$CODESIGN_CONFIG``, else cosim).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Tuple

import numpy as np

from . import _codesign

__all__ = [
    "add",
    "subtract",
    "multiply",
    "sum",
    "sum_squares",
    "sad",
    "stencil5",
    "stencil5_reference",
    "configure",
    "on_accelerator",
]

_DISPATCHES = ("auto", "numpy", "accelerator")
_state: Dict[str, Any] = {"dispatch": None, "kernels": {}}


def configure(config: Optional[str] = None) -> None:
    """Chooses the accelerator and the dispatch rule: a config name or file, as
    :func:`codesign.open`. For ``backend: auto`` configs, their ``auto.accelerator`` and
    ``auto:`` rule; for any other, that backend with the crossover table of ``codesign sweep``."""
    _state["dispatch"] = _codesign.dispatch(config)
    _state["kernels"] = {}


def _dispatcher() -> Any:
    if _state["dispatch"] is None:
        configure(None)
    return _state["dispatch"]


def on_accelerator(kernel: str, elements: int, dispatch: str = "auto") -> bool:
    """Whether a call of ``kernel`` on ``elements`` elements per stream runs on the
    accelerator under ``dispatch``."""
    if dispatch not in _DISPATCHES:
        raise ValueError(f"dispatch must be one of {', '.join(_DISPATCHES)}, got {dispatch!r}")
    if dispatch != "auto":
        return dispatch == "accelerator"
    return bool(elements > 0 and _dispatcher().prefers_accelerator(kernel, elements))


def _run(kernel: str, **inputs: Any) -> Dict[str, Any]:
    kernels = _state["kernels"]
    if kernel not in kernels:
        kernels[kernel] = _dispatcher().accelerator.kernel(kernel)
    outputs, _report = kernels[kernel].call(inputs)
    return outputs


def _scalar_or_array(out: np.ndarray) -> Any:
    """NumPy's ufuncs return a scalar, not a 0-d array, for 0-d inputs."""
    return out[()] if out.ndim == 0 else out


_UFUNC_KERNELS = {np.dtype(np.int32): "ufunc_i32", np.dtype(np.float32): "ufunc_f32"}


def _elementwise(name: str, op: int, reference: Callable[..., Any], a: Any, b: Any, dispatch: str) -> Any:
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.dtype not in _UFUNC_KERNELS:
        raise TypeError(
            f"codesign.numpy.{name} takes two int32 or two float32 arrays, got {a.dtype} and {b.dtype}"
        )
    shape = np.broadcast_shapes(a.shape, b.shape)
    kernel = _UFUNC_KERNELS[a.dtype]
    elements = int(np.prod(shape, dtype=np.int64))
    if not on_accelerator(kernel, elements, dispatch):
        return reference(a, b)
    out = _run(kernel, a=np.broadcast_to(a, shape), b=np.broadcast_to(b, shape), op=op)["out"]
    return _scalar_or_array(out.reshape(shape))


def add(a: Any, b: Any, *, dispatch: str = "auto") -> Any:
    """``np.add(a, b)`` for int32 or float32 arrays (see the module's float32 notes)."""
    return _elementwise("add", 0, np.add, a, b, dispatch)


def subtract(a: Any, b: Any, *, dispatch: str = "auto") -> Any:
    """``np.subtract(a, b)`` for int32 or float32 arrays."""
    return _elementwise("subtract", 1, np.subtract, a, b, dispatch)


def multiply(a: Any, b: Any, *, dispatch: str = "auto") -> Any:
    """``np.multiply(a, b)`` for int32 or float32 arrays (int32: the low 32 bits)."""
    return _elementwise("multiply", 2, np.multiply, a, b, dispatch)


def _int32s(name: str, *arrays: Any) -> Tuple[np.ndarray, ...]:
    converted = tuple(np.asarray(x) for x in arrays)
    if any(x.dtype != np.int32 for x in converted):
        got = " and ".join(str(x.dtype) for x in converted)
        raise TypeError(f"codesign.numpy.{name} takes int32 arrays, got {got}")
    return converted


def _reduce(op: int, a: np.ndarray, b: np.ndarray) -> np.int64:
    """The kernel's exact 128-bit total, low 64 bits as NumPy's int64 (which wraps there)."""
    low = _run("reduce_all", a=a, b=b, op=op)["result"][0]
    return np.int64(low)


def sum(a: Any, *, dispatch: str = "auto") -> np.int64:  # noqa: A001
    """``np.sum(a)`` of an int32 array (the whole array): an int64."""
    (a,) = _int32s("sum", a)
    if not on_accelerator("reduce_all", a.size, dispatch):
        return np.sum(a)
    return _reduce(0, a, a)


def sum_squares(a: Any, *, dispatch: str = "auto") -> np.int64:
    """``np.sum(np.square(a, dtype=np.int64))`` of an int32 array: an int64."""
    (a,) = _int32s("sum_squares", a)
    if not on_accelerator("reduce_all", a.size, dispatch):
        return np.sum(np.square(a, dtype=np.int64))
    return _reduce(1, a, a)


def sad(a: Any, b: Any, *, dispatch: str = "auto") -> np.int64:
    """``np.sum(np.abs(np.subtract(a, b, dtype=np.int64)))``: the sum of absolute differences
    of two int32 arrays (broadcast as NumPy does), an int64."""
    a, b = _int32s("sad", a, b)
    shape = np.broadcast_shapes(a.shape, b.shape)
    elements = int(np.prod(shape, dtype=np.int64))
    if not on_accelerator("reduce_all", elements, dispatch):
        return np.sum(np.abs(np.subtract(a, b, dtype=np.int64)))
    return _reduce(2, np.broadcast_to(a, shape), np.broadcast_to(b, shape))


_STENCIL = {np.dtype(np.int16): ("stencil5_q8_8", 8), np.dtype(np.int32): ("stencil5_q16_16", 16)}
#: The widths the stencil kernels' line buffers take.
STENCIL_WIDTHS = (3, 1024)


def stencil5_reference(x: np.ndarray) -> np.ndarray:
    """The 5-point average ``0.2 * (C + N + E + S + W)`` of a fixed-point grid's interior, in
    NumPy: ``x`` holds raw ``ap_fixed`` values (int16: Q8.8, int32: Q16.16); the five are summed
    exactly, multiplied by ``floor(0.2 * 2^F)``, shifted right by F (floor) and wrapped to the
    dtype. Shape ``(h - 2, w - 2)``."""
    _, fraction = _STENCIL[x.dtype]
    w = x.astype(np.int64)
    total = w[1:-1, 1:-1] + w[:-2, 1:-1] + w[1:-1, 2:] + w[2:, 1:-1] + w[1:-1, :-2]
    return ((total * ((1 << fraction) // 5)) >> fraction).astype(x.dtype)


def stencil5(x: Any, *, dispatch: str = "auto") -> np.ndarray:
    """:func:`stencil5_reference` of a 2-D int16 or int32 grid of at least 3 x 3."""
    x = np.asarray(x)
    if x.dtype not in _STENCIL:
        raise TypeError(f"codesign.numpy.stencil5 takes an int16 (Q8.8) or int32 (Q16.16) grid, got {x.dtype}")
    if x.ndim != 2 or x.shape[0] < 3 or x.shape[1] < 3:
        raise ValueError(f"codesign.numpy.stencil5 takes a 2-D grid of at least 3 x 3, got shape {x.shape}")
    kernel, _ = _STENCIL[x.dtype]
    height, width = x.shape
    fits = STENCIL_WIDTHS[0] <= width <= STENCIL_WIDTHS[1]
    if not on_accelerator(kernel, x.size, dispatch) or not fits and dispatch != "accelerator":
        return stencil5_reference(x)
    if not fits:
        raise ValueError(
            f"codesign.numpy.stencil5: kernel `{kernel}` takes widths {STENCIL_WIDTHS[0]}..{STENCIL_WIDTHS[1]}, "
            f"the grid is {width} wide"
        )
    out = _run(kernel, **{"in": x, "width": width, "height": height})["out"]
    return out.reshape(height - 2, width - 2)
