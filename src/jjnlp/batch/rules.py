"""Cross-document rules: what must hold between the documents of one batch.

Registered by id like the single-document rules (``@rule(..., registry=CROSS_RULES)``),
configured under ``[batch.rules.<id>]``; each finding is anchored on the figure in the
document where the contradiction shows and names the other documents and their figures.
A figure the rules cannot read for sure (stated twice with two values in one document,
approximate, a comparison base) is left out: silence rather than a false alarm.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from jjnlp.audit.registry import Rule, rule
from jjnlp.batch.model import DocRecord, Figure, Finding, Similar
from jjnlp.numbers.quantity import unit_factor
from jjnlp.resources import load_toml

if TYPE_CHECKING:
    from jjnlp.batch.similar import Signatures

CROSS_RULES: dict[str, Rule] = {}


@cache
def _config() -> dict[str, Any]:
    return load_toml("crossdoc.toml")


def as_stated(value: Decimal, like: Figure) -> str:
    """``value`` (canonical unit) written as ``like`` writes its figures: 2560000 元 → 256万元."""
    shown = value / unit_factor(like.stated_unit)
    text = format(shown.normalize(), "f") if shown != shown.to_integral() else str(int(shown))
    return f"{text}{like.stated_unit}"


@dataclass(slots=True)
class CrossContext:
    """The documents of a batch that analysed cleanly, once each (a byte-identical copy
    is the duplicate rule's business and is left out of the others)."""

    documents: list[DocRecord]
    config: Mapping[str, Any] = field(default_factory=dict)
    unique: list[DocRecord] = field(default_factory=list)
    similar: list[Similar] | None = None  # near-duplicate pairs, found once (batch.similar)
    signatures: Signatures | None = None  # MinHashes computed as the records came (or here)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for record in self.documents:
            if record.sha256 not in seen:
                seen.add(record.sha256)
                self.unique.append(record)

    def options(self, rule_id: str) -> Mapping[str, Any]:
        return self.config.get(rule_id, CROSS_RULES[rule_id].default_config)


# --------------------------------------------------------------------------- figures


def _accumulates(figure: Figure) -> bool:
    return (
        figure.kind in ("count", "money")
        and not figure.approx
        and not figure.comparison
        and not any(word in figure.indicator for word in _config()["stock_words"])
    )


def _of_period(figure: Figure, record: DocRecord) -> bool:
    identity = record.identity
    if figure.period_start is None:
        return True  # no period of its own: the document's
    return (figure.period_start, figure.period_end) == (identity.period_start, identity.period_end)


def scope_class(scope: str | None) -> str:
    """whole (全市…), own (本级), other (a named part), or none."""
    if scope is None:
        return "none"
    if _config()["own_scope"] in scope:
        return "own"
    if re.search(_config()["whole_scope"], scope):
        return "whole"
    return "other"


def levels(record: DocRecord, scopes: tuple[str, ...] = ("whole", "none")) -> dict[str, Figure]:
    """The document's level figure for each indicator it states for its own period and one
    of ``scopes``: the first one, unless the document states two values (then none)."""
    found: dict[str, Figure] = {}
    doubtful: set[str] = set()
    for figure in record.figures:
        if not _accumulates(figure) or not _of_period(figure, record):
            continue
        if scope_class(figure.scope) not in scopes:
            continue
        if figure.part and "own" not in scopes:
            continue
        first = found.setdefault(figure.indicator, figure)
        if first.value != figure.value:
            doubtful.add(figure.indicator)
    return {name: figure for name, figure in found.items() if name not in doubtful}


def _cross(record: DocRecord, figure: Figure, rule_id: str, severity: str, **kw: Any) -> Finding:
    block = next(
        (k for k, (s, e, _p) in enumerate(record.blocks) if s <= figure.start < max(e, s + 1)), None
    )
    return Finding(
        file=record.file,
        rule=rule_id,
        severity=severity,
        text=figure.text,
        sentence=figure.sentence,
        start=figure.start,
        end=figure.end,
        line=record.text.count("\n", 0, figure.start) + 1,
        page=record.blocks[block][2] if block is not None else None,
        paragraph=(block + 1) if block is not None else 0,
        scope="cross",
        indicator=figure.indicator,
        fingerprint="",  # set by the engine from content
        **kw,
    )


def _name(record: DocRecord) -> str:
    identity = record.identity
    return f"{identity.unit or record.file}{identity.period or ''}"


# --------------------------------------------------------------------------- the rules


def _within(inner: DocRecord, outer: DocRecord) -> bool:
    a, b = inner.identity, outer.identity
    if None in (a.period_start, a.period_end, b.period_start, b.period_end):
        return False
    assert a.period_start and a.period_end and b.period_start and b.period_end
    same = (a.period_start, a.period_end) == (b.period_start, b.period_end)
    return (
        not same
        and a.period_start[:4] == b.period_start[:4]
        and b.period_start <= a.period_start
        and a.period_end <= b.period_end
    )


@rule("cumulative", severity="error", kind="cross", registry=CROSS_RULES)
def check_cumulative(ctx: CrossContext) -> Iterator[Finding]:
    """A unit's figure for a period is not less than its figure for a period inside it
    (一季度 ≤ 上半年 ≤ 前三季度 ≤ 全年, month ranges by inclusion)."""
    severity = ctx.options("cumulative")["severity"]
    by_unit: dict[str, list[DocRecord]] = defaultdict(list)
    for record in ctx.unique:
        if record.identity.unit:
            by_unit[record.identity.unit].append(record)
    for records in by_unit.values():
        for outer in records:
            outer_levels: dict[str, Figure] | None = None  # made when a period lies inside
            for inner in records:
                if not _within(inner, outer):
                    continue
                outer_levels = levels(outer) if outer_levels is None else outer_levels
                for indicator, earlier in levels(inner).items():
                    later = outer_levels.get(indicator)
                    if later is None or later.unit != earlier.unit or later.value >= earlier.value:
                        continue
                    yield _cross(
                        outer,
                        later,
                        "cumulative",
                        severity,
                        message=(
                            f"{_name(outer)}{indicator}{later.text}，少于同一单位"
                            f"{inner.identity.period}{indicator}{earlier.text}"
                            f"（{inner.file}）；累计数不应减少"
                        ),
                        stated=later.text,
                        expected=f"≥{earlier.text}",
                        other_files=(inner.file,),
                    )


def _representative(records: list[DocRecord]) -> DocRecord:
    """Of one unit's documents for one period, the work report (else the first)."""
    return next((r for r in records if r.identity.kind == "work_report"), records[0])


@rule("rollup", severity="error", kind="cross", registry=CROSS_RULES)
def check_rollup(ctx: CrossContext) -> Iterator[Finding]:
    """A parent's figure for its whole area (全市, 全县) is not less than the sum of its
    children's figures for the same period, plus its own (本级) figure when stated."""
    severity = ctx.options("rollup")["severity"]
    groups: dict[tuple[str, str], dict[str, list[DocRecord]]] = defaultdict(
        lambda: defaultdict(list)
    )
    levels_of = {r.identity.unit: r.identity.level for r in ctx.unique if r.identity.unit}
    rolls_into = _config()["rollup"]
    for record in ctx.unique:
        identity = record.identity
        if identity.unit and identity.period_key:
            groups[(identity.unit, identity.period_key)]["self"].append(record)
            parent_level = levels_of.get(identity.parent or "")
            if identity.parent and identity.level in rolls_into.get(parent_level or "", ()):
                groups[(identity.parent, identity.period_key)][identity.unit].append(record)
    for (_unit, _period), members in groups.items():
        parents = members.pop("self", [])
        if not parents or not members:
            continue
        parent = _representative(parents)
        own = levels(parent, ("own",))
        children = {unit: levels(_representative(docs)) for unit, docs in members.items()}
        files = {unit: _representative(docs).file for unit, docs in members.items()}
        for indicator, whole in levels(parent, ("whole",)).items():
            addends = [
                (unit, figures[indicator])
                for unit, figures in sorted(children.items(), key=lambda kv: files[kv[0]])
                if indicator in figures and figures[indicator].unit == whole.unit
            ]
            if not addends:
                continue
            if indicator in own and own[indicator].unit == whole.unit:
                addends.append(("本级", own[indicator]))
            total = sum((f.value for _, f in addends), Decimal(0))
            if whole.value >= total:
                continue
            terms = "＋".join(f"{unit}{f.text}" for unit, f in addends)
            expected = as_stated(total, whole)
            yield _cross(
                parent,
                whole,
                "rollup",
                severity,
                message=(
                    f"{_name(parent)}{indicator}{whole.text}，少于所属单位与本级之和"
                    f"{terms}＝{expected}"
                ),
                stated=whole.text,
                expected=f"≥{expected}",
                other_files=tuple(files[unit] for unit, _ in addends if unit in files),
            )


@rule("restatement", severity="error", kind="cross", registry=CROSS_RULES)
def check_restatement(ctx: CrossContext) -> Iterator[Finding]:
    """One unit's figure for one indicator and period is the same in every document."""
    severity = ctx.options("restatement")["severity"]
    groups: dict[tuple[str, str], list[DocRecord]] = defaultdict(list)
    for record in ctx.unique:
        if record.identity.unit and record.identity.period_key:
            groups[(record.identity.unit, record.identity.period_key)].append(record)
    for records in groups.values():
        if len(records) < 2:
            continue
        main = _representative(records)
        stated = levels(main)
        for other in records:
            if other is main:
                continue
            for indicator, figure in levels(other).items():
                first = stated.get(indicator)
                if first is None or first.unit != figure.unit or first.value == figure.value:
                    continue
                yield _cross(
                    other,
                    figure,
                    "restatement",
                    severity,
                    message=(
                        f"{_name(other)}{indicator}本文为{figure.text}，"
                        f"{main.file}中为{first.text}；同一单位同一期间的数字应一致"
                    ),
                    stated=figure.text,
                    expected=first.text,
                    other_files=(main.file,),
                )
