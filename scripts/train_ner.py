"""Train the statistical entity recogniser (spaCy ``ner``) and save it under models/ner.

Usage: python scripts/train_ner.py [--data TRAIN.jsonl] [--out models/ner] [--epochs N]
       [--width W] [--depth D] [--embed-size N] [--seed S]

Reads only the generated sentences of scripts/make_ner_data.py; the hand-written gold in
corpora/gold is never seen here (``jjnlp eval corpora/gold --task entities`` grades the
result). The pipeline is spaCy ``zh`` with the project's tokenizer (``jjnlp.ChineseTokenizer.v1``:
the domain segmenter over the one jieba dictionary, :func:`jjnlp.entities.nlp.blank`, the same
one ``jjnlp.load()`` and ``spacy.load("models/ner")`` build), plus one ``ner`` (ORG, LOC, PER,
TITLE): ``jjnlp_entity_tagger`` (:mod:`jjnlp.entities.tagger`: a BILUO tag a token, decoded
into spans) on a small HashEmbedCNN tok2vec. The rule components are added around ``ner``
before saving, so the saved config is the whole pipeline. Seeds are fixed: the same options
give the same model. The last tenth of the data is held out; its scores go into
``training.json`` beside the model with the data hash, the options, sizes and date.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import random
from pathlib import Path
from typing import Any

from spacy.training import Example
from spacy.util import fix_random_seed, minibatch, registry

import jjnlp.entities.components  # noqa: F401  (registers the rule components and the tagger)
from jjnlp.entities.nlp import NER_LABELS, blank

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "corpora/train/ner/train.jsonl"
OUT = ROOT / "models/ner"


def examples(nlp: Any, rows: list[dict[str, Any]]) -> tuple[list[Example], int]:
    """Examples whose every span falls on token edges, and how many rows were dropped."""
    kept = []
    for row in rows:
        doc = nlp.make_doc(row["text"])
        if all(doc.char_span(s, e) is not None for s, e, _ in row["spans"]):
            kept.append(Example.from_dict(doc, {"entities": [tuple(s) for s in row["spans"]]}))
    return kept, len(rows) - len(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--seed", type=int, default=3)
    # the size of the network: the tok2vec is most of the recogniser's time, and its
    # matrices grow with the square of the width (spaCy's default is 96)
    parser.add_argument("--width", type=int, default=48, help="tok2vec width")
    parser.add_argument("--depth", type=int, default=4, help="tok2vec CNN depth")
    parser.add_argument("--embed-size", type=int, default=2000, help="tok2vec hash embed rows")
    args = parser.parse_args()

    fix_random_seed(args.seed)
    raw = Path(args.data).read_bytes()
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    random.Random(args.seed).shuffle(rows)
    cut = len(rows) * 9 // 10
    nlp = blank()
    tok2vec = {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": args.width,
        "depth": args.depth,
        "embed_size": args.embed_size,
        "window_size": 1,
        "maxout_pieces": 3,
        "subword_features": True,
    }
    model = {"@architectures": "spacy.Tagger.v2", "nO": None, "normalize": False}
    ner = nlp.add_pipe(
        "jjnlp_entity_tagger", name="ner", config={"model": {**model, "tok2vec": tok2vec}}
    )
    for label in NER_LABELS:
        ner.add_label(label)
    train, dropped_train = examples(nlp, rows[:cut])
    dev, _ = examples(nlp, rows[cut:])
    print(f"train {len(train)} sentences ({dropped_train} off token edges), dev {len(dev)}")

    # spaCy's Adam with a running average of the weights, which is what is evaluated and saved
    settings = {**nlp.config["training"]["optimizer"], "use_averages": True}
    optimizer = nlp.initialize(lambda: train, sgd=registry.resolve({"o": settings})["o"])
    rng = random.Random(args.seed)
    for epoch in range(args.epochs):
        rng.shuffle(train)
        losses: dict[str, float] = {}
        for batch in minibatch(train, size=16):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        with nlp.use_params(optimizer.averages):
            scores = nlp.evaluate(dev)
        print(f"epoch {epoch + 1:2d}  loss {losses['ner']:9.1f}  dev F1 {scores['ents_f']:.3f}")

    out = Path(args.out)
    with nlp.use_params(optimizer.averages):
        scores = nlp.evaluate(dev)
        nlp.add_pipe("jjnlp_entity_rules", first=True)
        nlp.add_pipe("jjnlp_entity_compose", last=True)
        nlp.to_disk(out)
    meta = {
        "trained": datetime.date.today().isoformat(),
        "data": str(Path(args.data).relative_to(ROOT)) if ROOT in Path(args.data).parents else "",
        "data_sha256": hashlib.sha256(raw).hexdigest(),
        "train_sentences": len(train),
        "dev_sentences": len(dev),
        "epochs": args.epochs,
        "seed": args.seed,
        "recognizer": "jjnlp_entity_tagger",
        "tok2vec": {k: v for k, v in tok2vec.items() if not k.startswith("@")},
        "labels": list(NER_LABELS),
        "dev_scores_generated": {
            "micro_f1": round(scores["ents_f"], 4),
            "per_label": {k: round(v["f"], 4) for k, v in scores["ents_per_type"].items()},
        },
    }
    (out / "training.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"saved {out} ({size / 1e6:.1f} MB); dev F1 {scores['ents_f']:.3f} (generated data)")


if __name__ == "__main__":
    main()
