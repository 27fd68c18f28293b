"""The resume state: a small SQLite file in OUTDIR holding each finished file's record.

A record is committed as soon as its file is done, so a batch stopped by Ctrl-C, a crash
or ``kill -9`` loses at most the files in flight; ``--resume`` reuses a record whose file
content, jjnlp version and configuration are all unchanged.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from jjnlp.batch.model import DocRecord, record_from_plain, to_json
from jjnlp.errors import BatchInputError

STATE_NAME = ".jjnlp-state.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    file TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    version TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    record TEXT NOT NULL
)
"""


class State:
    """Finished records by file, for one OUTDIR."""

    def __init__(self, out: Path, *, fresh: bool) -> None:
        self.path = out / STATE_NAME
        if fresh:
            self.path.unlink(missing_ok=True)
        try:
            self.db = sqlite3.connect(self.path)
            # WAL with NORMAL sync: a commit survives the process being killed (kill -9),
            # without an fsync per file; only a power cut may lose the last few records
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(_SCHEMA)
            self.db.commit()
        except sqlite3.DatabaseError as exc:
            raise BatchInputError(
                str(self.path), f"续跑状态文件已损坏（{exc}），请去掉 --resume 重新运行"
            ) from exc

    def done(self, file: str, sha256: str, version: str, config_hash: str) -> DocRecord | None:
        row = self.db.execute(
            "SELECT record FROM records WHERE file=? AND sha256=? AND version=? AND config_hash=?",
            (file, sha256, version, config_hash),
        ).fetchone()
        return record_from_plain(json.loads(row[0])) if row else None

    def save(
        self, record: DocRecord, version: str, config_hash: str, stored: str | None = None
    ) -> None:
        """``stored``: the record as :func:`to_json` writes it, when it was made already."""
        self.db.execute(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)",
            (
                record.file,
                record.sha256,
                version,
                config_hash,
                stored or to_json(record),  # ASCII: a raw path may hold surrogates
            ),
        )
        self.db.commit()

    def close(self) -> None:
        self.db.close()
