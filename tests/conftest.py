"""Shared fixtures: paths to the corpus and the shared seed, and the format generator."""

from __future__ import annotations

import collections
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

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
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def make_formats() -> ModuleType:
    return load_script("make_formats")


@pytest.fixture(scope="session")
def train_transformer() -> ModuleType:
    return load_script("train_transformer")


def comment_anchors(word: Any) -> dict[str, str]:
    """Comment id → the shown text (w:t) between its commentRangeStart and End in a
    python-docx Document."""
    from docx.oxml.ns import qn

    anchored: dict[str, str] = collections.defaultdict(str)
    open_ids: set[str] = set()
    for element in word.element.body.iter():
        if element.tag == qn("w:commentRangeStart"):
            open_ids.add(element.get(qn("w:id")))
        elif element.tag == qn("w:commentRangeEnd"):
            open_ids.discard(element.get(qn("w:id")))
        elif element.tag == qn("w:t"):
            for comment_id in open_ids:
                anchored[comment_id] += element.text or ""
    return dict(anchored)
