"""codesign from Python: any kernel on any backend, NumPy arrays in and out.

>>> import codesign, numpy as np
>>> k = codesign.open("golden").kernel("ufunc_i32")
>>> r = k(a=np.array([1, 2], dtype=np.int32), b=np.array([10, 20], dtype=np.int32), op=0)
>>> r.out
array([11, 22], dtype=int32)

``codesign.open(config)`` takes the same configs as the CLI: ``None`` means
``$CODESIGN_CONFIG``, else the built-in cosim config; a built-in name (``"golden"``,
``"cosim"``, ``"csim"``, ``"board-sim"``) or a YAML file. ``codesign.numpy`` has the
kernels as NumPy functions with transparent CPU/accelerator dispatch.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

import numpy as np

from . import _codesign
from .errors import (
    BackendError,
    Error,
    HangError,
    InputError,
    PerfRegressionError,
    ProtocolError,
    SetupError,
    VerificationError,
)

__all__ = [
    "open",
    "Backend",
    "Kernel",
    "Call",
    "Report",
    "PortReport",
    "Error",
    "VerificationError",
    "SetupError",
    "InputError",
    "BackendError",
    "HangError",
    "ProtocolError",
    "PerfRegressionError",
    "BUILTIN_CONFIGS",
]

#: The configs built into the runtime (the files in ``configs/``), by name.
BUILTIN_CONFIGS: List[str] = list(_codesign.BUILTIN_CONFIGS)


@dataclass(frozen=True)
class PortReport:
    """Handshake statistics of one stream port during a call."""

    name: str
    input: bool
    transfers: int
    #: Cycles with VALID && !READY: this port's transfers were held back.
    stalled: int
    first: Optional[int]
    last: Optional[int]
    achieved_ii: Optional[float]


@dataclass(frozen=True)
class Report:
    """What the backend says about a call besides its outputs.

    ``cycles`` run from the ``ap_start`` write to the interrupt (``None`` where the backend has
    no clock); ``bound`` is the manifest's interface bound for the call's size and
    ``efficiency`` = bound / cycles.
    """

    cycles: Optional[int]
    simulated_cycles: Optional[int]
    wall_s: float
    bound: int
    efficiency: Optional[float]
    latency: Optional[int]
    output_ii: Optional[float]
    #: The backend that ran the call when it is not the one called (``auto``).
    executed_by: Optional[str]
    #: The call's waveform file when it was traced (``CODESIGN_TRACE``, ``cosim.trace``).
    waveform: Optional[str]
    ports: List[PortReport] = field(default_factory=list)

    @property
    def stalls(self) -> Dict[str, int]:
        """Stall cycles per port name."""
        return {p.name: p.stalled for p in self.ports}

    @classmethod
    def _from_dict(cls, d: Dict[str, Any]) -> "Report":
        fields = dict(d)
        fields["ports"] = [PortReport(**p) for p in d["ports"]]
        return cls(**fields)


class Call:
    """One call's outputs (NumPy arrays of the manifest's dtypes; output arguments as ints)
    and its :class:`Report`. ``call.out`` and ``call["out"]`` are the output ``out``;
    ``outputs, report = call`` unpacks."""

    def __init__(self, outputs: Dict[str, Any], report: Report) -> None:
        self.outputs = outputs
        self.report = report

    def __getitem__(self, name: str) -> Any:
        return self.outputs[name]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["outputs"][name]
        except KeyError:
            raise AttributeError(f"no output `{name}` (outputs: {', '.join(self.__dict__['outputs'])})") from None

    def __iter__(self) -> Iterator[Any]:
        return iter((self.outputs, self.report))

    def __repr__(self) -> str:
        return f"Call(outputs={self.outputs!r}, cycles={self.report.cycles})"


class Kernel:
    """A kernel bound to a backend. Call it with its inputs as keyword arguments: streams and
    buffers as NumPy arrays of the manifest's dtype (any shape, read in C order; a C-contiguous
    array is read in place), scalar arguments as ints.

    Raises ``TypeError`` for a wrong dtype (the CLI's wording), :class:`InputError` (a
    ``ValueError``) for inputs that do not fit the manifest, and the :class:`Error` subclass
    of the failure's exit code otherwise.
    """

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    @property
    def name(self) -> str:
        """The kernel's name."""
        return self._handle.name

    def __call__(self, **inputs: Union[np.ndarray, int]) -> Call:
        outputs, report = self._handle.call(inputs)
        return Call(outputs, Report._from_dict(report))

    def __repr__(self) -> str:
        inputs, args, outputs = self._handle.signature()
        shown = [f"{n}: {d}" for n, d in inputs] + [f"{a}: int" for a in args]
        return f"Kernel({self.name}({', '.join(shown)}) -> {', '.join(f'{n}: {d}' for n, d in outputs)})"


class Backend:
    """An open backend: golden, csim, cosim, board-sim, auto, or a board."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    @property
    def name(self) -> str:
        """The backend's name (``cosim``)."""
        return self._handle.name

    @property
    def counts_cycles(self) -> bool:
        """Whether reports carry exact cycles."""
        return self._handle.counts_cycles

    def kernel(self, name: str) -> Kernel:
        """A library kernel or shipped graph by name (``ufunc_i32``, ``jacobi``)."""
        return Kernel(self._handle.kernel(name))

    def kernel_dir(self, path: Union[str, "os.PathLike[str]"], name: Optional[str] = None) -> Kernel:
        """An out-of-tree kernel folder (``kernel.yaml`` + RTL), verilated on first use;
        ``name`` picks one of a folder's parameter sets (``gemm_pe8_w8`` of ``gemm``)."""
        return Kernel(self._handle.kernel_dir(os.fspath(path), name))

    def __repr__(self) -> str:
        return f"Backend({self.name}, config={self._handle.config})"


def open(config: Optional[Union[str, "os.PathLike[str]"]] = None) -> Backend:  # noqa: A001
    """The backend a config names: ``None`` is ``$CODESIGN_CONFIG``, else the built-in cosim
    config; a built-in name or a YAML file's path."""
    return Backend(_codesign.open(None if config is None else os.fspath(config)))


from . import numpy  # noqa: E402  (codesign.numpy after import codesign)
