"""Shared fixtures: the workspace root and backends opened once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

import codesign

# No example database: a run leaves no files behind, and every run draws afresh (the failing
# example is printed when a property fails).
settings.register_profile("codesign", database=None)
settings.load_profile("codesign")

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def golden() -> codesign.Backend:
    return codesign.open("golden")


@pytest.fixture(scope="session")
def cosim() -> codesign.Backend:
    return codesign.open("cosim")
