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


def _title_max() -> int:
    return int(load_toml("structure.toml")["limits"]["heading_title_max"])


def match_heading(text: str, start: int) -> Heading | None:
    """The heading at the start of a paragraph, or None if it is not one."""
    for level, pattern in _levels():
        match = pattern.match(text)
        if not match:
            continue
        rest = match["rest"]
        if _not_a_title().match(rest):
            return None
        end = find_end(rest, Level.SENTENCE)
        title = (rest[:end] if end >= 0 else rest).strip()
        title = title.rstrip("：:；;，, ")
        inline = bool(end >= 0 and rest[end + 1 :].strip())
        if not title or len(title) > _title_max():
            return None
        number = match["num"]
        ordinal = int(number) if number.isdigit() else chinese_int(number)
        marker = text[: match.start("rest")]
        title_start = start + match.start("rest") + (len(rest) - len(rest.lstrip()))
        return Heading(
            level, marker, number, ordinal, title, Span(start, title_start + len(title)), inline
        )
    return None


def find_headings(document: Document, skip: int = 0) -> list[Heading]:
    """Headings of the paragraphs after the first ``skip`` ones (title and addressee)."""
    found = []
    paragraphs = [b for b in document.blocks if b.kind == "paragraph"]
    for block in paragraphs[skip:]:
        heading = match_heading(document.text[block.start : block.end], block.start)
        if heading:
            found.append(heading)
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
