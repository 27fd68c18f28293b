"""The store: one interface over SQLite (embedded, the default) and PostgreSQL (a server).

The SQL is shared: statements are written once with ``?`` placeholders and each backend
(:mod:`jjnlp.store.sqlite`, :mod:`jjnlp.store.postgres`) supplies the connection, the
placeholder style and the two full-text structures, which differ (FTS5 tables; a stored
``tsvector`` and a trigram index). Every write runs in one transaction: a crash mid-ingest
leaves the store as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Protocol

import numpy as np

from jjnlp.store.rows import key
from jjnlp.store.schema import DOCUMENT_TABLES, MIGRATIONS, SCHEMA_VERSION


class Cursor(Protocol):
    """What a backend's transaction hands out: statements with ``?`` placeholders."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def insert(self, sql: str, params: Sequence[Any]) -> int: ...


def checked(params: Sequence[Any]) -> Sequence[Any]:
    """``params``, refused when a text holds NUL (PostgreSQL cannot take one; SQLite would
    quietly find nothing): the same answer from both backends."""
    for value in params:
        if isinstance(value, str) and "\x00" in value:
            from jjnlp.errors import QueryError

            raise QueryError("参数", "含有空字符（\\0），无法查询")
    return params


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """Documents, their figures, entities, cases, problems and findings, and full text."""

    backend = ""
    types: ClassVar[dict[str, str]] = {"id": "", "big": "", "cascade": ""}
    collate = ""  # appended to text sort keys: code-point order in both backends

    def __init__(self) -> None:
        # what searches reuse while meta.generation is unchanged (see fresh_cache)
        self.cache: dict[str, Any] = {"generation": None}

    # -- what a backend provides ---------------------------------------------------------------

    def transaction(self) -> contextlib.AbstractContextManager[Cursor]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def extra_migrations(self) -> dict[int, list[str]]:
        return {}

    def index_text(self, cur: Cursor, doc_id: int, words: str, flat: str) -> None:
        raise NotImplementedError

    def unindex_text(self, cur: Cursor, doc_id: int) -> None:
        raise NotImplementedError

    def substring_ids(self, folded: str) -> np.ndarray:
        """The ids of the documents whose flat text holds ``folded`` (int64, ascending)."""
        raise NotImplementedError

    def words_ids(self, words: Sequence[str]) -> np.ndarray:
        """The ids of the documents holding every one of the search-mode ``words``."""
        raise NotImplementedError

    def word_count(self, word: str) -> int:
        """How many documents hold the word (one of the search-mode words)."""
        raise NotImplementedError

    def size(self) -> int:
        """Bytes the store takes on disk."""
        raise NotImplementedError

    def fresh_cache(self) -> dict[str, Any]:
        """:attr:`cache`, emptied first when a write happened since it was filled (what it
        holds: corpus statistics, the search columns, terms' hits, depends on the data)."""
        generation = self.generation()
        if self.cache["generation"] != generation:
            self.cache.clear()
            self.cache["generation"] = generation
        return self.cache

    # -- schema --------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema up to :data:`SCHEMA_VERSION`, one migration per transaction."""
        with self.transaction() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        current = int(row[0][0]) if row else 0
        if current > SCHEMA_VERSION:
            from jjnlp.errors import StoreError

            raise StoreError(
                self.name(),
                f"数据库结构版本 {current} 比本程序的 {SCHEMA_VERSION} 新，请升级 jjnlp",
            )
        extra = self.extra_migrations()
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.transaction() as cur:
                for statement in [*MIGRATIONS[version], *extra.get(version, [])]:
                    cur.execute(statement.format(**self.types))
                cur.execute("DELETE FROM meta WHERE key = 'schema_version'")
                cur.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(version),)
                )

    def name(self) -> str:
        return self.backend

    # -- writing -------------------------------------------------------------------------------

    def generation(self) -> int:
        """A number every write transaction increases (what cached statistics depend on)."""
        rows = self.rows("SELECT value FROM meta WHERE key = 'generation'")
        return int(rows[0][0]) if rows else 0

    def _bump(self, cur: Cursor) -> None:
        cur.execute(
            "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
            " WHERE key = 'generation'"
        )

    def ingest(self, rows: dict[str, Any], version: str) -> tuple[int, str]:
        """Store one document (its :func:`jjnlp.store.rows.document_rows`): ``(id, status)``
        with status ``new``, ``updated`` (the same file again: its rows replaced, its id
        kept) or ``superseding`` (a new version of a report already stored: the old one
        stays retrievable, marked as superseded)."""
        with self.transaction() as cur:
            self._bump(cur)
            return self._ingest(cur, rows, version)

    def ingest_many(self, documents: Iterable[dict[str, Any]], version: str) -> list[int]:
        """The bulk path: many documents in one transaction."""
        with self.transaction() as cur:
            self._bump(cur)
            return [self._ingest(cur, rows, version)[0] for rows in documents]

    def _ingest(self, cur: Cursor, rows: dict[str, Any], version: str) -> tuple[int, str]:
        record = rows["record"]
        identity = record["identity"]
        findings = record["findings"]
        existing = cur.execute("SELECT id FROM documents WHERE sha256 = ?", (record["sha256"],))
        severities = [f["severity"] for f in findings]
        values = (
            record["file"],
            record["format"],
            record["title"],
            identity["unit"],
            identity["level"],
            identity["parent"],
            identity["kind"],
            identity["period"],
            identity["period_start"],
            identity["period_end"],
            identity["issuer"],
            identity["addressee"],
            version,
            now(),
            severities.count("error"),
            severities.count("warning"),
            severities.count("info"),
            len(rows["flat"]),
        )
        columns = (
            "file, format, title, unit, level, parent, kind, period, period_start, period_end,"
            " issuer, addressee, version, ingested_at, errors, warnings, infos, flat_length"
        )
        if existing:
            doc_id = int(existing[0][0])
            self._delete_rows(cur, doc_id)
            assignments = ", ".join(f"{c.strip()} = ?" for c in columns.split(","))
            cur.execute(f"UPDATE documents SET {assignments} WHERE id = ?", (*values, doc_id))
            status = "updated"
        else:
            marks = ", ".join("?" * (len(values) + 1))
            doc_id = cur.insert(
                f"INSERT INTO documents (sha256, {columns}) VALUES ({marks})",
                (record["sha256"], *values),
            )
            status = "new"
            if identity["unit"] and identity["period"] and identity["kind"] != "other":
                older = cur.execute(
                    "SELECT id FROM documents WHERE unit = ? AND kind = ? AND period = ?"
                    " AND superseded_by IS NULL AND id <> ?",
                    (identity["unit"], identity["kind"], identity["period"], doc_id),
                )
                if older:
                    cur.execute(
                        "UPDATE documents SET superseded_by = ? WHERE id IN ("
                        + ", ".join("?" * len(older))
                        + ")",
                        (doc_id, *[r[0] for r in older]),
                    )
                    status = "superseding"
        detail = {"blocks": record["blocks"], "coverage": record["coverage"]}
        detail["sections"] = rows["sections"]
        cur.execute(
            "INSERT INTO document_texts (doc_id, flat, text, words, detail) VALUES (?, ?, ?, ?, ?)",
            (
                doc_id,
                rows["flat"],
                record["text"],
                rows["words"],
                json.dumps(detail, ensure_ascii=False),
            ),
        )
        self._insert_rows(cur, doc_id, rows)
        self.index_text(cur, doc_id, rows["words"], rows["flat"])
        return doc_id, status

    def _insert_rows(self, cur: Cursor, doc_id: int, rows: dict[str, Any]) -> None:
        record = rows["record"]
        cur.executemany(
            "INSERT INTO sections (doc_id, ordinal, level, number, title, start_at, end_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id, i, s["level"], s["number"], s["title"], s["start"], s["end"])
                for i, s in enumerate(rows["sections"])
            ],
        )
        cur.executemany(
            "INSERT INTO metrics (doc_id, ordinal, indicator, value, value_key, measure,"
            " stated_unit, text, kind, period, period_start, period_end, scope, sentence,"
            " start_at, end_at, approx, comparison, part)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    doc_id,
                    i,
                    m["indicator"],
                    m["value"],
                    key(m["value"]),
                    m["unit"],
                    m["stated_unit"],
                    m["text"],
                    m["kind"],
                    m["period"],
                    m["period_start"],
                    m["period_end"],
                    m["scope"],
                    m["sentence"],
                    m["start"],
                    m["end"],
                    int(m["approx"]),
                    int(m["comparison"]),
                    int(m["part"]),
                )
                for i, m in enumerate(record["figures"])
            ],
        )
        cur.executemany(
            "INSERT INTO entities (doc_id, label, text, start_at, end_at, person, unit)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id, e["label"], e["text"], e["start"], e["end"], e["person"], e["unit"])
                for e in rows["entities"]
            ],
        )
        categories = set()
        for i, case in enumerate(rows["cases"]):
            case_id = cur.insert(
                "INSERT INTO cases (doc_id, ordinal, number, headline, person, position, unit,"
                " category, discipline, conduct, party_sanction, admin_sanction, treatments,"
                " transferred, recovered, form, amount, amount_key, start_at, end_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc_id,
                    i,
                    case["number"],
                    case["headline"],
                    case["person"],
                    case["position"],
                    case["unit"],
                    case["category"],
                    case["discipline"],
                    case["conduct"],
                    case["party_sanction"],
                    case["admin_sanction"],
                    "、".join(case["treatments"]),
                    int(case["transferred"]),
                    int(case["recovered"]),
                    case["form"],
                    case["amount"],
                    key(case["amount"]),
                    case["start"],
                    case["end"],
                ),
            )
            if case["category"]:
                categories.add(case["category"])
            cur.executemany(
                "INSERT INTO case_people (case_id, doc_id, ordinal, name, position, unit, level,"
                " party_sanction, admin_sanction, treatments, transferred)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        case_id,
                        doc_id,
                        k,
                        p["name"],
                        p["position"],
                        p["unit"],
                        p["level"],
                        p["party_sanction"],
                        p["admin_sanction"],
                        "、".join(p["treatments"]),
                        int(p["transferred"]),
                    )
                    for k, p in enumerate(case["people"])
                ],
            )
            cur.executemany(
                "INSERT INTO case_amounts (case_id, doc_id, text, value, value_key, start_at,"
                " end_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (case_id, doc_id, a["text"], a["value"], key(a["value"]), a["start"], a["end"])
                    for a in case["amounts"]
                ],
            )
        cur.executemany(
            "INSERT INTO problems (doc_id, ordinal, text, headline, labels, start_at, end_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id, i, p["text"], p["headline"], "、".join(p["labels"]), p["start"], p["end"])
                for i, p in enumerate(rows["problems"])
            ],
        )
        for problem in rows["problems"]:
            categories.update(problem["labels"])
        cur.executemany(
            "INSERT INTO categories (doc_id, category) VALUES (?, ?)",
            [(doc_id, c) for c in sorted(categories)],
        )
        cur.executemany(
            "INSERT INTO findings (doc_id, ordinal, fingerprint, rule, severity, message, text,"
            " sentence, start_at, end_at, line, page, paragraph, stated, expected, indicator)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    doc_id,
                    i,
                    f["fingerprint"],
                    f["rule"],
                    f["severity"],
                    f["message"],
                    f["text"],
                    f["sentence"],
                    f["start"],
                    f["end"],
                    f["line"],
                    f["page"],
                    f["paragraph"],
                    f["stated"],
                    f["expected"],
                    f["indicator"],
                )
                for i, f in enumerate(record["findings"])
            ],
        )

    def _delete_rows(self, cur: Cursor, doc_id: int) -> None:
        self.unindex_text(cur, doc_id)  # first: it may read the text as it was indexed
        for table in DOCUMENT_TABLES:
            cur.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))

    def delete(self, doc_id: int) -> bool:
        """Remove a document and all its rows; the version it superseded becomes current."""
        with self.transaction() as cur:
            if not cur.execute("SELECT id FROM documents WHERE id = ?", (doc_id,)):
                return False
            self._bump(cur)
            self._delete_rows(cur, doc_id)
            cur.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            cur.execute(
                "UPDATE documents SET superseded_by = NULL WHERE superseded_by = ?", (doc_id,)
            )
            return True

    # -- reading -------------------------------------------------------------------------------

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """A read outside any write transaction."""
        raise NotImplementedError

    def dicts(self, sql: str, params: Sequence[Any], names: Sequence[str]) -> list[dict[str, Any]]:
        return [dict(zip(names, row, strict=True)) for row in self.rows(sql, params)]

    def count(self) -> int:
        return int(self.rows("SELECT count(*) FROM documents")[0][0])

    def hashes(self) -> dict[str, tuple[str, str]]:
        """Every stored file's hash with its name and the jjnlp version that analysed it."""
        return {
            r[0]: (r[1], r[2]) for r in self.rows("SELECT sha256, file, version FROM documents")
        }
