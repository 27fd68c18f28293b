"""Text and format rules (公文 proofreading, GB/T 9704)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from itertools import pairwise

from jjnlp.audit.context import AuditContext
from jjnlp.audit.findings import Draft
from jjnlp.audit.registry import rule
from jjnlp.model import Section
from jjnlp.resources import load_lines, load_toml

_REPEAT = re.compile(r"([\u4e00-\u9fff]{1,8}?)\1")
_FUNCTION_WORDS = frozenset("的了和在是与及对把被将从")
_HALF_WIDTH = re.compile(
    r"(?<=[\u4e00-\u9fff])[,;:?!](?=[\u4e00-\u9fff“])|(?<=[\u4e00-\u9fff])\((?=[\u4e00-\u9fff])"
)
_FULL_FOR = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（"}
_DATE = re.compile(r"\d{4}年(?:0\d月\d{1,2}日|\d{1,2}月0\d日|0\d月0\d日)")


@cache
def _legit() -> frozenset[str]:
    return frozenset(load_lines("reduplication.txt"))


def _inside_legit_word(text: str, start: int, end: int) -> bool:
    """The repeat at ``[start, end)`` is part of an allowed reduplicated word written there
    (的的 in 的的确确, but not 的的 in 越严的的强烈)."""
    for word in _legit():
        at = text.find(word, max(0, start - len(word) + 1), end + len(word) - 1)
        if at >= 0 and at <= start and end <= at + len(word):
            return True
    return False


def _word_aligned(text: str, start: int, size: int) -> bool:
    """Both copies are whole words: segment a window and look for cuts at their edges."""
    left = max(0, start - 6)
    cuts = _cuts(text[left : start + 2 * size + 6])
    return all(offset - left in cuts for offset in (start, start + size, start + 2 * size))


@lru_cache(maxsize=4096)
def _cuts(window: str) -> frozenset[int]:
    """Word edges of a short window (a garbled text repeats the same windows many times)."""
    from jjnlp.zh.segment import boundaries

    return frozenset(boundaries(window))


@rule(
    "repeated_phrase",
    severity="warning",
    kind="text",
    default_config={"max_checked": 500},
)
def check_repeats(ctx: AuditContext) -> Iterator[Draft]:
    """A word or phrase written twice in a row (明察暗访明察暗访, 的的) is a slip; 常常 is not."""
    # each candidate of two or more characters is segmented to see whether both copies are
    # words; a garbled text with thousands of them is checked for its first ones only
    budget = ctx.options("repeated_phrase")["max_checked"]
    for match in _REPEAT.finditer(ctx.text):
        unit, whole = match.group(1), match.group()
        if _inside_legit_word(ctx.text, match.start(), match.end()):
            continue  # 常常, 研究研究, 的的确确: reduplication the language allows
        if len(unit) == 1 and unit not in _FUNCTION_WORDS:
            continue  # 常常, 人人: reduplication is the rule for single characters
        if len(unit) > 1:
            budget -= 1
            if budget < 0:
                return
            if not _word_aligned(ctx.text, match.start(), len(unit)):
                continue  # 大队大队长: the second copy belongs to a longer word
        yield Draft(
            match.start(), match.end(), f"“{unit}”重复，应为“{unit}”", stated=whole, expected=unit
        )


@rule(
    "unmatched_bracket",
    severity="warning",
    kind="text",
    # the pairs checked, opener then closer (half-width brackets number lists: 1)）
    default_config={"pairs": ["“”", "《》", "（）"]},
)
def check_brackets(ctx: AuditContext) -> Iterator[Draft]:
    """Quotes and brackets “”《》（） are paired and nested within their paragraph."""
    pairs = {pair[0]: pair[1] for pair in ctx.options("unmatched_bracket")["pairs"]}
    closers = {v: k for k, v in pairs.items()}
    marks = _marks("".join(pairs) + "".join(closers))
    text = ctx.text
    for block in ctx.document.blocks:
        stack: list[tuple[str, int]] = []
        # the brackets only (a few in a paragraph), not every character
        for found in marks.finditer(text, block.start, block.end):
            char, offset = found.group(), found.start()
            if char in pairs:
                stack.append((char, offset))
            elif char in closers:
                if stack and stack[-1][0] == closers[char]:
                    stack.pop()
                else:
                    yield Draft(
                        offset,
                        offset + 1,
                        f"“{char}”没有与之配对的“{closers[char]}”",
                        stated=char,
                        expected=closers[char] + char,
                    )
                    if stack and any(opener == closers[char] for opener, _ in stack):
                        while stack and stack[-1][0] != closers[char]:
                            stack.pop()
                        stack.pop()
        for opener, offset in stack:
            yield Draft(
                offset,
                offset + 1,
                f"“{opener}”没有与之配对的“{pairs[opener]}”",
                stated=opener,
                expected=opener + pairs[opener],
            )


@lru_cache(maxsize=8)
def _marks(characters: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(characters)}]")


def _siblings(sections: tuple[Section, ...]) -> Iterator[tuple[Section, ...]]:
    yield sections
    for section in sections:
        yield from _siblings(section.children)


def _markers(level: int, ordinal: int) -> tuple[str, ...]:
    from jjnlp.numbers import to_chinese

    numeral = to_chinese(ordinal)
    return {
        1: (f"{numeral}、",),
        2: (f"（{numeral}）", f"({numeral})"),
        3: (f"{ordinal}.", f"{ordinal}．", f"{ordinal}、"),
        4: (f"（{ordinal}）", f"({ordinal})"),
    }.get(level, ())


def _written_between(text: str, previous: Section, section: Section) -> bool:
    """A "missing" number is really written at a line start between the two headings: an
    absence is confirmed on the raw text before it is reported."""
    between = text[previous.heading.start : section.heading.start]
    lines = [line.strip() for line in between.split("\n")[1:]]
    for ordinal in range(previous.ordinal + 1, section.ordinal):
        if any(line.startswith(_markers(section.level, ordinal)) for line in lines):
            return True
    return False


@rule("heading_sequence", severity="warning", kind="text")
def check_heading_numbers(ctx: AuditContext) -> Iterator[Draft]:
    """Headings of one level under one parent are numbered 1, 2, 3 … without skips or repeats."""
    for group in _siblings(ctx.outline.sections):
        by_level: dict[int, list[Section]] = {}
        for section in group:
            by_level.setdefault(section.level, []).append(section)
        for run in by_level.values():
            for previous, section in pairwise(run):
                if section.ordinal != previous.ordinal + 1:
                    if _written_between(ctx.text, previous, section):
                        continue  # the heading is there: the reader, not the author, lost it
                    what = "重复" if section.ordinal == previous.ordinal else "不连续"
                    yield Draft(
                        section.heading.start,
                        section.heading.start + len(section.marker),
                        f"标题序号{what}：{previous.marker}之后为{section.marker}",
                        stated=section.marker,
                        expected=f"第{previous.ordinal + 1}项",
                    )


@rule("heading_punct", severity="warning", kind="text")
def check_heading_marks(ctx: AuditContext) -> Iterator[Draft]:
    """GB/T 9704 writes （一） with nothing after the bracket and 1. with a full stop, not 1、."""
    for section in ctx.outline.walk():
        marker = section.marker
        start = section.heading.start
        if section.level in (2, 4) and marker.endswith(("、", "，", ",")):
            yield Draft(
                start,
                start + len(marker),
                f"“{marker}”后不加标点，应为“{marker[:-1]}”",
                stated=marker,
                expected=marker[:-1],
            )
        elif section.level == 3 and marker.endswith("、"):
            yield Draft(
                start,
                start + len(marker),
                f"“{marker}”应为“{marker[:-1]}.”",
                stated=marker,
                expected=marker[:-1] + ".",
            )


@rule("enumeration_sequence", severity="warning", kind="text")
def check_enumerations(ctx: AuditContext) -> Iterator[Draft]:
    """一是、二是、三是 start at 一 and run in order within a section, without gaps."""
    previous = None
    for item in ctx.outline.items:
        new_list = previous is None or item.section != previous.section or item.ordinal == 1
        if new_list and item.ordinal != 1:
            yield Draft(
                item.span.start,
                item.span.start + len(item.marker),
                f"列举从{item.marker}开始，缺少前面的序号",
                stated=item.marker,
                expected="一是",
            )
        elif not new_list and previous is not None and item.ordinal != previous.ordinal + 1:
            yield Draft(
                item.span.start,
                item.span.start + len(item.marker),
                f"列举序号不连续：{previous.marker}之后为{item.marker}",
                stated=item.marker,
                expected=f"第{previous.ordinal + 1}项",
            )
        previous = item


@rule("mixed_punct", severity="warning", kind="text")
def check_half_width(ctx: AuditContext) -> Iterator[Draft]:
    """Chinese text uses full-width punctuation (，；：？！（), not half-width ones."""
    for match in _HALF_WIDTH.finditer(ctx.text):
        mark = match.group()
        yield Draft(
            match.start(),
            match.end(),
            f"中文中使用了半角标点“{mark}”，应为“{_FULL_FOR[mark]}”",
            stated=mark,
            expected=_FULL_FOR[mark],
        )


@rule("date_format", severity="warning", kind="text")
def check_dates(ctx: AuditContext) -> Iterator[Draft]:
    """Dates are written without leading zeros (2024年7月5日, not 2024年07月05日)."""
    for match in _DATE.finditer(ctx.text):
        right = re.sub(r"(?<=[年月])0(?=\d)", "", match.group())
        yield Draft(
            match.start(),
            match.end(),
            f"日期不加前导零，应为“{right}”",
            stated=match.group(),
            expected=right,
        )


@rule("formulation", severity="warning", kind="text")
def check_formulations(ctx: AuditContext) -> Iterator[Draft]:
    """Fixed political formulations are written in their one correct form (lexicon)."""
    text = ctx.text
    for entry in load_toml("formulations.toml")["formulation"]:
        wrong, right = entry["wrong"], entry["right"]
        rights = [m.span() for m in re.finditer(re.escape(right), text)]
        for match in re.finditer(re.escape(wrong), text):
            if any(a <= match.start() and match.end() <= b for a, b in rights):
                continue
            yield Draft(
                match.start(),
                match.end(),
                f"规范表述应为“{right}”（{entry['note']}）",
                stated=wrong,
                expected=right,
            )
