"""Import on first use: a ``"module:attribute"`` name resolved only when it is needed."""

from __future__ import annotations

import importlib
import threading
from typing import Any


def attribute(spec: str) -> Any:
    """The object ``spec`` names (``"jjnlp.evaluate.audit:evaluate"``), its module imported."""
    module_name, _, name = spec.partition(":")
    return getattr(importlib.import_module(module_name), name)


def import_in_background(*modules: str) -> threading.Thread:
    """Import ``modules`` in a thread of their own, so that a process waiting on others (the
    batch on its workers) pays for a slow import while it waits, not when it first needs
    the module; a later ``import`` of one waits for it (Python's module locks)."""

    def run() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except ImportError:  # the import where the module is needed reports it
                return

    thread = threading.Thread(target=run, name="jjnlp-import", daemon=True)
    thread.start()
    return thread
