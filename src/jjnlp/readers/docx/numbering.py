"""Word's automatic list numbering (``word/numbering.xml``) rendered as Word shows it.

python-docx has no API for numbering definitions (it exposes ``w:numPr`` on a paragraph
and the raw ``CT_Numbering`` element, nothing that resolves levels or counts), so this
module reads the lxml elements of the numbering and styles parts itself.

Resolution of one paragraph (ECMA-376 Part 1 §17.9, and what Word does):

- ``w:numPr`` (``w:numId`` + ``w:ilvl``) on the paragraph, else on its paragraph style or
  the styles it is ``w:basedOn`` (nearest wins, property by property); ``numId 0`` means
  "no numbering". A style that gives ``numId`` without ``ilvl`` takes the level whose
  ``w:pStyle`` names the style (headings linked to a multilevel list), else level 0.
- ``w:num`` → ``w:abstractNum``; an abstract with ``w:numStyleLink`` is replaced by the
  abstract of the numbering style's ``w:num`` (the one carrying ``w:styleLink``).
- Level definition: ``w:num/w:lvlOverride/w:lvl`` if present, else the abstract's level.
- Counters live on the (resolved) abstract numbering, as in Word: ``w:num`` instances
  sharing an abstract continue one list. The first paragraph of a ``w:num`` at a level
  whose ``w:lvlOverride`` has a ``w:startOverride`` restarts that level at the override.
- A level restarts (its counter forgotten, next use takes ``w:start``) whenever a
  shallower level is used, unless ``w:lvlRestart`` says otherwise (``0``: never;
  ``n``: only when a level ``<= n``, 1-based, is used). ``w:start`` omitted is 0.
- ``w:lvlText`` ``%1``…``%9`` are replaced by each level's current counter in that
  level's own ``w:numFmt`` (all decimal when the level is ``w:isLgl``); a level never
  used yet shows its start value. ``w:suff``: tab (default) → nothing, space → one
  space, nothing → nothing. Bullets render as no marker at all (their glyphs are mostly
  private-use characters of Symbol/Wingdings fonts).

Nothing here raises on a missing or inconsistent definition: the paragraph simply gets
no marker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
LEVELS = 9

__all__ = ["Numbering", "format_number"]


# --------------------------------------------------------------------------- formats

_ZH_DIGITS = "零一二三四五六七八九"
_IDEOGRAPH_DIGITS = "〇一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _roman(n: int) -> str:
    out = []
    for value, glyph in _ROMAN:
        count, n = divmod(n, value)
        out.append(glyph * count)
    return "".join(out)


def _letters(n: int) -> str:
    """A … Z, AA, BB … ZZ, AAA …: one letter repeated (Word's scheme, not base 26)."""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _chinese_counting(n: int) -> str:
    """``chineseCounting``: 一 … 九, 十, 十一 … 十九, 二十 … 九十九; from 100 on Word writes
    the digits one by one with 〇 for zero (一〇〇, 一〇一, 一一〇)."""
    if n < 10:
        return _IDEOGRAPH_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        head = "十" if tens == 1 else _IDEOGRAPH_DIGITS[tens] + "十"
        return head + (_IDEOGRAPH_DIGITS[ones] if ones else "")
    return "".join(_IDEOGRAPH_DIGITS[int(d)] for d in str(n))


def _myriad_group(group: int, digits: str, units: tuple[str, str, str]) -> str:
    """One group of four digits (0 < group < 10000) with 千百十, one 零 for each inner gap."""
    out: list[str] = []
    gap = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = group // power % 10
        if digit == 0:
            gap = bool(out)
            continue
        if gap:
            out.append(digits[0])
            gap = False
        out.append(digits[digit] + unit)
    return "".join(out)


def _grouped(n: int, digits: str, units: tuple[str, str, str], myriads: tuple[str, str]) -> str:
    """Counting with 十百千 and 万/亿 groups, 零 filling a gap (一百零一, 一万零一十)."""
    if n == 0:
        return digits[0]
    parts: list[tuple[int, str]] = []
    for unit in ("", myriads[0], myriads[1]):
        if n == 0:
            break
        n, group = divmod(n, 10000)
        parts.append((group, unit))
    if n:  # 10^12 and beyond: not a list counter; write what is left in front
        parts.append((n, ""))
    out = ""
    higher = False  # a non-empty group stands before the one being written
    for group, unit in reversed(parts):
        if group == 0:
            continue
        if higher and group < 1000:
            out += digits[0]
        out += _myriad_group(group, digits, units) + unit
        higher = True
    return out


def _chinese_thousand(n: int) -> str:
    """``chineseCountingThousand``: 一 … 十, 十一 … 十九, 二十 … 九十九, 一百, 一百零一,
    一百一十, 一千, 一千零一, 一万, 一万零一; a leading 一十 is read 十 (十一, 十万)."""
    text = _grouped(n, _ZH_DIGITS, ("十", "百", "千"), ("万", "亿"))
    return text[1:] if text.startswith("一十") else text


def _chinese_legal(n: int) -> str:
    """``chineseLegalSimplified``: 壹 贰 叁 … 壹拾 壹拾壹 … 壹佰零壹 (the 壹 is never dropped)."""
    return _grouped(n, _LEGAL_DIGITS, ("拾", "佰", "仟"), ("万", "亿"))


def _table(glyphs: str) -> Callable[[int], str]:
    """A fixed set of symbols; beyond its size Word falls back to decimal."""

    def render(n: int) -> str:
        return glyphs[n - 1] if 1 <= n <= len(glyphs) else str(n)

    return render


def _enclosed(first: int, size: int) -> Callable[[int], str]:
    def render(n: int) -> str:
        return chr(first + n - 1) if 1 <= n <= size else str(n)

    return render


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(_FULL_WIDTH),
    "decimalFullWidth2": lambda n: str(n).translate(_FULL_WIDTH),
    "decimalEnclosedCircle": _enclosed(0x2460, 20),  # ① … ⑳
    "decimalEnclosedCircleChinese": _enclosed(0x2460, 20),
    "decimalEnclosedParen": _enclosed(0x2474, 20),  # ⑴ … ⒇
    "decimalEnclosedFullstop": _enclosed(0x2488, 20),  # ⒈ … ⒛
    "upperLetter": _letters,
    "lowerLetter": lambda n: _letters(n).lower(),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "chineseCounting": _chinese_counting,
    "chineseCountingThousand": _chinese_thousand,
    "chineseLegalSimplified": _chinese_legal,
    "ideographDigital": lambda n: "".join(_IDEOGRAPH_DIGITS[int(d)] for d in str(n)),
    "ideographTraditional": _table(_HEAVENLY_STEMS),  # 甲 乙 丙 … 癸
    "ideographZodiac": _table(_EARTHLY_BRANCHES),  # 子 丑 寅 … 亥
    "none": lambda n: "",
    "bullet": lambda n: "",
}


_LARGEST = 32767  # Word's largest start value; beyond it only decimal is written


def format_number(n: int, fmt: str) -> str:
    """``n`` written in the ``w:numFmt`` ``fmt``; an unknown format (or a value the format
    cannot write, such as 0, a negative or one beyond 32767) is written in decimal."""
    if fmt in ("none", "bullet"):
        return ""
    render = _FORMATS.get(fmt, str)
    if not 1 <= n <= _LARGEST:
        return str(n)
    return render(n)


# --------------------------------------------------------------------------- definitions


def _val(parent: Any, tag: str) -> str | None:
    """``w:val`` of the child ``w:tag`` of ``parent`` (None: no such child or no value)."""
    if parent is None:
        return None
    child = parent.find(W + tag)
    return None if child is None else child.get(W + "val")


def _integer(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


_SUFFIX = {"tab": "", "space": " ", "nothing": ""}


@dataclass(frozen=True, slots=True)
class Level:
    """One ``w:lvl``: what Word needs to count and write it."""

    start: int = 0
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None
    suffix: str = ""
    legal: bool = False
    style: str | None = None

    @classmethod
    def parse(cls, lvl: Any) -> Level:
        fmt = _val(lvl, "numFmt")
        if fmt is None:  # Word 2010 custom formats sit in mc:AlternateContent
            for fallback in lvl.iter(MC + "Fallback"):
                fmt = _val(fallback, "numFmt")
                if fmt is not None:
                    break
        text_el = lvl.find(W + "lvlText")
        text = ""
        if text_el is not None and text_el.get(W + "null") not in ("1", "true", "on"):
            text = text_el.get(W + "val") or ""
        legal_el = lvl.find(W + "isLgl")
        legal = legal_el is not None and legal_el.get(W + "val") not in ("0", "false", "off")
        return cls(
            start=_integer(_val(lvl, "start")) or 0,
            fmt=fmt or "decimal",
            text=text,
            restart=_integer(_val(lvl, "lvlRestart")),
            suffix=_SUFFIX.get(_val(lvl, "suff") or "tab", ""),
            legal=legal,
            style=_val(lvl, "pStyle"),
        )


@dataclass(frozen=True, slots=True)
class _Instance:
    """A ``w:num`` resolved: the abstract it counts on, its levels, its start overrides."""

    key: str  # the abstractNumId whose counters it shares
    levels: dict[int, Level]
    overrides: dict[int, int]  # ilvl → w:startOverride


class Numbering:
    """Renders the list marker of each paragraph, in document order (it keeps counters)."""

    def __init__(self, numbering: Any | None, styles: Any | None) -> None:
        self._nums: dict[str, Any] = {}
        self._abstracts: dict[str, Any] = {}
        self._styles: dict[str, Any] = {}
        self._default_style: str | None = None
        if numbering is not None:
            for el in numbering.iterchildren(W + "abstractNum"):
                if el.get(W + "abstractNumId") is not None:
                    self._abstracts.setdefault(el.get(W + "abstractNumId"), el)
            for el in numbering.iterchildren(W + "num"):
                if el.get(W + "numId") is not None:
                    self._nums.setdefault(el.get(W + "numId"), el)
        if styles is not None:
            for el in styles.iterchildren(W + "style"):
                style_id = el.get(W + "styleId")
                if style_id is None:
                    continue
                self._styles.setdefault(style_id, el)
                if el.get(W + "type") == "paragraph" and el.get(W + "default") in ("1", "true"):
                    self._default_style = self._default_style or style_id
        self._instances: dict[str, _Instance | None] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._seen: set[tuple[str, int]] = set()

    def fresh(self) -> Numbering:
        """The same definitions with no counters (another story: footnotes, endnotes)."""
        other = Numbering(None, None)
        other._nums, other._abstracts, other._styles = self._nums, self._abstracts, self._styles
        other._default_style = self._default_style
        return other

    # ----------------------------------------------------------------- resolution

    def _style_chain(self, style_id: str | None) -> list[Any]:
        chain: list[Any] = []
        while style_id is not None and len(chain) < 32:
            style = self._styles.get(style_id)
            if style is None or any(s is style for s in chain):
                break
            chain.append(style)
            style_id = _val(style, "basedOn")
        return chain

    def _instance(self, num_id: str) -> _Instance | None:
        if num_id not in self._instances:
            self._instances[num_id] = self._resolve_instance(num_id)
        return self._instances[num_id]

    def _abstract_of(self, num: Any) -> tuple[str, Any] | None:
        """The abstract a ``w:num`` counts on, following ``w:numStyleLink`` to the numbering
        style's own list (the abstract with the matching ``w:styleLink``)."""
        key = _val(num, "abstractNumId")
        abstract = self._abstracts.get(key) if key is not None else None
        for _ in range(8):
            if abstract is None or key is None:
                return None
            link = _val(abstract, "numStyleLink")
            if link is None:
                return key, abstract
            style = self._styles.get(link)
            ppr = style.find(W + "pPr") if style is not None else None
            linked_id = _val(ppr.find(W + "numPr"), "numId") if ppr is not None else None
            linked = self._nums.get(linked_id) if linked_id is not None else None
            if linked is None:
                return None
            key = _val(linked, "abstractNumId")
            abstract = self._abstracts.get(key) if key is not None else None
        return None

    def _resolve_instance(self, num_id: str) -> _Instance | None:
        num = self._nums.get(num_id)
        found = self._abstract_of(num) if num is not None else None
        if num is None or found is None:
            return None
        key, abstract = found
        levels: dict[int, Level] = {}
        for lvl in abstract.iterchildren(W + "lvl"):
            ilvl = _integer(lvl.get(W + "ilvl"))
            if ilvl is not None and 0 <= ilvl < LEVELS and ilvl not in levels:
                levels[ilvl] = Level.parse(lvl)
        overrides: dict[int, int] = {}
        for override in num.iterchildren(W + "lvlOverride"):
            ilvl = _integer(override.get(W + "ilvl"))
            if ilvl is None or not 0 <= ilvl < LEVELS:
                continue
            lvl = override.find(W + "lvl")
            if lvl is not None:
                levels[ilvl] = Level.parse(lvl)
            start = _integer(_val(override, "startOverride"))
            if start is not None:
                overrides[ilvl] = start
        return _Instance(key, levels, overrides)

    def _resolve(self, p: Any) -> tuple[str, int] | None:
        """(numId, ilvl) the paragraph is numbered with, or None."""
        ppr = p.find(W + "pPr")
        num_id = ilvl = None
        style_id = None
        if ppr is not None:
            numpr = ppr.find(W + "numPr")
            if numpr is not None:
                num_id, ilvl = _val(numpr, "numId"), _integer(_val(numpr, "ilvl"))
            style_id = _val(ppr, "pStyle")
        chain = self._style_chain(style_id or self._default_style)
        for style in chain:
            if num_id is not None and ilvl is not None:
                break
            numpr = style.find(W + "pPr/" + W + "numPr")
            if numpr is None:
                continue
            if num_id is None:
                num_id = _val(numpr, "numId")
            if ilvl is None:
                ilvl = _integer(_val(numpr, "ilvl"))
        if num_id is None or num_id.strip() in ("", "0"):
            return None
        if ilvl is None:
            instance = self._instance(num_id)
            ids = [s.get(W + "styleId") for s in chain]
            linked = [
                (ids.index(level.style), k)
                for k, level in (instance.levels.items() if instance else ())
                if level.style in ids
            ]
            ilvl = min(linked)[1] if linked else 0
        return num_id, ilvl

    # ----------------------------------------------------------------- counting

    def marker(self, p: Any) -> str:
        """The marker Word shows before paragraph ``p`` (with its suffix), or ``""``.

        Counts the paragraph: call it once per paragraph, in document order.
        """
        resolved = self._resolve(p)
        if resolved is None:
            return ""
        num_id, ilvl = resolved
        instance = self._instance(num_id)
        if instance is None or not 0 <= ilvl < LEVELS or ilvl not in instance.levels:
            return ""
        levels = instance.levels
        counters = self._counters.setdefault(instance.key, {})
        first = (num_id, ilvl) not in self._seen
        self._seen.add((num_id, ilvl))
        if first and ilvl in instance.overrides:
            value = instance.overrides[ilvl]
        elif ilvl in counters:
            value = counters[ilvl] + 1
        else:
            value = self._start(instance, ilvl)
        counters[ilvl] = value
        for deeper in range(ilvl + 1, LEVELS):
            below = levels.get(deeper)
            restart = below.restart if below is not None else None
            if restart == 0:
                continue  # never restarts
            if restart is None or restart > deeper or ilvl < restart:
                counters.pop(deeper, None)
        return self._render(instance, ilvl, counters)

    @staticmethod
    def _start(instance: _Instance, ilvl: int) -> int:
        if ilvl in instance.overrides:
            return instance.overrides[ilvl]
        level = instance.levels.get(ilvl)
        return level.start if level is not None else 0

    def _render(self, instance: _Instance, ilvl: int, counters: dict[int, int]) -> str:
        level = instance.levels[ilvl]
        if level.fmt == "bullet" or not level.text:
            return ""

        def placeholder(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            other = instance.levels.get(k)
            if other is None:
                return ""
            value = counters.get(k, self._start(instance, k))
            fmt = "decimal" if level.legal and other.fmt not in ("none", "bullet") else other.fmt
            return format_number(value, fmt)

        return re.sub(r"%([1-9])", placeholder, level.text) + level.suffix
