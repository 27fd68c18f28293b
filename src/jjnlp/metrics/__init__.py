"""Every stated figure of a document and what it counts.

``extract_metrics(document, outline)`` returns the figures as :class:`~jjnlp.model.Metric`
records and the numeral-bearing names that are not figures as :class:`~jjnlp.model.Term`.

Relations (``Metric.relations``; targets are indices into the returned list):
- ``part_of``  → the total this figure is a part of (after 其中, or in brackets after the total);
- ``rate_of``  → on a rate or share: first the numerator, then the denominator
  (结案率75% → 结案54件, 立案72件; 占比38.4% → 33人, 86人);
- ``done_of``  → on 已整改 M: the 发现问题 N it is done of;
- ``change_from`` → on 同比增长 X%: the current figure it describes;
- ``share_of`` → on a share whose part is not stated (立案30件，其中…占23.7%): the total.
"""

from __future__ import annotations

from jjnlp.metrics.extract import extract_metrics
from jjnlp.model import Analysis

__all__ = ["annotate", "extract_metrics"]


def annotate(analysis: Analysis) -> None:
    analysis.metrics, analysis.terms = extract_metrics(analysis.document, analysis.outline)
