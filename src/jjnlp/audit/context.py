"""What every rule sees: the document, its outline and figures, the configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jjnlp.model import CaseNotice, Document, Metric, Outline, Span, StatTable


@dataclass(slots=True)
class AuditContext:
    document: Document
    outline: Outline
    metrics: list[Metric]
    config: Mapping[str, Any]  # the audit's section, defaults merged in
    cases: CaseNotice | None = None  # the notice's cases, when the document is one
    tables: list[StatTable] = field(default_factory=list)  # the statistics tables
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

    def operands(self, index: int) -> tuple[list[int], list[int], str | None]:
        """A rate's or share's numerator-side figures, its whole's figures (summed when
        several: a stated method), and how the whole was chosen (``Relation.whole_by``)."""
        relations = [r for r in self.metrics[index].relations if r.kind == "rate_of"]
        parts = [r.target for r in relations if r.whole_by is None]
        wholes = [r.target for r in relations if r.whole_by is not None]
        return parts, wholes, next((r.whole_by for r in relations if r.whole_by), None)

    def sentence_of(self, offset: int) -> Span:
        for sentence in self.outline.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return Span(offset, offset)


def bounds(metric: Metric) -> tuple[Decimal | None, Decimal | None]:
    return metric.interval.low, metric.interval.high


def quotient_range(numerator: Metric, denominators: list[Metric]) -> tuple[Decimal, Decimal] | None:
    """All values 100·n/d can take for n and d = the sum of ``denominators``, each within its
    figure's interval (None if unbounded)."""
    n_low, n_high = bounds(numerator)
    d_low = _sum([bounds(d)[0] for d in denominators])
    d_high = _sum([bounds(d)[1] for d in denominators])
    if None in (n_low, n_high, d_low, d_high) or not d_low or d_low <= 0:
        return None
    assert n_low is not None and n_high is not None and d_high is not None and d_low is not None
    return n_low * 100 / d_high, n_high * 100 / d_low


def _sum(values: list[Decimal | None]) -> Decimal | None:
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


# a value rounded twice (66.949 → 66.95 → 67.0) lies up to half a unit of the next digit
# below the stated figure's own rounding interval: never an arithmetic error
DOUBLE_ROUNDING = Decimal("0.05")


def agrees(stated: Metric, low: Decimal, high: Decimal) -> bool:
    """The stated figure's interval, widened for double rounding, and the computed range
    overlap (precision-aware, never a point test)."""
    interval = stated.interval
    unit = Decimal(1).scaleb(-stated.decimals) if stated.approx is None else Decimal(0)
    if interval.low is not None and high < interval.low - DOUBLE_ROUNDING * unit:
        return False
    return not (interval.high is not None and low > interval.high)
