"""The analysed corpus in a database, searchable by text, unit, period, entity, figure,
case and finding: SQLite by default (one file), PostgreSQL for a server (``postgresql://…``).
"""

from __future__ import annotations

from pathlib import Path

from jjnlp.errors import StoreError
from jjnlp.store.base import Store

DEFAULT_STORE = "jjnlp.db"


def open_store(spec: str | Path = DEFAULT_STORE, *, create: bool = True) -> Store:
    """The store ``spec`` names (a file path, or a ``postgresql://`` URL), its schema brought
    up to date. ``create=False`` refuses a SQLite file that does not exist yet."""
    text = str(spec)
    if text.startswith(("postgresql://", "postgres://")):
        import importlib.util

        if importlib.util.find_spec("psycopg_pool") is None:
            raise StoreError(_hidden(text), '未安装 PostgreSQL 支持，请安装 "jjnlp[postgresql]"')
        from jjnlp.store.postgres import PostgresStore

        try:
            store: Store = PostgresStore(text)
        except Exception as exc:  # psycopg's OperationalError, the pool's PoolTimeout
            raise StoreError(_hidden(text), f"无法连接 PostgreSQL（{type(exc).__name__}）") from exc
    else:
        path = Path(text)
        if path.is_dir():
            raise StoreError(text, "是一个目录，请给出数据库文件名（如 jjnlp.db）")
        if not create and not path.exists():
            raise StoreError(text, "数据库文件不存在，请先用 jjnlp index 建立索引")
        if not path.parent.exists():
            raise StoreError(text, "所在目录不存在")
        from jjnlp.store.sqlite import SqliteStore

        store = SqliteStore(path)
    try:
        store.migrate()
    except StoreError:
        store.close()
        raise
    except Exception as exc:  # sqlite3.DatabaseError on a file that is no database …
        store.close()
        raise StoreError(store.name(), f"无法打开数据库（{type(exc).__name__}: {exc}）") from exc
    return store


def _hidden(url: str) -> str:
    """A URL without its password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


__all__ = ["DEFAULT_STORE", "Store", "StoreError", "open_store"]
