"""What a rule yields (a draft) and how it becomes a Finding with a stable fingerprint."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from jjnlp.model import Finding, Span
from jjnlp.zh.text import Level, near, nfkc


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


def fingerprint(rule: str, text: str, start: int, end: int, indicator: str = "") -> str:
    """What a finding is about, not where it is: the rule, the figure's indicator and the
    words and figures of its phrase (，-bounded), normalised; stable across edits elsewhere
    in the document, so a reviewer's verdict follows it to a revised report."""
    phrase_start = near(text, start, Level.PHRASE)[0]
    phrase = text[phrase_start : near(text, max(start, end - 1), Level.PHRASE)[1]]
    words = "".join(nfkc(phrase).split())
    return hashlib.sha1(f"{rule}\x1f{indicator}\x1f{words}".encode()).hexdigest()[:16]


class Disambiguator:
    """Fingerprints made unique as they come: the n-th finding with an already seen one gets
    its own, derived from n (two equal phrases in one document stay two findings, in their
    order)."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, value: str) -> str:
        n = self._seen[value] = self._seen.get(value, 0) + 1
        return value if n == 1 else hashlib.sha1(f"{value}#{n}".encode()).hexdigest()[:16]


def disambiguate(fingerprints: list[str]) -> list[str]:
    """:class:`Disambiguator` over a list."""
    unique = Disambiguator()
    return [unique(value) for value in fingerprints]


def finalise(rule: str, severity: str, draft: Draft, text: str, indicator: str = "") -> Finding:
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
        fingerprint=fingerprint(rule, text, draft.start, draft.end, indicator),
    )


def percent(value: Decimal, decimals: int) -> str:
    """An exact value as a report would state it: at least one decimal (75.0%)."""
    # a figure written with more decimals than any report uses is shown to 12 of them
    # (quantizing to 28 places would exceed the decimal context's precision)
    places = Decimal(1).scaleb(-min(max(decimals, 1), 12))
    return f"{value.quantize(places, rounding=ROUND_HALF_UP)}%"
