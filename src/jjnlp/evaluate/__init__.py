"""The evaluation harness: every capability scored against hand-written gold.

Each task is a module here with ``evaluate(golds) -> TaskResult``; the runner
imports only the tasks asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from jjnlp.evaluate.gold import GoldDoc, load_gold_dir
from jjnlp.evaluate.scoring import TaskResult
from jjnlp.lazy import attribute

# task -> "module:function", in the order the report prints them
TASKS: dict[str, str] = {
    "headings": "jjnlp.evaluate.headings:evaluate",
    "metrics": "jjnlp.evaluate.metrics:evaluate",
    "entities": "jjnlp.evaluate.entities:evaluate",
    "cases": "jjnlp.evaluate.cases:evaluate",
    "problems": "jjnlp.evaluate.problems:evaluate",
    "audit": "jjnlp.evaluate.audit:evaluate",
}

Evaluator = Callable[[Sequence[GoldDoc]], TaskResult]


def evaluator(task: str) -> Evaluator:
    fn: Evaluator = attribute(TASKS[task])
    return fn


def run_tasks(
    gold_dir: str,
    tasks: Sequence[str],
    source_format: str = "txt",
    transformer_dir: str | None = None,
) -> list[TaskResult]:
    """The tasks' results; with ``transformer_dir``, the problems task once more on that
    transformers model (the optional backend), printed as ``problems[transformers]``."""
    gold_set = load_gold_dir(gold_dir, source_format=source_format)
    golds = gold_set.docs
    results = []
    for task in tasks:
        before = sum(len(g.lost) for g in golds)
        result = evaluator(task)(golds)
        lost = sum(len(g.lost) for g in golds) - before
        if lost:
            result.notes.append(
                f"gold spans not in the {source_format} text (counted as misses): {lost}"
            )
        if gold_set.skipped:
            result.notes.append(
                f"skipped {len(gold_set.skipped)} gold documents without a {source_format} twin: "
                + ", ".join(gold_set.skipped)
            )
        results.append(result)
    if transformer_dir and "problems" in tasks:
        from jjnlp.evaluate.problems import evaluate
        from jjnlp.problems.transformer import TransformerProblemModel

        results.append(evaluate(golds, TransformerProblemModel(transformer_dir)))
    return results
