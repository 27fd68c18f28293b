"""Read the cases of a notice from its numbered headings and the text under them."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jjnlp.model import Case, CaseNotice, Document, Metric, Outline, Section, Span
from jjnlp.resources import load_toml
from jjnlp.zh.text import Level, split

_PERSON = re.compile(r"[\u4e00-\u9fff]某某?")


@cache
def _config() -> dict[str, Any]:
    return load_toml("cases.toml")


@cache
def _position_pattern() -> re.Pattern[str]:
    words = "|".join(sorted(map(re.escape, _config()["positions"]), key=len, reverse=True))
    return re.compile(rf"(?:原)?(?:{words})(?:、(?:原)?(?:{words}))*$")


def _first_cue(text: str, table: dict[str, list[str]]) -> str | None:
    """The entry whose cue comes first in ``text`` (违规操办婚宴并收受礼金: the 婚宴 case)."""
    found = [
        (text.find(cue), order, name)
        for order, (name, cues) in enumerate(table.items())
        for cue in cues
        if cue in text
    ]
    return min(found)[2] if found else None


def _person_clauses(body: str, person: str | None) -> str:
    """The clauses that speak of the case's main person: from a clause naming them up to one
    that turns to someone else (该院分管副院长杨某…, 同去的…, 其他参与人员…)."""
    if not person:
        return body
    kept, on = [], False
    for clause in (unit.slice(body) for unit in split(body, Level.PHRASE)):
        clause = clause.rstrip(Level.PHRASE.value)
        if person in clause:
            on = True
        elif clause.startswith(("该", "同去", "其他", "另")) or _PERSON.search(clause):
            on = False
        if on:
            kept.append(clause)
    return "，".join(kept)


def _sanctions(clauses: str) -> tuple[str | None, str | None]:
    config = _config()["sanctions"]
    party = admin = None
    for phrase in re.findall(r"受到([^。；]*?)处分", clauses) + re.findall(
        r"给予([^。；]*?)处分", clauses
    ):
        for item in re.split(r"[、和及]", phrase):
            item = item.strip()
            if item.startswith("政务"):
                admin = admin or _match(item[2:], config["admin"])
            elif item.startswith("党内"):
                party = party or _match(item[2:], config["party"])
            elif (found := _match(item, config["party"])) and (
                found not in config["bare_party"] or not item.startswith("政务")
            ):
                party = party or found
            elif found := _match(item, config["admin"]):
                admin = admin or found
    if admin == "开除公职":
        admin = "开除"
    return party, admin


def _match(item: str, names: list[str]) -> str | None:
    return next((name for name in names if item.startswith(name)), None)


def _form(
    party: str | None, admin: str | None, treatments: list[str], transferred: bool
) -> int | None:
    outcome = [x for x in (party, admin, *treatments) if x]
    if transferred:
        outcome.append("移送检察机关")
    for level in ("4", "3", "2", "1"):
        if any(any(o.startswith(cue) for cue in _config()["forms"][level]) for o in outcome):
            return int(level)
    return None


def _case(
    section: Section,
    document: Document,
    outline: Outline,
    metrics: list[Metric],
    with_category: bool,
    notice_discipline: str | None,
) -> Case:
    text = document.text
    headline = section.title
    body = text[section.heading.end : section.body.end]
    config = _config()
    person_match = _PERSON.search(headline)
    person = person_match.group() if person_match else None
    before = headline[: person_match.start()] if person_match else ""
    position_match = _position_pattern().search(before)
    position = position_match.group() if position_match else None
    unit = before[: position_match.start()] if position_match else (before or None)
    conduct = headline[person_match.end() :].removesuffix("问题") if person_match else headline
    clauses = _person_clauses(body, person)
    party, admin = _sanctions(clauses)
    sanctions = config["sanctions"]
    aliases = sanctions["treatment_aliases"]
    treatments = [t for t in sanctions["treatments"] if t in clauses]
    treatments += [aliases[a] for a in aliases if a in clauses and aliases[a] not in treatments]
    transferred = any(cue in clauses for cue in sanctions["transferred"])
    recovered = any(cue in body for cue in sanctions["recovered"])
    goods = tuple(config["goods_classifiers"])
    amounts = tuple(
        m.text
        for m in metrics
        if section.heading.end <= m.start < section.body.end
        and (m.kind == "money" or (m.kind == "count" and m.stated_unit in goods and not m.approx))
    )
    dates = tuple(
        p.text
        for p in outline.periods
        if section.body.start <= p.span.start < section.body.end and not p.comparison
    )
    return Case(
        number=section.number,
        start=section.body.start,
        end=section.body.end,
        headline=headline,
        person=person,
        position=position,
        unit=unit or None,
        category=_first_cue(headline, config["categories"]) if with_category else None,
        discipline=notice_discipline or _first_cue(headline, config["disciplines"]),
        conduct=conduct or None,
        dates=dates,
        amounts=amounts,
        party_sanction=party,
        admin_sanction=admin,
        treatments=tuple(treatments),
        transferred=transferred,
        recovered=recovered,
        form=_form(party, admin, treatments, transferred),
    )


def extract_cases(document: Document, outline: Outline, metrics: list[Metric]) -> CaseNotice | None:
    """The notice's cases, or ``None`` when the document is not a 通报 of cases."""
    title = outline.title.slice(document.text) if outline.title else ""
    sections = [
        s
        for s in outline.sections
        if s.level in (1, 3) and s.title.endswith("问题") and _PERSON.search(s.title)
    ]
    if "通报" not in title or not sections:
        return None
    config = _config()
    with_category = any(word in title for word in config["category_notices"])
    notice_discipline = next((d for d in config["disciplines"] if d in title), None)
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
    cases = tuple(
        _case(s, document, outline, metrics, with_category, notice_discipline) for s in sections
    )
    return CaseNotice(announced=announced, announced_span=announced_span, cases=cases)
