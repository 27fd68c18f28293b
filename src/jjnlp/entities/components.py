"""The two rule components around the statistical ``ner`` (see :mod:`jjnlp.entities.nlp`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from jjnlp.entities import rules
from jjnlp.entities.nlp import NER_LABELS, SPANS_KEY
from jjnlp.resources import load_toml
from jjnlp.segment import tagger


@cache
def _known_org_pattern() -> re.Pattern[str]:
    names = sorted(rules.config()["known_orgs"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@cache
def _generic_prefixes() -> tuple[str, ...]:
    return tuple(rules.config()["generic_prefixes"])


@cache
def _place_pattern() -> re.Pattern[str]:
    """A place name at the start of a unit: a masked or 1–4 character name, then its level."""
    config = rules.config()
    suffixes = "|".join(sorted(map(re.escape, config["place_suffixes"]), key=len, reverse=True))
    initial = re.escape(config["not_place_initials"])
    return re.compile(
        rf"(?:[*＊]{{1,3}}|[^{initial}\W\d][\u4e00-\u9fff]{{0,3}}?)(?P<level>{suffixes})"
    )


@cache
def _position_pattern() -> re.Pattern[str]:
    positions = sorted(load_toml("cases.toml")["positions"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, positions)))


@cache
def _position_list_pattern() -> re.Pattern[str]:
    one = _position_pattern().pattern
    return re.compile(rf"(?:{one})(?:、(?:{one}))*")


@cache
def _positions() -> tuple[str, ...]:
    return tuple(load_toml("cases.toml")["positions"])


@cache
def _org_suffixes() -> tuple[str, ...]:
    return tuple(sorted(rules.config()["org_suffixes"], key=len, reverse=True))


def _is_place(text: str, after_place: bool = False) -> bool:
    """A place name and its level, whose name is not a common word of another kind
    (协助市, 听取各乡, 列席镇: a verb or a noun before a level is no place). Right after
    another place a noun may name one (南山县 + 青石镇)."""
    m = _place_pattern().fullmatch(text)
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
    return not any(tags.get(char) in function for char in name)


def _is_generic(doc: Doc, start_char: int) -> bool:
    """Whether the word before ``start_char`` makes what follows a class (各乡镇纪委)."""
    before = doc.text[max(0, start_char - 4) : start_char]
    return before.endswith(_generic_prefixes())


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label)


def _known_orgs(doc: Doc) -> Iterable[Span]:
    for m in _known_org_pattern().finditer(doc.text):
        if m.start() > 0 and doc.text[m.start() - 1] in "*＊":
            continue  # a masked place opens a longer name (*市委政治生态考核组)
        if _is_generic(doc, m.start()):
            continue
        start = _place_ending_in(doc, m.start())
        span = _span(doc, m.start() if start is None else start, m.end(), "ORG")
        if span is not None:
            yield span


def _place_ending_in(doc: Doc, at: int) -> int | None:
    """Where a place starts whose level is the character at ``at`` (青石 + 镇党委: the known
    name 镇党委 is the tail of 青石镇党委), if one does."""
    if doc.text[at : at + 1] not in rules.single_levels():
        return None
    for n in range(4, 0, -1):
        start = at - n
        if start >= 0 and _is_place(doc.text[start : at + 1], _place_ends_at(doc, start)):
            return start
    return None


def _place_ends_at(doc: Doc, end: int) -> bool:
    return any(_is_place(doc.text[end - n : end]) for n in range(2, 6) if end - n >= 0)


@Language.component("jjnlp_entity_rules")
def entity_rules(doc: Doc) -> Doc:
    """Pattern entities and known bodies, as ``doc.ents`` for ``ner`` to work around."""
    spans = [_span(doc, s.start, s.end, s.label) for s in rules.find(doc.text)]
    found = [s for s in spans if s is not None]
    doc.spans[SPANS_KEY] = found + list(_known_orgs(doc))
    # a masked place or a known body may open a longer name (**市纪委监委, 市委政策法规研究室):
    # ``ner`` sees those tokens free; the other pattern entities are fixed for it
    doc.ents = filter_spans([s for s in found if s.label_ not in NER_LABELS or s.label_ == "PER"])
    return doc


def _places(doc: Doc, start: int, end: int) -> Iterable[Span]:
    """The places a unit's name opens with: 青山县 and 河西镇 in 青山县河西镇党委."""
    at = start
    for prefix in rules.config()["org_prefixes"]:
        if doc.text.startswith(prefix, at, end):
            at += len(prefix)
    found = False
    while at < end:
        span = next(
            (
                place
                for stop in range(min(end - 1, at + 7), at + 1, -1)  # the longest: 云州市, not 云州
                if _is_place(doc.text[at:stop], after_place=found)
                and (place := _span(doc, at, stop, "LOC")) is not None
            ),
            None,
        )
        if span is None:
            return
        yield span
        at, found = span.end_char, True


def _unit_of_title(doc: Doc, title: Span) -> Span | None:
    """The unit a title is written with: 河西镇纪委 in 河西镇纪委副书记."""
    text = title.text
    for position in sorted(_positions(), key=len):  # 黄河村党支部|书记 before 黄河村|党支部书记
        unit = text.removesuffix(position)
        if unit != text and unit.endswith(_org_suffixes()):
            return _span(doc, title.start_char, title.start_char + len(unit), "ORG")
    return None


def _titles(doc: Doc, spans: list[Span]) -> Iterable[Span]:
    """Titles written as a unit then a position (河西镇纪委副书记), or a position by a name."""
    text = doc.text
    people = {s.start_char for s in spans if s.label_ == "PER"}
    for span in spans:
        if span.label_ == "ORG":
            m = _position_pattern().match(text, span.end_char)
            if m is not None:
                title = _span(doc, span.start_char, m.end(), "TITLE")
                if title is not None:
                    yield title
    # positions before a name, alone or listed with 、 (党组成员、副局长冯某某)
    for m in _position_list_pattern().finditer(text):
        if m.end() in people:
            for position in _position_pattern().finditer(text, m.start(), m.end()):
                title = _span(doc, position.start(), position.end(), "TITLE")
                if title is not None:
                    yield title


def _unit_before(doc: Doc, end: int) -> Span | None:
    """The unit written right before ``end`` (where a position, or 原 and a position, begins):
    the longest run of whole tokens back from there, within the clause, that is a unit's name
    and reads as one (no verb, preposition or figure: 县纪委监委督促镇党委 is two things)."""
    first = doc.char_span(end, end + 1, alignment_mode="expand")
    if first is None or first.start_char != end:
        return None
    i = first.start
    while i > 0 and not (doc[i - 1].is_punct or doc[i - 1].is_space):
        i -= 1
    tags = tagger().word_tag_tab
    allowed = set(rules.config()["unit_verbs"])
    for start in range(i, first.start):
        words = doc[start : first.start]
        if (
            any(
                t.like_num
                or "某" in t.text
                or (tags.get(t.text, "n") in ("v", "p") and t.text not in allowed)
                for t in words
            )
            or _joint(words) is not None
        ):
            continue
        if _is_unit(words.text):
            return Span(doc, start, first.start, "ORG")
    return None


def _units_of_titles(doc: Doc, spans: list[Span]) -> Iterable[Span]:
    """For a bare position, the unit before it: the unit as ORG and, written right
    together, unit and position as one TITLE (临溪市城市管理局市容环卫科 + 科长)."""
    text = doc.text
    for span in spans:
        if span.label_ != "TITLE" or not _position_pattern().fullmatch(span.text):
            continue
        former = rules.config()["former"]
        gap = len(former) if text.startswith(former, span.start_char - len(former)) else 0
        # 党总支书记 opens with a unit word: the unit may end inside it (团结村党总支 + 书记)
        inner = [len(u) for u in _org_suffixes() if span.text.startswith(u)]
        ends = [span.start_char - gap] + [span.start_char + n for n in inner if not gap]
        unit = next((u for end in ends if (u := _unit_before(doc, end)) is not None), None)
        if unit is None:
            continue
        yield unit
        if not gap:
            title = _span(doc, unit.start_char, span.end_char, "TITLE")
            if title is not None:
                yield title


def _with_unit(doc: Doc, span: Span) -> Span:
    """An organisation named inside a unit written right before it (市交通投资集团 + 纪委):
    the whole is the body meant; one that opens with a place or a level stands alone."""
    text = span.text
    if text.startswith(tuple(rules.single_levels())) or _place_pattern().match(text):
        return span
    unit = _unit_before(doc, span.start_char)
    if unit is None:
        return span
    return doc.char_span(unit.start_char, span.end_char, label="ORG") or span


def _with_places(doc: Doc, span: Span) -> Span:
    """``span`` widened over the places written right before it (青山县河西镇 + 黄河村党支部书记):
    a unit's or a title's name includes them."""
    start = span.start_char
    while True:
        before = next(
            (
                start - n
                for n in range(7, 1, -1)
                if start - n >= 0
                and _is_place(doc.text[start - n : start])
                and doc.char_span(start - n, start) is not None
            ),
            None,
        )
        if before is None or _is_generic(doc, before):
            break
        start = before
    if start == span.start_char:
        return span
    return doc.char_span(start, span.end_char, label=span.label_) or span


def _parts(doc: Doc, span: Span) -> list[Span]:
    """``ner``'s span cut at line breaks, and at a conjunction that joins two units
    (镇党委和县纪委监委; not 住房和城乡建设局, whose left side is no unit)."""
    pieces: list[Span] = []
    start = span.start
    for token in span:
        if token.is_space:
            if token.i > start:
                pieces.append(Span(doc, start, token.i, label=span.label_))
            start = token.i + 1
    if start < span.end:
        pieces.append(Span(doc, start, span.end, label=span.label_))
    parts: list[Span] = []
    for piece in pieces:
        cut = _joint(piece)
        if cut is None:
            parts.append(piece)
        else:
            parts += [Span(doc, piece.start, cut, label=piece.label_)]
            parts += [Span(doc, cut + 1, piece.end, label=piece.label_)]
    return parts


def _joint(words: Span) -> int | None:
    """The token that joins two units in ``words`` (镇党委|和|县纪委监委), if one does."""
    doc, joined = words.doc, set(rules.config()["conjunctions"])
    return next(
        (
            t.i
            for t in words
            if t.text in joined
            and _is_unit(doc[words.start : t.i].text)
            and _is_unit(doc[t.i + 1 : words.end].text)
        ),
        None,
    )


def _shaped(doc: Doc, span: Span) -> Span | None:
    """``ner``'s span with the label its shape allows, or None: a unit ends with an
    organisation suffix, a title with a position, a place with its level, a name is masked
    (张某某)."""
    text = span.text
    if _is_generic(doc, span.start_char):
        return None
    if span.label_ in ("ORG", "TITLE"):
        position = next(
            (m for m in _position_pattern().finditer(text) if m.end() == len(text)), None
        )
        if position is not None:  # a title, or nothing (镇纪委专职干部 is no unit)
            unit = text[: position.start()]
            return Span(doc, span.start, span.end, "TITLE") if not unit or _is_unit(unit) else None
        if _is_unit(text):
            return Span(doc, span.start, span.end, "ORG")
        return None
    if span.label_ == "LOC":
        level = doc.text[span.end_char : span.end_char + 1]
        wider = doc.char_span(span.start_char, span.end_char + 1, label="LOC")
        if level in rules.single_levels() and wider is not None and _is_place(wider.text):
            return wider  # 云州 + 市
        return span if _is_place(text) else None
    if span.label_ == "PER":  # only masked names: 余人次 and 党纪 have a surname's shape too
        return span if rules.is_name(text) else None
    return None


def _is_unit(text: str) -> bool:
    """A unit's name: it ends with an organisation suffix and opens with a place, a level
    (市/县/镇 …), a masked place, or 中共/驻/中央 — not with a verb or a noun phrase."""
    if not text.endswith(_org_suffixes()):
        return False
    if text.startswith(tuple(rules.config()["unit_openings"])):
        return True
    return any(_is_place(text[:end]) for end in range(2, min(len(text), 8)))


@Language.component("jjnlp_entity_compose")
def entity_compose(doc: Doc) -> Doc:
    """Merge ``ner``'s entities with the rule ones and add the nested spans."""
    spans = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
    for entity in doc.ents:
        if entity.label_ in NER_LABELS:
            for part in _parts(doc, entity):
                shaped = _shaped(doc, part)
                if shaped is not None:
                    spans.append(shaped)
    spans += list(_titles(doc, spans))
    spans += list(_units_of_titles(doc, spans))
    spans = [_with_unit(doc, s) if s.label_ == "ORG" else s for s in spans]
    spans = [_with_places(doc, s) if s.label_ in ("ORG", "TITLE") else s for s in spans]
    for span in list(spans):
        if span.label_ == "TITLE":
            unit = _unit_of_title(doc, span)
            if unit is not None:
                spans.append(unit)
    for span in list(spans):
        if span.label_ in ("ORG", "TITLE"):
            spans += _places(doc, span.start_char, span.end_char)
    kept = _outermost(spans)
    doc.spans[SPANS_KEY] = kept
    doc.ents = filter_spans(kept)
    return doc


def _outermost(spans: list[Span]) -> list[Span]:
    """One span per (start, end, label), without spans inside another of the same label."""
    reduced = rules.outermost([rules.RuleSpan(s.start_char, s.end_char, s.label_) for s in spans])
    by_key = {(s.start_char, s.end_char, s.label_): s for s in spans}
    return [by_key[(r.start, r.end, r.label)] for r in reduced]
