"""Problem statements of work reports (存在的问题) and their categories.

``extract_problems(document, outline)`` finds the statements (一是…/numbered sub-headings/
sentences of the problems part) and classifies each with the shipped model
(``models/problems``: character n-gram TF-IDF and one logistic regression per category,
trained by ``scripts/train_classifier.py`` on generated sentences only).
"""

from __future__ import annotations

from jjnlp.classify.extract import extract_problems
from jjnlp.classify.model import ProblemModel, load_model
from jjnlp.model import Analysis

__all__ = ["ProblemModel", "annotate", "extract_problems", "load_model"]


def annotate(analysis: Analysis) -> None:
    if analysis.outline is not None:
        analysis.problems = extract_problems(analysis.document, analysis.outline)
