"""Case notices (典型问题通报): split into cases and read each case's facts and outcome.

``extract_cases(document, outline, metrics)`` returns a :class:`~jjnlp.model.CaseNotice`
for a notice (``None`` for a work report): the count its title announces and, per case,
everyone it names (:class:`~jjnlp.model.Person`: name, position, unit and their own
sanctions and treatments), the main (first) person's fields for compatibility, the
headline, conduct, dates, the money amounts with exact values in 元
(:class:`~jjnlp.model.Amount`, the metrics stage's figures), the received goods, whether the
case went to the procuratorate, whether money was recovered, the 四种形态 form the main
person's outcome implies, the CCDI 八项规定 category (from the headline's wording, through
``resources/case_categories.toml``) and the discipline. Case headings may be numbered
``一、`` ``（一）`` ``1.`` ``（1）`` or stand unnumbered. Cues are data in
``resources/cases.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jjnlp.cases.extract import extract_cases
from jjnlp.model import Analysis
from jjnlp.pipeline import stage

__all__ = ["annotate", "extract_cases"]


@stage("cases", requires=("structure", "metrics"), assigns=("cases",))
def annotate(analysis: Analysis, config: Mapping[str, Any]) -> None:
    if analysis.outline is not None:
        analysis.cases = extract_cases(analysis.document, analysis.outline, analysis.metrics)
