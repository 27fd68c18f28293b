"""Every stated figure of a document and what it counts.

``extract_metrics(document, outline)`` returns the figures as :class:`~jjnlp.model.Metric`
records and the numeral-bearing names that are not figures as :class:`~jjnlp.model.Term`.

Relations (``Metric.relations``): the figure that holds a relation points at its
``target``, an index into the returned list; ``evidence`` spans the cue when there is one.
- ``part_of``  → the total this figure is a part of (after 其中, or in brackets after the total);
- ``rate_of``  → on a rate or share: first the numerator, then the denominator
  (结案率75% → 结案54件, 立案72件; 占比38.4% → 33人, 86人);
- ``done_of``  → on 已整改 M: the 发现问题 N it is done of;
- ``change_from`` → on a change against 去年同期 (同比增长15%, 较去年同期增加3件): the current
  figure it describes; the base, when stated, is the figure whose ``period`` is 去年同期;
- ``share_of`` → on a share whose part is not stated (立案30件，其中…占23.7%): the total.

A share may be a percent or a ratio (占三分之一, 三成); only percents are rates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jjnlp.metrics.extract import extract_metrics
from jjnlp.metrics.tables import build_tables
from jjnlp.model import Analysis
from jjnlp.pipeline import stage

__all__ = ["annotate", "extract_metrics"]


@stage("metrics", requires=("structure",), assigns=("metrics", "terms", "tables"))
def annotate(analysis: Analysis, config: Mapping[str, Any]) -> None:
    analysis.metrics, analysis.terms = extract_metrics(analysis.document, analysis.outline)
    starts = {m.start: i for i, m in enumerate(analysis.metrics)}
    analysis.tables = build_tables(analysis.document, starts)
