"""Shared fixtures: paths to the corpus and the shared seed, and the format generator."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
SEED = ROOT.parent / "shared" / "seeds" / "000_fe7c96927f2dd2d9.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip("../shared/seeds is not present on this machine")
    return SEED


@pytest.fixture(scope="session")
def make_formats() -> ModuleType:
    """scripts/make_formats.py, imported as a module (it is a script, not package code)."""
    spec = importlib.util.spec_from_file_location(
        "make_formats", ROOT / "scripts" / "make_formats.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
