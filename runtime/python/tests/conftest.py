"""Shared fixtures: the workspace root and backends opened once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

import codesign

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
