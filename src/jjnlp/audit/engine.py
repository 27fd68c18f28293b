"""Run the enabled rules over one analysed document; count what was checked."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jjnlp.audit.context import AuditContext
from jjnlp.audit.findings import finalise
from jjnlp.audit.registry import RULES
from jjnlp.errors import ConfigError
from jjnlp.model import Analysis, Finding
from jjnlp.resources import load_toml

SCHEMA = "jjnlp.audit/1"
SEVERITIES = ("info", "warning", "error")


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_config(path: str | None = None) -> dict[str, Any]:
    """The default configuration, overridden by a user's TOML file if given."""
    import jjnlp.audit.rules  # noqa: F401  (registers the rules)

    config = copy.deepcopy(load_toml("audit.toml"))  # callers may change it; the cache must not
    if path is None:
        return config
    try:
        user = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(path, f"无法读取配置文件（{exc.strerror}）") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"配置文件不是合法的 TOML：{exc}") from exc
    unknown = set(user.get("rules", {})) - set(RULES)
    if unknown:
        raise ConfigError(
            path, f"未知的规则：{'、'.join(sorted(unknown))}（可用：{'、'.join(RULES)}）"
        )
    return _merge(config, user)


def run_audit(
    analysis: Analysis, config: dict[str, Any] | None = None, rules: Iterable[str] | None = None
) -> tuple[list[Finding], dict[str, int]]:
    """Findings in document order and the coverage counts."""
    config = config or load_config()
    if analysis.outline is None:
        raise ValueError("the audit needs the structure stage")
    ctx = AuditContext(analysis.document, analysis.outline, analysis.metrics, config)
    selected = set(rules) if rules is not None else set(RULES)
    findings: list[Finding] = []
    for rule_id, rule in RULES.items():
        if rule_id not in selected or not ctx.options(rule_id).get("enabled", True):
            continue
        for draft in rule.fn(ctx):
            findings.append(finalise(rule_id, rule.severity, draft, ctx.text))
    findings.sort(key=lambda f: (f.start, f.rule))
    checked = set().union(*ctx.checked.values()) if ctx.checked else set()
    coverage = {"figures_found": len(analysis.metrics), "figures_checked": len(checked)}
    coverage.update({f"checked_by_{rule}": len(ids) for rule, ids in sorted(ctx.checked.items())})
    return findings, coverage


def annotate(analysis: Analysis) -> None:
    analysis.findings, analysis.coverage = run_audit(analysis)
