"""Shared fixtures: paths to the corpus and the shared seed, and the format generator."""

from __future__ import annotations

import collections
import contextlib
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
SEED = ROOT.parent / "shared" / "seeds" / "000_fe7c96927f2dd2d9.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip("../shared/seeds is not present on this machine")
    return SEED


def load_script(name: str) -> ModuleType:
    """A script of scripts/ imported as a module (scripts are not package code)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def make_formats() -> ModuleType:
    return load_script("make_formats")


@pytest.fixture(scope="session")
def train_transformer() -> ModuleType:
    return load_script("train_transformer")


def comment_anchors(word: Any) -> dict[str, str]:
    """Comment id → the shown text (w:t) between its commentRangeStart and End in a
    python-docx Document."""
    from docx.oxml.ns import qn

    anchored: dict[str, str] = collections.defaultdict(str)
    open_ids: set[str] = set()
    for element in word.element.body.iter():
        if element.tag == qn("w:commentRangeStart"):
            open_ids.add(element.get(qn("w:id")))
        elif element.tag == qn("w:commentRangeEnd"):
            open_ids.discard(element.get(qn("w:id")))
        elif element.tag == qn("w:t"):
            for comment_id in open_ids:
                anchored[comment_id] += element.text or ""
    return dict(anchored)


# --------------------------------------------------------------------------- the store

# the work reports and case notices of corpora/docs, and two of the audit samples (with
# errors); the other ae_* samples repeat units and periods on purpose
STORE_DOCUMENTS = sorted(
    p
    for p in (CORPORA / "docs").glob("*.txt")
    if not p.name.startswith("ae_") or p.name.startswith(("ae_01", "ae_03"))
)


@pytest.fixture(scope="session")
def stored_rows() -> list[dict[str, Any]]:
    """The store's rows of the corpus documents, analysed once with every stage."""
    from jjnlp.batch.records import file_hash, from_analysis
    from jjnlp.pipeline import Pipeline
    from jjnlp.store.rows import STAGES, document_rows

    nlp = Pipeline(STAGES)
    out = []
    for path in STORE_DOCUMENTS:
        analysis = nlp(nlp.read(str(path)))
        out.append(document_rows(analysis, from_analysis(analysis, path.name, file_hash(path))))
    return out


@pytest.fixture(scope="session")
def postgres() -> Any:
    """A throwaway PostgreSQL cluster for the session (scripts/pg_cluster.py). Skipped when
    the binaries are missing, unless JJNLP_REQUIRE_POSTGRES is set (CI sets it)."""
    import os

    cluster_script = load_script("pg_cluster")
    if cluster_script.binaries() is None:
        if os.environ.get("JJNLP_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) are required here")
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    cluster = cluster_script.start()
    yield cluster
    cluster.stop()


_databases = collections.Counter[str]()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_spec(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store of each backend: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "jjnlp.db")
    return new_database(request.getfixturevalue("postgres"))


def new_database(cluster: Any) -> str:
    import psycopg

    _databases["n"] += 1
    name = f"t{_databases['n']}"
    with psycopg.connect(cluster.url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return cluster.url.rsplit("/", 1)[0] + "/" + name


class LiveServer:
    """The API on a loopback port, in a thread of the test process (uvicorn, for real); the
    socket is bound before the server starts, so no other process can take the port."""

    def __init__(self, app: Any) -> None:
        import socket
        import threading

        import uvicorn

        from jjnlp.api.http import server_options

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, **server_options()))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the API server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.socket.close()


@contextlib.contextmanager
def serving(
    request: pytest.FixtureRequest,
    folder: Path,
    rows: list[dict[str, Any]],
    backend: str = "sqlite",
    **settings: Any,
) -> Iterator[tuple[LiveServer, Any]]:
    """A store of ``backend`` holding ``rows``, and the API over it on loopback."""
    from jjnlp.api.app import Settings, create_app
    from jjnlp.store import open_store

    if backend == "sqlite":
        spec = str(folder / "jjnlp.db")
    else:
        spec = new_database(request.getfixturevalue("postgres"))
    store = open_store(spec)
    try:
        store.ingest_many(rows, "test")
        with LiveServer(create_app(Settings(store=spec, **settings), store)) as server:
            yield server, store
    finally:
        store.close()


@pytest.fixture(scope="module")
def browser() -> Any:
    """One system Chromium for a module's browser tests (never a downloaded one; no
    background connections, which this machine's closed network refuses)."""
    import shutil

    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()
