"""The opening and closing parts of a 公文: 发文字号, title, 主送机关, 落款 and 成文日期."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from jjnlp.model import Block, Document, Span
from jjnlp.numbers.chinese import chinese_int
from jjnlp.resources import load_toml
from jjnlp.zh.text import HEADING_NUMERALS, expand


@dataclass(frozen=True, slots=True)
class Parts:
    title: Span | None
    title_text: str
    addressee: Span | None
    issuer: Span | None
    date: Span | None
    issued_on: dt.date | None
    opening_blocks: int  # blocks before the body (number, title, addressee)
    closing_start: int | None  # offset where 落款/date begin


@cache
def _config() -> dict[str, Any]:
    return load_toml("structure.toml")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    doc = _config()["document"]
    return {name: re.compile(expand(doc[name])) for name in ("doc_number", "date", "date_chinese")}


def _limits() -> dict[str, int]:
    limits: dict[str, int] = _config()["limits"]
    return limits


def parse_date(text: str) -> date | None:
    """2024年7月5日 or 二〇二四年七月五日 as a date; None when it is neither or invalid."""
    patterns = _patterns()
    for name, to_int in (("date", int), ("date_chinese", chinese_int)):
        match = patterns[name].match(text)
        if match:
            try:
                return date(to_int(match["y"]), to_int(match["m"]), to_int(match["d"]))
            except ValueError:
                return None
    return None


def _looks_like_title(text: str) -> bool:
    """Ends with a document type (报告, 通报 …), unpunctuated, and is not a numbered heading."""
    from jjnlp.structure.headings import match_heading

    types = tuple(_config()["document"]["types"])
    return (
        not text.endswith(("。", "：", ":"))
        and len(text) <= 80
        and text.endswith(types)
        and match_heading(text, 0) is None
    )


def _is_addressee(text: str) -> bool:
    return (
        text.endswith(("：", ":")) and len(text) <= _limits()["addressee_max"] and "。" not in text
    )


def _block_text(document: Document, block: Block) -> str:
    return document.text[block.start : block.end]


def find_parts(document: Document) -> Parts:
    blocks = [b for b in document.blocks if b.kind == "paragraph"]
    texts = [_block_text(document, b) for b in blocks]
    opening = _limits()["opening_blocks"]
    i = 0
    if texts and _patterns()["doc_number"].match(texts[0]):
        i = 1
    title: Span | None = None
    title_text = ""
    for count in (2, 1):  # a title may run over two lines
        lines = texts[i : i + count]
        if len(lines) < count or any(_is_addressee(t) or t.endswith("。") for t in lines):
            continue
        if _looks_like_title("".join(lines)) and (count == 1 or not _looks_like_title(lines[0])):
            title = Span(blocks[i].start, blocks[i + count - 1].end)
            title_text = "".join(lines)
            i += count
            break
    addressee: Span | None = None
    for j in range(i, min(opening, len(texts))):
        if _is_addressee(texts[j]):
            addressee = Span(blocks[j].start, blocks[j].end - 1)  # without the colon
            i = j + 1
            break
    date_span, issuer, issued_on, closing = _closing(document, blocks, texts)
    return Parts(title, title_text, addressee, issuer, date_span, issued_on, i, closing)


def _is_signature(text: str) -> bool:
    return (
        len(text) <= _limits()["issuer_max"]
        and not text.endswith(("。", "：", "；", "！"))
        and "，" not in text
        and not re.match(rf"^[（(]?[{HEADING_NUMERALS}\d]{{1,3}}[、.．）)]", text)
    )


def _closing(
    document: Document, blocks: list[Block], texts: list[str]
) -> tuple[Span | None, Span | None, date | None, int | None]:
    """成文日期 in the last blocks and the 落款 (issuer) line just above it."""
    for j in range(len(texts) - 1, max(len(texts) - 4, -1), -1):
        issued_on = parse_date(texts[j])
        if issued_on is None:
            continue
        date_span = Span(blocks[j].start, blocks[j].end)
        issuer = None
        closing = blocks[j].start
        # the 落款 is one or two short lines above the date (纪委 and 监委 may sign jointly)
        k = j
        while k > 0 and j - k < 2 and _is_signature(texts[k - 1]):
            k -= 1
        if k < j:
            issuer = Span(blocks[k].start, blocks[j - 1].end)
            closing = blocks[k].start
        return date_span, issuer, issued_on, closing
    return None, None, None, None
