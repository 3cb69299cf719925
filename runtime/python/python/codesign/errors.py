"""The exceptions of codesign: one ``Error`` subclass per exit code of the ``codesign`` CLI.

The Rust runtime decides the exit code of every error (``runtime/src/cli/mod.rs``,
``classify``; codes in ``runtime/src/cli/exit_codes.rs``); this module only names the classes.

=====  ========================  ==============================================================
code   class                     when
=====  ========================  ==============================================================
1      ``VerificationError``     outputs differed from the golden model
2      ``SetupError``            bad config, manifest, kernel or backend name, or call inputs
                                 (``InputError``, also a ``ValueError``, for the call inputs)
3      ``BackendError``          a backend failed while running: ``HangError`` (a kernel that
                                 stopped moving, or a deadlocked graph), ``ProtocolError``
4      ``PerfRegressionError``   a cycle count grew past its baseline (``codesign perf``)
=====  ========================  ==============================================================

Hangs and protocol errors on cosim name the waveform of the failing call; ``waveform`` holds
that path (``None`` when no trace was recorded).
"""

from __future__ import annotations

from typing import Optional


class Error(Exception):
    """Any codesign failure. ``exit_code`` is what the CLI would exit with."""

    exit_code: int = 0

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.waveform: Optional[str] = _waveform(message)


class VerificationError(Error):
    """Outputs differed from the golden model (exit code 1)."""

    exit_code = 1


class SetupError(Error):
    """A config, manifest, kernel or backend name, or the call's inputs were wrong (exit code 2)."""

    exit_code = 2


class InputError(SetupError, ValueError):
    """The call's inputs do not fit the kernel (missing, unknown, empty, mismatched lengths)."""


class BackendError(Error):
    """A backend failed while running a call (exit code 3)."""

    exit_code = 3


class HangError(BackendError):
    """The kernel stopped moving (the watchdog fired) or a graph deadlocked."""


class ProtocolError(BackendError):
    """A bus protocol rule was broken (AXI4-Stream, AXI4-Lite, block protocol)."""


class PerfRegressionError(Error):
    """A cycle count grew past its baseline, or has none (exit code 4)."""

    exit_code = 4


_BY_CODE = {1: VerificationError, 2: SetupError, 3: BackendError, 4: PerfRegressionError}
_BY_KIND = {"input": InputError, "timeout": HangError, "protocol": ProtocolError}


def _waveform(message: str) -> Optional[str]:
    """The path after ``waveform:`` in a cosim failure, unless it says none was recorded."""
    for line in message.splitlines():
        head, sep, path = line.strip().partition("waveform: ")
        if sep and not head and path and not path.startswith("none"):
            return path
    return None


def _from_runtime(exit_code: int, kind: str, message: str) -> Error:
    """Called by the extension: the exception for a runtime error."""
    cls = _BY_KIND.get(kind) or _BY_CODE.get(exit_code, Error)
    if not issubclass(cls, _BY_CODE.get(exit_code, Error)):
        cls = _BY_CODE.get(exit_code, Error)
    return cls(message)
