"""Enumerations inside paragraphs: 一是…二是…三是… (and 其一、其二、)."""

from __future__ import annotations

import re
from functools import cache

from jjnlp.model import Document, Item, Section, Span, section_at
from jjnlp.numbers.chinese import chinese_int
from jjnlp.resources import load_toml
from jjnlp.zh.text import expand, headline


@cache
def _pattern() -> re.Pattern[str]:
    return re.compile(expand(load_toml("structure.toml")["enumeration"]["pattern"]))


def find_items(document: Document, sections: tuple[Section, ...]) -> tuple[Item, ...]:
    text = document.text
    items: list[Item] = []
    for block in document.blocks:
        if block.kind != "paragraph":
            continue
        paragraph = text[block.start : block.end]
        matches = list(_pattern().finditer(paragraph))
        for n, match in enumerate(matches):
            start = block.start + match.start("marker")
            end = block.start + (matches[n + 1].start() if n + 1 < len(matches) else len(paragraph))
            after = paragraph[match.end() : end - block.start]
            numeral = match["num"] or match["num2"]
            section = section_at(sections, start)
            items.append(
                Item(
                    marker=match["marker"].rstrip("，、"),
                    ordinal=chinese_int(numeral),
                    headline=headline(after),
                    span=Span(start, end),
                    section=section.title if section else None,
                )
            )
    return tuple(items)
