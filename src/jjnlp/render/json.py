"""Records to JSON-ready values, and the one envelope every command's JSON comes in.

Decimals are exact strings, dates ISO strings, no floats invented. Every located record
(a span, or a record with ``start``/``end``) carries ``start``, ``end`` and ``text``.

Every ``--format json`` output is ``{"schema": "jjnlp.<payload>/2", "files": [...]}``,
one entry per input file in the order given: the file's payload, or
``{"path": …, "error": {"code": …, "message": …}}`` when it could not be analysed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from jjnlp.errors import JjnlpError
from jjnlp.model import Analysis, Span

SCHEMA_VERSION = 2
# payload name → the Analysis fields it carries (see README, "JSON")
PAYLOADS: dict[str, tuple[str, ...]] = {
    "structure": ("outline",),
    "metrics": ("metrics", "terms", "tables"),
    "entities": ("entities",),
    "cases": ("cases",),
    "problems": ("problems",),
    "audit": ("findings", "coverage"),
}


def schema(payload: str) -> str:
    return f"jjnlp.{payload}/{SCHEMA_VERSION}"


def to_jsonable(value: Any, text: str | None = None) -> Any:
    """Convert dataclasses, Decimals, dates, tuples and mappings recursively.

    With the document's ``text``, spans and located records also carry their ``text``."""
    if isinstance(value, Span):
        out: dict[str, Any] = {"start": value.start, "end": value.end}
        if text is not None:
            out["text"] = value.slice(text)
        return out
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {
            f.name: to_jsonable(getattr(value, f.name), text) for f in dataclasses.fields(value)
        }
        if text is not None and "start" in fields and "end" in fields and "text" not in fields:
            fields["text"] = text[fields["start"] : fields["end"]]
        return fields
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v, text) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v, text) for v in value]
    return value


def _field(analysis: Analysis, name: str) -> dict[str, Any]:
    """One Analysis field as JSON; a notice's announced count sits beside its cases."""
    text = analysis.document.text
    value = getattr(analysis, name)
    if name == "cases":
        if value is None:
            return {"announced": None, "cases": None}
        announced = None
        if value.announced_span is not None:
            announced = {"value": value.announced, **to_jsonable(value.announced_span, text)}
        return {"announced": announced, "cases": to_jsonable(value.cases, text)}
    if name == "findings":
        document = analysis.document
        items = []
        for finding in value:
            item = to_jsonable(finding, text)
            item["line"] = document.line_of(finding.start)
            items.append(item)
        summary = {
            s: sum(1 for f in value if f.severity == s) for s in ("error", "warning", "info")
        }
        return {"findings": items, "summary": summary}
    if name == "metrics":
        # a figure read by OCR may be the recogniser's error: say so beside the figure
        document = analysis.document
        figures = []
        for metric in value:
            item = to_jsonable(metric, text)
            item["ocr"] = document.flagged(metric.start, "ocr_units")
            figures.append(item)
        return {"metrics": figures}
    return {name: to_jsonable(value, text)}


def file_payload(analysis: Analysis, payload: str) -> dict[str, Any]:
    """What one file contributes to a ``payload`` output."""
    out: dict[str, Any] = {"path": analysis.document.path}
    for name in PAYLOADS[payload]:
        out.update(_field(analysis, name))
    return out


def document_json(analysis: Analysis, *, include_blocks: bool = True) -> dict[str, Any]:
    """The whole document model: text, blocks and every field the stages that ran filled."""
    from jjnlp.pipeline import get_stage

    doc = analysis.document
    out: dict[str, Any] = {
        "path": doc.path,
        "format": doc.format,
        "metadata": to_jsonable(doc.metadata),
        "text": doc.text,
    }
    if include_blocks:
        out["blocks"] = to_jsonable(doc.blocks, doc.text)
    out["stages"] = list(analysis.stages)
    for name in analysis.stages:
        for field in get_stage(name).assigns:
            out.update(_field(analysis, field))
    return out


def error_payload(path: str, error: JjnlpError) -> dict[str, Any]:
    return {"path": path, "error": {"code": error.code, "message": error.message}}


def envelope(payload: str, files: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {"schema": schema(payload), "files": list(files)}
