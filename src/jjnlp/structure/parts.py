"""The opening and closing parts of a 公文: 红头, 发文字号, title, 主送机关, 落款, 成文日期.

At the top, the 发文机关标志 (红头, ``中共澜川县纪律检查委员会文件``), the 发文字号
(``澜纪发〔2024〕12号``, a 签发人 beside it or below) and separator lines come before the
title; at the end, the 版记 (``抄送：…``, ``…2024年9月13日印发``) comes after the date and is
neither the 落款 nor the 成文日期 (GB/T 9704-2012).
"""

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
    opening_blocks: int  # blocks before the body (红头, number, title, addressee)
    closing_start: int | None  # offset where 落款/date begin
    issuing_body: Span | None = None  # 红头
    doc_number: Span | None = None  # 发文字号


@cache
def _config() -> dict[str, Any]:
    return load_toml("structure.toml")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    doc = _config()["document"]
    names = ("doc_number", "date", "date_chinese", "issuing_mark", "signer", "separator")
    return {name: re.compile(expand(doc[name])) for name in names}


@cache
def _imprint() -> tuple[re.Pattern[str], ...]:
    """Lines of the 版记 and page furniture at the end (抄送, …印发, — 3 —)."""
    return tuple(re.compile(expand(p)) for p in _config()["document"]["imprint"])


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


def _is_mark_line(text: str) -> bool:
    """A line that can be (part of) a 红头: a short organ name, unpunctuated, not a title."""
    return (
        0 < len(text) <= _limits()["issuer_max"]
        and not re.search(r"[，。；：:、“”《》]", text)
        and not _looks_like_title(text)
    )


def _head(texts: list[str], blocks: list[Block]) -> tuple[int, Span | None, Span | None]:
    """The 红头 and 发文字号 at the top: (blocks they take, 红头 span, 字号 span).

    A 发文字号 line within the first lines makes the short organ-name lines above it the
    红头; without one, leading organ-name lines up to one ending in 文件 are the 红头."""
    patterns = _patterns()
    reach = min(len(texts), _limits()["head_blocks"])
    number_at = next((j for j in range(reach) if patterns["doc_number"].match(texts[j])), None)
    body: Span | None = None
    number: Span | None = None
    if number_at is not None:
        marks = [j for j in range(number_at) if not patterns["separator"].match(texts[j])]
        if marks and all(_is_mark_line(texts[j]) for j in marks):
            body = Span(blocks[marks[0]].start, blocks[marks[-1]].end)
        elif marks:  # something else stands above the number: not a 红头 layout
            return 0, None, None
        match = patterns["doc_number"].match(texts[number_at])
        assert match is not None
        start = blocks[number_at].start
        number = Span(start + match.start("number"), start + match.end("number"))
        i = number_at + 1
    else:
        i = 0
        for j in range(reach):
            if not _is_mark_line(texts[j]) and not patterns["separator"].match(texts[j]):
                break
            if patterns["issuing_mark"].match(texts[j]):
                body, i = Span(blocks[0].start, blocks[j].end), j + 1
                break
    while i < len(texts) and (
        patterns["signer"].match(texts[i]) or patterns["separator"].match(texts[i])
    ):
        i += 1
    return i, body, number


def find_parts(document: Document) -> Parts:
    blocks = [b for b in document.blocks if b.kind == "paragraph"]
    texts = [_block_text(document, b) for b in blocks]
    opening = _limits()["opening_blocks"]
    i, issuing_body, doc_number = _head(texts, blocks)
    top = i
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
    for j in range(i, min(top + opening, len(texts))):
        if _is_addressee(texts[j]):
            addressee = Span(blocks[j].start, blocks[j].end - 1)  # without the colon
            i = j + 1
            break
    date_span, issuer, issued_on, closing = _closing(document, blocks, texts)
    return Parts(
        title,
        title_text,
        addressee,
        issuer,
        date_span,
        issued_on,
        i,
        closing,
        issuing_body,
        doc_number,
    )


def _is_signature(text: str) -> bool:
    return (
        len(text) <= _limits()["issuer_max"]
        and not text.endswith(("。", "：", "；", "！"))
        and "，" not in text
        and not re.match(rf"^[（(]?[{HEADING_NUMERALS}\d]{{1,3}}[、.．）)]", text)
    )


def _is_imprint(text: str) -> bool:
    return any(p.match(text.strip()) for p in _imprint())


def _closing(
    document: Document, blocks: list[Block], texts: list[str]
) -> tuple[Span | None, Span | None, date | None, int | None]:
    """成文日期 in the last blocks and the 落款 (issuer) line just above it.

    The 版记 (抄送, 印发) and page numbers below the date are passed over first."""
    last = len(texts)
    while last > 0 and (not texts[last - 1].strip() or _is_imprint(texts[last - 1])):
        last -= 1
    for j in range(last - 1, max(last - 4, -1), -1):
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
