"""Run the cross-document rules over a batch's records: findings with fingerprints, and
the similar pairs the summary shows."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import jjnlp.batch.similar  # noqa: F401  (registers the duplicate rules)
from jjnlp.batch.model import DocRecord, Finding, Similar
from jjnlp.batch.records import batch_fingerprint
from jjnlp.batch.rules import CROSS_RULES, CrossContext
from jjnlp.batch.similar import Signatures, similar_pairs
from jjnlp.config import merge


def default_config() -> dict[str, Any]:
    """``[batch.rules.<id>]``: each cross-document rule's options."""
    return {"rules": {rule_id: rule.default_config for rule_id, rule in CROSS_RULES.items()}}


def configure(section: Mapping[str, Any] | None, source: str = "配置") -> dict[str, Any]:
    user = dict(section or {})
    rules = merge(
        {k: dict(v) for k, v in default_config()["rules"].items()},
        {},
        "batch.rules",
        source,
    )
    for rule_id, options in dict(user.pop("rules", {})).items():
        if rule_id not in rules:
            merge(rules, {rule_id: options}, "batch.rules", source)  # names the unknown rule
        rules[rule_id] = merge(rules[rule_id], options, f"batch.rules.{rule_id}", source)
    merge({}, user, "batch", source)  # anything else under [batch] is unknown
    return {"rules": rules}


def _content_key(record: DocRecord, finding: Finding, documents: dict[str, DocRecord]) -> str:
    """What a cross-document finding is about: rule, indicator, the stated figure and the
    other units and periods (never files or offsets)."""
    others = sorted(
        f"{documents[f].identity.unit}/{documents[f].identity.period_key}"
        for f in finding.other_files
        if f in documents
    )
    key = "\x1f".join((finding.rule, finding.indicator or "", finding.stated or "", *others))
    return batch_fingerprint(record.identity, hashlib.sha1(key.encode()).hexdigest()[:16])


def run_cross(
    documents: list[DocRecord],
    config: Mapping[str, Any] | None = None,
    signatures: Signatures | None = None,
) -> tuple[list[Finding], list[Similar]]:
    """Cross-document findings in rule then file order, and every similar pair
    (``signatures``: the documents' MinHashes computed so far)."""
    section = configure(config)
    usable = [r for r in documents if not r.failed]
    ctx = CrossContext(usable, section["rules"], signatures=signatures)
    by_file = {r.file: r for r in usable}
    findings: list[Finding] = []
    for rule_id, rule in CROSS_RULES.items():
        if not ctx.options(rule_id)["enabled"]:
            continue
        finding: Finding
        for finding in rule.fn(ctx):
            key = _content_key(by_file[finding.file], finding, by_file)
            findings.append(dataclasses.replace(finding, fingerprint=key))
    findings.sort(key=lambda f: (list(CROSS_RULES).index(f.rule), f.file, f.start))
    similar = list(similar_pairs(ctx)) if ctx.options("near_duplicate")["enabled"] else []
    similar += _identical(usable)
    return findings, similar


def _identical(documents: list[DocRecord]) -> list[Similar]:
    first: dict[str, DocRecord] = {}
    out = []
    for record in documents:
        if record.sha256 in first:
            other = first[record.sha256].file
            out.append(Similar(record.file, other, similarity=Decimal("1.000"), identical=True))
        else:
            first[record.sha256] = record
    return out
