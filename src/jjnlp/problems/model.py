"""The problem classifier at inference: char n-gram TF-IDF and per-label logistic scores.

The model is stored as plain arrays (``weights.npz``: idf, coef, intercept) and a JSON
vocabulary, so it loads without unpickling and without scikit-learn; the featurisation
reproduces scikit-learn's ``TfidfVectorizer(analyzer="char", sublinear_tf=True)``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jjnlp.paths import model_path

_SPACES = re.compile(r"\s\s+")


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams as scikit-learn's ``char`` analyzer makes them."""
    text = _SPACES.sub(" ", text.lower())
    grams: list[str] = []
    for n in range(low, min(high + 1, len(text) + 1)):
        grams.extend(text[i : i + n] for i in range(len(text) - n + 1))
    return grams


@dataclass
class ProblemModel:
    labels: list[str]
    vocabulary: dict[str, int]
    idf: Any  # numpy arrays
    coef: Any
    intercept: Any
    ngram_range: tuple[int, int]
    threshold: float
    metadata: dict[str, Any]

    def scores(self, text: str) -> dict[str, float]:
        """Probability of each label for one statement."""
        import numpy as np

        counts: dict[int, int] = {}
        for gram in char_ngrams(text, *self.ngram_range):
            index = self.vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return {label: 0.0 for label in self.labels}
        indices = np.fromiter(counts, dtype=np.int64)
        values = np.array([1.0 + math.log(counts[i]) for i in counts]) * self.idf[indices]
        values /= np.linalg.norm(values)
        logits = self.coef[:, indices] @ values + self.intercept
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        return {label: float(p) for label, p in zip(self.labels, probabilities, strict=True)}

    def predict(self, text: str) -> tuple[tuple[str, ...], dict[str, float]]:
        """Labels above the threshold (at most two, always at least the best one) and scores."""
        scores = self.scores(text)
        ranked = sorted(scores, key=scores.__getitem__, reverse=True)
        chosen = [label for label in ranked[:2] if scores[label] >= self.threshold] or ranked[:1]
        return tuple(chosen), scores


def save_model(directory: Path, model: ProblemModel) -> None:
    import numpy as np

    directory.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        directory / "weights.npz", idf=model.idf, coef=model.coef, intercept=model.intercept
    )
    (directory / "vocabulary.json").write_text(
        json.dumps(model.vocabulary, ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )
    meta = dict(
        model.metadata,
        labels=model.labels,
        ngram_range=list(model.ngram_range),
        threshold=model.threshold,
    )
    (directory / "metadata.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


@cache
def load_model(directory: str | None = None) -> ProblemModel:
    """The shipped model (or one in ``directory``), loaded once."""
    import numpy as np

    root = Path(directory) if directory else model_path("problems")
    meta = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
    arrays = np.load(root / "weights.npz")
    vocabulary = json.loads((root / "vocabulary.json").read_text(encoding="utf-8"))
    low, high = meta["ngram_range"]
    return ProblemModel(
        meta["labels"],
        vocabulary,
        arrays["idf"],
        arrays["coef"],
        arrays["intercept"],
        (low, high),
        float(meta["threshold"]),
        meta,
    )
