"""Harness task "cases": per-field accuracy of case notices against gold.

The case fields (``FIELDS``) are scored per gold case; ``all fields accuracy`` is their
mean. Beside them, when the gold has them:

- ``people`` (a list of ``{"name", "party_sanction", "admin_sanction", …}``): per gold
  person, the name found among the case's people and that person's two sanctions
  (``people accuracy``), and whether the case names as many people (``people count``);
- ``amount_values`` (``[{"text", "value"}]``): the case's money amounts with their exact
  values in 元, per item (P/R/F1) and per case;
- ``goods`` (``["茅台酒12瓶", …]``): the received goods, per item and per case.

Two readings the gold sets write differently are scored alike: a position matches with or
without the 原 (former) before each post (``原党组书记、局长`` = ``党组书记、局长``), and
``amounts`` — money and goods as one list, in any order — matches a good written as its
count alone (``36瓶`` for ``36瓶白酒``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from jjnlp.evaluate.gold import GoldDoc
from jjnlp.evaluate.scoring import Counts, TaskResult, match_sets
from jjnlp.model import Case
from jjnlp.pipeline import run

FIELDS = (
    "person",
    "position",
    "unit",
    "category",
    "discipline",
    "amounts",
    "party_sanction",
    "admin_sanction",
    "treatments",
    "transferred",
    "recovered",
    "form",
)
PERSON_FIELDS = ("name", "party_sanction", "admin_sanction")


def _post(position: Any) -> Any:
    """A position without the 原 before its posts (原党组成员、副局长 → 党组成员、副局长)."""
    if not isinstance(position, str):
        return position
    return "、".join(post.removeprefix("原") for post in position.split("、"))


def _amounts_match(expected: list[str], case: Case) -> bool:
    """Money and goods, as one list in any order; a good may be written as its count."""
    money = [a.text for a in case.amounts]
    goods = list(case.goods)
    if len(expected) != len(money) + len(goods):
        return False
    for item in expected:
        if item in money:
            money.remove(item)
            continue
        good = next((g for g in goods if g == item or item in g), None)
        if good is None:
            return False
        goods.remove(good)
    return True


def _field(case: Case | None, field: str, expected: Any) -> tuple[bool, Any]:
    """Whether the case's ``field`` matches the gold value, and the value shown on a miss."""
    if case is None:
        return False, None
    if field == "amounts":
        shown = [a.text for a in case.amounts] + list(case.goods)
        return _amounts_match(expected, case), shown
    got = getattr(case, field)
    if isinstance(got, tuple):
        got = list(got)
    if field == "position":
        return _post(got) == _post(expected), got
    return got == expected, got


def evaluate(golds: Sequence[GoldDoc]) -> TaskResult:
    result = TaskResult("cases")
    right = dict.fromkeys(FIELDS, 0)
    total = announced_right = notices = 0
    people_right = people_total = count_right = people_cases = 0
    values_right = values_cases = goods_right = goods_cases = 0
    value_counts, goods_counts = Counts(), Counts()
    for gold in golds:
        if "cases" not in gold.data:
            continue
        notices += 1
        notice = run(gold.document, ("cases",)).cases
        predicted = {c.number: c for c in notice.cases} if notice else {}
        if notice and notice.announced == gold.data.get("announced_cases"):
            announced_right += 1
        for expected in gold.data["cases"]:
            total += 1
            where = f"{gold.id} #{expected['number']}"
            case = predicted.get(expected["number"])
            for field in FIELDS:
                ok, got = _field(case, field, expected[field])
                if ok:
                    right[field] += 1
                else:
                    result.errors.append(
                        f"{where} {field}: 应为 {expected[field]!r}，识别为 {got!r}"
                    )
            if "people" in expected:
                people_cases += 1
                people = list(case.people) if case else []
                count_right += len(people) == len(expected["people"])
                for person in expected["people"]:
                    found = next((p for p in people if p.name == person["name"]), None)
                    for field in PERSON_FIELDS:
                        people_total += 1
                        got = getattr(found, field) if found else None
                        if found is not None and got == person[field]:
                            people_right += 1
                        else:
                            result.errors.append(
                                f"{where} people[{person['name']}].{field}: "
                                f"应为 {person[field]!r}，识别为 {got!r}"
                            )
            if "amount_values" in expected:
                values_cases += 1
                wanted = [(a["text"], Decimal(str(a["value"]))) for a in expected["amount_values"]]
                got_values = [(a.text, a.value) for a in case.amounts] if case else []
                counts = match_sets(wanted, got_values)
                value_counts.add(counts)
                if counts.fp == counts.fn == 0:
                    values_right += 1
                else:
                    shown = [(t, format(v, "f")) for t, v in got_values]
                    wanted_values = expected["amount_values"]
                    result.errors.append(
                        f"{where} amount_values: 应为 {wanted_values!r}，识别为 {shown!r}"
                    )
            if "goods" in expected:
                goods_cases += 1
                got_goods = list(case.goods) if case else []
                counts = match_sets(expected["goods"], got_goods)
                goods_counts.add(counts)
                if counts.fp == counts.fn == 0:
                    goods_right += 1
                else:
                    result.errors.append(
                        f"{where} goods: 应为 {expected['goods']!r}，识别为 {got_goods!r}"
                    )
    if values_cases:
        result.per_label["amount_values"] = value_counts
    if goods_cases:
        result.per_label["goods"] = goods_counts
    if total:  # no gold cases, no scores (not zeros)
        for field in FIELDS:
            result.headline[f"{field} accuracy"] = right[field] / total
        result.headline["all fields accuracy"] = sum(right.values()) / (total * len(FIELDS))
        result.headline["announced count accuracy"] = announced_right / notices
    if people_cases:
        result.headline["people accuracy"] = people_right / people_total
        result.headline["people count accuracy"] = count_right / people_cases
    if values_cases:
        result.headline["amount_values case accuracy"] = values_right / values_cases
    if goods_cases:
        result.headline["goods case accuracy"] = goods_right / goods_cases
    result.notes.append(
        f"gold notices: {notices}; gold cases: {total}; with people: {people_cases}; "
        f"with amount values: {values_cases}; with goods: {goods_cases}"
    )
    return result
