"""Read the cases of a notice from its case headings and the text under them.

Case headings are the headings of one level (一、 （一） 1. （1）, or unnumbered lines) whose
titles name a masked person and end in 问题; each case runs to the next one (or to the
paragraph that sums the cases up). The headline names the people (单位 + 职务 + 姓名,
several joined by 、和及); the facts name the outcomes, each outcome clause for the person it
names (or the person last spoken of). Amounts are the metrics stage's money figures;
received goods are its counts of goods. Cues are data: ``resources/cases.toml`` and
``resources/case_categories.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jjnlp.model import (
    Amount,
    Case,
    CaseNotice,
    Document,
    Metric,
    Outline,
    Person,
    Section,
    Span,
)
from jjnlp.resources import load_toml
from jjnlp.zh.text import Level, find_end, split

_SEPARATORS = ("、", "和", "及", "与")  # between the people a headline names


@cache
def _config() -> dict[str, Any]:
    return load_toml("cases.toml")


@cache
def _categories() -> dict[str, Any]:
    return load_toml("case_categories.toml")


@cache
def _masked() -> re.Pattern[str]:
    """A masked name: a surname, then 某 or 某某 (张某某, 王某, 甲某). The surnames are the
    entity lexicon's (``resources/entities.toml``) and the placeholders 甲乙丙…, so that
    前往某景区 names nobody."""
    written = load_toml("entities.toml")["surnames"] + _config()["placeholder_surnames"]
    surnames = "".join(sorted(set(re.sub(r"\s", "", written))))
    return re.compile(rf"[{surnames}]某某?")


@cache
def _position_pattern() -> re.Pattern[str]:
    words = "|".join(sorted(map(re.escape, _config()["positions"]), key=len, reverse=True))
    return re.compile(rf"(?:原)?(?:{words})(?:、(?:原)?(?:{words}))*$")


@cache
def _sanction_pattern() -> re.Pattern[str]:
    """A sanction as written in an outcome: 党内严重警告, 政务撤职, 开除党籍, 留党察看一年 …"""
    sanctions = _config()["sanctions"]
    names = sorted({*sanctions["party"], *sanctions["admin"]}, key=len, reverse=True)
    return re.compile(rf"(?P<prefix>党内|党纪|政务)?(?P<name>{'|'.join(map(re.escape, names))})")


# --------------------------------------------------------------------------- case headings


@dataclass(frozen=True, slots=True)
class _Head:
    number: str
    title: str
    heading: Span  # the heading, marker included
    end: int  # where the case's text ends
    parents: tuple[str, ...] = ()  # titles of the sections around it (一、典型问题情况)


def _is_case_title(title: str) -> bool:
    return title.rstrip("。：:；; ").endswith("问题") and _masked().search(title) is not None


def _numbered_heads(outline: Outline) -> dict[int, list[_Head]]:
    """Headings that are case headlines, by level."""
    by_level: dict[int, list[_Head]] = {}

    def visit(sections: tuple[Section, ...], parents: tuple[str, ...]) -> None:
        for s in sections:
            if _is_case_title(s.title):
                head = _Head(s.number, s.title, s.heading, s.body.end, parents)
                by_level.setdefault(s.level, []).append(head)
            visit(s.children, (*parents, s.title))

    visit(outline.sections, ())
    return by_level


def _body_range(document: Document, outline: Outline) -> tuple[int, int]:
    """From after the title, 主送 and 红头 to the 落款 (or the date, or the end)."""
    opening = (outline.issuing_body, outline.doc_number, outline.title, outline.addressee)
    start = max((s.end for s in opening if s is not None), default=0)
    closing = [s.start for s in (outline.issuer, outline.date) if s is not None]
    return start, min(closing, default=len(document.text))


def _names_a_post_holder(headline: str) -> bool:
    """Whether a sentence opens as a headline does: a unit and post, then a masked name
    (临溪市自然资源局副局长刘某某…), not a facts sentence (刘某某还存在…, 经查，刘某某…)."""
    match = _masked().search(headline)
    if match is None:
        return False
    before = headline[: match.start()]
    return not re.search(r"[，。；：,;:]", before) and bool(_position_pattern().search(before))


def _unnumbered_heads(document: Document, outline: Outline) -> list[_Head]:
    """Unnumbered case headlines (bold in Word): a short paragraph of its own that ends in
    问题 and names a masked person, or a paragraph whose first sentence is such a headline
    opening with a unit and post; each case runs to the next heading of any kind."""
    text = document.text
    start, end = _body_range(document, outline)
    numbered = sorted(s.heading.start for s in outline.walk())
    numbered_set = set(numbered)
    limit = int(_config()["unnumbered_heading_max"])
    found: list[Span] = []
    for block in document.blocks:
        if block.kind != "paragraph" or not start <= block.start < end:
            continue
        if block.start in numbered_set:
            continue
        line = text[block.start : block.end]
        stop = find_end(line, Level.SENTENCE)
        if stop < 0 or not line[stop + 1 :].strip():  # a line of its own
            title = line.strip().rstrip("。：:")
            ends_as_headline = stop < 0 or _names_a_post_holder(title)  # not 张某某还存在…问题。
            length = len(line.rstrip().rstrip("。"))
        else:  # the headline opens the paragraph, the facts follow it
            title = line[:stop]
            ends_as_headline = _names_a_post_holder(title)
            length = stop
        if (
            ends_as_headline
            and len(title) <= limit
            and title.endswith("问题")
            and _masked().search(title)
        ):
            found.append(Span(block.start, block.start + length))
    heads = []
    for n, span in enumerate(found):
        stops = [s for s in numbered if s > span.start] + [s.start for s in found[n + 1 :]]
        stop = min(stops, default=end)
        title = text[span.start : span.end].strip().rstrip("：:")
        heads.append(_Head(str(n + 1), title, span, max(min(stop, end), span.end)))
    return heads


def _case_heads(document: Document, outline: Outline) -> list[_Head]:
    """The case headings: those of the one level (unnumbered lines count as a level) that
    holds the most case headlines; on a tie, the level that comes first."""
    levels: dict[int, list[_Head]] = _numbered_heads(outline)
    unnumbered = _unnumbered_heads(document, outline)
    if unnumbered:
        levels[0] = unnumbered
    if not levels:
        return []
    best = max(levels.values(), key=lambda heads: (len(heads), -heads[0].heading.start))
    return [_Head(h.number, h.title, h.heading, _case_end(document, h), h.parents) for h in best]


def _case_end(document: Document, head: _Head) -> int:
    """A case ends where its section does, or before a paragraph that sums the cases up
    (上述问题…, 以上问题…) — the last case's section runs to the 落款."""
    openers = tuple(_config()["closing_openers"])
    text = document.text
    for block in document.blocks:
        paragraph = text[block.start : block.end].lstrip()
        if head.heading.end < block.start < head.end and paragraph.startswith(openers):
            return max(block.start - 1, head.heading.end)
    return head.end


# --------------------------------------------------------------------------- people


@dataclass(slots=True)
class _Outcome:
    party: str | None = None
    admin: str | None = None
    treatments: list[str] = field(default_factory=list)
    transferred: bool = False


def _unit_position(before: str) -> tuple[str | None, str | None]:
    """The unit and the position written before a name (临溪市自然资源局 + 副局长)."""
    match = _position_pattern().search(before)
    if not match:
        return (before or None), None
    return (before[: match.start()] or None), match.group()


def _headline_people(headline: str) -> tuple[list[tuple[str, str | None, str | None]], int]:
    """The people a headline names (name, position, unit), and where its conduct begins.

    ``A局主任李某某、副主任赵某某违规…``: a later name belongs to the headline's people when
    only 、和及 and a unit or post stand between it and the one before; the second person
    keeps the first one's unit unless their own is written."""
    people: list[tuple[str, str | None, str | None]] = []
    at = 0
    unit: str | None = None
    for match in _masked().finditer(headline):
        gap = headline[at : match.start()]
        if people:
            if not gap.startswith(_SEPARATORS):
                break
            gap = gap[1:]
        own_unit, position = _unit_position(gap)
        unit = own_unit or unit
        people.append((match.group(), position, unit))
        at = match.end()
    return people, at


def _outcome_at(clause: str) -> int | None:
    """Where the first outcome (sanction, treatment, transfer) of a clause is written."""
    sanctions = _config()["sanctions"]
    found = [m.start() for m in _sanction_pattern().finditer(clause)]
    words = [*sanctions["treatments"], *sanctions["treatment_aliases"], *sanctions["transferred"]]
    found += [clause.find(w) for w in words if w in clause]
    return min(found, default=None)


def _record(outcome: _Outcome, clause: str) -> None:
    """The outcomes a clause states, into the record of the person it is about."""
    sanctions = _config()["sanctions"]
    party_names, admin_names = set(sanctions["party"]), set(sanctions["admin"])
    for match in _sanction_pattern().finditer(clause):
        name, prefix = match["name"], match["prefix"]
        if prefix == "政务" or (
            not prefix and name in admin_names and name not in sanctions["bare_party"]
        ):
            if name in admin_names:
                outcome.admin = outcome.admin or ("开除" if name == "开除公职" else name)
        elif name in party_names:
            outcome.party = outcome.party or name
    aliases = sanctions["treatment_aliases"]
    for treatment in [t for t in sanctions["treatments"] if t in clause] + [
        aliases[a] for a in aliases if a in clause
    ]:
        if treatment not in outcome.treatments:
            outcome.treatments.append(treatment)
    if any(cue in clause for cue in sanctions["transferred"]):
        outcome.transferred = True


def _outcomes(facts: str, main: list[str]) -> tuple[dict[str, _Outcome], dict[str, str]]:
    """Each person's outcome, read clause by clause, and the text before each name where it
    is first written (for the posts of people only the facts name).

    An outcome clause is about the masked people it names before the outcome; naming none,
    it is about someone else when its subject is another kind of person or body (其他参与
    人员…, 2名责任人员…), else about the person last spoken of (…，被调整职务)."""
    sanctions = _config()["sanctions"]
    verbs, others = tuple(sanctions["verbs"]), tuple(sanctions["other_subjects"])
    outcomes: dict[str, _Outcome] = {}
    posts: dict[str, str] = {}
    subject = list(main)
    for unit in split(facts, Level.PHRASE):
        clause = unit.slice(facts)
        names = list(dict.fromkeys(m.group() for m in _masked().finditer(clause)))
        for name in names:
            posts.setdefault(name, clause[: clause.find(name)])
        at = _outcome_at(clause)
        if at is None:
            subject = names or subject
            continue
        named = [n for n in names if clause.find(n) < at]
        if named:
            subject = named
        else:
            verb = min((clause.find(v) for v in verbs if 0 <= clause.find(v) < at), default=at)
            if any(word in clause[:verb] for word in others):
                subject = []
        for name in subject:
            _record(outcomes.setdefault(name, _Outcome()), clause)
    return outcomes, posts


def _facts_person(name: str, before: str, outcome: _Outcome) -> Person:
    """Someone only the facts name (该局分管副局长赵某某…被予以诫勉)."""
    unit, position = _unit_position(before)
    if unit and (unit.startswith(("该", "其", "同")) or "的" in unit or "分管" in unit):
        unit = None
    return _person(name, position, unit, outcome)


def _person(name: str, position: str | None, unit: str | None, outcome: _Outcome) -> Person:
    return Person(
        name=name,
        position=position,
        unit=unit,
        party_sanction=outcome.party,
        admin_sanction=outcome.admin,
        treatments=tuple(outcome.treatments),
        transferred=outcome.transferred,
    )


# --------------------------------------------------------------------------- category


def _category(texts: list[str]) -> str | None:
    """The CCDI category the first of ``texts`` (headline, then the sections around it)
    names: its official terms first, then the other wordings; the earliest match wins, the
    longer one at the same place."""
    tables = _categories()
    for text in texts:
        for tier in ("official", "wording"):
            found = [
                (text.find(cue), -len(cue), name)
                for name, cues in tables[tier].items()
                for cue in cues
                if cue in text
            ]
            if found:
                return min(found)[2]
    return None


def _first_cue(text: str, table: dict[str, list[str]]) -> str | None:
    """The entry whose cue comes first in ``text`` (违规操办婚宴并收受礼金: the 婚宴 case)."""
    found = [
        (text.find(cue), order, name)
        for order, (name, cues) in enumerate(table.items())
        for cue in cues
        if cue in text
    ]
    return min(found)[2] if found else None


def _form(
    party: str | None, admin: str | None, treatments: tuple[str, ...], transferred: bool
) -> int | None:
    outcome = [x for x in (party, admin, *treatments) if x]
    if transferred:
        outcome.append("移送检察机关")
    for level in ("4", "3", "2", "1"):
        if any(any(o.startswith(cue) for cue in _config()["forms"][level]) for o in outcome):
            return int(level)
    return None


# --------------------------------------------------------------------------- amounts


def _goods_text(text: str, metric: Metric) -> str:
    """A count of goods with the goods it counts: 茅台酒12瓶, 36瓶白酒."""
    noun = metric.indicator_text
    if noun and text[metric.start - len(noun) : metric.start] == noun:
        return noun + metric.text
    if noun and text[metric.end : metric.end + len(noun)] == noun:
        return metric.text + noun
    return metric.text


def _amounts(
    text: str, metrics: list[Metric], start: int, end: int
) -> tuple[tuple[Amount, ...], tuple[str, ...]]:
    classifiers = tuple(_config()["goods_classifiers"])
    inside = [m for m in metrics if start <= m.start < end]
    amounts = tuple(Amount(m.text, m.value, m.start, m.end) for m in inside if m.kind == "money")
    goods = tuple(
        _goods_text(text, m)
        for m in inside
        if m.kind == "count" and m.stated_unit in classifiers and not m.approx
    )
    return amounts, goods


# --------------------------------------------------------------------------- one case


def _case(
    head: _Head,
    document: Document,
    outline: Outline,
    metrics: list[Metric],
    notice_discipline: str | None,
) -> Case:
    text = document.text
    config = _config()
    headline = head.title
    named, conduct_at = _headline_people(headline)
    facts_start = head.heading.end
    facts = text[facts_start : head.end]
    outcomes, posts = _outcomes(facts, [n for n, _, _ in named[:1]])
    people = [_person(n, p, u, outcomes.get(n, _Outcome())) for n, p, u in named]
    people += [
        _facts_person(name, posts.get(name, ""), outcome)
        for name, outcome in outcomes.items()
        if name not in {n for n, _, _ in named}
    ]
    main = people[0] if people else None
    conduct = headline[conduct_at:].removesuffix("问题") if named else headline
    amounts, goods = _amounts(text, metrics, facts_start, head.end)
    dates = tuple(
        p.text
        for p in outline.periods
        if head.heading.start <= p.span.start < head.end and not p.comparison
    )
    category = _category([headline, *reversed(head.parents)])
    discipline = (
        notice_discipline
        or _first_cue(headline, config["disciplines"])
        or (_categories()["disciplines"].get(category) if category else None)
    )
    party = main.party_sanction if main else None
    admin = main.admin_sanction if main else None
    treatments = main.treatments if main else ()
    transferred = main.transferred if main else False
    return Case(
        number=head.number,
        start=head.heading.start,
        end=head.end,
        headline=headline,
        person=main.name if main else None,
        position=main.position if main else None,
        unit=main.unit if main else None,
        category=category,
        discipline=discipline,
        conduct=conduct or None,
        dates=dates,
        amounts=amounts,
        party_sanction=party,
        admin_sanction=admin,
        treatments=treatments,
        transferred=transferred,
        recovered=any(cue in facts for cue in config["sanctions"]["recovered"]),
        form=_form(party, admin, treatments, transferred),
        people=tuple(people),
        goods=goods,
    )


def extract_cases(document: Document, outline: Outline, metrics: list[Metric]) -> CaseNotice | None:
    """The notice's cases, or ``None`` when the document is not a 通报 of cases."""
    title = outline.title.slice(document.text) if outline.title else ""
    heads = _case_heads(document, outline)
    if "通报" not in title or not heads:
        return None
    notice_discipline = next((d for d in _config()["disciplines"] if d in title), None)
    announced = announced_span = None
    if outline.title is not None:
        counted = [
            m
            for m in metrics
            if outline.title.start <= m.start < outline.title.end and m.unit == "起"
        ]
        if counted:
            announced = int(counted[0].value)
            announced_span = Span(counted[0].start, counted[0].end)
    cases = tuple(_case(h, document, outline, metrics, notice_discipline) for h in heads)
    return CaseNotice(announced=announced, announced_span=announced_span, cases=cases)
