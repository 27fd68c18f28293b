"""Harness task "problems": statements found in reports, and their categories (macro-F1)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jjnlp.evaluate.gold import GoldDoc
from jjnlp.evaluate.scoring import Counts, TaskResult
from jjnlp.model import Span
from jjnlp.problems import extract_problems, load_model
from jjnlp.structure import parse_outline


def evaluate(golds: Sequence[GoldDoc], model: Any = None) -> TaskResult:
    """Score extraction and the classes of ``model`` (default: the shipped scikit-learn one;
    a :class:`~jjnlp.problems.transformer.TransformerProblemModel` scores that backend)."""
    backend = "problems" if model is None else "problems[transformers]"
    result = TaskResult(backend)
    model = model or load_model()
    found = Counts()
    statements = docs = 0
    for gold in golds:
        if "problems" not in gold.data:
            continue
        docs += 1
        predicted = extract_problems(gold.document, parse_outline(gold.document), model)
        unmatched = list(predicted)
        for entry in gold.data["problems"]:
            statements += 1
            span = gold.locate(entry)
            hit = next((p for p in unmatched if Span(p.start, p.end).overlaps(span)), None)
            if hit is None:
                found.fn += 1
                labels, _ = model.predict(entry["text"])  # classify what extraction missed
                result.errors.append(f"{gold.id}: 未抽取 {entry['text']}")
            else:
                unmatched.remove(hit)
                found.tp += 1
                labels = hit.labels
            for label in set(labels) | set(entry["labels"]):
                counts = result.per_label.setdefault(label, Counts())
                if label in labels and label in entry["labels"]:
                    counts.tp += 1
                elif label in labels:
                    counts.fp += 1
                    result.errors.append(f"{gold.id}: {entry['text']} 误标 {label}")
                else:
                    counts.fn += 1
                    result.errors.append(f"{gold.id}: {entry['text']} 漏标 {label}")
        found.fp += len(unmatched)
        result.errors.extend(f"{gold.id}: 多抽 {p.headline}" for p in unmatched)
    result.per_label = dict(sorted(result.per_label.items()))
    gold_labels = [c for c in result.per_label.values() if c.tp + c.fn]
    macro = sum(c.f1 for c in gold_labels) / len(gold_labels) if gold_labels else 0.0
    result.headline["extraction precision"] = found.precision
    result.headline["extraction recall"] = found.recall
    result.headline["classification macro-F1 (labels in gold)"] = macro
    meta = model.metadata
    result.notes.append(
        f"gold reports: {docs}; gold statements: {statements}; training sentences (generated): "
        f"{meta.get('train_sentences')}"
    )
    return result
