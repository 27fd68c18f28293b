"""Harness task "metrics": figures (value + unit + span), indicators, and no figure in terms."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from jjnlp.evaluate.gold import GoldDoc
from jjnlp.evaluate.scoring import Counts, TaskResult
from jjnlp.metrics import extract_metrics
from jjnlp.model import Span
from jjnlp.structure import parse_outline


def evaluate(golds: Sequence[GoldDoc]) -> TaskResult:
    result = TaskResult("metrics")
    indicator_right = head_right = matched = in_terms = docs = gold_figures = 0
    for gold in golds:
        if "metrics" not in gold.data:
            continue
        docs += 1
        document = gold.document
        predicted, _ = extract_metrics(document, parse_outline(document))
        remaining = [(gold.locate(g), g) for g in gold.data["metrics"]]
        gold_figures += len(remaining)
        for metric in predicted:
            span = Span(metric.start, metric.end)
            counts = result.per_label.setdefault(metric.kind, Counts())
            hit = next(
                (
                    pair
                    for pair in remaining
                    if pair[0].overlaps(span)
                    and Decimal(pair[1]["value"]) == metric.value
                    and pair[1]["unit"] == metric.unit
                ),
                None,
            )
            if hit is None:
                counts.fp += 1
                result.errors.append(f"{gold.id}: 多检 {metric.text}（{metric.indicator}）")
                continue
            remaining.remove(hit)
            counts.tp += 1
            matched += 1
            wanted = hit[1]["indicator"]
            if metric.indicator and (
                wanted.endswith(metric.indicator) or metric.indicator.endswith(wanted)
            ):
                head_right += 1  # same head noun: 党组会议 / 单位党组会议
            if metric.indicator == wanted:
                indicator_right += 1
            else:
                result.errors.append(
                    f"{gold.id}: 指标 {metric.text} 应为 {wanted}，识别为 {metric.indicator}"
                )
        for _span, entry in remaining:
            result.per_label.setdefault(entry["kind"], Counts()).fn += 1
            result.errors.append(f"{gold.id}: 漏检 {entry['text']}")
        for term in gold.data.get("non_metrics", []):
            for occurrence in gold.occurrences(term):
                in_terms += sum(1 for m in predicted if occurrence.overlaps(Span(m.start, m.end)))
    result.per_label = dict(sorted(result.per_label.items()))
    result.headline["indicator accuracy"] = indicator_right / matched if matched else 0.0
    result.headline["indicator accuracy (same head noun)"] = (
        head_right / matched if matched else 0.0
    )
    result.headline["figures inside non-metric terms"] = float(in_terms)
    result.notes.append(f"gold documents with metrics: {docs}; gold figures: {gold_figures}")
    return result
