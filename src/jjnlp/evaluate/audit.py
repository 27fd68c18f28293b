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
    result = TaskResult("audit")
    arithmetic = Counts()
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
                if finding.rule in ARITHMETIC and serious:
                    arithmetic.tp += 1
            else:
                counts.fp += 1
                if finding.rule in ARITHMETIC and serious:
                    arithmetic.fp += 1
                result.errors.append(
                    f"{gold.id}: 误报 {finding.rule} {finding.text} {finding.message}"
                )
        for _span, entry in remaining:
            result.per_label.setdefault(entry["rule"], Counts()).fn += 1
            if entry["rule"] in ARITHMETIC and entry["severity"] in ("error", "warning"):
                arithmetic.fn += 1
            result.errors.append(f"{gold.id}: 漏报 {entry['rule']} {entry['text']}")
    result.per_label = dict(sorted(result.per_label.items()))
    result.headline["arithmetic error+warning precision"] = arithmetic.precision
    result.headline["arithmetic error+warning recall"] = arithmetic.recall
    result.notes.append(
        f"documents with gold findings: {docs} (clean ones included); findings: {gold_total}"
    )
    return result
