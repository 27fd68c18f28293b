"""What every subcommand shares: flags, one pipeline per run, per-file errors, output.

A command builds a configuration from its flags, makes one :class:`~jjnlp.pipeline.Pipeline`
and runs it file by file; a file that cannot be read or analysed is reported (on stderr,
and as an ``error`` entry in JSON) and the run goes on with the next.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from jjnlp.errors import JjnlpError
from jjnlp.model import Analysis

if TYPE_CHECKING:
    from jjnlp.pipeline import Pipeline

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


def add_files(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument(
        "files",
        nargs="+" if required else "*",
        metavar="FILE",
        help="txt/docx/pdf 文件，或 doc/wps/rtf/odt（需 LibreOffice）",
    )


def add_format(
    parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("text", "json")
) -> None:
    parser.add_argument("--format", choices=choices, default=choices[0], help="输出格式")


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE.toml",
        help="TOML 配置文件，按阶段分节，如 [audit.rules.rate]（见 README“配置”）",
    )


def add_store(parser: argparse.ArgumentParser) -> None:
    from jjnlp.store import DEFAULT_STORE

    parser.add_argument(
        "--store",
        default=DEFAULT_STORE,
        metavar="STORE",
        help="数据库：SQLite 文件（默认 %(default)s）或 postgresql://用户@主机:端口/库名",
    )


def add_limits(parser: argparse.ArgumentParser) -> None:
    """How files are processed: worker processes, each file under a time and memory limit."""
    from jjnlp.workers import DEFAULT_MEMORY_MB, DEFAULT_SECONDS

    group = parser.add_argument_group("处理限制（每个文件在单独的进程中处理）")
    group.add_argument("--jobs", type=int, default=1, help="同时处理的文件数（默认 1）")
    group.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_SECONDS,
        help="单个文件的处理时限，秒（默认 %(default)g）",
    )
    group.add_argument(
        "--memory-limit",
        type=int,
        default=DEFAULT_MEMORY_MB,
        metavar="MB",
        help="单个文件的内存上限，MB（默认 %(default)d；Windows 上不生效）",
    )


def add_ocr(parser: argparse.ArgumentParser) -> None:
    """``--ocr auto|always|never``: when pages are read by OCR (``[read] ocr``)."""
    from jjnlp.readers.limits import OCR_MODES

    parser.add_argument(
        "--ocr",
        choices=OCR_MODES,
        help=(
            "文字识别（OCR）：auto 只识别没有文字层的页面（扫描件、图片；默认），"
            'always 每页都识别，never 不识别（需安装 pip install "jjnlp[ocr]"）'
        ),
    )


def read_overrides(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """The ``[read]`` options given as flags (``--ocr``), to put over the configuration."""
    ocr = getattr(args, "ocr", None)
    return {"read": {"ocr": ocr}} if ocr else {}


def add_document_arguments(parser: argparse.ArgumentParser) -> None:
    """``FILE...``, ``--format text|json|jsonl``, ``--config``, ``--ocr`` and the processing
    limits."""
    add_files(parser)
    add_format(parser, ("text", "json", "jsonl"))
    add_config(parser)
    add_ocr(parser)
    add_limits(parser)


def report_error(error: JjnlpError) -> None:
    print(f"错误：{error}", file=sys.stderr)


def pipeline(
    args: argparse.Namespace, stages: tuple[str, ...], overrides: Mapping[str, Any] | None = None
) -> Pipeline:
    """The run's pipeline, checked here before any file is read: ``--config`` (if given)
    with the reading flags (``--ocr``) and the command's flag ``overrides`` on top."""
    from jjnlp.config import read_toml
    from jjnlp.pipeline import Pipeline

    source = getattr(args, "config", None)
    config: dict[str, Any] = read_toml(source) if source else {}
    for name, section in {**read_overrides(args), **(overrides or {})}.items():
        config[name] = {**config.get(name, {}), **section}
    return Pipeline(stages, config, source or "命令行参数")


def analyses(
    args: argparse.Namespace, nlp: Pipeline
) -> Iterator[tuple[str, Analysis | JjnlpError]]:
    """Analyse each file in a worker process under the run's limits, in the order given;
    a file that fails is reported and yields its error, and the run goes on."""
    from jjnlp.workers import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Limits, Workers

    limits = Limits(
        getattr(args, "timeout", DEFAULT_SECONDS), getattr(args, "memory_limit", DEFAULT_MEMORY_MB)
    )
    workers = Workers(
        nlp.stages,
        dict(nlp.config or {}),
        nlp.source,
        jobs=getattr(args, "jobs", 1),
        limits=limits,
        debug=debug_enabled(),
    )
    with workers:
        for outcome in workers.map(args.files):
            if outcome.error is not None:
                report_error(outcome.error)
                yield outcome.path, outcome.error
            else:
                assert outcome.analysis is not None
                yield outcome.path, outcome.analysis


def debug_enabled() -> bool:
    """``--debug`` (or ``JJNLP_DEBUG=1``): tracebacks for internal errors."""
    import os

    return os.environ.get("JJNLP_DEBUG", "") not in ("", "0")


def write_json(payload: Any) -> None:
    from jjnlp.output import stream_errors, writable

    with stream_errors():
        stream = writable(sys.stdout)
        stream.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        stream.flush()


def write_line(payload: Any) -> None:
    """One JSON object on one line (``--format jsonl``), flushed at once."""
    from jjnlp.output import stream_errors, writable

    with stream_errors():
        stream = writable(sys.stdout)
        stream.write(json.dumps(payload, ensure_ascii=False) + "\n")
        stream.flush()


class Results:
    """Per-file JSON entries: streamed one line each (jsonl), or kept for one object at the
    end (json) — a failed file is an entry too, so no result is lost to another's failure."""

    def __init__(self, payload: str, fmt: str) -> None:
        self.payload, self.format = payload, fmt
        self.entries: list[dict[str, Any]] = []

    def add(self, entry: dict[str, Any]) -> None:
        if self.format == "jsonl":
            from jjnlp.render.json import schema

            write_line({"schema": schema(self.payload), **entry})
        else:
            self.entries.append(entry)

    def close(self) -> None:
        if self.format == "json":
            from jjnlp.render.json import envelope

            write_json(envelope(self.payload, self.entries))


def exit_code(failures: list[JjnlpError]) -> int:
    """3 if any failure is a bug of jjnlp's, 2 if a file could not be processed, else 0."""
    from jjnlp.errors import InternalError

    if any(isinstance(error, InternalError) for error in failures):
        return EXIT_INTERNAL
    return EXIT_BAD_INPUT if failures else EXIT_OK


def run_per_document(
    args: argparse.Namespace,
    payload: str,
    stages: tuple[str, ...],
    listing: Callable[[str, Analysis], str],
    overrides: Mapping[str, Any] | None = None,
) -> int:
    """Analyse each file and print it as the ``payload`` JSON or for people (``listing``)."""
    from jjnlp.render.json import error_payload, file_payload

    try:
        nlp = pipeline(args, stages, overrides)
    except JjnlpError as error:
        report_error(error)
        return EXIT_BAD_INPUT
    failures: list[JjnlpError] = []
    results = Results(payload, args.format)
    for path, result in analyses(args, nlp):
        if isinstance(result, JjnlpError):
            failures.append(result)
            results.add(error_payload(path, result))
        elif args.format == "text":
            write_text(listing(path, result))
        else:
            results.add(file_payload(result, payload))
    results.close()
    return exit_code(failures)


def write_text(text: str) -> None:
    from jjnlp.output import stream_errors, writable

    with stream_errors():
        stream = writable(sys.stdout)
        stream.write(text + "\n")
        stream.flush()


class ProgressDisplay:
    """A rich progress bar on a terminal; plain log lines otherwise (or nothing, --quiet)."""

    def __init__(self, quiet: bool, label: str = "审核") -> None:
        self.quiet = quiet
        self.label = label
        self.failed = 0
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> ProgressDisplay:
        if not self.quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn(self.label),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} 份/秒"),
                TextColumn("剩余"),
                TimeRemainingColumn(),
                TextColumn("失败 {task.fields[failed]}"),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("batch", total=None, rate="-", failed=0)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, record: Any, done: int, total: int) -> None:
        self.failed += record.failed
        rate = done / max(time.monotonic() - self.started, 1e-6)
        if self.bar is not None:
            self.bar.update(
                self.task, completed=done, total=total, rate=f"{rate:.1f}", failed=self.failed
            )
        elif not self.quiet:
            state = f"失败：{record.error['message']}" if record.failed else "完成"
            print(
                f"[{done}/{total}] {record.file} {state}（{rate:.1f} 份/秒）",
                file=sys.stderr,
                flush=True,
            )
