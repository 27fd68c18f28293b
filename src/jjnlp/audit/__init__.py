"""The consistency audit: recompute and cross-check the figures, proofread the text.

Rules live in ``jjnlp.audit.rules`` and register themselves by id with their default
options (:func:`jjnlp.audit.registry.rule`); the engine imports them, so the audit stage
knows every rule as soon as it exists. ``run_audit`` runs the enabled ones and returns
findings (each stating its arithmetic and evidence) plus coverage: how many figures
were found and how many a rule could check, so that "no findings" is never taken for
"nothing checked".
"""

from __future__ import annotations

from jjnlp.audit.engine import annotate, default_config, run_audit

__all__ = ["annotate", "default_config", "run_audit"]
