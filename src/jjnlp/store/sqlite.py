"""The embedded store: one SQLite file (WAL mode), full text in two FTS5 tables.

Two contentless FTS5 tables (the text is in ``document_texts`` already): ``doc_words`` holds the
search-mode words, ``doc_chars`` the flat text's characters, both under FTS5's ``ascii``
tokenizer (every non-ASCII character is part of a token, so a word stays whole). A
contentless row is deleted by giving back its values, read from ``document_texts``.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from jjnlp.store.base import Store, checked
from jjnlp.store.text import char_phrase, chars

_NONE = np.zeros(0, dtype=np.int64)
MMAP_BYTES = 1 << 30
CACHE_KIB = 256 * 1024
CHECKPOINT_PAGES = 16384  # of 4 KiB


def _quoted(word: str) -> str:
    """A word as an FTS5 string (a token, never an operator)."""
    return '"' + word.replace('"', '""') + '"'


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
    types: ClassVar[dict[str, str]] = {"id": "INTEGER PRIMARY KEY", "big": "INTEGER", "cascade": ""}

    def __init__(self, path: str | Path) -> None:
        super().__init__()
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
            # reads through a memory map of the file, not a read() and a copy per page
            # (a third off a search that reads a few thousand texts)
            conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            # a bulk load touches every index in every batch: with SQLite's default 2 MB
            # their pages are written out and read back each time (allocated as used)
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            # the log copied into the file every 64 MB, not every 4 MB: a page of an index
            # written by many commits in a row (a bulk load's) is copied once, not each time
            conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
            conn.create_function("jjnlp_chars", 1, chars, deterministic=True)  # migration 3
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
        # characters need their positions (a phrase of consecutive characters is a
        # substring); words only whether they occur (detail='none': a much smaller index)
        return {
            1: [
                "CREATE VIRTUAL TABLE doc_grams USING fts5("
                "grams, content='', tokenize='ascii', detail='full')",
                "CREATE VIRTUAL TABLE doc_words USING fts5("
                "words, content='', tokenize='ascii', detail='none')",
            ],
            # character pairs gave way to single characters (text.chars); neither table
            # keeps its rows' token counts (columnsize=0: the ranking is computed in
            # text.bm25, never by FTS5); both rebuilt from the stored texts
            3: [
                "DROP TABLE doc_grams",
                "DROP TABLE doc_words",
                "CREATE VIRTUAL TABLE doc_chars USING fts5("
                "chars, content='', tokenize='ascii', detail='full', columnsize=0)",
                "CREATE VIRTUAL TABLE doc_words USING fts5("
                "words, content='', tokenize='ascii', detail='none', columnsize=0)",
                "INSERT INTO doc_chars (rowid, chars)"
                " SELECT doc_id, jjnlp_chars(flat) FROM document_texts",
                "INSERT INTO doc_words (rowid, words) SELECT doc_id, words FROM document_texts",
            ],
        }

    def index_text(self, cur: Any, doc_id: int, words: str, flat: str) -> None:
        cur.execute("INSERT INTO doc_chars (rowid, chars) VALUES (?, ?)", (doc_id, chars(flat)))
        cur.execute("INSERT INTO doc_words (rowid, words) VALUES (?, ?)", (doc_id, words))

    def unindex_text(self, cur: Any, doc_id: int) -> None:
        old = cur.execute("SELECT words, flat FROM document_texts WHERE doc_id = ?", (doc_id,))
        if not old:
            return
        # the values as they were indexed (their row is deleted only after this)
        words, flat = old[0]
        cur.execute(
            "INSERT INTO doc_chars (doc_chars, rowid, chars) VALUES ('delete', ?, ?)",
            (doc_id, chars(flat)),
        )
        cur.execute(
            "INSERT INTO doc_words (doc_words, rowid, words) VALUES ('delete', ?, ?)",
            (doc_id, words),
        )

    def substring_ids(self, folded: str) -> np.ndarray:
        return self._ids("doc_chars", char_phrase(folded))

    def words_ids(self, words: Sequence[str]) -> np.ndarray:
        return self._ids("doc_words", " AND ".join(_quoted(w) for w in words))

    def word_count(self, word: str) -> int:
        sql = "SELECT count(*) FROM doc_words WHERE doc_words MATCH ?"
        return int(self.rows(sql, [_quoted(word)])[0][0])

    def _ids(self, table: str, query: str) -> np.ndarray:
        # one text of every id (group_concat, in C) parsed by numpy: a common word's 70,000
        # ids as Python rows cost more than finding them
        sql = f"SELECT group_concat(rowid) FROM {table} WHERE {table} MATCH ?"
        text = self.rows(sql, [query])[0][0]
        return np.fromstring(text, dtype=np.int64, sep=",") if text else _NONE

    def size(self) -> int:
        total = 0
        for suffix in ("", "-wal"):
            path = Path(str(self.path) + suffix)
            if path.exists():
                total += path.stat().st_size
        return total
