"""Train the statistical entity recogniser (spaCy ``ner``) and save it under models/ner.

Usage: python scripts/train_ner.py [--data TRAIN.jsonl] [--out models/ner] [--epochs N]

Reads only the generated sentences of scripts/make_ner_data.py; the hand-written gold in
corpora/gold is never seen here (``jjnlp eval corpora/gold --task entities`` grades the
result). The pipeline is spaCy ``zh`` with the project's tokenizer (``jjnlp.ChineseTokenizer.v1``:
the domain segmenter over the one jieba dictionary, :func:`jjnlp.entities.nlp.blank`, the same
one ``jjnlp.load()`` and ``spacy.load("models/ner")`` build), plus one ``ner`` (ORG, LOC, PER,
TITLE) on spaCy's default small CNN tok2vec. The rule components are added around ``ner``
before saving, so the saved config is the whole pipeline. The last tenth of the data is held
out; its scores go into ``training.json`` beside the model with the data hash, sizes and date.
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
from spacy.util import minibatch

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
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=11)
    # the size of the network: spaCy's defaults are width 96, depth 4, hidden width 64;
    # a smaller one runs faster (the ner is most of the entity stage's time)
    parser.add_argument("--width", type=int, default=96, help="tok2vec width")
    parser.add_argument("--depth", type=int, default=4, help="tok2vec CNN depth")
    parser.add_argument("--hidden", type=int, default=64, help="transition parser hidden width")
    args = parser.parse_args()

    raw = Path(args.data).read_bytes()
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    random.Random(args.seed).shuffle(rows)
    cut = len(rows) * 9 // 10
    nlp = blank()
    model = {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": args.hidden,
        "maxout_pieces": 2,
        "use_upper": True,
        "nO": None,
        "tok2vec": {
            "@architectures": "spacy.HashEmbedCNN.v2",
            "pretrained_vectors": None,
            "width": args.width,
            "depth": args.depth,
            "embed_size": 2000,
            "window_size": 1,
            "maxout_pieces": 3,
            "subword_features": True,
        },
    }
    ner = nlp.add_pipe("ner", config={"model": model})
    for label in NER_LABELS:
        ner.add_label(label)
    train, dropped_train = examples(nlp, rows[:cut])
    dev, _ = examples(nlp, rows[cut:])
    print(f"train {len(train)} sentences ({dropped_train} off token edges), dev {len(dev)}")

    optimizer = nlp.initialize(lambda: train)
    rng = random.Random(args.seed)
    for epoch in range(args.epochs):
        rng.shuffle(train)
        losses: dict[str, float] = {}
        for batch in minibatch(train, size=16):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        scores = nlp.evaluate(dev)
        print(f"epoch {epoch + 1:2d}  loss {losses['ner']:9.1f}  dev F1 {scores['ents_f']:.3f}")

    scores = nlp.evaluate(dev)
    out = Path(args.out)
    import jjnlp.entities.components  # noqa: F401  (registers the rule components)

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
