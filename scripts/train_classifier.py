"""Train the problem classifier on generated statements and save it under models/problems.

Usage: python scripts/train_classifier.py [--data TRAIN.jsonl] [--out models/problems]

Only generated training data is read (scripts/make_problem_data.py); the hand-written gold in
corpora/gold is never seen here. Model: character 1–3-gram TF-IDF, one logistic regression
per label (one-vs-rest) with sigmoid (Platt) calibration fitted on cross-validated scores.
The calibration is folded into each label's coefficients, so the shipped model is plain
arrays (weights.npz + vocabulary.json + metadata.json) that load without scikit-learn or
pickle. A held-out slice of the generated data gives the dev scores in metadata.json, next to
the data hash and sizes; the label threshold is chosen on that slice.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from jjnlp.problems.model import ProblemModel, save_model

NGRAMS = (1, 3)
C = 4.0
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def fit(texts: list[str], labels: list[list[str]], seed: int = 13) -> tuple[ProblemModel, Any]:
    """The portable model and the scikit-learn pipeline it was exported from."""
    binarizer = MultiLabelBinarizer()
    y = binarizer.fit_transform(labels)
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True, min_df=2)
    x = vectorizer.fit_transform(texts)
    base = LogisticRegression(C=C, max_iter=2000, random_state=seed)
    calibrated = CalibratedClassifierCV(base, method="sigmoid", cv=3, ensemble=False)
    classifier = OneVsRestClassifier(calibrated).fit(x, y)
    coefs, intercepts = [], []
    for estimator in classifier.estimators_:
        pair = estimator.calibrated_classifiers_[0]
        logistic, platt = pair.estimator, pair.calibrators[0]
        # Platt: p = 1 / (1 + exp(a·f(x) + b)) with f(x) = w·x + c, i.e. sigmoid(-a·w·x - a·c - b)
        coefs.append(-platt.a_ * logistic.coef_[0])
        intercepts.append(-(platt.a_ * logistic.intercept_[0] + platt.b_))
    model = ProblemModel(
        labels=[str(label) for label in binarizer.classes_],
        vocabulary={gram: int(i) for gram, i in vectorizer.vocabulary_.items()},
        idf=vectorizer.idf_,
        coef=np.vstack(coefs),
        intercept=np.array(intercepts),
        ngram_range=NGRAMS,
        threshold=0.5,
        metadata={},
    )
    return model, (vectorizer, classifier, binarizer)


def predicted_matrix(model: ProblemModel, texts: list[str], threshold: float) -> Any:
    model.threshold = threshold
    rows = []
    for text in texts:
        chosen = set(model.predict(text)[0])
        rows.append([int(label in chosen) for label in model.labels])
    return np.array(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="corpora/train/problems/train.jsonl")
    parser.add_argument("--out", default="models/problems")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    raw = Path(args.data).read_bytes()
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    random.Random(args.seed).shuffle(rows)
    cut = int(len(rows) * 0.85)
    train, dev = rows[:cut], rows[cut:]
    model, _ = fit([r["text"] for r in train], [r["labels"] for r in train], args.seed)
    dev_texts = [r["text"] for r in dev]
    y_dev = np.array([[int(label in r["labels"]) for label in model.labels] for r in dev])
    by_threshold = {
        t: float(f1_score(y_dev, predicted_matrix(model, dev_texts, t), average="macro"))
        for t in THRESHOLDS
    }
    threshold = max(by_threshold, key=lambda t: (round(by_threshold[t], 4), -abs(t - 0.5)))
    pred = predicted_matrix(model, dev_texts, threshold)
    exact = float(np.mean(np.all(pred == y_dev, axis=1)))
    per_label = f1_score(y_dev, pred, average=None)
    model.metadata = {
        "data": args.data,
        "data_sha256": hashlib.sha256(raw).hexdigest(),
        "trained": datetime.date.today().isoformat(),
        "statements": len(rows),
        "train_sentences": len(train),
        "dev_sentences": len(dev),
        "train_label_counts": {
            label: sum(label in r["labels"] for r in train) for label in model.labels
        },
        "dev_split": "random 15% of the generated statements (same templates as training)",
        "dev_macro_f1": round(by_threshold[threshold], 4),
        "dev_exact_match": round(exact, 4),
        "dev_f1_per_label": {
            label: round(float(f), 4) for label, f in zip(model.labels, per_label, strict=True)
        },
        "dev_macro_f1_by_threshold": {str(t): round(f, 4) for t, f in by_threshold.items()},
        "features": len(model.vocabulary),
        "model": (
            f"char {NGRAMS[0]}-{NGRAMS[1]}-gram TF-IDF (sublinear tf, min_df 2); one-vs-rest "
            f"logistic regression C={C}; sigmoid calibration (3-fold), folded into coef/intercept"
        ),
        "scikit_learn": sklearn.__version__,
    }
    model.threshold = threshold
    save_model(Path(args.out), model)
    print(
        f"train {len(train)}, dev {len(dev)}, features {len(model.vocabulary)}, "
        f"threshold {threshold}, dev macro-F1 {by_threshold[threshold]:.3f}, "
        f"exact match {exact:.3f}"
    )


if __name__ == "__main__":
    main()
