"""Precision, recall and F1 from counts; results that print as one table."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def match_sets(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> Counts:
    """Exact-match counts between two collections of comparable keys (multisets)."""
    remaining: dict[Hashable, int] = {}
    for key in gold:
        remaining[key] = remaining.get(key, 0) + 1
    counts = Counts()
    for key in predicted:
        if remaining.get(key, 0) > 0:
            remaining[key] -= 1
            counts.tp += 1
        else:
            counts.fp += 1
    counts.fn = sum(remaining.values())
    return counts


@dataclass(slots=True)
class TaskResult:
    """One task's scores: per-label counts, headline figures, and notes (data sizes)."""

    task: str
    per_label: dict[str, Counts] = field(default_factory=dict)
    headline: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # examples of misses, for -v

    def total(self) -> Counts:
        total = Counts()
        for counts in self.per_label.values():
            total.add(counts)
        return total


def format_results(results: Iterable[TaskResult], verbose: bool = False) -> str:
    lines: list[str] = []
    for result in results:
        lines.append(f"== {result.task}")
        if result.per_label:
            lines.append(f"  {'label':<24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
            rows = [*result.per_label.items()]
            if len(rows) > 1:
                rows.append(("(micro)", result.total()))
            for label, c in rows:
                lines.append(
                    f"  {label:<24}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}"
                    f"{c.tp:>6}{c.fp:>6}{c.fn:>6}"
                )
        for name, value in result.headline.items():
            lines.append(f"  {name}: {value:.3f}")
        lines.extend(f"  {note}" for note in result.notes)
        if verbose:
            lines.extend(f"    ! {err}" for err in result.errors)
    return "\n".join(lines)
