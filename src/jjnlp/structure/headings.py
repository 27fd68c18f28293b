"""Numbered headings (一、 > （一） > 1. > （1）), inline or on their own line, nested."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jjnlp.model import Document, Section, Span
from jjnlp.numbers.chinese import chinese_int
from jjnlp.resources import load_toml
from jjnlp.zh.text import Level, expand, find_end


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    marker: str
    number: str
    ordinal: int
    title: str
    heading: Span
    inline: bool


@cache
def _levels() -> tuple[tuple[int, re.Pattern[str]], ...]:
    config = load_toml("structure.toml")
    return tuple((h["level"], re.compile(expand(h["pattern"]))) for h in config["headings"])


@cache
def _not_a_title() -> re.Pattern[str]:
    return re.compile(expand(load_toml("structure.toml")["not_a_title"]))


@cache
def _limits() -> tuple[int, int, int]:
    limits = load_toml("structure.toml")["limits"]
    return (
        int(limits["heading_title_max"]),
        int(limits["inline_heading_max"]),
        int(limits["inline_heading_clauses"]),
    )


def _heading_like(title: str) -> bool:
    """A long first sentence that reads as a title: no figures, dates or colons, and no
    more clauses than a title has (坚持严的主基调，纵深推进反腐败斗争)."""
    clauses = len(re.findall(r"[，；,;]", title)) + 1
    return clauses <= _limits()[2] and not _not_heading_like().search(title)


@cache
def _not_heading_like() -> re.Pattern[str]:
    return re.compile(expand(load_toml("structure.toml")["not_heading_like"]))


def _numeral_value(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else chinese_int(numeral)


def _lists_numerals(marker: str, ordinal: int, rest: str) -> bool:
    """Whether the marker's numeral and the numeral after it are one list (一、二季度: the
    first and second quarters), not a heading number and its title (一、一季度工作情况).

    Numerals listed with 、 ascend: a following numeral word greater than the marker's
    continues the list; one equal to or smaller than it (一、一季度, 二、一季度) cannot, so
    the marker numbers a heading. Brackets (（一）一季度) never join a list."""
    if not marker.endswith(("、", "，", ",")):
        return False
    match = _not_a_title().match(rest)
    return match is not None and _numeral_value(match["next"]) > ordinal


def _bare_title(rest: str) -> bool:
    """A heading line and nothing else: no sentence or phrase marks at all."""
    return not re.search(r"[，。；：:！？,;]", rest)


def match_heading(text: str, start: int, expected: int | None = None) -> Heading | None:
    """The heading at the start of a paragraph, or None if it is not one.

    ``expected`` is the ordinal the heading sequence of that level would take next: a
    line such as ``三、四季度工作打算`` whose numeral could also begin a list is a heading
    when it is a bare title line that continues the sequence.

    The title runs to the first 。 (an inline heading ``（二）案件查办工作情况。正文…``). A
    title longer than ``heading_title_max`` is still one when it is an inline heading
    (text follows the 。) and heading-like (no figures, dates or colons, few clauses), up
    to ``inline_heading_max``."""
    title_max, inline_max, _ = _limits()
    for level, pattern in _levels():
        match = pattern.match(text)
        if not match:
            continue
        rest = match["rest"]
        number = match["num"]
        ordinal = _numeral_value(number)
        marker = text[: match.start("rest")]
        if _lists_numerals(marker, ordinal, rest) and not (
            expected == ordinal and _bare_title(rest)
        ):
            return None
        end = find_end(rest, Level.SENTENCE)
        title = (rest[:end] if end >= 0 else rest).strip()
        title = title.rstrip("：:；;，, ")
        inline = bool(end >= 0 and rest[end + 1 :].strip())
        if not title:
            return None
        if len(title) > title_max and not (
            inline and len(title) <= inline_max and _heading_like(title)
        ):
            return None
        title_start = start + match.start("rest") + (len(rest) - len(rest.lstrip()))
        return Heading(
            level, marker, number, ordinal, title, Span(start, title_start + len(title)), inline
        )
    return None


def find_headings(document: Document, skip: int = 0) -> list[Heading]:
    """Headings of the paragraphs after the first ``skip`` ones (title and addressee)."""
    found: list[Heading] = []
    last: dict[int, int] = {}  # level → ordinal of its latest heading under the current parent
    paragraphs = [b for b in document.blocks if b.kind == "paragraph"]
    for block in paragraphs[skip:]:
        text = document.text[block.start : block.end]
        level = next((lvl for lvl, p in _levels() if p.match(text)), None)
        expected = last.get(level, 0) + 1 if level is not None else None
        heading = match_heading(text, block.start, expected)
        if heading:
            found.append(heading)
            last = {lvl: n for lvl, n in last.items() if lvl < heading.level}
            last[heading.level] = heading.ordinal
    return found


def nest(headings: list[Heading], end: int) -> tuple[Section, ...]:
    """Sections with bodies running to the next heading of the same or a higher level."""

    def build(index: int) -> tuple[Section, int]:
        head = headings[index]
        children: list[Section] = []
        j = index + 1
        while j < len(headings) and headings[j].level > head.level:
            child, j = build(j)
            children.append(child)
        body_end = headings[j].heading.start - 1 if j < len(headings) else end
        section = Section(
            level=head.level,
            marker=head.marker,
            number=head.number,
            ordinal=head.ordinal,
            title=head.title,
            heading=head.heading,
            body=Span(head.heading.start, max(body_end, head.heading.end)),
            inline=head.inline,
            children=tuple(children),
        )
        return section, j

    sections: list[Section] = []
    i = 0
    while i < len(headings):
        section, i = build(i)
        sections.append(section)
    return tuple(sections)
