"""Harness task "cases": per-field accuracy of case notices against gold."""

from __future__ import annotations

from collections.abc import Sequence

from jjnlp.evaluate.gold import GoldDoc
from jjnlp.evaluate.scoring import TaskResult
from jjnlp.pipeline import run

FIELDS = (
    "person",
    "position",
    "unit",
    "category",
    "discipline",
    "amounts",
    "party_sanction",
    "admin_sanction",
    "treatments",
    "transferred",
    "recovered",
    "form",
)


def evaluate(golds: Sequence[GoldDoc]) -> TaskResult:
    result = TaskResult("cases")
    right = dict.fromkeys(FIELDS, 0)
    total = announced_right = notices = 0
    for gold in golds:
        if "cases" not in gold.data:
            continue
        notices += 1
        notice = run(gold.document, ("cases",)).cases
        predicted = {c.number: c for c in notice.cases} if notice else {}
        if notice and notice.announced == gold.data.get("announced_cases"):
            announced_right += 1
        for expected in gold.data["cases"]:
            total += 1
            case = predicted.get(expected["number"])
            for field in FIELDS:
                got = getattr(case, field) if case else None
                if isinstance(got, tuple):
                    got = list(got)
                if got == expected[field]:
                    right[field] += 1
                else:
                    result.errors.append(
                        f"{gold.id} #{expected['number']} {field}: "
                        f"应为 {expected[field]!r}，识别为 {got!r}"
                    )
    if total:  # no gold cases, no scores (not zeros)
        for field in FIELDS:
            result.headline[f"{field} accuracy"] = right[field] / total
        result.headline["all fields accuracy"] = sum(right.values()) / (total * len(FIELDS))
        result.headline["announced count accuracy"] = announced_right / notices
    result.notes.append(f"gold notices: {notices}; gold cases: {total}")
    return result
