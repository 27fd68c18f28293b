"""Harness task "headings": heading detection (level, number, title, span) and 公文 parts."""

from __future__ import annotations

from collections.abc import Sequence

from jjnlp.evaluate.gold import GoldDoc
from jjnlp.evaluate.scoring import Counts, TaskResult
from jjnlp.model import Outline, Span
from jjnlp.structure import parse_outline

PARTS = ("title", "addressee", "issuer", "date")
# scored only on gold that annotates them (null: the document has none)
OPTIONAL_PARTS = ("issuing_body", "doc_number")


def _gold_headings(gold: GoldDoc) -> list[tuple[int, str, str, Span]]:
    """Gold headings located in order: each title is searched after the previous one."""
    text = gold.document.text
    located, at = [], 0
    for h in gold.data.get("headings", []):
        found = text.find(h["title"], at)
        # a heading title stands right after its marker at the start of a line
        while found >= 0 and found - (text.rfind("\n", 0, found) + 1) > 6:
            found = text.find(h["title"], found + 1)
        if found < 0:
            # raises a GoldError naming it, or on a twin gives LOST: a heading its reader lost
            located.append(
                (
                    h["level"],
                    str(h["number"]),
                    h["title"],
                    gold.locate({"text": h["title"], "nth": 10**6}),
                )
            )
            continue
        located.append(
            (h["level"], str(h["number"]), h["title"], Span(found, found + len(h["title"])))
        )
        at = found + len(h["title"])
    return located


def _part_text(outline: Outline, text: str, name: str) -> str | None:
    span = getattr(outline, name)
    return span.slice(text) if span is not None else None


def evaluate(golds: Sequence[GoldDoc]) -> TaskResult:
    result = TaskResult("headings")
    parts_right = {name: 0 for name in PARTS + OPTIONAL_PARTS}
    parts_docs = dict.fromkeys(OPTIONAL_PARTS, 0)
    period_right = items_tp = items_gold = items_pred = docs = 0
    for gold in golds:
        if "headings" not in gold.data:
            continue
        docs += 1
        outline = parse_outline(gold.document)
        text = gold.document.text
        remaining = _gold_headings(gold)
        for section in outline.walk():
            label = f"level{section.level}"
            counts = result.per_label.setdefault(label, Counts())
            match = next(
                (
                    g
                    for g in remaining
                    if g[:3] == (section.level, section.number, section.title)
                    and g[3].overlaps(section.heading)
                ),
                None,
            )
            if match:
                remaining.remove(match)
                counts.tp += 1
            else:
                counts.fp += 1
                result.errors.append(f"{gold.id}: 多检 {section.marker}{section.title}")
        for level, number, title, _ in remaining:
            result.per_label.setdefault(f"level{level}", Counts()).fn += 1
            result.errors.append(f"{gold.id}: 漏检 L{level} {number} {title}")
        for name in PARTS + tuple(n for n in OPTIONAL_PARTS if n in gold.data):
            parts_docs[name] = parts_docs.get(name, 0) + 1
            got = _part_text(outline, text, name)
            if got == gold.data.get(name):
                parts_right[name] += 1
            else:
                wanted_part = gold.data.get(name)
                result.errors.append(f"{gold.id}: {name} 应为 {wanted_part!r}，识别为 {got!r}")
        wanted = gold.data.get("period")
        got = outline.report_period.text if outline.report_period else None
        if wanted == got or (wanted and got and (got in wanted or wanted in got)):
            period_right += 1
        else:
            result.errors.append(f"{gold.id}: 报告期应为 {wanted!r}，识别为 {got!r}")
        if "items" not in gold.data:
            continue  # items not annotated for this document (an empty list is a claim)
        gold_items = [(i["marker"], i["text"]) for i in gold.data["items"]]
        pred_items = [(i.marker, i.headline) for i in outline.items]
        items_gold += len(gold_items)
        items_pred += len(pred_items)
        items_tp += sum(1 for item in pred_items if item in gold_items)
    result.per_label = dict(sorted(result.per_label.items()))
    if docs:
        for name in PARTS:
            result.headline[f"{name} accuracy"] = parts_right[name] / docs
        for name in OPTIONAL_PARTS:
            if parts_docs[name]:
                result.headline[f"{name} accuracy"] = parts_right[name] / parts_docs[name]
        result.headline["report period accuracy"] = period_right / docs
    if items_gold or items_pred:
        result.headline["items precision"] = items_tp / items_pred if items_pred else 1.0
        result.headline["items recall"] = items_tp / items_gold if items_gold else 1.0
    result.notes.append(f"gold documents: {docs}")
    return result
