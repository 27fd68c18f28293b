"""The store on both backends: ingest, re-ingest, versions, deletion, transactions, full text
(words and substrings of any length), filters, figures, cases, findings and their review.

Expected values come from the analysed rows themselves (a plain-Python oracle over what
was ingested), never from the store under test."""

from __future__ import annotations

import copy
import random
from decimal import Decimal
from typing import Any

import pytest

from jjnlp.errors import QueryError, StoreError
from jjnlp.store import open_store
from jjnlp.store import query as q
from jjnlp.store.base import Store
from jjnlp.store.schema import DOCUMENT_TABLES, SCHEMA_VERSION
from jjnlp.store.text import QUOTES, flat, words

VERSION = "test"


@pytest.fixture
def store(store_spec: str, stored_rows: list[dict[str, Any]]) -> Store:
    opened = open_store(store_spec)
    opened.ingest_many(stored_rows, VERSION)
    yield opened
    opened.close()


def _ids(store: Store, query: str, **filters: Any) -> list[int]:
    result = q.search(store, q.Search(query, q.Filters(**filters), limit=200, facets=False))
    return [item["id"] for item in result["items"]]


def _doc_id(store: Store, file: str) -> int:
    return int(store.rows("SELECT id FROM documents WHERE file = ?", [file])[0][0])


def _files(rows: list[dict[str, Any]], predicate: Any) -> set[str]:
    return {r["record"]["file"] for r in rows if predicate(r)}


def _found_files(store: Store, ids: list[int]) -> set[str]:
    if not ids:
        return set()
    marks = ", ".join("?" * len(ids))
    return {r[0] for r in store.rows(f"SELECT file FROM documents WHERE id IN ({marks})", ids)}


def test_schema_is_versioned_and_migrated_once(store: Store, store_spec: str) -> None:
    assert store.rows("SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
    again = open_store(store_spec)  # a second open finds the schema current: nothing re-run
    assert again.count() == store.count()
    again.close()


def test_a_store_of_schema_1_is_migrated_with_its_documents(
    store_spec: str, stored_rows: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import jjnlp.store.base as base

    monkeypatch.setattr(base, "SCHEMA_VERSION", 1)
    old = open_store(store_spec)  # schema 1: the text in documents, as the first release had it
    rows = stored_rows[0]
    record = rows["record"]
    with old.transaction() as cur:
        doc_id = cur.insert(
            "INSERT INTO documents (sha256, file, format, title, kind, version, ingested_at,"
            " errors, warnings, infos, flat_length, flat, text, words, detail)"
            " VALUES (?, ?, ?, ?, ?, 'v1', 'then', 0, 0, 0, ?, ?, ?, ?, ?)",
            (record["sha256"], record["file"], record["format"], record["title"],
             record["identity"]["kind"], len(rows["flat"]), rows["flat"], record["text"],
             rows["words"], '{"sections": [], "coverage": {}, "blocks": []}'),
        )  # fmt: skip
        # its index rows are not written: migration 3 rebuilds SQLite's substring index
        # from the stored texts (and PostgreSQL keeps its own), as the search below checks
    old.close()
    monkeypatch.undo()
    new = open_store(store_spec)
    try:
        assert new.rows("SELECT value FROM meta WHERE key = 'schema_version'") == [
            (str(SCHEMA_VERSION),)
        ]
        assert q.text(new, doc_id) == record["text"]
        needle = flat(record["text"])[40:44]
        assert _ids(new, needle) == [doc_id]
        assert q.document(new, doc_id)["file"] == record["file"]
        new.ingest_many(stored_rows[1:3], VERSION)  # and it takes new documents as before
        assert new.count() == 3
    finally:
        new.close()


def test_a_newer_schema_is_refused(store: Store, store_spec: str) -> None:
    with store.transaction() as cur:
        cur.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match=f"比本程序的 {SCHEMA_VERSION} 新"):
        open_store(store_spec)


def test_every_document_and_row_is_stored(store: Store, stored_rows: list[dict[str, Any]]) -> None:
    assert store.count() == len(stored_rows)
    figures = sum(len(r["record"]["figures"]) for r in stored_rows)
    cases = sum(len(r["cases"]) for r in stored_rows)
    people = sum(len(c["people"]) for r in stored_rows for c in r["cases"])
    found = sum(len(r["record"]["findings"]) for r in stored_rows)
    assert store.rows("SELECT count(*) FROM metrics") == [(figures,)]
    assert store.rows("SELECT count(*) FROM cases") == [(cases,)]
    assert store.rows("SELECT count(*) FROM case_people") == [(people,)]
    assert store.rows("SELECT count(*) FROM findings") == [(found,)]
    assert cases > 10 and figures > 200  # the corpus has both kinds of document


def test_the_same_file_again_updates_in_place(
    store: Store, stored_rows: list[dict[str, Any]]
) -> None:
    rows = stored_rows[0]
    before = _doc_id(store, rows["record"]["file"])
    metrics = store.rows("SELECT count(*) FROM metrics")
    doc_id, status = store.ingest(rows, VERSION)
    assert (doc_id, status) == (before, "updated")
    assert store.count() == len(stored_rows)
    assert store.rows("SELECT count(*) FROM metrics") == metrics
    word = rows["record"]["title"][:4]
    assert _ids(store, word).count(doc_id) == 1


def _new_version(rows: dict[str, Any]) -> dict[str, Any]:
    """The same report resubmitted with an edit: another hash, the same unit, kind, period."""
    edited = copy.deepcopy(rows)
    edited["record"]["sha256"] = "f" * 64
    edited["record"]["file"] = "resubmitted.txt"
    edited["record"]["text"] += "\n补充说明：本报告为修订稿。"
    edited["flat"] = flat(edited["record"]["text"])
    edited["words"] = words(edited["record"]["text"])
    return edited


def test_a_new_version_supersedes_the_old_one_which_stays_retrievable(
    store: Store, stored_rows: list[dict[str, Any]]
) -> None:
    rows = next(r for r in stored_rows if r["record"]["identity"]["kind"] == "work_report")
    old = _doc_id(store, rows["record"]["file"])
    new, status = store.ingest(_new_version(rows), VERSION)
    assert status == "superseding"
    assert _ids(store, "修订稿") == [new]
    unit = rows["record"]["identity"]["unit"]
    assert old not in _ids(store, "", unit=unit)
    assert old in _ids(store, "", unit=unit, include_superseded=True)
    assert q.document(store, old)["superseded_by"] == new
    assert [v["id"] for v in q.document(store, new)["versions"]] == [old]
    assert store.delete(new)
    assert q.document(store, old)["superseded_by"] is None
    assert old in _ids(store, "", unit=unit)


def test_deleting_a_document_removes_all_its_rows(
    store: Store, stored_rows: list[dict[str, Any]]
) -> None:
    rows = max(stored_rows, key=lambda r: len(r["cases"]))
    doc_id = _doc_id(store, rows["record"]["file"])
    case = rows["cases"][0]["headline"]
    assert doc_id in _ids(store, f'"{case}"')
    assert store.delete(doc_id)
    assert not store.delete(doc_id)
    for table in DOCUMENT_TABLES:
        assert store.rows(f"SELECT count(*) FROM {table} WHERE doc_id = ?", [doc_id]) == [(0,)]
    assert store.rows(
        "SELECT count(*) FROM case_people WHERE case_id NOT IN (SELECT id FROM cases)"
    ) == [(0,)]
    assert doc_id not in _ids(store, f'"{case}"')
    assert q.document(store, doc_id) is None


def test_a_failed_ingest_leaves_the_store_as_it_was(
    store: Store, stored_rows: list[dict[str, Any]]
) -> None:
    broken = _new_version(stored_rows[0])
    broken["record"]["sha256"] = "e" * 64
    broken["cases"] = [{"headline": "缺少字段的案件"}]  # fails after the document row is written
    before = store.count()
    with pytest.raises(KeyError):
        store.ingest(broken, VERSION)
    assert store.count() == before
    assert _ids(store, "修订稿") == []
    assert store.rows("SELECT count(*) FROM documents WHERE superseded_by IS NOT NULL") == [(0,)]


def test_every_substring_of_a_text_finds_its_document(
    store: Store, stored_rows: list[dict[str, Any]]
) -> None:
    """1 to 8 characters cut at random places of each text: the document is always found,
    and every hit holds the substring (or all its words)."""
    rng = random.Random(7)
    for rows in stored_rows:
        text = flat(rows["record"]["text"])
        doc_id = _doc_id(store, rows["record"]["file"])
        for _ in range(12):
            size = rng.randint(1, 8)
            start = rng.randrange(0, len(text) - size)
            needle = text[start : start + size]
            if any(c in QUOTES for c in needle):
                continue  # a quote mark cannot stand inside a quoted phrase
            hits = _ids(store, f'"{needle}"')
            assert doc_id in hits, needle
            for hit in hits:
                assert needle in flat(q.text(store, hit) or "")


def test_a_word_finds_the_longer_words_that_hold_it(store: Store) -> None:
    texts = {r[0]: r[1] for r in store.rows("SELECT doc_id, text FROM document_texts")}
    holding = {i for i, t in texts.items() if "纪委" in t}
    assert set(_ids(store, "纪委")) == holding
    assert any("市纪委监委" in texts[i] or "纪委书记" in texts[i] for i in holding)


def test_unquoted_words_are_all_required_quoted_phrases_exact(store: Store) -> None:
    texts = {r[0]: flat(r[1]) for r in store.rows("SELECT doc_id, text FROM document_texts")}
    both = {i for i, t in texts.items() if "立案" in t and "惠民惠农" in t}
    assert set(_ids(store, "立案 惠民惠农")) == both
    phrase = {i for i, t in texts.items() if "惠民惠农补贴" in t}
    assert set(_ids(store, '"惠民惠农补贴"')) == phrase
    assert phrase


def test_a_query_that_appears_nowhere_finds_nothing(store: Store) -> None:
    assert _ids(store, "量子计算机") == []
    assert q.search(store, q.Search("量子计算机"))["facets"]["unit"] == []


def test_snippets_mark_the_match_in_the_raw_text(store: Store) -> None:
    result = q.search(store, q.Search("惠民惠农", limit=1))
    assert "<mark>惠民惠农</mark>" in result["items"][0]["snippets"][0]


def test_filters_match_the_rows(store: Store, stored_rows: list[dict[str, Any]]) -> None:
    identity = [r["record"]["identity"] for r in stored_rows]
    unit = next(i["unit"] for i in identity if i["unit"])
    assert _found_files(store, _ids(store, "", unit=unit)) == _files(
        stored_rows, lambda r: r["record"]["identity"]["unit"] == unit
    )
    assert _found_files(store, _ids(store, "", kind="case_notice")) == _files(
        stored_rows, lambda r: r["record"]["identity"]["kind"] == "case_notice"
    )
    in_2024 = _files(
        stored_rows,
        lambda r: (
            (r["record"]["identity"]["period_end"] or "") >= "2024-01-01"
            and (r["record"]["identity"]["period_end"] or "9") <= "2024-12-31"
        ),
    )
    assert _found_files(store, _ids(store, "", period_from="2024年", period_to="2024年")) == in_2024
    assert in_2024 and len(in_2024) < len(stored_rows)
    flagged = _files(
        stored_rows,
        lambda r: any(f["severity"] in ("error", "warning") for f in r["record"]["findings"]),
    )
    assert _found_files(store, _ids(store, "", has_findings=True)) == flagged
    assert len(flagged) == 2  # ae_01 and ae_03
    category = next(c["category"] for r in stored_rows for c in r["cases"] if c["category"])
    assert _found_files(store, _ids(store, "", category=category)) == _files(
        stored_rows,
        lambda r: (
            any(c["category"] == category for c in r["cases"])
            or any(category in p["labels"] for p in r["problems"])
        ),
    )
    person = next(e["text"] for r in stored_rows for e in r["entities"] if e["label"] == "PER")
    assert _found_files(store, _ids(store, "", entity=person)) == _files(
        stored_rows, lambda r: any(person in (e["text"], e["person"]) for e in r["entities"])
    )


def test_facets_count_the_matching_documents(
    store: Store, stored_rows: list[dict[str, Any]]
) -> None:
    result = q.search(store, q.Search("", limit=1))
    kinds = {f["value"]: f["count"] for f in result["facets"]["kind"]}
    expected: dict[str, int] = {}
    for r in stored_rows:
        kind = r["record"]["identity"]["kind"]
        expected[kind] = expected.get(kind, 0) + 1
    assert kinds == expected
    assert result["total"] == len(stored_rows)


def test_cursor_pages_through_every_hit_once(store: Store) -> None:
    for sort in ("relevance", "period"):
        seen: list[int] = []
        cursor = None
        while True:
            page = q.search(
                store, q.Search("纪委", sort=sort, limit=4, cursor=cursor, facets=False)
            )
            seen += [i["id"] for i in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == _ids(store, "纪委") if sort == "relevance" else len(seen) == len(set(seen))
        assert len(seen) == q.search(store, q.Search("纪委"))["total"]
    with pytest.raises(QueryError):
        q.search(store, q.Search("纪委", cursor="not-a-cursor"))


def test_metric_ranges_are_exact(store: Store, stored_rows: list[dict[str, Any]]) -> None:
    figures = [
        (r["record"]["file"], f)
        for r in stored_rows
        for f in r["record"]["figures"]
        if f["indicator"] == "结案率"
    ]
    below = {(file, f["text"]) for file, f in figures if Decimal(f["value"]) <= 90}
    got = q.metrics(store, indicator="结案率", high="90", limit=1000)["items"]
    assert {(m["file"], m["text"]) for m in got} == below
    assert below and len(below) < len(figures) + 1
    with pytest.raises(QueryError):
        q.metrics(store, low="abc")


def test_cases_filter_by_category_and_amount(
    store: Store, stored_rows: list[dict[str, Any]]
) -> None:
    expected = {
        (c["headline"])
        for r in stored_rows
        for c in r["cases"]
        if c["amount"] is not None and Decimal(c["amount"]) >= 10000
    }
    got = q.cases(store, amount_min="10000", limit=1000)["items"]
    assert {c["headline"] for c in got} == expected
    assert expected
    category = got[0]["category"]
    both = {c["headline"] for c in got if c["category"] == category}
    assert {
        c["headline"] for c in q.cases(store, category=category, amount_min="10000")["items"]
    } == both


def test_a_review_survives_a_reingest(store: Store, stored_rows: list[dict[str, Any]]) -> None:
    rows = next(r for r in stored_rows if r["record"]["findings"])
    fingerprint = rows["record"]["findings"][0]["fingerprint"]
    assert q.set_review(store, fingerprint, "驳回", "口径不同，不是错误", "张三")
    store.ingest(rows, VERSION)
    found = q.findings(store, fingerprint=fingerprint)["items"]
    assert [(f["review"], f["note"], f["reviewer"]) for f in found] == [
        ("驳回", "口径不同，不是错误", "张三")
    ]
    assert fingerprint in {f["fingerprint"] for f in q.findings(store, review="驳回")["items"]}
    assert not q.set_review(store, "0" * 16, "确认", "", None)
    with pytest.raises(QueryError):
        q.set_review(store, fingerprint, "通过", "", None)


def test_series_gives_one_point_per_unit_and_period(store: Store) -> None:
    result = q.series(store, "立案")
    assert result["series"]
    for line in result["series"]:
        ends = [p["period_end"] for p in line["points"]]
        assert ends == sorted(set(ends))


def test_a_file_that_is_no_database_is_a_clear_error(tmp_path: Any) -> None:
    path = tmp_path / "not.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="无法打开数据库"):
        open_store(path)
    with pytest.raises(StoreError, match="数据库文件不存在"):
        open_store(tmp_path / "missing.db", create=False)


QUERIES = [
    q.Search("纪委"),
    q.Search("纪"),
    q.Search("立案"),
    q.Search("惠民惠农"),
    q.Search("问题线索 立案"),
    q.Search('"违规吃喝"'),
    q.Search("纪委", q.Filters(kind="work_report"), limit=5),
    q.Search("纪委", sort="period", limit=5),
    q.Search("", q.Filters(period_from="2024-01-01")),
    q.Search("处分", q.Filters(has_findings=True)),
]


def test_both_backends_give_the_same_hits_in_the_same_order(
    tmp_path: Any, postgres: Any, stored_rows: list[dict[str, Any]]
) -> None:
    from conftest import new_database

    lite = open_store(tmp_path / "a.db")
    server = open_store(new_database(postgres))
    try:
        for opened in (lite, server):
            opened.ingest_many(stored_rows, VERSION)
        for request in QUERIES:
            a, b = q.search(lite, request), q.search(server, request)
            assert a == b, request
            assert a["total"] > 0, request
        for indicator in ("立案", "结案率"):
            assert q.metrics(lite, indicator=indicator) == q.metrics(server, indicator=indicator)
            assert q.series(lite, indicator) == q.series(server, indicator)
        assert q.cases(lite) == q.cases(server)
        assert q.findings(lite) == q.findings(server)
        assert q.document(lite, 3) == _same_clock(q.document(server, 3), q.document(lite, 3))
    finally:
        lite.close()
        server.close()


def _same_clock(doc: dict[str, Any] | None, other: dict[str, Any] | None) -> dict[str, Any]:
    assert doc is not None and other is not None
    return {**doc, "ingested_at": other["ingested_at"]}


def test_ranking_statistics_follow_every_write(
    store: Store, stored_rows: list[dict[str, Any]]
) -> None:
    """The corpus counts behind relevance are remembered only while nothing is written:
    a substring's (修订稿) and a word's (修订稿 is also a search-mode word, and 修订 one)."""
    needles = [("修订稿", False), ("修订稿", True), ("修订", True)]
    total, _, before = q._statistics(store, needles)
    assert (total, before) == (len(stored_rows), [0, 0, 0])
    new, _ = store.ingest(_new_version(stored_rows[0]), VERSION)
    total, _, after = q._statistics(store, needles)
    assert (total, after) == (len(stored_rows) + 1, [1, 1, 1])
    store.delete(new)
    assert q._statistics(store, needles)[2] == [0, 0, 0]


def test_too_many_hits_to_rank_come_newest_first_and_say_so(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ranked = q.search(store, q.Search("纪委", limit=200))
    assert ranked["sort"] == "relevance" and ranked["notice"] is None
    monkeypatch.setattr(q, "RANK_LIMIT", 3)
    many = q.search(store, q.Search("纪委", limit=200))
    assert many["sort"] == "period" and "已按期间排序" in many["notice"]
    assert many["total"] == ranked["total"] > 3
    ends = [i["period_end"] or "" for i in many["items"]]
    assert ends == sorted(ends, reverse=True)
    assert {i["id"] for i in many["items"]} == {i["id"] for i in ranked["items"]}
    few = q.search(store, q.Search('"惠民惠农补贴"', limit=200))
    assert few["sort"] == "relevance"  # three hits or fewer are still ranked


def _oracle(store: Store, rows: list[dict[str, Any]], filters: q.Filters) -> list[int]:
    """The documents the filters select, newest first, by plain Python over the rows."""
    low = q.period_bound(filters.period_from, "period_from", end=False)
    high = q.period_bound(filters.period_to, "period_to", end=True)
    chosen = []
    for r in rows:
        identity = r["record"]["identity"]
        if any(
            getattr(filters, k) and identity[k] != getattr(filters, k)
            for k in ("unit", "level", "parent", "kind", "period")
        ):
            continue
        end = identity["period_end"]
        if (low and (end is None or end < low)) or (high and (end is None or end > high)):
            continue
        flagged = any(f["severity"] in ("error", "warning") for f in r["record"]["findings"])
        if filters.has_findings is not None and flagged != filters.has_findings:
            continue
        chosen.append((end or "", _doc_id(store, r["record"]["file"])))
    return [doc_id for _, doc_id in sorted(chosen, reverse=True)]


def test_random_filters_select_order_and_count_as_the_rows_say(
    store: Store, stored_rows: list[dict[str, Any]]
) -> None:
    rng = random.Random(5)
    identity = [r["record"]["identity"] for r in stored_rows]
    values = {
        k: sorted({i[k] for i in identity if i[k]})
        for k in ("unit", "level", "parent", "kind", "period")
    }
    bounds = sorted({i["period_end"] for i in identity if i["period_end"]})
    # documents with no period (they come last) and periods shared by several documents
    # (ordered by id): the cursor crosses both
    assert any(i["period_end"] is None for i in identity)
    assert len(bounds) < sum(1 for i in identity if i["period_end"])
    checked = 0
    for _ in range(40):
        chosen: dict[str, Any] = {}
        for k, options in values.items():
            if rng.random() < 0.3:
                chosen[k] = rng.choice([*options, "没有这个值"])
        if rng.random() < 0.5:
            chosen["period_from"] = rng.choice(bounds)
        if rng.random() < 0.5:
            chosen["period_to"] = rng.choice(bounds)
        if rng.random() < 0.3:
            chosen["has_findings"] = rng.random() < 0.5
        filters = q.Filters(**chosen)
        expected = _oracle(store, stored_rows, filters)
        seen: list[int] = []
        cursor = None
        while True:  # small pages, so the cursor crosses periods and equal periods
            page = q.search(store, q.Search("", filters, limit=3, cursor=cursor))
            assert page["total"] == len(expected)
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == expected, chosen
        kinds = {f["value"]: f["count"] for f in page["facets"]["kind"]}
        files = {_doc_id(store, r["record"]["file"]): r for r in stored_rows}
        expected_kinds: dict[str, int] = {}
        for doc_id in expected:
            kind = files[doc_id]["record"]["identity"]["kind"]
            expected_kinds[kind] = expected_kinds.get(kind, 0) + 1
        assert kinds == expected_kinds
        checked += bool(expected)
    assert checked >= 10  # most draws select something
