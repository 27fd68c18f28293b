"""Run the enabled rules over one analysed document; count what was checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import jjnlp.audit.rules  # noqa: F401  (the engine loads every rule, so each is known by id)
from jjnlp.audit.context import AuditContext
from jjnlp.audit.findings import disambiguate, finalise
from jjnlp.audit.registry import RULES, SEVERITIES, Rule
from jjnlp.config import Choice
from jjnlp.errors import ConfigError
from jjnlp.model import Analysis, Finding
from jjnlp.pipeline import stage

__all__ = ["SEVERITIES", "annotate", "default_config", "rules", "run_audit"]


def rules() -> dict[str, Rule]:
    """Every audit rule by id."""
    return RULES


def default_config() -> dict[str, Any]:
    """The audit's options: every rule's section, the rules to run, the lowest severity."""
    return {
        "rules": {rule_id: rule.default_config for rule_id, rule in RULES.items()},
        # only these rules (empty: all of them)
        "only": [],
        "min_severity": Choice("info", SEVERITIES),
    }


def _selected(config: Mapping[str, Any]) -> set[str]:
    only = [r for r in config.get("only", []) if r]
    unknown = [r for r in only if r not in RULES]
    if unknown:
        raise ConfigError("配置", f"未知的规则：{'、'.join(unknown)}（可用：{'、'.join(RULES)}）")
    return set(only) if only else set(RULES)


# why the tool is unsure of the text a finding stands on, by the metadata key that says so
UNCERTAIN = {
    "revised_units": "该处文字含修订痕迹中插入的内容，修订尚未定稿，请先核对修订",
    "ocr_units": "该处文字由文字识别（OCR）得到，可能是识别错误而非原文错误",
}


def _own_uncertainty(analysis: Analysis, finding: Finding) -> Finding:
    """A finding on text the tool itself is unsure of says so and is at most a warning."""
    for key, reason in UNCERTAIN.items():
        if analysis.document.flagged(finding.start, key):
            severity = "warning" if finding.severity == "error" else finding.severity
            return replace(finding, severity=severity, message=f"{finding.message}（{reason}）")
    return finding


def run_audit(
    analysis: Analysis, config: Mapping[str, Any] | None = None
) -> tuple[list[Finding], dict[str, int]]:
    """Findings in document order and the coverage counts.

    ``config`` is the audit's section (see :func:`default_config`); a partial one is
    merged onto the defaults and checked, as the pipeline does."""
    from jjnlp.pipeline import configure

    return _audit(analysis, configure(("audit",), {"audit": dict(config or {})})["audit"])


def _audit(analysis: Analysis, section: Mapping[str, Any]) -> tuple[list[Finding], dict[str, int]]:
    """:func:`run_audit` with the section merged and checked already (the pipeline's)."""
    if analysis.outline is None:
        raise ValueError("the audit needs the structure stage")
    ctx = AuditContext(
        analysis.document,
        analysis.outline,
        analysis.metrics,
        section,
        cases=analysis.cases,
        tables=analysis.tables,
    )
    floor = SEVERITIES.index(section["min_severity"])
    findings: list[Finding] = []
    indicators = {(m.start, m.end): m.indicator for m in analysis.metrics}
    for rule_id in sorted(_selected(section), key=list(RULES).index):
        options = ctx.options(rule_id)
        if not options["enabled"]:
            continue
        for draft in RULES[rule_id].fn(ctx):
            finding = _own_uncertainty(
                analysis,
                finalise(
                    rule_id,
                    options["severity"],
                    draft,
                    ctx.text,
                    indicators.get((draft.start, draft.end), ""),
                ),
            )
            if SEVERITIES.index(finding.severity) >= floor:
                findings.append(finding)
    findings.sort(key=lambda f: (f.start, f.rule))
    unique = disambiguate([f.fingerprint for f in findings])
    findings = [replace(f, fingerprint=u) for f, u in zip(findings, unique, strict=True)]
    checked = set().union(*ctx.checked.values()) if ctx.checked else set()
    coverage = {"figures_found": len(analysis.metrics), "figures_checked": len(checked)}
    coverage.update({f"checked_by_{rule}": len(ids) for rule, ids in sorted(ctx.checked.items())})
    return findings, coverage


@stage(
    "audit",
    requires=("structure", "metrics", "cases"),
    assigns=("findings", "coverage"),
    default_config=default_config(),
)
def annotate(analysis: Analysis, config: Mapping[str, Any]) -> None:
    analysis.findings, analysis.coverage = _audit(analysis, config)
