"""Each document's reporting unit, level, parent, kind and period, and the manifest that
overrides them (names in real submissions are often abbreviated)."""

from __future__ import annotations

import csv
import dataclasses
import re
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jjnlp.batch.model import DocRecord, Identity, Kind
from jjnlp.errors import BatchInputError
from jjnlp.model import Analysis, Period
from jjnlp.resources import load_toml

MANIFEST_FIELDS = ("unit", "parent", "period", "level", "kind")


@cache
def _config() -> dict[str, Any]:
    return load_toml("identity.toml")


def split_name(name: str) -> tuple[str | None, str | None, str | None]:
    """A unit's name as (parent, unit, level): 临川市东城区纪委监委 → (临川市, 东城区, 区);
    an organisation keeps its whole name (市纪委监委派驻市教育局纪检监察组 → 派驻)."""
    config = _config()
    name = name.strip()
    for prefix in config["prefixes"]:
        name = name.removeprefix(prefix)
    for body in config["bodies"]:
        if name.endswith(body):
            name = name[: -len(body)]
            break
    for level_word, level in config["organisations"].items():
        if level_word in name:
            return None, name or None, level
    places = _places(name)
    if not places:
        return None, name or None, None
    unit, level = places[-1]
    parent = places[-2][0] if len(places) > 1 else None
    return parent, unit, level


def _places(name: str) -> list[tuple[str, str]]:
    """临川市东城区 → [(临川市, 市), (东城区, 区)]: split after each place suffix."""
    suffixes = sorted(_config()["places"].items(), key=lambda kv: -len(kv[0]))
    out: list[tuple[str, str]] = []
    at = 0
    i = 0
    while i < len(name):
        hit = next((s for s, _ in suffixes if name.startswith(s, i)), None)
        if hit is not None and any(name.startswith(s, i + len(hit)) for s, _ in suffixes):
            hit = None  # 澜州市: 州 is part of the name when a suffix follows it
        if hit is not None and i - at >= 1:
            end = i + len(hit)
            out.append((name[at:end], _config()["places"][hit]))
            at = i = end
            continue
        i += 1
    if at < len(name) and out:
        return []  # a tail that is no place (…东城区教育局): not a place name we can read
    return out


def period_name(start: date | None, end: date | None, text: str | None = None) -> str | None:
    """A period's usual name: 2024年一季度, 2024年上半年, 2024年1—5月, 2024年."""
    if start is None or end is None:
        return text
    if start.year != end.year or start.day != 1:
        return text
    months = f"{start.month}-{end.month}"
    named = _config()["period_names"].get(months)
    if named is not None:
        return f"{start.year}年{named}"
    if start.month == end.month:
        return f"{start.year}年{start.month}月"
    return f"{start.year}年{start.month}—{end.month}月"


def parse_period(text: str) -> tuple[date | None, date | None]:
    """A period written in a manifest (2024年一季度, 2024年1-6月) as its dates."""
    from jjnlp.structure.periods import find_periods

    found = [p for p in find_periods(text, None, text) if p.start_date and p.end_date]
    if not found:
        return None, None
    # 2024年 + 一季度 are two matches: the most specific one
    best = min(found, key=lambda p: p.end_date - p.start_date)  # type: ignore[operator]
    return best.start_date, best.end_date


def document_kind(title: str, has_cases: bool) -> Kind:
    """The kind from the title's 文种 (its last words) and whether cases were found."""
    kinds = _config()["kinds"]
    title = title.strip().rstrip("。")
    if title.endswith(tuple(kinds["case_notice"])):
        return "case_notice" if has_cases else "other"
    if title.endswith(tuple(kinds["work_report"])):
        return "work_report"
    return "case_notice" if has_cases else "other"


def identify(analysis: Analysis) -> Identity:
    """What the document says of itself: its issuer (or 红头, or title) and its period."""
    outline = analysis.outline
    text = analysis.document.text
    if outline is None:
        return Identity()
    title = outline.title.slice(text) if outline.title else ""
    # a joint signature or title names two bodies (中共…纪律检查委员会 / …监察委员会, on two
    # lines or with a space): each is a candidate, the first that reads as a place wins
    stated = [span.slice(text) for span in (outline.issuer, outline.issuing_body) if span]
    if title and "关于" in title:
        stated.append(title.split("关于", 1)[0])
    names = [part for name in stated for part in name.split() if part]
    parent = unit = level = issuer = None
    for name in names:
        parent, unit, level = split_name(name)
        if unit:
            issuer = name.strip()
            break
    if parent is None and unit and len(names) > 1:
        # the signature is often the short name (白马县纪委监委), the title the long one
        for name in names:
            longer = split_name(name)
            if longer[1] == unit and longer[0]:
                parent = longer[0]
                break
    period: Period | None = outline.report_period
    start = period.start_date if period else None
    end = period.end_date if period else None
    has_cases = bool(analysis.cases and analysis.cases.cases)
    addressee = outline.addressee.slice(text).strip().rstrip("：:") if outline.addressee else None
    return Identity(
        unit=unit,
        level=level,
        parent=parent,
        kind=document_kind(title, has_cases),
        period=period_name(start, end, period.text if period else None),
        period_start=start.isoformat() if start else None,
        period_end=end.isoformat() if end else None,
        issuer=issuer,
        addressee=addressee,
    )


def parent_from_addressee(identity: Identity, units: dict[str, str]) -> str | None:
    """The parent a report is addressed to when its own name does not show it: the
    discipline body in its 主送机关 (中共白马县委、临川市纪委监委 → 临川市), or an abbreviated
    one (市纪委监委) when the batch has exactly one unit of that level (``units``: unit →
    level of the batch's documents)."""
    places = set(_config()["places"].values())
    if identity.parent or not identity.addressee or identity.level not in places:
        return None  # an organisation (派驻组, 国企) is not part of a place's figures
    for part in re.split(r"[、，,\s]+", identity.addressee):
        if not any(body in part for body in _config()["bodies"]):
            continue
        _, named, level = split_name(part)
        if named and level in places and named != identity.unit:
            return named
        if named and not level:  # 市纪委监委: only the level is named
            wanted = _config()["places"].get(named)
            candidates = {u for u, lv in units.items() if lv == wanted and u != identity.unit}
            if len(candidates) == 1:
                return candidates.pop()
    return None


def apply_manifest(identity: Identity, row: Mapping[str, str]) -> Identity:
    """The manifest's fields win where it gives them (abbreviated names are normalised)."""
    changes: dict[str, Any] = {}
    if row.get("unit"):
        parent, unit, level = split_name(row["unit"])
        changes["unit"] = unit
        if level:
            changes["level"] = level
        if parent:
            changes["parent"] = parent
    if row.get("parent"):
        changes["parent"] = split_name(row["parent"])[1]
    elif "parent" in row and row.get("unit"):
        changes["parent"] = changes.get("parent")  # an empty parent column: a top unit
    if row.get("level"):
        changes["level"] = row["level"]
    if row.get("kind"):
        changes["kind"] = row["kind"]
    if row.get("period"):
        start, end = parse_period(row["period"])
        changes["period"] = period_name(start, end, row["period"])
        changes["period_start"] = start.isoformat() if start else None
        changes["period_end"] = end.isoformat() if end else None
    given = [name for name in MANIFEST_FIELDS if row.get(name)]
    if "parent" in row and row.get("unit") and "parent" not in given:
        given.append("parent")  # an empty parent beside a unit says: a top unit
    return dataclasses.replace(identity, **changes, manifest=tuple(given))


def resolve_parents(records: list[DocRecord]) -> list[DocRecord]:
    """Each record's parent, where neither its name nor the manifest gave one, from the body
    its report is addressed to (:func:`parent_from_addressee`)."""
    units = {
        r.identity.unit: r.identity.level or "" for r in records if r.identity.unit and not r.failed
    }
    out = []
    for record in records:
        identity = record.identity
        parent = None if "parent" in identity.manifest else parent_from_addressee(identity, units)
        if parent:
            record = dataclasses.replace(
                record, identity=dataclasses.replace(identity, parent=parent)
            )
        out.append(record)
    return out


def read_manifest(path: str | Path) -> dict[str, dict[str, str]]:
    """``units.csv`` (file, unit, parent, period[, level, kind]; UTF-8 with or without BOM,
    or GB18030 as Excel on a Chinese Windows saves it) as file → row."""
    raw = Path(path).read_bytes() if Path(path).is_file() else None
    if raw is None:
        raise BatchInputError(str(path), "清单文件不存在")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BatchInputError(str(path), "清单文件编码无法识别（请另存为 UTF-8）")
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or "file" not in (rows[0].keys() if rows else ()):
        raise BatchInputError(str(path), "清单缺少 file 列（应有 file,unit,parent,period）")
    return {
        row["file"].strip().replace("\\", "/"): {k: (v or "").strip() for k, v in row.items() if k}
        for row in rows
        if row.get("file")
    }
