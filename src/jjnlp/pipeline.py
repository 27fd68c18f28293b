"""One document from file to findings: read once, then run the stages in order.

Each stage declares itself beside its code, as spaCy factories do::

    @stage("metrics", requires=("structure",), assigns=("metrics", "terms"))
    def annotate(analysis, config): ...

``requires`` names the stages it reads, ``assigns`` the :class:`~jjnlp.model.Analysis`
fields it fills, ``default_config`` its options (see :mod:`jjnlp.config`). A stage named
``x`` lives in the package ``jjnlp.x``, imported only when asked for, so asking for the
outline never loads spaCy.

>>> from jjnlp.model import Document
>>> analysis = run(Document.from_text("立案72件，结案54件，结案率80%。"), ("audit",))
>>> [f.expected for f in analysis.findings]
['75.0%']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from jjnlp.config import merge
from jjnlp.errors import ConfigError, JjnlpError
from jjnlp.model import Analysis, Document

# every stage, in the order they run (a stage's requirements come before it)
ORDER = ("structure", "metrics", "entities", "cases", "problems", "audit")
# the configuration section of the readers' limits (jjnlp.readers.limits)
READ = "read"

StageFn = Callable[[Analysis, Mapping[str, Any]], None]
ManyFn = Callable[[list[Analysis], Mapping[str, Any]], None]


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    default_config: Mapping[str, Any]
    fn: StageFn
    many: ManyFn | None = None  # the same work over many documents at once (nlp.pipe)


_REGISTERED: dict[str, Stage] = {}


def stage(
    name: str,
    *,
    requires: tuple[str, ...] = (),
    assigns: tuple[str, ...],
    default_config: Mapping[str, Any] | None = None,
    many: ManyFn | None = None,
) -> Callable[[StageFn], StageFn]:
    """Register ``fn(analysis, config)`` as the stage ``name`` (the package ``jjnlp.name``)."""
    if name not in ORDER:
        raise ValueError(f"stage {name!r} is not in pipeline.ORDER")

    def register(fn: StageFn) -> StageFn:
        _REGISTERED[name] = Stage(name, requires, assigns, dict(default_config or {}), fn, many)
        return fn

    return register


def get_stage(name: str) -> Stage:
    """The stage ``name``, its package imported on first use."""
    if name not in _REGISTERED:
        if name not in ORDER:
            raise ConfigError("配置", f"未知的分析阶段：{name}（可用：{'、'.join(ORDER)}）")
        importlib.import_module(f"jjnlp.{name}")
    return _REGISTERED[name]


def resolve(stages: Iterable[str] | None) -> tuple[str, ...]:
    """The requested stages plus what they require, in pipeline order."""
    wanted = set(ORDER if stages is None else stages)
    pending = list(wanted)
    while pending:
        for dep in get_stage(pending.pop()).requires:
            if dep not in wanted:
                wanted.add(dep)
                pending.append(dep)
    return tuple(name for name in ORDER if name in wanted)


def configure(
    stages: Sequence[str], config: Mapping[str, Any] | None, source: str = "配置"
) -> dict[str, Any]:
    """Each stage's section: its defaults with the user's ``config[stage]`` merged onto them.

    A section for a stage that does not run is still checked (a misspelt key is an
    error whether or not that stage runs), and so is its name."""
    from jjnlp.readers.limits import DEFAULT_CONFIG as READ_DEFAULTS

    config = config or {}
    for name in config:
        if name not in ORDER and name != READ:
            known = "、".join((READ, *ORDER))
            raise ConfigError(source, f"未知的配置节 [{name}]（可用：{known}）")
    checked = set(stages) | set(config)
    sections = {READ: merge(READ_DEFAULTS, config.get(READ, {}), READ, source)}
    sections.update(
        {
            name: merge(get_stage(name).default_config, config.get(name, {}), name, source)
            for name in ORDER
            if name in checked
        }
    )
    return sections


@contextmanager
def _in_stage(name: str) -> Iterator[None]:
    """An unexpected exception leaves with the stage it came from (``exc.jjnlp_stage``),
    so an internal error can say where it happened."""
    try:
        yield
    except JjnlpError:
        raise
    except Exception as exc:
        if not hasattr(exc, "jjnlp_stage"):
            exc.jjnlp_stage = name  # type: ignore[attr-defined]
        raise


@dataclass(slots=True)
class Pipeline:
    """Stages and their configuration, resolved and checked once; then run on documents.

    >>> nlp = Pipeline(("structure", "metrics"))  # doctest: +SKIP
    >>> [m.text for m in nlp(document).metrics]   # doctest: +SKIP
    """

    stages: tuple[str, ...] | None = None
    config: Mapping[str, Any] | None = None
    source: str = "配置"  # names the file the config came from, in errors
    names: tuple[str, ...] = field(init=False)
    sections: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.names = resolve(self.stages)
        self.sections = configure(self.names, self.config, self.source)

    def read(self, path: str) -> Document:
        """Read ``path`` under the configured reading limits (``[read]``)."""
        from jjnlp.readers import ReadLimits, read

        return read(path, ReadLimits.from_config(self.sections[READ]))

    def __call__(self, document: Document) -> Analysis:
        analysis = Analysis(document=document)
        for name in self.names:
            with _in_stage(name):
                get_stage(name).fn(analysis, self.sections[name])
            analysis.stages.append(name)
        return analysis

    def pipe(self, documents: Iterable[Document]) -> list[Analysis]:
        """Many documents at once: stages that can batch (entities, through ``nlp.pipe``) do."""
        analyses = [Analysis(document=d) for d in documents]
        for name in self.names:
            current = get_stage(name)
            with _in_stage(name):
                if current.many is not None:
                    current.many(analyses, self.sections[name])
                else:
                    for analysis in analyses:
                        current.fn(analysis, self.sections[name])
            for analysis in analyses:
                analysis.stages.append(name)
        return analyses


def run(
    document: Document,
    stages: Iterable[str] | None = None,
    config: Mapping[str, Any] | None = None,
) -> Analysis:
    """Run ``stages`` (all by default, plus what they require) with ``config`` on ``document``."""
    return Pipeline(None if stages is None else tuple(stages), config)(document)


def run_many(
    documents: Iterable[Document],
    stages: Iterable[str] | None = None,
    config: Mapping[str, Any] | None = None,
) -> list[Analysis]:
    """:func:`run` over many documents, batching where a stage can."""
    return Pipeline(None if stages is None else tuple(stages), config).pipe(documents)


def analyze(
    path: str, stages: Iterable[str] | None = None, config: Mapping[str, Any] | None = None
) -> Analysis:
    nlp = Pipeline(None if stages is None else tuple(stages), config)
    return nlp(nlp.read(path))
