"""What analysts ask of the store: full-text search with filters and facets, figures and
their series, cases, findings and their review, and one document whole.

Every query is plain SQL shared by both backends, except what search does over the
documents' columns in memory (:mod:`jjnlp.store.columns`); text sorts use the code-point
order (``Store.collate``), NULLs are folded to empty strings before sorting, and relevance
is computed in Python from exact counts (:mod:`jjnlp.store.text`), so SQLite and PostgreSQL
give the same rows in the same order.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from jjnlp.batch.model import REVIEW_STATES
from jjnlp.errors import QueryError
from jjnlp.store.base import Store, now
from jjnlp.store.rows import key
from jjnlp.store.schema import SCALE
from jjnlp.store.text import Term, bm25, idf, like_pattern, parse_query, snippets

FACETS = ("unit", "kind", "category", "period")
FACET_SIZE = 20
MAX_LIMIT = 200
# relevance is exact BM25 over every hit, computed from each hit's text: up to this many hits;
# beyond, the hits come newest first (``sort`` in the answer says which order was used)
RANK_LIMIT = 2000
TOO_MANY_TO_RANK = (
    f"命中超过 {RANK_LIMIT} 份，已按期间排序（新的在前）；加筛选条件或检索词可按相关度排序"
)


def encode_cursor(value: Any) -> str:
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


INVALID_CURSOR = "翻页游标无效，请从第一页重新查询"


def decode_cursor(cursor: str | None, *types: type) -> tuple[Any, ...] | None:
    """A cursor's position as values of ``types`` (None: the first page); a cursor that is
    not one, or holds a number outside a database integer, is a :class:`QueryError`."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
        values = value if isinstance(value, list) else [value]
        if len(values) != len(types) or any(isinstance(v, list | dict) for v in values):
            raise ValueError(cursor)
        position = tuple(kind(v) for kind, v in zip(types, values, strict=True))
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise QueryError("cursor", INVALID_CURSOR) from exc
    if any(isinstance(n, int) and not -(2**63) <= n < 2**63 for n in position):
        raise QueryError("cursor", INVALID_CURSOR)
    return position


def _decimal(value: Any, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError as exc:
        raise QueryError(name, f"不是有效的数值：{value}") from exc
    if not number.is_finite() or abs(number) > Decimal(9 * 10**12):
        raise QueryError(name, f"数值超出范围：{value}")
    return number


def period_bound(value: str | None, name: str, end: bool) -> str | None:
    """A period bound as an ISO date: ``2024-06-30`` as given, or a period as people write
    it (2024年上半年: its first day for a lower bound, its last for an upper one)."""
    if not value:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    from jjnlp.batch.identity import parse_period

    start, stop = parse_period(value)
    if start is None or stop is None:
        raise QueryError(name, f"无法识别的期间：{value}（可写 2024-06-30 或 2024年上半年）")
    return (stop if end else start).isoformat()


@dataclass(slots=True)
class Filters:
    """The document filters shared by search, figures, cases and findings."""

    unit: str | None = None
    level: str | None = None
    parent: str | None = None
    kind: str | None = None
    period: str | None = None  # the period as the documents name it (2024年上半年), exactly
    period_from: str | None = None
    period_to: str | None = None
    entity: str | None = None
    category: str | None = None
    has_findings: bool | None = None
    rule: str | None = None
    include_superseded: bool = False

    def where(self, period: str = "d.period_end") -> tuple[list[str], list[Any]]:
        conditions: list[str] = []
        params: list[Any] = []
        for column in ("unit", "level", "parent", "kind", "period"):
            value = getattr(self, column)
            if value:
                conditions.append(f"d.{column} = ?")
                params.append(value)
        low = period_bound(self.period_from, "period_from", end=False)
        high = period_bound(self.period_to, "period_to", end=True)
        if low:
            conditions.append(f"{period} >= ?")
            params.append(low)
        if high:
            conditions.append(f"{period} <= ?")
            params.append(high)
        if self.entity:
            conditions.append(
                "EXISTS (SELECT 1 FROM entities e WHERE e.doc_id = d.id"
                " AND (e.text = ? OR e.person = ?))"
            )
            params += [self.entity, self.entity]
        if self.category:
            conditions.append(
                "EXISTS (SELECT 1 FROM categories c WHERE c.doc_id = d.id AND c.category = ?)"
            )
            params.append(self.category)
        if self.has_findings is not None:
            # the expression of the index documents_flagged
            op = ">" if self.has_findings else "="
            conditions.append(f"(d.errors + d.warnings) {op} 0")
        if self.rule:
            conditions.append(
                "EXISTS (SELECT 1 FROM findings f WHERE f.doc_id = d.id AND f.rule = ?)"
            )
            params.append(self.rule)
        if not self.include_superseded:
            conditions.append("d.superseded_by IS NULL")
        return conditions, params


@dataclass(slots=True)
class Search:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"  # relevance | period
    limit: int = 20
    cursor: str | None = None
    facets: bool = True


DOC_COLUMNS = (
    "id, file, title, unit, level, parent, kind, period, period_start, period_end,"
    " errors, warnings, infos, superseded_by"
)
DOC_NAMES = [c.strip() for c in DOC_COLUMNS.split(",")]


def _scoring_terms(terms: Sequence[Term]) -> list[tuple[str, bool]]:
    """Each needle once, and whether it is a word: a term's flat form (how many documents
    hold it as a substring), then its words (how many hold the word: the words index's
    count, which the standard BM25 takes and both backends' word indexes give at once)."""
    out: dict[str, bool] = {}
    for term in terms:
        out.setdefault(term.flat, False)
        for word in term.words:
            out.setdefault(word, True)
    return list(out.items())


def search(store: Store, request: Search) -> dict[str, Any]:
    """Documents matching the query and filters, with snippets, a cursor and facets.

    The hits are found, counted, grouped and ordered over the documents' columns in memory
    (:mod:`jjnlp.store.columns`); the store gives the ids holding each term and the texts of
    the hits that are ranked or shown."""
    from jjnlp.store.columns import columns, term_hits

    if request.sort not in ("relevance", "period"):
        raise QueryError("sort", "排序方式只能是 relevance（相关度）或 period（期间）")
    limit = max(1, min(request.limit, MAX_LIMIT))
    terms = parse_query(request.q)
    table = columns(store)
    mask = table.select(store, request.filters)
    for term in terms:
        mask &= table.holding(term_hits(store, term))
    total = int(mask.sum())
    sort = request.sort if terms else "period"
    ranked = None
    if sort == "relevance":
        if total <= RANK_LIMIT:
            ranked = _ranked(store, terms, [int(i) for i in table.ids[mask]])
        else:
            sort = "period"  # too many hits to rank: newest first
    if ranked is not None:
        start = 0
        after = decode_cursor(request.cursor, float, int)
        if after is not None:
            mark = (-after[0], after[1])
            start = next((i for i, r in enumerate(ranked) if (-r[0], r[1]) > mark), total)
        page = ranked[start : start + limit]
        ids = [doc_id for _, doc_id in page]
        scores = {doc_id: score for score, doc_id in page}
        more = start + limit < total
        next_cursor = encode_cursor([page[-1][0], page[-1][1]]) if more and page else None
    else:
        after_period = decode_cursor(request.cursor, str, int)
        rows = table.newest(mask, limit + 1, after_period)
        more = len(rows) > limit
        rows = rows[:limit]
        ids = [doc_id for doc_id, _ in rows]
        scores = {}
        next_cursor = encode_cursor([rows[-1][1], rows[-1][0]]) if more and rows else None
    result: dict[str, Any] = {
        "total": total,
        "sort": sort,
        "notice": TOO_MANY_TO_RANK if sort != request.sort and terms else None,
        "items": _items(store, ids, terms, scores),
        "next_cursor": next_cursor,
    }
    if request.facets:
        result["facets"] = {
            facet: [
                {"value": value or None, "count": n}
                for value, n in table.facet(facet, mask, FACET_SIZE)
            ]
            for facet in FACETS
        }
    return result


def _ranked(store: Store, terms: Sequence[Term], ids: list[int]) -> list[tuple[float, int]]:
    """The hits (at most :data:`RANK_LIMIT`) with their scores, best first. Occurrences are
    counted here, in Python, on the flat text both backends return alike."""
    if not ids:
        return []
    scoring = _scoring_terms(terms)
    needles = [needle for needle, _ in scoring]
    marks = ", ".join("?" * len(ids))
    hits = store.rows(f"SELECT doc_id, flat FROM document_texts WHERE doc_id IN ({marks})", ids)
    total, average, containing = _statistics(store, scoring)
    weights = [idf(total, n) for n in containing]
    counts = [text.count(n) for _, text in hits for n in needles]
    scores = bm25(counts, [len(text) for _, text in hits], weights, average)
    ids_of = np.fromiter((doc_id for doc_id, _ in hits), dtype=np.int64, count=len(hits))
    order = np.lexsort((ids_of, -scores))  # best first, then the lower id
    return [(float(scores[k]), int(ids_of[k])) for k in order]


def _statistics(store: Store, needles: Sequence[tuple[str, bool]]) -> tuple[int, float, list[int]]:
    """The number of documents, their average length and how many hold each needle (see
    :func:`_scoring_terms`): counted once while the store is unchanged (its generation),
    then remembered."""
    from jjnlp.store.columns import substring_hits

    cache = store.fresh_cache()
    stats = cache.get("stats")
    if stats is None:
        row = store.rows("SELECT count(*), COALESCE(sum(flat_length), 0) FROM documents")[0]
        stats = cache["stats"] = (int(row[0]), int(row[1]))
    total, characters = stats
    counted: dict[str, int] = cache.setdefault("words", {})
    containing = []
    for needle, is_word in needles:
        if not is_word:
            containing.append(len(substring_hits(store, needle)))
            continue
        if needle not in counted:
            counted[needle] = store.word_count(needle)
        containing.append(counted[needle])
    return total, (characters / total if total else 0.0), containing


def _items(
    store: Store, ids: list[int], terms: Sequence[Term], scores: dict[int, float]
) -> list[dict[str, Any]]:
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = store.rows(
        f"SELECT {DOC_COLUMNS}, t.text FROM documents JOIN document_texts t ON t.doc_id = id"
        f" WHERE id IN ({marks})",
        ids,
    )
    by_id = {int(r[0]): r for r in rows}
    items = []
    for doc_id in ids:
        row = by_id[doc_id]
        item = dict(zip(DOC_NAMES, row[:-1], strict=True))
        item["score"] = scores.get(doc_id)
        item["snippets"] = snippets(row[-1], terms)
        items.append(item)
    return items


# --------------------------------------------------------------------------- figures

METRIC_NAMES = [
    "doc_id",
    "ordinal",
    "indicator",
    "value",
    "measure",
    "stated_unit",
    "text",
    "kind",
    "period",
    "period_start",
    "period_end",
    "scope",
    "sentence",
    "start",
    "end",
    "approx",
    "comparison",
    "part",
    "file",
    "unit",
    "parent",
    "document_period",
]
METRIC_COLUMNS = (
    "m.doc_id, m.ordinal, m.indicator, m.value, m.measure, m.stated_unit, m.text, m.kind,"
    " m.period, m.period_start, m.period_end, m.scope, m.sentence, m.start_at, m.end_at,"
    " m.approx, m.comparison, m.part, d.file, d.unit, d.parent, d.period"
)


def _metric_rows(row: tuple[Any, ...]) -> dict[str, Any]:
    item = dict(zip(METRIC_NAMES, row, strict=True))
    for flag in ("approx", "comparison", "part"):
        item[flag] = bool(item[flag])
    return item


def metrics(
    store: Store,
    indicator: str | None = None,
    measure: str | None = None,
    low: Any = None,
    high: Any = None,
    filters: Filters | None = None,
    limit: int = 100,
    cursor: str | None = None,
    doc_id: int | None = None,
) -> dict[str, Any]:
    """Figures with their source document, sentence and span, in document order."""
    filters = filters or Filters()
    conditions, params = filters.where(period="COALESCE(m.period_end, d.period_end)")
    if doc_id is not None:
        conditions.append("m.doc_id = ?")
        params.append(doc_id)
    if indicator:
        conditions.append("m.indicator = ?")
        params.append(indicator)
    if measure:
        conditions.append("m.measure = ?")
        params.append(measure)
    for bound, op, name in ((low, ">=", "min"), (high, "<=", "max")):
        number = _decimal(bound, name)
        if number is not None:
            conditions.append(f"m.value_key {op} ?")
            params.append(key(number))
    after = decode_cursor(cursor, int, int)
    if after is not None:
        conditions.append("(m.doc_id, m.ordinal) > (?, ?)")
        params += list(after)
    limit = max(1, min(limit, MAX_LIMIT * 5))
    where = " AND ".join(conditions) or "1 = 1"
    # the page's figures first, by their keys alone (read from the figure indexes, which
    # hold them), then those figures whole: a range may hold tens of thousands of figures,
    # and each read whole (its sentence) only to be sorted away costs more than the page
    keys = store.rows(
        f"SELECT m.doc_id, m.ordinal FROM metrics m JOIN documents d ON d.id = m.doc_id"
        f" WHERE {where} ORDER BY m.doc_id, m.ordinal LIMIT ?",
        [*params, limit + 1],
    )
    rows = []
    if keys:
        # the documents' ids as well: SQLite reads a row-value IN through no index
        ids = sorted({doc for doc, _ in keys})
        pairs = ", ".join("(?, ?)" for _ in keys)
        rows = store.rows(
            f"SELECT {METRIC_COLUMNS} FROM metrics m JOIN documents d ON d.id = m.doc_id"
            f" WHERE m.doc_id IN ({', '.join('?' * len(ids))})"
            f" AND (m.doc_id, m.ordinal) IN ({pairs}) ORDER BY m.doc_id, m.ordinal",
            [*ids, *(value for pair in keys for value in pair)],
        )
    items = [_metric_rows(r) for r in rows[:limit]]
    more = len(rows) > limit
    last = items[-1] if items else None
    next_cursor = encode_cursor([last["doc_id"], last["ordinal"]]) if more and last else None
    return {"items": items, "next_cursor": next_cursor}


def series(
    store: Store, indicator: str, measure: str | None = None, filters: Filters | None = None
) -> dict[str, Any]:
    """One indicator over periods, per reporting unit: in each document the first figure of
    the indicator that is a level (not a part, a comparison base or an estimate) stated for
    the document's own period."""
    filters = filters or Filters()
    conditions, params = filters.where()
    conditions += [
        "m.indicator = ?",
        "m.part = 0",
        "m.comparison = 0",
        "m.approx = 0",
        "(m.period_end IS NULL OR m.period_end = d.period_end)",
        "d.unit IS NOT NULL",
        "d.period_end IS NOT NULL",
    ]
    params.append(indicator)
    if measure:
        conditions.append("m.measure = ?")
        params.append(measure)
    rows = store.rows(
        f"SELECT {METRIC_COLUMNS}, d.period_end FROM metrics m"
        " JOIN documents d ON d.id = m.doc_id WHERE " + " AND ".join(conditions) + " ORDER BY"
        f" d.unit{store.collate}, d.period_end, d.id DESC, m.ordinal",
        params,
    )
    units: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        item = _metric_rows(row[:-1])
        points = units.setdefault(item["unit"], {})
        if row[-1] not in points:
            points[row[-1]] = {
                "period": item["document_period"],
                "period_end": row[-1],
                "value": item["value"],
                "measure": item["measure"],
                "text": item["text"],
                "doc_id": item["doc_id"],
                "file": item["file"],
            }
    return {
        "indicator": indicator,
        "series": [
            {"unit": unit, "points": list(points.values())} for unit, points in units.items()
        ],
    }


# --------------------------------------------------------------------------- cases

CASE_NAMES = [
    "id",
    "doc_id",
    "ordinal",
    "number",
    "headline",
    "person",
    "position",
    "unit",
    "category",
    "discipline",
    "conduct",
    "party_sanction",
    "admin_sanction",
    "treatments",
    "transferred",
    "recovered",
    "form",
    "amount",
    "start",
    "end",
    "file",
    "reporting_unit",
    "period",
]
CASE_COLUMNS = (
    "c.id, c.doc_id, c.ordinal, c.number, c.headline, c.person, c.position, c.unit,"
    " c.category, c.discipline, c.conduct, c.party_sanction, c.admin_sanction, c.treatments,"
    " c.transferred, c.recovered, c.form, c.amount, c.start_at, c.end_at, d.file, d.unit,"
    " d.period"
)


def cases(
    store: Store,
    category: str | None = None,
    sanction: str | None = None,
    form: int | None = None,
    amount_min: Any = None,
    amount_max: Any = None,
    person_level: str | None = None,
    unit: str | None = None,
    filters: Filters | None = None,
    limit: int = 100,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Cases of the case notices, with their people and amounts."""
    filters = filters or Filters()
    conditions, params = filters.where()
    if category:
        conditions.append("c.category = ?")
        params.append(category)
    if sanction:
        conditions.append(
            "(c.party_sanction LIKE ? ESCAPE '\\' OR c.admin_sanction LIKE ? ESCAPE '\\'"
            " OR c.treatments LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM case_people p"
            " WHERE p.case_id = c.id AND (p.party_sanction LIKE ? ESCAPE '\\'"
            " OR p.admin_sanction LIKE ? ESCAPE '\\')))"
        )
        params += [like_pattern(sanction)] * 5
    if form is not None:
        conditions.append("c.form = ?")
        params.append(form)
    for bound, op, name in ((amount_min, ">=", "amount_min"), (amount_max, "<=", "amount_max")):
        number = _decimal(bound, name)
        if number is not None:
            conditions.append(f"c.amount_key {op} ?")
            params.append(key(number))
    if person_level:
        conditions.append(
            "EXISTS (SELECT 1 FROM case_people p WHERE p.case_id = c.id AND p.level = ?)"
        )
        params.append(person_level)
    if unit:
        conditions.append("(d.unit = ? OR c.unit LIKE ? ESCAPE '\\')")
        params += [unit, like_pattern(unit)]
    after = decode_cursor(cursor, int)
    if after is not None:
        conditions.append("c.id > ?")
        params += list(after)
    limit = max(1, min(limit, MAX_LIMIT * 5))
    # the page's ids first (from the cases' indexes), then those cases whole (as figures)
    ids = store.rows(
        "SELECT c.id FROM cases c JOIN documents d ON d.id = c.doc_id WHERE "
        + (" AND ".join(conditions) or "1 = 1")
        + " ORDER BY c.id LIMIT ?",
        [*params, limit + 1],
    )
    rows = []
    if ids:
        rows = store.rows(
            f"SELECT {CASE_COLUMNS} FROM cases c JOIN documents d ON d.id = c.doc_id"
            f" WHERE c.id IN ({', '.join('?' * len(ids))}) ORDER BY c.id",
            [r[0] for r in ids],
        )
    items = _cases(store, rows[:limit])
    more = len(rows) > limit
    return {"items": items, "next_cursor": encode_cursor(items[-1]["id"]) if more else None}


PEOPLE_NAMES = [
    "name",
    "position",
    "unit",
    "level",
    "party_sanction",
    "admin_sanction",
    "treatments",
    "transferred",
]


def _cases(store: Store, rows: Sequence[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Cases with their people and amounts: two statements for the whole page (one per
    case and table would be 2 × ``limit`` round trips, the most of the query on a server)."""
    items = []
    for row in rows:
        item = dict(zip(CASE_NAMES, row, strict=True))
        item["treatments"] = [t for t in item["treatments"].split("、") if t]
        item["transferred"], item["recovered"] = bool(item["transferred"]), bool(item["recovered"])
        item["people"], item["amounts"] = [], []
        items.append(item)
    if not items:
        return items
    by_id = {item["id"]: item for item in items}
    marks = ", ".join("?" * len(by_id))
    for case_id, *values in store.rows(
        f"SELECT case_id, {', '.join(PEOPLE_NAMES)} FROM case_people"
        f" WHERE case_id IN ({marks}) ORDER BY case_id, ordinal",
        list(by_id),
    ):
        person = dict(zip(PEOPLE_NAMES, values, strict=True))
        person["treatments"] = [t for t in person["treatments"].split("、") if t]
        person["transferred"] = bool(person["transferred"])
        by_id[case_id]["people"].append(person)
    for case_id, *values in store.rows(
        "SELECT case_id, text, value, start_at, end_at FROM case_amounts"
        f" WHERE case_id IN ({marks}) ORDER BY case_id, start_at",
        list(by_id),
    ):
        by_id[case_id]["amounts"].append(
            dict(zip(("text", "value", "start", "end"), values, strict=True))
        )
    return items


# --------------------------------------------------------------------------- findings

FINDING_NAMES = [
    "doc_id",
    "ordinal",
    "fingerprint",
    "rule",
    "severity",
    "message",
    "text",
    "sentence",
    "start",
    "end",
    "line",
    "page",
    "paragraph",
    "stated",
    "expected",
    "indicator",
    "review",
    "note",
    "reviewer",
    "reviewed_at",
    "file",
    "unit",
    "period",
]
FINDING_COLUMNS = (
    "f.doc_id, f.ordinal, f.fingerprint, f.rule, f.severity, f.message, f.text, f.sentence,"
    " f.start_at, f.end_at, f.line, f.page, f.paragraph, f.stated, f.expected, f.indicator,"
    " COALESCE(r.status, '待核'), COALESCE(r.note, ''), r.reviewer, r.updated_at, d.file,"
    " d.unit, d.period"
)
SEVERITIES = ("error", "warning", "info")


def findings(
    store: Store,
    rule: str | None = None,
    severity: str | None = None,
    review: str | None = None,
    fingerprint: str | None = None,
    doc_id: int | None = None,
    filters: Filters | None = None,
    limit: int = 100,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Findings with their review status (待核 until someone reviews them)."""
    filters = filters or Filters()
    conditions, params = filters.where()
    if rule:
        conditions.append("f.rule = ?")
        params.append(rule)
    if severity:
        if severity not in SEVERITIES:
            raise QueryError("severity", "级别只能是 error、warning 或 info")
        conditions.append("f.severity = ?")
        params.append(severity)
    if review:
        if review not in REVIEW_STATES:
            raise QueryError("review", "审核状态只能是 " + "、".join(REVIEW_STATES))
        conditions.append("COALESCE(r.status, '待核') = ?")
        params.append(review)
    if fingerprint:
        conditions.append("f.fingerprint = ?")
        params.append(fingerprint)
    if doc_id is not None:
        conditions.append("f.doc_id = ?")
        params.append(doc_id)
    after = decode_cursor(cursor, int, int)
    if after is not None:
        conditions.append("(f.doc_id, f.ordinal) > (?, ?)")
        params += list(after)
    limit = max(1, min(limit, MAX_LIMIT * 5))
    rows = store.rows(
        f"SELECT {FINDING_COLUMNS} FROM findings f JOIN documents d ON d.id = f.doc_id"
        " LEFT JOIN reviews r ON r.fingerprint = f.fingerprint WHERE "
        + (" AND ".join(conditions) or "1 = 1")
        + " ORDER BY f.doc_id, f.ordinal LIMIT ?",
        [*params, limit + 1],
    )
    items = [dict(zip(FINDING_NAMES, r, strict=True)) for r in rows[:limit]]
    more = len(rows) > limit
    last = items[-1] if items else None
    return {
        "items": items,
        "next_cursor": encode_cursor([last["doc_id"], last["ordinal"]]) if more and last else None,
    }


def set_review(
    store: Store, fingerprint: str, status: str, note: str, reviewer: str | None
) -> bool:
    """Record a reviewer's verdict on a finding (kept across re-ingests: it is stored by the
    finding's fingerprint, not by its row). False when no stored finding has it."""
    if status not in REVIEW_STATES:
        raise QueryError("status", "审核状态只能是 " + "、".join(REVIEW_STATES))
    with store.transaction() as cur:
        if not cur.execute("SELECT 1 FROM findings WHERE fingerprint = ? LIMIT 1", (fingerprint,)):
            return False
        cur.execute(
            "INSERT INTO reviews (fingerprint, status, note, reviewer, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET"
            " status = excluded.status, note = excluded.note, reviewer = excluded.reviewer,"
            " updated_at = excluded.updated_at",
            (fingerprint, status, note, reviewer, now()),
        )
    return True


# --------------------------------------------------------------------------- one document


def document(store: Store, doc_id: int) -> dict[str, Any] | None:
    """One document whole: identity, outline, figures, entities, cases, problems, findings."""
    rows = store.rows(
        f"SELECT {DOC_COLUMNS}, sha256, format, issuer, addressee, version, ingested_at,"
        " t.detail FROM documents JOIN document_texts t ON t.doc_id = id WHERE id = ?",
        [doc_id],
    )
    if not rows:
        return None
    row = rows[0]
    out = dict(zip(DOC_NAMES, row[: len(DOC_NAMES)], strict=True))
    names = ["sha256", "format", "issuer", "addressee", "version", "ingested_at"]
    out.update(zip(names, row[len(DOC_NAMES) : -1], strict=True))
    detail = json.loads(row[-1])
    out["outline"] = detail["sections"]
    out["coverage"] = detail["coverage"]
    out["metrics"] = metrics(store, filters=_any(), limit=10_000, doc_id=doc_id)["items"]
    out["entities"] = store.dicts(
        "SELECT label, text, start_at, end_at, person, unit FROM entities WHERE doc_id = ?"
        " ORDER BY start_at, end_at",
        [doc_id],
        ["label", "text", "start", "end", "person", "unit"],
    )
    out["cases"] = _cases(
        store,
        store.rows(
            f"SELECT {CASE_COLUMNS} FROM cases c JOIN documents d ON d.id = c.doc_id"
            " WHERE c.doc_id = ? ORDER BY c.ordinal",
            [doc_id],
        ),
    )
    problems = store.dicts(
        "SELECT text, headline, labels, start_at, end_at FROM problems WHERE doc_id = ?"
        " ORDER BY ordinal",
        [doc_id],
        ["text", "headline", "labels", "start", "end"],
    )
    for problem in problems:
        problem["labels"] = [x for x in problem["labels"].split("、") if x]
    out["problems"] = problems
    out["findings"] = findings(store, filters=_any(), doc_id=doc_id, limit=10_000)["items"]
    out["versions"] = [
        dict(zip(("id", "file", "ingested_at", "superseded_by"), r, strict=True))
        for r in store.rows(
            "SELECT id, file, ingested_at, superseded_by FROM documents"
            " WHERE unit = ? AND kind = ? AND period = ? AND id <> ? ORDER BY id",
            [out["unit"], out["kind"], out["period"], doc_id],
        )
    ]
    return out


def _any() -> Filters:
    return Filters(include_superseded=True)


def text(store: Store, doc_id: int) -> str | None:
    rows = store.rows("SELECT text FROM document_texts WHERE doc_id = ?", [doc_id])
    return rows[0][0] if rows else None


def record(store: Store, doc_id: int) -> Any:
    """The document as the batch's record (for the audit page renderer)."""
    from jjnlp.batch.model import DocRecord, Finding, Identity

    rows = store.rows(
        "SELECT file, sha256, format, title, t.text, t.detail, unit, level, parent, kind,"
        " period, period_start, period_end, issuer, addressee"
        " FROM documents JOIN document_texts t ON t.doc_id = id WHERE id = ?",
        [doc_id],
    )
    if not rows:
        return None
    (file, sha, fmt, title, body, detail, *identity) = rows[0]
    names = ("unit", "level", "parent", "kind", "period", "period_start", "period_end")
    ident = Identity(**dict(zip((*names, "issuer", "addressee"), identity, strict=True)))
    stored = json.loads(detail)
    found = []
    for item in findings(store, filters=_any(), doc_id=doc_id, limit=10_000)["items"]:
        found.append(
            Finding(
                file=file,
                rule=item["rule"],
                severity=item["severity"],
                message=item["message"],
                text=item["text"],
                sentence=item["sentence"],
                start=item["start"],
                end=item["end"],
                line=item["line"],
                page=item["page"],
                paragraph=item["paragraph"],
                stated=item["stated"],
                expected=item["expected"],
                fingerprint=item["fingerprint"],
                indicator=item["indicator"],
                review=item["review"],
                note=item["note"],
            )
        )
    return DocRecord(
        file=file,
        path=file,
        sha256=sha,
        format=fmt,
        identity=ident,
        title=title,
        text=body,
        blocks=tuple((b[0], b[1], b[2]) for b in stored["blocks"]),
        findings=tuple(found),
        coverage=dict(stored["coverage"]),
    )


__all__ = ["SCALE", "Filters", "Search", "cases", "document", "findings", "metrics", "search"]
