"""A batch review as a SARIF 2.1.0 log, for code-scanning viewers and review tools.

One run: every finding of the round and the baseline's vanished ones as results, each with
its rule, place, stable fingerprint, baseline state and the reviewer's verdict. Offsets
(``charOffset``, ``charLength``) count Unicode code points in jjnlp's normalised text of the
document, not bytes of the file as stored. Built result by result (:class:`SarifLog`), so a
batch makes it as its documents are reviewed, not all after the last one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jjnlp.batch.model import Batch, DocRecord, Finding

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "jjnlp/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
REJECTED = "驳回"


def artifact_uri(file: str) -> str:
    """A batch-relative '/' separated file name as a relative URI reference.

    >>> artifact_uri("2024q1/东城区 工作报告.docx")
    '2024q1/%E4%B8%9C%E5%9F%8E%E5%8C%BA%20%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A.docx'
    """
    # ':' is encoded too, so a first segment such as "c:x" is never read as a scheme
    return quote(file, safe="/")


def _rule_docs() -> dict[str, tuple[str, str]]:
    """Registered rules, single- and cross-document: id → (description, default severity)."""
    from jjnlp.audit.engine import rules  # registers every rule; loaded only when needed
    from jjnlp.batch.crosscheck import CROSS_RULES

    known = {**rules(), **CROSS_RULES}
    return {rule_id: (rule.doc, rule.severity) for rule_id, rule in known.items()}


def _rule(f: Finding, doc: str, severity: str, description: str | None) -> dict[str, Any]:
    return {
        "id": f.rule,
        "shortDescription": {"text": description or doc or f.rule},
        "defaultConfiguration": {"level": LEVELS[severity]},
    }


def _artifact(file: str, record: DocRecord | None) -> dict[str, Any]:
    artifact: dict[str, Any] = {"location": {"uri": artifact_uri(file)}}
    if record is not None:
        artifact["roles"] = ["analysisTarget"]
        if record.sha256:
            artifact["hashes"] = {"sha-256": record.sha256}
    return artifact


def _location(f: Finding, index: int) -> dict[str, Any]:
    region: dict[str, Any] = {"charOffset": f.start, "charLength": f.end - f.start}
    if f.line >= 1:
        region["startLine"] = f.line
    if f.text:
        region["snippet"] = {"text": f.text}
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(f.file), "index": index},
            "region": region,
        }
    }


def _related(f: Finding, indices: Mapping[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "id": number,
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(file), "index": indices[file]}
            },
        }
        for number, file in enumerate(f.other_files)
    ]


def _result(f: Finding, rule_index: int, indices: Mapping[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [_location(f, indices[f.file])],
    }
    if f.other_files:
        result["relatedLocations"] = _related(f, indices)
    result["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    result["baselineState"] = f.status
    if f.review == REJECTED:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": f.note}
        ]
    result["properties"] = {
        "review": f.review,
        "note": f.note,
        "stated": f.stated,
        "expected": f.expected,
        "scope": f.scope,
        "indicator": f.indicator,
        "page": f.page,
        "paragraph": f.paragraph,
    }
    return result


def _notifications(batch: Batch) -> list[dict[str, Any]]:
    """Files that failed to read (errors) or were skipped (notes), as the run's notices."""
    out: list[dict[str, Any]] = []
    for record in batch.documents:
        if record.error is not None:
            out.append(_notification("error", record.error, record.file))
    for file, reason in batch.skipped:
        out.append(_notification("note", {"code": "skipped", "message": reason}, file))
    return out


def _notification(level: str, error: Mapping[str, str], file: str) -> dict[str, Any]:
    return {
        "level": level,
        "descriptor": {"id": error.get("code", "") or "error"},
        "message": {"text": error.get("message", "")},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(file)}}}],
    }


class SarifLog:
    """The log of one run, its results added in the order reported (a batch's documents' in
    input order, then the cross-document ones, then the vanished), then finished with what
    only the whole batch gives (:meth:`log`).

    ``documents``: the batch's files, in order (the first artifacts; every other file a
    finding names follows, each once). ``descriptions`` gives rule id → one-line description
    for rules the audit registry does not know (the cross-document ones) or to override a
    registered rule's; otherwise a rule is described by its docstring's first line, or by
    its id. Rules are listed once each, in the order they first have a result.
    """

    def __init__(
        self, documents: Sequence[str], descriptions: Mapping[str, str] | None = None
    ) -> None:
        self._descriptions = descriptions or {}
        self._registered = _rule_docs()
        self._rules: dict[str, int] = {}
        self._descriptors: list[dict[str, Any]] = []
        self._indices = {file: number for number, file in enumerate(dict.fromkeys(documents))}
        self._results: list[dict[str, Any]] = []

    def add(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            if f.rule not in self._rules:
                doc, severity = self._registered.get(f.rule, (f.rule, f.severity))
                self._rules[f.rule] = len(self._descriptors)
                self._descriptors.append(_rule(f, doc, severity, self._descriptions.get(f.rule)))
            for file in (f.file, *f.other_files):
                self._indices.setdefault(file, len(self._indices))
            self._results.append(_result(f, self._rules[f.rule], self._indices))

    def log(self, batch: Batch) -> dict[str, Any]:
        """The SARIF 2.1.0 log (a JSON-ready dict): ``batch`` gives the documents' hashes and
        failures, the skipped files, the version and the configuration's hash."""
        records = {r.file: r for r in batch.documents}
        driver: dict[str, Any] = {"name": "jjnlp", "language": "zh-CN", "rules": self._descriptors}
        if batch.version:
            driver["version"] = batch.version
        run: dict[str, Any] = {
            "tool": {"driver": driver},
            "invocations": [
                {"executionSuccessful": True, "toolExecutionNotifications": _notifications(batch)}
            ],
            "artifacts": [_artifact(file, records.get(file)) for file in self._indices],
            "results": self._results,
            "columnKind": "unicodeCodePoints",
        }
        if batch.config_hash:
            run["properties"] = {"configHash": batch.config_hash}
        return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}

    def write(self, batch: Batch, path: Path) -> None:
        """Write :meth:`log` to ``path`` as UTF-8 JSON (Chinese kept as is), compact: a log
        is read by tools, and an indented one goes through the json module's Python encoder
        (about a second per thousand reports) instead of its C one."""
        text = json.dumps(self.log(batch), ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")


def sarif_log(batch: Batch, descriptions: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The batch as one SARIF 2.1.0 log (a JSON-ready dict): every finding of the round,
    then the baseline's vanished ones."""
    return _built(batch, descriptions).log(batch)


def _built(batch: Batch, descriptions: Mapping[str, str] | None) -> SarifLog:
    log = SarifLog([r.file for r in batch.documents], descriptions)
    log.add([*batch.findings(), *batch.absent])
    return log


def write_sarif(batch: Batch, path: Path, descriptions: Mapping[str, str] | None = None) -> None:
    """Write the batch's :func:`sarif_log` to ``path`` (:meth:`SarifLog.write`)."""
    _built(batch, descriptions).write(batch, path)
