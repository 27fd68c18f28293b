"""Audit rules registered by id, like spaCy factories: each declares its severity and kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jjnlp.audit.context import AuditContext
    from jjnlp.audit.findings import Draft

RuleFn = Callable[["AuditContext"], Iterator["Draft"]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: str  # default severity of its findings: error | warning | info
    kind: str  # arithmetic | period | text
    fn: RuleFn

    @property
    def doc(self) -> str:
        return (self.fn.__doc__ or "").strip().splitlines()[0]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, *, severity: str, kind: str) -> Callable[[RuleFn], RuleFn]:
    """Register ``fn`` as the rule ``rule_id``; its docstring's first line states the rule."""

    def register(fn: RuleFn) -> RuleFn:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id!r} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, kind, fn)
        return fn

    return register
