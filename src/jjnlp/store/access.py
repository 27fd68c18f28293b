"""API keys and the access log (查询留痕), kept in the store beside the documents.

A key is shown once, when it is created; the store keeps its first characters (to find it)
and a salted scrypt hash (``hashlib.scrypt``: OpenSSL's, in the standard library). Checking a
key costs one scrypt (tens of milliseconds) the first time a process sees it; after that the
process remembers which key row it belongs to and only re-reads that row (role, revoked).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from typing import Any

from jjnlp.errors import QueryError
from jjnlp.store.base import Store, now

ROLES = ("analyst", "ingest", "admin")
ROLE_ZH = {
    "analyst": "分析（查询、审核）",
    "ingest": "导入（上传文档）",
    "admin": "管理（全部权限）",
}
PREFIX = "jj_"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


@dataclass(frozen=True, slots=True)
class Caller:
    key_id: int
    role: str
    label: str
    prefix: str


def _hash(key: str, salt: bytes) -> str:
    return hashlib.scrypt(key.encode(), salt=salt, **_SCRYPT).hex()


def create_key(store: Store, role: str, label: str = "") -> str:
    """A new key for ``role``: returned once, stored only as a hash."""
    if role not in ROLES:
        raise QueryError("role", "角色只能是 " + "、".join(ROLES))
    secret = secrets.token_urlsafe(32)
    key = PREFIX + secret
    prefix = key[:12]
    salt = secrets.token_bytes(16)
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO api_keys (prefix, salt, hash, role, label, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (prefix, salt.hex(), _hash(key, salt), role, label, now()),
        )
    return key


def list_keys(store: Store) -> list[dict[str, Any]]:
    return store.dicts(
        "SELECT id, prefix, role, label, created_at, revoked_at FROM api_keys ORDER BY id",
        [],
        ["id", "prefix", "role", "label", "created_at", "revoked_at"],
    )


def revoke_key(store: Store, prefix: str) -> bool:
    """Revoke the key whose first characters are ``prefix`` (as ``keys list`` shows them)."""
    with store.transaction() as cur:
        found = cur.execute(
            "SELECT id FROM api_keys WHERE prefix = ? AND revoked_at IS NULL", (prefix,)
        )
        if not found:
            return False
        cur.execute("UPDATE api_keys SET revoked_at = ? WHERE id = ?", (now(), found[0][0]))
    return True


class Authenticator:
    """Keys to callers, with the scrypt check done once per key and process."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._known: dict[str, int] = {}  # sha256 of a checked key → its row id
        self._lock = threading.Lock()

    def __call__(self, key: str | None) -> Caller | None:
        if not key or not key.startswith(PREFIX) or len(key) > 200:
            return None
        digest = hashlib.sha256(key.encode()).hexdigest()
        key_id = self._known.get(digest)
        if key_id is None:
            rows = self.store.rows(
                "SELECT id, salt, hash FROM api_keys WHERE prefix = ?", [key[:12]]
            )
            if not rows or not hmac.compare_digest(
                _hash(key, bytes.fromhex(rows[0][1])), rows[0][2]
            ):
                return None
            key_id = int(rows[0][0])
            with self._lock:
                self._known[digest] = key_id
        row = self.store.rows(
            "SELECT role, label, prefix, revoked_at FROM api_keys WHERE id = ?", [key_id]
        )
        if not row or row[0][3] is not None:
            return None
        return Caller(key_id, row[0][0], row[0][1], row[0][2])


LOGGED_QUERY = 2000  # characters of a query string kept in the log


def _loggable(text: str) -> str:
    return text.replace("\x00", "\\0")[:LOGGED_QUERY]


def log_access(
    store: Store,
    caller: Caller | None,
    method: str,
    endpoint: str,
    query: str,
    status: int,
    results: int | None,
) -> None:
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO access_log (at, key_id, role, method, endpoint, query, status, results)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                now(),
                caller.key_id if caller else None,
                caller.role if caller else None,
                method,
                _loggable(endpoint),
                _loggable(query),
                status,
                results,
            ),
        )


def access_log(store: Store, limit: int = 100, before: int | None = None) -> dict[str, Any]:
    """The newest requests first (``before``: an id from the previous page)."""
    limit = max(1, min(limit, 1000))
    condition, params = ("WHERE a.id < ?", [before]) if before is not None else ("", [])
    items = store.dicts(
        "SELECT a.id, a.at, a.key_id, k.prefix, a.role, a.method, a.endpoint, a.query,"
        " a.status, a.results FROM access_log a LEFT JOIN api_keys k ON k.id = a.key_id "
        f"{condition} ORDER BY a.id DESC LIMIT ?",
        [*params, limit + 1],
        ["id", "at", "key_id", "key", "role", "method", "endpoint", "query", "status", "results"],
    )
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_before": items[-1]["id"] if more and items else None}
