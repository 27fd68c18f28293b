"""Composed and nested entities: titles from units and positions, places inside units.

``ner`` and the patterns give flat spans; these functions add what the text writes together
(河西镇纪委副书记 = unit + position), what a name contains (河西镇 in 河西镇纪委), and check the
statistical spans against the shape their label requires.
"""

from __future__ import annotations

import jjnlp.entities.torchless  # noqa: F401  (before spaCy: see that module)

# isort: split

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from jjnlp.entities import rules, shapes
from jjnlp.zh.segment import tagger


def places(doc: Doc, start: int, end: int) -> Iterable[Span]:
    """The places a unit's name opens with: 青山县 and 河西镇 in 青山县河西镇党委."""
    at = start
    for prefix in rules.config()["org_prefixes"]:
        if shapes.text_of(doc).startswith(prefix, at, end):
            at += len(prefix)
    found = False
    while at < end:
        span = next(
            (
                place
                for stop in range(min(end - 1, at + 7), at + 1, -1)  # the longest: 云州市, not 云州
                if shapes.is_place(shapes.text_of(doc)[at:stop], after_place=found)
                and (place := shapes.span(doc, at, stop, "LOC")) is not None
            ),
            None,
        )
        if span is None:
            return
        yield span
        at, found = span.end_char, True


def unit_of_title(doc: Doc, title: Span) -> Span | None:
    """The unit a title is written with: 河西镇纪委 in 河西镇纪委副书记."""
    text = title.text
    # the shortest position first: 黄河村党支部|书记 before 黄河村|党支部书记
    for position in sorted(shapes.positions(), key=len):
        unit = text.removesuffix(position)
        if unit != text and shapes.is_unit(unit):  # not a bare 党支部 of 党支部书记
            return shapes.span(doc, title.start_char, title.start_char + len(unit), "ORG")
    return None


def titles(doc: Doc, spans: list[Span]) -> Iterable[Span]:
    """Titles written as a unit then a position (河西镇纪委副书记), or a position by a name."""
    text = shapes.text_of(doc)
    people = {s.start_char for s in spans if s.label_ == "PER"}
    for span in spans:
        if span.label_ == "ORG":
            m = shapes.position_pattern().match(text, span.end_char)
            if m is not None:
                title = shapes.span(doc, span.start_char, m.end(), "TITLE")
                if title is not None:
                    yield title
    # positions before a name, alone or listed with 、 (党组成员、副局长冯某某)
    for m in shapes.position_list_pattern().finditer(text):
        if m.end() in people:
            for position in shapes.position_pattern().finditer(text, m.start(), m.end()):
                title = shapes.span(doc, position.start(), position.end(), "TITLE")
                if title is not None:
                    yield title


def unit_before(doc: Doc, end: int) -> Span | None:
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
            or joint(words) is not None
        ):
            continue
        if shapes.is_unit(words.text):
            return Span(doc, start, first.start, "ORG")
    return None


def units_of_titles(doc: Doc, spans: list[Span]) -> Iterable[Span]:
    """For a bare position, the unit before it: the unit as ORG and, written right
    together, unit and position as one TITLE (临溪市城市管理局市容环卫科 + 科长)."""
    text = shapes.text_of(doc)
    for span in spans:
        if span.label_ != "TITLE" or not shapes.position_pattern().fullmatch(span.text):
            continue
        former = rules.config()["former"]
        gap = len(former) if text.startswith(former, span.start_char - len(former)) else 0
        # 党总支书记 opens with a unit word: the unit may end inside it (团结村党总支 + 书记)
        inner = [len(u) for u in shapes.org_suffixes() if span.text.startswith(u)]
        ends = [span.start_char - gap] + [span.start_char + n for n in inner if not gap]
        unit = next((u for end in ends if (u := unit_before(doc, end)) is not None), None)
        if unit is None:  # 苇塘村原党支部书记: the places still are places
            yield from places_before(doc, span.start_char - gap)
            continue
        yield unit
        if not gap:
            title = shapes.span(doc, unit.start_char, span.end_char, "TITLE")
            if title is not None:
                yield title


def with_unit(doc: Doc, span: Span) -> Span:
    """An organisation named inside a unit written right before it (市交通投资集团 + 纪委):
    the whole is the body meant; one that opens with a place or a level stands alone."""
    text = span.text
    if text.startswith(tuple(rules.single_levels())) or shapes.place_pattern().match(text):
        return span
    unit = unit_before(doc, span.start_char)
    if unit is None:
        return span
    return doc.char_span(unit.start_char, span.end_char, label="ORG") or span


def places_before(doc: Doc, end: int) -> list[Span]:
    """The places written one after another right before ``end`` (芦川县杏坪镇苇塘村)."""
    start = place_chain_start(doc, end)
    return list(places(doc, start, end + 1)) if start < end else []


def with_places(doc: Doc, span: Span) -> Span:
    """``span`` widened over the places written right before it (青山县河西镇 + 黄河村党支部书记):
    a unit's or a title's name includes them."""
    start = place_chain_start(doc, span.start_char)
    if start == span.start_char:
        return span
    return doc.char_span(start, span.end_char, label=span.label_) or span


def place_chain_start(doc: Doc, end: int) -> int:
    """Where the places written right before ``end`` begin (``end`` if there are none)."""
    start = end
    while True:
        before = next(
            (
                start - n
                for n in range(7, 1, -1)
                if start - n >= 0
                and shapes.is_place(
                    shapes.text_of(doc)[start - n : start], shapes.place_ends_at(doc, start - n)
                )
                and doc.char_span(start - n, start) is not None
            ),
            None,
        )
        if before is None or shapes.is_generic(doc, before):
            return start
        start = before


def parts(doc: Doc, span: Span) -> list[Span]:
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
    result: list[Span] = []
    for piece in pieces:
        cut = joint(piece)
        if cut is None:
            result.append(piece)
        else:
            result += [Span(doc, piece.start, cut, label=piece.label_)]
            result += [Span(doc, cut + 1, piece.end, label=piece.label_)]
    return result


def joint(words: Span) -> int | None:
    """The token that joins two units in ``words`` (镇党委|和|县纪委监委), if one does."""
    doc, joined = words.doc, set(rules.config()["conjunctions"])
    return next(
        (
            t.i
            for t in words
            if t.text in joined
            and shapes.is_unit(doc[words.start : t.i].text)
            and shapes.is_unit(doc[t.i + 1 : words.end].text)
        ),
        None,
    )


def shaped(doc: Doc, span: Span) -> Span | None:
    """``ner``'s span with the label its shape allows, or None: a unit ends with an
    organisation suffix, a title with a position, a place with its level, a name is masked
    (张某某)."""
    text = span.text
    if shapes.is_generic(doc, span.start_char):
        return None
    if span.label_ in ("ORG", "TITLE"):
        position = next(
            (m for m in shapes.position_pattern().finditer(text) if m.end() == len(text)), None
        )
        if position is not None:  # a title, or nothing (镇纪委专职干部 is no unit)
            unit = text[: position.start()]
            return (
                Span(doc, span.start, span.end, "TITLE")
                if not unit or shapes.is_unit(unit)
                else None
            )
        if shapes.is_unit(text):
            return Span(doc, span.start, span.end, "ORG")
        return None
    if span.label_ == "LOC":
        level = shapes.text_of(doc)[span.end_char : span.end_char + 1]
        wider = doc.char_span(span.start_char, span.end_char + 1, label="LOC")
        if level in rules.single_levels() and wider is not None and shapes.is_place(wider.text):
            return wider  # 云州 + 市
        return span if shapes.is_place(text) else None
    if span.label_ == "PER":  # only masked names: 余人次 and 党纪 have a surname's shape too
        return span if rules.is_name(text) else None
    return None


def attach(doc: Doc, spans: list[Span]) -> None:
    """Give each title its person and unit where the text writes them with it: the name right
    after it, or after more positions listed with 、 (党组成员、副局长冯某某), or before it and a
    comma (张某某，河西镇纪委副书记); the unit is the organisation it opens with."""
    text, former = shapes.text_of(doc), rules.config()["former"]
    starts = {s.start_char: s for s in spans if s.label_ == "PER"}
    ends = {s.end_char: s for s in spans if s.label_ == "PER"}
    orgs = {s.end_char: s for s in sorted(spans, key=len) if s.label_ == "ORG"}  # longest wins
    orgs_from: dict[int, list[Span]] = {}  # start -> the organisations there, in span order
    for s in spans:
        if s.label_ == "ORG":
            orgs_from.setdefault(s.start_char, []).append(s)
    more = shapes.more_positions_pattern()
    units: dict[int, str] = {}  # end of a title -> its unit, for the next one in a 、 list
    for title in sorted((s for s in spans if s.label_ == "TITLE"), key=lambda s: s.start_char):
        after = more.match(text, title.end_char)
        person = starts.get(after.end() if after else title.end_char)
        if person is None and text[title.start_char - 1 : title.start_char] in ("，", ","):
            person = ends.get(title.start_char - 1)
        inner = [s for s in orgs_from.get(title.start_char, ()) if s.end_char < title.end_char]
        before = orgs.get(title.start_char) or (
            orgs.get(title.start_char - len(former))
            if text.startswith(former, title.start_char - len(former))
            else None
        )
        unit: str | None
        if inner:  # 青石镇党委委员、副镇长: the 党委 is the first post's alone
            unit = max(inner, key=len).text
        else:  # 水利局原党组成员、副局长: a unit written before a list serves all of it
            unit = before.text if before else units.get(title.start_char - 1)
            if unit:
                units[title.end_char] = unit
        title._.person = person.text if person is not None else None
        title._.unit = unit
