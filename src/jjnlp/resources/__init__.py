"""Lexicons, taxonomies and patterns shipped with jjnlp, loaded once on first use.

Data lives in files beside this module (TOML or one entry per line); code asks for
it by file name and never spells the entries itself.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


def _read(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@cache
def load_toml(name: str) -> dict[str, Any]:
    """A TOML resource as a dict (cached)."""
    return tomllib.loads(_read(name))


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """A one-entry-per-line resource, without blank lines and ``#`` comments (cached)."""
    lines = (line.strip() for line in _read(name).splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))
