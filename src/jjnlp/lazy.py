"""Import on first use: a ``"module:attribute"`` name resolved only when it is needed."""

from __future__ import annotations

import importlib
from typing import Any


def attribute(spec: str) -> Any:
    """The object ``spec`` names (``"jjnlp.evaluate.audit:evaluate"``), its module imported."""
    module_name, _, name = spec.partition(":")
    return getattr(importlib.import_module(module_name), name)
