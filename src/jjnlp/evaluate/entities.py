"""Harness task "entities": exact span-and-label match, per label and micro P/R/F1.

Gold lists each entity string once (corpora/README.md): every occurrence of the string
carries the label, except inside a longer occurrence of another string of the same
label. Gold and predictions are reduced by that same rule before they are compared.
"""

from __future__ import annotations

from collections.abc import Sequence

from jjnlp.entities import find_entities
from jjnlp.entities.rules import RuleSpan, outermost
from jjnlp.evaluate.gold import GoldDoc
from jjnlp.evaluate.scoring import Counts, TaskResult, match_sets


def gold_spans(gold: GoldDoc) -> list[RuleSpan]:
    spans = [
        RuleSpan(span.start, span.end, str(entry["label"]))
        for entry in gold.data["entities"]
        for span in gold.occurrences(str(entry["text"]))
    ]
    return outermost(spans)


def evaluate(golds: Sequence[GoldDoc]) -> TaskResult:
    import json

    from jjnlp.paths import model_path

    result = TaskResult("entities")
    docs = mentions = 0
    for gold in golds:
        if "entities" not in gold.data:
            continue
        docs += 1
        text = gold.document.text
        expected = gold_spans(gold)
        mentions += len(expected)
        predicted = outermost(
            [RuleSpan(e.start, e.end, e.label) for e in find_entities(gold.document)]
        )
        for label in sorted({s.label for s in expected} | {s.label for s in predicted}):
            want = {s for s in expected if s.label == label}
            got = {s for s in predicted if s.label == label}
            result.per_label.setdefault(label, Counts()).add(match_sets(want, got))
            result.errors += [f"{gold.id}: 漏 {label} {text[s.start : s.end]}" for s in want - got]
            result.errors += [f"{gold.id}: 多 {label} {text[s.start : s.end]}" for s in got - want]
    result.per_label = dict(sorted(result.per_label.items()))
    if mentions:
        result.headline["micro-F1"] = result.total().f1
    meta = json.loads((model_path("ner") / "training.json").read_text(encoding="utf-8"))
    result.notes.append(
        f"gold documents: {docs}; gold mentions: {mentions}; ner training sentences "
        f"(generated): {meta['train_sentences']}"
    )
    return result
