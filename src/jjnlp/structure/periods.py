"""Reporting periods stated in the text (2023年1-4月, 上半年, 2022年度, 今年以来 …).

Relative periods (全年, 一季度, 今年以来 …) are resolved against the document's reference
year: the year in its title; else the year of the period its opening states
(``2024年，县纪委监委…`` before the first heading); else the year of its 成文日期 (the
year before for an annual report issued early in the next year); else the latest year
any explicit period names (a report looks back on the most recent year it mentions).
An annual report dated 2025年1月 is about 2024: the 成文日期 comes last for that reason.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from jjnlp.model import Outline, Period, Section, Span, section_at
from jjnlp.resources import load_toml
from jjnlp.zh.text import DASHES, RANGE_WORDS, Level

if TYPE_CHECKING:
    from jjnlp.structure.parts import Parts


@cache
def _config() -> dict[str, Any]:
    periods: dict[str, Any] = load_toml("structure.toml")["periods"]
    return periods


@cache
def _pattern() -> re.Pattern[str]:
    config = _config()
    relative = sorted(config["relative"], key=len, reverse=True)
    words = "|".join(map(re.escape, relative))
    since = "|".join(map(re.escape, config["since"]))
    comparison = "|".join(map(re.escape, config["comparison"]))
    dash = re.escape(DASHES + RANGE_WORDS)
    return re.compile(
        rf"(?P<span>(?P<y1>\d{{4}})年(?:(?P<sm1>\d{{1,2}})月)?[{dash}](?P<y2>\d{{4}})年(?:(?P<sm2>\d{{1,2}})月)?)"
        rf"|(?P<from>(?:(?P<yf>\d{{4}})年|今年)(?:(?P<mf>\d{{1,2}})月(?:份)?)?以来)"
        rf"|(?P<months>(?:(?P<ym>\d{{4}})年|今年)?(?P<m1>\d{{1,2}})[{dash}](?P<m2>\d{{1,2}})月(?:份)?)"
        rf"|(?P<rel>(?:(?P<yr>\d{{4}})年|今年)?(?:{words}))"
        rf"|(?P<month>(?P<ymo>\d{{4}})年(?P<mo>\d{{1,2}})月(?!\d{{1,2}}日|份?\d))"
        rf"|(?P<year>(?P<yy>\d{{4}})年(?:度)?(?!\d))"
        rf"|(?P<since>{since})"
        rf"|(?P<cmp>{comparison})"
    )


@cache
def _starts() -> re.Pattern[str]:
    """The characters a period can begin with: a digit, 今, or a configured word's first."""
    config = _config()
    words = [*config["relative"], *config["since"], *config["comparison"]]
    firsts = "".join(sorted({"今", *(word[0] for word in words)}))
    return re.compile(rf"[\d{re.escape(firsts)}]")


def _periods_in(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """What ``_pattern().finditer`` finds, tried only where a period can begin: the
    pattern's alternatives share no leading character re could skip ahead by, so it would
    try all of them at every character (half the time of the search)."""
    pattern, end = _pattern(), len(text) if end is None else end
    reached = start
    for candidate in _starts().finditer(text, start, end):
        if candidate.start() >= reached and (match := pattern.match(text, candidate.start(), end)):
            reached = match.end()
            yield match


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# the years a report can speak of: 0000年 or 9999年 in a text is no date to resolve
YEARS = range(1900, 2200)


def _safe(year: int | None, m1: int, m2: int) -> tuple[date | None, date | None]:
    if year is None or year not in YEARS or not (1 <= m1 <= m2 <= 12):
        return None, None
    return date(year, m1, 1), _month_end(year, m2)


def _opening_year(text: str, opening_end: int) -> int | None:
    """The year of the first period the opening states for itself (``2024年，…``,
    ``2024年上半年，…``): a year or a part of one, written with its year, that governs."""
    for match in _periods_in(text, 0, opening_end):
        year = match["yy"] or match["yr"] or match["ym"] or match["ymo"]
        if year and _governs(text, match.start(), match.end()):
            return int(year)
    return None


def reference_year(
    text: str, issued_on: date | None, title: str, opening_end: int | None = None
) -> int | None:
    years = re.findall(r"(\d{4})年", title)
    if years:  # an annual report issued in January is about the year its title names
        return int(years[-1]) if int(years[-1]) in YEARS else None
    if opening_end is not None and (stated_year := _opening_year(text, opening_end)):
        return stated_year
    if issued_on:
        config = _config()
        annual = any(word in title for word in config["annual_titles"])
        if annual and issued_on.month <= config["annual_issued_by_month"]:
            return issued_on.year - 1
        return issued_on.year
    stated = [int(y) for y in re.findall(r"(?<!\d)(20\d{2}|19\d{2})年", text)]
    return max(stated) if stated else None


def _governs(text: str, start: int, end: int) -> bool:
    """A period opens its sentence (after an optional lead-in) and a comma or 以来 follows."""
    lead_ins = _config()["lead_ins"]
    before = text[max(0, start - 3) : start]
    opens = (
        start == 0
        or text[start - 1] in Level.CLAUSE.value + "："
        or any(
            before.endswith(w)
            and (start - len(w) == 0 or text[start - len(w) - 1] in Level.CLAUSE.value + "，")
            for w in lead_ins
        )
    )
    after = text[end : end + 3]
    return opens and (after[:1] in ("，", ",") or after.startswith(("以来", "期间", "内，", "共")))


def _sentence_of(sentences: tuple[Span, ...], offset: int) -> Span | None:
    at = bisect_right(sentences, offset, key=lambda s: s.start) - 1
    return sentences[at] if at >= 0 and offset < sentences[at].end else None


def _has_sentence(text: str) -> bool:
    """A sentence ends in ``text`` (the paragraph's text before a period)."""
    from jjnlp.zh.text import Level, find_end

    return find_end(text, Level.SENTENCE) >= 0


def _is_base(text: str, start: int, end: int) -> bool:
    """较2023年的, 与2023年相比, 比上年同期: a period named as the base of a comparison."""
    config = _config()
    before = text[max(0, start - 2) : start]
    return before.endswith((*config["compared_with"], "与")) or text.startswith(
        tuple(config["base_followers"]), end
    )


def find_periods(
    text: str, issued_on: date | None, title: str, opening_end: int | None = None
) -> tuple[Period, ...]:
    """Every period stated in ``text``; ``opening_end`` ends the opening (the text before
    the first heading), where a stated period sets the reference year."""
    year = reference_year(text, issued_on, title, opening_end)
    relative = _config()["relative"]
    found: list[Period] = []
    for match in _periods_in(text):
        start_date: date | None = None
        end_date: date | None = None
        comparison = False
        if match["span"]:
            y1, y2 = int(match["y1"]), int(match["y2"])
            sm1 = int(match["sm1"] or 1)
            sm2 = int(match["sm2"] or 12)
            if y1 <= y2 and y1 in YEARS and y2 in YEARS and 1 <= sm1 <= 12 and 1 <= sm2 <= 12:
                start_date, end_date = date(y1, sm1, 1), _month_end(y2, sm2)
        elif match["months"]:
            y = int(match["ym"]) if match["ym"] else year
            start_date, end_date = _safe(y, int(match["m1"]), int(match["m2"]))
        elif match["rel"]:
            y = int(match["yr"]) if match["yr"] else year
            word = match["rel"][5:] if match["yr"] else match["rel"].removeprefix("今年")
            m1, m2 = relative[word]
            start_date, end_date = _safe(y, m1, m2)
        elif match["month"]:
            start_date, end_date = _safe(int(match["ymo"]), int(match["mo"]), int(match["mo"]))
        elif match["year"]:
            start_date, end_date = _safe(int(match["yy"]), 1, 12)
        elif match["from"]:  # 2024年以来, 今年3月以来: from then to the date of writing
            y = int(match["yf"]) if match["yf"] else year
            if y is not None:
                start_date, _ = _safe(y, int(match["mf"] or 1), int(match["mf"] or 1))
                end_date = issued_on
        elif match["since"]:
            if year is not None:
                start_date = date(year, 1, 1)
                end_date = issued_on
        else:
            comparison = True
        comparison = comparison or _is_base(text, match.start(), match.end())
        governs = not comparison and _governs(text, match.start(), match.end())
        paragraph = text.rfind("\n", 0, match.start()) + 1
        found.append(
            Period(
                text=match.group(),
                span=Span(match.start(), match.end()),
                start_date=start_date,
                end_date=end_date,
                comparison=comparison,
                governs=governs,
                opens_paragraph=governs and not _has_sentence(text[paragraph : match.start()]),
            )
        )
    return tuple(found)


def report_period(
    periods: tuple[Period, ...], parts: Parts, sections: tuple[Section, ...]
) -> Period | None:
    """The period the whole document reports on.

    The title's most specific period; else, before the first heading, the first
    governing one (``上半年，…``); else the first fully resolved one. ``下半年工作安排``
    is a plan, not the period reported on, and does not open its sentence.
    """
    if parts.title is not None:
        in_title = [p for p in periods if parts.title.contains(p.span) and not p.comparison]
        resolved = [p for p in in_title if p.start_date and p.end_date]
        if resolved:  # the most specific: 2024年 + 上半年 on two title lines → 上半年
            return min(resolved, key=lambda p: p.end_date - p.start_date)  # type: ignore[operator]
        if in_title:
            return in_title[0]
    opening_end = sections[0].heading.start if sections else None
    opening = [
        p
        for p in periods
        if not p.comparison and (opening_end is None or p.span.end <= opening_end)
    ]
    for wanted in (lambda p: p.governs, lambda p: p.start_date and p.end_date):
        for period in opening:
            if wanted(period):
                return period
    return opening[0] if opening else None


def period_at(outline: Outline, offset: int) -> Period | None:
    """The period a figure at ``offset`` is stated for.

    The last dated period named before it in its own sentence (1—9月全市立案521件……全年结案
    738件: each figure takes the period written before it); else the last governing period
    before ``offset`` inside the same innermost section (or, outside any section, the same
    paragraph); else the report's period. Comparison bases never govern.
    """
    periods = outline.periods  # in text order
    before = bisect_left(periods, offset, key=lambda p: p.span.start)
    sentence = _sentence_of(outline.sentences, offset)
    if sentence is not None:
        for at in range(before - 1, -1, -1):
            period = periods[at]
            if period.span.start < sentence.start:
                break
            if period.span.end <= offset and not period.comparison and period.start_date:
                return period
    section = section_at(outline.sections, offset)
    floor = section.body.start if section else 0
    governing = outline.governing
    at = bisect_left(governing, offset, key=lambda p: p.span.start) - 1
    if at >= 0 and governing[at].span.start >= floor:
        return governing[at]
    return outline.report_period
