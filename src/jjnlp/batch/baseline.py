"""The review loop: carry the reviewer's verdicts of the previous round forward.

A previous OUTDIR (its ``findings.jsonl``, with the reviewer's edited ``findings.xlsx``
when there is one) or an edited ``findings.xlsx`` alone gives each fingerprint a review
status and a note; each finding of this round is then new, unchanged or updated, and the
previous findings no longer found are listed as absent.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from jjnlp.audit.findings import Disambiguator
from jjnlp.batch.model import REVIEW_STATES, DocRecord, Finding, Status, finding_from_plain
from jjnlp.errors import BatchInputError

# the package's files of findings (a baseline is read from the first two)
FINDINGS_JSONL = "findings.jsonl"
FINDINGS_XLSX = "findings.xlsx"
FINDINGS_CSV = "findings.csv"
FINDINGS_SARIF = "findings.sarif"


@dataclasses.dataclass(slots=True)
class Baseline:
    findings: dict[str, Finding]  # fingerprint → the previous round's finding
    reviews: dict[str, tuple[str, str]]  # fingerprint → (review status, note)


def load_baseline(path: str | Path) -> Baseline:
    """A previous OUTDIR, or a reviewer's ``findings.xlsx``."""
    from jjnlp.render.xlsx import read_reviews

    path = Path(path)
    if path.is_dir():
        jsonl, xlsx = path / FINDINGS_JSONL, path / FINDINGS_XLSX
    elif path.suffix.lower() == ".xlsx":
        jsonl, xlsx = path.with_name(FINDINGS_JSONL), path
    else:
        raise BatchInputError(str(path), "基线应为上一轮的输出目录或审核过的 findings.xlsx")
    if not jsonl.is_file() and not xlsx.is_file():
        raise BatchInputError(str(path), "基线中没有 findings.jsonl 或 findings.xlsx")
    findings: dict[str, Finding] = {}
    if jsonl.is_file():
        try:
            for line in jsonl.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    finding = finding_from_plain(json.loads(line))
                    if finding.status != "absent":
                        findings[finding.fingerprint] = finding
        except (ValueError, TypeError, KeyError) as exc:
            raise BatchInputError(str(jsonl), f"基线意见文件格式错误（{exc}）") from exc
    reviews = {fp: (f.review, f.note) for fp, f in findings.items()}
    if xlsx.is_file():
        reviews.update(read_reviews(xlsx))
    return Baseline(findings, reviews)


class RoundReview:
    """This round's findings with their final fingerprints, their status and the reviewer's
    verdicts: each document's in the batch's order (:meth:`document`, as each is done, so
    its rows of findings.xlsx are written while the batch goes on), then the cross-document
    ones; then the previous round's findings that are gone (:meth:`absent`).

    A fingerprint seen before in the round gets its own (:class:`Disambiguator`), which
    depends only on the findings before it: reviewed one document at a time, the round is
    what it is reviewed all at once.
    """

    def __init__(self, baseline: Baseline | None = None) -> None:
        self.baseline = baseline
        self._unique = Disambiguator()
        self._documents: dict[str, tuple[Finding, ...]] = {}
        self._seen: set[str] = set()

    def document(self, record: DocRecord) -> tuple[Finding, ...]:
        """The document's findings reviewed: once for each file, in the batch's order."""
        if record.file not in self._documents:
            self._documents[record.file] = tuple(self._review(f) for f in record.findings)
        return self._documents[record.file]

    def cross(self, findings: list[Finding]) -> list[Finding]:
        """The cross-document findings reviewed, after every document's."""
        return [self._review(f) for f in findings]

    def absent(self) -> list[Finding]:
        """The previous round's findings not found in this one (status ``absent``)."""
        if self.baseline is None:
            return []
        reviews = self.baseline.reviews
        gone = []
        for fp, f in self.baseline.findings.items():
            if fp not in self._seen:
                review, note = reviews.get(fp, (f.review, f.note))
                gone.append(dataclasses.replace(f, status="absent", review=review, note=note))
        return gone

    def _review(self, finding: Finding) -> Finding:
        fingerprint = self._unique(finding.fingerprint)
        self._seen.add(fingerprint)
        finding = dataclasses.replace(finding, fingerprint=fingerprint)
        baseline = self.baseline
        if baseline is None:
            return finding
        before = baseline.findings.get(fingerprint)
        review, note = baseline.reviews.get(fingerprint, ("待核", ""))
        if review not in REVIEW_STATES:
            review = "待核"
        status: Status
        if before is None and fingerprint not in baseline.reviews:
            status = "new"
        elif before is not None and (before.message, before.stated, before.expected) != (
            finding.message,
            finding.stated,
            finding.expected,
        ):
            status = "updated"
        else:
            status = "unchanged"
        return dataclasses.replace(finding, status=status, review=review, note=note)
