"""Gold annotation files (format: corpora/README.md) and locating their spans."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from jjnlp.errors import GoldError
from jjnlp.model import Document, Span

LOST = Span(-1, -1)  # overlaps and equals no span of a text


@dataclass
class GoldDoc:
    """One gold file, its source document read by jjnlp's own reader."""

    path: Path  # the gold JSON
    data: dict[str, Any]
    source: Path  # the document the gold describes (txt, or a generated docx/pdf)
    twin: bool = False  # the source is a generated twin: what its reader lost is a miss
    lost: list[str] = field(default_factory=list)  # gold spans the twin's text does not hold
    _document: Document | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", "work_report"))

    @cached_property
    def document(self) -> Document:
        from jjnlp.readers import read

        return read(str(self.source))

    def locate(self, entry: dict[str, Any]) -> Span:
        """The span of a gold entry given by ``text`` and ``context`` or ``nth``.

        On a twin a span its reader lost is :data:`LOST` (it matches nothing, so it counts
        as a miss) and is listed in ``lost``; on the gold's own source it is a GoldError."""
        try:
            return self._locate(entry)
        except GoldError as error:
            if not self.twin:
                raise
            self.lost.append(error.message)
            return LOST

    def _locate(self, entry: dict[str, Any]) -> Span:
        text = self.document.text
        surface = str(entry["text"])
        context = entry.get("context")
        if context:
            at = text.find(context)
            if at < 0 or text.find(context, at + 1) >= 0:
                where = "不存在" if at < 0 else "不唯一"
                raise GoldError(str(self.path), f"context「{context}」在正文中{where}")
            inner = context.find(surface)
            if inner < 0:
                raise GoldError(str(self.path), f"「{surface}」不在其 context「{context}」中")
            return Span(at + inner, at + inner + len(surface))
        nth = int(entry.get("nth", 0))
        at = -1
        for _ in range(nth + 1):
            at = text.find(surface, at + 1)
            if at < 0:
                raise GoldError(str(self.path), f"「{surface}」第{nth + 1}次出现未找到")
        return Span(at, at + len(surface))

    def occurrences(self, surface: str) -> list[Span]:
        """Every occurrence of ``surface`` in the text (entity gold is per string)."""
        text = self.document.text
        spans: list[Span] = []
        at = 0
        while True:
            at = text.find(surface, at)
            if at < 0:
                return spans
            spans.append(Span(at, at + len(surface)))
            at += 1


@dataclass
class GoldSet:
    """The gold documents to score, and the ids of those skipped because the requested
    twin format was not generated for them."""

    docs: list[GoldDoc]
    skipped: list[str] = field(default_factory=list)


def load_gold_dir(gold_dir: str, source_format: str = "txt") -> GoldSet:
    """All gold files under ``gold_dir``; sources resolve against its parent folder.

    ``source_format`` other than ``txt`` reads the generated twin
    (``generated/<id>.<format>``) so the same gold scores the docx, pdf, ofd … readers; a
    document with no such twin is skipped (``skipped``), not failed: some formats are
    generated for a few documents only. Raises GoldError when none is left.
    """
    root = Path(gold_dir)
    if not root.is_dir():
        raise GoldError(gold_dir, "金标准目录不存在")
    golds = []
    skipped = []
    paths = sorted(root.glob("*.json"))
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise GoldError(str(path), f"无法解析：{exc}") from exc
        source = root.parent / data["source"]
        twin = source_format != "txt"
        if twin:
            source = root.parent / "generated" / f"{data['id']}.{source_format}"
            if not source.exists():
                skipped.append(str(data["id"]))
                continue
        golds.append(GoldDoc(path=path, data=data, source=source, twin=twin))
    if not paths:
        raise GoldError(gold_dir, "目录中没有金标准文件（*.json）")
    if not golds:
        raise GoldError(
            gold_dir,
            f"没有一篇金标准文档有 {source_format} 孪生文件（generated/<id>.{source_format}）",
        )
    return GoldSet(golds, skipped)
