"""The metrics harness on corpora/gold holds the issue's targets."""

from __future__ import annotations

from pathlib import Path

from jjnlp.evaluate import run_tasks

GOLD = Path(__file__).resolve().parent.parent / "corpora" / "gold"


def test_gold_corpus_meets_the_figure_and_indicator_targets() -> None:
    (result,) = run_tasks(str(GOLD), ["metrics"])
    total = result.total()
    assert total.tp > 200  # the corpus is really there
    assert total.f1 >= 0.97
    assert result.headline["indicator accuracy"] >= 0.90
    assert result.headline["figures inside non-metric terms"] == 0
