"""One analysed document as the rows the store keeps: built in the worker process that
analysed it (segmenting the text for the index is the costly part, so it runs there too),
as plain values that cross process boundaries."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from jjnlp.batch.model import DocRecord, to_plain
from jjnlp.model import Analysis, Section
from jjnlp.pipeline import ORDER
from jjnlp.store.schema import SCALE

STAGES = ORDER  # a stored document has gone through every stage


def key(value: Decimal | str | None) -> int | None:
    """An exact decimal as the integer of millionths the store filters and sorts by."""
    if value is None:
        return None
    return int((Decimal(value) * SCALE).to_integral_value())


def _sections(sections: tuple[Section, ...], out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for section in sections:
        out.append(
            {
                "level": section.level,
                "number": section.number,
                "title": section.title,
                "start": section.heading.start,
                "end": section.body.end,
            }
        )
        _sections(section.children, out)
    return out


def _person_level(unit: str | None) -> str | None:
    """The level of the unit a person works in (村, 乡镇, 县, 区, 市 …), from its name."""
    if not unit:
        return None
    from jjnlp.batch.identity import split_name

    return split_name(unit)[2]


def document_rows(analysis: Analysis, record: DocRecord) -> dict[str, Any]:
    """Everything the store keeps of one document beside its batch record."""
    from jjnlp.store.text import flat, words

    text = analysis.document.text
    outline = analysis.outline
    cases = []
    for case in analysis.cases.cases if analysis.cases else ():
        total = sum((a.value for a in case.amounts), Decimal(0)) if case.amounts else None
        cases.append(
            {
                "number": case.number,
                "headline": case.headline,
                "person": case.person,
                "position": case.position,
                "unit": case.unit,
                "category": case.category,
                "discipline": case.discipline,
                "conduct": case.conduct,
                "party_sanction": case.party_sanction,
                "admin_sanction": case.admin_sanction,
                "treatments": list(case.treatments),
                "transferred": case.transferred,
                "recovered": case.recovered,
                "form": case.form,
                "amount": format(total, "f") if total is not None else None,
                "start": case.start,
                "end": case.end,
                "people": [
                    {
                        "name": p.name,
                        "position": p.position,
                        "unit": p.unit or case.unit,
                        "level": _person_level(p.unit or case.unit),
                        "party_sanction": p.party_sanction,
                        "admin_sanction": p.admin_sanction,
                        "treatments": list(p.treatments),
                        "transferred": p.transferred,
                    }
                    for p in case.people
                ],
                "amounts": [
                    {"text": a.text, "value": format(a.value, "f"), "start": a.start, "end": a.end}
                    for a in case.amounts
                ],
            }
        )
    return {
        "record": to_plain(record),
        "sections": _sections(outline.sections, []) if outline else [],
        "entities": [
            {
                "label": e.label,
                "text": e.text,
                "start": e.start,
                "end": e.end,
                "person": e.person,
                "unit": e.unit,
            }
            for e in analysis.entities
        ],
        "cases": cases,
        "problems": [
            {
                "text": p.text,
                "headline": p.headline,
                "labels": list(p.labels),
                "start": p.start,
                "end": p.end,
            }
            for p in analysis.problems
        ],
        "flat": flat(text),
        "words": words(text),
    }


def finish_rows(analysis: Analysis, context: tuple[str, str, Mapping[str, str] | None]) -> Any:
    """What an indexing worker sends back for each file (``Workers(finish=…)``)."""
    from jjnlp.batch.records import from_analysis

    file, sha256, manifest = context
    return document_rows(analysis, from_analysis(analysis, file, sha256, manifest))
