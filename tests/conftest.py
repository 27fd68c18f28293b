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


def load_script(name: str) -> ModuleType:
    """A script of scripts/ imported as a module (scripts are not package code)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def make_formats() -> ModuleType:
    return load_script("make_formats")


@pytest.fixture(scope="session")
def train_transformer() -> ModuleType:
    return load_script("train_transformer")
