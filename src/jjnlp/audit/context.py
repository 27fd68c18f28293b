"""What every rule sees: the document, its outline and figures, the configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jjnlp.model import CaseNotice, Document, Interval, Metric, Outline, Span


@dataclass(slots=True)
class AuditContext:
    document: Document
    outline: Outline
    metrics: list[Metric]
    config: Mapping[str, Any]  # the audit's section, defaults merged in
    cases: CaseNotice | None = None  # the notice's cases, when the document is one
    checked: dict[str, set[int]] = field(default_factory=dict)  # rule → metric indices

    @property
    def text(self) -> str:
        return self.document.text

    def options(self, rule: str) -> Mapping[str, Any]:
        options: Mapping[str, Any] = self.config["rules"][rule]
        return options

    def mark(self, rule: str, *indices: int) -> None:
        self.checked.setdefault(rule, set()).update(indices)

    def span(self, index: int) -> Span:
        metric = self.metrics[index]
        return Span(metric.start, metric.end)

    def related(self, index: int, kind: str) -> list[int]:
        return [r.target for r in self.metrics[index].relations if r.kind == kind]

    def sentence_of(self, offset: int) -> Span:
        for sentence in self.outline.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return Span(offset, offset)


def bounds(metric: Metric) -> tuple[Decimal | None, Decimal | None]:
    return metric.interval.low, metric.interval.high


def quotient_range(numerator: Metric, denominator: Metric) -> tuple[Decimal, Decimal] | None:
    """All values 100·n/d can take for n, d in the figures' intervals (None if unbounded)."""
    n_low, n_high = bounds(numerator)
    d_low, d_high = bounds(denominator)
    if None in (n_low, n_high, d_low, d_high) or not d_low or d_low <= 0:
        return None
    assert n_low is not None and n_high is not None and d_high is not None
    return n_low * 100 / d_high, n_high * 100 / d_low


def agrees(stated: Interval, low: Decimal, high: Decimal) -> bool:
    """The stated interval and the computed range overlap (precision-aware, never a point test)."""
    if stated.low is not None and high < stated.low:
        return False
    return not (stated.high is not None and low > stated.high)
