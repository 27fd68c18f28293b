"""Audit rules registered by id, like spaCy factories: severity, kind and default options.

Every rule takes ``enabled`` (default true) and ``severity`` (its default severity) on top
of the options it declares; :func:`jjnlp.audit.engine.default_config` gathers them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jjnlp.config import Choice

if TYPE_CHECKING:
    pass

# a rule's function: AuditContext → Drafts (a cross-document rule: CrossContext → Findings)
RuleFn = Callable[[Any], Iterator[Any]]
SEVERITIES = ("info", "warning", "error")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: str  # default severity of its findings: error | warning | info
    kind: str  # arithmetic | period | text
    fn: RuleFn
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The rule's Chinese name (``resources/rule_titles.toml``), or its id."""
        return rule_title(self.id)

    @property
    def doc(self) -> str:
        return (self.fn.__doc__ or "").strip().splitlines()[0]

    @property
    def default_config(self) -> dict[str, Any]:
        return {
            "enabled": True,
            "severity": Choice(self.severity, SEVERITIES),
            **self.options,
        }


RULES: dict[str, Rule] = {}


def rule_title(rule_id: str) -> str:
    """What people call a rule: 率的重算 for ``rate`` (the id when no title is listed)."""
    from jjnlp.resources import load_toml

    titles: dict[str, str] = load_toml("rule_titles.toml")["titles"]
    return titles.get(rule_id, rule_id)


def rule(
    rule_id: str,
    *,
    severity: str,
    kind: str,
    default_config: Mapping[str, Any] | None = None,
    registry: dict[str, Rule] | None = None,
) -> Callable[[RuleFn], RuleFn]:
    """Register ``fn`` as the rule ``rule_id`` (in ``registry``, by default the single-document
    :data:`RULES`); its docstring's first line states the rule."""
    target = RULES if registry is None else registry

    def register(fn: RuleFn) -> RuleFn:
        if rule_id in target:
            raise ValueError(f"rule {rule_id!r} registered twice")
        target[rule_id] = Rule(rule_id, severity, kind, fn, dict(default_config or {}))
        return fn

    return register
