"""What a rule yields (a draft) and how it becomes a Finding with a stable fingerprint."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from jjnlp.model import Finding, Span


@dataclass(slots=True)
class Draft:
    start: int
    end: int
    message: str
    evidence: tuple[Span, ...] = ()
    stated: str | None = None
    expected: str | None = None
    severity: str | None = None  # overrides the rule's default
    checked: tuple[int, ...] = field(default_factory=tuple)  # metric indices the rule used


def fingerprint(rule: str, text: str, start: int, end: int) -> str:
    """Stable across edits elsewhere: the rule, the stated text and a few characters around it."""
    window = text[max(0, start - 8) : end + 8]
    return hashlib.sha1(f"{rule}\x1f{window}".encode()).hexdigest()[:12]


def finalise(rule: str, severity: str, draft: Draft, text: str) -> Finding:
    return Finding(
        rule=rule,
        severity=str(draft.severity or severity),  # type: ignore[arg-type]
        message=draft.message,
        start=draft.start,
        end=draft.end,
        text=text[draft.start : draft.end],
        evidence=draft.evidence,
        stated=draft.stated,
        expected=draft.expected,
        fingerprint=fingerprint(rule, text, draft.start, draft.end),
    )


def percent(value: Decimal, decimals: int) -> str:
    """An exact value as a report would state it: at least one decimal (75.0%)."""
    # a figure written with more decimals than any report uses is shown to 12 of them
    # (quantizing to 28 places would exceed the decimal context's precision)
    places = Decimal(1).scaleb(-min(max(decimals, 1), 12))
    return f"{value.quantize(places, rounding=ROUND_HALF_UP)}%"
