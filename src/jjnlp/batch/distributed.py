"""The per-document work of a batch on a Dask distributed cluster (``--executor dask``).

Each Dask worker builds the pipeline once (cached per process) and returns the compact
record; the cross-document pass runs on the collected records in the client, as in a local
run, so the package is the same whichever runs the documents. The workers must see the
input files at the same paths (a shared folder). A file not done within the time limit is
listed as failed and the batch goes on; memory is bounded by the cluster's own worker
limits (``dask worker --memory-limit``), whose nanny restarts a worker that exceeds them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from jjnlp.batch.model import DocRecord
from jjnlp.batch.records import failed, from_analysis
from jjnlp.errors import BatchInputError, Crashed, InternalError, JjnlpError, TimedOut

if TYPE_CHECKING:
    from jjnlp.batch.run import BatchOptions, Input

_PIPELINES: dict[str, Any] = {}


def analyse_on_worker(
    path: str,
    context: tuple[str, str, Mapping[str, str] | None],
    stages: tuple[str, ...],
    config: dict[str, Any],
    source: str,
) -> DocRecord:
    """Run on a Dask worker: one file to its record (errors become failed records)."""
    import json

    from jjnlp.pipeline import Pipeline

    file, sha256, manifest = context
    key = json.dumps([stages, config], sort_keys=True, default=str)
    try:
        if key not in _PIPELINES:
            _PIPELINES[key] = Pipeline(stages, config, source)
        nlp = _PIPELINES[key]
        return from_analysis(nlp(nlp.read(path)), file, sha256, manifest)
    except JjnlpError as error:
        return failed(file, path, sha256, error)
    except Exception as exc:  # a bug: reported for the file, the batch goes on
        message = f"内部错误：{type(exc).__name__}: {exc}，请报告此问题"
        return failed(file, path, sha256, InternalError(path, message))


def execute_on_dask(
    options: BatchOptions,
    todo: list[tuple[Input, str]],
    manifest: Mapping[str, Mapping[str, str]],
) -> Iterator[DocRecord]:
    from dask.distributed import Client, as_completed
    from dask.distributed import TimeoutError as DaskTimeout

    try:
        client = Client(options.scheduler, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise BatchInputError(
            str(options.scheduler), f"无法连接 Dask 调度器（{type(exc).__name__}）"
        ) from exc
    with client:
        futures = {
            client.submit(
                analyse_on_worker,
                item.path,
                (item.file, sha, manifest.get(item.file)),
                options.stages,
                dict(options.config),
                options.source,
                key=f"jjnlp-{sha}-{index}",
                pure=False,
            ): (item, sha)
            for index, (item, sha) in enumerate(todo)
        }
        pending = set(futures)
        try:
            for future in as_completed(futures, timeout=_overall(options, len(todo))):
                pending.discard(future)
                item, sha = futures[future]
                try:
                    yield future.result()
                except Exception as exc:  # the worker died under it
                    error = Crashed(item.path, f"Dask 工作进程出错（{type(exc).__name__}）")
                    yield failed(item.file, item.path, sha, error)
        except DaskTimeout:
            for future in pending:
                item, sha = futures[future]
                future.cancel()
                seconds = f"{options.timeout:g}"
                yield failed(
                    item.file, item.path, sha, TimedOut(item.path, f"处理超过{seconds}秒，已放弃")
                )


def _overall(options: BatchOptions, count: int) -> float:
    """The whole run's time limit: each file its limit, spread over at least one worker."""
    return options.timeout * max(1, count)
