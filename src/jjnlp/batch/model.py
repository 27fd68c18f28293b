"""The batch review's records: what one document contributes, and the whole batch.

A worker turns each :class:`~jjnlp.model.Analysis` into a compact :class:`DocRecord`
(plain values, JSON round-trip) so records travel between processes, survive in the resume
state and feed the cross-document rules and every file of the review package.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from jjnlp.model import Pickled

Kind = Literal["work_report", "case_notice", "other"]
Status = Literal["new", "unchanged", "updated", "absent"]
REVIEW_STATES = ("待核", "确认", "驳回")
KIND_ZH = {"work_report": "工作报告", "case_notice": "案件通报", "other": "其他"}
STATUS_ZH = {"new": "新增", "unchanged": "未变", "updated": "有变化", "absent": "已消失"}


@dataclass(frozen=True, slots=True)
class Identity(Pickled):
    """Who reports, at which level, under whom, what kind of document, for which period."""

    unit: str | None = None  # 临川市东城区纪委监委 → 东城区 (the place; the body is implied)
    level: str | None = None  # 省 市 县 区 乡镇 派驻 国企 高校
    parent: str | None = None  # 临川市
    kind: Kind = "other"
    period: str | None = None  # as people write it: 2024年一季度
    period_start: str | None = None  # ISO dates of the period (None when not known)
    period_end: str | None = None
    issuer: str | None = None  # the issuing body as written (临川市东城区纪委监委)
    addressee: str | None = None  # 主送机关 as written (临川市纪委监委 / 市纪委监委)
    manifest: tuple[str, ...] = ()  # the fields the manifest set

    @property
    def period_key(self) -> str | None:
        if self.period_start and self.period_end:
            return f"{self.period_start}/{self.period_end}"
        return None


@dataclass(frozen=True, slots=True)
class Figure(Pickled):
    """One metric of one document in long form (the xlsx metrics sheet, the rules' input)."""

    indicator: str
    value: Decimal
    unit: str  # canonical unit (元, %, 件 …)
    stated_unit: str
    text: str  # the figure as written (1872.6万元)
    sentence: str
    start: int
    end: int
    period: str | None  # the period it is stated for, as written
    period_start: str | None
    period_end: str | None
    scope: str | None  # 全市 / 本级 / 乡镇 …
    kind: str  # count | money | percent …
    approx: bool = False  # 约 / 近 / 以上: not an exact figure
    comparison: bool = False  # a base period (去年同期) or a change, not a level
    part: bool = False  # one part of a total of the same indicator (其中本级立案26件)


@dataclass(frozen=True, slots=True)
class Finding(Pickled):
    """One finding in the package: a single-document finding or a cross-document one."""

    file: str  # the document it is anchored in (batch-relative, '/' separated)
    rule: str
    severity: str  # error | warning | info
    message: str
    text: str  # the figure's text (empty for whole-document findings)
    sentence: str
    start: int
    end: int
    line: int
    page: int | None
    paragraph: int  # 1-based block number
    stated: str | None
    expected: str | None
    fingerprint: str
    scope: Literal["document", "cross"] = "document"
    indicator: str | None = None
    other_files: tuple[str, ...] = ()
    status: Status = "new"
    review: str = "待核"
    note: str = ""


@dataclass(frozen=True, slots=True)
class Passage(Pickled):
    """A passage two near-duplicate documents share (or nearly share)."""

    text: str
    other: str


@dataclass(frozen=True, slots=True)
class Similar(Pickled):
    """Two documents that are the same file or largely the same text."""

    file: str
    other: str
    similarity: Decimal  # Jaccard estimate of sentence shingles, 0–1, 3 places
    identical: bool  # byte-identical
    passages: tuple[Passage, ...] = ()


@dataclass(slots=True)
class DocRecord(Pickled):
    """One input file's part of the batch: identity, figures, findings, or why it failed."""

    file: str  # relative to the batch root it was found under, '/' separated
    path: str  # as opened
    sha256: str
    format: str = ""
    identity: Identity = field(default_factory=Identity)
    title: str = ""
    text: str = ""
    blocks: tuple[tuple[int, int, int | None], ...] = ()  # (start, end, page)
    figures: tuple[Figure, ...] = ()
    findings: tuple[Finding, ...] = ()
    coverage: dict[str, int] = field(default_factory=dict)
    error: dict[str, str] | None = None  # {"code", "message"} when the file failed
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass(slots=True)
class Batch(Pickled):
    """The whole review: every document, the cross-document findings, the similar pairs."""

    documents: list[DocRecord]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    cross: list[Finding] = field(default_factory=list)
    similar: list[Similar] = field(default_factory=list)
    absent: list[Finding] = field(default_factory=list)  # baseline findings gone this round
    version: str = ""
    config_hash: str = ""

    def findings(self) -> list[Finding]:
        """Every finding of the round, document order then cross-document."""
        out = [f for d in self.documents for f in d.findings]
        return out + list(self.cross)


# --------------------------------------------------------------------------- JSON round trip

_TYPES: dict[str, type] = {
    "identity": Identity,
    "figures": Figure,
    "findings": Finding,
    "passages": Passage,
}


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def to_plain(value: Any) -> Any:
    """A record as JSON-ready values (Decimals as exact strings)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


def _plain_one(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: getattr(value, name) for name in _field_names(type(value))}
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not part of a record")


def to_json(value: Any) -> str:
    """``json.dumps(to_plain(value))``, ASCII, made by the json encoder itself (it asks
    :func:`_plain_one` only for what it cannot write: records and Decimals), several times
    faster than building the plain values first."""
    return json.dumps(value, default=_plain_one)


def _build(cls: type, data: dict[str, Any]) -> Any:
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in _TYPES and value is not None:
            sub = _TYPES[f.name]
            value = (
                _build(sub, value)
                if isinstance(value, dict)
                else tuple(_build(sub, v) for v in value)
            )
        elif f.name in ("value", "similarity"):
            value = Decimal(value)
        elif isinstance(value, list):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        kwargs[f.name] = value
    return cls(**kwargs)


def record_from_plain(data: dict[str, Any]) -> DocRecord:
    record: DocRecord = _build(DocRecord, data)
    return record


def finding_from_plain(data: dict[str, Any]) -> Finding:
    finding: Finding = _build(Finding, data)
    return finding


def page_name(file: str) -> str:
    """The file name of a document's own page in ``documents/`` (stable, ASCII-safe).

    >>> page_name("docs/2024q1/东城区.txt")
    'docs_2024q1_东城区.txt.html'
    """
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in file)
    return f"{safe.strip('_') or 'document'}.html"


def annotated_name(file: str) -> str:
    """The file name of a document's Word copy with comments in ``documents/``
    (``docs_2024q1_东城区.txt.docx``: the source's own extension kept, so names never clash)."""
    return page_name(file).removesuffix(".html") + ".docx"
