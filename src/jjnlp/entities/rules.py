"""Entities that patterns find on the raw text, before any segmentation.

These are the closed, well-marked kinds: 《》 titles (DOC), quoted and fixed numbered
terms (TERM), dates and periods (DATE), amounts of money (MONEY), masked names (PER)
and masked places (LOC). The segmenter cuts at their edges, so every one of them is
a whole run of tokens in the spaCy ``Doc``. Masked names and redaction marks are
also *atoms*: single tokens that the segmenter never splits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from jjnlp.resources import load_lines, load_toml


@dataclass(frozen=True, slots=True, order=True)
class RuleSpan:
    start: int
    end: int
    label: str


@cache
def config() -> dict[str, Any]:
    return load_toml("entities.toml")


@cache
def _atom_pattern() -> re.Pattern[str]:
    """Masked names (张某某, 王某), masked places (**市, *市) and bare redaction marks (**)."""
    surnames = "".join(sorted(set(re.sub(r"\s", "", config()["surnames"]))))
    places = "".join(sorted(single_levels()))
    return re.compile(
        rf"(?P<PER>[{surnames}]某某?)|(?P<LOC>[*＊]{{1,3}}[{places}])|(?P<MARK>[*＊]{{1,6}})"
    )


_TITLE = re.compile(r"《([^《》\n]{1,80})》")


@cache
def _quote_patterns() -> tuple[re.Pattern[str], ...]:
    """Double quotes, and single quotes (which nest inside double ones), each on its own."""
    n = int(config()["max_quoted_term"])
    stop = "。，；：！？\n"
    return tuple(
        re.compile(rf"{left}([^{left}{right}{stop}]{{2,{n}}}){right}")
        for left, right in ("“”", "‘’")
    )


@cache
def _term_pattern() -> re.Pattern[str]:
    excluded = set(config()["not_terms"])
    terms = sorted((t for t in load_lines("terms.txt") if t not in excluded), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, terms)))


@cache
def _date_pattern() -> re.Pattern[str]:
    cn = "〇零一二三四五六七八九十"
    return re.compile(
        rf"\d{{4}}年\d{{1,2}}月[至到\-—–~～]\d{{1,2}}月"
        rf"|(?:\d{{4}}年)?\d{{1,2}}月(?:以来|起)"
        rf"|(?:\d{{4}}年)?\d{{1,2}}月\d{{1,2}}日"
        rf"|[{cn}]{{4}}年[{cn}]{{1,2}}月[{cn}]{{1,3}}日"
        rf"|\d{{4}}年\d{{1,2}}月(?=[^0-9日份至到\-—–~～]|$)"
    )


@cache
def single_levels() -> frozenset[str]:
    """The one-character administrative levels (市, 县, 镇 …)."""
    return frozenset(s for s in config()["place_suffixes"] if len(s) == 1)


def is_name(text: str) -> bool:
    """Whether ``text`` is a masked name (张某某, 王某)."""
    m = _atom_pattern().fullmatch(text)
    return m is not None and m.lastgroup == "PER"


def atoms(text: str) -> list[tuple[int, int, str]]:
    """The tokens the segmenter must keep whole: (start, end, kind)."""
    return [(m.start(), m.end(), m.lastgroup or "") for m in _atom_pattern().finditer(text)]


def _dates(text: str) -> list[RuleSpan]:
    from jjnlp.structure.periods import find_periods

    not_dates = set(config()["not_dates"])
    found = [
        RuleSpan(p.span.start, p.span.end, "DATE")
        for p in find_periods(text, None, "")
        if p.text not in not_dates
    ]
    found += [RuleSpan(m.start(), m.end(), "DATE") for m in _date_pattern().finditer(text)]
    return found


def _money(text: str) -> list[RuleSpan]:
    from jjnlp.numbers.quantity import find_quantities

    units = set(config()["money_units"])
    return [
        RuleSpan(q.start, q.end, "MONEY")
        for q in find_quantities(text)
        if q.kind == "money" and q.stated_unit in units
    ]


def _quoted_terms(text: str) -> list[RuleSpan]:
    """Quoted terms; not a quote of what someone said: one that opens like a report
    (“已全部整改到位”), follows a verb of saying (称“…”), follows such a quote, or is a pretext
    given (以“再等等”“等上面通知”为由; 以“节日慰问金”名义 is a label)."""
    reported, cues = tuple(config()["reported_starts"]), tuple(config()["speech_cues"])
    opening, pretexts = config()["pretext_opening"], tuple(config()["pretext_ends"])
    terms = []
    for pattern in _quote_patterns():
        quotes = list(pattern.finditer(text))
        said: set[int] = set()  # ends of quotes that report speech
        for k, m in enumerate(quotes):
            last = k
            while last + 1 < len(quotes) and quotes[last + 1].start() == quotes[last].end():
                last += 1  # the run of quotes written one after another
            pretext = text.endswith(opening, 0, m.start()) and text.startswith(
                pretexts, quotes[last].end()
            )
            spoken = text.endswith(cues, 0, m.start()) or m.start() in said or pretext
            if m.group(1).startswith(reported) or spoken:
                said.add(m.end())
            else:
                terms.append(RuleSpan(m.start(1), m.end(1), "TERM"))
    return terms


@lru_cache(maxsize=4)  # the segmenter and the rule component both ask, one after the other
def find(text: str) -> tuple[RuleSpan, ...]:
    """Every pattern entity in ``text``, sorted, with nested spans of one label reduced."""
    found = [
        RuleSpan(start, end, kind) for start, end, kind in atoms(text) if kind in ("PER", "LOC")
    ]
    found += [RuleSpan(m.start(1), m.end(1), "DOC") for m in _TITLE.finditer(text)]
    found += _quoted_terms(text)
    found += [RuleSpan(m.start(), m.end(), "TERM") for m in _term_pattern().finditer(text)]
    found += _dates(text)
    found += _money(text)
    return tuple(outermost(found))


def outermost(spans: list[RuleSpan]) -> list[RuleSpan]:
    """Drop a span that lies inside another span of the same label (and exact duplicates)."""
    by_label: dict[str, list[RuleSpan]] = {}
    reach: dict[str, int] = {}  # the furthest end of the spans kept so far, per label
    # by start, the longer first: every span kept before this one starts at or before it,
    # so it lies inside one of them exactly when one of them ends at or after its end
    for span in sorted(set(spans), key=lambda s: (s.start, -s.end)):
        if span.end > reach.get(span.label, -1):
            by_label.setdefault(span.label, []).append(span)
            reach[span.label] = span.end
    return sorted(s for kept in by_label.values() for s in kept)
