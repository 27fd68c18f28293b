"""``jjnlp index``: every readable file under the paths, analysed by the batch's worker
processes (all stages), each stored as soon as it is done, in its own transaction, so an
interrupted run keeps what it stored and ``--resume`` goes on from there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jjnlp.batch.model import DocRecord, record_from_plain
from jjnlp.batch.records import failed
from jjnlp.batch.run import Input, collect, hashed
from jjnlp.errors import StoreError
from jjnlp.store.base import Store

Progress = Callable[[DocRecord, int, int], None]


@dataclass(slots=True)
class Indexed:
    stored: dict[str, str] = field(default_factory=dict)  # file → new | updated | superseding
    kept: list[str] = field(default_factory=list)  # --resume: already stored, unchanged
    failed: list[DocRecord] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def index_paths(
    store: Store,
    paths: list[str],
    *,
    jobs: int = 1,
    resume: bool = False,
    timeout: float = 120.0,
    memory_mb: int = 3072,
    config: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> Indexed:
    from jjnlp import __version__
    from jjnlp.store.rows import STAGES, finish_rows
    from jjnlp.workers import Limits, Workers

    inputs, skipped = collect(paths)
    result = Indexed(skipped=skipped)
    known = store.hashes() if resume else {}
    todo: list[tuple[Input, str]] = []
    for item in inputs:
        sha = hashed(item)
        if isinstance(sha, DocRecord):
            result.failed.append(sha)
            continue
        if sha in known and known[sha][1] == __version__:
            result.kept.append(item.file)
        else:
            todo.append((item, sha))
    done = len(result.kept) + len(result.failed)
    total = len(inputs)
    workers = Workers(
        STAGES,
        dict(config or {}),
        "命令行参数",
        jobs=jobs,
        limits=Limits(timeout, memory_mb),
        finish=finish_rows,
    )
    with workers:
        outcomes = workers.map(
            [item.path for item, _ in todo], [(item.file, sha, None) for item, sha in todo]
        )
        for (item, sha), outcome in zip(todo, outcomes, strict=True):
            if outcome.error is not None:
                record = failed(item.file, item.path, sha, outcome.error, outcome.seconds)
                result.failed.append(record)
            else:
                rows: dict[str, Any] = outcome.analysis
                try:
                    _, status = store.ingest(rows, __version__)
                except Exception as exc:  # the database's own error: a full disk, a lost server
                    raise StoreError(store.name(), f"写入失败（{type(exc).__name__}）") from exc
                result.stored[item.file] = status
                record = record_from_plain(rows["record"])
            done += 1
            if progress is not None:
                progress(record, done, total)
    return result
