"""One analysed document as the batch's compact record: identity, figures in long form,
findings located by page, paragraph and sentence, with content-anchored fingerprints."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jjnlp.batch.identity import apply_manifest, identify
from jjnlp.batch.model import DocRecord, Figure, Finding, Identity
from jjnlp.errors import JjnlpError
from jjnlp.model import Analysis, Metric
from jjnlp.model import Finding as DocumentFinding

if TYPE_CHECKING:
    from jjnlp.batch.package import Rendered
    from jjnlp.batch.similar import Sketch

# kinds of figure that are levels of activity (they add up and accumulate)
COUNTABLE = ("count", "money")


def file_hash(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def batch_fingerprint(identity: Identity, finding_fingerprint: str) -> str:
    """A finding's fingerprint in the batch: the reporting unit and period with the
    finding's own content fingerprint (rule, indicator, the words and figures of its
    phrase), so it survives a resubmission under another file name or with edits above."""
    key = f"{identity.unit}\x1f{identity.period_key or identity.period}\x1f{finding_fingerprint}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def _figure(metric: Metric, analysis: Analysis, sentence: str) -> Figure:
    period = metric.period
    parts = [r.target for r in metric.relations if r.kind == "part_of"]
    return Figure(
        indicator=metric.indicator,
        value=metric.value,
        unit=metric.unit,
        stated_unit=metric.stated_unit,
        text=metric.text,
        sentence=sentence,
        start=metric.start,
        end=metric.end,
        period=period.text if period else None,
        period_start=period.start_date.isoformat() if period and period.start_date else None,
        period_end=period.end_date.isoformat() if period and period.end_date else None,
        scope=metric.scope,
        kind=metric.kind,
        approx=metric.approx is not None,
        comparison=bool(period and period.comparison)
        or any(r.kind == "change_from" for r in metric.relations),
        part=any(analysis.metrics[t].indicator == metric.indicator for t in parts),
    )


class _Sentences:
    """The sentence around an offset (outline sentences, binary search)."""

    def __init__(self, analysis: Analysis) -> None:
        self.text = analysis.document.text
        self.spans = list(analysis.outline.sentences) if analysis.outline else []
        self.starts = [s.start for s in self.spans]

    def at(self, offset: int) -> str:
        k = bisect_right(self.starts, offset) - 1
        if k >= 0 and self.spans[k].start <= offset < max(self.spans[k].end, offset + 1):
            return self.spans[k].slice(self.text).strip()
        line_start = self.text.rfind("\n", 0, offset) + 1
        line_end = self.text.find("\n", offset)
        return self.text[line_start : line_end if line_end >= 0 else len(self.text)].strip()


def _finding(
    file: str, identity: Identity, finding: DocumentFinding, analysis: Analysis, where: _Sentences
) -> Finding:
    document = analysis.document
    block = document.block_at(finding.start)
    indicator = next(
        (m.indicator for m in analysis.metrics if (m.start, m.end) == (finding.start, finding.end)),
        None,
    )
    return Finding(
        file=file,
        rule=finding.rule,
        severity=finding.severity,
        message=finding.message,
        text=finding.text,
        sentence=where.at(finding.start),
        start=finding.start,
        end=finding.end,
        line=document.line_of(finding.start),
        page=block.page if block else None,
        paragraph=(block.index + 1) if block else 0,
        stated=finding.stated,
        expected=finding.expected,
        fingerprint=batch_fingerprint(identity, finding.fingerprint),
        indicator=indicator,
    )


def from_analysis(
    analysis: Analysis, file: str, sha256: str, manifest: Mapping[str, str] | None = None
) -> DocRecord:
    """The record of one analysed document (``file`` is its name in the batch)."""
    identity = identify(analysis)
    if manifest:
        identity = apply_manifest(identity, manifest)
    document = analysis.document
    where = _Sentences(analysis)
    outline = analysis.outline
    return DocRecord(
        file=file,
        path=document.path,
        sha256=sha256,
        format=document.format,
        identity=identity,
        title=outline.title.slice(document.text) if outline and outline.title else "",
        text=document.text,
        blocks=tuple((b.start, b.end, b.page) for b in document.blocks),
        figures=tuple(_figure(m, analysis, where.at(m.start)) for m in analysis.metrics),
        findings=tuple(_finding(file, identity, f, analysis, where) for f in analysis.findings),
        coverage=dict(analysis.coverage),
    )


def failed(file: str, path: str, sha256: str, error: JjnlpError, seconds: float = 0.0) -> DocRecord:
    """The record of a file that could not be analysed, with the reason."""
    return DocRecord(
        file=file,
        path=path,
        sha256=sha256,
        error={"code": error.code, "message": error.message},
        seconds=seconds,
    )


@dataclass(frozen=True, slots=True)
class Made:
    """What a batch worker makes of a document beside its record, in parallel with the
    other workers, so the batch's own process (one for all of them) does not: its page and
    Word copy, its near-duplicate sketch, its rows of findings.xlsx's figures sheet (pickled,
    passed on to the process writing the workbook as they are) and the record as the resume
    state stores it."""

    files: Rendered | None  # None: written into OUTDIR's staging folder
    sketch: Sketch
    figure_rows: bytes
    state: str


def finish_record(
    analysis: Analysis, context: tuple[str, str, Mapping[str, str] | None, str | None]
) -> tuple[DocRecord, Made]:
    """What a batch worker sends back for each file (:class:`jjnlp.workers.Workers`
    ``finish``): its record and what is made of it here; its files are written into the
    staging folder when the context names one (the package takes them unless the review
    changes the record)."""
    from jjnlp.batch.model import to_json
    from jjnlp.batch.package import render_document, stage
    from jjnlp.batch.similar import sketch
    from jjnlp.render.xlsx import pickled_figure_rows
    from jjnlp.workers import elapsed

    file, sha256, manifest, staging = context
    record = from_analysis(analysis, file, sha256, manifest)
    made = render_document(record, [], analysis.document)
    files = None if staging is not None and stage(Path(staging), file, made) else made
    rows = pickled_figure_rows(record)
    record.seconds = elapsed()
    spans = analysis.outline.sentences if analysis.outline else None
    return record, Made(files, sketch(record.text, spans), rows, to_json(record))
