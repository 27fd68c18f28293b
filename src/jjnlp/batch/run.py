"""``jjnlp batch``: analyse every file under the given paths, check them against each
other, carry the last round's verdicts forward and write the review package.

The per-document work runs in worker processes (:class:`jjnlp.workers.Workers`) or on a
Dask cluster (:mod:`jjnlp.batch.distributed`); everything after it runs on the collected
records, so the package does not depend on where the documents were analysed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jjnlp.batch.model import Batch, DocRecord
from jjnlp.batch.records import failed, file_hash
from jjnlp.batch.state import STATE_NAME, State
from jjnlp.errors import BatchInputError, JjnlpError, ReadError

if TYPE_CHECKING:
    from jjnlp.batch.baseline import RoundReview
    from jjnlp.batch.package import Rendered
    from jjnlp.batch.records import Made
    from jjnlp.batch.similar import Signatures
    from jjnlp.workers import Workers

# the stages the audit and the cross-document rules need; --stages adds the rest
DEFAULT_STAGES = ("structure", "metrics", "cases", "audit")
SKIP_PREFIXES = ("~$", ".")  # Word/WPS lock files, hidden files

Progress = Callable[[DocRecord, int, int], None]  # (record, done, total)


@dataclass(slots=True)
class BatchOptions:
    paths: list[str]
    out: Path
    stages: tuple[str, ...] = DEFAULT_STAGES
    config: Mapping[str, Any] = field(default_factory=dict)  # pipeline sections
    batch_config: Mapping[str, Any] = field(default_factory=dict)  # [batch]
    source: str = "命令行参数"
    manifest: str | None = None
    baseline: str | None = None
    resume: bool = False
    jobs: int = 1
    timeout: float = 120.0
    memory_mb: int = 3072
    executor: str = "local"  # local | dask
    scheduler: str | None = None
    show_dismissed: bool = False
    debug: bool = False


@dataclass(frozen=True, slots=True)
class Input:
    file: str  # the name in the batch: relative to the root it was found under
    path: str  # as opened


def collect(paths: list[str], out: Path | None = None) -> tuple[list[Input], list[tuple[str, str]]]:
    """Every file under ``paths`` the readers take, and the others with the reason."""
    from jjnlp.readers import suffixes

    readable = suffixes()
    inputs: list[Input] = []
    skipped: list[tuple[str, str]] = []
    several = len(paths) > 1
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise BatchInputError(given, "路径不存在")
        if root.is_file():
            candidates = [(root, _shown(root.name))]
        else:
            found = sorted(p for p in root.rglob("*") if p.is_file())
            candidates = [
                (p, _shown((f"{root.name}/" if several else "") + p.relative_to(root).as_posix()))
                for p in found
                if out is None or out.resolve() not in p.resolve().parents
            ]
        for path, name in candidates:
            if path.name.startswith(SKIP_PREFIXES):
                skipped.append((name, "临时文件或隐藏文件"))
            elif path.suffix.lower() not in readable:
                skipped.append((name, f"不支持的文件类型（{path.suffix or '无扩展名'}）"))
            else:
                inputs.append(Input(name, str(path)))
    return inputs, skipped


def _shown(name: str) -> str:
    """A file name as the package can write it: bytes that are not UTF-8 (Linux allows
    them) become U+FFFD instead of failing every output file."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def hashed(item: Input) -> str | DocRecord:
    """The input's content hash, or the record of its failure when it cannot be read."""
    try:
        return file_hash(item.path)
    except OSError as exc:
        error = ReadError(item.path, f"无法读取文件（{exc.strerror}）")
        return failed(item.file, item.path, "", error)


def config_hash(options: BatchOptions) -> str:
    payload = {"stages": list(options.stages), "config": options.config}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _version() -> str:
    from jjnlp import __version__

    return __version__


def analyse(
    options: BatchOptions,
    inputs: list[Input],
    manifest: Mapping[str, Mapping[str, str]],
    progress: Progress | None = None,
    each: Callable[[DocRecord, Made | None], None] | None = None,
    workers: Workers | None = None,
) -> tuple[list[DocRecord], dict[str, tuple[DocRecord, Rendered | None]]]:
    """Every input's record, in input order: from the resume state when its content,
    the version and the configuration are unchanged, else analysed now (by ``workers``;
    None: on Dask); and the files the workers made for the documents analysed now (by
    file, with their record; None: staged).
    ``each`` is given every record as it is had (the kept ones first), with what its
    worker made of it (None: nothing, it was kept or failed or came from Dask)."""
    version, chash = _version(), config_hash(options)
    state = State(options.out, fresh=not options.resume)
    try:
        records: dict[str, DocRecord] = {}
        rendered: dict[str, tuple[DocRecord, Rendered | None]] = {}
        todo: list[tuple[Input, str]] = []
        done = 0
        for item in inputs:
            sha = hashed(item)
            if isinstance(sha, DocRecord):
                records[item.file] = sha
                continue
            kept = state.done(item.file, sha, version, chash) if options.resume else None
            if kept is not None:
                records[item.file] = replace(kept, path=item.path)
            else:
                todo.append((item, sha))
        if each is not None:
            for record in records.values():
                each(record, None)
        done = len(records)
        for record, made in _execute(options, todo, manifest, workers):
            state.save(record, version, chash, made.state if made else None)
            records[record.file] = record
            if each is not None:
                each(record, made)
            if made is not None:
                rendered[record.file] = (record, made.files)
            done += 1
            if progress is not None:
                progress(record, done, len(inputs))
        return [records[item.file] for item in inputs], rendered
    finally:
        state.close()


def _execute(
    options: BatchOptions,
    todo: list[tuple[Input, str]],
    manifest: Mapping[str, Mapping[str, str]],
    workers: Workers | None,
) -> Iterator[tuple[DocRecord, Made | None]]:
    """Each record as its file is done, with what its worker made of it (None: the batch
    makes it; a Dask worker may not see OUTDIR). ``workers``: the local pool (None: Dask)."""
    if workers is None:
        from jjnlp.batch.distributed import execute_on_dask

        for record in execute_on_dask(options, todo, manifest):
            yield record, None
        return
    from jjnlp.batch.package import empty_staging

    staging = str(empty_staging(options.out))
    contexts = [(item.file, sha, manifest.get(item.file), staging) for item, sha in todo]
    outcomes = workers.map([item.path for item, _ in todo], contexts)
    for (item, sha), outcome in zip(todo, outcomes, strict=True):
        if outcome.error is not None:
            yield failed(item.file, item.path, sha, outcome.error, outcome.seconds), None
        else:
            yield outcome.analysis  # (record, made): the record's seconds are the worker's
    workers.close()  # done: their memory is free for the review


def _workers(options: BatchOptions) -> Workers:
    from jjnlp.batch.records import finish_record
    from jjnlp.workers import Limits, Workers

    return Workers(
        options.stages,
        dict(options.config),
        options.source,
        jobs=options.jobs,
        limits=Limits(options.timeout, options.memory_mb),
        debug=options.debug,
        finish=finish_record,
    )


def review(
    options: BatchOptions,
    records: list[DocRecord],
    skipped: list[tuple[str, str]],
    signatures: Signatures | None = None,
    round_review: RoundReview | None = None,
) -> Batch:
    """The cross-document pass and the review loop over the collected records
    (``round_review``: the round's review, which may have reviewed some documents already,
    as they came; else a new one with ``options.baseline``)."""
    from jjnlp.batch.baseline import RoundReview, load_baseline
    from jjnlp.batch.crosscheck import run_cross
    from jjnlp.batch.identity import resolve_parents

    if round_review is None:
        round_review = RoundReview(load_baseline(options.baseline) if options.baseline else None)
    records = resolve_parents(records)
    cross, similar = run_cross(records, options.batch_config, signatures)
    # one unit's two documents (a report and its resubmitted copy) may hold the same finding:
    # the second gets a fingerprint of its own (the round's review, document by document)
    documents = [replace(r, findings=round_review.document(r)) for r in records]
    return Batch(
        documents=documents,
        skipped=skipped,
        cross=round_review.cross(cross),
        similar=similar,
        absent=round_review.absent(),
        version=_version(),
        config_hash=config_hash(options),
    )


def run_batch(options: BatchOptions, progress: Progress | None = None) -> Batch:
    """Analyse, cross-check, carry the verdicts over and write the package into OUTDIR."""
    # the workers are started first: they load their pipelines while this process finds,
    # hashes and sorts out the files
    workers = None if options.executor == "dask" else _workers(options)
    with workers if workers is not None else contextlib.nullcontext():
        if workers is not None:
            workers.start()
        return _run(options, progress, workers)


def _run(options: BatchOptions, progress: Progress | None, workers: Workers | None) -> Batch:
    from jjnlp.batch.baseline import RoundReview, load_baseline
    from jjnlp.batch.identity import read_manifest
    from jjnlp.batch.package import write_package
    from jjnlp.batch.similar import Signatures
    from jjnlp.lazy import import_in_background
    from jjnlp.render.findings_process import FindingsProcess

    options.out.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(options.manifest) if options.manifest else {}
    inputs, skipped = collect(options.paths, options.out)
    manifest = _match_manifest(manifest, inputs, options.manifest)
    # numpy (the records' MinHashes) is imported here while the workers load, not when the
    # first record comes
    import_in_background("numpy")
    # the baseline is read before any file is analysed: a bad one stops the batch at once
    round_review = RoundReview(load_baseline(options.baseline) if options.baseline else None)
    # what can be made of each record alone is made as it comes (by its worker, when it had
    # one), while the workers analyse the next files, not after the last one: its MinHash
    # for the cross-document pass, its review and its part of the files of findings
    signatures = Signatures()
    files = [i.file for i in inputs]
    with FindingsProcess(options.out, files, round_review.document) as findings:

        def each(record: DocRecord, made: Made | None) -> None:
            signatures.add(record, made.sketch if made else None)
            findings.add(record, made.figure_rows if made else None)

        records, rendered = analyse(options, inputs, manifest, progress, each, workers)
        batch = review(options, records, skipped, signatures, round_review)
        write_package(
            batch,
            options.out,
            show_dismissed=options.show_dismissed,
            rendered=rendered,
            findings=findings,
        )
    return batch


def _match_manifest(
    manifest: dict[str, dict[str, str]], inputs: list[Input], source: str | None
) -> dict[str, dict[str, str]]:
    """Manifest rows by batch file name: a row names a file by its path under the root, or
    by its bare name when that is unique."""
    if not manifest:
        return {}
    by_name: dict[str, list[str]] = {}
    for item in inputs:
        by_name.setdefault(Path(item.file).name, []).append(item.file)
    out: dict[str, dict[str, str]] = {}
    for key, row in manifest.items():
        files = [
            i.file
            for i in inputs
            if i.file == key or i.file.endswith("/" + key) or key.endswith("/" + i.file)
        ]
        if not files and len(by_name.get(Path(key).name, [])) == 1:
            files = by_name[Path(key).name]
        for file in files:
            out[file] = row
    return out


__all__ = ["STATE_NAME", "BatchOptions", "JjnlpError", "collect", "run_batch"]
