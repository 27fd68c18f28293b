"""A batch review as a SARIF 2.1.0 log, for code-scanning viewers and review tools.

One run: every finding of the round and the baseline's vanished ones as results, each with
its rule, place, stable fingerprint, baseline state and the reviewer's verdict. Offsets
(``charOffset``, ``charLength``) count Unicode code points in jjnlp's normalised text of the
document, not bytes of the file as stored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
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


def _reported(batch: Batch) -> list[Finding]:
    return [*batch.findings(), *batch.absent]


def _rules(findings: list[Finding], descriptions: Mapping[str, str]) -> list[dict[str, Any]]:
    """One descriptor per rule that has a result, in the order rules first appear."""
    registered = _rule_docs()
    out: dict[str, dict[str, Any]] = {}
    for f in findings:
        if f.rule in out:
            continue
        doc, severity = registered.get(f.rule, (f.rule, f.severity))
        out[f.rule] = {
            "id": f.rule,
            "shortDescription": {"text": descriptions.get(f.rule) or doc or f.rule},
            "defaultConfiguration": {"level": LEVELS[severity]},
        }
    return list(out.values())


def _files(batch: Batch, findings: list[Finding]) -> list[str]:
    """Every document of the batch, then any other file a finding names, each once."""
    named = [file for f in findings for file in (f.file, *f.other_files)]
    return list(dict.fromkeys([r.file for r in batch.documents] + named))


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


def sarif_log(batch: Batch, descriptions: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The batch as one SARIF 2.1.0 log (a JSON-ready dict).

    ``descriptions`` gives rule id → one-line description for rules the audit registry does
    not know (the cross-document ones) or to override a registered rule's; otherwise a rule is
    described by its docstring's first line, or by its id.
    """
    findings = _reported(batch)
    rules = _rules(findings, descriptions or {})
    rule_index = {rule["id"]: number for number, rule in enumerate(rules)}
    files = _files(batch, findings)
    records = {r.file: r for r in batch.documents}
    indices = {file: number for number, file in enumerate(files)}
    driver: dict[str, Any] = {"name": "jjnlp", "language": "zh-CN", "rules": rules}
    if batch.version:
        driver["version"] = batch.version
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [
            {"executionSuccessful": True, "toolExecutionNotifications": _notifications(batch)}
        ],
        "artifacts": [_artifact(file, records.get(file)) for file in files],
        "results": [_result(f, rule_index[f.rule], indices) for f in findings],
        "columnKind": "unicodeCodePoints",
    }
    if batch.config_hash:
        run["properties"] = {"configHash": batch.config_hash}
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def write_sarif(batch: Batch, path: Path, descriptions: Mapping[str, str] | None = None) -> None:
    """Write :func:`sarif_log` to ``path`` as UTF-8 JSON (Chinese kept as is), compact: a
    log is read by tools, and an indented one goes through the json module's Python encoder
    (about a second per thousand reports) instead of its C one."""
    text = json.dumps(sarif_log(batch, descriptions), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
