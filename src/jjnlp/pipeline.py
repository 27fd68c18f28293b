"""One document from file to findings: read once, then run the stages in order.

Each stage is a function ``stage(analysis) -> None`` that fills its own field of
:class:`~jjnlp.model.Analysis`; stages are named here and imported on first use,
so asking for the outline never loads spaCy.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from jjnlp.model import Analysis, Document

# name -> "module:function"; order is dependency order.
STAGES: dict[str, str] = {
    "structure": "jjnlp.structure:annotate",
    "metrics": "jjnlp.metrics:annotate",
    "entities": "jjnlp.entities:annotate",
    "cases": "jjnlp.cases:annotate",
    "problems": "jjnlp.classify:annotate",
    "audit": "jjnlp.audit:annotate",
}

# what each stage needs before it can run
REQUIRES: dict[str, tuple[str, ...]] = {
    "structure": (),
    "metrics": ("structure",),
    "entities": (),
    "cases": ("structure", "metrics"),
    "problems": ("structure",),
    "audit": ("structure", "metrics"),
}

# the Analysis fields each stage fills (a field of a stage that did not run is left out of JSON)
FIELDS: dict[str, tuple[str, ...]] = {
    "structure": ("outline",),
    "metrics": ("metrics", "terms"),
    "entities": ("entities",),
    "problems": ("problems",),
    "cases": ("cases",),
    "audit": ("findings", "coverage"),
}

StageFn = Callable[[Analysis], None]


def stage_function(name: str) -> StageFn:
    module_name, _, attr = STAGES[name].partition(":")
    fn: StageFn = getattr(importlib.import_module(module_name), attr)
    return fn


def resolve(stages: tuple[str, ...] | None) -> tuple[str, ...]:
    """The requested stages plus what they require, in pipeline order."""
    wanted = set(STAGES if stages is None else stages)
    unknown = wanted - set(STAGES)
    if unknown:
        raise ValueError(f"unknown stage(s): {', '.join(sorted(unknown))}")
    pending = list(wanted)
    while pending:
        for dep in REQUIRES[pending.pop()]:
            if dep not in wanted:
                wanted.add(dep)
                pending.append(dep)
    return tuple(name for name in STAGES if name in wanted)


def run(document: Document, stages: tuple[str, ...] | None = None) -> Analysis:
    analysis = Analysis(document=document)
    for name in resolve(stages):
        stage_function(name)(analysis)
        analysis.stages.append(name)
    return analysis


def analyze(path: str, stages: tuple[str, ...] | None = None) -> Analysis:
    from jjnlp.readers import load

    return run(load(path), stages)
