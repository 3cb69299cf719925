"""NumPy's time per call for ``codesign sweep``'s NumPy column.

``python -m codesign._sweep KERNEL OP REPEAT N...`` prints ``N,seconds`` per size: the median
of REPEAT samples, each a loop of calls of at least 2 ms, on seeded random inputs (the same
method as the sweep's golden column). A kernel with no NumPy equivalent at every N prints
nothing and exits 0.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Callable, Dict, List, Tuple

import numpy as np


#: NumPy's side of a kernel and op, as a function of two random streams of N elements.
EQUIVALENTS: Dict[Tuple[str, int], Callable[[np.ndarray, np.ndarray], Any]] = {
    ("ufunc_i32", 0): np.add,
    ("ufunc_i32", 1): np.subtract,
    ("ufunc_i32", 2): np.multiply,
    ("ufunc_f32", 0): np.add,
    ("ufunc_f32", 1): np.subtract,
    ("ufunc_f32", 2): np.multiply,
    ("reduce_all", 0): lambda a, b: np.sum(a),
    ("reduce_all", 1): lambda a, b: np.sum(np.square(a, dtype=np.int64)),
    ("reduce_all", 2): lambda a, b: np.sum(np.abs(np.subtract(a, b, dtype=np.int64))),
}

MIN_SAMPLE_S = 2e-3


def seconds_per_call(function: Callable[[np.ndarray, np.ndarray], Any], a: np.ndarray, b: np.ndarray, repeat: int) -> float:
    function(a, b)  # warm caches and the allocator
    samples: List[float] = []
    for _ in range(max(repeat, 1)):
        calls, start = 0, time.perf_counter()
        while True:
            function(a, b)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= MIN_SAMPLE_S:
                break
        samples.append(elapsed / calls)
    return float(np.median(samples))


def main(argv: List[str]) -> int:
    kernel, op, repeat, sizes = argv[0], int(argv[1]), int(argv[2]), [int(n) for n in argv[3:]]
    function = EQUIVALENTS.get((kernel, op))
    if function is None:
        return 0
    dtype = np.float32 if kernel == "ufunc_f32" else np.int32
    for n in sizes:
        rng = np.random.default_rng(n)
        if dtype == np.float32:
            a, b = (rng.standard_normal(n).astype(np.float32) for _ in range(2))
        else:
            a, b = (rng.integers(-(2**31), 2**31, n, dtype=np.int32) for _ in range(2))
        print(f"{n},{seconds_per_call(function, a, b, repeat)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
