"""Case notices (典型问题通报): split into cases and read each case's facts and outcome.

``extract_cases(document, outline, metrics)`` returns a :class:`~jjnlp.model.CaseNotice`
for a notice (``None`` for a work report): the count its title announces and, per case,
the masked person, position, unit, headline, conduct, dates, amounts, sanctions and
treatments of the main person, whether the case went to the procuratorate, whether money
was recovered, the 四种形态 form the outcome implies, the CCDI 八项规定 category (for
八项规定 and 形式主义官僚主义 notices) and the discipline. Cues are data in
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
