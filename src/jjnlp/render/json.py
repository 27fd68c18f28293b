"""Records to JSON-ready values: Decimals as exact strings, dates as ISO, no floats invented."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from jjnlp.model import SCHEMA_DOCUMENT, Analysis


def to_jsonable(value: Any) -> Any:
    """Convert dataclasses, Decimals, dates, tuples and mappings recursively."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def document_json(analysis: Analysis, *, include_blocks: bool = True) -> dict[str, Any]:
    """The ``jjnlp.document/1`` object for one analysed document (see README)."""
    doc = analysis.document
    payload: dict[str, Any] = {
        "schema": SCHEMA_DOCUMENT,
        "path": doc.path,
        "format": doc.format,
        "metadata": to_jsonable(doc.metadata),
        "text": doc.text,
    }
    if include_blocks:
        payload["blocks"] = to_jsonable(doc.blocks)
    from jjnlp.pipeline import FIELDS

    payload["stages"] = list(analysis.stages)
    for stage in analysis.stages:
        for name in FIELDS[stage]:
            payload[name] = to_jsonable(getattr(analysis, name))
    return payload
