"""The consistency audit: recompute and cross-check the figures, proofread the text.

Rules live in ``jjnlp.audit.rules`` and register themselves by id
(:func:`jjnlp.audit.registry.rule`); ``run_audit`` runs the enabled ones and returns
findings (each stating its arithmetic and evidence) plus coverage: how many figures
were found and how many a rule could check, so that "no findings" is never taken for
"nothing checked".
"""

from __future__ import annotations

from jjnlp.audit.engine import SCHEMA, annotate, load_config, run_audit

__all__ = ["SCHEMA", "annotate", "load_config", "run_audit"]
