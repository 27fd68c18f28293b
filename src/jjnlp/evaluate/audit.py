"""Harness task "audit": per-rule precision and recall of findings against gold."""

from __future__ import annotations

from collections.abc import Sequence

from jjnlp.evaluate.gold import GoldDoc
from jjnlp.evaluate.scoring import Counts, TaskResult
from jjnlp.model import Span
from jjnlp.pipeline import run

ARITHMETIC = (
    "rate",
    "share",
    "grim",
    "part_whole",
    "shares_total",
    "done_le_found",
    "subset_le_total",
    "yoy",
    "announced_count",
)


def evaluate(golds: Sequence[GoldDoc]) -> TaskResult:
    """Per-rule P/R; an info finding (a note, never an alarm) counts only when gold lists it."""
    result = TaskResult("audit")
    arithmetic = Counts()
    serious_all = Counts()
    notes = 0
    docs = gold_total = 0
    for gold in golds:
        if "findings" not in gold.data:
            continue
        docs += 1
        predicted = run(gold.document, ("audit",)).findings
        remaining = [(gold.locate(g), g) for g in gold.data["findings"]]
        gold_total += len(remaining)
        for finding in predicted:
            counts = result.per_label.setdefault(finding.rule, Counts())
            span = Span(finding.start, finding.end)
            hit = next(
                (
                    pair
                    for pair in remaining
                    if pair[1]["rule"] == finding.rule and pair[0].overlaps(span)
                ),
                None,
            )
            serious = finding.severity in ("error", "warning")
            if hit:
                remaining.remove(hit)
                counts.tp += 1
                if serious:
                    serious_all.tp += 1
                if finding.rule in ARITHMETIC and serious:
                    arithmetic.tp += 1
            elif not serious:
                notes += 1
                result.errors.append(
                    f"{gold.id}: 提示 {finding.rule} {finding.text} {finding.message}"
                )
            else:
                counts.fp += 1
                serious_all.fp += 1
                if finding.rule in ARITHMETIC:
                    arithmetic.fp += 1
                result.errors.append(
                    f"{gold.id}: 误报 {finding.rule} {finding.text} {finding.message}"
                )
        for _span, entry in remaining:
            result.per_label.setdefault(entry["rule"], Counts()).fn += 1
            if entry["severity"] in ("error", "warning"):
                serious_all.fn += 1
                if entry["rule"] in ARITHMETIC:
                    arithmetic.fn += 1
            result.errors.append(f"{gold.id}: 漏报 {entry['rule']} {entry['text']}")
    result.per_label = dict(sorted(result.per_label.items()))
    result.headline["error+warning precision (all rules)"] = serious_all.precision
    result.headline["error+warning recall (all rules)"] = serious_all.recall
    result.headline["arithmetic error+warning precision"] = arithmetic.precision
    result.headline["arithmetic error+warning recall"] = arithmetic.recall
    result.notes.append(
        f"documents with gold findings: {docs} (clean ones included); findings: {gold_total}; "
        f"info notes not in gold (not scored): {notes}"
    )
    return result
