"""Train the problem classifier on generated sentences and save it under models/problems.

Usage: python scripts/train_classifier.py [--data TRAIN.jsonl] [--out models/problems]

Only generated training data is read (scripts/make_problem_data.py); the hand-written gold in
corpora/gold is never seen here. A held-out slice of the generated data gives the dev scores
recorded in metadata.json next to the data hash and sizes.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import random
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from jjnlp.classify.model import ProblemModel, save_model

NGRAMS = (1, 3)
THRESHOLD = 0.4


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
    binarizer = MultiLabelBinarizer()
    y_train = binarizer.fit_transform([r["labels"] for r in train])
    y_dev = binarizer.transform([r["labels"] for r in dev])
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True, min_df=2)
    x_train = vectorizer.fit_transform([r["text"] for r in train])
    classifier = OneVsRestClassifier(
        LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, random_state=args.seed)
    ).fit(x_train, y_train)
    dev_pred = classifier.predict_proba(vectorizer.transform([r["text"] for r in dev])) >= THRESHOLD
    dev_f1 = f1_score(y_dev, dev_pred, average="macro", zero_division=0)
    coef = np.vstack([e.coef_[0] for e in classifier.estimators_])
    intercept = np.array([e.intercept_[0] for e in classifier.estimators_])
    vocabulary = {gram: int(i) for gram, i in vectorizer.vocabulary_.items()}
    model = ProblemModel(
        labels=list(binarizer.classes_),
        vocabulary=vocabulary,
        idf=vectorizer.idf_,
        coef=coef,
        intercept=intercept,
        ngram_range=NGRAMS,
        threshold=THRESHOLD,
        metadata={
            "data": args.data,
            "data_sha256": hashlib.sha256(raw).hexdigest(),
            "trained": datetime.date.today().isoformat(),
            "train_sentences": len(train),
            "dev_sentences": len(dev),
            "dev_macro_f1": round(float(dev_f1), 4),
            "features": len(vocabulary),
            "scikit_learn": sklearn.__version__,
        },
    )
    save_model(Path(args.out), model)
    print(
        f"train {len(train)}, dev {len(dev)}, features {len(vocabulary)}, dev macro-F1 {dev_f1:.3f}"
    )


if __name__ == "__main__":
    main()
