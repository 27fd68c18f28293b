"""The embedded store: one SQLite file (WAL mode), full text in one FTS5 table.

The FTS5 table is contentless (the text is in ``documents`` already): its ``words`` column
holds the search-mode words, its ``grams`` column the flat text's character pairs, under
FTS5's ``ascii`` tokenizer (every non-ASCII character is part of a token, so a pair stays
whole). A contentless row is deleted by giving back its values, rebuilt from ``documents``.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from jjnlp.store.base import Store, checked
from jjnlp.store.text import Term, gram_phrase, grams


class _Cursor:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, checked(params)).fetchall()

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        row_id = self.conn.execute(sql, params).lastrowid
        assert row_id is not None
        return row_id


class SqliteStore(Store):
    backend = "sqlite"
    types: ClassVar[dict[str, str]] = {"id": "INTEGER PRIMARY KEY", "big": "INTEGER"}

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def name(self) -> str:
        return str(self.path)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # one connection per thread (the API serves requests from a thread pool);
            # transactions are opened explicitly (BEGIN IMMEDIATE: writers queue at once)
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA foreign_keys = OFF")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[_Cursor]:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield _Cursor(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        # reads need no write lock (WAL: readers never wait for the writer)
        return self._conn().execute(sql, checked(params)).fetchall()

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._all.clear()
        self._local = threading.local()

    def extra_migrations(self) -> dict[int, list[str]]:
        return {
            1: [
                "CREATE VIRTUAL TABLE doc_fts USING fts5("
                "words, grams, content='', tokenize='ascii', detail='full')"
            ]
        }

    def index_text(self, cur: Any, doc_id: int, words: str, flat: str) -> None:
        cur.execute(
            "INSERT INTO doc_fts (rowid, words, grams) VALUES (?, ?, ?)",
            (doc_id, words, grams(flat)),
        )

    def unindex_text(self, cur: Any, doc_id: int) -> None:
        old = cur.execute("SELECT words, flat FROM documents WHERE id = ?", (doc_id,))
        if not old:
            return
        # the values as they were indexed (documents is rewritten only after this)
        words, flat = old[0]
        cur.execute(
            "INSERT INTO doc_fts (doc_fts, rowid, words, grams) VALUES ('delete', ?, ?, ?)",
            (doc_id, words, grams(flat)),
        )

    def match(self, term: Term) -> tuple[str, list[Any]]:
        expression = f"(grams : {gram_phrase(term.flat)})"
        if term.words:
            quoted = " AND ".join('"' + w.replace('"', '""') + '"' for w in term.words)
            expression = f"{expression} OR (words : ({quoted}))"
        return "d.id IN (SELECT rowid FROM doc_fts WHERE doc_fts MATCH ?)", [expression]

    def size(self) -> int:
        total = 0
        for suffix in ("", "-wal"):
            path = Path(str(self.path) + suffix)
            if path.exists():
                total += path.stat().st_size
        return total
