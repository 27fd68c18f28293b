"""Problem statements of work reports (存在的问题) and their categories.

``extract_problems(document, outline)`` finds the statements (一是…/numbered sub-headings/
sentences of the problems part) and classifies each with the shipped model
(``models/problems``: character n-gram TF-IDF and one logistic regression per category,
trained by ``scripts/train_classifier.py`` on generated sentences only), or with a
transformers model from a local directory (``backend = "transformers"``, ``model_dir``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from jjnlp.config import Choice
from jjnlp.model import Analysis
from jjnlp.pipeline import stage
from jjnlp.problems.extract import extract_problems
from jjnlp.problems.model import ProblemModel, load_model

__all__ = ["ProblemModel", "annotate", "extract_problems", "load_model", "model_for"]

DEFAULT_CONFIG = {"backend": Choice("sklearn", ("sklearn", "transformers")), "model_dir": None}


@cache
def model_for(backend: str, model_dir: str | None) -> Any:
    """The classifier a configuration names, loaded once per process."""
    if backend == "transformers":
        from jjnlp.problems.transformer import TransformerProblemModel

        return TransformerProblemModel(model_dir or "")
    return load_model()


@stage("problems", requires=("structure",), assigns=("problems",), default_config=DEFAULT_CONFIG)
def annotate(analysis: Analysis, config: Mapping[str, Any]) -> None:
    if analysis.outline is not None:
        model = model_for(config["backend"], config["model_dir"])
        analysis.problems = extract_problems(analysis.document, analysis.outline, model)
