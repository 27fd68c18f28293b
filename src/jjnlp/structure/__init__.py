"""The 公文 structure of a document: 红头, 发文字号, title, 主送, headings, 一是/二是 items,
落款, periods.

``parse_outline(document)`` finds it; ``period_at(outline, offset)`` tells which
reporting period a figure at ``offset`` belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jjnlp.model import Analysis, Document, Outline
from jjnlp.pipeline import stage
from jjnlp.structure.headings import find_headings, nest
from jjnlp.structure.items import find_items
from jjnlp.structure.parts import find_parts
from jjnlp.structure.periods import find_periods, period_at, report_period
from jjnlp.zh.text import sentences

__all__ = ["annotate", "parse_outline", "period_at"]


def parse_outline(document: Document) -> Outline:
    parts = find_parts(document)
    body_end = parts.closing_start if parts.closing_start is not None else len(document.text)
    headings = find_headings(document, skip=parts.opening_blocks)
    sections = nest(headings, body_end)
    opening_end = sections[0].heading.start if sections else body_end
    periods = find_periods(document.text, parts.issued_on, parts.title_text, opening_end)
    return Outline(
        title=parts.title,
        addressee=parts.addressee,
        issuer=parts.issuer,
        date=parts.date,
        issued_on=parts.issued_on,
        sections=sections,
        items=find_items(document, sections),
        periods=periods,
        sentences=sentences(document.text),
        report_period=report_period(periods, parts, sections),
        governing=tuple(p for p in periods if p.opens_paragraph),
        issuing_body=parts.issuing_body,
        doc_number=parts.doc_number,
    )


@stage("structure", assigns=("outline",))
def annotate(analysis: Analysis, config: Mapping[str, Any]) -> None:
    analysis.outline = parse_outline(analysis.document)
