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

from jjnlp.batch.model import REVIEW_STATES, Finding, Status, finding_from_plain
from jjnlp.errors import BatchInputError

FINDINGS_JSONL = "findings.jsonl"
FINDINGS_XLSX = "findings.xlsx"


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


def carry_over(
    findings: list[Finding], baseline: Baseline | None
) -> tuple[list[Finding], list[Finding]]:
    """This round's findings with their status and the reviewer's verdicts, and the
    previous findings that are gone (status ``absent``)."""
    if baseline is None:
        return findings, []
    out = []
    for finding in findings:
        before = baseline.findings.get(finding.fingerprint)
        review, note = baseline.reviews.get(finding.fingerprint, ("待核", ""))
        if review not in REVIEW_STATES:
            review = "待核"
        status: Status
        if before is None and finding.fingerprint not in baseline.reviews:
            status = "new"
        elif before is not None and (before.message, before.stated, before.expected) != (
            finding.message,
            finding.stated,
            finding.expected,
        ):
            status = "updated"
        else:
            status = "unchanged"
        out.append(dataclasses.replace(finding, status=status, review=review, note=note))
    seen = {f.fingerprint for f in findings}
    absent = [
        dataclasses.replace(
            f,
            status="absent",
            review=baseline.reviews.get(fp, (f.review, f.note))[0],
            note=baseline.reviews.get(fp, (f.review, f.note))[1],
        )
        for fp, f in baseline.findings.items()
        if fp not in seen
    ]
    return out, absent
