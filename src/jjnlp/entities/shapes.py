"""What names look like: places (青山县), units (河西镇纪委), positions (副书记), classes.

Checks on text (and on a spaCy ``Doc`` for where a word starts) shared by the rule
components; the words and patterns come from ``entities.toml`` and ``cases.toml``.
"""

from __future__ import annotations

import jjnlp.entities.torchless  # noqa: F401  (before spaCy: see that module)

# isort: split

import re
from functools import cache

from spacy.tokens import Doc, Span

from jjnlp.entities import rules
from jjnlp.resources import load_toml
from jjnlp.zh.segment import tagger


@cache
def generic_prefixes() -> tuple[str, ...]:
    return tuple(rules.config()["generic_prefixes"])


TEXT_KEY = "jjnlp.text"


def text_of(doc: Doc) -> str:
    """``doc.text``, built once per document: spaCy joins the tokens again on every access,
    and the shape checks ask thousands of times (the compose component drops it at the end)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return str(text)


@cache
def place_pattern() -> re.Pattern[str]:
    """A place name at the start of a unit: a masked or 1–4 character name, then its level."""
    config = rules.config()
    suffixes = "|".join(sorted(map(re.escape, config["place_suffixes"]), key=len, reverse=True))
    initial = re.escape(config["not_place_initials"])
    return re.compile(
        rf"(?:[*＊]{{1,3}}|[^{initial}\W\d][\u4e00-\u9fff]{{0,3}}?)(?P<level>{suffixes})"
    )


@cache
def position_pattern() -> re.Pattern[str]:
    positions = sorted(load_toml("cases.toml")["positions"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, positions)))


@cache
def position_list_pattern() -> re.Pattern[str]:
    one = position_pattern().pattern
    return re.compile(rf"(?:{one})(?:、(?:{one}))*")


@cache
def more_positions_pattern() -> re.Pattern[str]:
    """Further positions listed after one with 、 (、副局长, 、原副局长)."""
    one = position_pattern().pattern
    return re.compile(rf"(?:、{rules.config()['former']}?(?:{one}))*")


@cache
def positions() -> tuple[str, ...]:
    return tuple(load_toml("cases.toml")["positions"])


@cache
def org_suffixes() -> tuple[str, ...]:
    return tuple(sorted(rules.config()["org_suffixes"], key=len, reverse=True))


def is_place(text: str, after_place: bool = False) -> bool:
    """A place name and its level, whose name is not a common word of another kind
    (协助市, 听取各乡, 列席镇: a verb or a noun before a level is no place). Right after
    another place a noun may name one (南山县 + 青石镇)."""
    m = place_pattern().fullmatch(text)
    if m is None:
        return False
    name = text[: m.start("level")]
    if name.startswith(("*", "＊")):
        return True
    if any(char in rules.single_levels() for char in name[:-1]):
        return False  # two places, not one (河西镇黄河 + 村); 云州 + 市 is one
    tags = tagger().word_tag_tab
    lenient = after_place and len(name) > 1  # 青石 (n) after 南山县, but not 城 in 城市管理局
    allowed = set(rules.config()["place_name_tags"]) | ({"n"} if lenient else set())
    if name in tags:
        return tags[name] in allowed
    # a name jieba does not know: it opens with no word of another kind (纪委|在) and none of
    # its characters is a function word or a numeral (现将区, 一是乡, 个乡)
    if name[:2] in tags and tags[name[:2]] not in allowed:
        return False
    function = set(rules.config()["function_tags"])
    if any(tags.get(char) in function for char in name):
        return False
    # a numeral or a measure word opens no name (一是乡, 个乡) but may stand inside one (岭口)
    return tags.get(name[0]) not in set(rules.config()["counting_tags"])


def is_generic(doc: Doc, start_char: int) -> bool:
    """Whether the word before ``start_char`` makes what follows a class (各乡镇纪委)."""
    before = text_of(doc)[max(0, start_char - 4) : start_char]
    return before.endswith(generic_prefixes())


def place_ending_in(doc: Doc, at: int) -> int | None:
    """Where a place starts whose level is the character at ``at`` (青石 + 镇党委: the known
    name 镇党委 is the tail of 青石镇党委), if one does."""
    if text_of(doc)[at : at + 1] not in rules.single_levels():
        return None
    for n in range(4, 0, -1):
        start = at - n
        if start >= 0 and is_place(text_of(doc)[start : at + 1], place_ends_at(doc, start)):
            return start
    return None


def place_ends_at(doc: Doc, end: int) -> bool:
    return any(is_place(text_of(doc)[end - n : end]) for n in range(2, 6) if end - n >= 0)


def is_unit(text: str) -> bool:
    """A unit's name: it ends with an organisation suffix and opens with a place, a level
    (市/县/镇 …), a masked place, or 中共/驻/中央 — not with a verb or a noun phrase."""
    if not text.endswith(org_suffixes()):
        return False
    if text.startswith(tuple(rules.config()["unit_openings"])):
        return True
    return any(is_place(text[:end]) for end in range(2, min(len(text), 8)))


def span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label)
